"""Rule-based sentence splitting for news text in Indonesian, English, German and Spanish.

Spans always cover every non-whitespace character exactly once, so a wrong decision can only merge or split
sentences, never lose text. When unsure we prefer to merge (a slightly long answer sentence is harmless; a name
cut in half at "J. K." is not).

Rules, in order:
- Line breaks: a blank line, or a line starting with a bullet ("- ", "• ", "1. ", "a) "), always ends a sentence.
  A single newline ends one too (a title line, one-paragraph-per-line Telegram text), unless the text is
  hard-wrapped: the line ends without sentence punctuation and the next one starts with a lowercase letter.
- Inside a line, a sentence ends after ". ! ? …" (plus any closing quotes/brackets) followed by whitespace, unless
  the word before the period is a known abbreviation or an initial ("Dr.", "dll.", "z.B.", "J."), a dotted
  acronym ("U.S.", "S.H."), a letter-dot abbreviation written apart ("z. B."), a list number at the start of a
  line, or a German ordinal ("am 3. Oktober", "des 19. Jahrhunderts"), or unless the next word starts with a
  lowercase letter (`“... kami,” ujar` / `etc. and`).
"""

from __future__ import annotations

import re

# Abbreviations that are (almost) never sentence-final: titles, "No.", "Jl.", "e.g.". Casefolded, without the dot.
_NEVER_FINAL = frozenset(
    """
    mr mrs ms dr prof jr sr sra srta st mt jl jln bpk bp sdr sdri kh hj h ir drs dra drg moh muh moch mhd abd ny tn
    e.g i.e z.b u.a d.h a.n u.p s.h m.h s.e s.t s.pd s.ag m.si m.sc ph.d vs v approx
    gen col lt sgt capt gov sen rep rev ee uu ud uds vd dña av avda
    """.split()
)
# Abbreviations that precede a number ("No. 5", "Jan. 5", "ca. 300"): no break only when a digit follows.
_BEFORE_NUMBER = frozenset(
    """
    no nr nos art abs bd kap ca fig vol pp p hal tel jan feb mar apr jun jul aug sep sept oct okt nov dec des
    agu ags
    """.split()
)
# Abbreviations that often do end a sentence ("... sayur, dll. Kemudian"): break only before an uppercase word.
_MAYBE_FINAL = frozenset("dll dsb dst tsb dkk etc usw bzw usf sd inc ltd co corp".split())

# U.S. state abbreviations of wire datelines ("TAMPA, Fla. (AP) —", "SAN JOSE, Calif. - …"): no sentence ends
# there when they sit in a dateline (found in an English user's review: answers began "(AP) — Hurricane …").
_STATES = frozenset(
    "ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss mo mont neb nev okla "
    "ore pa tenn tex vt va wash wis wyo".split()
)
_DATELINE_HEAD_RE = re.compile(r"[A-Z][A-Z .'-]{1,30},\s+$")  # "TAMPA, ", "SAN JOSE, " before the state
_AFTER_STATE_RE = re.compile(r"\s*(?:\(|[-–—]\s|\d|[A-Z][a-z]{2}\.? \d)")  # "(AP)", "- ", "Oct 29"

_GERMAN_MONTHS = frozenset(
    "januar jänner februar märz april mai juni juli august september oktober november dezember".split()
)

# German words that put an ordinal number after them ("des 19. Jahrhunderts", "im 2. Weltkrieg", "am 3. Mai"):
# an article or article-preposition cannot end a sentence with a bare number.
_GERMAN_BEFORE_ORDINAL = frozenset("am im zum vom beim ins des dem den der die das zur".split())
_ABBREV_LETTER_RE = re.compile(r"\s*[^\W\d_]\.")
_LETTERS_RE = re.compile(r"[^\W\d_]+")

_CLOSERS = "\"'”’»)]}›"
_OPENERS = "\"'“‘«([{¿¡‹"
_TERMINAL_RE = re.compile(r"[.!?…]+[" + re.escape(_CLOSERS) + r"]*(?=\s)")
_PREV_WORD_RE = re.compile(r"[^\s" + re.escape(_OPENERS) + r"]+$")
_WORD_CHARS_RE = re.compile(r"[^\s" + re.escape(_OPENERS) + r"]+")
_BULLET_RE = re.compile(r"(?:[-–—•*·▪►‣◦]|\d{1,3}[.)]|[a-zA-Z][.)])\s")
_DOTTED_ACRONYM_RE = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{0,2}\.?")
_LINE_RE = re.compile(r"[^\n]+")
_SENTENCE_PUNCT = frozenset(".!?…:;" + _CLOSERS)


def _first_letter(text: str, pos: int) -> str:
    """The first non-opener character at or after pos (skipping quotes/brackets), or ''."""
    n = len(text)
    while pos < n and (text[pos] in _OPENERS or text[pos].isspace()):
        pos += 1
    return text[pos] if pos < n else ""


