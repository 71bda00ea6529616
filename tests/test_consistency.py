"""retrieval.consistency: a question about another city, bank or year than the article's is refused, not answered
from the neighbouring article; absence alone (context the article leaves implicit, a typo) is no contradiction."""

from __future__ import annotations

from pathlib import Path

import pytest

from articlebot.engine import Engine
from articlebot.models import ArticleIn, Scope
from retrieval.consistency import MIN_ARTICLE_WORDS, contradiction, question_name_slots
from tests.conftest import make_settings

SURABAYA = (
    "SURABAYA, KOMPAS.com — Pemerintah Kota Surabaya mengalokasikan anggaran Rp 215 miliar dalam APBD 2027 untuk "
    "program beasiswa pendidikan tinggi. Program itu menyasar 18.500 mahasiswa dari keluarga berpenghasilan rendah "
    "yang kuliah di perguruan tinggi negeri maupun swasta di Jawa Timur.\n\n"
    "Wali Kota Surabaya, Bagus Prasetyo Adi, mengatakan beasiswa mencakup uang kuliah tunggal penuh serta uang saku "
    "Rp 1 juta per bulan. \"Kami ingin tidak ada lagi anak Surabaya yang putus kuliah karena biaya,\" kata Bagus di "
    "Balai Kota, Senin (9/11/2026).\n\n"
    "Pendaftaran dibuka mulai 1 Desember hingga 31 Desember 2026 melalui laman resmi pemerintah kota. Calon "
    "penerima harus memiliki kartu tanda penduduk Surabaya, terdaftar sebagai mahasiswa aktif, dan memiliki indeks "
    "prestasi kumulatif minimal 3,0. Dinas Pendidikan akan memverifikasi data keluarga setiap pendaftar.\n\n"
    "Kepala Dinas Pendidikan Surabaya, Rina Wulandari, menambahkan bahwa tahun lalu program serupa menjangkau "
    "12.300 mahasiswa. Menurut dia, sebagian besar penerima berasal dari Universitas Airlangga, Institut Teknologi "
    "Sepuluh Nopember, dan Universitas Negeri Surabaya. Pemerintah kota juga menyiapkan pendampingan akademik bagi "
    "penerima yang nilainya menurun selama dua semester berturut-turut, serta pelatihan kerja pada tahun terakhir."
)
CANADA = (
    "OTTAWA, Oct 29 (Reuters) - The Bank of Canada cut its key overnight rate by 25 basis points to 2.25% on "
    "Wednesday, its second cut in a row, as the economy struggles with U.S. tariffs and a cooling labour market.\n\n"
    "Governor Louis Beaudry said the central bank was comfortable with the current level of rates, which sits at "
    "the bottom of its estimated neutral range. \"If the outlook changes, we are prepared to respond,\" he told "
    "reporters in Ottawa after the decision.\n\n"
    "The bank has now cut rates by a total of 275 basis points since June of last year. Annual inflation slowed to "
    "2.2% in October, close to the bank's 2% target, while the unemployment rate rose to 7.1%, the highest level in "
    "nine years outside the pandemic. Economists polled by Reuters had expected the cut, and markets now see a pause "
    "at the next meeting in December.\n\n"
    "The Canadian dollar weakened 0.3% against the greenback after the announcement. Exporters of steel, aluminium "
    "and cars have been hit hardest by the tariffs, and the bank said business investment would stay weak until "
    "trade relations with the United States become clearer in the coming months."
)


def test_articles_are_long_enough_for_the_rule() -> None:
    assert len(SURABAYA.split()) >= MIN_ARTICLE_WORDS and len(CANADA.split()) >= MIN_ARTICLE_WORDS


