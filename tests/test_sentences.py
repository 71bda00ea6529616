"""Tests for retrieval.sentences.split_sentences."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.sentences import split_sentences


def _sents(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_numbers_decimals_dates() -> None:
    text = "Harga naik 6,5 miliar. Sebanyak 7.500 orang hadir. Nilai pi 3.14 dipakai. Pada 2015. Kemudian 2016."
    assert _sents(text) == [
        "Harga naik 6,5 miliar.", "Sebanyak 7.500 orang hadir.", "Nilai pi 3.14 dipakai.", "Pada 2015.",
        "Kemudian 2016.",
    ]  # fmt: skip


def test_indonesian_abbreviations() -> None:
    text = (
        "Menurut Dr. Budi dan Prof. Ani, kantor di Jl. Sudirman No. 5 dibuka. Bpk. Joko hadir. "
        "H. Ahmad, S.H. datang. Kepada a.n. Budi u.p. Ani. Beli buah, sayur, dll. Kemudian pulang. "
        "Saya membeli apel dsb. lalu pulang."
    )
    assert _sents(text) == [
        "Menurut Dr. Budi dan Prof. Ani, kantor di Jl. Sudirman No. 5 dibuka.",
        "Bpk. Joko hadir.",
        "H. Ahmad, S.H. datang.",
        "Kepada a.n. Budi u.p. Ani.",
        "Beli buah, sayur, dll.",
        "Kemudian pulang.",
        "Saya membeli apel dsb. lalu pulang.",
    ]


def test_indonesian_name_abbreviations() -> None:
    """ "Wali Kota Palu, Moh." was shown as a sentence and "Moh" bolded as the mayor (a held-out news set)."""
    text = "Wali Kota Palu, Moh. Ridwan Lamarauna, hadir. Muh. Yusuf dan Abd. Rahman datang bersama Ny. Sari."
    assert _sents(text) == [
        "Wali Kota Palu, Moh. Ridwan Lamarauna, hadir.",
        "Muh. Yusuf dan Abd. Rahman datang bersama Ny. Sari.",
    ]


def test_english_abbreviations_and_initials() -> None:
    text = "J. K. Rowling wrote it. Mr. Smith and Mrs. Jones met in the U.S. on Jan. 5. They left, e.g. to Paris."
    assert _sents(text) == [
        "J. K. Rowling wrote it.",
        "Mr. Smith and Mrs. Jones met in the U.S. on Jan. 5.",
        "They left, e.g. to Paris.",
    ]
    assert _sents("Acme Inc. is big. It grows, i.e. fast, etc. and more.") == [
        "Acme Inc. is big.",
        "It grows, i.e. fast, etc. and more.",
    ]


def test_german_and_spanish() -> None:
    de = "Das war z.B. am 3. Oktober 2020 in Berlin. Er kam ca. 5 Minuten später bzw. gar nicht. Die Nr. 3 gewann."
    assert _sents(de) == [
        "Das war z.B. am 3. Oktober 2020 in Berlin.",
        "Er kam ca. 5 Minuten später bzw. gar nicht.",
        "Die Nr. 3 gewann.",
    ]
    ordinals = (
        "Die Pest blieb bis zum zweiten Quartal des 19. Jahrhunderts ein Ereignis. Im 2. Weltkrieg wurde sie "
        "zerstört. Einige Moleküle (z. B. Immunglobuline) gibt es nur bei Wirbeltieren, d. h. bei wenigen. "
        "Er lebt hier seit 2010. Vorher lebte er in Wien."
    )
    assert _sents(ordinals) == [
        "Die Pest blieb bis zum zweiten Quartal des 19. Jahrhunderts ein Ereignis.",
        "Im 2. Weltkrieg wurde sie zerstört.",
        "Einige Moleküle (z. B. Immunglobuline) gibt es nur bei Wirbeltieren, d. h. bei wenigen.",
        "Er lebt hier seit 2010.",  # a year after "seit" does end a sentence
        "Vorher lebte er in Wien.",
    ]
    assert _sents("The final score was 19. Then it rained.") == ["The final score was 19.", "Then it rained."]
    es = "El Sr. García viajó a EE. UU. el lunes. La Sra. López no. ¿Por qué? ¡Porque sí!"
    assert _sents(es) == ["El Sr. García viajó a EE. UU. el lunes.", "La Sra. López no.", "¿Por qué?", "¡Porque sí!"]


def test_quotes_ellipses_and_punctuation_runs() -> None:
    seed = (
        "“Kami sangat antusias membuka kantor pertama di Jerman, tepatnya di Munich, sebagai bagian dari strategi "
        "pengembangan global kami,” ujar OpenAI dalam pernyataan resminya, Jumat (23/5/2025). Selanjutnya dia pergi."
    )
    assert len(_sents(seed)) == 2 and _sents(seed)[0].endswith("Jumat (23/5/2025).")
    text = 'He said "Stop." Then he left... And then? Yes!? “Selesai.” Dia pergi… lalu kembali. Wait…  Okay.'
    assert _sents(text) == [
        'He said "Stop."', "Then he left...", "And then?", "Yes!?", "“Selesai.”", "Dia pergi… lalu kembali.",
        "Wait…", "Okay.",
    ]  # fmt: skip


def test_lines_titles_bullets() -> None:
    text = "Judul Tanpa Titik\nParagraf pertama. Kalimat kedua.\n\n- butir satu\n• butir dua\n1. Pertama\n2. Kedua"
    assert _sents(text) == [
        "Judul Tanpa Titik", "Paragraf pertama.", "Kalimat kedua.", "- butir satu", "• butir dua", "1. Pertama",
        "2. Kedua",
    ]  # fmt: skip


def test_hard_wrapped_lines_continue() -> None:
    assert _sents("Teks yang dibungkus\nberlanjut di baris ini. Selesai.\n\nbaru") == [
        "Teks yang dibungkus\nberlanjut di baris ini.",
        "Selesai.",
        "baru",
    ]


def test_empty_and_whitespace() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\t \n") == []
    assert _sents("  satu  ") == ["satu"]


TEXT = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list(" \n\n\t.?!…\"“”'()-•1aAJDr é😀שלום\u200b")),
        st.sampled_from(["Dr.", "dll.", "U.S.", "No.", " 3. ", "\n- ", ".” ", "6,5", "J. K. ", "Kata "]),
    ),
    max_size=80,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_spans_cover_all_non_space_exactly_once(text: str) -> None:
    spans = split_sentences(text)
    prev_end = 0
    covered = []
    for s, e in spans:
        assert prev_end <= s < e <= len(text)
        piece = text[s:e]
        assert piece == piece.strip()
        assert text[prev_end:s].strip() == ""  # nothing lost between sentences
        covered.append(piece)
        prev_end = e
    assert text[prev_end:].strip() == ""
    assert "".join("".join(p.split()) for p in covered) == "".join(text.split())


def test_a_wire_dateline_with_a_state_is_not_a_sentence() -> None:
    """Found in an English user's review: answers began "(AP) — Hurricane Felix …" after "TAMPA, Fla." was cut."""
    for text in ("TAMPA, Fla. (AP) — Hurricane Felix roared ashore. It weakened.",
                 "SAN JOSE, Calif. - Northwind reported results. Shares rose.",
                 "SAN JOSE, Calif., Oct 29 (Reuters) - Northwind reported results. Shares rose."):
        assert len(split_sentences(text)) == 2, text
    assert len(split_sentences("He moved to Tampa, Fla. The storm came a week later.")) == 2  # not a dateline


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=list("ab .\n\t\u00a0\"'“‘«([{¿¡‹x1\u2003\x1c"), max_size=14), st.data())
def test_prev_word_is_the_backward_search(text: str, data: st.DataObject) -> None:
    """The word before a full stop, read backwards, is exactly what the regex search over the window finds."""
    from retrieval.sentences import _PREV_WORD_RE, _prev_word

    lo = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(lo, len(text)))
    m = _PREV_WORD_RE.search(text, lo, end)
    assert _prev_word(text, lo, end) == (None if m is None else (m.start(), m.group(0)))
