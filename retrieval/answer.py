"""Extractive answers: choose the sentence (or two adjacent sentences) that answers a question, and the short
answer span inside it.

Pure functions over the top passages that retrieval found; no I/O. Every answer is a slice of a stored passage,
so it is never invented.

Each candidate (a sentence, or a sentence plus the next one) gets language-general features: idf-weighted
coverage of the question's terms, exact surface-word and term-bigram overlap, the passage's BM25 rank and
relative score, answer-type match, proximity of the matches, length, and question-level evidence of absence
(how much of the question's idf mass the index does not know at all). A question term that is found only
inside a longer sentence word, or that contains a sentence word's term, of >= PARTIAL_MIN_CHARS letters
(compounds: "Ergänzungsschulen" / "Schulen"), counts as matched (`PARTIAL_WEIGHT`). A logistic model
(`retrieval/answer_model.py`, fitted by `benchmarks/tune_answers.py` on FacQA train) turns them into a
probability that the candidate shows the answer. That probability is the extract's `score`: it is calibrated,
does not depend on corpus size, and one refusal threshold (`DEFAULT_MIN_SCORE`) works across languages.

The short answer is the best-scoring span of the shown text among typed candidates (numbers, dates, names) and
untyped chunks of words the question does not contain, scored by type match, distance to the question's
matched words, capitalisation, a preceding place preposition, etc., weighted per asked type (`span_weights`).
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate, chain, compress, count, repeat
from operator import and_, ge, itemgetter, mul, not_

from retrieval.acronyms import TITLE_ACRONYMS, asked_acronym, long_forms
from retrieval.answer_model import (
    REFUSAL_FEATURES,
    REFUSAL_WEIGHTS,
    SENTENCE_FEATURES,
    SENTENCE_WEIGHTS,
    SPAN_FEATURES,
    span_weights,
)
from retrieval.answer_types import (
    DIMENSIONS,
    AnswerType,
    asked_count_noun,
    asked_figure,
    asks_for_age,
    asks_for_change,
    asks_for_clock_time,
    asks_for_money,
    asks_for_rank,
    asks_for_score,
    date_bound,
    definition_span,
    definition_subject,
    dimension_word,
    duration_unit,
    expected_answer_type,
    is_clock_time,
    is_percent,
    is_why_question,
    is_yes_no_question,
    person_role,
    question_head,
    reason_span,
    typed_candidates,
    with_unit,
    written_as_age,
    written_count_noun,
)
from retrieval.layout import Layout, decode_layout
from retrieval.persons import (
    asked_name,
    asks_for_a_person,
    asks_new_or_old,
    holder_asked,
    holder_words,
    is_post,
    name_alone,
    named_span,
    names_post,
    no_person_name,
    person_description,
    post_before_holder,
    post_of,
)
from retrieval.sentences import split_sentences
from retrieval.stopwords import QUESTION_WORDS, STOP_WORDS
from retrieval.text import (
    IRREGULAR_EN,
    SUPPORTED_LANGUAGES,
    UNIT_TERMS,
    analyze,
    analyze_word,
    fold_word,
    plain_word_terms,
    word_spans,
)

MAX_PASSAGES = 8
# Passages scoring under this share of the best one are not read (`articlebot eval` on the five development sets:
# 0.4 changes every figure by at most 0.0001, 0.5 one or two answers per set either way, 0.55 (kept) the same
# figures as 0.5 on every held-out set and 5-9 % less extraction time there, 0.6 loses on XQuAD de and SQuAD-id;
# 0.5 cut the extraction time at 100k passages by ~20 % and on the development sets by ~50 %).
MIN_PASSAGE_SHARE = 0.55
# Passages of the best passage's article are read down to this share of that cut-off (0.33 of the best score): they
# need not name what the question is about again ("Jumlah pengungsi mencapai 6.850 jiwa" under the Mamuju quake's
# lead). News sets (`benchmarks/news_qa.py`): news_qa2 0.779 -> 0.785, news_qa3 0.748 -> 0.755, news_qa7 (posts)
# 0.714 -> 0.719, news_qa8 0.759 -> 0.774, news_qa9 0.796 -> 0.801, the others unchanged; tune_answers report within
# one question; no cost at 100k passages (extraction alone, alternating on and off in one process: 0.994x).
# Reading the whole article retrieved: the same but news_qa3 0.748; 0.8: news_qa8 -0.5 against 0.6.
SAME_ARTICLE_SHARE = 0.6
# Ranking features set by hand after the refusal model was fitted: left out of the "rank" it reads.
_HAND_SET = ("role_named", "art_cov", "headline", "reason", "unit_near", "name_miss", "kind_ok")
# Below this probability the engine refuses. Chosen by measurement (benchmarks/tune_answers.py tradeoff): with
# the refusal model that reads the article's coverage too, the threshold that keeps the fitting sets' false
# refusals where the model before it had them at 0.12 (`articlebot eval`: SQuAD-id 3.6 -> 3.8 %; at 0.12, 4.0 %).
# (Before it: the highest threshold keeping them <= 5 %.)
DEFAULT_MIN_SCORE = 0.11
# The refusal probability at least given to a who-question's answer when the article's title has the question's
# other words and the sentence names the holder of the asked post right after it ("who is the ceo of halvard":
# "Chief executive Dana Whitcombe said …"). news_qa8 false refusals 10 -> 8, news_qa9 English 10 -> 9, the
# development sets and the refusals of questions against another set's articles unchanged (tune_answers report).
ROLE_IN_TITLED_ARTICLE = 0.3
# How many windows that do not name a who-question's asked post are passed over for the next one that does.
POST_LOOKAHEAD = 3
# Passages whose word layout and sentences stay cached (`_word_layout`): ~70 articles' worth; measured with
# tracemalloc, 10.9 MB for 512 SQuAD-id paragraphs (117 words on average), 18.2 MB at ~190 words.
LAYOUT_CACHE = 512
MAX_SPAN_TOKENS = 8

_ALL_STOP = frozenset().union(*STOP_WORDS.values())
_ALL_QWORDS = frozenset().union(*QUESTION_WORDS.values())
# Words that introduce a place or time ("di Munich", "in Berlin", "im Jahr", "en Madrid").
_PREPS = frozenset(
    "di ke dari pada sejak tahun in at on from since during im am beim zum zur nach bei aus seit vom en desde "
    "a hacia durante".split()
)
_DASHES = ("—", "–", " - ", ":", "|")
# Partial (compound) matches: a question term that is a substring of a sentence word ("schul" in
# "ergänzungsschulen"), or a sentence word's term that is a substring of a question term ("gericht" in
# "bundesverfassungsgericht"), matches at PARTIAL_WEIGHT of its weight when it has >= PARTIAL_MIN_CHARS.
# Extraction-time only: the index is unchanged. Weight/length measured on XQuAD de (no German tuning set);
# enabling it for all languages was decided on the tuning sets (SQuAD-id 0.681 -> 0.691, FacQA train
# 0.789 -> 0.794, false refusals down on both).
PARTIAL_LANGS = frozenset({"id", "en", "de", "es"})
PARTIAL_WEIGHT = 1.0
PARTIAL_MIN_CHARS = 4
PARTIAL_COUNTS_FOUND = True  # a partially matched term is not "missing" (miss_rare)
# German lowercase words (see _candidate_features). Chosen between 0.5 and 0.3 on XQuAD de, the only German QA data
# (so its German figures are no longer strictly held out): 0.5 -> sentence 0.774, false refusals 5.3 %; 0.3 ->
# 0.775, 4.8 %; German against English articles refused 91.5 % either way. Also the asked noun of a what/which
# question in every language: news sets -12 false refusals (files and posts), unanswerables refused unchanged;
# XQuAD de 0.779 -> 0.783 (false refusals 4.5 -> 4.0 %), SQuAD-id -> FacQA refused 0.821 -> 0.818. For every
# lowercase word in English too: XQuAD en 0.830 -> 0.840 (false refusals 3.5 -> 1.9 %), but English news
# unanswerables refused 46 -> 35 of 125, and at equal refusals fewer right answers than before (not kept).
UNKNOWN_LOWERCASE_WEIGHT = 0.3


@dataclass(frozen=True)
class PassageCandidate:
    """A retrieved passage: its text, BM25 score, language and its article's title (caller keeps the rest by
    index)."""

    text: str
    score: float
    language: str | None = None
    title: str | None = None
    layout: bytes | None = None  # the passage's stored word and sentence spans (`retrieval.layout`), if any
    order: int = -1  # the passage's place in its article (0: it opens it), -1 when not known


@dataclass
class Extract:
    """One candidate answer: a span of `passages[passage]`'s text."""

    passage: int
    start: int  # sentence (or sentence pair) span inside the passage text
    end: int
    score: float  # probability that this span shows the answer (0..1)
    coverage: float
    answer_start: int | None = None  # short answer span inside the passage text
    answer_end: int | None = None
    features: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class _Sentence:
    start: int
    end: int
    spans: list[tuple[int, int]]  # word offsets (absolute, into the passage text)
    words: list[str]  # casefolded surface words
    tok_terms: list[tuple[str, ...]]  # analysed terms of each word
    terms: frozenset[str]
    term_seq: list[str]
    term_positions: tuple[int, ...]  # word indices that match a question term (exactly or partially)
    partial: frozenset[str] = frozenset()  # question terms matched only inside a compound word


def rare_idf(n_docs: int) -> float:
    """BM25 idf of a term found in one passage of `n_docs` (the weight of a term the index does not know)."""
    return math.log((max(n_docs, 2) - 0.5) / 1.5)


def topic_terms(
    title: str | None, q_set: frozenset[str], lang: str | None, stored: tuple[str, ...] | None = None
) -> frozenset[str]:
    """The question's terms found in the article's title: they say which article, not which sentence of it
    (`stored`: the title's terms in `lang` stored with the passage, `retrieval.layout`).

    A title cut from the first words of the text ("…", `derive_title`) is not a title and gives none.
    """
    if not title or title.endswith("…"):
        return frozenset()
    return q_set.intersection(_title_terms(title, lang) if stored is None else stored)


@lru_cache(maxsize=1 << 12)
def _title_terms(title: str, lang: str | None) -> tuple[str, ...]:
    return tuple(analyze(title, lang))


def _question_weights(
    q_terms: Sequence[str], idf: Callable[[str], float | None], n_docs: int | None = None
) -> tuple[dict[str, float], frozenset[str]]:
    """Each distinct query term's weight (its idf, floored so very common terms still count a little), and
    the terms the index does not know.

    `idf(term)` returns None or 0.0 for a term the index does not know: such a term weighs like the rarest
    term (it is what the question is about, and no passage has it), so questions about something absent
    keep a low coverage instead of being judged on their common words alone.
    """
    raw: dict[str, float | None] = {}
    for term in q_terms:
        if term not in raw:
            v = idf(term)
            raw[term] = v if v else None
    known = [v for v in raw.values() if v is not None]
    unknown_w = rare_idf(n_docs) if n_docs else max([*known, 1.0])
    weights = {t: (max(v, 0.1) if v is not None else max(unknown_w, 0.1)) for t, v in raw.items()}
    return weights, frozenset(t for t, v in raw.items() if v is None)


def _lead_terms(
    passages: Sequence[PassageCandidate],
    heads: Sequence[int],
    q_set: frozenset[str],
    lang: str | None,
    layout_of: Callable[[int], Layout | None] | None = None,
) -> dict[str, frozenset[str]]:
    """Per article read from its start: the question's terms in its first sentence after the headline (in a
    forwarded post, the headline line is a passage of its own, and the lead opens the next). Like the title's,
    they say which article ("WALVIS BAY, Namibia (Reuters) - Namibia opened a … plant near … Walvis Bay"), not
    which of its sentences: "What share of the Walvis Bay plant's power will come from solar?" was answered with
    that lead. Only a lead that opens with a dateline ("PALU, KOMPAS.com -"): a news story's first sentence says
    what the story is (in XQuAD's Wikipedia paragraphs a first sentence is any sentence: de -0.6, es -1.3 points
    without the dateline). A window whose focus they lower keeps its refusal score (the model reads its focus on
    the title's words): "How long is the Qollpa permit suspension?" was refused from the lead that answers it
    (over the news sets +6 false refusals without this, +4 with it, +9 when every window's refusal score read the
    title's focus).
    A forwarded post's second passage is read for its lead on its own: its headline line (the first passage) need
    not be among those read, and its title is cut from a long headline ("…"), which elsewhere marks a fragment (a
    FacQA passage, a pasted paragraph: their first passage is not read so). Without this, posts had no lead
    (22 news sets as posts: +86 sentences, false refusals +13, unanswerables refused +9; the held-out news_qa23 as
    posts 0.835 -> 0.851; files and evals unchanged).

    `layout_of(i)`: passage i's stored layout, decoded (its sentences are not split again: splitting a first-time
    passage took twice as long as decoding its layout, which extraction then reuses)."""
    firsts: dict[str, dict[int, tuple[int, int]]] = {}
    for pi, (p, head) in enumerate(zip(passages[:MAX_PASSAGES], heads, strict=False)):
        if p.title and (p.order == 1 or (p.order == 0 and _whole(p.title))):
            firsts.setdefault(p.title, {})[p.order] = (pi, head)
    out: dict[str, frozenset[str]] = {}
    for title, by_order in firsts.items():
        for order in (0, 1):
            if order not in by_order:
                continue
            pi, head = by_order[order]
            p = passages[pi]
            stored = layout_of(pi) if layout_of is not None else None
            spans = _sentence_spans(p.text) if stored is None else stored[1]
            first = next(((a, b) for a, b in spans if a >= head), None)
            if first is not None:
                if _dateline_at(p.text, *first) >= 0:
                    out[title] = q_set.intersection(analyze(p.text[first[0] : first[1]], p.language or lang))
                break
    return out


