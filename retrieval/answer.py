"""Extractive answers: choose the sentence (or two adjacent sentences) that answers a question, and the short
answer span inside it.

Pure functions over the top passages that retrieval found; no I/O. Every answer is a slice of a stored passage,
so it is never invented.

Three small learned models (weights in `retrieval/answer_model.py`, reproduced by
`benchmarks/tune_answers.py fit`; fitted on FacQA train and SQuAD-id answerables only):

1. Sentence ranker. Every sentence of the top passages gets language-general features: idf-weighted coverage of
   the question's (stemmed) terms, sentence-level BM25 (length-normalised, so a short sentence with the same
   matches wins), exact surface-word overlap (all content words, and separately the question's names and
   numbers), term-bigram overlap and the longest in-order run of question terms, match density, the best typed
   answer candidate that the question does not contain (its short-answer score), coverage of the previous and
   next sentence, the passage's BM25 rank and relative score, position, length, whether the question's rarest
   term occurs. A linear score, fitted as a softmax over each question's candidates (listwise logistic), ranks
   them.
2. Pair extension. The chosen sentence is shown together with its previous or next sentence only when that
   neighbour holds the answer candidate and the chosen sentence holds the question's matches
   ("... kantor pertamanya di Jerman. Kantor tersebut berlokasi di Kota Munich ..."); a logistic model over
   both sentences' coverage and answer candidates decides.
3. Refusal. A logistic model over the top candidate's features, its ranking score and softmax margin, and
   question-level evidence of absence (how much of the question's idf mass the index does not know) gives the
   probability that the shown text answers the question; that probability is the extract's `score` and one
   threshold (`DEFAULT_MIN_SCORE`) works across languages and corpus sizes.

The short answer is the best-scoring span of the shown text among typed candidates (numbers, dates, names) and
untyped chunks of words the question does not contain (`SPAN_WEIGHTS`).
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from retrieval.answer_model import (
    PAIR_FEATURES,
    PAIR_MIN,
    PAIR_WEIGHTS,
    REFUSAL_FEATURES,
    REFUSAL_WEIGHTS,
    SENTENCE_FEATURES,
    SENTENCE_WEIGHTS,
    SPAN_FEATURES,
    SPAN_WEIGHTS,
)
from retrieval.answer_types import AnswerType, expected_answer_type, typed_candidates
from retrieval.sentences import split_sentences
from retrieval.stopwords import QUESTION_WORDS, STOP_WORDS
from retrieval.text import analyze, word_spans

MAX_PASSAGES = 8
# Below this probability the engine refuses. Chosen by measurement (benchmarks/tune_answers.py tradeoff) on the
# tuning sets only: the highest threshold keeping false refusals <= 5 % on FacQA train and SQuAD-id answerables.
DEFAULT_MIN_SCORE = 0.1
MAX_SPAN_TOKENS = 8
# Sentence-level BM25 (k1, b, average sentence length in words).
_K1, _B, _AVG_WORDS = 1.2, 0.75, 25.0

_ALL_STOP = frozenset().union(*STOP_WORDS.values())
_ALL_QWORDS = frozenset().union(*QUESTION_WORDS.values())
# Words that introduce a place or time ("di Munich", "in Berlin", "im Jahr", "en Madrid").
_PREPS = frozenset(
    "di ke dari pada sejak tahun in at on from since during im am beim zum zur nach bei aus seit vom en desde "
    "a hacia durante".split()
)
_DASHES = ("—", "–", " - ", ":", "|")


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
    score: float  # probability that this span shows the answer (0..1)
    coverage: float
    answer_start: int | None = None  # short answer span inside the passage text
    answer_end: int | None = None
    features: dict[str, float] = field(default_factory=dict)


@dataclass
class _Sentence:
    start: int
    end: int
    spans: list[tuple[int, int]]  # word offsets (absolute, into the passage text)
    words: list[str]  # casefolded surface words
    tok_terms: list[tuple[str, ...]]  # analysed terms of each word
    terms: frozenset[str]
    term_seq: list[str]
    term_positions: tuple[int, ...]  # word indices that match a question term
    # Filled per question by _candidates:
    cov: float = 0.0
    type_ok: float = 0.0  # a typed answer candidate the question does not contain
    ans: float = 0.0  # best short-answer candidate's probability (typed or name)
    scored: bool = False  # type_ok / ans computed


@dataclass
class _Question:
    weights: dict[str, float]
    unknown: frozenset[str]
    total: float
    q_set: frozenset[str]
    q_seq: list[str]
    q_bigrams: set[tuple[str, str]]
    atype: AnswerType
    q_surface: frozenset[str]
    q_content: frozenset[str]
    q_names: frozenset[str]  # capitalised (not question-initial) words and numbers, casefolded
    rarest: str


@dataclass
class _Cand:
    ex: Extract
    window: tuple[_Sentence, ...]
    plang: str
    sents: list[_Sentence]  # all sentences of the passage
    si: int  # index of the (first) sentence in `sents`


def rare_idf(n_docs: int) -> float:
    """BM25 idf of a term found in one passage of `n_docs` (the weight of a term the index does not know)."""
    return math.log((max(n_docs, 2) - 0.5) / 1.5)


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


def _analyze_sentence(text: str, start: int, end: int, lang: str | None, q_set: frozenset[str]) -> _Sentence:
    span_text = text[start:end]
    spans = [(start + s, start + e) for s, e in word_spans(span_text)]
    words = [text[s:e].casefold() for s, e in spans]
    tok_terms = [tuple(analyze(w, lang)) for w in words]
    positions = tuple(i for i, toks in enumerate(tok_terms) if any(t in q_set for t in toks))
    seq = [t for toks in tok_terms for t in toks]
    return _Sentence(start, end, spans, words, tok_terms, frozenset(seq), seq, positions)


def _proximity(positions: Sequence[int], matched: int) -> float:
    """1.0 when the matched question terms sit together, falling as they spread out."""
    if matched < 2 or len(positions) < 2:
        return 0.0
    spread = positions[-1] - positions[0] + 1
    return min(1.0, matched / spread)


def _longest_run(q_seq: Sequence[str], seq: Sequence[str]) -> int:
    """Length of the longest run of consecutive question terms that occurs, in order, in `seq`."""
    if not q_seq or not seq:
        return 0
    best = 0
    prev = [0] * (len(q_seq) + 1)
    for t in seq:
        cur = [0] * (len(q_seq) + 1)
        for j, q in enumerate(q_seq):
            if q == t:
                cur[j + 1] = prev[j] + 1
                if cur[j + 1] > best:
                    best = cur[j + 1]
        prev = cur
    return best


def _sigmoid(z: float) -> float:
    if z < -30:
        return 0.0
    if z > 30:
        return 1.0
    return 1.0 / (1.0 + math.exp(-z))


def _linear(weights: dict[str, float], feats: dict[str, float]) -> float:
    return weights.get("bias", 0.0) + sum(weights.get(k, 0.0) * v for k, v in feats.items())


_WORD_RE = re.compile(r"\w+", re.UNICODE)


def _surface_words(question: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORD_RE.findall(question))


def _question(question: str, q_terms: Sequence[str], idf, lang, n_docs) -> _Question:
    weights, unknown = _question_weights(q_terms, idf, n_docs)
    q_set = frozenset(weights)
    q_seq = [t for t in q_terms if t in q_set]
    q_surface = _surface_words(question)
    q_content = frozenset(w for w in q_surface if w not in _ALL_STOP and w not in _ALL_QWORDS) or q_surface
    names = set()
    for k, m in enumerate(_WORD_RE.finditer(question)):
        w = m.group(0)
        if any(ch.isdigit() for ch in w) or (k > 0 and w[:1].isupper()):
            names.add(w.casefold())
    return _Question(
        weights=weights,
        unknown=unknown,
        total=sum(weights.values()) or 1.0,
        q_set=q_set,
        q_seq=q_seq,
        q_bigrams={(a, b) for a, b in zip(q_seq, q_seq[1:], strict=False) if a != b},
        atype=expected_answer_type(question, lang),
        q_surface=q_surface,
        q_content=q_content,
        q_names=frozenset(names - _ALL_QWORDS),
        rarest=max(weights, key=lambda t: weights[t]),
    )


def _candidates(
    question: str,
    q_terms: Sequence[str],
    passages: Sequence[PassageCandidate],
    idf: Callable[[str], float | None],
    lang: str | None,
    n_docs: int | None,
) -> tuple[_Question | None, list[_Cand]]:
    """Every sentence with a question match, with its ranking features (in `Extract.features`)."""
    if not passages or not q_terms:
        return None, []
    Q = _question(question, q_terms, idf, lang, n_docs)
    weights, total = Q.weights, Q.total
    q_set = Q.q_set
    top_score = max(p.score for p in passages) or 1.0
    unknown_frac = sum(weights[t] for t in Q.unknown) / total
    max_w = weights[Q.rarest]
    q_len = math.log(len(q_set))
    n_seq = max(len(Q.q_seq), 1)

    out: list[_Cand] = []
    for pi, passage in enumerate(passages[:MAX_PASSAGES]):
        plang = passage.language or lang
        text = passage.text
        sents = [_analyze_sentence(text, s, e, plang, q_set) for s, e in split_sentences(text)]
        if not sents:
            continue
        rel = passage.score / top_score if top_score > 0 else 0.0
        for s in sents:
            s.cov = sum(weights[t] for t in q_set & s.terms) / total
        passage_terms = frozenset().union(*(s.terms for s in sents))
        passage_cov = sum(weights[t] for t in q_set & passage_terms) / total
        best_cov = max(s.cov for s in sents)
        for si, sent in enumerate(sents):
            if sent.cov <= 0:
                continue
            _answer_candidates(text, sent, Q)
            matched = q_set & sent.terms
            n_words = max(len(sent.words), 1)
            kd = _K1 * (1 - _B + _B * n_words / _AVG_WORDS)
            bm25 = 0.0
            for t in matched:
                tf = sent.term_seq.count(t)
                bm25 += weights[t] * tf * (_K1 + 1) / (tf + kd)
            words = set(sent.words)
            seq_bi = set(zip(sent.term_seq, sent.term_seq[1:], strict=False))
            missing = [weights[t] for t in q_set - matched]
            feats = {
                "cov": sent.cov,
                "bm25": bm25 / total,
                "surf": len(Q.q_content & words) / len(Q.q_content) if Q.q_content else 0.0,
                "names": len(Q.q_names & words) / len(Q.q_names) if Q.q_names else 0.0,
                "bigram": len(Q.q_bigrams & seq_bi) / len(Q.q_bigrams) if Q.q_bigrams else 0.0,
                "run": _longest_run(Q.q_seq, sent.term_seq) / n_seq,
                "prox": _proximity(sent.term_positions, len(matched)),
                "density": len(sent.term_positions) / n_words,
                "type_ok": sent.type_ok,
                "ans": sent.ans,
                "prev_cov": sents[si - 1].cov if si > 0 else 0.0,
                "next_cov": sents[si + 1].cov if si + 1 < len(sents) else 0.0,
                "rel": rel,
                "rank_recip": 1.0 / (1 + pi),
                "top_passage": 1.0 if pi == 0 else 0.0,
                "passage_cov": passage_cov,
                "best_in_passage": 1.0 if sent.cov >= best_cov else 0.0,
                "first": 1.0 if si == 0 else 0.0,
                "pos": math.log1p(si),
                "log_len": math.log(max(sent.end - sent.start, 20) / 150.0),
                "rare_hit": 1.0 if Q.rarest in sent.terms else 0.0,
                "miss_rare": (max(missing) / max_w) if missing else 0.0,
                "cov_rel": sent.cov * rel,
                "unknown": unknown_frac,
                "q_len": q_len,
            }
            ex = Extract(pi, sent.start, sent.end, 0.0, sent.cov, features=feats)
            out.append(_Cand(ex, (sent,), plang or "", sents, si))
    return Q, out


def _answer_candidates(text: str, sent: _Sentence, Q: _Question) -> None:
    """Set `sent.type_ok` and `sent.ans` (typed or name candidates only; chunks are scored for display)."""
    scored = span_candidates(text, Extract(0, sent.start, sent.end, 0.0, 0.0), (sent,), Q.atype, Q.q_surface,
                             chunks=False)
    sent.scored = True
    sent.type_ok = 1.0 if any(f["typed"] for _, f in scored) else 0.0
    sent.ans = max((_sigmoid(_linear(SPAN_WEIGHTS, f)) for _, f in scored), default=0.0)


def candidate_features(
    question: str,
    q_terms: Sequence[str],
    passages: Sequence[PassageCandidate],
    idf: Callable[[str], float | None],
    *,
    lang: str | None = None,
    n_docs: int | None = None,
) -> list[tuple[Extract, tuple[_Sentence, ...], str]]:
    """Every candidate sentence with its features (in `Extract.features`), unscored. Also used for fitting."""
    _, cands = _candidates(question, q_terms, passages, idf, lang, n_docs)
    return [(c.ex, c.window, c.plang) for c in cands]


def pair_features(Q: _Question, sent: _Sentence, other: _Sentence, after: bool) -> dict[str, float]:
    """Features for showing `other` (the previous or next sentence) together with the chosen `sent`."""
    return {
        "s_cov": sent.cov,
        "s_type": sent.type_ok,
        "s_ans": sent.ans,
        "o_cov": other.cov,
        "o_type": other.type_ok,
        "o_ans": other.ans,
        "ans_gain": other.ans - sent.ans,
        "after": 1.0 if after else 0.0,
        "typed_q": 0.0 if Q.atype is AnswerType.OTHER else 1.0,
        "o_len": math.log(max(other.end - other.start, 20) / 150.0),
    }


def _neighbours(c: _Cand, text: str, Q: _Question) -> list[tuple[_Sentence, bool]]:
    out = []
    for j, after in ((c.si - 1, False), (c.si + 1, True)):
        if 0 <= j < len(c.sents):
            o = c.sents[j]
            if not o.words:
                continue
            if not o.scored:
                _answer_candidates(text, o, Q)
            out.append((o, after))
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
    """
    Q, cands = _candidates(question, q_terms, passages, idf, lang, n_docs)
    if Q is None or not cands:
        return []
    scores = [_linear(SENTENCE_WEIGHTS, c.ex.features) for c in cands]
    order = sorted(range(len(cands)), key=lambda i: (-scores[i], cands[i].ex.passage, cands[i].ex.start))
    top = scores[order[0]]
    z = sum(math.exp(s - top) for s in scores)
    second = scores[order[1]] if len(order) > 1 else top - 10.0
    chosen: list[Extract] = []
    for i in order:
        c = cands[i]
        ex = c.ex
        if any(e.passage == ex.passage and e.start < ex.end and ex.start < e.end for e in chosen):
            continue
        f = ex.features
        f["rank"] = scores[i]
        f["p_soft"] = math.exp(scores[i] - top) / z
        f["margin"] = min(scores[i] - second if i == order[0] else scores[i] - top, 5.0)
        ex.score = _sigmoid(_linear(REFUSAL_WEIGHTS, {k: f[k] for k in REFUSAL_FEATURES}))
        text = passages[ex.passage].text
        window = c.window
        best_p, best_o = PAIR_MIN, None
        for o, after in _neighbours(c, text, Q):
            p = _sigmoid(_linear(PAIR_WEIGHTS, pair_features(Q, c.window[0], o, after)))
            if p > best_p:
                best_p, best_o = p, (o, after)
        if best_o is not None:
            o, after = best_o
            window = (c.window[0], o) if after else (o, c.window[0])
            ex.start, ex.end = window[0].start, window[-1].end
        f["is_pair"] = float(len(window) - 1)
        ans = short_answer(text, ex, window, Q.atype, Q.q_surface)
        if ans is not None:
            ex.answer_start, ex.answer_end = ans
        chosen.append(ex)
        if len(chosen) >= n:
            break
    return chosen


