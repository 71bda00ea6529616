"""Does the cited article contradict a name the question gives? ("Siapa Wali Kota Batam?" against an article
that only has "Wali Kota Surabaya …").

Retrieval and the sentence ranking reward what a question and a sentence share, so a question about another
city, body or year than the one an article covers ("Wali Kota Batam", "Bank of England", "gempa Garut tahun
2024") is answered from the article on its neighbour with a high score: every word matches but one. Absence alone
is weak evidence (users add context an article leaves implicit: "in 2015", a typo, a translated name), so the
rule needs a contradiction: the question's name is nowhere in the whole article (nor a near spelling of it),
while the article has the same words that lead to it in the question followed by ANOTHER name or year
("kota" -> "Surabaya", "bank of" -> "Canada", "tahun" -> "2023"). One absence is enough: a place the question
writes as a place — capitalised, the last word of its name, after a place word ("banjir di Surabaya", "wildfires in
Argentina") — that the whole article never names (news sets: 11 more unanswerable questions refused, no answer lost);
so is a year the whole article never writes while it dates its story with others, none of them a year away if it
also counts relatively ("tahun lalu", "last year"; news sets: 8 more refused, no answer lost).

Measured on the development sets (`benchmarks/tune_answers.py`-cached candidates with the whole articles):
questions refused that were answered right: XQuAD en 2 / es 1 of 623, SQuAD-id 14 of 1,956; FacQA none (its
"articles" are single passages, under `MIN_ARTICLE_WORDS`). German is left out: it capitalises every noun.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from retrieval.answer_types import is_weekday_or_month
from retrieval.stopwords import QUESTION_WORDS, STOP_WORDS
from retrieval.text import _indonesian_roots, analyze_word, fold_word, word_spans

# Shorter texts (a forwarded paragraph; FacQA passages, at most 108 words) say too little for absence to mean
# anything. Short news articles run from ~140 words.
MIN_ARTICLE_WORDS = 120
# A name this short matches a lowercase word by its letters alone too often ("Sam" / "sama"): only a capitalised
# lookalike counts as its other spelling.
SHORT_NAME = 4
LANGUAGES = frozenset({"id", "en", "es"})  # German capitalises all nouns: a capital says nothing about names

_FUNCTION = frozenset().union(*STOP_WORDS.values(), *QUESTION_WORDS.values())
_LISTING = frozenset({"y", "and", "dan", "und", "o", "or", "atau", "e", "serta"})  # "Tesla, Lane y Vale"
_YEAR_DIGITS = r"(?:1[0-9]{3}|20[0-9]{2})"
_YEAR = re.compile(rf"^{_YEAR_DIGITS}$")
_POSSESSIVE = re.compile(r"['’]s$")
_SENTENCE_END = ".!?:\"“”\n"
_BEFORE_NUMBER = re.compile(r"\s*\d")
_YEAR_IN_TEXT = re.compile(rf"\b{_YEAR_DIGITS}\b")
_DECADE = frozenset("decade decada dekade jahrzehnt dasawarsa".split())
_RELATIVE_YEAR = re.compile(
    r"(?i)\b(?:tahun (?:lalu|ini|sebelumnya|depan)|(?:last|this|next|previous) year|a year (?:earlier|ago)|"
    r"año (?:pasado|anterior|próximo)|este año|vorjahr|(?:letzten|vorigen|diesem|nächsten) jahr)\b"
)


@dataclass(frozen=True)
class NameSlot:
    """A name (or year) of the question with the words that lead to it: ("kota",) -> "batam"."""

    context: tuple[str, ...]
    name: str
    is_year: bool
    place: bool = False  # written as a place is: capitalised, last of its name, after a place word ("di Surabaya")


def question_name_slots(
    question: str, lang: str | None, written_as_name: Callable[[str], bool] | None = None
) -> tuple[NameSlot, ...]:
    """The question's names and years that follow a content word ("Wali Kota Batam", "mayor of Batam",
    "gempa tahun 2024"); acronyms, weekdays and months, and names after a listing word are left out.

    A lowercase word counts in two cases: in Indonesian after a place word, when the dictionary does not know
    it ("di demak"); in English and Spanish after a place preposition ("in texas", "mayor of seattle") when
    `written_as_name` says the collection writes it as a name (then the preposition alone leads to it)."""
    if lang not in LANGUAGES:
        return ()
    words = [question[a:b] for a, b in word_spans(question)]
    asking = QUESTION_WORDS.get(lang, frozenset())
    out: list[NameSlot] = []
    for i, word in enumerate(words):
        is_year = bool(_YEAR.match(word))
        if not is_year:
            if i == 0 or len(word) < 2 or word.isupper() or is_weekday_or_month(word):
                continue
            if i + 1 < len(words) and words[i + 1].casefold() in asking:
                continue  # what the question asks for, no name of it ("diekspor ke negara mana", "Kota apa")
            before = words[i - 1].casefold()
            if (
                not word[0].isupper() and lang in ("en", "es") and before in _PLACE_PREPOSITIONS
                and written_as_name is not None and len(word) >= 3 and word.isalpha() and word not in _FUNCTION
                and written_as_name(word)
            ):
                out.append(NameSlot((before,), fold_word(word.casefold()), False))
                continue
            if not word[0].isupper() and not (
                lang == "id" and before in _PLACE_BEFORE and (
                    _unknown_indonesian(word)
                    # "kota banda aceh": a word of the dictionary that the collection writes as a name
                    or (written_as_name is not None and word.isalpha() and word.casefold() not in _FUNCTION
                        and written_as_name(word))
                )
            ):
                continue
        name = fold_word(_POSSESSIVE.sub("", word).casefold())
        if not is_year and name in _FUNCTION:
            continue
        context: list[str] = []
        j = i - 1
        while j >= 0:
            context.insert(0, fold_word(words[j].casefold()))
            if context[0] not in _FUNCTION:
                break
            j -= 1
        if j < 0 or context[-1] in _LISTING:
            continue
        place = (
            not is_year and word[0].isupper() and context[-1] in _PLACE_WORDS
            and (i + 1 == len(words) or not words[i + 1][0].isupper())
        )
        out.append(NameSlot(tuple(context), name, is_year, place))
    return tuple(out)


# The words a place name follows in an Indonesian question ("di demak", "kota surabaya", "warga bekasi"): a
# lowercase word elsewhere is a verb or a short form as often as a name ("berlaku", "lotim", "skrg").
_PLACE_BEFORE = frozenset(
    "di ke dari kota kabupaten kab provinsi prov kecamatan kelurahan desa pulau pasar warga".split()
)


# English and Spanish prepositions a place follows ("how many lost power in texas", "mayor of seattle").
_PLACE_PREPOSITIONS = frozenset("in at of from near en de del desde".split())
_PLACE_WORDS = _PLACE_BEFORE | _PLACE_PREPOSITIONS


def _unknown_indonesian(word: str) -> bool:
    """Whether a lowercase word of an Indonesian question is likely a name: not in the root dictionary, nor its
    stem ("surabaya", "bekasi", "cianjur"; not "baru", "pengungsi", "timur"). Chat questions are typed in lower
    case (found in review: "siapa wali kota surabaya" was answered from the article on Medan's mayor)."""
    low = word.casefold()
    if len(low) < 4 or not low.isalpha():
        return False
    roots = _indonesian_roots()
    return low not in roots and not any(t in roots for t in analyze_word(low, "id"))


def _indonesian_word(word: str) -> bool:
    """Whether a lowercase word is Indonesian of the dictionary, or a root with affixes ("menjaga")."""
    return not _unknown_indonesian(word) and word.isalpha() and len(word) >= 4


def _similar(a: str, b: str) -> bool:
    """The same name in another spelling or form ("lor"/"lord", "acadians"/"acadian", a typo)."""
    if a == b:
        return True
    if min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a)):
        return True
    if min(len(a), len(b)) >= 4 and (a.startswith(b[: max(4, len(b) - 2)]) or b.startswith(a[: max(4, len(a) - 2)])):
        return True
    return len(a) >= 5 and len(b) >= 5 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


