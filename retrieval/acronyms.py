"""Questions that ask what an acronym stands for ("Apa kepanjangan dari BPS?", "What does NATO stand for?").

Their answer is the long form an article writes beside the short one ("Badan Pusat Statistik (BPS)"). The words
that ask ("kepanjangan", "singkatan", "stand for") are no search terms: "kepanjangan" is "panjang" (long) to the
stemmer and found articles about lengths. The long form is found by Schwartz & Hearst's algorithm (A Simple
Algorithm for Identifying Abbreviation Definitions in Biomedical Text, 2003), which also reads the syllable
acronyms Indonesian writes ("Aptindo" for "Asosiasi Produsen Tepung Terigu Indonesia", "Polsek").
"""

from __future__ import annotations

import re
from functools import lru_cache

from retrieval.stopwords import QUESTION_WORDS, STOP_WORDS

# The words of a question that ask for a long form.
_ASKS = re.compile(
    r"(?i)\b(?:kepanjangan(?:nya)?|singkatan(?:nya)?|kependekan(?:nya)?|akronim(?:nya)?|"
    r"stands?\s+for|short\s+for|full\s+form|long\s+form|abbreviation|acronym|"
    r"wof[üu]r\s+steht|steht\s+f[üu]r|abk[üu]rzung|"
    r"siglas?|acr[óo]nimo|abreviatura)\b"
)
_LINKS = frozenset({"dari", "kata", "istilah", "of", "the", "die", "der", "das", "las", "la", "el", "de"})
_NOT_ACRONYMS = _LINKS | frozenset().union(*QUESTION_WORDS.values(), *STOP_WORDS.values())
_TOKEN = re.compile(r"[^\W_][\w&-]*")
_SENTENCE_BREAK = re.compile(r"[.!?;:\"“”()\[\]]\s")


def _looks_like_acronym(tokens: list[re.Match[str]], i: int) -> bool:
    """An acronym among the question's words: written with two capitals ("BPS", "IAEA"), or one capitalised word
    that no other capitalised word joins ("Aptindo", not the "Hukum" of "Lembaga Bantuan Hukum")."""
    word = tokens[i].group(0)
    if len(word) < 2 or not word[0].isupper():
        return False
    if sum(c.isupper() for c in word) >= 2:
        return True
    if i == 0:  # a capital that starts the sentence
        return False
    before = tokens[i - 1].group(0)
    after = tokens[i + 1].group(0) if i + 1 < len(tokens) else ""
    return not before[:1].isupper() and not after[:1].isupper()


@lru_cache(maxsize=256)  # asked 3 times a question (the search text, the pool size, the window features)
def asked_acronym(question: str) -> str | None:
    """The short form whose long form the question asks for, or None for other questions (a question that gives
    the long form and asks for the short one, "Apa singkatan dari Lembaga Bantuan Hukum?", is another question)."""
    asks = list(_ASKS.finditer(question))
    if not asks:
        return None
    m = asks[-1]  # "Wofür steht die Abkürzung BIP?": after the last asking word
    tokens = list(_TOKEN.finditer(question))
    after = [i for i, t in enumerate(tokens) if t.start() >= m.end()]
    named = [i for i in after if tokens[i].group(0).casefold() not in _LINKS]
    if len(named) >= 2 and all(tokens[i].group(0)[:1].isupper() for i in named[:2]):
        return None  # "singkatan dari Lembaga Bantuan Hukum": a long form given, its short form asked
    before = [i for i, t in enumerate(tokens) if t.end() <= m.start()]
    order = [*after, *reversed(before)]  # "kepanjangan dari BPS", then "BPS itu singkatan dari apa"
    for i in order:
        if _looks_like_acronym(tokens, i):
            return tokens[i].group(0)
    # Typed in lower case ("bps singkatan dari apa"): the one word besides question and stop words, if one.
    words = [tokens[i].group(0) for i in order if tokens[i].group(0).casefold() not in _NOT_ACRONYMS]
    return words[0] if len(words) == 1 and len(words[0]) >= 2 else None


# Titles people abbreviate and news writes out, often without "Officer" ("Chief Executive Priya Raman"): found in
# an English user's review, "who is the ceo of northwind" named another company's CEO and "whos the new ceo of
# kestrel" was refused. A question with one is searched with either form (`title_long_forms`), and a sentence
# with the written form matches it (`retrieval.answer`).
TITLE_ACRONYMS = {
    "ceo": "chief executive",
    "cfo": "chief financial officer",
    "coo": "chief operating officer",
    "cto": "chief technology officer",
    "cio": "chief information officer",
}
_TITLE_ACRONYM_RE = re.compile(r"(?i)\b(" + "|".join(TITLE_ACRONYMS) + r")\b")


def title_long_forms(question: str) -> str | None:
    """The question with each abbreviated title written out ("who is the ceo of x" -> "who is the chief
    executive of x"), or None when it has none."""
    if _TITLE_ACRONYM_RE.search(question) is None:
        return None
    return _TITLE_ACRONYM_RE.sub(lambda m: TITLE_ACRONYMS[m.group(1).casefold()], question)


def acronym_search_text(question: str) -> str:
    """The question without the words that ask for a long form, when it asks for one (the text to search with)."""
    if asked_acronym(question) is None:
        return question
    return _ASKS.sub(" ", question)


def _long_form_start(short: str, candidate: str) -> int | None:
    """Schwartz & Hearst: where in `candidate` the long form of `short` starts, matching the short form's letters
    right to left, its first letter at the start of a word; None when they do not all match."""
    letters = [c.casefold() for c in short if c.isalnum()]
    if not letters:
        return None
    si, li = len(letters) - 1, len(candidate) - 1
    while si >= 0:
        c = letters[si]
        while li >= 0 and (
            candidate[li].casefold() != c or (si == 0 and li > 0 and candidate[li - 1].isalnum())
        ):
            li -= 1
        if li < 0:
            return None
        li -= 1
        si -= 1
    return li + 1


def long_forms(text: str, short: str) -> list[tuple[int, int]]:
    """Spans of `text` that spell out `short`: "Long Form (SHORT)" and "SHORT (Long Form)"."""
    n = sum(c.isalnum() for c in short)
    max_words = min(n + 5, 2 * n)
    out: list[tuple[int, int]] = []
    esc = re.escape(short)
    for m in re.finditer(rf"\(\s*{esc}\s*[),;]", text, re.IGNORECASE):
        window_start = max(0, m.start() - 300)
        before = text[window_start : m.start()]
        breaks = list(_SENTENCE_BREAK.finditer(before))
        if breaks:  # the long form is in the same sentence and outside other brackets
            window_start += breaks[-1].end()
        words = list(_TOKEN.finditer(text, window_start, m.start()))[-max_words:]
        if not words:
            continue
        lo = words[0].start()
        start = _long_form_start(short, text[lo : words[-1].end()])
        if start is not None:
            s = lo + start
            e = words[-1].end()
            if s < e and len(_TOKEN.findall(text, s, e)) >= 2:
                out.append((s, e))
    for m in re.finditer(rf"(?<!\w){esc}\s*\(([^()]{{3,200}})\)", text, re.IGNORECASE):
        words = list(_TOKEN.finditer(text, *m.span(1)))
        if (
            2 <= len(words) <= max_words
            and _long_form_start(short, text[words[0].start() : words[-1].end()]) == 0
        ):
            out.append((words[0].start(), words[-1].end()))
    return out
