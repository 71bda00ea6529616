"""Choose the analyzer (stemming variant) and the chunk size by measurement.

Run from the repo root:  python benchmarks/tokenizer_choice.py [--quick] [--jobs N]

Reads the development sets from ../shared/data (relative to the repo root; never copied). For every variant it
indexes the passages of each data set with rank_bm25.BM25Okapi and reports, over the questions, the fraction whose
gold passage (the one containing the answer) ranks first (@1) and in the top 5 (@5), and whose article is the
article of the top passage (art@1); plus analyze() throughput on Indonesian text and language-detection accuracy.

Corpora: FacQA = every distinct passage of train+valid is one article (one paragraph), questions of train+valid;
XQuAD en/de/es and SQuAD-id (answerable questions) = one article per title, paragraphs joined by blank lines.
Questions are analysed with their own detected language (as the bot does), passages with their article's
detected language; the "oracle" rows give questions the data set's language to show what misdetection costs.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path

import numpy as np
from rank_bm25 import BM25Okapi

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from retrieval import text as T  # noqa: E402
from retrieval.chunking import chunk_body  # noqa: E402
from retrieval.text import analyze, analyze_query, detect_language, normalize_document, word_spans  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
WORD_BUDGET = 250  # words of top passages the answer extractor reads (chunk-size table)


@dataclass
class Question:
    text: str
    article: int
    answer_start: int  # offset in the article body
    lang: str


@dataclass
class DataSet:
    name: str
    lang: str
    bodies: list[str]
    questions: list[Question]


_PUNCT_NO_SPACE_BEFORE = frozenset(".,;:!?)]}%'\"”’»")


def _join_tokens(tokens: list[str]) -> tuple[str, list[int]]:
    """FacQA tokens joined with spaces, no space before punctuation; also each token's start offset."""
    out, starts, pos = [], [], 0
    for i, tok in enumerate(tokens):
        if i and not (tok in _PUNCT_NO_SPACE_BEFORE or (len(tok) == 1 and tok in _PUNCT_NO_SPACE_BEFORE)):
            out.append(" ")
            pos += 1
        starts.append(pos)
        out.append(tok)
        pos += len(tok)
    return "".join(out), starts


