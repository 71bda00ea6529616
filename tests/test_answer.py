"""Unit tests for retrieval.answer on small hand-written texts (no index: idf comes from a dict)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.acronyms import acronym_search_text
from retrieval.answer import (
    DEFAULT_MIN_SCORE,
    MIN_PASSAGE_SHARE,
    PassageCandidate,
    candidate_features,
    expected_answer_type,
    extract_answers,
    looks_verbal,
    question_slots,
    rare_idf,
    span_candidates,
    topic_terms,
)
from retrieval.answer_types import AnswerType, typed_candidates
from retrieval.text import analyze_query

MUNICH = (
    "IDXChannel — OpenAI, pengembang bot obrolan (chatbot) berbasis kecerdasan buatan (AI) ChatGPT, hari ini "
    "mengumumkan pembukaan kantor pertamanya di Jerman. Kantor tersebut berlokasi di Kota Munich, Negara Bagian "
    "Bavaria. Perusahaan itu juga berencana merekrut lebih banyak karyawan tahun ini."
)
EN = (
    "The Eiffel Tower was designed by the engineer Gustave Eiffel and his company. "
    "It was completed on 31 March 1889 after two years of work. "
    "The tower is 330 metres tall and was the tallest structure in the world until 1930."
)
N_DOCS = 1000


def _idf_for(passages: list[str], lang: str):
    """A toy idf: every term of the passages is 'known' with a middling idf; anything else is unknown (0.0)."""
    known: set[str] = set()
    for p in passages:
        known.update(analyze_query(p, lang))
    return lambda term: 3.0 if term in known else 0.0


def _ask(question: str, texts: list[str], lang: str, n: int = 1, title: str | None = None):
    q_terms = analyze_query(question, lang)
    passages = [PassageCandidate(t, 10.0 - i, lang, title) for i, t in enumerate(texts)]
    return extract_answers(question, q_terms, passages, _idf_for(texts, lang), lang=lang, n=n, n_docs=N_DOCS)


def _shown(ex, texts):
    text = texts[ex.passage]
    short = text[ex.answer_start : ex.answer_end] if ex.answer_start is not None else None
    return text[ex.start : ex.end], short


def test_munich_pair_and_place_not_dateline() -> None:
    ex = _ask("Di kota mana kantor pertama OpenAI di Jerman?", [MUNICH], "id")[0]
    sentence, short = _shown(ex, [MUNICH])
    assert "Kantor tersebut berlokasi di Kota Munich, Negara Bagian Bavaria." in sentence
    assert short == "Munich"
    assert ex.score >= DEFAULT_MIN_SCORE


def test_date_question_english() -> None:
    ex = _ask("When was the Eiffel Tower completed?", [EN], "en")[0]
    sentence, short = _shown(ex, [EN])
    assert "31 March 1889" in sentence
    assert short is not None and "1889" in short


def test_number_question_english() -> None:
    ex = _ask("How tall is the Eiffel Tower in metres?", [EN], "en")[0]
    sentence, short = _shown(ex, [EN])
    assert "330 metres" in sentence
    assert short is not None and "330" in short


def test_who_question_english() -> None:
    ex = _ask("Who designed the Eiffel Tower?", [EN], "en")[0]
    sentence, short = _shown(ex, [EN])
    assert sentence.startswith("The Eiffel Tower was designed by")
    assert short == "Gustave Eiffel"


def test_unanswerable_question_is_refused() -> None:
    # "harga" and "emas" are unknown to the index: they weigh like the rarest terms, so coverage stays low.
    exs = _ask("Berapa harga emas hari ini?", [MUNICH], "id")
    assert not exs or exs[0].score < DEFAULT_MIN_SCORE


def test_short_answer_inside_sentence_and_offsets_slice_back() -> None:
    texts = [EN, MUNICH]
    for question, lang in (
        ("Who designed the Eiffel Tower?", "en"),
        ("When was the Eiffel Tower completed?", "en"),
        ("Di kota mana kantor pertama OpenAI di Jerman?", "id"),
    ):
        for ex in _ask(question, texts, lang, n=3):
            text = texts[ex.passage]
            assert 0 <= ex.start < ex.end <= len(text)
            assert text[ex.start : ex.end] == text[ex.start : ex.end].strip()
            if ex.answer_start is not None:
                assert ex.start <= ex.answer_start < ex.answer_end <= ex.end
            assert 0.0 <= ex.score <= 1.0


def test_unknown_terms_weigh_like_rarest() -> None:
    assert math.isclose(rare_idf(N_DOCS), math.log((N_DOCS - 0.5) / 1.5))
    # The idf callback may return None as well as 0.0 for an unknown term.
    q = "Di kota mana kantor pertama OpenAI di Jerman?"
    a = extract_answers(q, analyze_query(q, "id"), [PassageCandidate(MUNICH, 5.0, "id")],
                        lambda t: None, lang="id", n=1, n_docs=N_DOCS)
    assert a and 0.0 <= a[0].score <= 1.0


def test_empty_inputs() -> None:
    assert extract_answers("x?", [], [PassageCandidate(EN, 1.0, "en")], lambda t: 1.0) == []
    assert extract_answers("x?", ["x"], [], lambda t: 1.0) == []


def test_german_compound_parts_match_partially() -> None:
    """A question compound ("Ergänzungsschulen") matches its head ("Schulen") inside a sentence, and a question
    part ("Gericht") matches inside a sentence compound ("Bundesverfassungsgericht"), at extraction time."""
    de = (
        "Die Stadt liegt am Rhein und hat einen großen Hafen. "
        "Die Schulen in freier Trägerschaft wurden im Jahr 1950 anerkannt. "
        "Im Sommer kommen viele Touristen."
    )
    ex = _ask("Wann wurden die Ergänzungsschulen anerkannt?", [de], "de")[0]
    shown, _ = _shown(ex, [de])
    assert "1950" in shown and "Rhein" not in shown
    q_terms = analyze_query("Wann wurden die Ergänzungsschulen anerkannt?", "de")
    passages = [PassageCandidate(de, 10.0, "de")]
    known = _idf_for([de], "de")
    full = extract_answers("Wann wurden die Ergänzungsschulen anerkannt?", q_terms, passages, known, lang="de",
                           n=1, n_docs=N_DOCS)[0]
    assert full.coverage > 0.9  # "erganzungsschul" counts through "schulen"

    de2 = "Das Parlament tagt in Berlin. Das Bundesverfassungsgericht hat seinen Sitz in Karlsruhe."
    ex2 = _ask("In welcher Stadt hat das Gericht seinen Sitz?", [de2], "de")[0]
    assert "Karlsruhe" in _shown(ex2, [de2])[0]


def test_ranges_and_names_keep_their_whole_span() -> None:
    from retrieval.answer_types import AnswerType, typed_candidates

    text = "The theatre ran from 1870 to 1939 and drew 30 to 50 thousand people; it faced the Sea of Japan."
    dates = [text[s:e] for s, e in typed_candidates(text, 0, len(text), AnswerType.DATE, frozenset())]
    assert dates[0] == "1870 to 1939"
    numbers = [text[s:e] for s, e in typed_candidates(text, 0, len(text), AnswerType.NUMBER, frozenset())]
    assert "30 to 50 thousand" in numbers
    names = [text[s:e] for s, e in typed_candidates(text, 0, len(text), AnswerType.NAME, frozenset({"sea"}))]
    assert "Sea of Japan" in names and "of Japan" not in names


def test_acronym_in_the_question_matches_its_spelled_out_form() -> None:
    text = (
        "Members organised the Taskforce of United Methodists on Abortion and Sexuality (TUMAS) in 1987. "
        "The weather was mild that year and the meeting hall was full. "
        "Rev. Paul Stallsworth, president of the Taskforce of United Methodists on Abortion and Sexuality, spoke."
    )
    ex = _ask("Who is the president of TUMAS?", [text], "en")[0]
    sentence, short = _shown(ex, [text])
    assert sentence.startswith("Rev. Paul Stallsworth")
    assert short == "Paul Stallsworth" or short == "Rev. Paul Stallsworth"


def test_passages_far_below_the_best_are_not_read() -> None:
    """A passage retrieval scored under MIN_PASSAGE_SHARE of the best one is skipped, even if it would answer."""
    other = "The Eiffel Tower is in Paris and draws millions of visitors each year to the city."
    q = "When was the Eiffel Tower completed?"
    q_terms = analyze_query(q, "en")
    idf = _idf_for([other, EN], "en")

    def answered_from(second_score: float) -> set[int]:
        passages = [PassageCandidate(other, 10.0, "en"), PassageCandidate(EN, second_score, "en")]
        return {e.passage for e in extract_answers(q, q_terms, passages, idf, lang="en", n=5, n_docs=N_DOCS)}

    assert 1 in answered_from(10.0 * MIN_PASSAGE_SHARE + 0.5)
    assert answered_from(10.0 * MIN_PASSAGE_SHARE - 0.5) == {0}


MESSY_PASSAGE = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list("  \n\n..!?\"'’()-,/:6,5 3.14 23/5/2025 Dr. Munich Kantor berlokasi İß ﬁ é\u0301Σ")),
    ),
    max_size=300,
)


@settings(max_examples=300, deadline=None)
@given(MESSY_PASSAGE, st.sampled_from(["id", "en", "de", None]))
def test_passage_analysis_equals_sentence_by_sentence(text: str, lang: str | None) -> None:
    """The one-pass passage analysis (the fast path) gives exactly the per-sentence analysis."""
    from retrieval import answer as A
    from retrieval.sentences import split_sentences

    q_set = frozenset(analyze_query("Kantor berlokasi di Munich? Σ 3.14 ﬁsh", "id"))
    q_long = frozenset(t for t in q_set if len(t) >= A.PARTIAL_MIN_CHARS)
    spans = split_sentences(text)
    fast_cache: dict = {}
    fast = A._analyze_passage(text, spans, lang, q_set, q_long, fast_cache, {}, A._PartialIndex(q_long, fast_cache))
    ref_cache: dict = {}
    ref = [A._analyze_sentence(text, s, e, lang, q_set, q_long, ref_cache, {}, None) for s, e in spans]
    assert fast == ref


@settings(max_examples=200, deadline=None)
@given(MESSY_PASSAGE, MESSY_PASSAGE, st.sampled_from(["id", "en", "de", None]), st.sampled_from(["id", "en", "de"]))
def test_passages_of_two_languages_share_the_partial_cache(a: str, b: str, lang_a: str | None, lang_b: str) -> None:
    """Passages in two languages (a question without a language reads both with compound matching) share one
    question's cache of partial matches: the passage analysis keeps the word-by-word result there too."""
    from retrieval import answer as A
    from retrieval.sentences import split_sentences

    q_set = frozenset(analyze_query("Kantor berlokasi di Munich? Σ 3.14 ﬁsh schulen", "id"))
    q_long = frozenset(t for t in q_set if len(t) >= A.PARTIAL_MIN_CHARS)
    fast_cache: dict = {}
    index = A._PartialIndex(q_long, fast_cache)
    fast_records: dict = {}
    ref_cache: dict = {}
    ref_records: dict = {}
    for text, lang in ((a, lang_a), (b, lang_b), (a + " " + b, lang_b)):
        spans = split_sentences(text)
        fast = A._analyze_passage(
            text, spans, lang, q_set, q_long, fast_cache, fast_records.setdefault(lang, {}), index
        )
        recs = ref_records.setdefault(lang, {})
        ref = [A._analyze_sentence(text, s, e, lang, q_set, q_long, ref_cache, recs, None) for s, e in spans]
        assert fast == ref


@settings(max_examples=300, deadline=None)
@given(MESSY_PASSAGE, st.sampled_from(["id", "en", "de", "es", None]))
def test_word_analysis_equals_analyze(text: str, lang: str | None) -> None:
    """The per-word analysis the extractor caches (with its ASCII shortcut) is `analyze` of the word."""
    from retrieval import answer as A
    from retrieval.text import analyze, word_spans

    words = [text[a:b].casefold() for a, b in word_spans(text)] + ["Kantor", "x2", "2025", "anak-anak", "don't"]
    for w in words:
        assert A._word_terms(w, lang) == tuple(analyze(w, lang)), w


DATE_AND_NUMBER_TEXT = st.lists(
    st.sampled_from(
        ["6", "16", "2025", "٣", "²", "/", "3/5", " ", "  ", "\u00a0", "\n", ".", ",", "-", "–", "$", "US$", "Rp",
         "rp.", "€", "£", "%", "bn", "Mei", "MAR", "maret", "Juni", "märz", "MÄRZ", "ſept", "Dez", "de", "abad",
         "ABAD", "ke-", "x", "_", "é", "dua", "DUA", "Eins", "ein", "zwölf", "ZWÖLF", "Seis", "ſeis", "İki", "twenty",
         "hundred", "juta", "million", "s", "an", "er", "hingga", "to", "bis", "K", "ok", "okt", "Senin", "SENIN",
         "sábado", "SÁBADO", "ſunday", "minggu", "pagi", " dini hari", "por la tarde", "Montag", "abend"]
    ),
    max_size=16,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(DATE_AND_NUMBER_TEXT)
def test_date_and_number_searches_find_what_the_patterns_find(region: str) -> None:
    """`_dates`, `_numbers` and `_weekdays` try their patterns only where a match can open (a digit, a month, a
    number word, a weekday), and find exactly the matches of a search from every position."""
    from retrieval.answer_types import _DATE_RE, _NUMBER_RE, _WEEKDAY_RE, _dates, _numbers, _weekdays

    digits = any(c.isdigit() for c in region)
    assert [m.span() for m in _dates(region)] == ([m.span() for m in _DATE_RE.finditer(region)] if digits else [])
    assert [m.span() for m in _numbers(region)] == [m.span() for m in _NUMBER_RE.finditer(region)]
    assert _weekdays(region) == [m.span() for m in _WEEKDAY_RE.finditer(region)]


@settings(max_examples=300, deadline=None)
@given(MESSY_PASSAGE, st.text(alphabet=st.sampled_from(list("abé_1 .Σß")), max_size=4))
def test_whole_word_search_equals_the_regex(text: str, word: str) -> None:
    """`occurs_as_word` (no pattern compiled per word) finds exactly what the word-boundary regex finds."""
    import re

    from retrieval.answer_types import occurs_as_word

    for w in (word, *text.split()[:5]):
        assert occurs_as_word(text, w) == (re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text) is not None), w


