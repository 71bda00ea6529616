"""Extractive answers: choose the sentence (or two adjacent sentences) that answers a question, and the short
answer span inside it.

Pure functions over the top passages that retrieval found; no I/O. Every answer is a slice of a stored passage,
so it is never invented. Scores are on a 0..1-ish scale that does not depend on corpus size, so the refusal
threshold measured on the development sets carries over to other collections.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from retrieval.answer_types import AnswerType, expected_answer_type, typed_candidates
from retrieval.sentences import split_sentences
from retrieval.text import analyze, word_spans

# Weights of the sentence score; set by measurement with `articlebot eval` on the development sets
# (see README "Answer quality"). Coverage of the question's idf mass dominates; the passage's BM25 rank
# breaks ties between sentences that cover the question equally.
W_COVERAGE = 1.0
W_PASSAGE = 0.25
W_TYPE = 0.20
W_PROXIMITY = 0.10
PAIR_PENALTY = 0.06
MAX_PASSAGES = 8
# Below this shown-answer score the engine refuses; measured (README "Refusals").
DEFAULT_MIN_SCORE = 0.45


@dataclass(frozen=True)
class PassageCandidate:
    """A retrieved passage: its text, BM25 score and language (caller keeps the rest by index)."""

    text: str
    score: float
    language: str | None = None


@dataclass
class Extract:
    """One candidate answer: a span of `passages[passage]`'s text."""

    passage: int
    start: int  # sentence (or sentence pair) span inside the passage text
    end: int
    score: float
    coverage: float
    answer_start: int | None = None  # short answer span inside the passage text
    answer_end: int | None = None
    features: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    terms: frozenset[str]
    term_positions: tuple[int, ...]  # token indices (in the sentence) that match a question term


def rare_idf(n_docs: int) -> float:
    """BM25 idf of a term found in one passage of `n_docs` (the weight of a term the index does not know)."""
    return math.log((max(n_docs, 2) - 0.5) / 1.5)


def _question_weights(
    q_terms: Sequence[str], idf: Callable[[str], float | None], n_docs: int | None = None
) -> dict[str, float]:
    """Each distinct query term's weight: its idf, floored so very common terms still count a little.

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
    unknown_w = rare_idf(n_docs) if n_docs else max(known + [1.0])
    return {t: (max(v, 0.1) if v is not None else max(unknown_w, 0.1)) for t, v in raw.items()}


def _analyze_sentence(text: str, start: int, end: int, lang: str | None, q_set: frozenset[str]) -> _Sentence:
    span_text = text[start:end]
    tokens = [analyze(span_text[s:e], lang) for s, e in word_spans(span_text)]
    positions = tuple(i for i, toks in enumerate(tokens) if any(t in q_set for t in toks))
    terms = frozenset(t for toks in tokens for t in toks)
    return _Sentence(start, end, terms, positions)


def _proximity(positions: tuple[int, ...], matched: int) -> float:
    """1.0 when the matched question terms sit together, falling as they spread out."""
    if matched < 2 or len(positions) < 2:
        return 0.0
    spread = positions[-1] - positions[0] + 1
    return min(1.0, matched / spread)


def extract_answers(
    question: str,
    q_terms: Sequence[str],
    passages: Sequence[PassageCandidate],
    idf: Callable[[str], float],
    *,
    lang: str | None = None,
    n: int = 3,
    n_docs: int | None = None,
) -> list[Extract]:
    """The best `n` extracts over the passages, best first, at most one per sentence span."""
    if not passages or not q_terms:
        return []
    weights = _question_weights(q_terms, idf, n_docs)
    total = sum(weights.values()) or 1.0
    q_set = frozenset(weights)
    atype = expected_answer_type(question, lang)
    top_score = max(p.score for p in passages) or 1.0
    q_surface = _surface_words(question)

    candidates: list[Extract] = []
    for pi, passage in enumerate(passages[:MAX_PASSAGES]):
        plang = passage.language or lang
        spans = split_sentences(passage.text)
        sents = [_analyze_sentence(passage.text, s, e, plang, q_set) for s, e in spans]
        rel = passage.score / top_score
        for si, sent in enumerate(sents):
            windows = [(sent,)]
            if si + 1 < len(sents):
                windows.append((sent, sents[si + 1]))
            for window in windows:
                terms = frozenset().union(*(w.terms for w in window))
                matched = q_set & terms
                coverage = sum(weights[t] for t in matched) / total
                if coverage <= 0:
                    continue
                start, end = window[0].start, window[-1].end
                # Proximity is judged on the best-matching sentence of the window.
                best = max(window, key=lambda w: len(w.term_positions))
                prox = _proximity(best.term_positions, len(q_set & best.terms))
                ans = _short_answer(passage.text, start, end, atype, q_surface, window)
                type_ok = 1.0 if (atype is not AnswerType.OTHER and ans is not None) else 0.0
                score = (
                    W_COVERAGE * coverage
                    + W_PASSAGE * rel
                    + W_TYPE * type_ok
                    + W_PROXIMITY * prox
                    - PAIR_PENALTY * (len(window) - 1)
                )
                if len(window) == 2:
                    # A pair only earns its place when the second sentence adds something the first lacks.
                    first_cov = sum(weights[t] for t in q_set & window[0].terms) / total
                    if coverage - first_cov < 1e-9 and not (
                        ans is not None and ans[0] >= window[1].start and type_ok
                    ):
                        continue
                candidates.append(
                    Extract(
                        passage=pi,
                        start=start,
                        end=end,
                        score=score,
                        coverage=coverage,
                        answer_start=ans[0] if ans else None,
                        answer_end=ans[1] if ans else None,
                        features={"coverage": coverage, "passage": rel, "type": type_ok, "proximity": prox},
                    )
                )
    candidates.sort(key=lambda c: (-c.score, c.passage, c.start))
    chosen: list[Extract] = []
    for cand in candidates:
        if any(c.passage == cand.passage and c.start < cand.end and cand.start < c.end for c in chosen):
            continue
        chosen.append(cand)
        if len(chosen) >= n:
            break
    return chosen


_WORD_RE = re.compile(r"\w+", re.UNICODE)


def _surface_words(question: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORD_RE.findall(question))


def _short_answer(
    text: str,
    start: int,
    end: int,
    atype: AnswerType,
    q_surface: frozenset[str],
    window: Sequence[_Sentence],
) -> tuple[int, int] | None:
    """The short answer span (offsets into `text`) inside text[start:end], or None when we cannot tell."""
    cands = typed_candidates(text, start, end, atype, q_surface)
    if not cands:
        return None
    # Prefer the candidate closest to where the question's words matched.
    anchors: list[int] = []
    for sent in window:
        spans = word_spans(text[sent.start : sent.end])
        anchors.extend(sent.start + spans[i][0] for i in sent.term_positions if i < len(spans))
    if not anchors:
        return cands[0]

    def distance(c: tuple[int, int]) -> int:
        return min(min(abs(c[0] - a), abs(c[1] - a)) for a in anchors)

    return min(cands, key=distance)