def _whole(title: str | None) -> bool:
    """Whether an article came whole, under a title of its own: one cut from its text ("…", `derive_title`) marks
    a fragment (a pasted paragraph, a FacQA passage), which may name in another part what it does not here."""
    return title is not None and title != "" and not title.endswith("…")


def _name_terms(question: str, lang: str | None) -> frozenset[str]:
    """The terms of the question's capitalised words after its first (names: "… proyek di Mataram?")."""
    out: set[str] = set()
    for k, (a, b) in enumerate(word_spans(question)):
        if k and question[a].isupper():
            out.update(analyze_word(question[a:b].casefold(), lang))
    return frozenset(out)


def _lowercase_terms(question: str, lang: str | None) -> frozenset[str]:
    """The terms of the question's words written in lower case."""
    out: set[str] = set()
    for a, b in word_spans(question):
        if question[a].islower():
            out.update(analyze_word(question[a:b].casefold(), lang))
    return frozenset(out)


# Spanish verb forms by their endings (preterite, imperfect, gerund: "encontraron", "buscaba", "llegando",
# "localizó"); nouns rarely end so. An unknown one is a verb the article writes with another ("localizaron").
_SPANISH_VERB_FORM = re.compile(r"\w{2,}(?:aron|ieron|aban?|ando|iendo|[aeií]ó)$")


def _unknown_verb_terms(question: str, lang: str | None) -> frozenset[str]:
    """The terms of the question's words that are plainly verb forms (`looks_verbal`; Spanish by ending)."""
    out: set[str] = set()
    for a, b in word_spans(question):
        word = question[a:b].casefold()
        terms = analyze_word(word, lang)
        if (lang == "es" and _SPANISH_VERB_FORM.match(word)) or looks_verbal(word, terms, lang):
            out.update(terms)
    return frozenset(out)


_MAX_PIECES_TERM = 40  # longer question terms: no `_PartialIndex.parts` (their pieces grow with the square)


class _PartialIndex:
    """The question's long terms (`q_long`) prepared for a fast "cannot match" test: a few substring tests find
    whether any of them occurs inside a word (a question has a handful; compiling one regex of them cost more
    per question than it saved), and one substring test in their NUL-joined string finds whether a word's term
    occurs inside any of them; `parts` answers the latter for a whole passage's words at once (`_record_words`).
    Only words that pass are checked term by term."""

    __slots__ = ("q_long", "q_tuple", "joined", "parts", "cache")

    def __init__(self, q_long: frozenset[str], cache: dict[str, frozenset[str]]) -> None:
        self.q_long = q_long
        self.q_tuple = tuple(q_long)
        self.joined = "\0".join(q_long)
        # Every piece of PARTIAL_MIN_CHARS or more letters of a question term: a word's term of that length is
        # inside a question term exactly when it is one of them (shorter terms never match partially). None for
        # a very long term: words are then tested one by one.
        self.parts = (
            frozenset(q[a:b] for q in q_long for a in range(len(q)) for b in range(a + PARTIAL_MIN_CHARS, len(q) + 1))
            if all(len(q) <= _MAX_PIECES_TERM for q in q_long)
            else None
        )
        self.cache = cache


_EMPTY: frozenset[str] = frozenset()
_chain = chain.from_iterable
_NO_BIGRAMS: frozenset[tuple[str, str]] = frozenset()


def _partial_terms(
    word: str,
    toks: tuple[str, ...],
    q_long: frozenset[str],
    cache: dict[str, frozenset[str]],
    index: _PartialIndex | None = None,
) -> frozenset[str]:
    """Question terms that match `word` only as a compound part (either one contains the other)."""
    got = cache.get(word)
    if got is None:
        if word.isascii():  # folds to itself (no LRU entry); most words have one term
            folded = word
            one_long = len(toks) == 1 and len(toks[0]) >= PARTIAL_MIN_CHARS
            long_toks = toks if one_long else tuple(t for t in toks if len(t) >= PARTIAL_MIN_CHARS)
        else:
            folded, long_toks = _fold_info(word, toks)
        if (
            index is not None
            and index.q_long is q_long
            and not any(q in folded for q in index.q_tuple)
            and not any(t in index.joined for t in long_toks)
        ):
            got = _EMPTY  # no question term inside the word, no word term inside a question term
        else:
            got = frozenset(
                q for q in q_long if q not in toks and (q in folded or any(t in q for t in long_toks))
            )
        cache[word] = got
    return got