def test_an_acronym_the_article_only_spells_out_still_matches() -> None:
    """ "Siapa CEO Kirimin?" against "Chief Executive Officer Kirimin, …": the question's acronym is matched by the
    capitalised words whose initials spell it, so the sentence covers the question and is not refused."""
    texts = [
        "Kirimin membuka gudang baru di Makassar pada Senin. "
        "Chief Executive Officer Kirimin, Raka Pradipta, mengatakan gudang itu melayani 40.000 paket per hari."
    ]
    ex = _ask("Siapa CEO Kirimin?", texts, "id")[0]
    sentence, short = _shown(ex, texts)
    assert sentence.startswith("Chief Executive Officer Kirimin")
    assert short == "Raka Pradipta"
    assert ex.score >= DEFAULT_MIN_SCORE


def test_a_name_candidate_never_starts_with_a_number() -> None:
    from retrieval.answer_types import AnswerType, typed_candidates

    text = "In 1943, a Supreme Court of the United States decision restored the prior patents."
    names = [text[a:b] for a, b in typed_candidates(text, 0, len(text), AnswerType.NAME, frozenset())]
    assert names == ["Supreme Court", "United States"]


QUESTION_TYPES = [
    # the question word that comes first decides
    ("What sea bordered the empire when he died?", "en", "NAME"),
    ("How much time remained when the pass was intercepted?", "en", "NUMBER"),
    ("What happens when the immune system is weak?", "en", "OTHER"),
    ("In what year did the war end?", "en", "DATE"),
    ("Was passiert, wenn es regnet?", "de", "OTHER"),
    ("Seberapa besar populasi kota itu?", "id", "NUMBER"),  # "seberapa": how much/many/far
    # a measure asked by its adjective (found on a held-out news set: "How tall is the Gull Ledge tower?" took
    # the lead's name over "The granite tower, built in 1857, is 42 feet tall.")
    ("How tall is the Gull Ledge tower?", "en", "NUMBER"),
    ("how high do the delivery drones fly", "en", "NUMBER"),
    ("How deep is the water at the buoy?", "en", "NUMBER"),
    ("Wie schwer war die Fliegerbombe?", "de", "NUMBER"),
    ("Wie weit ist das Dorf vom Bahnhof entfernt?", "de", "NUMBER"),
    ("¿Qué equipo ganó la final?", "es", "NAME"),
    ("Kapan kantor itu dibuka?", "id", "DATE"),
    # the day or the month asked is a date
    ("Hari apa pemilihan umum diadakan?", "id", "DATE"),
    ("Pada bulan apa penelitian itu diterbitkan?", "id", "DATE"),
    ("¿Qué día cierra el museo?", "es", "DATE"),
    ("What day is the museum closed?", "en", "DATE"),
    ("An welchem Tag hat der Kreistag den Haushalt beschlossen?", "de", "DATE"),
    # a quantity noun right after the question word asks for a number
    ("What was the final score of the game?", "en", "NUMBER"),
    ("What was Warsaw's population in 1901?", "en", "NUMBER"),
    ("What population did Warsaw have?", "en", "NUMBER"),
    ("¿Cuál es la población de Varsovia?", "es", "NUMBER"),
    ("Welche Einwohnerzahl hat Warschau?", "de", "NUMBER"),
    ("Apa skor akhir pertandingan itu?", "id", "NUMBER"),
    ("Which team had the highest score?", "en", "NAME"),
    ("What happens when the number of users grows?", "en", "OTHER"),
    # the asked noun: a place, a person, or any other name
    ("What river runs through Warsaw?", "en", "NAME"),
    ("What city hosted the final?", "en", "PLACE"),
    ("Kota apa yang menjadi tuan rumah final?", "id", "PLACE"),
    # Indonesian noun + "mana" is "which" + noun (found in the news sets: "Di stadion mana …" asked for nothing)
    ("Di stadion mana PSM menjamu Persija?", "id", "NAME"),
    ("Klub mana yang menang?", "id", "NAME"),
    ("Di provinsi mana gempa itu terjadi?", "id", "PLACE"),
    ("Dari mana asal pemain itu?", "id", "PLACE"),
    ("What chemist first liquefied oxygen?", "en", "PERSON"),
    ("Welcher Spieler erzielte das Tor?", "de", "PERSON"),
    ("What team won the game?", "en", "NAME"),
    # a company's or an economy's figure asked with a copula (found in the news sets: answered by a name)
    ("What was Marlowe & Pike's first-half pretax profit?", "en", "NUMBER"),
    ("What is the unemployment rate in Australia?", "en", "NUMBER"),
    ("What revenue figure had analysts forecast?", "en", "NUMBER"),
    ("What was the size of the restructuring charge?", "en", "NUMBER"),
    ("What was the reason for the loss?", "en", "OTHER"),
    ("What caused the losses at the bank?", "en", "NAME"),
    # no question word, a company's figure ("harlow foods q3 revenue?")
    ("harlow foods q3 revenue?", "en", "NUMBER"),
    ("harwood stores underlying pretax profit", "en", "NUMBER"),
    # the particle -kah on the question word (FacQA: 48 of 311 questions were read as asking for nothing)
    ("Berapakah jumlah harimau Sumatera yang tersisa?", "id", "NUMBER"),
    ("Kapankah Menteri Perdagangan mengunjungi India?", "id", "DATE"),
    ("Tanggal berapakah Sharapova lahir?", "id", "DATE"),
    ("Juara ke berapakah tim itu?", "id", "NUMBER"),
    ("Di negara manakah SEA Games X dilaksanakan?", "id", "PLACE"),
    ("Di kota apakah Universitas Padjadjaran berada?", "id", "PLACE"),
    ("Dari manakah Presiden memimpin rapat kabinet?", "id", "PLACE"),
    # "Wie heißt …?" asks for a name; "groß" is casefolded to "gross"
    ("Wie heißt der Fluss, der durch Warschau fließt?", "de", "NAME"),
    ("¿Cómo se llama el río que pasa por Varsovia?", "es", "NAME"),
    ("Wie groß ist die neue Bibliothek?", "de", "NUMBER"),
]


@pytest.mark.parametrize(("question", "lang", "expected"), QUESTION_TYPES)
def test_question_types(question: str, lang: str, expected: str) -> None:
    from retrieval.answer_types import AnswerType, expected_answer_type

    assert expected_answer_type(question, lang) is AnswerType[expected]


SHORT_ANSWERS = [
    # (passage, question, language, the short answer)
    ("In 1943, a Supreme Court decision restored the prior patents of Tesla, Oliver Lodge, and John Stone.",
     "When were Tesla's patents restored?", "en", "1943"),  # the date, not a name beside it
    ("Newcastle replaced him in January 1756 with Lord Loudoun as the new commander.",
     "Who replaced Newcastle's man in 1756?", "en", "Lord Loudoun"),  # no "January 1756" for a person
    ("Despite Manning's problems with interceptions, he didn't throw any in the two playoff games.",
     "Who did not throw any interceptions in the playoff games?", "en", "Manning"),  # no sentence opener
    ("The city of Bandung approved a budget of 9 trillion rupiah for road repairs on Monday.",
     "How much did Bandung approve for road repairs?", "en", "9 trillion rupiah"),  # scale word, currency
    ("Liquid oxygen was first studied in the 1880s. In 1891 Scottish chemist James Dewar was able to produce "
     "enough liquid oxygen to study. It is pale blue.",
     "What chemist managed to make enough liquid oxygen to use for study?", "en", "James Dewar"),  # not "1891 Scottish"
    ("The Broncos won the divisional round game against the Pittsburgh Steelers, 23–16.",
     "What was the final score of the game against the Steelers?", "en", "23–16"),  # a number, not a team
    ("“Kami sangat antusias membuka kantor pertama di Jerman, tepatnya di Munich,” ujar OpenAI dalam pernyataan "
     "resminya, Jumat (23/5/2025).",
     "Siapa yang mengatakan sangat antusias membuka kantor di Jerman?", "id", "OpenAI"),  # not "di Munich", "Jumat"
    ("Peyton Manning became the first quarterback ever to lead two different teams to multiple Super Bowls.",
     "Who was the first quarterback to take two teams to more than one Super Bowl?", "en",
     "Peyton Manning"),  # not "Bowls": the question's own word in another form answers nothing
    ("Oxygen presents two spectrophotometric absorption bands peaking at the wavelengths 687 and 760 nm.",
     "At what wavelength do the spectrophotometric bands peak?", "en", "687 and 760 nm"),  # what-noun: not a name
    ("Oxygen gas is poisonous to the anaerobic bacteria that cause gas gangrene. Decompression sickness occurs in "
     "divers who decompress too quickly.",
     "To what pathogen that causes gas gangrene is oxygen poisonous?", "en", "anaerobic bacteria"),
    ("Pelabuhan Tanjung Intan Cilacap melayani kapal tanker milik Pertamina setiap hari.",
     "Apakah nama pelabuhan di Cilacap?", "id", "Tanjung Intan"),  # not the question's "Cilacap" too (q_inside)
    ("Banjir yang melanda Semarang sejak Kamis (20/3/2025) sore merendam rumah warga setinggi 80 sentimeter.",
     "Berapa tinggi banjir yang merendam rumah warga di Semarang?", "id", "80 sentimeter"),  # not the date's day
    ("The hospital opened the centre on Friday, 16 May 2025; the building cost £12 million to build.",
     "How much did the building cost?", "en", "£12 million"),  # not "16" of the date; the sign stays
    ("Storm Brenna brought heavy rain to Cork, flooding the city centre on Wednesday, 12 February.",
     "Which city was flooded by Storm Brenna?", "en", "Cork"),  # a weekday is no place
    ("Menurut Balai Wilayah Sungai, banjir disebabkan sedimentasi di bantaran sungai.",
     "Siapa yang menyebut penyebab banjir?", "id", "Balai Wilayah Sungai"),  # "Menurut" (according to) opens it
    ("SEVILLA — El recorte fue anunciado por el presidente del organismo, Joaquín Páez.",
     "¿Quién anunció el recorte?", "es", "Joaquín Páez"),  # the dateline is a place, not a person
    # The unit written after the number belongs to the answer, unless the question says it.
    ("Inflasi tahunan Kanada melambat menjadi 2,2% pada Oktober, kata badan statistik.",
     "Berapa inflasi Kanada pada Oktober?", "id", "2,2%"),
    ("Pemerintah menetapkan masa tanggap darurat selama 14 hari sejak Senin (12/10/2026).",
     "Berapa lama masa tanggap darurat?", "id", "14 hari"),
    ("Pemerintah menetapkan masa tanggap darurat selama 14 hari sejak Senin (12/10/2026).",
     "Berapa hari masa tanggap darurat?", "id", "14"),
    ("Pasangan ganda putra itu membawa pulang hadiah 66.500 dollar AS dari Odense.",
     "Berapa hadiah yang dibawa pulang pasangan ganda putra itu?", "id", "66.500 dollar AS"),
    ("Manning was 39 years old when he played in Super Bowl 50 for the Broncos.",
     "How old was Manning when he played in Super Bowl 50?", "en", "39"),
    # ... while Indonesian news answers an age with its unit (as FacQA's answers write it).
    ("Seorang anak berusia 9 tahun terseret arus saat bermain di dekat saluran air di Kelurahan Muktiharjo Kidul.",
     "Berapa usia anak yang terseret arus di Muktiharjo Kidul?", "id", "9 tahun"),
    ("Tickets for the final cost A$95 each, the organisers said on Tuesday.",
     "How much does a ticket for the final cost?", "en", "A$95"),
    # A why-question is answered by the clause a reason word opens, not by a name or number beside it.
    ("Banjir merendam 300 rumah di Kecamatan Baleendah karena hujan deras sejak Minggu malam, kata petugas BPBD.",
     "Mengapa rumah warga di Baleendah terendam?", "id", "hujan deras sejak Minggu malam"),
    ("The club was relegated in 2013 because of its disastrous financial situation, the league said on Monday.",
     "Why was the club relegated in 2013?", "en", "its disastrous financial situation"),
    # An acronym the question's own name spells is that name again, not its answer.
    ("Keputusan Bank Indonesia (BI) diumumkan oleh Gubernur BI Haryo Kuncoro, Rabu (4/11/2026).",
     "Siapa Gubernur Bank Indonesia?", "id", "Haryo Kuncoro"),
    # "persen" is the number's "%", kept although the question says it (FacQA's answers keep it).
    ("Cakupan imunisasi polio di Jawa Barat mencapai 94,8 persen dari target, kata kepala dinas.",
     "Berapa persen cakupan imunisasi polio di Jawa Barat?", "id", "94,8 persen"),
    # A name made an adjective is nobody ("Jakarta-based").
    ("Jakarta-based startup Volta Motors raised $40 million in a round led by Sequoia Capital on Thursday.",
     "Who started Volta Motors?", "en", "Sequoia Capital"),
    # A weekday answers "when" where nothing more exact is written; a date beside it is the answer.
    ("YOGYAKARTA — Mount Merapi erupted on Sunday afternoon, sending ash 3 kilometres into the sky.",
     "When did Mount Merapi erupt?", "en", "Sunday afternoon"),
    ("Gunung Lokon meletus pada Senin (12/10/2026) pukul 05.00, kata petugas pos pengamatan.",
     "Kapan Gunung Lokon meletus?", "id", "12/10/2026"),
    # A day and month written "(22/8)" is a date (FacQA's answers to "Kapan …?" are mostly such).
    ("Moskwa, Senin - Sharapova resmi menyandang gelar petenis nomor satu dunia, Senin (22/8), kata WTA.",
     "Kapan Sharapova resmi menyandang gelar petenis nomor satu dunia?", "id", "22/8"),
    # A year named as one is a date, however old: "tahun 971", not the century of the next sentence.
    ("Universitas pertama di dunia didirikan pada tahun 971 di Kairo, Mesir. Sebaliknya Eropa masih berada "
     "dalam Zaman Kegelapan yang dimulai saat Kekaisaran Romawi runtuh pada abad ke-5.",
     "Kapan universitas pertama di dunia didirikan di Kairo?", "id", "971"),
]