# --- short answer --------------------------------------------------------------------------------------------


def _chunks(text: str, window: Sequence[_Sentence], q_surface: frozenset[str]) -> list[tuple[int, int]]:
    """Untyped candidates: runs of words the question does not contain, cut at punctuation, trimmed of stop
    words at both ends; plus their pieces between stop words (noun-ish chunks)."""
    out: list[tuple[int, int]] = []
    for sent in window:
        run: list[int] = []
        runs: list[list[int]] = []
        for i, w in enumerate(sent.words):
            gap = text[sent.spans[i - 1][1] : sent.spans[i][0]] if i else ""
            if run and gap.strip() and gap.strip() not in ("-", "'", "’"):
                runs.append(run)
                run = []
            if w in q_surface or w in _ALL_QWORDS:
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
                if sent.words[i] in _ALL_STOP:
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
                while p and sent.words[p[0]] in _ALL_STOP:
                    p = p[1:]
                while p and sent.words[p[-1]] in _ALL_STOP:
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
) -> tuple[int, int] | None:
    """The short answer span (offsets into `text`) inside the shown text, or None when there is no candidate."""
    scored = span_candidates(text, ex, window, atype, q_surface)
    if not scored:
        return None
    return max(scored, key=lambda c: (_linear(SPAN_WEIGHTS, c[1]), -c[0][0]))[0]