@lru_cache(maxsize=1 << 18)
def _fold_info(word: str, toks: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """The folded word and its terms of >= PARTIAL_MIN_CHARS (pure, cached across questions)."""
    return fold_word(word), tuple(t for t in toks if len(t) >= PARTIAL_MIN_CHARS)


@lru_cache(maxsize=1 << 18)
def _word_terms(word: str, lang: str | None) -> tuple[str, ...]:
    """`analyze` of one casefolded surface word (pure, so cached across questions: the per-word cost of
    extraction is one lookup instead of NFKC + casefold + tokenising + the term cache)."""
    return analyze_word(word, lang)


# Per-call record of one surface word: (analysed terms, matches a question term, partially matched terms).
_WordRecord = tuple[tuple[str, ...], bool, frozenset[str]]


def _analyze_sentence(
    text: str,
    start: int,
    end: int,
    lang: str | None,
    q_set: frozenset[str],
    q_long: frozenset[str] = frozenset(),
    cache: dict[str, frozenset[str]] | None = None,
    records: dict[str, _WordRecord] | None = None,
    index: _PartialIndex | None = None,
) -> _Sentence:
    """`records` caches each word's analysis within one call; it must only be shared between sentences with the
    same `lang`, `q_set`, `q_long` and `cache`."""
    span_text = text[start:end]
    spans = [(start + s, start + e) for s, e in word_spans(span_text)]
    words = [text[s:e].casefold() for s, e in spans]
    if records is None:
        records = {}
    use_partial = bool(q_long) and cache is not None
    empty: frozenset[str] = frozenset()
    tok_terms: list[tuple[str, ...]] = []
    seq: list[str] = []
    positions: list[int] = []
    partial: set[str] = set()
    for i, w in enumerate(words):
        rec = records.get(w)
        if rec is None:
            toks = _word_terms(w, lang)
            hit = not q_set.isdisjoint(toks)
            p = (
                _partial_terms(w, toks, q_long, cache, index)  # type: ignore[arg-type]
                if use_partial and len(w) >= PARTIAL_MIN_CHARS and toks
                else empty
            )
            rec = records[w] = (toks, hit or bool(p), p)
        toks, hit, p = rec
        tok_terms.append(toks)
        seq.extend(toks)
        if p:
            partial |= p
        if hit:
            positions.append(i)
    terms = frozenset(seq)
    return _Sentence(start, end, spans, words, tok_terms, terms, seq, tuple(positions), frozenset(partial - terms))


@lru_cache(maxsize=LAYOUT_CACHE)
def _word_layout(text: str) -> tuple[list[tuple[int, int]], list[str], list[int]]:
    """A passage's word spans, casefolded words and word starts (pure, so cached: a chat asks several questions of
    the same articles, and their passages come back). Callers must not change the lists."""
    spans = word_spans(text)
    folded = text.casefold()
    if len(folded) == len(text):  # casefolding never shrinks a character: same length, same offsets
        words = [folded[a:b] for a, b in spans]
    else:
        words = [text[a:b].casefold() for a, b in spans]
    return spans, words, [a for a, _ in spans]


@lru_cache(maxsize=LAYOUT_CACHE)
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """`split_sentences`, cached like `_word_layout`."""
    return tuple(split_sentences(text))


def _analyze_passage(
    text: str,
    sentence_spans: Sequence[tuple[int, int]],
    lang: str | None,
    q_set: frozenset[str],
    q_long: frozenset[str],
    cache: dict[str, frozenset[str]],
    records: dict[str, _WordRecord],
    index: _PartialIndex | None,
    layout: tuple[list[tuple[int, int]], list[str], list[int]] | None = None,
    word_terms: list[tuple[str, ...]] | None = None,
) -> list[_Sentence]:
    """`_analyze_sentence` for each of a passage's sentences, with one tokenising pass over the whole passage
    (`layout`: the passage's `_word_layout`, when the caller has it; `word_terms`: each of its words' terms in
    `lang`, `_word_terms(word, lang)`, when stored with it).

    Equal to the per-sentence results (tests/test_answer.py checks it on messy text): a sentence is cut from the
    passage's word list unless a word crosses one of its ends, then it is analysed on its own.
    """
    spans, words, starts = _word_layout(text) if layout is None else layout
    # Each distinct word once, as no earlier passage (in no particular order: `_record_words` only fills dicts).
    new = [*set(words).difference(records)]
    if new:
        toks = None if word_terms is None else list(map(dict(zip(words, word_terms, strict=True)).__getitem__, new))
        _record_words(new, lang, q_set, q_long, cache, records, index, toks)
    recs = list(map(records.__getitem__, words))
    # (A record's terms are the word's terms in `lang`, which the stored `word_terms` are: no need to read them back.)
    toks_of = word_terms if word_terms is not None else list(map(itemgetter(0), recs))
    hits = list(compress(count(), map(itemgetter(1), recs)))  # words matching a question term (exactly or partially)
    out: list[_Sentence] = []
    for start, end in sentence_spans:
        i = bisect.bisect_left(starts, start)
        j = bisect.bisect_left(starts, end)
        if (i > 0 and spans[i - 1][1] > start) or (j > 0 and spans[j - 1][1] > end):
            out.append(_analyze_sentence(text, start, end, lang, q_set, q_long, cache, records, index))
            continue
        tok_terms = toks_of[i:j]
        seq = list(_chain(tok_terms))
        terms = frozenset(seq)
        own = hits[bisect.bisect_left(hits, i) : bisect.bisect_left(hits, j)]
        partial = frozenset().union(*[recs[k][2] for k in own if recs[k][2]]) if own else _EMPTY
        positions = tuple([k - i for k in own]) if own else ()
        out.append(_Sentence(start, end, spans[i:j], words[i:j], tok_terms, terms, seq, positions, partial - terms))
    return out


def _record_words(
    words: list[str],
    lang: str | None,
    q_set: frozenset[str],
    q_long: frozenset[str],
    cache: dict[str, frozenset[str]],
    records: dict[str, _WordRecord],
    index: _PartialIndex | None,
    all_toks: list[tuple[str, ...]] | None = None,
) -> None:
    """The records of distinct words new to `records` (what `_analyze_sentence` computes per word), mostly in
    whole-list operations: the words a question term can match partially (a question term inside the word, or
    one of its terms inside a question term) are found for all at once, and only they are checked term by term.
    `all_toks`: the words' `_terms_of`, when the caller has them."""
    if all_toks is None:
        all_toks = _terms_of(words, lang)
    hit = map(not_, map(q_set.isdisjoint, all_toks))  # a question term among the word's terms
    records.update(zip(words, zip(all_toks, hit, repeat(_EMPTY)), strict=True))
    if not q_long:
        return
    if index is None or index.q_long is not q_long or index.parts is None or not cache.keys().isdisjoint(words):
        # Word by word, as `_analyze_sentence` (a word the cache has, from another language's passage, keeps it).
        for w, toks in zip(words, all_toks, strict=True):
            p = _partial_terms(w, toks, q_long, cache, index) if len(w) >= PARTIAL_MIN_CHARS and toks else _EMPTY
            if p:
                records[w] = (toks, True, p)
        return
    folded = words if "".join(words).isascii() else [w if w.isascii() else fold_word(w) for w in words]
    maybe = _words_containing(folded, index.q_tuple)
    maybe.update(compress(count(), map(not_, map(index.parts.isdisjoint, all_toks))))
    # len(w) >= PARTIAL_MIN_CHARS and bool(toks), for every word at once
    eligible = list(map(and_, map(ge, map(len, words), repeat(PARTIAL_MIN_CHARS)), map(bool, all_toks)))
    cache.update(dict.fromkeys(compress(words, eligible), _EMPTY))  # most: no partial match
    for k in maybe:
        if not eligible[k]:
            continue
        w, toks, f = words[k], all_toks[k], folded[k]
        long_toks = tuple(t for t in toks if len(t) >= PARTIAL_MIN_CHARS)
        p = cache[w] = frozenset(q for q in q_long if q not in toks and (q in f or any(t in q for t in long_toks)))
        if p:
            records[w] = (toks, True, p)


def _terms_of(words: list[str], lang: str | None) -> list[tuple[str, ...]]:
    """`_word_terms(w, lang)` of each word; a plain ASCII word (most) by one lookup in the language's term cache."""
    if lang is None:
        return [_word_terms(w, None) for w in words]
    plain = plain_word_terms(lang)
    joined = "".join(words)
    if joined.isascii() and joined.isalnum():  # every word plain
        return list(map(plain, words))
    return [plain(w) if w.isascii() and w.isalnum() else _word_terms(w, lang) for w in words]


def _words_containing(words: list[str], needles: tuple[str, ...]) -> set[int]:
    """The indices of `words` that contain one of `needles` (none of them holds a NUL)."""
    blob = "\0".join(words)
    out: set[int] = set()
    ends: list[int] | None = None
    for q in needles:
        at = blob.find(q)
        while at >= 0:
            if ends is None:
                ends = list(accumulate(len(w) + 1 for w in words))  # one past each word's NUL
            out.add(bisect.bisect_right(ends, at))
            at = blob.find(q, at + 1)
    return out


# Verbs that say an event happened, and nothing about which: "terjadi" shares its stem with "menjadi" (become).
_EVENT_VERBS = frozenset(
    "terjadi happen happened happens occur occurred occurs passiert passierte geschah geschehen "
    "stattgefunden ocurrio ocurrió sucedio sucedió".split()
)


# The calendar word a when-question is asked with ("what year", "tahun berapa"): it says what kind of answer is
# wanted; the answer's sentence writes the date, not the word. Not in German and Spanish: "Für welches Jahr …?"
# against English articles was answered once "Jahr" no longer counted (a test's case; XQuAD de F1 +0.2 with it).
_ASKED_DATE_WORD = re.compile(
    r"(?i)\b(?:what|which)\s+(year|date|day|month|century)\b"
    r"|\b(tahun|tanggal|hari|bulan|abad)\s+(?:berapa|apa)"
)

HEADLINE_MAX_WORDS = 25


def _headline_end(text: str, title: str | None) -> int:
    """The end of the headline line a passage opens with or is (the article's title written as its first line,
    as a forwarded post keeps it), else -1. A one-line passage counts only when it is short, one sentence and
    without a full stop: a FacQA passage is one line too, and its derived title is its first words."""
    head = (title or "").rstrip("…").strip()
    if not head or not text.startswith(head):
        return -1
    nl = text.find("\n")
    if nl > 0:
        return nl if text[nl:].strip() else -1
    line = text.rstrip()
    if len(line.split()) > HEADLINE_MAX_WORDS or re.search(r"[.!?]\s+\S", line) or line.endswith((".", "!", "?")):
        return -1  # a headline is not a sentence with its full stop (a one-line FacQA passage is)
    return len(line)


_ACRONYM_RE = re.compile(r"\b[A-Z][A-Z0-9]{1,7}\b")


_CAPITAL_RUN = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’-]*(?:\s+(?:of|the|de|del|dan|and|und|y)?\s*[A-ZÀ-ÖØ-Þ][\w'’-]*)+")
_RUN_CONNECTORS = frozenset({"of", "the", "de", "del", "dan", "and", "und", "y"})


def question_initialisms(question: str) -> frozenset[str]:
    """Acronyms the question's own names spell ("bi" for "Bank Indonesia", "rba" for "Reserve Bank of
    Australia"): words of the question in other letters, so never the answer to it ("Siapa Gubernur Bank
    Indonesia?" is not answered "BI")."""
    out: set[str] = set()
    for m in _CAPITAL_RUN.finditer(question):
        initials = "".join(w[0] for w in m.group(0).split() if w.casefold() not in _RUN_CONNECTORS).casefold()
        for i in range(len(initials)):
            for j in range(i + 2, len(initials) + 1):
                out.add(initials[i:j])
    return frozenset(out)


def question_acronyms(question: str, q_set: frozenset[str], lang: str | None) -> dict[str, str]:
    """Acronyms in the question ("TUMAS", "KPK") -> their query term."""
    out: dict[str, str] = {}
    for m in _ACRONYM_RE.finditer(question):
        terms = _word_terms(m.group(0).casefold(), lang)
        if len(terms) == 1 and terms[0] in q_set and any(c.isalpha() for c in m.group(0)):
            out[m.group(0)] = terms[0]
    for word in _WORD_RE.findall(question):  # "ceo" typed in lower case: a title written out in the text
        terms = _word_terms(word.casefold(), lang) if word.casefold() in TITLE_ACRONYMS else ()
        if len(terms) == 1 and terms[0] in q_set:
            out.setdefault(word.upper(), terms[0])
    return out


_ACRONYM_WORD_RE = re.compile(r"[\w'’-]+")


def _acronym_expansion(text: str, acronym: str) -> str | None:
    """The long form that `text` defines for `acronym` ("Komisi Pemberantasan Korupsi (KPK)"), or None."""
    for m in re.finditer(rf"\(\s*{re.escape(acronym)}\s*\)", text):
        long_form = _long_form_before(text, m.start(), acronym)
        if long_form is not None:
            return long_form
    return None


def _long_form_before(text: str, at: int, acronym: str) -> str | None:
    """The words right before text[at] ("(ACRONYM)") whose initials, stop words aside, spell the acronym, or None."""
    base = max(0, at - 200)
    before = list(_ACRONYM_WORD_RE.finditer(text[base:at]))
    content = 0
    initials = ""  # of the words from k on, stop words aside, built from the end
    for k in range(len(before) - 1, -1, -1):
        word = before[k].group(0)
        if word.casefold() in _ALL_STOP:  # "of", "and", "dan", "untuk" …
            continue
        content += 1
        initials = word[0] + initials
        if initials.upper() == acronym.upper():
            return text[base + before[k].start() : base + before[-1].end()]
        if content >= len(acronym):
            break
    return None


_CAPITALISED_RUN_RE = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w'’-]*)+")
MIN_UNDEFINED_ACRONYM = 3  # two-letter acronyms match too many pairs of capitalised words


def _spelled_out(text: str, acronym: str) -> str | None:
    """Capitalised words in `text` whose initials spell `acronym` although the text never writes it ("Chief
    Executive Officer" for "CEO"), or None."""
    n = len(acronym)
    if n < MIN_UNDEFINED_ACRONYM or not acronym.isalpha():
        return None
    for run in _CAPITALISED_RUN_RE.finditer(text):
        words = list(_ACRONYM_WORD_RE.finditer(run.group(0)))
        for k in range(len(words) - n + 1):
            part = words[k : k + n]
            if "".join(w.group(0)[0] for w in part).upper() == acronym.upper():
                return text[run.start() + part[0].start() : run.start() + part[-1].end()]
    return None


def _also_matching(sent: _Sentence, terms: Iterable[str], at: int) -> _Sentence:
    """`sent` matching the question `terms` too, as if its word `at` wrote them (an acronym's long form, a
    defined acronym, a family name)."""
    return replace(
        sent,
        terms=sent.terms | frozenset(terms),
        term_positions=tuple(sorted({*sent.term_positions, at})),
        partial=sent.partial - frozenset(terms),
    )


def _expand_acronyms(
    text: str, sents: list[_Sentence], q_acronyms: dict[str, str], long_words: set[str]
) -> list[_Sentence]:
    """Sentences that spell out an acronym of the question (defined in this passage, or written out in capitalised
    words the passage never abbreviates) also match it; the long form's words are added to `long_words`."""
    for acronym, term in q_acronyms.items():
        long_form = _acronym_expansion(text, acronym) if acronym in text else _spelled_out(text, acronym)
        if long_form is None and acronym.casefold() in TITLE_ACRONYMS:
            written = TITLE_ACRONYMS[acronym.casefold()]
            at = text.casefold().find(written)
            long_form = text[at : at + len(written)] if at >= 0 else None
        if long_form is None:
            continue
        needle = long_form.casefold()
        long_words.update(w.casefold() for w in _WORD_RE.findall(long_form))
        for i, sent in enumerate(sents):
            if term in sent.terms:
                continue
            at = text[sent.start : sent.end].casefold().find(needle)
            if at < 0:
                continue
            first = bisect.bisect_left([sp[0] for sp in sent.spans], sent.start + at)
            sents[i] = _also_matching(sent, (term,), first)
    return sents


_DEFINED_RE = re.compile(r"\(\s*([A-Z][A-Z0-9]{1,7})\s*\)")


def _definitions(text: str, q_set: frozenset[str], lang: str | None) -> Iterator[tuple[str, frozenset[str]]]:
    """The acronyms `text` defines whose long form the question spells out (all its terms but one at most, two at
    least) and does not write itself, each with those terms ("Balai Taman Nasional Gunung Rinjani (BTNGR)")."""
    for m in _DEFINED_RE.finditer(text):
        acronym = m.group(1)
        before = text[max(0, m.start() - 200) : m.start()].casefold()
        if sum(term in before for term in q_set) < 2:
            continue  # a cheap test first: most "(…)" say nothing of the question
        if not acronym.isalpha() or not q_set.isdisjoint(_word_terms(acronym.casefold(), lang)):
            continue
        long_form = _long_form_before(text, m.start(), acronym)
        if long_form is None:
            continue
        terms = frozenset(t for w in _WORD_RE.findall(long_form) for t in _word_terms(w.casefold(), lang))
        said = terms & q_set
        if len(said) >= max(2, len(terms) - 1):  # the question spells the name out, not one or two of its words
            yield acronym, said


def article_acronyms(
    passages: Sequence[PassageCandidate], q_set: frozenset[str], lang: str | None
) -> dict[str | None, list[tuple[str, frozenset[str]]]]:
    """Per article (by title): the acronyms its passages define for what the question says (`_definitions`).
    News spells a body out once and abbreviates it after: "siapa kepala balai taman nasional gunung rinjani" is
    answered by "Kepala BTNGR Lalu Arief Rahman …", which names none of its words."""
    out: dict[str | None, list[tuple[str, frozenset[str]]]] = {}
    for p in passages:
        known = out.setdefault(p.title, [])
        for acronym, said in _definitions(p.text, q_set, lang):
            if all(acronym != a for a, _ in known):
                known.append((acronym, said))
    return {title: found for title, found in out.items() if found}


def abbreviated_query(q_terms: Sequence[str], texts: Iterable[str], lang: str | None) -> list[str] | None:
    """The question's terms with a long form that one of the texts abbreviates replaced by the acronym, or None:
    searched beside the question, it finds the passages that name the body by its acronym only."""
    q_set = frozenset(q_terms)
    for text in texts:
        for acronym, said in _definitions(text, q_set, lang):
            return [t for t in q_terms if t not in said] + list(_word_terms(acronym.casefold(), lang))
    return None


def _expand_defined(
    text: str, sents: list[_Sentence], defined: list[tuple[str, frozenset[str]]], long_words: set[str]
) -> list[_Sentence]:
    """Sentences that write an acronym their article defines (`article_acronyms`) also match the question terms
    of its long form; the acronym joins `long_words` (not a short answer: it is what the question names)."""
    for acronym, said in defined:
        pattern = re.compile(rf"(?<!\w){acronym}(?!\w)")
        for i, sent in enumerate(sents):
            if said <= sent.terms:
                continue
            m = pattern.search(text, sent.start, sent.end)
            if m is None:
                continue
            long_words.add(acronym.casefold())
            first = bisect.bisect_left([sp[0] for sp in sent.spans], m.start())
            sents[i] = _also_matching(sent, said, first)
    return sents


# Titles written before a full name without a dot ("Dr Miriam Kessel", "Pak Budi Santoso").
_HONORIFICS = frozenset("mr mrs ms dr drg prof sir herr frau don doña sr sra pak bu bapak ibu h hj ir drs".split())
_WORD_BEFORE_RE = re.compile(r"([\w'’-]+)[ \t]+$")
_WORD_AFTER_RE = re.compile(r"[ \t]+([\w'’-]+)")


def _name_pairs(question: str, q_set: frozenset[str], lang: str | None) -> list[tuple[str, str, str, str]]:
    """Adjacent question words that are both question terms, a name's two words perhaps ("mikkel lund"):
    (first word, second word, first term, second term), the words in lower case."""
    words = _WORD_RE.findall(question)
    terms = [_word_terms(w.casefold(), lang) for w in words]
    return [
        (words[k].lower(), words[k + 1].lower(), ta[0], tb[0])
        for k, (ta, tb) in enumerate(zip(terms, terms[1:], strict=False))
        if len(ta) == 1 and len(tb) == 1 and ta != tb and ta[0] in q_set and tb[0] in q_set
    ]


def _word_at(text: str, word: str) -> Iterator[int]:
    """Where `word` (a word or words) is written in `text` as whole words (plain string search: no pattern to
    compile for each question's words)."""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not _in_word(text[at - 1])) and (end == len(text) or not _in_word(text[end])):
            yield at
        at = text.find(word, at + 1)


def _in_word(ch: str) -> bool:
    return ch.isalnum() or ch in "_'’-"


def _written_as_full_name(text: str, start: int, end: int) -> bool:
    """Whether text[start:end], two words, is written as a full name: both capitalised, not inside a longer run of
    capitalised words ("Acta Única Europea"; a title before it aside, "Dr Miriam Kessel")."""
    first, second = text[start:end].split()
    if not (first[0].isupper() and second[0].isupper()):
        return False
    before = _WORD_BEFORE_RE.search(text, max(0, start - 40), start)
    if before is not None and before.group(1)[0].isupper() and before.group(1).casefold() not in _HONORIFICS:
        return False
    after = _WORD_AFTER_RE.match(text, end)
    return after is None or not after.group(1)[0].isupper()


def article_names(
    passages: Sequence[PassageCandidate], question: str, q_set: frozenset[str], lang: str | None
) -> dict[str | None, dict[str, frozenset[str]]]:
    """Per article (by title): the part of a two-word name the question writes ("Mikkel Lund") that later
    sentences name the person by -> the name's terms, where it names one person only. News names a person in full
    once and by the family name after ("Lund, 24, who rides …"; in Indonesian often the given name: "Hasanuddin
    yang kini berusia 54 tahun …"): that sentence is about the asked person too. Not a post ("Bupati Kolaka") nor
    words the article also writes in lower case."""
    pairs = _name_pairs(question, q_set, lang) if len(q_set) >= 2 else []
    if not pairs:
        return {}
    lowered = [p.text.lower() for p in passages]
    everything = "\n".join(lowered)
    found: dict[str | None, dict[str, set[frozenset[str]]]] = {}
    for a, b, given, family in pairs:
        full = f"{a} {b}"
        if full not in everything or is_post((a, b)):
            continue  # (most pairs: two question words the articles never write side by side)
        for p, low in zip(passages, lowered, strict=True):
            text = p.text
            if len(low) != len(text) or not any(
                text[at].isupper() and _written_as_full_name(text, at, at + len(full)) for at in _word_at(low, full)
            ):
                continue
            if any(next(_word_at(q.text, w), None) is not None for q in passages if q.title == p.title for w in (a, b)):
                continue  # a word the article also writes in lower case ("Grace Field" / "the field")
            parts = found.setdefault(p.title, {})
            name = frozenset((given, family))
            for part in (family, given) if (p.language or lang) == "id" else (family,):
                parts.setdefault(part, set()).add(name)
    return {
        title: {part: next(iter(names)) for part, names in parts.items() if len(names) == 1}
        for title, parts in found.items()
        if parts
    }


def _expand_names(text: str, sents: list[_Sentence], names: dict[str, frozenset[str]]) -> list[_Sentence]:
    """Sentences that name the person of an asked full name by one part (`article_names`), a capitalised word
    alone ("Lund, 24, …", not "Lund Arena"), also match the name's other part."""
    for i, sent in enumerate(sents):
        gained: set[str] = set()
        first = None
        spans = sent.spans
        for k, toks in enumerate(sent.tok_terms):
            if (
                len(toks) == 1
                and toks[0] in names
                and text[spans[k][0]].isupper()
                and not (k > 0 and text[spans[k - 1][0]].isupper() and text[spans[k - 1][1] : spans[k][0]].isspace())
                and not (
                    k + 1 < len(spans)
                    and text[spans[k + 1][0]].isupper()
                    and text[spans[k][1] : spans[k + 1][0]].isspace()
                )
            ):
                missing = names[toks[0]] - sent.terms
                if missing:
                    gained |= missing
                    first = k if first is None else first
        if gained:
            sents[i] = _also_matching(sent, gained, first)
    return sents


def _role_named(text: str, sent: _Sentence, role: str, q_surface: frozenset[str]) -> bool:
    """Whether the sentence names someone new right after the asked role ("… dipimpin wasit Heru Santoso",
    "Ketua Majelis Hakim I Made Suarta"): the question's own words after the role are skipped."""
    words = sent.words
    for i, w in enumerate(words):
        if not _is_head(w, role):
            continue
        j = i + 1
        while j < len(words) and words[j] in q_surface:
            j += 1
        if j - i > 5:  # at most four of the question's words between ("Kepala Dinas Kesehatan Kota Kupang")
            continue
        if j + 1 < len(words) and words[j] in _HONORIFICS and text[sent.spans[j][0]].islower():
            j += 1  # "…, drg. Maria Goreti Bria": a title written in lower case
        if j < len(words):
            first = text[sent.spans[j][0]]
            if first.isupper() and words[j] not in _ALL_STOP:
                return True
    return False


def _proximity(positions: Sequence[int], matched: int) -> float:
    """1.0 when the matched question terms sit together, falling as they spread out."""
    if matched < 2 or len(positions) < 2:
        return 0.0
    spread = positions[-1] - positions[0] + 1
    return min(1.0, matched / spread)


def _sigmoid(z: float) -> float:
    if z < -30:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


def _linear(weights: dict[str, float], feats: dict[str, float]) -> float:
    # = bias + sum(weights.get(k, 0.0) * v for k, v in feats.items()): the same products summed in the same
    # order, without a generator's frame per feature (every window is scored)
    return weights.get("bias", 0.0) + sum(map(mul, map(weights.get, feats, repeat(0.0)), feats.values()))


def _linear_for(weights: dict[str, float], keys: Iterable[str]) -> Callable[[dict[str, float]], float]:
    """`_linear(weights, feats)` for feature dicts whose keys are `keys`, in that order (a question's windows: each
    dict is filled in the same order), with the weights looked up once instead of once a window."""
    bias = weights.get("bias", 0.0)
    ordered = list(map(weights.get, keys, repeat(0.0)))
    return lambda feats: bias + sum(map(mul, ordered, feats.values()))


_WORD_RE = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=256)  # read ~2.5 times a question
def _surface_words(question: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORD_RE.findall(question))