@pytest.mark.parametrize(("text", "question", "lang", "expected"), SHORT_ANSWERS)
def test_short_answers(text: str, question: str, lang: str, expected: str) -> None:
    ex = _ask(question, [text], lang)[0]
    assert _shown(ex, [text])[1] == expected


BRIDGE = [  # two passages of one article, as the engine chunks them (first line: the headline)
    "The Long River Bridge\nThe Long River Bridge was opened in 1932 after six years of construction.",
    "The bridge was designed by the engineer Margaret Holloway, who also planned the city's tram network.",
]


def _ask_titled(question: str, title: str | None) -> tuple[str, str | None]:
    q_terms = analyze_query(question, "en")
    passages = [PassageCandidate(t, score, "en", title) for t, score in zip(BRIDGE, (4.5, 2.6), strict=True)]
    ex = extract_answers(question, q_terms, passages, _idf_for(BRIDGE, "en"), lang="en", n=1, n_docs=N_DOCS)[0]
    return _shown(ex, BRIDGE)


def test_the_title_says_which_article_the_other_words_which_sentence() -> None:
    """With the article's title known, its words stop pulling the answer towards the headline and the sentences
    that merely repeat it; a title cut from the text ("…") is not a title and changes nothing."""
    question = "Who designed the Long River Bridge?"
    sentence, short = _ask_titled(question, "The Long River Bridge")
    assert sentence.startswith("The bridge was designed") and short == "Margaret Holloway"
    assert _ask_titled(question, None) == _ask_titled(question, "The Long River Bridge The Long River Bridge was…")
    assert not _ask_titled(question, None)[0].startswith("The bridge was designed")


def test_topic_terms() -> None:
    q_set = frozenset(analyze_query("Who designed the Long River Bridge?", "en"))
    assert topic_terms("The Long River Bridge", q_set, "en") == frozenset(analyze_query("long river bridge", "en"))
    assert topic_terms("Ten words of the first line cut as a title…", q_set, "en") == frozenset()
    assert topic_terms(None, q_set, "en") == frozenset()


def test_a_question_made_of_title_words_is_judged_on_all_of_them() -> None:
    """When every question term is in the title there is nothing else to focus on: focus is the coverage."""
    question = "Where is the Long River Bridge?"
    q_terms = analyze_query(question, "en")
    title = "The Long River Bridge"
    passages = [PassageCandidate(t, score, "en", title) for t, score in zip(BRIDGE, (4.5, 2.6), strict=True)]
    cands = candidate_features(question, q_terms, passages, _idf_for(BRIDGE, "en"), lang="en", n_docs=N_DOCS)
    assert cands and all(ex.features["focus"] == ex.features["cov"] for ex, _, _ in cands)


def test_a_typed_question_whose_best_sentence_lacks_the_type_says_so_to_the_refusal_model() -> None:
    """'type_miss' (a refusal feature): a when-question answered by a sentence without any date."""
    dated = _ask("When was the Eiffel Tower completed?", [EN], "en")[0]
    assert dated.features["type_miss"] == 0.0
    undated = _ask("When was the Eiffel Tower designed?", ["The Eiffel Tower was designed by Gustave Eiffel."], "en")[0]
    assert undated.features["type_miss"] == 1.0
    untyped = _ask("Why was the Eiffel Tower designed?", ["The Eiffel Tower was designed by Gustave Eiffel."], "en")[0]
    assert untyped.features["type_miss"] == 0.0  # "why" asks for no type: nothing can be missing


@pytest.mark.parametrize(
    ("question", "lang", "slots"),
    [
        ("Which river flows through Vienna?", "en", ("flow", None)),  # the asked noun "river" is skipped
        ("Governor Anies Baswedan met whom at the palace?", "en", ("palac", "meet")),  # "met" is "meet"
        ("Siapa yang mendirikan perusahaan itu?", "id", ("diri", None)),  # "yang" is a stop word
        ("Kanzler Scholz unterzeichnete den Vertrag mit wem?", "de", (None, "vertrag")),
        ("Tell me about the bridge.", "en", (None, None)),  # no question word
    ],
)
def test_question_slots(question: str, lang: str, slots: tuple[str | None, str | None]) -> None:
    assert question_slots(question, lang) == slots


def test_span_next_to_the_words_beside_the_question_word() -> None:
    """The span features mark a candidate that stands where the question word stands: right after the term
    before it ("met … whom"), or right before the term after it ("which river … flows")."""
    text = "In Jakarta, Governor Anies Baswedan met President Joko Widodo at the palace on Monday."
    question = "Governor Anies Baswedan met whom at the palace?"
    q_terms = analyze_query(question, "en")
    passages = [PassageCandidate(text, 5.0, "en", None)]
    ex, window, _ = candidate_features(question, q_terms, passages, _idf_for([text], "en"), lang="en", n_docs=N_DOCS)[0]
    spans = span_candidates(
        text, ex, window, expected_answer_type(question, "en"), frozenset(), None, None,
        question_slots(question, "en"),
    )
    marked = {text[s:e] for (s, e), f in spans if f["slot_before"]}
    assert "President Joko Widodo" in marked and "Jakarta" not in marked


def test_an_unknown_german_verb_form_weighs_less_in_german_passages_only() -> None:
    """German capitalises nouns: an unknown lowercase word ("geplant" against "vorgesehen") is a verb form, not
    the question's topic, so it no longer sinks a German passage's score below the refusal threshold; against a
    passage in another language it still weighs as the rarest term (a German question on English articles)."""
    text = ("Der Verein wurde nach der Saison 2014 gesperrt. Die Rückkehr der Mannschaft in die Liga ist ab 2018 "
            "vorgesehen, teilte der Verband mit. Das Stadion bleibt bis dahin leer.")
    question = "Für welches Jahr ist die Rückkehr der gesperrten Mannschaft geplant?"
    q_terms = analyze_query(question, "de")
    known = set(analyze_query(text, "de"))
    assert "geplant" in q_terms and "geplant" not in known

    def score(passage_lang: str) -> float:
        idf = lambda t: 3.0 if t in known else 0.0  # noqa: E731
        ex = extract_answers(question, q_terms, [PassageCandidate(text, 10.0, passage_lang)], idf, lang="de",
                             n=1, n_docs=1000)
        return ex[0].score

    assert score("de") >= DEFAULT_MIN_SCORE > score("en")



GRAIN = (
    "Bupati Indramayu mengatakan akan menyalurkan 40 unit mesin pengering gabah kepada petani di Indramayu. "
    "Mesin itu tiba bulan depan. Saat ini gabah kering dibeli tengkulak seharga Rp 6.200 per kilogram."
)
STADIUM = (
    "Elland Road in Leeds has 40 turnstiles and holds 37,000 fans. It was rebuilt in 1994 after a fire. "
    "A ticket for a league match now costs 45 pounds."
)


@pytest.mark.parametrize(
    ("question", "text", "lang", "short"),
    [
        ("Harga gabah di petani Indramayu sekarang berapa?", GRAIN, "id", "Rp 6.200"),
        ("How much does a ticket at Elland Road cost?", STADIUM, "en", "45 pounds"),
    ],
)
def test_a_money_question_is_answered_by_an_amount_of_money(question, text, lang, short) -> None:
    """Found on hand-written news: a how-much question about a price or a fee was answered by another number of
    the sentence with the most question words ("40 unit" machines, "40" turnstiles)."""
    ex = _ask(question, [text], lang)[0]
    sentence, got = _shown(ex, [text])
    assert short in sentence and got is not None and got.startswith(short)


def test_a_count_question_about_payment_is_not_a_money_question() -> None:
    """ "How many …" counts things even when it mentions paying."""
    text = "Some 7,500 fans paid to watch the final in Leeds. Tickets cost 40 pounds each."
    ex = _ask("How many fans paid to watch the final?", [text], "en")[0]
    assert _shown(ex, [text])[1] == "7,500"


@pytest.mark.parametrize(
    ("question", "text", "lang", "short"),
    [
        (
            "Siapa yang meresmikan tol Padang–Sicincin?",
            "PADANG, KOMPAS.com — Tol Padang–Sicincin sepanjang 36,6 kilometer diresmikan pada Kamis (5/11/2026) di "
            "Gerbang Tol Kasang oleh Andri Saputra.",
            "id",
            "Andri Saputra",
        ),
        (
            "Which club signed Emeka Okafor?",
            "LONDON, Aug 27 (Reuters) - Emeka Okafor has signed for Aston Villa from Feyenoord on a five-year deal.",
            "en",
            "Aston Villa",
        ),
        (  # the Spanish agencies' ".-" after the dateline (found in the news sets: "EFE" for who runs a museum)
            "¿Quién dirige el museo de Valencia?",
            "Valencia (EFE).- El museo de Valencia reabrió este martes su ala norte tras tres años de obras.",
            "es",
            None,
        ),
    ],
)
def test_a_dateline_answers_no_who_or_which_question(question, text, lang, short) -> None:
    """Found on hand-written news: "Siapa operator KMP …?" was answered "TEMPO.CO", the agency of the dateline
    "TEMPO.CO, Mataram - …"."""
    ex = _ask(question, [text], lang)[0]
    assert _shown(ex, [text])[1] == short


def test_how_long_something_lasts_reads_the_verb() -> None:
    """"berlangsung" says how long, not only that it happened: it stays a question word's anchor (the news sets:
    "Berapa lama program imunisasi kejar berlangsung?" was answered with the children's ages)."""
    texts = [
        "Dinas Kesehatan memulai imunisasi kejar campak pada Senin (15/7/2024). Program yang berlangsung selama empat "
        "pekan hingga 9 Agustus 2024 ini menyasar 1,41 juta anak berusia 9 bulan hingga 15 tahun di 17 kabupaten."
    ]
    ex = _ask("Berapa lama program imunisasi kejar berlangsung?", texts, "id")[0]
    assert _shown(ex, texts)[1] == "empat pekan"


def test_a_place_is_no_person() -> None:
    """A name that opens with a place word, or that the text writes after "di"/"Provinsi"/…, answers no
    who-question (found in the news sets: "siapa kadis pupr kalsel" -> "Kalimantan Selatan")."""
    from retrieval.answer_types import AnswerType, typed_candidates

    text = (
        "Proyek itu dikerjakan di Kalimantan Selatan. Kepala Dinas PUPR Kalimantan Selatan, Ahmad Rizal, meninjau "
        "lokasi di Desa Sukamaju, Kecamatan Cibungbulang. Wali Kota Eri Cahyadi hadir di Surabaya. Eri Cahyadi "
        "mengatakan taman itu dibuka pekan depan."
    )
    people = [text[a:b] for a, b in typed_candidates(text, 0, len(text), AnswerType.PERSON, frozenset())]
    assert "Ahmad Rizal" in people and "Eri Cahyadi" in people  # "Wali Kota Eri Cahyadi" is a mayor
    assert not {"Kalimantan Selatan", "Kecamatan Cibungbulang", "Desa Sukamaju", "Surabaya"} & set(people)


def test_a_scale_word_is_a_whole_word() -> None:
    """ "186 milimeter" was cut to "186 mil" (Spanish "mil", thousand, matched the start of the unit)."""
    from retrieval.answer_types import AnswerType, typed_candidates

    text = "Curah hujan mencapai 186 milimeter, dan 5 mil pohon tumbang."
    found = [text[s:e] for s, e in typed_candidates(text, 0, len(text), AnswerType.NUMBER, frozenset())]
    assert "186" in found and "186 mil" not in found and "5 mil" in found


def test_a_who_question_prefers_the_sentence_naming_the_role() -> None:
    """Found on hand-written news: "Siapa wasit …?" was answered from the lead, which has the match's every word
    but no referee; the sentence with "wasit Agus Fauzan" names the holder of the asked role."""
    text = (
        "SURABAYA, KOMPAS.com — Persebaya Surabaya mengalahkan Arema FC 3-1 pada pekan ke-25 di Stadion "
        "Gelora Bung Tomo, Minggu (8/3/2026). Gol pembuka dicetak pada menit ke-12. "
        "Wasit Agus Fauzan mengeluarkan dua kartu merah dalam laga itu."
    )
    ex = _ask("Siapa wasit laga Persebaya melawan Arema FC?", [text], "id")[0]
    sentence, short = _shown(ex, [text])
    assert sentence.startswith("Wasit Agus Fauzan") and short == "Agus Fauzan"


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("Who is South Australia's water minister?", "minister"),
        ("who is the company's ceo", "ceo"),
        ("Who was Tesla's first employer in the US?", "employer"),
        ("who is the boss of sa water", "boss"),
        ("Who is the director general of Sri Lanka's Disaster Management Centre?", "director"),
    ],
)
def test_the_role_of_a_who_question_follows_a_possessor(question: str, role: str) -> None:
    """Found in news_qa16: "Who is South Australia's water minister?" asked for a "south", so the lead ("… on
    South Australia's Eyre Peninsula …") counted as naming the role."""
    from retrieval.answer_types import person_role

    assert person_role(question) == role


QUAKE = (
    "Gempa bermagnitudo 5,6 mengguncang Kabupaten Cianjur pada Senin (21/11/2022) pukul 13.21 WIB. "
    "Dexlite kini dijual Rp 13.150 per liter di Cianjur."
)


@pytest.mark.parametrize(
    ("question", "short"),
    [
        ("jam berapa gempa cianjur terjadi?", "13.21"),  # the hour, not a number of hours ("5,6")
        ("pukul berapa gempa Cianjur?", "13.21"),
        ("harga dexlite?", "Rp 13.150"),  # no question word: a quantity noun first asks for a number
    ],
)
def test_found_in_an_indonesian_users_review(question: str, short: str) -> None:
    ex = _ask(question, [QUAKE], "id")[0]
    assert _shown(ex, [QUAKE])[1] == short


