"""Passage layouts stored at ingest (`retrieval.layout`): equal to what extraction computes, used by it with the
same answers, stored by every path that stores passages, filled in where missing, cleared under other rules."""

from __future__ import annotations

import sqlite3
from array import array

import pytest

from articlebot.engine import Engine
from articlebot.models import ArticleIn, Scope
from retrieval import answer as A
from retrieval.layout import LAYOUT_VERSION, decode_layout, encode_layout
from retrieval.text import analyze
from tests.conftest import OFFICE_ARTICLE, RIVER_ARTICLE, make_settings

CLI = Scope()

TEXTS = [
    OFFICE_ARTICLE,
    RIVER_ARTICLE,
    "Dr. J. K. Rowling tiba di Jl. Sudirman No. 5, kata Prof. Budi. Ia pulang pukul 10.30 WIB.",
    "TAMPA, Fla. (AP) — A storm hit the U.S. coast on Oct. 5. Officials said 1,200 homes lost power.",
    "Am 3. Oktober 1990 kam die Einheit. Des 19. Jahrhunderts z. B. war anders! Wirklich? Ja…",
    "- erster Punkt\n- zweiter Punkt\n\n1. eins\n2. zwei\nein hart\numbrochener Satz. Ende.",
    "Straße und GROSSE Maße. İstanbul'da ﬁnal ½ etwa. ǅemal sagt: „Gut.“ Fertig.",
    "Café ﻿com acento: e\u0301 ou è. Devanagari: हिन्दी भाषा। Emoji 🙂 und 𝐀𝐁𝐂 weiter.",
    "anak-anak GA-181 Tapaktuan-Singkil 6,5 7.500 23/5/2025 10:30 it's Jum'at don’t",
    "  \n  Leading and trailing space.  \n\n  ",
    "Sentence without an end",
    "x" * 70_000 + " Long. Then a short one.",  # offsets past 65,535: 32-bit layout
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("lang", ["id", "en", "de", "es", "und", None])
def test_a_stored_layout_decodes_to_the_computed_one(text: str, lang: str | None) -> None:
    stored = encode_layout(text, lang)
    assert stored is not None and stored[:1] == (b"I" if len(text) >= 1 << 16 else b"H")
    words = A._word_layout(text)[1]
    terms = [A._word_terms(w, lang) for w in words] if lang else None
    assert terms is None or terms == A._terms_of(words, lang)  # what extraction computes without the layout
    layout = (A._word_layout(text), A._sentence_spans(text))
    assert decode_layout(text, stored, lang) == (*layout, terms, None)
    other = "en" if lang != "en" else "de"  # terms of another language are not used
    assert decode_layout(text, stored, other) == (*layout, None, None)
    title = "Gempa M 6,2 Guncang Cianjur: the Long River Bridge’s Öffnung"
    with_title = encode_layout(text, lang, title)
    title_terms = A._title_terms(title, lang) if lang else None
    assert decode_layout(text, with_title, lang, title) == (*layout, terms, title_terms)
    assert decode_layout(text, with_title, lang, title + " (updated)") == (*layout, terms, None)
    assert decode_layout(text, with_title, lang) == (*layout, terms, None)
    assert decode_layout(text, with_title, other, title) == (*layout, None, None)
    if lang:
        q_set = frozenset(analyze(title, lang)[:2])
        assert A.topic_terms(title, q_set, lang, title_terms) == A.topic_terms(title, q_set, lang) == q_set


def test_a_layout_that_does_not_fit_its_text_is_not_used() -> None:
    text = "One sentence. Two sentences."
    good = encode_layout(text, "en")
    assert good is not None and decode_layout(text, good, "en") is not None
    offsets = array("H", [1, 0, 0, 500])  # one word ending past the text
    for bad in (
        None, b"", b"H", b"X" + good[1:], good[:10], good + b"\x1fextra", b"H\0" + offsets.tobytes(),
        b"H\0" + array("H", [9, 0]).tobytes(), b"H\x05en" + good[4:],
    ):
        assert decode_layout(text, bad, "en") is None


def _candidates(text: str, score: float = 5.0, stored: bool = True) -> list[A.PassageCandidate]:
    title = "The Long River Bridge"
    return [A.PassageCandidate(text, score, "en", title, encode_layout(text, "en", title) if stored else None)]


@pytest.mark.parametrize(
    "question",
    [
        "When was the Long River Bridge opened?",
        "Who designed the bridge?",
        "How long is the Long River Bridge?",
        "What did officials say about the storm?",
    ],
)
def test_extraction_with_a_stored_layout_equals_extraction_without(question: str) -> None:
    q_terms = analyze(question, "en")
    idf = {t: 1.5 for t in q_terms}.get
    for text in TEXTS[:5] + [RIVER_ARTICLE + "\n" + TEXTS[3]]:
        with_layout = A.extract_answers(question, q_terms, _candidates(text), idf, lang="en", n=3, n_docs=50)
        without = A.extract_answers(question, q_terms, _candidates(text, stored=False), idf, lang="en", n=3,
                                    n_docs=50)
        assert repr(with_layout) == repr(without)


def _article(text: str) -> ArticleIn:
    title, _, body = text.partition("\n")
    return ArticleIn(text=body, title=title)


def _layouts(path) -> list[tuple[str, bytes | None, bytes | None]]:
    """(text, stored layout, the layout computed now) of every passage."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT p.text, p.layout, a.language, a.title FROM passages p JOIN articles a ON a.id = p.article_id "
            "ORDER BY p.id"
        ).fetchall()
    return [(text, layout, encode_layout(text, lang, title)) for text, layout, lang, title in rows]


QUESTIONS = [
    "When was the Long River Bridge opened?",
    "Who designed the Long River Bridge?",
    "Di kota mana kantor pertama Kopi Nusantara di Belanda?",
    "Berapa ton kopi yang diekspor tahun lalu?",
]


async def _answers(engine: Engine) -> list[str]:
    groups = await engine._visible_groups(CLI)
    out = []
    for q in QUESTIONS:
        lang, hits, rows, extracts = await engine._run(engine._answers_in_worker, q, groups, 3)
        quotes = [rows[hits[x.passage][0]].text[x.start : x.end] for x in extracts]
        out.append(repr((lang, hits, extracts, quotes)))
    return out


async def test_the_engine_stores_layouts_and_answers_the_same_without_them(tmp_path) -> None:
    settings = make_settings(tmp_path)
    async with await Engine.open(settings) as engine:
        for text in (OFFICE_ARTICLE, RIVER_ARTICLE):
            assert (await engine.add_article(_article(text), CLI)).status == "added"
        stored = _layouts(settings.database_path)
        assert stored and all(layout == computed for _, layout, computed in stored)
        rows = await engine.db.get_passages(list(range(1, len(stored) + 1)))
        assert all(rows[i + 1].layout == layout for i, (_, layout, _) in enumerate(stored))
        with_layouts = await _answers(engine)
        assert "Rotterdam" in with_layouts[2]
        with sqlite3.connect(settings.database_path) as conn:  # as a database from before layouts
            conn.execute("UPDATE passages SET layout = NULL")
        assert await _answers(engine) == with_layouts
        assert all(layout is None for _, layout, _ in _layouts(settings.database_path))
        assert await engine.reindex()
        assert all(layout == computed for _, layout, computed in _layouts(settings.database_path))


async def test_missing_or_outdated_layouts_are_filled_in_when_the_engine_opens(tmp_path) -> None:
    settings = make_settings(tmp_path)
    async with await Engine.open(settings) as engine:
        for text in (OFFICE_ARTICLE, RIVER_ARTICLE):
            await engine.add_article(_article(text), CLI)
        answers = await _answers(engine)
    with sqlite3.connect(settings.database_path) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'layout_version'").fetchone() == (LAYOUT_VERSION,)
        conn.execute("UPDATE passages SET layout = NULL WHERE id % 2 = 0")
    async with await Engine.open(settings) as engine:
        assert engine._layout_task is not None
        await engine._layout_task
        assert all(layout == computed for _, layout, computed in _layouts(settings.database_path))
        assert await _answers(engine) == answers
    bogus = encode_layout("A different text. With other spans and more words than the passage has.", "en")
    with sqlite3.connect(settings.database_path) as conn:  # written under other rules
        conn.execute("UPDATE passages SET layout = ? WHERE id = 1", (bogus,))
        conn.execute("UPDATE meta SET value = 'another version' WHERE key = 'layout_version'")
    async with await Engine.open(settings) as engine:
        await engine._layout_task
        assert all(layout == computed for _, layout, computed in _layouts(settings.database_path))
        assert await engine.db.get_meta("layout_version") == LAYOUT_VERSION
        assert await _answers(engine) == answers