def _asks_about_post(question: str, atype: AnswerType) -> bool:
    """Whether a who/which-question is about a post ("siapa kapolres yang baru", "the outgoing ceo"): then its
    "new"/"former" words say which holder it asks for (`retrieval.persons`)."""
    return atype in (AnswerType.PERSON, AnswerType.NAME) and is_post(tuple(_surface_words(question)))


def candidate_features(
    question: str,
    q_terms: Sequence[str],
    passages: Sequence[PassageCandidate],
    idf: Callable[[str], float | None],
    *,
    lang: str | None = None,
    n_docs: int | None = None,
) -> list[tuple[Extract, tuple[_Sentence, ...], str]]:
    """Every candidate window with its features (in `Extract.features`), unscored. Also used for fitting."""
    return _candidate_features(question, q_terms, passages, idf, lang, n_docs, None)


class _TypedLater:
    """Deferred `type_ok` features (extract_answers): the typed-candidate search runs only for windows that can
    still reach the top; `found[(passage, start, end)]` keeps the candidates for the short answer."""

    __slots__ = (
        "atype", "q_surface", "money", "rank", "score", "duration", "bound", "count", "count_unit", "people",
        "defined", "acronym", "found", "age", "ages_read",
    )

    def __init__(self) -> None:
        self.atype = AnswerType.OTHER
        self.q_surface: frozenset[str] = frozenset()
        self.money = False
        self.age = False
        self.ages_read = False  # an age question, and a passage read writes an age
        self.count: str | None = None
        self.count_unit: str | None = None
        self.rank = False
        self.score = False
        self.duration: re.Pattern[str] | None = None
        self.bound: re.Pattern[str] | None = None
        self.people = False
        self.defined: str | None = None
        self.acronym: str | None = None
        self.found: dict[tuple[int, int, int], list[tuple[int, int]]] = {}

    def typed(self, text: str, passage: int, start: int, end: int) -> list[tuple[int, int]]:
        key = (passage, start, end)
        got = self.found.get(key)
        if got is None:
            got = self.found[key] = typed_candidates(
                text, start, end, self.atype, self.q_surface, self.money, self.rank, self.count, self.score,
                self.duration, self.bound, self.age,
            )
            if self.people:  # "Siapa hakim ketua …?": not "Pengadilan Tipikor"
                got = self.found[key] = [(a, b) for a, b in got if _maybe_person(text, a, b)]
            got = self.found[key] = _after_dateline(text, start, end, got)
        return got


def _has_age(text: str, typed: Sequence[tuple[int, int]]) -> bool:
    """Whether a window's numbers include one written as an age ("Farmer Gerrit van Dalen, 54, …"): an age
    question's numbers fall back to all of a window's when it has none (`typed_candidates`), which keeps them as
    answers (`type_ok`) but not of the asked kind (`kind_ok`): "how old is the barneveld farmer" was answered
    "145,000" (laying hens)."""
    return any(written_as_age(text, a, b) for a, b in typed)


def _maybe_person(text: str, a: int, b: int) -> bool:
    """Whether text[a:b] may name who a who-question asks for: no institution, acronym or post before its holder."""
    return not no_person_name(text[a:b]) and not post_before_holder(text, a, b)


