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
        ("Berapa mahasiswa penerima beasiswa tahun 2025?", "id", SURABAYA, None),  # no "tahun <year>" to contradict
        ("Siapa Wali Kota Surabaya?", "id", SURABAYA, None),  # the article has the name
        ("Siapa Wali Kota Surabya?", "id", SURABAYA, None),  # a typo of a name the article has
        ("What rate did the Bank of Canada set on Wednesday?", "en", CANADA, None),
        ("Berapa anggaran Pemkab Sumenep?", "id", SURABAYA, None),  # "anggaran Rp 215 miliar": a label, no name
        ("Kapan pendaftaran beasiswa Surabaya dan Malang dibuka?", "id", SURABAYA, None),  # after "dan": a list
        # chat questions are lowercase: a word unknown to the dictionary after "kota"/"di"/… is a place
        ("siapa wali kota batam", "id", SURABAYA, ("batam", "Surabaya")),
        ("siapa wali kota surabaya", "id", SURABAYA, None),
        ("berapa mahasiswa yg dapat beasiswa kota baru", "id", SURABAYA, None),  # "baru" is a word, not a name
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
