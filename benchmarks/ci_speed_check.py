"""CI speed gate (seconds, not minutes): BM25Index.search vs rank_bm25.BM25Okapi.get_scores + top-k.

Both engines get the same 50k synthetic passages (benchmarks/corpus.py Zipf token lists) and the same queries,
in the same process and run; the gate is the RATIO of median query times (machines are noisy, ratios much
less so).  Exit 1 when this engine is less than --min-ratio (default 10) times faster, or when any top-10
differs from BM25Okapi's (scores to 1e-6).

    python benchmarks/ci_speed_check.py            # prints e.g. "speed ratio 350x (>= 10x required): OK"
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus import same_topk, zipf_token_docs, zipf_token_queries  # noqa: E402
from rank_bm25 import BM25Okapi  # noqa: E402

from retrieval.index import BM25Index  # noqa: E402


def okapi_topk(bm: BM25Okapi, q: list[str], k: int) -> list[tuple[int, float]]:
    s = bm.get_scores(q)
    top = np.argpartition(-s, k)[:k]
    top = top[np.lexsort((top, -s[top]))]
    return [(int(i), float(s[i])) for i in top if s[i] > 0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--passages", type=int, default=50_000)
    ap.add_argument("--queries", type=int, default=40)
    ap.add_argument("--min-ratio", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    started = time.perf_counter()
    docs = zipf_token_docs(args.passages, args.seed)
    queries = zipf_token_queries(docs, args.queries, args.seed)
    ix = BM25Index()
    ix.add_many(range(len(docs)), docs, [0] * len(docs), [False] * len(docs))
    bm = BM25Okapi(docs)
    gc.collect()
    gc.freeze()
    ix.search(queries[0], 10)  # lazy idf refresh: not a per-query cost

    mismatches = 0
    for q in queries:  # correctness first: the same top-10 (up to exact ties) and scores (1e-6)
        if not same_topk(ix.search(q, 10), bm.get_scores(q), 10):
            mismatches += 1

    # interleaved rounds so a noisy neighbour slows both engines alike
    t_ix: list[float] = []
    t_ok: list[float] = []
    for q in queries:
        t = time.perf_counter()
        for _ in range(5):
            ix.search(q, 10)
        t_ix.append((time.perf_counter() - t) / 5)
        t = time.perf_counter()
        okapi_topk(bm, q, 10)
        t_ok.append(time.perf_counter() - t)
    ours_ms = 1000 * statistics.median(t_ix)
    okapi_ms = 1000 * statistics.median(t_ok)
    ratio = okapi_ms / ours_ms
    ok = ratio >= args.min_ratio and mismatches == 0
    print(
        f"ci_speed_check: {args.passages:,} passages, {len(queries)} queries: BM25Index.search p50 {ours_ms:.3f} ms, "
        f"BM25Okapi.get_scores+top-10 p50 {okapi_ms:.1f} ms (context only)"
    )
    print(f"top-10 mismatches vs BM25Okapi: {mismatches}/{len(queries)}")
    print(f"speed ratio {ratio:.0f}x (>= {args.min_ratio:g}x required): {'OK' if ok else 'FAIL'}"
          f"  [{time.perf_counter() - started:.1f}s]")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