def _prev_word(line: str, lo: int, end: int) -> tuple[int, str] | None:
    """(start, word) of `_PREV_WORD_RE.search(line, lo, end)`, or None, read backwards from `end`: the search tries
    every start in the window and runs each to its word's end (the costliest step of splitting a passage).
    The word ends at `end`, or before a newline there (where "$" also matches)."""
    stop = end - 1 if end > lo and line[end - 1] == "\n" else end
    m = _WORD_CHARS_RE.match(line[lo:stop][::-1])
    if m is None:
        return None
    return stop - m.end(), line[stop - m.end() : stop]


def _is_boundary(line: str, m: re.Match[str], line_start: int) -> bool:
    """Whether the terminal punctuation match `m` inside `line` ends a sentence (the line starts at line_start)."""
    nxt = _first_letter(line, m.end())
    if not nxt:
        return True
    if nxt.islower():
        return False
    punct = m.group(0)
    if not punct.startswith(".") or punct.startswith(".."):
        return True  # ? ! … and ellipses end a sentence before a capital/digit
    if len(punct.rstrip(_CLOSERS)) > 1:
        return True
    found = _prev_word(line, max(line_start, m.start() - 64), m.start())
    if found is None:
        return True
    prev_start, prev = found
    if punct != "." or prev[-1] in _CLOSERS:
        return True  # '."' or ')' before the period: a real sentence end
    low = prev.casefold()
    if low in _NEVER_FINAL or low.rstrip(".") in _NEVER_FINAL:
        return False
    if (
        low in _STATES
        and _DATELINE_HEAD_RE.fullmatch(line, line_start, prev_start)
        and _AFTER_STATE_RE.match(line, m.end())
    ):
        return False  # a dateline: "TAMPA, Fla. (AP) — …"
    if low in _MAYBE_FINAL or low in _BEFORE_NUMBER:
        return not nxt.isdigit()
    if len(prev) == 1 and prev.isalpha() and prev.isupper():
        return False  # an initial: "J. K. Rowling", "H. Ahmad"
    if len(prev) == 1 and prev.isalpha() and _ABBREV_LETTER_RE.match(line, m.end()):
        return False  # letter-dot abbreviations written apart: "z. B.", "d. h.", "u. a."
    if "." in prev and _DOTTED_ACRONYM_RE.fullmatch(prev + "."):
        return False  # "U.S.", "S.H.", "z.B."
    if prev.isdigit():
        if prev_start == line_start:
            return False  # "1. " list marker at the start of a line
        word_m = _LETTERS_RE.match(line[m.end() :].lstrip())
        if word_m and word_m.group(0).casefold() in _GERMAN_MONTHS:
            return False  # German ordinal date: "am 3. Oktober"
        before = line[max(line_start, prev_start - 8) : prev_start].split()
        if word_m and len(prev) <= 3 and before and before[-1].casefold() in _GERMAN_BEFORE_ORDINAL:
            return False  # German ordinal: "des 19. Jahrhunderts", "im 2. Weltkrieg"
    return True


def _line_spans(text: str) -> list[tuple[int, int]]:
    """Non-blank lines as (start, end), stripped."""
    out = []
    for m in _LINE_RE.finditer(text):
        s, e = m.span()
        seg = m.group(0)
        ls = len(seg) - len(seg.lstrip())
        rs = len(seg.rstrip())
        if rs > ls:
            out.append((s + ls, s + rs))
    return out


def _continues(text: str, prev: tuple[int, int], cur: tuple[int, int]) -> bool:
    """Whether line `cur` continues the sentence of line `prev` (hard-wrapped text)."""
    if text.count("\n", prev[1], cur[0]) != 1:
        return False
    first = text[cur[0]]
    if not first.islower() or _BULLET_RE.match(text, cur[0], cur[1] + 1):
        return False
    return text[prev[1] - 1] not in _SENTENCE_PUNCT


def line_blocks(text: str) -> list[tuple[int, int]]:
    """Text blocks separated by sentence-ending line breaks (a hard-wrapped paragraph is one block)."""
    blocks: list[tuple[int, int]] = []
    prev: tuple[int, int] | None = None
    for span in _line_spans(text):
        if prev is not None and blocks and _continues(text, prev, span):
            blocks[-1] = (blocks[-1][0], span[1])
        else:
            blocks.append(span)
        prev = span
    return blocks


def _strip_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    seg = text[start:end]
    left = len(seg) - len(seg.lstrip())
    right = len(seg.rstrip())
    if right <= left:
        return None
    return start + left, start + right


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in order, stripped, covering every non-whitespace character exactly once."""
    out: list[tuple[int, int]] = []
    for b_start, b_end in line_blocks(text):
        block = text[b_start:b_end]
        cut = 0
        for m in _TERMINAL_RE.finditer(block):
            line_start = block.rfind("\n", 0, m.start()) + 1
            if not _is_boundary(block, m, line_start):
                continue
            span = _strip_span(text, b_start + cut, b_start + m.end())
            if span:
                out.append(span)
            cut = m.end()
        span = _strip_span(text, b_start + cut, b_end)
        if span:
            out.append(span)
    return out
