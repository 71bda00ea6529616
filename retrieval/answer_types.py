"""What kind of short answer a question asks for, and where such answers sit in a sentence.

Question words of the four supported languages map to a coarse answer type; candidate spans of that type
(numbers, dates, names) are found with patterns that work across those languages. Words that already
appear in the question are never the answer.
"""

from __future__ import annotations

import re
from enum import Enum


class AnswerType(Enum):
    NUMBER = "number"
    DATE = "date"
    PERSON = "person"
    PLACE = "place"
    NAME = "name"  # which/what + a noun: usually a proper name
    OTHER = "other"


# Ordered: the first pattern that matches the (casefolded) question decides.
_TYPE_PATTERNS: list[tuple[AnswerType, re.Pattern[str]]] = [
    (
        AnswerType.DATE,
        re.compile(
            r"\b(kapan|tahun berapa|pada tahun|tanggal berapa|sejak kapan|when|what year|which year|"
            r"what date|what century|in what year|wann|welche[mnrs]? jahr|in welchem jahr|seit wann|"
            r"cu[aá]ndo|en qu[eé] a[nñ]o|qu[eé] a[nñ]o|qu[eé] fecha|what time)\b"
        ),
    ),
    (
        AnswerType.NUMBER,
        re.compile(
            r"\b(berapa|how many|how much|how long|how old|how far|how large|how big|what percentage|"
            r"wie viele?|wie hoch|wie lange?|wie alt|wie gro[sß]|cu[aá]nt[oa]s?|qu[eé] porcentaje)\b"
        ),
    ),
    (AnswerType.PERSON, re.compile(r"\b(siapa|siapakah|who|whom|whose|wer|wen|wem|wessen|qui[eé]n(es)?)\b")),
    (
        AnswerType.PLACE,
        re.compile(
            r"\b(di ?mana|dimanakah|ke ?mana|dari mana|kota (apa|mana)|negara (apa|mana)|where|wo|wohin|"
            r"woher|d[oó]nde|ad[oó]nde|in which (city|country|state)|in what (city|country|state))\b"
        ),
    ),
    (
        AnswerType.NAME,
        re.compile(r"\b(apa nama|nama|which|what is the name|welche[mnrs]?|cu[aá]l(es)?|qu[eé] nombre)\b"),
    ),
]


def expected_answer_type(question: str, lang: str | None = None) -> AnswerType:
    """The coarse type of answer a question asks for (lang is accepted for future language-specific rules)."""
    q = question.casefold()
    for atype, pattern in _TYPE_PATTERNS:
        if pattern.search(q):
            return atype
    return AnswerType.OTHER


_MONTHS = (
    r"januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember|"
    r"january|february|march|may|june|july|august|october|december|"
    r"januar|februar|märz|juni|juli|dezember|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
    r"jan|feb|mar|apr|jun|jul|aug|agu|agt|sep|sept|okt|oct|nov|des|dec|dez"
)
_NUM = r"\d+(?:[.,]\d+)*"
_DATE_RE = re.compile(
    rf"(?i)\b(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}"
    rf"|\d{{1,2}}\.?\s+(?:de\s+)?(?:{_MONTHS})\.?(?:\s+(?:de\s+)?\d{{4}})?"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:,\s*\d{{4}})?"
    rf"|(?:{_MONTHS})\.?\s+(?:de\s+)?\d{{4}}"
    rf"|(?:abad\s+(?:ke-?)?\s*)?\d{{1,4}}(?:-an|s|er)?"
    rf"|\d{{4}}\s*[-–]\s*\d{{2,4}})\b"
)
_YEARISH = re.compile(r"^(1[0-9]{3}|20[0-9]{2})(-an|s|er)?$")
_NUMBER_RE = re.compile(
    rf"(?i)(?:(?:rp|us\$|\$|€|£)\s?)?{_NUM}(?:\s?%|\s?persen|\s?percent|\s?prozent|\s?por ciento)?"
    rf"(?:\s+(?:juta|miliar|triliun|ribu|ratus|million|billion|thousand|hundred|millionen|milliarden|"
    rf"millones|mil|millón|miles))?"
    rf"|\b(?:satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|seratus|seribu|"
    rf"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|"
    rf"eins?|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|zwölf|"
    rf"uno|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|doce)\b"
)
# Capitalised word sequences, allowing short lowercase connectors inside ("Universitas of X", "van der").
_CONNECT = r"(?:of|the|de|del|la|las|los|van|von|der|den|di|da|dan|y|und|and|bin|binti|el|al)"
_NAME_RE = re.compile(
    rf"(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]*|[0-9]+[A-Z][\w-]*)"
    rf"(?:\s+(?:{_CONNECT}\s+)?(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]*|[0-9]+))*"
)
_WORD_RE = re.compile(r"\w+", re.UNICODE)


def _words(s: str) -> list[str]:
    return [w.casefold() for w in _WORD_RE.findall(s)]


def _strip_question_words(
    text: str, s: int, e: int, q_surface: frozenset[str], trailing: bool = True
) -> tuple[int, int] | None:
    """Trim leading (and trailing) words that the question already contains; None when nothing new is left.

    Names keep trailing question words: "Gustave Eiffel" answers "Who designed the Eiffel Tower?", while
    "Kota Munich" becomes "Munich" for "Di kota mana ...?".
    """
    tokens = [(m.start() + s, m.end() + s) for m in _WORD_RE.finditer(text[s:e])]
    while tokens and text[tokens[0][0] : tokens[0][1]].casefold() in q_surface:
        tokens.pop(0)
    while trailing and tokens and text[tokens[-1][0] : tokens[-1][1]].casefold() in q_surface:
        tokens.pop()
    if not tokens:
        return None
    return tokens[0][0], tokens[-1][1]


def _sentence_initial(text: str, pos: int, start: int) -> bool:
    before = text[start:pos].rstrip()
    return not before or before[-1] in ".!?\"“”'‘’(—–-:;"


def typed_candidates(
    text: str, start: int, end: int, atype: AnswerType, q_surface: frozenset[str]
) -> list[tuple[int, int]]:
    """Spans of text[start:end] that could answer a question of type `atype`, minus question words."""
    region = text[start:end]
    out: list[tuple[int, int]] = []

    def add(s: int, e: int, trailing: bool = True) -> None:
        trimmed = _strip_question_words(text, start + s, start + e, q_surface, trailing)
        if trimmed and trimmed not in out:
            out.append(trimmed)

    if atype is AnswerType.DATE:
        for m in _DATE_RE.finditer(region):
            token = m.group(0)
            if token.isdigit() and not _YEARISH.match(token):
                continue
            add(m.start(), m.end())
    elif atype is AnswerType.NUMBER:
        for m in _NUMBER_RE.finditer(region):
            token = m.group(0).strip()
            if not token or _YEARISH.match(token):
                continue
            add(m.start(), m.end())
    elif atype in (AnswerType.PERSON, AnswerType.PLACE, AnswerType.NAME):
        for m in _NAME_RE.finditer(region):
            s, e = m.start(), m.end()
            token = m.group(0).rstrip(".")
            e = s + len(token)
            words = _words(token)
            if not words or all(w in q_surface for w in words):
                continue
            # A lone capitalised word at the start of a sentence is usually just a sentence start.
            if len(words) == 1 and _sentence_initial(text, start + s, start) and atype is not AnswerType.PLACE:
                continue
            add(s, e, trailing=False)
    return out