@pytest.mark.parametrize(
    ("question", "lang", "article", "expected"),
    [
        ("Siapa Wali Kota Batam?", "id", SURABAYA, ("batam", "Surabaya")),
        ("Who is the governor of the Bank of England?", "en", CANADA, ("england", "Canada")),
        # not written, but the article's "tahun lalu" is one year from its 2026: 2025 may be what it means
        ("Berapa mahasiswa penerima beasiswa tahun 2025?", "id", SURABAYA, None),
        ("Siapa Wali Kota Surabaya?", "id", SURABAYA, None),  # the article has the name
        ("Siapa Wali Kota Surabya?", "id", SURABAYA, None),  # a typo of a name the article has
        ("What rate did the Bank of Canada set on Wednesday?", "en", CANADA, None),
        ("Berapa anggaran Pemkab Sumenep?", "id", SURABAYA, None),  # "anggaran Rp 215 miliar": a label, no name
        ("Kapan pendaftaran beasiswa Surabaya dan Malang dibuka?", "id", SURABAYA, None),  # after "dan": a list
        # chat questions are lowercase: a word unknown to the dictionary after "kota"/"di"/… is a place
        ("siapa wali kota batam", "id", SURABAYA, ("batam", "Surabaya")),
        ("siapa wali kota surabaya", "id", SURABAYA, None),
        ("berapa mahasiswa yg dapat beasiswa kota baru", "id", SURABAYA, None),  # "baru" is a word, not a name
        # a place named as a place ("di Malang", "in Montreal") that the whole article never names is another's
        ("Berapa mahasiswa penerima beasiswa di Malang?", "id", SURABAYA, ("malang", "")),
        ("How many jobs were lost in Toronto?", "en", CANADA, ("toronto", "")),
        ("Berapa penerima beasiswa di Jawa Timur?", "id", SURABAYA, None),  # the article has it
        ("Berapa uang saku dari Pemprov Jatim?", "id", SURABAYA, None),  # "Pemprov" is not the place's last word
        # a year the whole article never writes, while it dates its story with others, is another year's story
        ("Berapa mahasiswa penerima beasiswa Surabaya pada 2023?", "id", SURABAYA, ("2023", "2027")),
        ("What was Canada's inflation rate in 2019?", "en", CANADA, None),  # the article writes no year at all
        ("¿Qué hizo Surabaya en la década de 1990?", "es", SURABAYA, None),  # a decade, not a year
    ],
)
def test_contradiction(question: str, lang: str, article: str, expected) -> None:
    assert contradiction(question_name_slots(question, lang), article) == expected


def test_no_rule_for_german_or_short_texts() -> None:
    assert question_name_slots("Wer ist Bürgermeister von Batam?", "de") == ()
    # a lowercase word is read as a name only after a place word, and when the dictionary does not know it
    assert question_name_slots("status darurat banjir di bekasi berlaku brp lama", "id")[0].name == "bekasi"
    assert len(question_name_slots("status darurat banjir di bekasi berlaku brp lama", "id")) == 1
    short = "Wali Kota Surabaya, Bagus Prasetyo Adi, membuka pendaftaran beasiswa."
    assert contradiction(question_name_slots("Siapa Wali Kota Batam?", "id"), short) is None


@pytest.mark.parametrize("in_memory", [False, True])
async def test_the_engine_refuses_a_question_about_another_city(tmp_path: Path, in_memory: bool) -> None:
    db = Path(":memory:") if in_memory else tmp_path / "c.sqlite3"
    async with await Engine.open(make_settings(tmp_path, database_path=db)) as engine:
        for text in (SURABAYA, CANADA):
            await engine.add_article(ArticleIn(text=text), Scope())
        right = await engine.ask("Siapa Wali Kota Surabaya?", Scope())
        assert not right.abstained and right.answer == "Bagus Prasetyo Adi"
        for q in ("Siapa Wali Kota Batam?", "siapa walkot batam"):
            other = await engine.ask(q, Scope())
            assert other.abstained and other.citations == [], q
        bank = await engine.ask("Who is the governor of the Bank of England?", Scope())
        assert bank.abstained
        assert not (await engine.ask("Who is the governor of the Bank of Canada?", Scope())).abstained