def test_no_part_of_a_link_is_an_answer() -> None:
    """A post saved with its link: "kapan tarif tol cisumdawu naik?" was answered "2025" from the URL."""
    text = "Tarif Tol Cisumdawu Naik https://www.kompas.com/read/2025/03/10/tarif-tol-cisumdawu-naik"
    ex = _ask("kapan tarif tol cisumdawu naik?", [text], "id")
    assert not ex or ex[0].answer_start is None


def test_a_change_answers_with_its_new_value_unless_the_old_one_is_asked() -> None:
    """Found in an Indonesian user's review: "berapa harga pertamax sekarang?" was answered with the old price of
    "turun dari Rp 12.900 menjadi Rp 12.500"."""
    text = "Harga Pertamax turun dari Rp 12.900 menjadi Rp 12.500 per liter mulai Sabtu (1/2/2025)."
    now = _ask("berapa harga pertamax sekarang?", [text], "id")[0]
    assert _shown(now, [text])[1] == "Rp 12.500"
    before = _ask("berapa harga pertamax sebelumnya?", [text], "id")[0]
    assert _shown(before, [text])[1] == "Rp 12.900"


@pytest.mark.parametrize(
    ("question", "text", "lang", "short"),
    [
        (
            "peringkat berapa indonesia di grup C?",
            "Dengan hasil itu Indonesia mengoleksi enam poin dan berada di peringkat ketiga Grup C.",
            "id",
            "ketiga",
        ),
        (
            "What place did Bekele finish in?",
            "Kipchoge won in 2:01:09 after 42 kilometres, while Bekele finished in third place.",
            "en",
            "third",
        ),
    ],
)
def test_a_rank_question_is_answered_by_an_ordinal(question, text, lang, short) -> None:
    """Found in an Indonesian user's review: "peringkat berapa …?" was answered "enam" (the points)."""
    ex = _ask(question, [text], lang)[0]
    assert _shown(ex, [text])[1] == short


def test_a_definition_question_is_answered_by_what_the_text_says_it_is() -> None:
    """Found in an Indonesian user's review: "apa itu API?" was answered from a sentence that only mentions APIs."""
    text = (
        "Selain itu, Jerman juga memiliki komunitas pengembang API yang besar dan aktif. "
        "API sendiri adalah antarmuka pemrograman aplikasi yang memungkinkan perangkat lunak saling bertukar data."
    )
    for question in ("apa itu API?", "Apa yang dimaksud dengan API?"):
        sentence, short = _shown(_ask(question, [text], "id")[0], [text])
        assert sentence.startswith("API sendiri adalah") and short.startswith("antarmuka pemrograman aplikasi")


ACRONYM_TEXTS = [
    "Harga tepung terigu akan naik dua persen, kata Direktur Eksekutif Asosiasi Produsen Tepung Terigu Indonesia "
    "(Aptindo) Ratna Sari Loppies di Jakarta, Kamis.",
    "Kinerja ekspor Aptindo tahun ini dinilai panjang dan berliku oleh para anggotanya.",
]


@pytest.mark.parametrize(
    ("question", "lang"),
    [("Apakah kepanjangan dari Aptindo?", "id"), ("aptindo itu singkatan dari apa", "id"),
     ("What does Aptindo stand for?", "en")],
)
def test_an_acronym_question_is_answered_by_the_long_form(question: str, lang: str) -> None:
    """FacQA asks "Apakah kepanjangan dari X?" about one question in a hundred: the extractor answered with a
    sentence about lengths ("kepanjangan" is "panjang") or a name beside the acronym."""
    texts = ACRONYM_TEXTS[::-1]  # the passage that only uses the acronym first
    q_terms = analyze_query(acronym_search_text(question), lang)  # as the engine searches
    passages = [PassageCandidate(t, 10.0 - i, lang) for i, t in enumerate(texts)]
    ex = extract_answers(question, q_terms, passages, _idf_for(texts, lang), lang=lang, n=1, n_docs=N_DOCS)[0]
    sentence, short = _shown(ex, texts)
    assert short == "Asosiasi Produsen Tepung Terigu Indonesia" and "Ratna Sari" in sentence


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("Mount Merapi erupted on Sunday afternoon, sending ash 3 kilometres into the sky.", ["Sunday afternoon"]),
        ("Sharapova resmi menjadi petenis nomor satu dunia, Senin (22/8), dan Rabu (8/ 9).", ["22/8", "8/ 9"]),
        ("Gunung Lokon meletus pada Senin (12/10/2026) pukul 05.00.", ["12/10/2026"]),
    ],
)
def test_date_candidates(text: str, dates: list[str]) -> None:
    """Found in review: a weekday was no date ("When did Mount Merapi erupt?" got "sending ash 3 kilometres", and
    "… on Monday afternoon" was refused as having no date); nor was FacQA's "(22/8)". A weekday counts only
    where no more exact date is written."""
    spans = typed_candidates(text, 0, len(text), AnswerType.DATE, frozenset())
    assert [text[a:b] for a, b in spans] == dates


@pytest.mark.parametrize(
    ("word", "lang", "verbal"),
    [
        ("partnered", "en", True), ("led", "en", True), ("red", "en", False), ("partner", "en", False),
        ("mengatakan", "id", True), ("dibangun", "id", True), ("berlokasi", "id", True),
        ("direktur", "id", False), ("menteri", "id", False), ("pasar", "id", False), ("partnered", "de", False),
    ],
)
def test_looks_verbal(word: str, lang: str, verbal: bool) -> None:
    assert looks_verbal(word, tuple(analyze_query(word, lang)) or (word,), lang) is verbal


def test_short_answer_is_a_noun_phrase_not_a_piece_of_the_clause() -> None:
    """An untyped answer ends before a verb form: "electrical arc light systems", not "… systems designed"."""
    texts = ["In 1886 the company installed electrical arc light systems designed by Tesla in the town of Rahway."]
    assert _shown(_ask("What did the company install?", texts, "en")[0], texts)[1] == "electrical arc light systems"


@pytest.mark.parametrize(
    ("question", "text", "lang", "expected"),
    [
        ("kapan festival jazz prambanan digelar?",
         "Festival Jazz Prambanan 2026 akan digelar pada 6-8 November 2026 di kompleks Candi Prambanan, Sleman.",
         "id", "6-8 November 2026"),
        ("When does the festival run?", "The festival runs from 6 to 8 November 2026 in Sleman.", "en",
         "6 to 8 November 2026"),
        ("When does the festival run?", "The festival runs on November 6-8, 2026 in Sleman.", "en",
         "November 6-8, 2026"),
    ],
)
def test_a_range_of_days_is_one_date(question: str, text: str, lang: str, expected: str) -> None:
    """Found in an Indonesian user's review: "pada 6-8 November 2026" was answered "8 November 2026"."""
    assert _shown(_ask(question, [text], lang)[0], [text])[1] == expected


BERAS = (
    "Jakarta (ANTARA) - Harga beras medium di Pasar Induk Beras Cipinang, Jakarta Timur, naik dari Rp 13.200 "
    "menjadi Rp 13.800 per kilogram pada Kamis (15/10/2026). Kenaikan terjadi karena pasokan dari sentra produksi "
    "di Jawa Tengah berkurang akibat musim kemarau."
)
KOSAMBI = (
    "Api baru berhasil dipadamkan sekitar pukul 07.00 WIB.\n\n"
    "Dugaan sementara, kebakaran dipicu korsleting listrik. Polisi masih menyelidiki penyebab pasti kebakaran."
)


def test_a_why_question_is_answered_by_the_sentence_that_gives_the_reason() -> None:
    """Found in an Indonesian user's review: "Mengapa harga beras naik?" got the price sentence with "Rp 13"
    (a piece of "Rp 13.200") in bold, "Apa penyebab kebakaran …?" the sentence that says the cause is unknown."""
    shown, short = _shown(_ask("Mengapa harga beras naik?", [BERAS], "id")[0], [BERAS])
    assert "karena pasokan" in shown and short == "pasokan dari sentra produksi di Jawa Tengah berkurang akibat musim kemarau"
    shown, short = _shown(_ask("Apa penyebab kebakaran?", [KOSAMBI], "id")[0], [KOSAMBI])
    assert shown.startswith("Dugaan sementara") and short == "korsleting listrik"


def test_a_why_question_without_a_reason_gets_no_short_answer() -> None:
    text = "Harga beras medium di Pasar Induk Cipinang naik dari Rp 13.200 menjadi Rp 13.800 per kilogram."
    ex = _ask("Mengapa harga beras naik?", [text], "id")[0]
    assert ex.answer_start is None  # no bold guess; the sentence is shown as it is


def test_a_name_does_not_end_inside_a_number() -> None:
    text = "Harga beras medium naik dari Rp 13.200 menjadi Rp 13.800 per kilogram di Pasar Induk Cipinang."
    names = [text[a:b] for a, b in typed_candidates(text, 0, len(text), AnswerType.NAME, frozenset())]
    assert "Rp 13" not in names and "Pasar Induk Cipinang" in names


def test_a_percent_question_is_answered_by_the_percentage() -> None:
    """Found in an Indonesian user's review: "diskon kereta brp persen?" was answered "50" (trains), not the
    "20 persen" the number candidate already ends with."""
    text = "KAI juga memberikan diskon 20 persen untuk 50 kereta api kelas ekonomi dan eksekutif."
    assert _shown(_ask("diskon kereta berapa persen?", [text], "id")[0], [text])[1] == "20 persen"
    text = "Prices rose 4.5% in 12 cities, officials said."
    assert _shown(_ask("By how many percent did prices rise?", [text], "en")[0], [text])[1] == "4.5%"


def test_a_yes_no_question_gets_the_sentence_without_a_short_answer() -> None:
    """Found in an Indonesian user's review: "ada korban jiwa ga di kebakaran bandung?" had "kejadian" in bold."""
    text = ("Api baru berhasil dipadamkan sekitar pukul 07.00 WIB. Tidak ada korban jiwa dalam kejadian ini, namun "
            "dua petugas pemadam mengalami luka ringan.")
    ex = _ask("ada korban jiwa tidak di kebakaran itu?", [text], "id")[0]
    assert _shown(ex, [text])[0].startswith("Tidak ada korban jiwa") and ex.answer_start is None
    text = "The new bridge over the Musi river opened to traffic on Monday after two years of work."
    ex = _ask("Is the new bridge over the Musi river open?", [text], "en")[0]
    assert ex.answer_start is None
    assert _ask("When did the new bridge over the Musi river open?", [text], "en")[0].answer_start is not None


def test_a_volume_keeps_its_whole_unit() -> None:
    """Found in the re-review: "16,4 juta meter kubik" was answered "16,4 juta meter" (another unit)."""
    text = "Banjir lumpur itu membawa 16,4 juta meter kubik material dari lereng gunung, kata BNPB."
    assert _shown(_ask("Berapa banyak material yang dibawa banjir lumpur?", [text], "id")[0], [text])[1] == (
        "16,4 juta meter kubik"
    )


def test_the_words_after_the_unit_choose_among_the_numbers() -> None:
    """Found in an Indonesian user's review: "berapa rumah rusak berat" was answered with the number of all damaged
    houses (the unit "rumah" is written after that one only)."""
    text = ('"Data sementara, 1.250 rumah rusak, terdiri atas 310 rusak berat dan 940 rusak ringan," kata Kepala '
            "BPBD Sumbar di Padang.")
    for q, want in (("berapa rumah rusak berat akibat gempa?", "310"), ("Berapa rumah yang rusak ringan?", "940"),
                    ("berapa rumah rusak akibat gempa?", "1.250")):
        assert _shown(_ask(q, [text], "id")[0], [text])[1] == want, q


def test_a_how_many_question_is_not_answered_by_a_measure() -> None:
    """Found in the news sets: "banjir di demak ada berapa pengungsi" was answered "80 sentimeter"."""
    text = ("Banjir di Demak merendam jalan utama dengan genangan setinggi 80 sentimeter. Sebanyak 1.250 warga "
            "Demak mengungsi ke balai desa.")
    assert _shown(_ask("banjir di demak ada berapa pengungsi", [text], "id")[0], [text])[1] == "1.250"
    text = "Kestrel will spend 75 million pounds on its stores in England. The chain has 142 stores."
    assert _shown(_ask("how many stores does kestrel run in england", [text], "en")[0], [text])[1] == "142"


def test_asked_count_noun() -> None:
    from retrieval.answer_types import asked_count_noun, is_measure

    assert asked_count_noun("berapa jumlah korban gempa?") == "korban"
    assert asked_count_noun("How many more counties get the vaccine?") == "counties"
    assert asked_count_noun("Berapa laba bersih perusahaan?") is None  # measured, not counted
    assert asked_count_noun("how many years did it take") is None  # a unit
    assert asked_count_noun("how many dollars did it cost") is None
    text = "Rp 2,4 miliar, 92 persen, 80 sentimeter, 3 hari dan 1.250 warga"
    assert [is_measure(text, a, b) for a, b in ((3, 14), (16, 18), (27, 29), (42, 43), (51, 56))] == [
        True, True, True, True, False,
    ]


def test_no_part_of_a_dateline_is_a_short_answer() -> None:
    """Found in an English user's review: the net income was "Calif" of "SAN JOSE, Calif. - …", and the start of a
    congestion charge the story's own date in its dateline."""
    text = ("MANCHESTER, England, Nov 25, 2026 - The city council voted on Wednesday to introduce a daily charge for "
            "cars entering the city centre.")
    ex = _ask("when does the congestion charge for cars start", [text], "en")[0]
    assert ex.answer_start is None or ex.answer_start > text.index(" - ")


def test_the_sentence_writing_the_asked_noun_beside_a_number_answers() -> None:
    """Found in the news sets: "Berapa denda yang dijatuhkan kepada Hendrik Saragih?" was answered by the lead,
    which names him and his prison term, not by the sentence that writes "denda Rp 500 juta"."""
    text = ("PONTIANAK - Pengadilan Tipikor Pontianak menjatuhkan hukuman tujuh tahun penjara kepada mantan Kepala "
            "Dinas PUPR Kubu Raya, Hendrik Saragih, dalam perkara korupsi proyek jalan.\n\nSelain pidana badan, majelis "
            "menghukum Hendrik membayar denda Rp 500 juta subsider enam bulan kurungan.")
    sentence, short = _shown(_ask("Berapa denda yang dijatuhkan kepada Hendrik Saragih?", [text], "id")[0], [text])
    assert sentence.startswith("Selain pidana badan") and short == "Rp 500 juta"


