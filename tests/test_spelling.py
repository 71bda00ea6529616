"""Misspelt question words (retrieval/spelling.py)."""

from __future__ import annotations

from retrieval.spelling import corrections, has_short_form, written_out
from retrieval.text import analyze

KNOWN = {t: 1.0 for t in analyze("people killed earthquake injured struck homes", "en")}


def idf(term: str) -> float:
    return KNOWN.get(term, 0.0)


def test_a_word_one_slip_away_from_a_known_word_is_read_as_it() -> None:
    """Found in review: "how many peple were kiled in the earthquak?" was refused ("earthquak" stems as the word)."""
    killed = analyze("killed", "en")[0]  # "kill", read as "die" (retrieval.same_meaning)
    assert corrections("how many peple were kiled in the earthquak?", "en", idf, 10) == {"pepl": "peopl", "kile": killed}


def test_names_short_words_and_known_words_are_left_alone() -> None:
    assert corrections("Who is Sharapva?", "en", idf, 10) == {}  # capitalised: a name, maybe absent
    assert corrections("when did the quake hit?", "en", idf, 10) == {}  # no known word one slip away
    assert corrections("how many people were killed?", "en", idf, 10) == {}


def test_only_common_words_are_corrections_in_a_large_collection() -> None:
    rare = {t: 9.0 for t in KNOWN}  # every known word seen in a handful of a million passages
    assert corrections("how many peple were kiled?", "en", lambda t: rare.get(t, 0.0), 1_000_000) == {}


def test_a_short_form_no_article_has_is_written_out() -> None:
    """Found in the news sets: "siapa kalak bpbd kab sukabumi" and "… mantan Kadinkes Kabupaten Kupang?" were
    refused; the articles write "Kepala Pelaksana BPBD Kabupaten Sukabumi", "Kepala Dinas Kesehatan"."""
    known = {t: 1.0 for t in analyze("kepala pelaksana dinas kesehatan kabupaten sukabumi bpbd jogja penjabat bupati", "id")}
    idf = lambda t: known.get(t, 0.0)  # noqa: E731
    assert written_out("siapa kalak bpbd kab sukabumi", idf) == "siapa kepala pelaksana bpbd kabupaten sukabumi"
    assert written_out("Siapa Kadinkes Kupang?", idf) == "Siapa Kepala Dinas Kesehatan Kupang?"  # any case
    assert written_out("di mana Yogyakarta?", idf) == "di mana Jogja?"  # news writes either
    assert written_out("Siapa Pj Bupati Sukabumi?", idf) == "Siapa Penjabat Bupati Sukabumi?"  # an acting holder


def test_a_short_form_stays_when_the_articles_use_it_or_lack_its_long_form() -> None:
    known = {t: 1.0 for t in analyze("kab sukabumi kepala", "id")}
    idf = lambda t: known.get(t, 0.0)  # noqa: E731
    assert written_out("siapa bupati kab sukabumi", idf) == "siapa bupati kab sukabumi"  # "kab" is known
    assert written_out("siapa kalak bpbd", idf) == "siapa kalak bpbd"  # no "pelaksana" in any article
    assert not has_short_form("how many people were killed?")


def test_more_offices_and_trades_are_written_out() -> None:
    """Found in a held-out news set: "Siapa Dirjen Perikanan Tangkap KKP …?" was refused (the article writes
    "Direktur Jenderal …"), and "Jukir di Bandung …" met "juru parkir"."""
    known = {t: 1.0 for t in analyze("direktur jenderal perikanan kepala satuan reserse juru parkir bandung", "id")}
    idf = lambda t: known.get(t, 0.0)  # noqa: E731
    assert written_out("Siapa Dirjen Perikanan Tangkap?", idf) == "Siapa Direktur Jenderal Perikanan Tangkap?"
    assert written_out("siapa kasat reserse", idf) == "siapa kepala satuan reserse"
    assert written_out("jukir di bandung digaji berapa", idf) == "juru parkir di bandung digaji berapa"


def test_regulations_are_written_out() -> None:
    """"Permen LHK nomor berapa?" of an article that writes "Peraturan Menteri Lingkungan Hidup": the question's
    "Permen" would read as a name the article lacks (found when the consistency check grew stricter)."""
    known = {t: 1.0 for t in analyze("peraturan menteri presiden daerah lingkungan", "id")}
    idf = lambda t: known.get(t, 0.0)  # noqa: E731
    assert written_out("Permen LHK nomor berapa?", idf) == "Peraturan Menteri LHK nomor berapa?"
    assert written_out("perpres dan perda", idf) == "peraturan presiden dan peraturan daerah"


def test_a_chat_verb_of_an_indonesian_question_is_read_in_its_written_form() -> None:
    """Found in the news sets: "turis asing yg nonton pacu jalur brp" searched "nonton", which no article writes;
    chat drops the written prefix ("nerima" for "menerima") and writes "-in" for "-kan" ("disiapin")."""
    known = {
        t: 1.0
        for t in analyze("menonton menerima menunggu menyumbang mencetak memilih disiapkan dibagikan mengumpulkan", "id")
    }
    idf = lambda t: known.get(t, 0.0)  # noqa: E731
    assert written_out("turis asing yg nonton pacu jalur brp", idf) == "turis asing yg menonton pacu jalur brp"
    assert written_out("siapa yang nerima bantuan", idf) == "siapa yang menerima bantuan"
    assert written_out("brp lama nunggu kapal", idf) == "brp lama menunggu kapal"
    assert written_out("yg nyumbang siapa", idf) == "yg menyumbang siapa"
    assert written_out("nyetak brp eksemplar", idf) == "mencetak brp eksemplar"
    assert written_out("warga milih siapa", idf) == "warga memilih siapa"
    assert written_out("brp kursi yg disiapin", idf) == "brp kursi yg disiapkan"
    assert written_out("dibagiin ke siapa", idf) == "dibagikan ke siapa"
    assert written_out("siapa yg mengumpulin dana", idf) == "siapa yg mengumpulkan dana"  # "ngumpulin", half-written


def test_names_words_and_known_chat_forms_are_not_read_as_verbs() -> None:
    known = {t: 1.0 for t in analyze("memandang mandangin menonton nonton main tapi", "id")}
    idf = lambda t: known.get(t, 0.0)  # noqa: E731
    assert written_out("berapa warga pulau mandangin", idf) == "berapa warga pulau mandangin"  # the articles' name
    assert written_out("yg nonton brp", idf) == "yg nonton brp"  # the articles write the chat form itself
    assert written_out("napi yang kabur", idf) == "napi yang kabur"  # too short to tell ("tapi")
    assert written_out("kapan mulai main", idf) == "kapan mulai main"  # a root word
    assert written_out("Siapa Nerima?", idf) == "Siapa Nerima?"  # capitalised: a name
    assert written_out("how many minutes did the nation wait", idf) == "how many minutes did the nation wait"


def test_the_other_agencies_and_ministers_are_written_out() -> None:
    """Found in a held-out news set: "siapa kadispar diy" was refused; the article writes "Kepala Dinas Pariwisata
    DIY, Sri Wahyuningsih"."""
    known = {t: 1.0 for t in analyze("kepala dinas pariwisata kesehatan menteri pertanian diy", "id")}
    idf = lambda t: known.get(t, 0.0)  # noqa: E731
    assert written_out("siapa kadispar diy", idf) == "siapa kepala dinas pariwisata diy"
    assert written_out("kata dinkes diy", idf) == "kata dinas kesehatan diy"
    assert written_out("Mentan bilang apa?", idf) == "Menteri Pertanian bilang apa?"