def _after_dateline(text: str, start: int, end: int, typed: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The typed candidates of a window that are not in its dateline: no short answer is cut from one
    ("TEMPO.CO, Bogor -" is no person), so none makes the window one of the asked type."""
    head = _dateline_at(text, start, end) if typed else -1
    return [(a, b) for a, b in typed if a >= head] if head > 0 else typed


def _candidate_features(
    question: str,
    q_terms: Sequence[str],
    passages: Sequence[PassageCandidate],
    idf: Callable[[str], float | None],
    lang: str | None,
    n_docs: int | None,
    later: _TypedLater | None,
) -> list[tuple[Extract, tuple[_Sentence, ...], str]]:
    """candidate_features; with `later`, `type_ok` is left at its upper bound 1.0 (when the question has a type)
    for the caller to settle with `later.typed`."""
    if not passages or not q_terms:
        return []
    atype = expected_answer_type(question, lang)
    # Question words no sentence needs: a verb that only says the event happened ("Kapan gempa Pacitan terjadi?":
    # the other words name it), and the words saying which holder of a post ("who is the new ceo": they choose a
    # name; not so in "Wer ist die neue Begleiterin?": no post, XQuAD de -0.3 when they went from every who-question)
    unneeded = set(_surface_words(question) & _EVENT_VERBS)
    if atype is AnswerType.DATE:
        unneeded.update((m.group(1) or m.group(2)).casefold() for m in _ASKED_DATE_WORD.finditer(question))
    if atype is AnswerType.PERSON and _asks_about_post(question, atype):
        unneeded.update(holder_words(_surface_words(question)))
    if unneeded:
        drop = frozenset(t for w in unneeded for t in _word_terms(w, lang))
        q_terms = [t for t in q_terms if t not in drop] or q_terms
    weights, unknown = _question_weights(q_terms, idf, n_docs)
    total = sum(weights.values()) or 1.0
    max_w = max(weights.values())
    q_set = frozenset(weights)
    # A headline passage (a forwarded post's first line, alone) scores high on few words: measured against it,
    # the article's own body fell under the cut-off. The best of the other passages sets the scale.
    heads = [_headline_end(p.text, p.title) for p in passages[:MAX_PASSAGES]]
    body_scores = [p.score for p, h in zip(passages[:MAX_PASSAGES], heads, strict=True) if h != len(p.text.rstrip())]
    top_score = max(body_scores or [p.score for p in passages]) or 1.0
    decoded: dict[int, Layout | None] = {}

    def layout_of(pi: int) -> Layout | None:
        """Passage pi's stored layout, decoded once a question (the lead's sentences, then its words)."""
        if pi not in decoded:
            p = passages[pi]
            decoded[pi] = decode_layout(p.text, p.layout, p.language or lang, p.title) if p.layout is not None else None
        return decoded[pi]

    leads = _lead_terms(passages, heads, q_set, lang, layout_of)
    why = is_why_question(question)
    # A reason is often written where the subject is not named again ("kebakaran diduga dipicu …"): a
    # why-question reads every passage retrieved, whatever its share of the best score.
    cutoff = MIN_PASSAGE_SHARE * top_score if top_score > 0 and not why else -math.inf
    # The best passage's article (by its title: a candidate carries no article id) is read further down the
    # scores, to SAME_ARTICLE_SHARE of the cut-off.
    top_title = next((p.title for p in passages[:MAX_PASSAGES] if p.score == top_score), None)
    q_surface = _surface_words(question)
    money = atype is AnswerType.NUMBER and asks_for_money(question)
    age = atype is AnswerType.NUMBER and asks_for_age(question)
    count = asked_count_noun(question) if atype is AnswerType.NUMBER else None
    if count is None and atype is AnswerType.NUMBER and lang == "id":
        count = written_count_noun(question, (t for p in passages[:MAX_PASSAGES] for t in (p.title or "", p.text)))
    rank = atype is AnswerType.NUMBER and asks_for_rank(question)
    score = atype is AnswerType.NUMBER and not rank and asks_for_score(question)
    duration = duration_unit(question) if atype is AnswerType.NUMBER and not rank and not score else None
    count_unit = unit_of_count(question) if atype is AnswerType.NUMBER and not rank and not score else None
    bound = date_bound(question) if atype is AnswerType.DATE else None
    # A kind of number or date that only some numbers are ("Rp 3 miliar", "430 pembudidaya", "berusia 9 tahun"): a
    # window without one is unlikely to answer. Not a duration: "How long did the plague last?" is answered "until
    # the second quarter of the 19th century" (with durations too: news +4 sentences, XQuAD es false refusals 5.1 %).
    strict_kind = bool(money or count or age or rank or score or bound)
    acronym = asked_acronym(question)
    if acronym is not None:
        atype = AnswerType.OTHER  # its answer is the long form, whatever the question word
    defined = definition_subject(question) if atype is AnswerType.OTHER and acronym is None else None
    if later is not None:
        later.defined, later.acronym = defined, acronym
    role = post_of(question, person_role(question)) if atype is AnswerType.PERSON else None
    people = asks_for_a_person(role, question)
    if later is not None:
        later.people = people
        later.atype, later.q_surface, later.money, later.rank, later.count = atype, q_surface, money, rank, count
        later.count_unit, later.score, later.duration, later.bound = count_unit, score, duration, bound
        later.age = age
        # "How old is Miriam Kessel?" is answered by "Kessel, 44, said", not by the lead's "4.2 kilohertz": once a
        # passage read writes an age, only a window with one answers; with none, any number may (`_has_age`).
        later.ages_read = age and any(
            _has_age(p.text, typed_candidates(p.text, 0, len(p.text), AnswerType.NUMBER, q_surface, age=True))
            for p in passages[:MAX_PASSAGES]
        )
    q_content = frozenset(w for w in q_surface if w not in _ALL_STOP and w not in _ALL_QWORDS) or q_surface
    q_seq = [t for t in q_terms if t in q_set]
    q_bigrams = {(a, b) for a, b in zip(q_seq, q_seq[1:], strict=False) if a != b}
    unknown_frac = sum(weights[t] for t in unknown) / total
    # German capitalises nouns: an unknown lowercase question word is a verb or adjective form ("geplant",
    # "festhielt") the article likely has in another form, not the thing the question is about. For passages in
    # the question's language it weighs UNKNOWN_LOWERCASE_WEIGHT of an unknown noun; in another language's
    # passages (a German question against English articles) it stays the rarest term, so those stay refused.
    # So, in every language, does the noun a what/which question asks about ("What entity …", "What percentage
    # …", "lembaga apa"): it says what kind of answer is wanted, and the answer's sentence need not repeat it.
    by_lang = None
    lowercase_unknown = unknown & _lowercase_terms(question, lang) if lang == "de" and unknown else frozenset()
    if unknown and lang in ("en", "es"):
        # so does a verb form no article has ("encontraron" / "localizaron", "finished" / "completed")
        lowercase_unknown |= unknown & _unknown_verb_terms(question, lang)
    head = question_head_of(question) if unknown else None
    if head is not None:
        lowercase_unknown |= unknown.intersection(_word_terms(head, lang))
    # So does the word a how-question asks the measure of ("how old", "how steep"): the sentence gives the measure.
    dimension = dimension_word(question) if unknown else None
    if dimension is not None:
        lowercase_unknown |= unknown.intersection(_word_terms(dimension, lang))
    if lowercase_unknown:
        same = {t: v * UNKNOWN_LOWERCASE_WEIGHT if t in lowercase_unknown else v for t, v in weights.items()}
        same_total = sum(same.values()) or 1.0
        by_lang = (
            (same, same_total, max(same.values()), sum(same[t] for t in unknown) / same_total),
            (weights, total, max_w, unknown_frac),
        )
    q_len = math.log(len(q_set))
    rank_recips = [1.0 / (1 + pi) for pi in range(MAX_PASSAGES)]
    q_acronyms = question_acronyms(question, q_set, lang)
    abbreviated = article_acronyms(passages[:MAX_PASSAGES], q_set, lang)
    full_names = article_names(passages[:MAX_PASSAGES], question, q_set, lang)
    long_words: set[str] = set()  # words of the acronyms' long forms: the question's words, in other letters
    # Passage words that are a question term in another form ("Bowls" for "Bowl", "Fords" for "Ford"): not an
    # answer to it either ("Who … play in a Super Bowl?" is not answered by "Bowls").
    stem_words: set[str] = set()

    # (The sums map `weights.__getitem__` over the sets: the same additions in the same order as a generator,
    # without its frame per term; they run for every sentence and window.)
    def cov_of(terms: frozenset[str], partial: frozenset[str] = frozenset()) -> float:
        exact = q_set & terms
        if not exact and not partial:
            return 0.0  # what the sums give: (0 + PARTIAL_WEIGHT * 0) / total (most sentences match no question term)
        get = weights.__getitem__
        return (sum(map(get, exact)) + PARTIAL_WEIGHT * sum(map(get, partial - exact))) / total

    def focus_of(terms: frozenset[str], partial: frozenset[str], topic: frozenset[str], rest: float) -> float:
        """Coverage of the question's terms that are not in the article's title (`rest`: their total weight)."""
        exact = (q_set - topic) & terms
        get = weights.__getitem__
        return (sum(map(get, exact)) + PARTIAL_WEIGHT * sum(map(get, partial - exact - topic))) / rest

    out: list[tuple[Extract, tuple[_Sentence, ...], str]] = []
    by_article: dict[str | None, list] = {}  # per title: the passages read, their terms (for art_cov)
    partial_cache: dict[str, frozenset[str]] = {}
    q_long_all = frozenset(t for t in q_set if len(t) >= PARTIAL_MIN_CHARS and not t.isdigit())
    partial_index = _PartialIndex(q_long_all, partial_cache)
    # Word records per (language, partial matching on/off): a word's analysis depends on both.
    records: dict[tuple[str | None, bool], dict[str, _WordRecord]] = {}
    for pi, passage in enumerate(passages[:MAX_PASSAGES]):
        same_article = bool(top_title) and passage.title == top_title
        if passage.score < (SAME_ARTICLE_SHARE * cutoff if same_article else cutoff):
            continue
        plang = passage.language or lang
        text = passage.text
        if by_lang is not None:  # the closures cov_of / focus_of read these names when called
            weights, total, max_w, unknown_frac = by_lang[0] if plang == lang else by_lang[1]
        q_long = (
            q_long_all
            if plang in PARTIAL_LANGS and (lang is None or lang == plang)  # not across languages
            else frozenset()
        )
        recs = records.setdefault((plang, bool(q_long)), {})
        stored = layout_of(pi)
        topic = titled = topic_terms(passage.title, q_set, plang, None if stored is None else stored[3])
        if passage.title in leads:
            topic = topic | leads[passage.title]
        titled_rest = sum(map(weights.__getitem__, q_set - titled)) if topic != titled else 0.0
        spelled = long_forms(text, acronym) if acronym else []
        rest = sum(map(weights.__getitem__, q_set - topic))  # exactly 0.0 when every term is in the title
        head_end = heads[pi]
        if stored is None:
            sents = _analyze_passage(text, _sentence_spans(text), plang, q_set, q_long, partial_cache, recs,
                                     partial_index)
        else:  # the layout stored at ingest: no word or sentence boundaries to find, no word to stem
            sents = _analyze_passage(text, stored[1], plang, q_set, q_long, partial_cache, recs, partial_index,
                                     stored[0], stored[2])
        if not sents:
            continue
        if q_acronyms:
            sents = _expand_acronyms(text, sents, q_acronyms, long_words)
        if passage.title in abbreviated:
            sents = _expand_defined(text, sents, abbreviated[passage.title], long_words)
        if passage.title in full_names:
            sents = _expand_names(text, sents, full_names[passage.title])
        for s in sents:
            for i in s.term_positions:
                if not q_set.isdisjoint(s.tok_terms[i]):
                    stem_words.add(s.words[i])
        rel = min(1.0, passage.score / top_score) if top_score > 0 else 0.0
        p_terms = frozenset().union(*(s.terms for s in sents))
        p_partial = frozenset().union(*(s.partial for s in sents))
        passage_cov = cov_of(p_terms, p_partial)
        by_article.setdefault(passage.title or f"#{pi}", []).append((pi, p_terms, p_partial, weights, total))
        # A sentence none of whose words matches a question term has no coverage, bigram nor proximity (most).
        sent_cov = [cov_of(s.terms, s.partial) if s.term_positions else 0.0 for s in sents]
        # Per-sentence pieces of the window features (only their sizes are used, so unions are exact).
        sent_surf = [q_content.intersection(s.words) for s in sents]
        sent_bi = (
            [
                q_bigrams & set(zip(s.term_seq, s.term_seq[1:], strict=False))
                if s.term_positions and any(a in s.terms and b in s.terms for a, b in q_bigrams)
                else _NO_BIGRAMS
                for s in sents
            ]
            if q_bigrams
            else []
        )
        sent_prox = [
            _proximity(s.term_positions, len(q_set & s.terms) + len(s.partial)) if s.term_positions else 0.0
            for s in sents
        ]
        sent_role = [_role_named(text, s, role, q_surface) for s in sents] if role else None
        rank_recip = rank_recips[pi]
        n_sents = len(sents)
        for si, sent in enumerate(sents):
            for size in (1, 2):
                if size == 1:
                    if not sent.term_positions:
                        continue  # no word matches a question term, exactly or partially: coverage 0
                    window: tuple[_Sentence, ...] = (sent,)
                    terms = frozenset().union(sent.terms)
                    matched = q_set & terms
                    partial = frozenset().union(sent.partial) - matched
                elif si + 1 < n_sents and "\n" not in text[sent.end : sents[si + 1].start]:
                    nxt = sents[si + 1]  # a pair within one paragraph: a quote is never cut across one
                    if not sent.term_positions and not nxt.term_positions:
                        continue  # coverage 0, as above
                    window = (sent, nxt)
                    terms = frozenset().union(sent.terms, nxt.terms)
                    matched = q_set & terms
                    partial = frozenset().union(sent.partial, nxt.partial) - matched
                else:
                    break
                coverage = cov_of(terms, partial)
                if coverage <= 0:
                    continue
                start, end = sent.start, window[-1].end
                best_i = 1 if size == 2 and sent_cov[si + 1] > sent_cov[si] else 0
                if size == 1:
                    surf_n = len(sent_surf[si])
                    bi_n = len(sent_bi[si]) if q_bigrams else 0
                else:
                    surf_n = len(sent_surf[si] | sent_surf[si + 1])
                    bi_n = len(sent_bi[si] | sent_bi[si + 1]) if q_bigrams else 0
                surf = surf_n / len(q_content) if q_content else 0.0
                bigram = bi_n / len(q_bigrams) if q_bigrams else 0.0
                missing_set = q_set - matched - (partial if PARTIAL_COUNTS_FOUND else frozenset())
                typed: list[tuple[int, int]] = []
                if acronym:  # "Apa kepanjangan dari BPS?": a sentence that spells it out
                    type_ok = 1.0 if any(start <= a and b <= end for a, b in spelled) else 0.0
                elif defined:  # "Apa itu API?": a sentence that says what it is
                    type_ok = 1.0 if definition_span(text, start, end, defined) else 0.0
                elif why:  # "Mengapa harga beras naik?": a window that gives a reason
                    type_ok = 1.0 if reason_span(text, start, end, q_surface) else 0.0
                elif atype is AnswerType.OTHER:
                    type_ok = 0.0
                elif later is not None:
                    type_ok = 1.0  # upper bound, settled by the caller
                else:
                    typed = typed_candidates(
                        text, start, end, atype, q_surface | stem_words, money, rank, count, score, duration, bound,
                        age,
                    )
                    if people:
                        typed = [(a, b) for a, b in typed if _maybe_person(text, a, b)]
                    type_ok = 1.0 if _after_dateline(text, start, end, typed) else 0.0
                if count_unit is None or not type_ok:
                    near = 0.0
                elif later is not None:
                    near = 1.0  # upper bound, settled by the caller with the typed candidates
                else:
                    near = 1.0 if unit_near(text, typed, count_unit) else 0.0
                feats = {
                    "cov": coverage,
                    "focus": focus_of(terms, partial, topic, rest) if topic and rest > 0 else coverage,
                    "cov_best": sent_cov[si + best_i],
                    "surf": surf,
                    "bigram": bigram,
                    "rel": rel,
                    "rank_recip": rank_recip,
                    "type_ok": type_ok,
                    "kind_ok": (
                        type_ok if strict_kind and (not age or later is not None or _has_age(text, typed)) else 0.0
                    ),
                    "prox": sent_prox[si + best_i],
                    "is_pair": float(size - 1),
                    "log_len": math.log(max(end - start, 20) / 150.0),
                    "unknown": unknown_frac,
                    "miss_rare": (max(map(weights.__getitem__, missing_set)) / max_w) if missing_set else 0.0,
                    "passage_cov": passage_cov,
                    "first": 1.0 if si == 0 else 0.0,
                    "second_only": 1.0 if size == 2 and sent_cov[si + 1] == 0 else 0.0,
                    "q_len": q_len,
                    "role_named": float(any(sent_role[si : si + size])) if sent_role else 0.0,
                    # The headline line a forwarded post keeps: it names what happened, its details are below.
                    "headline": 1.0 if start == 0 and end <= head_end else 0.0,
                    "reason": type_ok if why else 0.0,  # a why-question's window that gives a reason
                    "unit_near": near,
                    "lead_shift": 0.0,  # set below in a dateline article (every window has the same keys)
                }
                if topic != titled:  # the refusal model reads the focus on the title's words (see _lead_terms)
                    feats["lead_shift"] = feats["focus"] - (
                        focus_of(terms, partial, titled, titled_rest) if titled and titled_rest > 0 else coverage
                    )
                out.append((Extract(pi, start, end, 0.0, coverage, features=feats), window, plang or ""))
    if out:
        # Coverage of the question by all the passages read of the candidate's article: "… dikerahkan di
        # bandung" is not answered from the Surabaya article's passage, which shares every word but the place.
        art_cov: dict[int, float] = {}
        for group in by_article.values():
            a_terms = frozenset().union(*(g[1] for g in group))
            a_partial = frozenset().union(*(g[2] for g in group))
            for pi, _, _, w, tot in group:
                exact = q_set & a_terms
                art_cov[pi] = (sum(w[t] for t in exact) + PARTIAL_WEIGHT * sum(w[t] for t in a_partial - exact)) / tot
        for ex, _, _ in out:
            ex.features["art_cov"] = art_cov.get(ex.passage, 0.0)
        # A name of the question that another article read has and the candidate's article lacks.
        names = _name_terms(question, lang) & q_set
        if names and len(by_article) > 1:
            has = {key: names & frozenset().union(*(g[1] for g in group)) for key, group in by_article.items()}
            found = frozenset().union(*has.values())
            miss = {
                pi: 1.0 if found - has[key] and _whole(passages[pi].title) else 0.0
                for key, group in by_article.items()
                for pi, *_ in group
            }
            for ex, _, _ in out:
                ex.features["name_miss"] = miss.get(ex.passage, 0.0)
    if later is not None:
        # Not the answer: the acronym spelled out (long words), a question term in another form (stem words).
        later.q_surface = q_surface | long_words | stem_words | question_initialisms(question)
    return out


def extract_answers(
    question: str,
    q_terms: Sequence[str],
    passages: Sequence[PassageCandidate],
    idf: Callable[[str], float | None],
    *,
    lang: str | None = None,
    n: int = 3,
    n_docs: int | None = None,
) -> list[Extract]:
    """The best `n` extracts over the passages, best first, at most one per sentence span.

    `idf(term)` is the index's BM25 idf; None or 0.0 means the index does not know the term. `n_docs` (the
    number of indexed passages) sets the weight of such unknown terms (the idf of a term seen once).

    Candidates are taken in the order of their ranking score (ties: passage, start, then window order). The
    answer-type feature is searched for lazily: a window whose score with `type_ok` = 1 (an upper bound) cannot
    come next is never searched, so the result is the same as scoring every window in full.
    """
    later = _TypedLater()
    cands = _candidate_features(question, q_terms, passages, idf, lang, n_docs, later)
    if not cands:
        return []
    atype = later.atype
    pending = atype is not AnswerType.OTHER
    ranking = _linear_for(SENTENCE_WEIGHTS, cands[0][0].features)  # every window's features: the same keys
    # Min-heap of (-score, passage, start, index, settled); unsettled entries carry an upper bound.
    heap = [(-ranking(c[0].features), c[0].passage, c[0].start, i, not pending) for i, c in enumerate(cands)]
    heapq.heapify(heap)
    q_surface = later.q_surface
    unit = question_unit_of(question)
    unit_tail = question_unit_tail(question, lang) if atype is AnswerType.NUMBER else ()
    change = atype is AnswerType.NUMBER and asks_for_change(question)
    head = question_head_of(question)
    role = post_of(question, person_role(question)) if head is None and atype is AnswerType.PERSON else None
    if role in TITLE_ACRONYMS:
        # "who is the ceo of …": "Chief Executive Priya Raman" is the naming position (any role as the head: FacQA
        # train F1 -0.3, news_qa4 -0.6)
        head = role
    slots = question_slots(question, lang)
    why = is_why_question(question)
    yes_no = is_yes_no_question(question, lang)
    defined = later.defined if later is not None else None
    name_asked = asked_name(question) if atype is AnswerType.PERSON else None
    alone = name_alone(question) if atype is AnswerType.OTHER and not why and not yes_no else None
    # Which holder of a post: only for a question about a post ("siapa kapolres yang baru", "the outgoing ceo"; in
    # "Wer ist die neue Begleiterin?" "neue" says nothing of who is asked: XQuAD de -0.3 when every who-question
    # was read so).
    asks_post = _asks_about_post(question, atype)
    wanted = asks_new_or_old(_surface_words(question)) if asks_post else None
    chosen: list[Extract] = []
    unnamed: list[Extract] = []  # windows that do not name the asked post (score 0): shown only if nothing else is
    while heap:
        neg, pi, start, i, settled = heapq.heappop(heap)
        ex, window, plang = cands[i]
        if not settled:
            typed = later.typed(passages[pi].text, pi, ex.start, ex.end)
            if not typed:
                ex.features["type_ok"] = ex.features["kind_ok"] = ex.features["unit_near"] = 0.0
                heapq.heappush(heap, (-ranking(ex.features), pi, start, i, True))
                continue
            if ex.features["unit_near"] and not unit_near(passages[pi].text, typed, later.count_unit):
                ex.features["unit_near"] = 0.0
                heapq.heappush(heap, (-ranking(ex.features), pi, start, i, True))
                continue
            if ex.features["kind_ok"] and later.age and not _has_age(passages[pi].text, typed):
                ex.features["kind_ok"] = 0.0
                if later.ages_read:  # the articles write ages: a window with none does not answer
                    ex.features["type_ok"] = 0.0
                heapq.heappush(heap, (-ranking(ex.features), pi, start, i, True))
                continue
        if any(c.passage == ex.passage and c.start < ex.end and ex.start < c.end for c in chosen):
            continue
        # The refusal model was fitted on the ranking score without role_named (set by hand, later): leave it
        # out there, so it only chooses among sentences (with it, questions about another set's articles were
        # answered more often: FacQA -> SQuAD-id refused 0.791 -> 0.785).
        ex.features["rank"] = -neg - sum(SENTENCE_WEIGHTS.get(k, 0.0) * ex.features.get(k, 0.0) for k in _HAND_SET)
        ex.features["rank"] -= SENTENCE_WEIGHTS["focus"] * min(0.0, ex.features["lead_shift"])
        ex.features["type_miss"] = 1.0 if atype is not AnswerType.OTHER and ex.features["type_ok"] == 0.0 else 0.0
        ex.score = _sigmoid(_linear(REFUSAL_WEIGHTS, {k: ex.features[k] for k in REFUSAL_FEATURES}))
        if (
            role is not None
            and ex.features["role_named"]
            and ex.features["focus"] >= 1.0 - 1e-9
            and ex.features["cov"] < ex.features["focus"]
        ):
            # "whos the ceo of halvard": the article's title names Halvard, the sentence the holder of the asked
            # post ("Chief executive Dana Whitcombe said …") — answered, though the sentence repeats no name
            ex.score = max(ex.score, ROLE_IN_TITLED_ARTICLE)
        if role is not None and is_post((role,)) and not names_post(passages[pi].text[ex.start : ex.end], role):
            # "Siapa Wali Kota Bengkulu?" is not answered by a sentence that names no mayor ("Enggano"), nor "siapa
            # wakil wali kota semarang" by the mayor's: the holder of a post is named with it. The next window
            # that names it may answer ("… kata Ketua Majelis Hakim I Made Suarta" under a lead that names the
            # court but not its chair); up to POST_LOOKAHEAD windows are read for one.
            ex.score = 0.0
            unnamed.append(ex)
            if len(unnamed) <= POST_LOOKAHEAD:
                continue
            chosen.extend(unnamed[: n - len(chosen)])
            break
        # A reason is the clause a "because"/"karena" opens; without one, the span model's pick.
        ans = reason_span(passages[pi].text, ex.start, ex.end, q_surface) if why else None
        if ans is None and later.acronym:
            spelled = long_forms(passages[pi].text, later.acronym)
            ans = next((f for f in spelled if ex.start <= f[0] and f[1] <= ex.end), None)
        if ans is None and defined:
            ans = definition_span(passages[pi].text, ex.start, ex.end, defined)
        named = named_span(passages[pi].text, ex.start, ex.end, name_asked) if name_asked and ans is None else None
        if named is not None:  # "Siapa Dimas Prasetyo?": what he is, never another person's name
            ans = person_description(passages[pi].text, ex.start, ex.end, named, asks_post)
        # "Dimas Prasetyo?", "who is tom harrow" with no post written beside him: the sentence, nothing in bold
        no_span = (alone is not None and named_span(passages[pi].text, ex.start, ex.end, alone) is not None) or (
            named is not None and not asks_post
        )
        if ans is None and not no_span and not why and not yes_no:  # a reason or nothing: else a guess in bold
            ans = short_answer(
                passages[pi].text, ex, window, atype, q_surface, unit, later, head, slots, plang or None, wanted,
                unit_tail, change,
            )
        if ans is not None:
            ex.answer_start, ex.answer_end = ans
        chosen.append(ex)
        if len(chosen) >= n:
            break
    else:
        chosen.extend(unnamed[: n - len(chosen)])
    return chosen


# --- short answer --------------------------------------------------------------------------------------------


def _chunks(
    text: str, window: Sequence[_Sentence], q_surface: frozenset[str], lang: str | None = None
) -> list[tuple[int, int]]:
    """Untyped candidates: runs of words the question does not contain, cut at punctuation, trimmed of stop
    words at both ends; plus their pieces between stop words and plain verb forms (noun-ish chunks)."""
    out: list[tuple[int, int]] = []
    for sent in window:
        cut = [w in _ALL_STOP or v for w, v in zip(sent.words, _verbal_flags(sent, lang), strict=True)]
        run: list[int] = []
        runs: list[list[int]] = []
        anchors = set(sent.term_positions)  # words matching a question term by stem ("opposes" for "oppose")
        for i, w in enumerate(sent.words):
            gap = text[sent.spans[i - 1][1] : sent.spans[i][0]] if i else ""
            if run and gap.strip() and gap.strip() not in ("-", "'", "’"):
                runs.append(run)
                run = []
            if w in q_surface or w in _ALL_QWORDS or i in anchors:
                if run:
                    runs.append(run)
                run = []
                continue
            run.append(i)
        if run:
            runs.append(run)
        for r in runs:
            pieces = [r]
            cur: list[int] = []
            sub: list[list[int]] = []
            for i in r:
                if cut[i]:
                    if cur:
                        sub.append(cur)
                    cur = []
                else:
                    cur.append(i)
            if cur:
                sub.append(cur)
            if len(sub) > 1:
                pieces.extend(sub)
            for p in pieces:
                while p and cut[p[0]]:
                    p = p[1:]
                while p and cut[p[-1]]:
                    p = p[:-1]
                if not p or len(p) > MAX_SPAN_TOKENS:
                    continue
                span = (sent.spans[p[0]][0], sent.spans[p[-1]][1])
                if span not in out:
                    out.append(span)
    return out


def short_answer(
    text: str,
    ex: Extract,
    window: Sequence[_Sentence],
    atype: AnswerType,
    q_surface: frozenset[str],
    question_unit: str | None = None,
    later: _TypedLater | None = None,
    head: str | None = None,
    slots: tuple[str | None, str | None] = (None, None),
    lang: str | None = None,
    wanted: int | None = None,
    unit_tail: tuple[tuple[str, ...], ...] = (),
    change: bool = False,
) -> tuple[int, int] | None:
    """The short answer span (offsets into `text`) inside the shown text, or None when there is no candidate.
    `wanted` (`persons.asks_new_or_old`, None for a question about no post): the question asks for the new (+1),
    the previous (-1) or the present (0) holder."""
    spans = span_candidates(text, ex, window, atype, q_surface, later, head, slots, lang)
    scored = eligible_spans(text, spans, atype, question_unit, unit_tail, lang, change)
    if not scored:
        return None
    weights = span_weights(atype.value)
    ranked = sorted(scored, key=lambda c: (_linear(weights, c[1]), -c[0][0]), reverse=True)
    best = ranked[0][0]
    if wanted is not None and atype in (AnswerType.PERSON, AnswerType.NAME):
        best = holder_asked(text, best, [c[0] for c in ranked], window[0].start, wanted)
    if atype is AnswerType.NUMBER and _OLD_VALUE_Q.isdisjoint(q_surface):
        best = _new_value(text, best, [c[0] for c in scored])
    return with_unit(text, best[0], best[1], window[-1].end, q_surface)


# "naik dari Rp 12.900 menjadi Rp 12.500", "rose from 4.1% to 4.5%": a change's new value is the one asked for,
# unless the question asks for the old one (found in an Indonesian user's review: "berapa harga pertamax
# sekarang?" was answered with the old price).
_FROM_BEFORE = re.compile(r"(?i)\b(?:dari|from|von|de|desde)\s*$")
_TO_BETWEEN = re.compile(r"(?i)^\s*(?:(?:per|a|an|each|je|por)\s+\w+\s+)?(?:menjadi|jadi|ke|to|auf|zu|a|hasta)\s*$")
_OLD_VALUE_Q = frozenset(
    "dari sebelumnya sebelum semula lama awal from before previous previously originally old initially "
    "vorher zuvor ursprünglich antes anterior".split()
)


def _new_value(text: str, best: tuple[int, int], candidates: list[tuple[int, int]]) -> tuple[int, int]:
    """The "to" value when `best` is the "from" value of a change written in one clause, else `best`."""
    if not _FROM_BEFORE.search(text, max(0, best[0] - 8), best[0]):
        return best
    later = sorted(c for c in candidates if c[0] >= best[1])
    if later and _TO_BETWEEN.match(text[best[1] : later[0][0]]):
        return later[0]
    return best


_URL_RE = re.compile(r"\b(?:https?://|www\.)\S+")
CLOCK = "\0clock"  # question_unit_of for a time of day
_UNIT_RE = re.compile(
    r"\b(?:berapa(?:kah)?(?:\s+banyak|\s+jumlah)?|how\s+many|how\s+much|wie\s+viele?|cu[aá]nt[oa]s?)\s+(\w+)",
    re.IGNORECASE,
)


def question_unit_of(question: str) -> str | None:
    """The counted noun of a how-many question ("berapa ton" -> "ton"), casefolded; None when absent, and
    "clock" for a time of day ("jam berapa …": the hour, not a number of hours)."""
    if asks_for_clock_time(question):
        return CLOCK
    m = _UNIT_RE.search(question)
    if not m:
        return None
    word = m.group(1).casefold()
    return None if word in _ALL_STOP or word in _ALL_QWORDS else word


_TAIL_WORDS = 2  # content words of the question read after its unit
_TAIL_REACH = 4  # words read after a number for them


def question_unit_tail(question: str, lang: str | None) -> tuple[tuple[str, ...], ...]:
    """The terms of the words that qualify an Indonesian how-many question's unit ("berapa rumah RUSAK BERAT
    akibat gempa", "berapa orang yang TEWAS"): up to two lowercase content words right after it. Indonesian
    only: in English, German and Spanish questions the verb and its subject follow the unit ("How many sacks
    did Jared Allen have?"), which the text writes before the number (XQuAD F1 -0.2 to -0.7 with them)."""
    m = _UNIT_RE.search(question)
    unit = question_unit_of(question)
    if lang != "id" or not m or unit in (None, CLOCK) or unit in _PERCENT_UNITS:
        return ()  # "berapa persen siswa …": the percent is written before what it measures
    out: list[tuple[str, ...]] = []
    for w in _WORD_RE.findall(question[m.end() :]):
        low = w.casefold()
        if low == "yang" and not out:
            continue
        if low in _ALL_STOP or low in _ALL_QWORDS or not w.islower():
            break
        terms = _word_terms(low, lang)
        if terms:
            out.append(terms)
        if len(out) == _TAIL_WORDS:
            break
    return tuple(out)


_SENTENCE_STOP = re.compile(r"[.!?;]\s")


# Nouns that count people, written between a number and what the people did ("1.340 jiwa terpaksa mengungsi").
_PEOPLE_COUNTS = frozenset("orang jiwa warga korban penduduk pengungsi".split())


def _tail_follows(
    text: str, end: int, tail: tuple[tuple[str, ...], ...], lang: str | None, unit: str | None = None
) -> bool:
    """Whether every qualifying word of the question is written within a few words after text[:end], the first
    of them the question's unit, a qualifying word or a noun counting people: in "1.340 warga dari 412 kepala
    keluarga kini mengungsi" the 412 counts families, not "warga yang mengungsi"."""
    after = text[end : end + 80]
    stop = _SENTENCE_STOP.search(after)
    words = _WORD_RE.findall(after[: stop.start()] if stop else after)[:_TAIL_REACH]
    near = {t for w in words for t in _word_terms(w.casefold(), lang)}
    if unit is not None and words:
        first = words[0].casefold()
        if first != unit and first not in _PEOPLE_COUNTS and not any(
            t in terms for t in _word_terms(first, lang) for terms in tail
        ):
            return False
    return all(any(t in near for t in terms) for terms in tail)


def eligible_spans(
    text: str,
    scored: list[tuple[tuple[int, int], dict[str, float]]],
    atype: AnswerType,
    question_unit: str | None,
    unit_tail: tuple[tuple[str, ...], ...] = (),
    lang: str | None = None,
    change: bool = False,
) -> list[tuple[tuple[int, int], dict[str, float]]]:
    """The candidates allowed to answer: of the asked type when any is (a "when" question is answered by a date,
    never by a name next to it), followed by the asked unit when any is ("berapa ton …" -> "7.500 ton"), and
    first by the words qualifying the unit when any is ("berapa rumah rusak berat" -> "310" of "1.250 rumah
    rusak, terdiri atas 310 rusak berat": the unit is often left out after the first number; found in an
    Indonesian user's review).

    A which/what-noun question (NAME) is not limited to names: "What else is southern California famous for
    using?" is answered by "highways" beside the names of the sentence."""
    if atype is AnswerType.NUMBER and unit_tail:
        scored = [c for c in scored if _tail_follows(text, c[0][1], unit_tail, lang, question_unit)] or scored
    if atype is AnswerType.NUMBER and question_unit == CLOCK:
        scored = [c for c in scored if is_clock_time(text[c[0][0] : c[0][1]])] or scored
    elif atype is AnswerType.NUMBER and question_unit:
        scored = [
            c for c in scored
            if _unit_follows(text, c[0][1], question_unit) or _has_unit(text[c[0][0] : c[0][1]], question_unit)
        ] or scored
    if atype is AnswerType.NUMBER and change:  # "how much did the shares fall": "tumbled 11.2% to $58.75"
        scored = [c for c in scored if is_percent(text[c[0][0] : c[0][1]])] or scored
    if atype not in (AnswerType.OTHER, AnswerType.NAME):
        scored = [c for c in scored if c[1]["type_match"]] or scored
    if atype is AnswerType.PERSON:  # "SEVILLA — La Confederación …": a dateline names a place, not a person
        scored = [c for c in scored if not c[1]["dateline"]]
    # "PADANG, KOMPAS.com — …", "SAN JOSE, Calif. - …": the city, state and agency that filed the story answer
    # no question about it (found in an English user's review: "Calif" was the net income).
    scored = [c for c in scored if not c[1].get("in_dateline")]
    return scored


# A news dateline: a few capitalised words (city, date, agency) before a dash that opens the story.
_DATELINE_RE = re.compile(r"[^\n—–]{2,60}?(?:\s[—–-]|[—–]|\)\.-)\s")  # "Valencia (EFE).- " too
_DATELINE_MAX_WORDS = 6


def _dateline_end(text: str, sent: _Sentence) -> int:
    """Where the dateline that opens `sent` ends ("PADANG, KOMPAS.com —"), or -1 when it has none."""
    return _dateline_at(text, sent.start, sent.end)


def _dateline_at(text: str, start: int, end: int) -> int:
    """`_dateline_end` of the sentence or window `text[start:end]`."""
    if start > 0 and text[start - 1] != "\n":
        return -1  # only a passage's or paragraph's first sentence opens with one
    m = _DATELINE_RE.match(text, start, min(end, start + 80))
    if m is None:
        return -1
    head = text[m.start() : m.end()]
    if head.count("(") > head.count(")"):
        return -1  # "Wakidi (1890 - 1979), …": a dash inside brackets
    words = head.split()[:-1]  # the dash aside
    if len(words) > _DATELINE_MAX_WORDS or not all(w[:1].isupper() or w[:1].isdigit() or w[:1] == "(" for w in words):
        return -1
    return m.end()


def question_slots(question: str, lang: str | None) -> tuple[str | None, str | None]:
    """The index terms on either side of the question word ("Which river FLOWS through Vienna?" -> ("flow", None);
    "Lady Gaga SANG what?" -> (None, "sang")), skipping stop words and the asked noun: the answer in the
    sentence tends to sit where the question word sits, next to the same words."""
    words = [w.casefold() for w in _WORD_RE.findall(question)]
    qwords = QUESTION_WORDS.get(lang or "", _ALL_QWORDS)
    at = next((i for i, w in enumerate(words) if fold_word(w) in qwords), None)
    if at is None:
        return None, None
    head = question_head_of(question)

    def term(w: str) -> str | None:
        if w == head or fold_word(w) in qwords:
            return None
        terms = _word_terms(w, lang)
        return terms[0] if terms else None

    after = next((t for t in map(term, words[at + 1 :]) if t), None)
    before = next((t for t in map(term, reversed(words[:at])) if t), None)
    return after, before


def question_head_of(question: str) -> str | None:
    """The noun a what/which question asks about ("What river …" -> "river", "kota apa" -> "kota"), casefolded."""
    head = question_head(question)
    return head[0] if head else None


# The last word of each abbreviated title written out: "Chief Executive Priya Raman" names the asked "ceo".
_TITLE_HEADS = {short: long.split()[-1] for short, long in TITLE_ACRONYMS.items()}


def _is_head(word: str, head: str | None) -> bool:
    return head is not None and (
        word == head or (len(head) > 3 and word.startswith(head[: len(head) - 1])) or _TITLE_HEADS.get(head) == word
    )


_NEXT_WORD_RE = re.compile(r"\s*(\w+)")


def _unit_follows(text: str, end: int, unit: str) -> bool:
    """Whether the word right after text[:end] is the question's unit (its first letters, for plurals)."""
    m = _NEXT_WORD_RE.match(text, end, end + 40)
    if not m:
        return False
    word = m.group(1).casefold()
    stem = unit[: max(3, len(unit) - 2)]
    if unit.casefold() in _PEOPLE and word in _PEOPLE:
        return True  # "How many people live in …?" / "… has roughly 460,000 residents"
    return word == unit or word.startswith(stem) or _unit_term(word) == _unit_term(unit) is not None


# Words that count people, one for another ("berapa orang" / "12 warga", "5 jiwa"; "people" / "residents").
_PEOPLE = frozenset(
    "people persons person residents inhabitants orang warga jiwa penduduk personas habitantes menschen personen "
    "einwohner personel personnel".split()
)


_PERCENT_UNITS = frozenset({"persen", "percent", "prozent", "%"})


def unit_of_count(question: str) -> str | None:
    """The noun a how-many/how-much question names after its question word when it is a thing written beside
    the number ("berapa denda" -> "denda", "how many jobs" -> "jobs"); None for a dimension ("berapa lama",
    "berapa panjang"), a clock time or none."""
    unit = question_unit_of(question)
    if unit is None:
        trailing = _trailing_count_noun(question)
        if trailing is not None:
            return trailing
        return asked_figure(question)  # "What was Brightwell's annual pretax profit?" -> "profit"
    return None if unit == CLOCK or unit in DIMENSIONS else unit


# Chat Indonesian asks "berapa" last: "mesin parkir di bandung ada berapa" counts the noun that opens the question
# (before its first preposition or "ada"), as "berapa mesin parkir …" does.
_BERAPA_LAST = re.compile(r"(?i)\bberapa(?:\s+(?:sih|ya|aja|saja))?\W*$")
_NOUN_PHRASE_END = frozenset("di dari ke yang untuk buat pada ada sejak selama dalam oleh akibat karena berapa".split())
_COUNT_LEADS = frozenset("jumlah total banyak banyaknya".split())


def _trailing_count_noun(question: str) -> str | None:
    """The noun a question ending in "berapa" counts: the head of the words before its first preposition."""
    if not _BERAPA_LAST.search(question):
        return None
    words = [question[a:b].casefold() for a, b in word_spans(question)]
    while words and words[0] in _COUNT_LEADS:
        words = words[1:]
    phrase = words[: next((k for k, w in enumerate(words) if w in _NOUN_PHRASE_END), len(words))]
    if not phrase or len(phrase) > 3 or not _ALL_QWORDS.isdisjoint(phrase):
        return None
    noun = phrase[0]  # the head: "mesin parkir elektronik", "denda buat …" (its last word: news sets -1 answer)
    return None if noun in DIMENSIONS or noun in _ALL_STOP else noun


_NEAR_BEFORE = 4  # words read before a number for the question's noun ("denda Rp 500 juta")
_UNIT_INSIDE = 5  # a noun this long also counts inside a longer word ("diameter" in "berdiameter 800 milimeter")


def unit_near(text: str, spans: Sequence[tuple[int, int]], unit: str) -> bool:
    """Whether one of the number spans is written with the question's noun: right after it ("2.300
    Beschäftigten", "27 halte") or a few words before it in the same clause ("membayar denda Rp 500 juta")."""
    stem = unit[: max(3, len(unit) - 2)]
    for s, e in spans:
        if _has_unit(text[s:e], unit) or _unit_follows(text, e, unit):
            return True
        clause = re.split(r"[,;:.!?()\"“”]", text[max(0, s - 60) : s])[-1]
        if any(
            w == unit or w.startswith(stem) or (len(unit) >= _UNIT_INSIDE and unit in w)  # "berdiameter"
            for w in _WORD_RE.findall(clause.casefold())[-_NEAR_BEFORE:]
        ):
            return True
    return False


def _has_unit(span: str, unit: str) -> bool:
    """Whether a number candidate already ends with the question's unit: "20 persen", "4,5%" for "berapa
    persen" (found in an Indonesian user's review: "diskon 20 persen untuk 50 kereta" was answered "50")."""
    last = span.rsplit(None, 1)[-1].casefold() if span.strip() else ""
    if unit.casefold() in _PERCENT_UNITS:
        return span.rstrip().endswith("%") or last in _PERCENT_UNITS
    return last == unit.casefold()


def _unit_term(word: str) -> str | None:
    """The abbreviation a unit word stands for ("kilometres", "km" -> "km"), or None for other words."""
    if word in UNIT_TERMS.values():
        return word
    if not word.isalpha():
        return None
    for lang in SUPPORTED_LANGUAGES:
        terms = analyze_word(word, lang)
        if len(terms) == 1 and terms[0] in UNIT_TERMS.values():
            return terms[0]
    return None


_ID_VERB_PREFIXES = ("meng", "meny", "mem", "men", "me", "di", "ber")


def looks_verbal(word: str, terms: tuple[str, ...], lang: str | None) -> bool:
    """Whether a casefolded word is plainly a verb form: English "-ed" forms and irregular past forms
    ("partnered", "led"), Indonesian meN-/di-/ber- words built on a root ("mengatakan", "dibangun", "berlokasi").
    A short answer is a thing, a name, a number or a time: a candidate with a verb in it is a piece of the
    sentence's clause ("Tesla partnered with two"), rarely the answer."""
    if not terms:
        return False
    stem = terms[0]
    if lang == "en":
        return word in IRREGULAR_EN or (len(word) >= 5 and word.endswith("ed") and stem != word)
    if lang == "id":
        # meN- swallows the root's first letter ("mengatakan" <- "kata"): look for the root without it
        return word.startswith(_ID_VERB_PREFIXES) and stem != word and len(stem) >= 3 and stem[1:] in word
    return False


def _verbal_flags(sent: _Sentence, lang: str | None) -> list[bool]:
    """`looks_verbal` for each word of a sentence. An English "-ed" word counts only before a function word or
    at a clause's end ("designed by", "partnered with"): before a noun it is an adjective ("limited coercion")."""
    words = sent.words
    flags = [looks_verbal(w, t, lang) for w, t in zip(words, sent.tok_terms, strict=True)]
    if lang == "en":
        for i, f in enumerate(flags):
            if f and words[i] not in IRREGULAR_EN and i + 1 < len(words) and words[i + 1] not in _ALL_STOP:
                flags[i] = sent.spans[i + 1][0] - sent.spans[i][1] > 1  # a comma or dash between: clause end
    return flags


_AGE_TERM = UNIT_TERMS["umur"]  # the one term of "usia", "umur", "berusia", "umurnya"


def span_candidates(
    text: str,
    ex: Extract,
    window: Sequence[_Sentence],
    atype: AnswerType,
    q_surface: frozenset[str],
    later: _TypedLater | None = None,
    head: str | None = None,
    slots: tuple[str | None, str | None] = (None, None),
    lang: str | None = None,
) -> list[tuple[tuple[int, int], dict[str, float]]]:
    """Candidate short-answer spans of text[ex.start:ex.end] with their features (also used for fitting).

    `later` (extract_answers) holds the typed candidates already found for this question's type and q_surface;
    `slots` are the terms beside the question word (`question_slots`); `lang` is the passage's language.
    """
    if atype is AnswerType.OTHER:
        typed = []
    elif later is not None and later.atype is atype and later.q_surface == q_surface:
        typed = later.typed(text, ex.passage, ex.start, ex.end)
        if not typed and (later.money or later.rank or later.count or later.score or later.duration or later.bound):
            typed = typed_candidates(text, ex.start, ex.end, atype, q_surface)  # none of the asked kind: any number
    else:
        typed = typed_candidates(text, ex.start, ex.end, atype, q_surface)
    # Name-like candidates help every question type (who/where/which are often untyped in other languages).
    is_name_q = atype in (AnswerType.PERSON, AnswerType.PLACE, AnswerType.NAME)
    if typed and not is_name_q:
        # Only spans of the asked type are eligible when there are any (`eligible_spans`): score just those.
        names: list[tuple[int, int]] = []
        spans = list(dict.fromkeys(typed))
    else:
        names = (
            typed
            if atype is AnswerType.NAME and later is not None and later.atype is atype and later.q_surface == q_surface
            else typed_candidates(text, ex.start, ex.end, AnswerType.NAME, q_surface)
        )
        if atype in (AnswerType.PERSON, AnswerType.PLACE) and (typed or names):
            spans = list(dict.fromkeys([*typed, *names]))
        else:
            spans = list(dict.fromkeys([*typed, *names, *_chunks(text, window, q_surface, lang)]))
    urls = [m.span() for m in _URL_RE.finditer(text, ex.start, ex.end)]
    if urls:  # no part of a link answers anything ("http://… /2025/03/…" for "kapan …?")
        spans = [sp for sp in spans if not any(a < sp[1] and sp[0] < b for a, b in urls)]
        typed = [sp for sp in typed if sp in spans]
    if not spans:
        return []
    typed_set = set(typed)
    name_set = set(names)
    q_content = frozenset(w for w in q_surface if w not in _ALL_STOP and w not in _ALL_QWORDS)
    # Word index over the window: (start, end, sentence index, is anchor)
    words: list[tuple[int, int, int, bool]] = []
    folded: list[str] = []  # each word casefolded (`_Sentence.words`: text[start:end].casefold())
    word_terms: list[tuple[str, ...]] = []
    verbal: list[bool] = []
    # In a number question the age word ("umurnya berapa" / "berusia 71 tahun") stands before every age of the
    # window: it says which number is an age, not whose, so it anchors no candidate (found on a news set: "korban
    # meninggal di jatirasa umurnya berapa" chose the other age of the sentence once "umur" and "usia" were one term).
    skip_age_word = atype is AnswerType.NUMBER
    for k, sent in enumerate(window):
        anchors = set(sent.term_positions)
        if skip_age_word:
            anchors = {i for i in anchors if sent.tok_terms[i] != (_AGE_TERM,)}
        for i, (s, e) in enumerate(sent.spans):
            words.append((s, e, k, i in anchors))
        folded.extend(sent.words)
        word_terms.extend(sent.tok_terms)
        verbal.extend(_verbal_flags(sent, lang))
    slot_after, slot_before = slots
    starts = [w[0] for w in words]
    anchor_idx = [i for i, w in enumerate(words) if w[3]]
    best_k = max(range(len(window)), key=lambda k: len(window[k].term_positions))
    dateline_ends = [_dateline_end(text, sent) for sent in window]
    out = []
    for s, e in spans:
        i0 = max(0, bisect.bisect_right(starts, s) - 1)
        i1 = max(i0, bisect.bisect_left(starts, e) - 1)
        n_tok = i1 - i0 + 1
        nearest = None
        if anchor_idx:
            nearest = min(anchor_idx, key=lambda a: min(abs(a - i0), abs(a - i1)))
            dist = min(abs(nearest - i0), abs(nearest - i1))
            # an anchor among the 3 words before the span / after it (anchor_idx ascends: found by bisection)
            at = bisect.bisect_left(anchor_idx, i0 - 3)
            near_after = at < len(anchor_idx) and anchor_idx[at] < i0
            at = bisect.bisect_right(anchor_idx, i1)
            near_before = at < len(anchor_idx) and anchor_idx[at] <= i1 + 3
        else:
            dist, near_after, near_before = 10, False, False
        # The word before the span, looking past words the question already has ("di Kota Munich").
        j = i0 - 1
        while j >= 0 and words[j][2] == words[i0][2]:
            w = folded[j]
            if w not in q_surface or w in _PREPS:
                break
            j -= 1
        prev = folded[j] if j >= 0 and words[j][2] == words[i0][2] else ""
        first_word = text[s:e]
        sent_start = i0 == 0 or words[i0 - 1][2] != words[i0][2]
        after = text[e : e + 3]
        if nearest is not None and words[nearest][2] == words[i0][2]:
            lo, hi = (words[nearest][1], s) if nearest < i0 else (e, words[nearest][0])
            same_clause = not any(ch in ",;()[]—–" for ch in text[lo:hi])
        else:
            same_clause = False
        before_w = folded[i0 - 1] if i0 > 0 else ""
        after_w = folded[i1 + 1] if i1 + 1 < len(words) else ""
        k0 = words[i0][2]
        left = {folded[j] for j in range(max(0, i0 - 5), i0) if words[j][2] == k0}
        right = {folded[j] for j in range(i1 + 1, min(i1 + 6, len(words))) if words[j][2] == k0}
        k_end = words[i1][2]
        fills_after = slot_after is not None and any(
            slot_after in word_terms[j] for j in range(i1 + 1, min(i1 + 4, len(words))) if words[j][2] == k_end
        )
        fills_before = slot_before is not None and any(
            slot_before in word_terms[j] for j in range(max(0, i0 - 3), i0) if words[j][2] == k0
        )
        type_match = 1.0 if (s, e) in typed_set or (is_name_q and (s, e) in name_set) else 0.0
        capital = 1.0 if first_word[:1].isupper() and not sent_start else 0.0
        feats = {
            "typed": 1.0 if (s, e) in typed_set else 0.0,
            "type_match": type_match,
            "dist": math.log1p(dist),
            "near_after": 1.0 if near_after else 0.0,
            "near_before": 1.0 if near_before else 0.0,
            "capital": capital,
            "prep_before": 1.0 if prev in _PREPS else 0.0,
            "prep_place": 1.0 if prev in _PREPS and atype in (AnswerType.PLACE, AnswerType.DATE) else 0.0,
            "n_tokens": math.log(n_tok),
            "numeric": 1.0 if any(map(str.isdigit, first_word)) else 0.0,
            "dateline": 1.0 if sent_start and any(after.strip().startswith(d.strip()) for d in _DASHES) else 0.0,
            "in_dateline": 1.0 if e <= dateline_ends[k0] else 0.0,  # not fitted: eligible_spans reads it
            "in_best": 1.0 if words[i0][2] == best_k else 0.0,
            "stop_edge": 0.0,
            "long": 1.0 if n_tok > 5 else 0.0,
            "left_q": math.log1p(len(left & q_content)),
            "right_q": math.log1p(len(right & q_content)),
            "head_adj": 1.0 if _is_head(before_w, head) or _is_head(after_w, head) else 0.0,
            "head_before": 1.0 if _is_head(before_w, head) else 0.0,  # "chemist James Dewar": the naming position
            "same_clause": 1.0 if same_clause else 0.0,
            "in_paren": 1.0 if text[max(0, s - 8) : s].rstrip().endswith("(") else 0.0,
            "other_capital": capital if atype is AnswerType.OTHER else 0.0,
            "other_ntok": math.log(n_tok) if atype is AnswerType.OTHER else 0.0,
            "slot_after": 1.0 if fills_after else 0.0,
            "slot_before": 1.0 if fills_before else 0.0,
            # Share of the span's words the question already says, the asked noun aside ("What river …?" ->
            # "Charles River"): the answer is what it does not say ("Apakah nama pelabuhan di Cilacap?" ->
            # "Tanjung Intan", not "Tanjung Intan Cilacap").
            "q_inside": sum(1 for t in folded[i0 : i1 + 1] if t in q_content and not _is_head(t, head)) / n_tok,
            "verbal": 1.0 if any(verbal[i0 : i1 + 1]) else 0.0,
        }
        out.append(((s, e), feats))
    return out


__all__ = [
    "DEFAULT_MIN_SCORE",
    "Extract",
    "PassageCandidate",
    "REFUSAL_FEATURES",
    "SENTENCE_FEATURES",
    "SPAN_FEATURES",
    "candidate_features",
    "eligible_spans",
    "extract_answers",
    "looks_verbal",
    "question_slots",
    "rare_idf",
]