def test_unit_near() -> None:
    from retrieval.answer import unit_near, unit_of_count

    assert unit_of_count("berapa denda untuk Hendrik?") == "denda"
    assert unit_of_count("how many jobs is tessaline cutting") == "jobs"
    assert unit_of_count("Berapakah jumlah korban diare?") == "korban"
    assert unit_of_count("Berapa lama perjalanannya?") is None  # a dimension: no noun beside the number
    assert unit_of_count("jam berapa kereta berangkat?") is None
    text = "Hendrik membayar denda Rp 500 juta, dan 2.300 Beschäftigten streikten; sebanyak 27 halte dibangun."
    span = lambda s: [(text.index(s), text.index(s) + len(s))]  # noqa: E731
    assert unit_near(text, span("Rp 500 juta"), "denda")  # the noun a few words before
    assert unit_near(text, span("2.300"), "beschäftigte")  # right after, another ending
    assert unit_near(text, span("27"), "halte")
    assert not unit_near(text, span("2.300"), "denda")  # "denda" is in another clause
    pipe = "Pipa yang dipasang berdiameter 800 milimeter berbahan baja lapis semen."
    assert unit_near(pipe, [(pipe.index("800"), pipe.index("800") + 3)], "diameter")  # inside "berdiameter"


@pytest.mark.parametrize(
    ("question", "score"),
    [
        ("skor akhir persebaya vs psm berapa", True),
        ("hasil psm vs persija berapa", True),
        ("What was the final score at Elland Road?", True),
        ("¿Cuál fue el resultado del partido?", True),
        ("How many goals did Okonjo score last season?", False),  # the verb
        ("Berapa kerugian negara menurut hasil audit BPKP?", False),  # a result, no match
    ],
)
def test_asks_for_score(question: str, score: bool) -> None:
    from retrieval.answer_types import asks_for_score

    assert asks_for_score(question) is score


def test_a_score_question_is_answered_by_the_score() -> None:
    """Found in the news sets: "skor akhir persebaya vs psm berapa" was answered "10 orang" from a quote."""
    texts = [
        '"Kami punya peluang menyamakan skor. Bermain dengan 10 orang melawan Persebaya sulit," kata pelatih PSM.',
        "SURABAYA - Persebaya Surabaya meraih kemenangan 3-1 atas PSM Makassar pada laga pekan ke-10, Sabtu.",
    ]
    ex = _ask("skor akhir persebaya vs psm berapa", texts, "id")[0]
    assert _shown(ex, texts)[1] == "3-1"
    text = "Leeds beat Brighton 3-1 at Elland Road on Saturday in front of 36,412 fans, their 12th win of the season."
    assert _shown(_ask("what was the score in the leeds game", [text], "en")[0], [text])[1] == "3-1"


def test_a_how_long_question_is_answered_by_a_duration() -> None:
    """Found in the news sets: "Berapa lama …" was answered by another number of the sentence."""
    text = ("Sebanyak 400 pedagang terdampak kebakaran. Pemkot membebaskan 400 pedagang itu dari retribusi selama "
            "enam bulan.")
    assert _shown(_ask("Berapa lama pedagang dibebaskan dari retribusi?", [text], "id")[0], [text])[1] == "enam bulan"
    text = "The 7.9-kilometer first section of the subway has 3 stations and opened after 12 years of work."
    assert _shown(_ask("how long did the subway take to build", [text], "en")[0], [text])[1] == "12 years"


def test_a_measure_asked_by_its_adjective_is_answered_with_its_unit() -> None:
    """Found in a held-out news set: "seberapa jauh …" was answered "30.000 ton", "seberapa panjang antrean"
    with the time the queue formed."""
    text = ("Pabrik berkapasitas 30.000 ton per tahun itu berjarak sekitar 86 kilometer dari Teminabuan dan "
            "dibangun selama 14 bulan.")
    assert _shown(_ask("seberapa jauh pabrik sagu dari teminabuan", [text], "id")[0], [text])[1] == "86 kilometer"
    text = "Warga mengantre sejak pukul 05.30 Wita di pangkalan elpiji, dan antrean mencapai 150 meter."
    assert _shown(_ask("seberapa panjang antrean elpiji di pangkalan", [text], "id")[0], [text])[1] == "150 meter"
    text = "The turbine, installed by 40 engineers over 3 weeks, weighs 1,200 tonnes and stands 180 metres tall."
    assert _shown(_ask("how heavy is the turbine", [text], "en")[0], [text])[1] == "1,200 tonnes"
    text = "Auf 25 Hektar pflanzen 12 Winzer seit 2019 Riesling; die Fläche liegt 300 Meter über dem Fluss."
    assert _shown(_ask("Wie weit liegt die Fläche über dem Fluss?", [text], "de")[0], [text])[1] == "300 Meter"
    text = "Kebakaran menghanguskan lahan seluas 45 hektare di 3 desa selama 2 hari."
    assert _shown(_ask("berapa luas lahan yang terbakar", [text], "id")[0], [text])[1] == "45 hektare"


def test_a_speed_a_temperature_and_a_plot_of_land_are_answered_with_their_units() -> None:
    """Found in the news sets: "How fast do the drones fly?" was answered "150 metres", "What is the top speed of
    the scooters?" "212", "What was the temperature during the stage?" "168", "How large is the site?" "21
    days": the sentence also wrote the asked measure with its unit."""
    text = "The 12 drones fly below 150 metres at speeds of about 110 km per hour and carry up to 2 kilograms."
    assert _shown(_ask("How fast do the drones fly?", [text], "en")[0], [text])[1] == "110 km per hour"
    text = "Claims rose to 212 in 2025; the scooters are limited to 25 km/h on roads and 15 km/h on paths."
    assert _shown(_ask("What is the top speed of the scooters on roads?", [text], "en")[0], [text])[1] == "25 km/h"
    text = "Drohnen fliegen 40 Minuten lang mit bis zu 90 Kilometern pro Stunde über 3 Täler."
    assert _shown(_ask("Wie schnell fliegen die Drohnen?", [text], "de")[0], [text])[1] == "90 Kilometern pro Stunde"
    text = "Kapal itu membawa 300 penumpang dan melaju dengan kecepatan 18 knot selama 6 jam."
    assert _shown(_ask("seberapa cepat kapal itu melaju", [text], "id")[0], [text])[1] == "18 knot"
    text = "The 168-kilometre stage was raced in 19 degrees Celsius by 112 riders."
    assert _shown(_ask("What was the temperature during the stage?", [text], "en")[0], [text])[1] == (
        "19 degrees"
    )
    text = "The 480 homes will be built over nine years on a 52-acre site two miles from the centre."
    assert _shown(_ask("How large is the site?", [text], "en")[0], [text])[1] == "52-acre"


def test_the_refusal_model_reads_the_whole_article_coverage() -> None:
    """A detail sentence names the topic once at most ("Pabrik tersebut mempekerjakan 420 orang" under the lead
    on the Sorong Selatan sago mill; found refused in a held-out news set): the same sentence is likelier to
    answer when its own article's lead says the rest of the question than when another article's does."""
    lead = ("Teminabuan (ANTARA) - PT Sagu Mandiri Nusantara resmi mengoperasikan pabrik pengolahan tepung sagu di "
            "Distrik Kais, Kabupaten Sorong Selatan, Papua Barat Daya, Rabu (11/3/2026).")
    detail = "Pabrik tersebut mempekerjakan 420 orang, 70 persen di antaranya orang asli Papua."
    idf = {"jumlah": 2.0, "kerja": 2.5, "pabrik": 2.5, "sagu": 3.5, "sorong": 4.0, "selatan": 3.0}
    q = "Berapa jumlah pekerja pabrik sagu Sorong Selatan?"

    def detail_score(lead_title: str) -> float:
        passages = [PassageCandidate(lead, 10.0, "id", lead_title), PassageCandidate(detail, 6.0, "id", "Pabrik")]
        found = extract_answers(q, analyze_query(q, "id"), passages, idf.get, lang="id", n=3, n_docs=N_DOCS)
        return next(x.score for x in found if x.passage == 1)

    assert detail_score("Pabrik") > detail_score("Kabar lain") + 0.03


def test_number_spans_of_finance_reports() -> None:
    """Found in the news sets: "Revenue slipped 1.8% to £3.27bn" was answered "1.8% to £3.27" (a change and a
    level read as a range, "bn" left off)."""
    from retrieval.answer_types import AnswerType, typed_candidates

    text = "Revenue slipped 1.8% to £3.27bn, profit fell to £41m over 10km, and 30 to 50 thousand came; up 2% to 4%."
    spans = [text[a:b] for a, b in typed_candidates(text, 0, len(text), AnswerType.NUMBER, frozenset())]
    assert "£3.27bn" in spans and "£41m" in spans and "1.8%" in spans and "10" in spans
    assert "30 to 50 thousand" in spans and "2% to 4%" in spans
    assert not any(s.startswith("1.8% to") for s in spans)


def test_a_length_written_with_miles_answers_how_long() -> None:
    """Found in an English user's review: "1.2 miles" (read with "miles" as a scale word) lost to "1.9 km"."""
    text = "The cable-stayed bridge is 1.2 miles (1.9 km) long and carries six lanes of traffic."
    assert _shown(_ask("how long is the bridge", [text], "en")[0], [text])[1] == "1.2 miles"


def test_an_until_question_is_answered_by_the_end_of_the_period() -> None:
    """Found in the news sets: "naik bus listrik medan gratisnya sampe kapan" was answered by the launch date."""
    text = ("Layanan bus listrik diluncurkan pada Kamis (5/2/2026). Penumpang dapat naik secara gratis hingga 5 Maret "
            "2026.")
    assert _shown(_ask("bus listrik gratis sampai kapan?", [text], "id")[0], [text])[1] == "5 Maret 2026"
    text = "Okonjo joined on Aug 27, 2026 on a five-year contract running until June 2031."
    assert _shown(_ask("Until when is Okonjo's contract?", [text], "en")[0], [text])[1] == "June 2031"


def test_a_question_for_a_person_is_not_answered_by_an_institution() -> None:
    """Found in the news sets: "Siapa ketua majelis hakim …" was answered "Pengadilan Tindak Pidana Korupsi"."""
    from retrieval.persons import asks_for_a_person, no_person_name

    assert asks_for_a_person("hakim") and asks_for_a_person("lawyer")
    assert not asks_for_a_person("operator") and not asks_for_a_person(None)  # "PT Lintas Segara Abadi" may answer
    assert no_person_name("Pengadilan Tindak Pidana Korupsi") and no_person_name("EFE")
    assert not no_person_name("I Made Suarta") and not no_person_name("Florensia Dewi")
    text = "Sidang di Pengadilan Negeri Kupang dipimpin hakim Florensia Dewi pada Rabu."
    assert _shown(_ask("Siapa hakim dalam sidang di Kupang?", [text], "id")[0], [text])[1] == "Florensia Dewi"


def test_the_sentence_with_the_asked_figure_beside_a_number_answers() -> None:
    """Found in the news sets: "What revenue figure had analysts forecast for Harlow Foods?" was answered from the
    lead, which names the company and the quarter but no revenue."""
    texts = [
        "MINNEAPOLIS - Packaged food maker Harlow Foods on Thursday, 22 October 2026, reported a 12% rise in "
        "third-quarter net income, helped by strong demand for its frozen meals, and raised its profit forecast.",
        "Revenue increased 5.4% to $2.41 billion, ahead of the $2.35 billion analysts had expected on average.",
    ]
    ex = _ask("What revenue figure had analysts forecast for Harlow Foods?", texts, "en")[0]
    assert _shown(ex, texts)[0] == texts[1]


def test_a_change_is_answered_by_the_percent_and_cents_are_money() -> None:
    """Found in the held-out news set of the thirteenth round: "how much did ostrander shares fall after the
    results" was answered "$58.75" of "tumbled 11.2% to $58.75", "ostrander loss per share?" by "$148 million"."""
    from retrieval.answer_types import asks_for_change, is_money

    assert asks_for_change("how much did ostrander shares fall after the results")
    assert asks_for_change("saham bca naik berapa persen?") and not asks_for_change("how much did the bridge cost")
    text = "Shares tumbled 11.2% to $58.75 in extended trading after the results were released."
    assert _shown(_ask("how much did the shares fall after the results", [text], "en")[0], [text])[1] == "11.2%"
    text = "It reported a net loss of $148 million, or 34 cents per share."
    assert is_money(text, text.index("34"), text.index("34") + 2)


def test_the_post_of_the_company_the_title_names_is_answered() -> None:
    """Found in the news sets: "whos the ceo of halvard" was refused although the article, titled with the company,
    writes "Chief executive Dana Whitcombe said …" (the sentence repeats no name of the question)."""
    texts = [
        "SEATTLE - Halvard Systems reported a 22% jump in third-quarter profit on Tuesday. Revenue rose 9% to $4.12 "
        "billion.",
        "Chief executive Dana Whitcombe said demand from cloud customers stayed strong through September.",
    ]
    title = "Halvard Systems profit jumps 22% on cloud demand"
    question = "who is the ceo of halvard"  # as the engine reads "whos …" (`formal_question`)
    ex = _ask(question, texts, "en", title=title)[0]
    assert ex.score >= DEFAULT_MIN_SCORE and _shown(ex, texts)[1] == "Dana Whitcombe"