@dataclass(frozen=True)
class _ArticleWords:
    spans: list[tuple[int, int]]
    folded: list[str]
    vocabulary: frozenset[str]
    positions: dict[str, list[int]]


@lru_cache(maxsize=64)
def _article_words(article: str) -> _ArticleWords:
    """The article's words, folded, with where each occurs (cached: a collection's long articles come back)."""
    spans = word_spans(article)
    folded = [fold_word(article[a:b].casefold()) for a, b in spans]
    positions: dict[str, list[int]] = {}
    for i, w in enumerate(folded):
        positions.setdefault(w, []).append(i)
    return _ArticleWords(spans, folded, frozenset(folded), positions)


def _capitalised(article: str, words: _ArticleWords, word: str) -> bool:
    """Whether the article writes `word` capitalised somewhere (as a name is written)."""
    return any(article[words.spans[i][0]].isupper() for i in words.positions.get(word, ()))


def _alike(name: str, vocabulary: frozenset[str]) -> list[str]:
    """The words worth comparing letter by letter (`_similar` on a whole long article was its slowest part):
    the same first letter (prefix cases), or the same last three and a length within two ("kalifornia")."""
    first, last = name[:1], name[-3:]
    return [w for w in vocabulary if w[:1] == first or (w[-3:] == last and abs(len(w) - len(name)) <= 2)]