def load_facqa() -> DataSet:
    bodies: dict[str, int] = {}
    body_list: list[str] = []
    questions = []
    for split in ("train", "valid"):
        with open(DATA / "facqa" / f"{split}.csv", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                q_tokens = ast.literal_eval(row["question"])
                p_tokens = ast.literal_eval(row["passage"])
                labels = ast.literal_eval(row["seq_label"])
                passage, starts = _join_tokens(p_tokens)
                if "B" not in labels:
                    continue
                body = normalize_document(passage)
                if body not in bodies:
                    bodies[body] = len(body_list)
                    body_list.append(body)
                question, _ = _join_tokens(q_tokens)
                ans = starts[labels.index("B")]
                if body != passage:  # normalisation moved text: find the answer's first token again
                    ans = _nearest(body, p_tokens[labels.index("B")], ans)
                questions.append(Question(question, bodies[body], ans, "id"))
    return DataSet("FacQA", "id", body_list, questions)


def _nearest(haystack: str, needle: str, near: int) -> int:
    """Offset of the occurrence of needle nearest to `near` (or `near` clamped if absent)."""
    best, i = -1, haystack.find(needle)
    while i >= 0:
        if best < 0 or abs(i - near) < abs(best - near):
            best = i
        i = haystack.find(needle, i + 1)
    return best if best >= 0 else max(0, min(near, len(haystack) - 1))


def load_squad(path: Path, name: str, lang: str) -> DataSet:
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    bodies, questions = [], []
    for art_i, art in enumerate(data):
        parts, offset = [], 0
        for para in art["paragraphs"]:
            ctx = normalize_document(para["context"]).replace("\n\n", "\n")
            for qa in para["qas"]:
                if qa.get("is_impossible"):
                    continue
                answers = [a for a in qa["answers"] if a["text"].strip()]
                if not answers:
                    continue
                a = answers[0]
                pos = _nearest(ctx, normalize_document(a["text"]), a["answer_start"])
                questions.append(Question(qa["question"], art_i, offset + pos, lang))
            parts.append(ctx)
            offset += len(ctx) + 2
        body = "\n\n".join(parts)
        assert normalize_document(body) == body
        bodies.append(body)
    return DataSet(name, lang, bodies, questions)


def load_all() -> list[DataSet]:
    sets = [load_facqa()]
    for lang in ("en", "de", "es"):
        sets.append(load_squad(DATA / "xquad" / f"xquad.{lang}.json", f"XQuAD-{lang}", lang))
    sets.append(load_squad(DATA / "squad-id" / "squad-id.dev-v2.0.json", "SQuAD-id", "id"))
    return sets


# ---------------------------------------------------------------------------------------------------------------
# variants: (passage analyzer(text, lang), query analyzer(text, lang_or_None, dataset_lang))

_BASE_RE = re.compile(r"\w+")


def _baseline(text: str, lang: str | None = None) -> list[str]:
    return _BASE_RE.findall(text.lower())


Analyzer = Callable[[str, str], list[str]]


def variant_fns(name: str) -> tuple[Analyzer, Callable[[str, str], list[str]]]:
    """Passage analyzer(text, article_lang) and query analyzer(question, dataset_lang)."""
    if name == "baseline-\\w+":
        return _baseline, _baseline
    stem, _, mode = name.partition("/")
    if mode == "oracle":
        return (lambda t, lang: analyze(t, lang, stemming=stem)), (
            lambda q, ds_lang: analyze_query(q, ds_lang, stemming=stem)
        )
    return (lambda t, lang: analyze(t, lang, stemming=stem)), (lambda q, ds_lang: analyze_query(q, None, stemming=stem))


VARIANTS = ["baseline-\\w+", "none", "snowball", "sastrawi", "snowball/oracle", "sastrawi/oracle"]


def evaluate(ds: DataSet, variant: str, max_words: int | None) -> dict[str, float]:
    """Retrieval metrics of one variant on one data set, passages = chunk_body(max_words) or paragraphs."""
    p_fn, q_fn = variant_fns(variant)
    passages: list[tuple[int, int, int]] = []  # (article, start, end)
    for a, body in enumerate(ds.bodies):
        chunks = chunk_body(body, max_words if max_words else 10**9)
        passages.extend((a, c.start, c.end) for c in chunks)
    art_lang = [detect_language(b) for b in ds.bodies]
    corpus = [p_fn(ds.bodies[a][s:e], art_lang[a]) or ["\x00"] for a, s, e in passages]
    bm25 = BM25Okapi(corpus)
    starts_by_art: dict[int, list[tuple[int, int, int]]] = {}
    for i, (a, s, e) in enumerate(passages):
        starts_by_art.setdefault(a, []).append((s, e, i))
    lengths = np.array([len(word_spans(ds.bodies[a][s:e])) for a, s, e in passages])
    hit1 = hit5 = art1 = hit_budget = 0
    for q in ds.questions:
        gold = next((i for s, e, i in starts_by_art[q.article] if s <= q.answer_start < e), None)
        if gold is None:  # answer offset in whitespace between chunks: the next chunk
            gold = next(i for s, e, i in starts_by_art[q.article] if s > q.answer_start)
        terms = q_fn(q.text, ds.lang)
        scores = bm25.get_scores(terms) if terms else np.zeros(len(passages))
        top = np.argsort(-scores, kind="stable")[:5]
        hit1 += int(top[0] == gold)
        hit5 += int(gold in top)
        art1 += int(passages[int(top[0])][0] == q.article)
        # equal reading budget for the answer extractor: the best passages up to WORD_BUDGET words in total
        ranked = np.argsort(-scores, kind="stable")[:64]
        within = ranked[np.cumsum(lengths[ranked]) - lengths[ranked] < WORD_BUDGET]
        hit_budget += int(gold in within)
    n = len(ds.questions)
    return {
        "budget": hit_budget / n,
        "@1": hit1 / n,
        "@5": hit5 / n,
        "art@1": art1 / n,
        "passages": len(passages),
        "mean_words": float(lengths.mean()),
    }


def throughput(ds_list: list[DataSet], variant: str) -> tuple[float, float]:
    """analyze() words/s on all Indonesian bodies: cold (caches cleared) and warm (second pass)."""
    texts = [b for ds in ds_list if ds.lang == "id" for b in ds.bodies]
    n_words = sum(len(word_spans(t)) for t in texts)
    stem = variant.partition("/")[0]
    rates = []
    T._term_fn.cache_clear()  # fresh per-word caches: the first pass is cold
    T._fold.cache_clear()
    for _ in range(2):
        t0 = time.perf_counter()
        for t in texts:
            analyze(t, "id", stemming=stem)
        rates.append(n_words / (time.perf_counter() - t0))
    return rates[0], rates[1]


def lang_accuracy(ds: DataSet) -> tuple[float, float, list[str]]:
    """Detection accuracy on questions and on article bodies, plus a few misdetected questions."""
    wrong = [q.text for q in ds.questions if detect_language(q.text) != ds.lang]
    arts = sum(detect_language(b) == ds.lang for b in ds.bodies) / len(ds.bodies)
    return 1 - len(wrong) / len(ds.questions), arts, wrong[:5]


_SETS: list[DataSet] = []


def _job(args: tuple[str, int, int | None]) -> tuple[str, str, int | None, dict[str, float]]:
    variant, ds_i, max_words = args
    ds = _SETS[ds_i]
    return variant, ds.name, max_words, evaluate(ds, variant, max_words)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--quick", action="store_true", help="skip the chunk-size table")
    ap.add_argument("--chunks-only", action="store_true", help="only the chunk-size table")
    ap.add_argument("--chunk-variant", default=T.DEFAULT_STEMMING)
    args = ap.parse_args()
    t0 = time.perf_counter()
    _SETS.extend(load_all())
    names = [d.name for d in _SETS]
    print(f"loaded {', '.join(f'{d.name}: {len(d.bodies)} articles / {len(d.questions)} q' for d in _SETS)}")

    print("\n## Language detection (detect_language), accuracy")
    print("| data set | questions | articles |\n|---|---|---|")
    t1 = time.perf_counter()
    n_q = 0
    examples = []
    for ds in _SETS:
        qa, aa, wrong = lang_accuracy(ds)
        n_q += len(ds.questions)
        examples += [(ds.name, w) for w in wrong[:3]]
        print(f"| {ds.name} | {qa:.4f} | {aa:.4f} |")
    print(f"(detection incl. articles: {(time.perf_counter() - t1) * 1000 / n_q:.3f} ms per question)")
    for name, w in examples:
        print(f"  misdetected {name}: {w!r}")

    variants = [] if args.chunks_only else VARIANTS
    jobs = [(v, i, None) for v in variants for i in range(len(_SETS))]
    sizes = [40, 80, 120, 160, 200, None]
    if not args.quick:
        jobs += [(args.chunk_variant, i, s) for s in sizes for i in range(len(_SETS))]
    with Pool(args.jobs) as pool:
        results = pool.map(_job, jobs, chunksize=1)
    table = {(v, n, s): r for v, n, s, r in results}

    print("\n## Paragraph retrieval by analyzer variant: passage @1 / @5 / article @1")
    print("| variant | " + " | ".join(names) + " | mean @1 | words/s cold | words/s warm |")
    print("|---" * (len(names) + 4) + "|")
    for v in variants:
        cells = [table[(v, n, None)] for n in names]
        mean1 = statistics.fmean(c["@1"] for c in cells)
        if v.startswith("baseline"):
            cold = warm = float("nan")
        else:
            cold, warm = throughput(_SETS, v)
        row = " | ".join(f"{c['@1']:.3f} / {c['@5']:.3f} / {c['art@1']:.3f}" for c in cells)
        print(f"| {v} | {row} | {mean1:.3f} | {cold:,.0f} | {warm:,.0f} |")

    if not args.quick:
        print(
            f"\n## Chunk size ({args.chunk_variant}): passage @1 / @5 / article @1 / "
            f"answer within top {WORD_BUDGET} words, (passages, mean words)"
        )
        print("| max_words | " + " | ".join(names) + f" | mean @1 | mean @5 | mean @{WORD_BUDGET}w |")
        print("|---" * (len(names) + 4) + "|")
        for s in sizes:
            cells = [table[(args.chunk_variant, n, s)] for n in names]
            row = " | ".join(
                f"{c['@1']:.3f} / {c['@5']:.3f} / {c['art@1']:.3f} / {c['budget']:.3f} "
                f"({c['passages']}, {c['mean_words']:.0f}w)"
                for c in cells
            )
            m1 = statistics.fmean(c["@1"] for c in cells)
            m5 = statistics.fmean(c["@5"] for c in cells)
            mb = statistics.fmean(c["budget"] for c in cells)
            print(f"| {s or 'paragraph'} | {row} | {m1:.3f} | {m5:.3f} | {mb:.3f} |")
    print(f"\n(total {time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
