"""Misspelt question words (retrieval/spelling.py)."""

from __future__ import annotations

from retrieval.spelling import corrections
from retrieval.text import analyze

KNOWN = {t: 1.0 for t in analyze("people killed earthquake injured struck homes", "en")}


def idf(term: str) -> float:
    return KNOWN.get(term, 0.0)


def test_a_word_one_slip_away_from_a_known_word_is_read_as_it() -> None:
    """Found in review: "how many peple were kiled in the earthquak?" was refused ("earthquak" stems as the word)."""
    assert corrections("how many peple were kiled in the earthquak?", "en", idf, 10) == {"pepl": "peopl", "kile": "kill"}


def test_names_short_words_and_known_words_are_left_alone() -> None:
    assert corrections("Who is Sharapva?", "en", idf, 10) == {}  # capitalised: a name, maybe absent
    assert corrections("when did the quake hit?", "en", idf, 10) == {}  # no known word one slip away
    assert corrections("how many people were killed?", "en", idf, 10) == {}


def test_only_common_words_are_corrections_in_a_large_collection() -> None:
    rare = {t: 9.0 for t in KNOWN}  # every known word seen in a handful of a million passages
    assert corrections("how many peple were kiled?", "en", lambda t: rare.get(t, 0.0), 1_000_000) == {}