# A short form of capitalised words the article writes: the first letters of two to four of them in a row ("Kanwil"
# for "Kantor Wilayah", "Pemkab" for "Pemerintah Kabupaten", "Jabar" for "Jawa Barat", "Dirut" for "Direktur
# Utama"). Capitalised: "Medan" is not "me…" and "dan" of "mengatakan dan".
MIN_SHORT_FORM = 5


def _shortens(name: str, words: Sequence[str], capital: Sequence[bool], start: int) -> bool:
    """Whether `name` is the first two or more letters of each of two to four capitalised words from
    `words[start]` on."""

    def rest(pos: int, k: int, parts: int) -> bool:
        if pos == len(name):
            return parts >= 2
        if k >= len(words) or parts == 4 or not capital[k]:
            return False
        word = words[k]
        return any(
            word[:n] == name[pos : pos + n] and rest(pos + n, k + 1, parts + 1)
            for n in range(min(len(word), len(name) - pos), 1, -1)
        )

    return rest(0, start, 0)


def _short_form(name: str, article: str, words: _ArticleWords) -> bool:
    """Whether the article writes the words that `name` shortens (Indonesian news writes "Kepala Kantor Wilayah"
    where its readers write "Kanwil": no other name in the slot)."""
    if len(name) < MIN_SHORT_FORM or not name.isalpha():
        return False
    folded = words.folded
    capital = [article[a].isupper() for a, _ in words.spans]
    return any(w.startswith(name[:2]) and _shortens(name, folded, capital, i) for i, w in enumerate(folded))


def contradiction(slots: Sequence[NameSlot], article: str, lang: str | None = None) -> tuple[str, str] | None:
    """(the question's name, the article's other name in its place), or None when the article does not
    contradict the question (it has the name, something like it, or not the words that lead to it)."""
    if not slots:
        return None
    lowered = article.casefold()
    # Fast path: a name of 4+ letters found anywhere in the text is in some word of it (the rule below).
    if all(len(s.name) >= 4 and s.name in lowered for s in slots):
        return None
    if len(article.split()) < MIN_ARTICLE_WORDS:
        return None
    words = _article_words(article)
    spans, folded, vocabulary = words.spans, words.folded, words.vocabulary
    for slot in slots:
        name = slot.name
        if name in vocabulary or (len(name) >= 4 and (name in lowered or any(name in w for w in vocabulary))):
            continue
        if not slot.is_year and any(
            _similar(name, w) and (
                _capitalised(article, words, w)
                or (len(name) > SHORT_NAME and not (lang == "id" and _indonesian_word(w)))
            )
            for w in _alike(name, vocabulary)
        ):
            # the name in another spelling or form ("Kalifornia", "alemanas" for "Alemania"); a short name's
            # lowercase lookalike is none ("sama" for "Sam"), nor an Indonesian word's ("menjaga" for "Menjangan")
            continue
        if not slot.is_year and _short_form(name, article, words):
            continue
        n = len(slot.context)
        for i in words.positions.get(slot.context[0], ()):
            if i + n >= len(folded) or folded[i : i + n] != list(slot.context):
                continue
            a, b = spans[i + n]
            other = article[a:b]
            if slot.is_year:
                if _YEAR.match(other):
                    return name, other
                continue
            mid_sentence = article[:a].rstrip()[-1:] not in _SENTENCE_END
            label = _BEFORE_NUMBER.match(article, b) is not None  # "anggaran Rp 3,2 miliar": a label, no name
            if mid_sentence and other[0].isupper() and not label and not _similar(folded[i + n], name):
                return name, other
        if slot.place:
            # "Berapa rumah terendam banjir di Surabaya?" of the article on Semarang's flood, "How many people
            # died in the wildfires in Argentina?" of Chile's: a place the question names as a place, nowhere in
            # the whole article, is another event's
            return name, ""
        if slot.is_year and _DECADE.isdisjoint(slot.context):
            # "Berapa kasus DBD di Kabupaten Bogor tahun 2023?" of the article on 2025's cases: a year the whole
            # article never writes, while it dates its story with others ("la década de 1970" is a decade) — and
            # none of them a year away when it also counts relatively ("tahun lalu", "last year")
            years = [int(y) for y in _YEAR_IN_TEXT.findall(article)]
            relative = _RELATIVE_YEAR.search(article) is not None
            if years and not (relative and any(abs(int(name) - y) <= 1 for y in years)):
                return name, str(years[0])
    return None