TEXAS = (
    "CORPUS CHRISTI, Texas (Reuters) - Hurricane Dana made landfall near Port Aransas early on Tuesday as a "
    "Category 2 storm, killing at least four people and knocking out electricity to about 230,000 homes and "
    "businesses across South Texas, officials said.\n\n"
    "Two of the victims died when their pickup truck was swept off a flooded road near Robstown, county officials "
    "told reporters. Kingsville recorded 14.2 inches of rain in 24 hours, the heaviest total of the storm, "
    "according to the National Weather Service in Corpus Christi.\n\n"
    "About 3,100 people spent Tuesday night in 22 public shelters, the Texas Division of Emergency Management "
    "said. Governor Greg Abbott declared a disaster in 18 counties and asked for federal aid. Schools in Corpus "
    "Christi and Kingsville will stay closed until Thursday, and the port suspended all vessel traffic while crews "
    "cleared debris from the shipping channel. By Wednesday morning Dana had weakened to a tropical storm as it "
    "moved inland toward San Antonio, where forecasters expected another four inches of rain."
)
OREGON = (
    "SALEM, Ore. (AP) - A measles outbreak centered in Oregon's Marion County has grown to 47 confirmed cases, "
    "health officials said on Tuesday, making it the state's largest outbreak in more than a decade. Most of the "
    "cases are children who had not been vaccinated, and six people have been treated in hospital.\n\n"
    "The outbreak began at an elementary school in Woodburn in October. Officials have opened free vaccination "
    "clinics in Woodburn and Salem and asked parents to check their children's records before the holidays. The "
    "United States has recorded 1,140 measles cases so far in 2026, the Centers for Disease Control and "
    "Prevention said last week. Nine out of ten unvaccinated people who are exposed will get sick, said Marion "
    "County's health officer, who urged families to get a second dose before travelling to see relatives in "
    "Portland and Eugene."
)


async def test_a_lowercase_place_the_collection_writes_as_a_name_is_checked(tmp_path: Path) -> None:
    """Found in an English user's review: "how many measles cases in texas" was answered with the U.S. total from
    the Oregon article; "texas" is written "Texas" in another article, so it is a name the cited one lacks."""
    async with await Engine.open(make_settings(tmp_path, database_path=tmp_path / "e.sqlite3")) as engine:
        for text in (TEXAS, OREGON):
            await engine.add_article(ArticleIn(text=text, language="en"), Scope())
        assert (await engine.ask("how many measles cases in texas", Scope())).abstained
        assert not (await engine.ask("how many measles cases in oregon", Scope())).abstained
        # "total" is written in lower case: no name, no check
        assert not (await engine.ask("how much rain fell in total in kingsville", Scope())).abstained


MALANG = (
    "MALANG, KOMPAS.com - Pemerintah Kota Malang mulai mengoperasikan 24 bus listrik di tiga koridor, Senin "
    "(2/11/2026). Bus berkapasitas 40 penumpang itu melayani rute dari Terminal Arjosari ke Alun-alun Malang dan "
    "kawasan kampus di sekitar Jalan Veteran, dengan tarif Rp 5.000 sekali jalan.\n\n"
    "Kepala Dinas Perhubungan Malang, Widjaja Saleh Putra, mengatakan armada itu dibiayai APBD senilai Rp 96 miliar "
    "dan dioperasikan perusahaan daerah. Selama sebulan pertama, penumpang pelajar tidak dipungut biaya, sehingga "
    "jumlah pengguna diharapkan mencapai 9.000 orang per hari pada akhir tahun.\n\n"
    "Warga menyambut baik layanan baru itu. Menurut pengamat transportasi dari Universitas Brawijaya, bus listrik "
    "akan mengurangi kemacetan di pusat Malang bila jadwalnya tepat waktu dan halte dibangun di dekat permukiman "
    "padat, terutama di wilayah timur kota yang selama ini belum dilayani angkutan umum yang memadai."
)