def test_the_best_passages_article_is_read_below_the_share_cut() -> None:
    """Found in the news sets: "Berapa jumlah pengungsi gempa Mamuju?" — the passage that answers it ("Jumlah
    pengungsi mencapai 6.850 jiwa …") names neither the quake nor the town and scored under MIN_PASSAGE_SHARE of
    the lead's passage, so it was never read and the lead's magnitude was shown. Passages of the best passage's
    article are read down to SAME_ARTICLE_SHARE of that cut-off; another article's passage at the same score is
    still not."""
    from retrieval.answer import MIN_PASSAGE_SHARE, SAME_ARTICLE_SHARE

    texts = [
        "MAMUJU - Gempa bumi bermagnitudo 6,0 mengguncang Kabupaten Mamuju, Sulawesi Barat, Kamis malam.",
        "Jumlah pengungsi mencapai 6.850 jiwa yang tersebar di 23 titik.",
        "Jumlah pengungsi banjir mencapai 1.200 jiwa.",
    ]
    title, other = "Gempa Mamuju rusak ratusan rumah", "Banjir rendam tiga kecamatan di Sampang"
    share = MIN_PASSAGE_SHARE * (1 + SAME_ARTICLE_SHARE) / 2  # between the two cut-offs
    scores = (10.0, 10.0 * share, 10.0 * share)
    question = "Berapa jumlah pengungsi gempa Mamuju?"
    passages = [PassageCandidate(t, s, "id", ti) for t, s, ti in zip(texts, scores, (title, title, other), strict=True)]
    exs = extract_answers(question, analyze_query(question, "id"), passages, _idf_for(texts, "id"), lang="id",
                          n=3, n_docs=N_DOCS)
    assert _shown(exs[0], texts) == (texts[1], "6.850 jiwa")
    assert all(ex.passage != 2 for ex in exs)


def test_a_names_age_in_brackets_answers_only_an_age_question() -> None:
    """Found in the news sets: "heru santoso rugi brp?" was answered "61" of "Heru Santoso (61)", "Berapa persen
    penurunan penjualan Hajjah Rosmiati?" with her age "49": news writes a person's age in brackets after the name."""
    text = "Seorang pedagang, Hajjah Rosmiati (49), mengatakan penjualannya turun 40 persen sejak Desember."
    count = typed_candidates(text, 0, len(text), AnswerType.NUMBER, frozenset({"berapa", "persen"}))
    assert [text[a:b] for a, b in count] == ["40 persen"]
    age = typed_candidates(text, 0, len(text), AnswerType.NUMBER, frozenset({"berapa", "umur"}))
    assert "49" in [text[a:b] for a, b in age]
    ex = _ask("Berapa persen penurunan penjualan Hajjah Rosmiati?", [text], "id")[0]
    assert _shown(ex, [text])[1] == "40 persen"


def test_a_number_joined_to_its_unit_by_a_hyphen_is_a_measure() -> None:
    """Found in the news sets: "How many visitors …?" was answered "four" of "after a four-year construction"."""
    from retrieval.answer_types import is_measure

    for text in ("after a four-year construction", "a 10-hour meeting", "a 24-year-old man"):
        (a, b), *_ = typed_candidates(text, 0, len(text), AnswerType.NUMBER, frozenset())
        assert is_measure(text, a, b), text
    text = "Arsenal won 3-1 on Saturday."
    assert not any(is_measure(text, a, b) for a, b in typed_candidates(text, 0, len(text), AnswerType.NUMBER,
                                                                        frozenset()))


def test_a_post_is_answered_only_by_a_sentence_that_names_it() -> None:
    """Found in the news sets: "siapa wakil wali kota palu?" was answered with the mayor ("Wali Kota Palu,
    Nurhayati Tombolotutu, …"), "Siapa CEO Meranti Capital?" with a partner of the firm. The holder of a post is named
    with it — as written, written out ("Direktur Utama" for "dirut") or, for a post that leads, as the verb."""
    from retrieval.persons import names_post

    text = "Wali Kota Palu, Nurhayati Tombolotutu, menyebut kerugian sementara mencapai Rp 8,7 miliar."
    assert _ask("siapa wali kota palu?", [text], "id")[0].score >= DEFAULT_MIN_SCORE
    assert _ask("siapa wakil wali kota palu?", [text], "id")[0].score < DEFAULT_MIN_SCORE
    text = "Partner Meranti Capital, Grace Lim, menilai sektor pertanian Indonesia memiliki potensi besar."
    assert _ask("Siapa CEO Meranti Capital?", [text], "id")[0].score < DEFAULT_MIN_SCORE
    assert names_post("Direktur Utama Cendrawasih Air, Yosef Rumbiak, mengatakan …", "dirut")
    assert names_post("Chief executive Dana Whitcombe said …", "ceo")
    assert names_post("Tim peneliti yang dipimpin Prof Hwang Woo Suk …", "ketua")
    assert not names_post("Tim peneliti yang dipimpin Prof Hwang Woo Suk …", "bendahara")


def test_a_window_that_does_not_name_the_post_gives_way_to_one_that_does() -> None:
    """Found in the news sets: "Siapa ketua majelis hakim dalam perkara alkes Lombok Timur?" was refused: the lead
    (court, sentence, defendant, case) ranked first and names no chair, while a later sentence names the "Ketua
    Majelis Hakim". The chair written as the verb ("majelis hakim yang diketuai …") names the post too."""
    from retrieval.persons import names_post

    texts = [
        "MATARAM — Majelis hakim Pengadilan Tipikor pada Pengadilan Negeri Mataram menjatuhkan vonis enam tahun "
        "penjara kepada mantan Kepala Dinas Kesehatan Lombok Timur, Syamsul Hadi, dalam perkara pengadaan alkes.",
        '"Menyatakan terdakwa terbukti bersalah," kata Ketua Majelis Hakim I Made Suarta saat membacakan putusan.',
    ]
    question = "Siapa ketua majelis hakim dalam perkara alkes Lombok Timur?"
    ex = _ask(question, texts, "id")[0]
    assert ex.score >= DEFAULT_MIN_SCORE and _shown(ex, texts)[1] == "I Made Suarta"
    # with only the lead, still refused: no window names the chair
    assert _ask(question, texts[:1], "id")[0].score < DEFAULT_MIN_SCORE
    assert names_post("Selain pidana penjara, majelis hakim yang diketuai Yohanes Mangiri menghukum Andi …", "ketua")


def test_an_english_post_after_the_organisation_is_the_asked_post() -> None:
    """Found in the news sets: "who is the harwood chairman …" read "harwood" as the role. In English the post
    follows the organisation's name; in Indonesian the head comes first ("kandidat presiden" asks for a candidate)."""
    from retrieval.persons import post_of

    assert post_of("who is the harwood chairman that's stepping down", "harwood") == "chairman"
    assert post_of("Who is the Fukuoka Airport CEO?", "fukuoka") == "ceo"
    assert post_of("Siapakah kandidat presiden dari Partai Wafd?", "kandidat") == "kandidat"
    text = "Partner Meranti Capital, Grace Lim, said the fund would invest in farming technology."
    assert _ask("Who is the Meranti Capital CEO?", [text], "en")[0].score < DEFAULT_MIN_SCORE


def test_an_abbreviated_post_names_the_post() -> None:
    """Found in news_qa11: "who is the governor who declared a state of emergency …" was refused — AP style writes
    "Gov. Ellen Harper declared …", and no window named a governor."""
    from retrieval.persons import names_post

    assert names_post("Gov. Ellen Harper declared a state of emergency for two counties.", "governor")
    assert names_post("Sen. Maria Lopez said …", "senator")
    assert not names_post("The government declared a state of emergency.", "governor")


def test_a_passages_cached_layout_is_shared_and_never_changed() -> None:
    """Word spans, words and sentences of a passage are cached across questions (`_word_layout`,
    `_sentence_spans`): a later question gets what a first-time one gets, and the cache serves the second."""
    from retrieval import answer as A

    texts = [MUNICH]
    A._word_layout.cache_clear()
    A._sentence_spans.cache_clear()
    first = [(e.start, e.end, e.answer_start, e.score) for e in _ask("Di kota mana kantor pertama OpenAI?", texts, "id", n=3)]
    later = [(e.start, e.end, e.answer_start, e.score) for e in _ask("Kapan OpenAI membuka kantor?", texts, "id", n=3)]
    assert A._word_layout.cache_info().hits >= 1 and A._sentence_spans.cache_info().hits >= 1
    A._word_layout.cache_clear()
    A._sentence_spans.cache_clear()
    assert [(e.start, e.end, e.answer_start, e.score) for e in _ask("Kapan OpenAI membuka kantor?", texts, "id", n=3)] == later
    assert [(e.start, e.end, e.answer_start, e.score) for e in _ask("Di kota mana kantor pertama OpenAI?", texts, "id", n=3)] == first


def test_a_number_counting_something_else_is_not_followed_by_the_questions_words() -> None:
    """Found in news_qa11: "berapa warga yang mengungsi?" was answered "412" of "1.340 warga dari 412 kepala keluarga
    kini mengungsi": the words after the unit ("mengungsi") follow the 412, which counts families. The unit left out
    after the first number still lets its qualifying words choose ("310" of "… terdiri atas 310 rusak berat")."""
    texts = ["Asep menyebutkan, sebanyak 1.340 warga dari 412 kepala keluarga kini mengungsi di 9 titik pengungsian."]
    assert _shown(_ask("berapa warga yang mengungsi?", texts, "id")[0], texts)[1].startswith("1.340")
    assert _shown(_ask("berapa kepala keluarga yang mengungsi?", texts, "id")[0], texts)[1].startswith("412")
    texts = ["Jumlah rumah rusak mencapai 1.250 rumah rusak, terdiri atas 310 rusak berat dan 940 rusak ringan."]
    assert _shown(_ask("berapa rumah rusak berat akibat gempa?", texts, "id")[0], texts)[1].startswith("310")


def test_a_dateline_or_an_address_names_no_one() -> None:
    """Found on hand-written news: "Siapa calon kades yang menggugat …?" was answered from the lead, whose only
    "names" were the outlet of its dateline ("TEMPO.CO, Bogor -") and the province closing its address ("…,
    Kabupaten Bogor, Jawa Barat"); the next sentence names the claimant."""
    from retrieval.answer_types import names_a_place

    lead = (
        "TEMPO.CO, Bogor - Hasil pemilihan kepala desa (pilkades) di Desa Sukamaju, Kecamatan Cibungbulang, "
        "Kabupaten Bogor, Jawa Barat, digugat oleh salah satu calon. Hendra Gunawan, calon kepala desa nomor urut "
        "2, menolak hasil rekapitulasi yang menyatakan dirinya kalah tipis."
    )
    texts = [lead, "Kepala Pelaksana BPBD Kota Semarang, Hendra Wibisono, meninjau lokasi banjir."]
    assert names_a_place(lead, "Jawa Barat")
    assert not names_a_place(texts[1], "Hendra Wibisono")  # the link before the name is a post, not a place
    sentence, short = _shown(_ask("Siapa calon kades yang menggugat hasil pilkades Sukamaju?", texts, "id")[0], texts)
    assert "Hendra Gunawan" in sentence and short == "Hendra Gunawan"


def test_a_dash_in_brackets_ends_no_dateline() -> None:
    """ "Wakidi (1890 - 1979), …" read as a dateline hid the birth year (FacQA)."""
    text = "Wakidi (1890 - 1979), satu dari tiga pelukis naturalistik Indonesia terkemuka pada zamannya, boleh saja tiada."
    from retrieval.answer import _dateline_at

    assert _dateline_at(text, 0, len(text)) == -1
    assert _dateline_at("PADANG, KOMPAS.com — Banjir merendam kota.", 0, 40) > 0
    assert "1890" in _shown(_ask("Pada tahun berapa Wakidi lahir?", [text], "id")[0], [text])[1]


def _ask_articles(question: str, articles: list[tuple[str, str]], lang: str):
    """`_ask` over passages of several articles: (title, passage text), best BM25 score first."""
    texts = [t for _, t in articles]
    passages = [PassageCandidate(t, 10.0 - i, lang, title) for i, (title, t) in enumerate(articles)]
    ex = extract_answers(question, analyze_query(question, lang), passages, _idf_for(texts, lang), lang=lang, n=1,
                         n_docs=N_DOCS)[0]
    return _shown(ex, texts)


def test_a_whole_article_that_lacks_the_asked_name_is_not_about_it() -> None:
    """Found on a held-out news set: of two water-pipe projects, "… proyek di Mataram?" was answered from the Palu
    article (the same words but the city), which the consistency check then refused. A fragment without a title
    of its own ("…") may name the city in another part, so it is not passed over."""
    palu = "Kepala BPPW Sulawesi Tengah menjelaskan pipa transmisi proyek itu sepanjang 19,8 kilometer dengan diameter 600 milimeter."
    mataram = [
        "Proyek pipa transmisi air minum ke Kota Mataram dimulai Kamis dengan peletakan batu pertama.",
        "Diameter pipa transmisi itu 800 milimeter.",
    ]
    question = "Berapa diameter pipa transmisi proyek di Mataram?"
    whole = [("Palu Bangun Pipa Air Minum", palu), *[("Proyek Pipa Air Minum Mataram Dimulai", t) for t in mataram]]
    assert "800 milimeter" in _ask_articles(question, whole, "id")[0]
    cut = [("Kepala BPPW Sulawesi Tengah menjelaskan…", palu), *whole[1:]]
    assert "600 milimeter" in _ask_articles(question, cut, "id")[0]


def test_the_asked_noun_the_articles_lack_weighs_little() -> None:
    """Found on hand-written news: "what eps were analysts expecting from halvard" was refused against "Analysts …
    had expected earnings of $1.29 per share": the noun a what/which question asks about says what kind of answer
    is wanted, and the answer's sentence need not repeat it; unknown to every article, it weighed like the rarest
    word. Against another language's articles it still does (see the German lowercase words)."""
    texts = [
        "Halvard Group reported quarterly revenue of $2.1 billion on Tuesday.",
        "Analysts surveyed by FactSet had expected earnings of $1.29 per share.",
    ]
    ex = _ask("what eps were analysts expecting from halvard", texts, "en")[0]
    assert ex.score >= DEFAULT_MIN_SCORE and "$1.29 per share" in _shown(ex, texts)[0]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from("6 hingga 8 November 2026 mei de May abad ke- 1990 an s er März - – / . , ١٢ x".split()), max_size=12))
