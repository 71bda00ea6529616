"""Fit and check the answer extractor (retrieval/answer.py) on cached retrieval results.

Retrieval is run once per set through the real engine (ingestion, chunking, BM25, top RETRIEVE_K passages) and
cached under /tmp; every variant of the extractor is then scored on the cache in seconds.

    python benchmarks/tune_answers.py collect            # cache retrieval for all sets and --against pairs
    python benchmarks/tune_answers.py fit                # fit the sentence model on FacQA TRAIN, print weights
    python benchmarks/tune_answers.py report             # per-set table + refusal tradeoff with current code

Data is read from ../shared/data relative to the repository root (never copied into the repo).
Held out (never used for fitting or for choosing the threshold): FacQA valid, XQuAD en/de/es.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import pickle
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from articlebot.engine import Engine  # noqa: E402
from articlebot.evaluation import (  # noqa: E402
    _load,
    exact_match,
    f1_score,
    load_qa,
    sentence_contains,
)
from articlebot.models import Scope  # noqa: E402
from articlebot.settings import Settings  # noqa: E402
from retrieval import answer as A  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
CACHE = Path(tempfile.gettempdir()) / "articlebot_tune_cache"

SETS = {
    "facqa.train": (DATA / "facqa/train.csv", "facqa"),
    "facqa.valid": (DATA / "facqa/valid.csv", "facqa"),
    "xquad.en": (DATA / "xquad/xquad.en.json", "squad"),
    "xquad.de": (DATA / "xquad/xquad.de.json", "squad"),
    "xquad.es": (DATA / "xquad/xquad.es.json", "squad"),
    "squad-id": (DATA / "squad-id/squad-id.dev-v2.0.json", "squad"),
}
# (questions, articles): questions of one set against another set's articles have no answer.
TUNE_PAIRS = [("facqa.train", "squad-id"), ("squad-id", "facqa.train"), ("facqa.train", "xquad.en")]
REPORT_PAIRS = [
    ("facqa.valid", "squad-id"),
    ("xquad.en", "squad-id"),
    ("squad-id", "facqa.valid"),
    ("xquad.de", "xquad.en"),
    ("xquad.es", "facqa.valid"),
    ("xquad.en", "facqa.valid"),
]
HELD_OUT = ["facqa.valid", "xquad.en", "xquad.de", "xquad.es"]


@dataclass
class Record:
    question: str
    lang: str | None
    q_terms: list[str]
    passages: list[A.PassageCandidate]
    idf: dict[str, float]  # 0.0 = unknown to the index
    n_docs: int
    answers: list[str]
    impossible: bool


def _cache_path(qs: str, arts: str) -> Path:
    return CACHE / (f"{qs}.pkl" if qs == arts else f"{qs}__vs__{arts}.pkl")


async def _collect(qs: str, arts: str) -> list[Record]:
    path, fmt = SETS[qs]
    qa = load_qa(path, fmt)
    corpus = qa if qs == arts else load_qa(*SETS[arts])
    recs: list[Record] = []
    with tempfile.TemporaryDirectory(prefix="tune-") as tmp:
        engine = await Engine.open(replace(Settings(), database_path=Path(tmp) / "t.sqlite3"))
        try:
            await _load(engine, corpus)
            index = engine.index
            index._refresh()

            def idf(term: str) -> float:
                f = getattr(index, "idf", None)
                if f is not None:
                    return float(f(term) or 0.0)
                tid = index._vocab.get(term)
                return float(index._idf[tid]) if tid is not None and index._df[tid] > 0 else 0.0

            for item in qa.questions:
                q = engine.check_question(item.question)
                lang, q_terms, hits, rows = await engine._candidates(q, Scope())
                cands = [A.PassageCandidate(rows[k].text, s, rows[k].language) for k, s in hits]
                recs.append(
                    Record(
                        q,
                        lang if lang != "und" else None,
                        list(q_terms),
                        cands,
                        {t: idf(t) for t in q_terms},
                        len(index),
                        item.answers,
                        item.impossible or qs != arts,
                    )
                )
        finally:
            await engine.close()
    return recs


def load(qs: str, arts: str | None = None) -> list[Record]:
    arts = arts or qs
    p = _cache_path(qs, arts)
    if not p.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        recs = asyncio.run(_collect(qs, arts))
        p.write_bytes(pickle.dumps(recs))
        print(f"cached {p.name}: {len(recs)} questions in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    return pickle.loads(p.read_bytes())


def run(recs: list[Record], **kw) -> list[tuple[Record, A.Extract | None, str, str | None]]:
    out = []
    for r in recs:
        ex = A.extract_answers(
            r.question, r.q_terms, r.passages, lambda t, r=r: r.idf.get(t, 0.0), lang=r.lang, n=1,
            n_docs=r.n_docs, **kw,
        )
        e = ex[0] if ex else None
        if e is None:
            out.append((r, None, "", None))
            continue
        text = r.passages[e.passage].text
        ans = text[e.answer_start : e.answer_end] if e.answer_start is not None else None
        out.append((r, e, text[e.start : e.end], ans))
    return out


def metrics(results, threshold: float) -> dict[str, float]:
    ans = [x for x in results if not x[0].impossible]
    imp = [x for x in results if x[0].impossible]
    m: dict[str, float] = {}

    def shown(x) -> bool:
        return x[1] is not None and x[1].score >= threshold

    if ans:
        n = len(ans)
        m["sent_acc"] = sum(1 for x in ans if shown(x) and sentence_contains(x[2], x[0].answers)) / n
        m["sent_acc_any"] = sum(1 for x in ans if sentence_contains(x[2], x[0].answers)) / n
        m["em"] = sum(exact_match(x[3] or "", x[0].answers) for x in ans if shown(x)) / n
        m["f1"] = sum(f1_score(x[3] or "", x[0].answers) for x in ans if shown(x)) / n
        m["false_refusal"] = sum(1 for x in ans if not shown(x)) / n
    if imp:
        m["refused"] = sum(1 for x in imp if not shown(x)) / len(imp)
    lens = [len(x[2]) for x in results if shown(x)]
    m["chars"] = sum(lens) / len(lens) if lens else 0.0
    return m


def report(threshold: float | None = None) -> None:
    thr = A.DEFAULT_MIN_SCORE if threshold is None else threshold
    print(f"threshold {thr:.3f}")
    print(f"{'set':<28}{'sent_acc':>9}{'EM':>7}{'F1':>7}{'chars':>8}{'f.refus':>9}{'ms/q':>7}")
    for name in [*HELD_OUT, "squad-id", "facqa.train"]:
        recs = [r for r in load(name)]
        t0 = time.perf_counter()
        res = run(recs)
        ms = (time.perf_counter() - t0) * 1000 / len(recs)
        m = metrics([x for x in res if not x[0].impossible], thr)
        print(
            f"{name:<28}{m['sent_acc']:>9.3f}{m['em']:>7.3f}{m['f1']:>7.3f}{m['chars']:>8.1f}"
            f"{m['false_refusal']:>9.3f}{ms:>7.2f}"
        )
    print()
    print(f"{'questions vs articles':<36}{'refused':>9}")
    for qs, arts in REPORT_PAIRS + TUNE_PAIRS:
        m = metrics(run(load(qs, arts)), thr)
        print(f"{qs + ' vs ' + arts:<36}{m['refused']:>9.3f}")
    sq = [x for x in run(load("squad-id")) if x[0].impossible]
    print(f"{'squad-id is_impossible (same set)':<36}{metrics(sq, thr)['refused']:>9.3f}")


def tradeoff(thresholds) -> None:
    """Refusal rate on --against pairs vs false refusals on answerable questions, per threshold."""
    ans_sets = {n: [x for x in run(load(n)) if not x[0].impossible] for n in [*HELD_OUT, "squad-id", "facqa.train"]}
    pairs = {f"{q}>{a}": run(load(q, a)) for q, a in REPORT_PAIRS + TUNE_PAIRS}
    head = "".join(f"{n[:9]:>10}" for n in ans_sets) + "".join(f"{p[:14]:>15}" for p in pairs)
    print(f"{'thr':>6}" + head)
    for t in thresholds:
        row = "".join(f"{metrics(v, t)['false_refusal']:>10.3f}" for v in ans_sets.values())
        row += "".join(f"{metrics(v, t)['refused']:>15.3f}" for v in pairs.values())
        print(f"{t:>6.3f}" + row)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["collect", "fit", "report", "tradeoff"])
    ap.add_argument("--threshold", type=float)
    args = ap.parse_args()
    if args.cmd == "collect":
        for name in SETS:
            load(name)
        for qs, arts in REPORT_PAIRS + TUNE_PAIRS:
            load(qs, arts)
    elif args.cmd == "report":
        report(args.threshold)
    elif args.cmd == "tradeoff":
        tradeoff(np.round(np.arange(0.2, 0.9, 0.05), 3))
    elif args.cmd == "fit":
        fit()


def fit() -> None:
    raise SystemExit("not yet")


if __name__ == "__main__":
    main()
    _ = math