async def test_a_lowercase_indonesian_place_the_collection_writes_as_a_name_is_checked(tmp_path: Path) -> None:
    """Found in a held-out news set: "siapa wali kota banda aceh" was answered with Semarang's mayor; a dictionary
    word ("malang", unlucky) that the collection writes as a name ("Malang") is a name the cited article lacks."""
    async with await Engine.open(make_settings(tmp_path, database_path=tmp_path / "e.sqlite3")) as engine:
        for text in (SURABAYA, MALANG):
            await engine.add_article(ArticleIn(text=text, language="id"), Scope())
        assert (await engine.ask("siapa wali kota malang", Scope())).abstained
        assert not (await engine.ask("siapa wali kota surabaya", Scope())).abstained


KENDARI = (
    "KENDARI, KOMPAS.com - Terminal penumpang baru Bandara Haluoleo di Kabupaten Konawe Selatan, Sulawesi Tenggara, "
    "resmi beroperasi mulai Selasa (24/11/2026). Terminal seluas 18.600 meter persegi itu mampu melayani 2,4 juta "
    "penumpang per tahun, naik dari 900.000 penumpang sebelumnya.\n\n"
    "General Manager Bandara Haluoleo, Yudhistira Pamungkas, mengatakan sepanjang Januari hingga Oktober 2026 bandara "
    "melayani 1,13 juta penumpang, naik 14 persen dibanding periode yang sama tahun lalu. Area parkir juga diperluas "
    "sehingga mampu menampung 650 mobil dan 1.200 sepeda motor.\n\n"
    "Pembangunan terminal menelan anggaran Rp 412 miliar yang bersumber dari APBN melalui Kementerian Perhubungan. "
    "Pengerjaan fisik dimulai pada Maret 2024 dan dikerjakan selama 26 bulan oleh kontraktor pelat merah, sementara "
    "terminal lama akan dialihfungsikan menjadi terminal kargo untuk mendukung pengiriman hasil perikanan daerah itu."
)


def test_a_lowercase_word_is_no_spelling_of_a_name() -> None:
    """Found in a held-out news set: "Kapan terminal baru Bandara Sam Ratulangi Manado mulai beroperasi?" was answered
    from the Haluoleo article, whose "yang sama" passed for a spelling of "Sam"; a name's other spelling is a name."""
    question = "Kapan terminal baru Bandara Sam Ratulangi Manado mulai beroperasi?"
    assert contradiction(question_name_slots(question, "id"), KENDARI) == ("sam", "Haluoleo")
    assert contradiction(question_name_slots("Kapan terminal Bandara Haluoleo beroperasi?", "id"), KENDARI) is None


GILI_KETAPANG = (
    "PROBOLINGGO, KOMPAS.com - Sebanyak 12.000 fragmen karang ditanam di perairan Pulau Gili Ketapang, Kabupaten "
    "Probolinggo, Jawa Timur, dalam kegiatan restorasi terumbu karang, Minggu (26/4/2026). Nelayan setempat ikut "
    "menanam fragmen pada rangka besi berbentuk kubah di kedalaman lima sampai tujuh meter.\n\n"
    "Kepala Dinas Lingkungan Hidup Kabupaten Probolinggo, Hendro Sasmito, mengatakan kerusakan terumbu karang di Gili "
    "Ketapang cukup parah akibat penggunaan bom ikan pada 1990-an. Tutupan karang hidup di sisi utara pulau kini hanya "
    "18 persen. Warga diminta ikut menjaga karang yang baru ditanam dan melaporkan kapal yang membuang jangkar di "
    "kawasan restorasi, yang ditandai dengan pelampung kuning sepanjang 400 meter dari bibir pantai.\n\n"
    "Kegiatan itu didanai program tanggung jawab sosial sebuah perusahaan energi dan melibatkan 150 relawan, "
    "termasuk penyelam dari kelompok sadar wisata setempat. Pemantauan pertumbuhan karang dilakukan setiap tiga bulan."
)