def test_dates_skip_only_text_without_a_digit(words: list[str]) -> None:
    """Every form of a date has a digit: skipping text without one finds exactly what the full search finds."""
    from retrieval.answer_types import _DATE_RE, _dates

    for text in (" ".join(words), "".join(words)):
        assert [m.span() for m in _dates(text)] == [m.span() for m in _DATE_RE.finditer(text)]


def test_a_who_question_for_any_part_is_not_answered_by_a_body() -> None:
    """ "Who is the provost …?" took "Department of Higher Education" from the sentence that names the university;
    the provost is a person (see test_persons)."""
    texts = [
        "Central Ohio University, a public institution, enrolls about 19,000 students. The Ohio Department of Higher "
        "Education said it was monitoring the situation.",
        "Provost Michael Trent said the university would hire an independent auditor.",
    ]
    sentence, short = _shown(_ask("Who is the provost at Central Ohio University?", texts, "en")[0], texts)
    assert sentence.startswith("Provost Michael Trent") and short == "Michael Trent"


def test_a_run_of_german_nouns_joined_by_an_article_is_no_person() -> None:
    """German capitalises nouns: "Die finanzpolitische Sprecherin der Fraktion, Lena Hartwig, …" offered "Sprecherin
    der Fraktion" as the person who criticised (a news set's German article)."""
    from retrieval.answer_types import AnswerType, _has_article, typed_candidates

    text = (
        "Kritik kam von den Grünen. Die finanzpolitische Sprecherin der Fraktion, Lena Hartwig, bemängelte, dass das "
        "Geld aus dem Klimafonds fehlt."
    )
    people = [text[a:b] for a, b in typed_candidates(text, 0, len(text), AnswerType.PERSON, frozenset())]
    assert "Lena Hartwig" in people and "Sprecherin der Fraktion" not in people
    assert _shown(_ask("wer hat bei den grünen kritik geübt", [text], "de")[0], [text])[1] == "Lena Hartwig"
    assert not _has_article("Ursula von der Leyen") and not _has_article("Joost van den Berg")


def test_the_calendar_word_of_a_when_question_chooses_no_sentence() -> None:
    """"Sejak tahun berapa …" asks for a year: the sentence that writes the year answers, not the one that repeats
    the word "tahun" ("… tahun ini"; found in the news sets, as was "what year did … open")."""
    q = "Sejak tahun berapa program beasiswa Pemkot Madiun ada?"
    texts = [
        "Menurut Lina, ada 840 mahasiswa yang menerima program beasiswa Pemkot Madiun tahun ini.",
        "Program beasiswa Pemkot Madiun pertama kali digelar pada 2021.",
    ]
    assert _shown(_ask(q, texts, "id", title="Beasiswa Mahasiswa Madiun")[0], texts) == (texts[1], "2021")


@pytest.mark.parametrize("atype", [AnswerType.PERSON, AnswerType.NAME, AnswerType.PLACE])
def test_a_currency_before_an_amount_is_no_name(atype: AnswerType) -> None:
    """"Rp 25 juta", "US$ 5 juta" name no one and nothing (a held-out news set's "Siapa juara …?" was answered "Rp")."""
    text = "Juara tunggal putri membawa pulang Rp 25 juta, sedangkan sponsor menambah US$ 5.000 dan RM 30 kepada Budi Santoso."
    found = [text[a:b] for a, b in typed_candidates(text, 0, len(text), atype, frozenset({"juara"}))]
    assert not any(f.startswith(("Rp", "US", "RM")) for f in found)
    assert any("Budi Santoso" in f for f in found)


@pytest.mark.parametrize(
    ("question", "text", "expected"),
    [
        # a rank in capitals is no acronym
        ("siapa kasat reskrim polres nunukan",
         "Kepala Satuan Reserse Kriminal Polres Nunukan, AKP Hendrik Silalahi, mengatakan pihaknya memeriksa tiga orang.",
         "AKP Hendrik Silalahi"),
        # the post before its holder's name between commas is nobody (its first word, "Ketua", is the question's)
        ("siapa ketua pengprov pbsi kaltim",
         "Ketua Pengurus Provinsi PBSI Kalimantan Timur, Haryanto Lumbantobing, mengatakan sekitar 700 atlet ikut.",
         "Haryanto Lumbantobing"),
        # a name after the post, not between commas, stays the post's holder
        ("Siapa gubernur yang meresmikan tol itu?",
         "Peresmian dilakukan oleh Gubernur Sumatera Barat Andri Saputra di Gerbang Tol Kasang, Kabupaten Padang.",
         "Andri Saputra"),
    ],
)
def test_a_post_written_before_its_holder_names_nobody(question: str, text: str, expected: str) -> None:
    """News names a holder after the post, between commas ("Kepala Dinas …, Nama, mengatakan"): the who-question's
    short answer is the name (found in a held-out news set: "Kepala Satuan Reserse Kriminal Polres Nunukan")."""
    assert expected in (_shown(_ask(question, [text], "id")[0], [text])[1] or "")


def test_a_date_is_no_name() -> None:
    """"March 2023" answers no which/what-name question; a name written after a date and "dan" keeps its own span
    (found in a held-out news set: "What is the name of Verdant's sensor line?" was answered "March 2023")."""
    text = "AquaSense sued Verdant in March 2023, alleging that its FieldPulse sensor line copied the design."
    names = [text[a:b] for a, b in typed_candidates(text, 0, len(text), AnswerType.NAME, frozenset({"verdant"}))]
    assert "FieldPulse" in names and not any("March" in n for n in names)
    text = "Trafik dialihkan ke satelit ChinaStar - 1 sejak Februari 2005 dan APStar-VI sejak Agustus 2005."
    names = [text[a:b] for a, b in typed_candidates(text, 0, len(text), AnswerType.NAME, frozenset())]
    assert "APStar-VI" in names and not any("Februari" in n for n in names)


def test_a_question_ending_in_berapa_counts_the_noun_it_opens_with() -> None:
    """Chat Indonesian asks "berapa" last ("mesin parkir di bandung ada berapa?"): the number written with the noun
    the question opens with answers, as for "berapa mesin parkir …" (found in the news sets)."""
    q = "mesin parkir di bandung ada berapa?"
    texts = [
        "Tarif parkir di Bandung naik di 14 ruas jalan pusat kota mulai Selasa.",
        "Sebanyak 220 mesin parkir elektronik dipasang di ruas-ruas itu.",
    ]
    assert _shown(_ask(q, texts, "id", title="Tarif Parkir Baru")[0], texts) == (texts[1], "220")


ORANGUTAN = (
    "Balai Konservasi Sumber Daya Alam Kalimantan Tengah melepasliarkan sembilan orangutan di Taman Nasional Bukit "
    "Baka Bukit Raya, Selasa (18/8/2026). Orangutan terbesar yang dilepasliarkan adalah seekor betina bernama Kejora "
    "dengan bobot 16 kilogram. Adapun yang termuda adalah jantan bernama Bumi berusia tujuh tahun. Seluruhnya telah menjalani "
    "rehabilitasi selama 6 hingga 11 tahun."
)


def test_umur_and_usia_are_one_word() -> None:
    """Found on a held-out news set: "Berapa umur orangutan termuda …?" was refused: the article writes the age
    "berusia", and "umur" matched nothing of it."""
    assert analyze_query("umur umurnya berumur", "id") == analyze_query("usia usianya berusia", "id")
    ex = _ask("Berapa umur orangutan termuda yang dilepasliarkan?", [ORANGUTAN], "id")[0]
    sentence, short = _shown(ex, [ORANGUTAN])
    assert "Adapun yang termuda adalah jantan bernama Bumi berusia tujuh tahun." in sentence
    assert ex.score >= DEFAULT_MIN_SCORE and short is not None and short.startswith("tujuh")


def test_an_age_questions_own_word_says_not_whose_age() -> None:
    """Every age of a sentence follows "berusia": the question's age word is no clue to which one (found on a news
    set once "umur" and "usia" were one term: the teenager's age was given for the man's)."""
    text = (
        "Seorang pria berusia 71 tahun ditemukan meninggal di dalam rumahnya di Kelurahan Jatirasa, sedangkan seorang "
        "remaja berusia 16 tahun tersengat listrik di Kelurahan Jakasampurna."
    )
    ex = _ask("korban meninggal di jatirasa umurnya berapa", [text], "id")[0]
    assert _shown(ex, [text])[1].startswith("71")


def test_an_age_question_is_answered_by_an_age_when_the_articles_write_one() -> None:
    """Found in the news sets: "How old is Miriam Kessel?" was answered "4.2" from the lead that names her in full,
    not from "… Kessel, 44, said": when a passage read writes an age, a window whose numbers are none is no answer
    to an age question; when none does, any number may still be it."""
    texts = [
        "Lead author Dr Miriam Kessel, a herpetologist at the Cairns Institute of Tropical Biology, said the team "
        "first noticed the frog because of its unusual call at around 4.2 kilohertz.",
        '"We spent two nights in the moss before we found the first one," Kessel, 44, said in an interview.',
    ]
    ex = _ask("How old is Miriam Kessel?", texts, "en")[0]
    assert _shown(ex, texts) == (texts[1], "44")
    from retrieval.answer_types import written_as_age

    text = "He is also the oldest quarterback to play in a Super Bowl at age 39."  # XQuAD en, once answered so
    assert written_as_age(text, text.index("39"), text.index("39") + 2)
    text = "The bridge over the Ashby river was built in 1967 and carries 11,000 vehicles a day."
    assert _shown(_ask("How old is the Ashby bridge?", [text], "en")[0], [text])[0] == text


def test_a_window_without_the_asked_kind_of_number_is_a_weak_answer() -> None:
    """Found on a held-out news set: "Berapa anggota Koperasi …?" was answered with the cost in the lead sentence,
    which names the cooperative in full, instead of the sentence that counts its members: for a question that asks
    a kind of number only some numbers are (a count, money, a duration, an age), a window without one ranks lower."""
    texts = [
        "Ketua Koperasi Produsen Mutiara Laut Sumba, Yohanis Umbu Ndapa (49), mengatakan pabrik berkapasitas 600 ton "
        "bahan baku per tahun itu dibangun dengan biaya Rp 14 miliar. Sebagian biaya berasal dari iuran anggota "
        "koperasi dan pinjaman bank daerah sebesar Rp 9,5 miliar.",
        "Koperasi yang berdiri pada 2019 itu kini beranggotakan 430 pembudidaya dari tujuh desa pesisir di Sumba Timur.",
    ]
    ex = _ask("Berapa anggota Koperasi Mutiara Laut Sumba?", texts, "id")[0]
    sentence, short = _shown(ex, texts)
    assert "430 pembudidaya" in sentence and short is not None and short.startswith("430")


def test_words_that_count_people_stand_for_one_another() -> None:
    """"How many people live in Marsabit County?" is answered by "… has roughly 460,000 residents", "berapa orang"
    by "12 warga": the question's noun beside the number, in another word for people."""
    from retrieval.answer import unit_near

    text = "The county covers about 70,000 square kilometres and has roughly 460,000 residents."
    at = text.index("460,000")
    assert unit_near(text, [(at, at + len("460,000"))], "people")
    text = "Banjir bandang menewaskan 12 warga dan merusak 40 rumah."
    at = text.index("12")
    assert unit_near(text, [(at, at + 2)], "orang")
    assert not unit_near(text, [(text.index("40"), text.index("40") + 2)], "orang")


_LEAD_TITLE = "Namibia opens desalination plant to ease water crisis"
_LEAD = (
    "WALVIS BAY, Namibia, March 10 (Reuters) - Namibia on Tuesday opened a seawater desalination plant near the "
    "port town of Walvis Bay, a project the government says will end years of water rationing."
)
_LEAD_BODY = (
    "The plant uses reverse osmosis technology and needs about 28 megawatts of electricity at full output. "
    "Roughly 40% of that would come from a new solar farm built alongside the plant."
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What share of the Walvis Bay plant's power will come from solar?", "Roughly 40% of that"),
        ("what technology does the walvis bay plant use", "The plant uses reverse osmosis"),
        ("When did Namibia open the Walvis Bay plant?", "WALVIS BAY, Namibia, March 10"),  # the lead's own fact
    ],
)
def test_the_words_of_an_articles_lead_say_which_article_not_which_sentence(question: str, expected: str) -> None:
    """Found in news_qa16: a place the lead names ("Walvis Bay"), asked to say which article, chose the lead over
    the sentence with the answer; like a title's words, the lead's count for which sentence only as coverage."""
    texts = [_LEAD, _LEAD_BODY]
    passages = [PassageCandidate(t, 10.0 - i, "en", _LEAD_TITLE, None, i) for i, t in enumerate(texts)]
    ex = extract_answers(question, analyze_query(question, "en"), passages, _idf_for(texts, "en"), lang="en", n=1,
                         n_docs=N_DOCS)[0]
    assert passages[ex.passage].text[ex.start : ex.end].startswith(expected)


def test_an_age_question_prefers_a_window_with_an_age() -> None:
    """Found in news_qa16: "how old is the barneveld farmer" was answered "145,000" (laying hens): a window
    without a number written as an age still offers its numbers, but is not of the asked kind."""
    text = (
        "The outbreak was found at a farm in Barneveld with 145,000 laying hens. "
        "Farmer Gerrit van Dalen, 54, who runs the farm with his two sons, said he called a veterinarian on Sunday."
    )
    ex = _ask("how old is the barneveld farmer", [text], "en")[0]
    sentence, short = _shown(ex, [text])
    assert "Farmer Gerrit van Dalen, 54," in sentence and short == "54"


def test_every_window_has_the_same_feature_keys_in_the_same_order() -> None:
    """The ranking reads a window's feature values in the first window's key order (`answer._linear_for`): a key
    set on some windows only (as `lead_shift` first was, in an article with a dateline lead) would shift them."""
    from retrieval.answer import candidate_features

    texts = [_LEAD, _LEAD_BODY, MUNICH]
    titles = [_LEAD_TITLE, _LEAD_TITLE, None]
    passages = [PassageCandidate(t, 10.0 - i, "en", titles[i], None, i) for i, t in enumerate(texts)]
    question = "What share of the Walvis Bay plant's power will come from solar?"
    cands = candidate_features(question, analyze_query(question, "en"), passages, _idf_for(texts, "en"), lang="en",
                               n_docs=N_DOCS)
    assert len(cands) > 2 and any(c[0].features["lead_shift"] for c in cands)
    assert len({tuple(c[0].features) for c in cands}) == 1