def span_candidates(
    text: str,
    ex: Extract,
    window: Sequence[_Sentence],
    atype: AnswerType,
    q_surface: frozenset[str],
    *,
    chunks: bool = True,
) -> list[tuple[tuple[int, int], dict[str, float]]]:
    """Candidate short-answer spans of text[ex.start:ex.end] with their features (also used for fitting)."""
    typed = typed_candidates(text, ex.start, ex.end, atype, q_surface) if atype is not AnswerType.OTHER else []
    # Name-like candidates help every question type (who/where/which are often untyped in other languages).
    names = typed_candidates(text, ex.start, ex.end, AnswerType.NAME, q_surface)
    spans = list(dict.fromkeys([*typed, *names, *(_chunks(text, window, q_surface) if chunks else [])]))
    if not spans:
        return []
    typed_set = set(typed)
    name_set = set(names)
    # Word index over the window: (start, end, sentence index, is anchor)
    words: list[tuple[int, int, int, bool]] = []
    for k, sent in enumerate(window):
        anchors = set(sent.term_positions)
        for i, (s, e) in enumerate(sent.spans):
            words.append((s, e, k, i in anchors))
    if not words:
        return []
    starts = [w[0] for w in words]
    anchor_idx = [i for i, w in enumerate(words) if w[3]]
    best_k = max(range(len(window)), key=lambda k: len(window[k].term_positions))
    out = []
    for s, e in spans:
        i0 = max(0, bisect.bisect_right(starts, s) - 1)
        i1 = max(i0, bisect.bisect_left(starts, e) - 1)
        n_tok = i1 - i0 + 1
        if anchor_idx:
            dist = min(min(abs(a - i0), abs(a - i1)) for a in anchor_idx)
            near_after = any(0 < i0 - a <= 3 for a in anchor_idx)
            near_before = any(0 < a - i1 <= 3 for a in anchor_idx)
        else:
            dist, near_after, near_before = 10, False, False
        # The word before the span, looking past words the question already has ("di Kota Munich").
        j = i0 - 1
        while j >= 0 and words[j][2] == words[i0][2]:
            w = text[words[j][0] : words[j][1]].casefold()
            if w not in q_surface or w in _PREPS:
                break
            j -= 1
        prev = text[words[j][0] : words[j][1]].casefold() if j >= 0 and words[j][2] == words[i0][2] else ""
        first_word = text[s:e]
        sent_start = i0 == 0 or words[i0 - 1][2] != words[i0][2]
        after = text[e : e + 3]
        feats = {
            "typed": 1.0 if (s, e) in typed_set else 0.0,
            "type_match": 1.0 if (s, e) in typed_set or (atype in (AnswerType.PERSON, AnswerType.PLACE, AnswerType.NAME) and (s, e) in name_set) else 0.0,
            "dist": math.log1p(dist),
            "near_after": 1.0 if near_after else 0.0,
            "near_before": 1.0 if near_before else 0.0,
            "capital": 1.0 if first_word[:1].isupper() and not sent_start else 0.0,
            "prep_before": 1.0 if prev in _PREPS else 0.0,
            "prep_place": 1.0 if prev in _PREPS and atype in (AnswerType.PLACE, AnswerType.DATE) else 0.0,
            "n_tokens": math.log(n_tok),
            "numeric": 1.0 if any(ch.isdigit() for ch in first_word) else 0.0,
            "dateline": 1.0 if sent_start and any(after.strip().startswith(d.strip()) for d in _DASHES) else 0.0,
            "in_best": 1.0 if words[i0][2] == best_k else 0.0,
            "stop_edge": 0.0,
            "long": 1.0 if n_tok > 5 else 0.0,
        }
        out.append(((s, e), feats))
    return out


__all__ = [
    "DEFAULT_MIN_SCORE",
    "Extract",
    "PassageCandidate",
    "PAIR_FEATURES",
    "REFUSAL_FEATURES",
    "SENTENCE_FEATURES",
    "SPAN_FEATURES",
    "candidate_features",
    "extract_answers",
    "pair_features",
    "rare_idf",
]