def test_an_indonesian_word_is_no_spelling_of_a_name() -> None:
    """Found in a held-out news set: "Berapa fragmen karang yang ditanam di Pulau Menjangan tahun ini?" was answered
    from the Gili Ketapang article, whose "menjaga" passed for a spelling of "Menjangan"; a word of the dictionary
    (or a root with its affixes) is none in Indonesian, while a name written in lower case still is."""
    question = "Berapa fragmen karang yang ditanam di Pulau Menjangan tahun ini?"
    assert contradiction(question_name_slots(question, "id"), GILI_KETAPANG, "id") == ("menjangan", "Gili")
    own = "Berapa fragmen karang yang ditanam di Pulau Gili Ketapang?"
    assert contradiction(question_name_slots(own, "id"), GILI_KETAPANG, "id") is None
    lowercase = GILI_KETAPANG.replace("Gili Ketapang, Kabupaten", "gili ketapang, Kabupaten")
    assert contradiction(question_name_slots("Berapa fragmen karang di Pulau Ketapangg?", "id"), lowercase, "id") is None


SUMBA = (
    "Waingapu (ANTARA) - Koperasi Produsen Mutiara Laut Sumba di Kabupaten Sumba Timur, Nusa Tenggara Timur, mulai "
    "mengoperasikan pabrik pengolahan rumput laut di Desa Kaliuda, Kamis (21/5/2026). Pabrik berkapasitas 600 ton "
    "bahan baku per tahun itu dibangun dengan biaya Rp 14 miliar, termasuk pinjaman Rp 9,5 miliar dari bank daerah.\n\n"
    "Koperasi yang berdiri pada 2019 itu kini beranggotakan 430 pembudidaya dari tujuh desa pesisir. Pabrik mengolah "
    "rumput laut kering menjadi semi-refined carrageenan (SRC), bahan pengental untuk industri makanan dan kosmetik. "
    "Produk SRC koperasi itu rencananya diekspor ke China dan Vietnam melalui Surabaya.\n\n"
    "Menurut ketua koperasi, harga rumput laut kering di tingkat pembudidaya saat ini berkisar Rp 18.000 per "
    "kilogram, naik dari Rp 12.000 dua tahun lalu. Kontrak pertama dengan pembeli sudah diteken untuk pengiriman 40 ton "
    "SRC pada Agustus mendatang, dan koperasi menargetkan pabrik berjalan penuh pada akhir tahun."
)


def test_the_word_a_question_asks_for_is_no_name() -> None:
    """Found in a held-out news set: "SRC dari sumba timur mau diekspor ke negara mana" was refused: "negara" (the
    collection writes "Negara" in names) after "ke" read as a name that the article contradicted with "China"."""
    question = "SRC dari sumba timur mau diekspor ke negara mana"
    slots = question_name_slots(question, "id", lambda word: True)
    assert [s.name for s in slots] == ["sumba"]
    assert contradiction(slots, SUMBA, "id") is None


def test_a_short_form_of_the_articles_words_is_no_other_name() -> None:
    """Found in news_qa16: "Siapa Kepala Kanwil Kementerian Haji dan Umrah Jawa Tengah?" was refused: the article
    writes "Kepala Kantor Wilayah …", and "Kantor" after "Kepala" passed for another name than "Kanwil". The first
    letters of two to four of the article's words in a row are its short form ("Pemprov" for "Pemerintah
    Provinsi"); a name nowhere in the article still is another's."""
    article = SURABAYA.replace("Wali Kota Surabaya, Bagus", "Kepala Kantor Wilayah Surabaya, Bagus")
    assert contradiction(question_name_slots("Siapa Kepala Kanwil Surabaya?", "id"), article, "id") is None
    assert contradiction(question_name_slots("Siapa Kepala Kanbud Surabaya?", "id"), article, "id") == (
        "kanbud", "Kantor"
    )