def test_short_answer_weights_of_the_asked_type() -> None:
    # A which-noun question (NAME) is answered by the named theatre, not by the year beside it; a where-question by
    # the city after the university, not by the ceremony before it (the asked type's own span weights).
    theatre = 'The Jan Kochanowski Theatre (1930–34), was the best example of "Silesian folk theatre".'
    ex = _ask('What theatre was the best example of "Silesian folk theatre"?', [theatre], "en")[0]
    assert _shown(ex, [theatre])[1] == "Jan Kochanowski Theatre"
    speech = (
        "Menteri yang diharapkan memberikan laporan tidak bisa hadir karena memberikan orasi ilmiah dalam dies "
        "natalis Universitas Hasanuddin, Makassar, Sulawesi Selatan."
    )
    ex = _ask("Di kota apakah Universitas Hasanuddin berada?", [speech], "id")[0]
    assert _shown(ex, [speech])[1] == "Makassar"


def test_span_type_weights_name_types_and_features() -> None:
    from retrieval.answer_model import SPAN_FEATURES, SPAN_TYPE_WEIGHTS, SPAN_WEIGHTS, span_weights

    assert set(SPAN_TYPE_WEIGHTS) == {t.value for t in AnswerType}
    for deltas in SPAN_TYPE_WEIGHTS.values():
        assert set(deltas) <= set(SPAN_FEATURES)
    person = span_weights(AnswerType.PERSON.value)
    assert list(person) == list(SPAN_WEIGHTS) == list(SPAN_FEATURES)
    assert person != span_weights(AnswerType.OTHER.value)


def test_personnel_count_people() -> None:
    """Found in a held-out news set: "BKSDA menerjunkan berapa orang …?" was answered with another sentence's
    number; the article counts them as "12 personel gabungan"."""
    elephants = "Balai konservasi menurunkan dua ekor gajah jinak dan 12 personel untuk menggiring 17 ekor gajah liar."
    ex = _ask("Berapa orang yang diturunkan untuk menggiring gajah?", [elephants], "id")[0]
    assert _shown(ex, [elephants])[1].startswith("12")
    fire = "The service deployed 11 engines and 60 personnel to the fire."
    ex = _ask("How many people were deployed to the fire?", [fire], "en")[0]
    assert _shown(ex, [fire])[1].startswith("60")


def test_the_lead_read_from_stored_layouts_is_the_lead_found_again() -> None:
    """`_lead_terms` reads a lead passage's sentences from its stored layout when it has one (decoded once, then
    reused by extraction): the same leads as splitting the text again."""
    from retrieval.answer import PassageCandidate, _headline_end, _lead_terms
    from retrieval.layout import decode_layout, encode_layout

    articles = [
        ("Gempa Palu", "id", "Gempa Palu\nPALU, KOMPAS.com - Gempa magnitudo 5,2 mengguncang Palu pada Senin pagi. Warga panik."),
        ("Walvis Bay solar", "en", "WALVIS BAY, Namibia (Reuters) - Namibia opened a solar plant near Walvis Bay. It runs."),
        ("No dateline", "en", "The council met on Monday. It voted to close the bridge at Walvis Bay."),
        ("Headline only", "en", "Headline only"),
    ]
    passages = []
    for title, lang, text in articles:
        for order, part in enumerate(text.split("\n")):
            passages.append(PassageCandidate(part, 1.0, lang, title, encode_layout(part, lang, title), order))
    passages.append(PassageCandidate("Headline only is a headline.", 1.0, "en", "Headline only", None, 1))
    heads = [_headline_end(p.text, p.title) for p in passages]
    q_set = frozenset(["palu", "walvi", "bay", "namibia", "gempa", "council", "headlin"])

    def layout_of(i: int):
        p = passages[i]
        return decode_layout(p.text, p.layout, p.language, p.title) if p.layout is not None else None

    for lang in ("en", "id", None):
        assert _lead_terms(passages, heads, q_set, lang, layout_of) == _lead_terms(passages, heads, q_set, lang)
    assert _lead_terms(passages, heads, q_set, "en", layout_of)  # some lead was read


STAGE = (
    "Danish rider Mikkel Lund won the fourth stage of the Tour of the Southern Alps on Thursday. "
    "Lund, 24, rides for the Belgian team Veltra-Hoorn. "
    "The stage was watched by 8,000 spectators."
)


def test_the_word_a_how_question_measures_weighs_little_when_no_article_has_it() -> None:
    """Found in a news set: "how old is lund" was refused. News gives an age as "Lund, 24," and a size as
    "measures 11.8 millimetres": the word "old" or "big" is seldom in the sentence, and no article had it."""
    from retrieval.answer_types import dimension_word

    assert [dimension_word(q) for q in ("how old is lund", "¿Qué tan alto es?", "seberapa jauh", "berapa luas lahan",
                                        "berapa pengungsi", "Who won?")] == ["old", "alto", "jauh", "luas", None, None]
    ex = _ask("how old is lund", [STAGE], "en")[0]
    assert ex.score >= DEFAULT_MIN_SCORE
    assert _shown(ex, [STAGE]) == ("Lund, 24, rides for the Belgian team Veltra-Hoorn.", "24")


def test_a_person_named_by_one_part_of_the_full_name_the_question_writes() -> None:
    """News names a person in full once and by the family name after: "Lund, 24, …" is about the Mikkel Lund a
    question names (in Indonesian often by the given name). Not so for a post ("Bupati Kolaka"), a longer run of
    capitalised words ("Acta Única Europea"), a word the article also writes in lower case, nor a family name two
    people share."""
    from retrieval.answer import article_names, candidate_features

    def cov(question: str, texts: list[str], lang: str, sentence: str) -> float:
        passages = [PassageCandidate(t, 10.0, lang) for t in texts]
        windows = candidate_features(question, analyze_query(question, lang), passages, _idf_for(texts, lang),
                                     lang=lang, n_docs=N_DOCS)
        return next(ex.features["cov"] for ex, _, _ in windows if texts[ex.passage][ex.start : ex.end] == sentence)

    lead = cov("How old is Mikkel Lund?", [STAGE], "en", STAGE.split(". ")[0] + ".")
    assert cov("How old is Mikkel Lund?", [STAGE], "en", "Lund, 24, rides for the Belgian team Veltra-Hoorn.") == lead

    def names(text: str, question: str, lang: str) -> dict:
        q_set = frozenset(analyze_query(question, lang))
        return article_names([PassageCandidate(text, 1.0, lang, "t")], question, q_set, lang).get("t", {})

    assert names(STAGE, "How old is Mikkel Lund?", "en") == {"lund": frozenset({"mikkel", "lund"})}
    rektor = "Prof. Hasanuddin Rahmat terpilih sebagai rektor. Hasanuddin kini berusia 54 tahun."
    assert set(names(rektor, "berapa usia hasanuddin rahmat", "id")) == {"hasanuddin", "rahmat"}
    assert names("Mantan Bupati Kolaka divonis. Kolaka kaya nikel.", "siapa bupati kolaka", "id") == {}
    assert names("El Acta Única Europea se firmó en 1986.", "¿Cuándo se firmó el Acta Única?", "es") == {}
    assert names("Helen Marsh and Tom Marsh spoke. Marsh said no.", "what did helen marsh say", "en") == {
        "marsh": frozenset({"helen", "marsh"})
    }
    assert names("Helen Marsh and Tom Marsh spoke.", "what did helen marsh and tom marsh say", "en") == {}
    assert names("Grace Field opened. The field floods.", "when did grace field open", "en") == {}
    assert names("Lead author Dr Miriam Kessel spoke. Kessel, 44, said", "how old is miriam kessel", "en") == {
        "kessel": frozenset({"miriam", "kessel"})
    }



def test_a_noun_the_articles_count_is_counted() -> None:
    """Found in a news set: "brp PPPK yg dilantik di lebak" was answered "Rp 96 miliar". "PPPK" is none of the
    nouns news always counts, but the article writes "2.146 PPPK": a count answers, not an amount."""
    from retrieval.answer_types import written_count_noun

    assert written_count_noun("berapa PPPK yg dilantik di lebak", ["Bupati Lebak Lantik 2.146 PPPK"]) == "pppk"
    assert written_count_noun("berapa PPPK yg dilantik", ["PPPK yang dilantik 2.146 orang"]) is None
    assert written_count_noun("berapa ton garam", ["48.000 ton garam"]) is None  # a measure
    assert written_count_noun("berapa laba perusahaan", ["laba Rp 5 miliar"]) is None
    assert written_count_noun("dividen RNAT berapa per lembar saham?", ["Rp 418 per saham"]) is None
    texts = [
        "Bupati Lebak melantik 2.146 pegawai pemerintah dengan perjanjian kerja (PPPK) di Rangkasbitung. "
        "Pemkab Lebak menyiapkan anggaran Rp 96 miliar per tahun untuk gaji seluruh PPPK yang baru dilantik.",
    ]
    passages = [PassageCandidate(texts[0], 10.0, "id", "Bupati Lebak Lantik 2.146 PPPK")]
    question = "berapa PPPK yg dilantik di lebak"
    ex = extract_answers(question, analyze_query(question, "id"), passages, _idf_for(texts, "id"), lang="id", n=1,
                         n_docs=N_DOCS)[0]
    assert _shown(ex, texts)[1] == "2.146"


def test_a_verb_form_no_article_has_weighs_little() -> None:
    """Found in a news set: "cuanta ceramica encontraron" was refused against "… localizaron … unas 300 piezas de
    cerámica": the verb is the article's in another word. A Spanish verb form by its ending, an English one by
    `looks_verbal`, unknown to the index, weighs like an unknown asked noun."""
    text = ("El pecio está a 38 metros de profundidad. En el pecio los arqueólogos localizaron unas 300 piezas de "
            "cerámica y dos anclas.")
    ex = _ask("cuanta ceramica encontraron en el pecio", [text], "es")[0]
    assert ex.score >= DEFAULT_MIN_SCORE  # 0.10 when "encontraron" weighed as the rarest term
    assert _shown(ex, [text])[1] == "300"
    assert analyze_query("por que las inmersiones eran tan cortas", "es") == ["inmersion", "cort"]


def test_who_chairs_asks_for_the_chair() -> None:
    """Found in a news set: "Who chairs the Save Brookhurst Fields campaign?" was answered with the sentence that
    names the campaign most often, not with "campaign chair Helen Marsh". A verb of a post that leads asks for its
    holder as "Who is the chair of …?" does; "heads" for any post that leads ("The trust's director, …")."""
    from retrieval.answer_types import person_role
    from retrieval.persons import names_post

    assert [person_role(q) for q in ("Who chairs the campaign?", "who heads the benguela coast trust",
                                     "Wer leitet die Bibliothek?", "Who led the Panthers in sacks?")] == [
        "chair", "head", "leiter", None,
    ]
    assert names_post("The trust's director, Anna-Marie Visser, called for monitoring.", "head")
    assert not names_post("The trust has raised concerns about brine.", "head")
    text = ("A petition organised by the Save Brookhurst Fields campaign gathered 2,400 signatures against the "
            "Brookhurst Farm estate.\n\nSpeaking at the meeting, campaign chair Helen Marsh, 61, said residents felt "
            "ignored.")
    ex = _ask("Who chairs the Save Brookhurst Fields campaign?", [text], "en")[0]
    assert _shown(ex, [text])[1] == "Helen Marsh"


def test_a_forwarded_posts_lead_is_read_under_a_cut_title() -> None:
    """Found in the news sets as posts: a post keeps its headline line as its first passage, and a long headline
    gives a title cut with "…" (a fragment's mark). Its lead, the second passage, was not read as the lead when
    the headline passage was not among those read or the title was cut, so the lead's topic words chose the lead."""
    title = "Namibia opens seawater desalination plant near Walvis Bay to end years of water …"
    texts = [_LEAD, _LEAD_BODY]
    passages = [PassageCandidate(t, 10.0 - i, "en", title, None, i + 1) for i, t in enumerate(texts)]
    question = "What share of the Walvis Bay plant's power will come from solar?"
    ex = extract_answers(question, analyze_query(question, "en"), passages, _idf_for(texts, "en"), lang="en", n=1,
                         n_docs=N_DOCS)[0]
    assert passages[ex.passage].text[ex.start : ex.end].startswith("Roughly 40% of that")
    # A cut title's first passage (a FacQA passage, a pasted paragraph) is still not read as a story's lead.
    fragment = [PassageCandidate(t, 10.0 - i, "en", title, None, i) for i, t in enumerate(texts)]
    ex = extract_answers(question, analyze_query(question, "en"), fragment, _idf_for(texts, "en"), lang="en", n=1,
                         n_docs=N_DOCS)[0]
    assert fragment[ex.passage].text[ex.start : ex.end].startswith("WALVIS BAY")


def test_a_post_holder_written_after_a_lowercase_title_is_named() -> None:
    """Found in news_qa11: "siapa kadinkes kota kupang" got the province's head of health, not "Kepala Dinas
    Kesehatan Kota Kupang, drg. Maria Goreti Bria": the question's four words after "kepala" and the lowercase
    "drg." hid the name, so only the other sentence counted as naming the post's holder."""
    text = (
        "Kepala Dinas Kesehatan Provinsi Maluku, Yusuf Pattimura, mengatakan pihaknya mengirim 30 tenaga kesehatan "
        "ke Kota Ambon. Kepala Dinas Kesehatan Kota Ambon, dr. Rina Latuconsina, mengatakan 412 warga telah "
        "diperiksa sejak Senin."
    )
    ex = _ask("siapa kepala dinas kesehatan kota ambon", [text], "id")[0]
    sentence, short = _shown(ex, [text])
    assert sentence.startswith("Kepala Dinas Kesehatan Kota Ambon") and short == "Rina Latuconsina"
