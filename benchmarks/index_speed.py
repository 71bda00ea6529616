"""Speed/memory benchmark: retrieval.index.BM25Index vs rank_bm25.BM25Okapi vs bm25s.

Why a separate process per (size, engine): peak RSS is then attributable to one engine (plus the shared
synthetic corpus, reported separately as ``corpus_rss``), and nothing leaks between runs.

Corpus: N passages of 40-80 tokens (mean 60) drawn from a Zipf-Mandelbrot vocabulary
p(r) ~ 1/(r+10)^1.0 over 200k terms -- the +10 offset mimics stop-word removal (the commonest term is in
~40 % of passages, not all of them).  Queries: 2-6 terms taken from a random passage, each term either
frequency-weighted from the passage (often common) or one of its rarest terms, like a real question.

    python benchmarks/index_speed.py --sizes 10000,100000
    python benchmarks/index_speed.py --sizes 1000000 --okapi-max 100000
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing as mp
import resource
import statistics
import time

import numpy as np

VOCAB = 200_000


def make_corpus(n: int, seed: int) -> tuple[list[list[str]], list[list[int]], list[str], np.ndarray, np.ndarray]:
    """Token lists (shared str/int objects, so the harness itself stays small) plus flat ids."""
    rng = np.random.default_rng(seed)
    p = 1.0 / (np.arange(1, VOCAB + 1) + 10.0)
    cdf = np.cumsum(p / p.sum())
    lens = rng.integers(40, 81, n)
    strs = [f"t{i}" for i in range(VOCAB)]
    ints = list(range(VOCAB))
    parts = []
    ids: list[list[int]] = []
    for a in range(0, n, 20_000):  # chunked so the generator's temporaries stay small at 1M
        ln = lens[a:a + 20_000]
        fl = np.minimum(np.searchsorted(cdf, rng.random(int(ln.sum()))), VOCAB - 1).astype(np.int32)
        parts.append(fl)
        bounds = np.concatenate(([0], np.cumsum(ln))).tolist()
        fl_l = fl.tolist()
        ids.extend([ints[i] for i in fl_l[x:y]] for x, y in zip(bounds[:-1], bounds[1:], strict=True))
    flat = np.concatenate(parts)
    docs = [[strs[i] for i in row] for row in ids]
    return docs, ids, strs, flat, lens


def make_queries(docs_ids: list[list[int]], nq: int, seed: int) -> list[list[int]]:
    rng = np.random.default_rng(seed + 1)
    out = []
    for _ in range(nq):
        d = docs_ids[int(rng.integers(len(docs_ids)))]
        rare = sorted(set(d), reverse=True)[:5]  # highest rank = rarest
        q = []
        for _ in range(int(rng.integers(2, 7))):
            q.append(d[int(rng.integers(len(d)))] if rng.random() < 0.5 else rare[int(rng.integers(len(rare)))])
        out.append(q)
    return out


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(xs: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(xs), q))


def run_engine(engine: str, n: int, nq: int, seed: int, okapi_max: int, out: mp.Queue) -> None:
    docs, ids, strs, _flat, _lens = make_corpus(n, seed)
    queries = make_queries(ids, nq, seed)
    del _flat, _lens
    if engine != "bm25s":
        del ids  # the harness keeps only what the engine under test consumes
    res: dict = {"engine": engine, "n": n, "corpus_rss": rss_mb()}
    gc.freeze()  # millions of token lists: keep Python's cyclic GC from pausing inside timed queries
    if engine == "index":
        from retrieval.index import BM25Index

        res["rss_before_build"] = rss_mb()
        t = time.perf_counter()
        ix = BM25Index()
        ix.add_many(range(n), docs, [i % 1000 for i in range(n)], [False] * n)
        res["build_s"] = time.perf_counter() - t
        res["build_peak_rss"] = peak_mb()
        res["rss_after_build"] = rss_mb()
        qs = [[strs[i] for i in q] for q in queries]
        ix.search(qs[0], 10)  # lazy idf refresh, not a query cost
        times = []
        for q in qs:
            t = time.perf_counter()
            ix.search(q, 10)
            times.append(time.perf_counter() - t)
        gtimes = []
        groups = set(range(0, 1000, 10))  # 10 % of docs visible, like a chat with its own collection
        for q in qs:
            t = time.perf_counter()
            ix.search(q, 10, groups=groups)
            gtimes.append(time.perf_counter() - t)
        res["top1"] = [r[0][0] if (r := ix.search(q, 10)) else None for q in qs[:20]]
        # incremental: one add then a search, one remove then a search (mutation -> visible latency)
        add_t, vis_t, rm_t = [], [], []
        for i in range(50):
            key = n + i
            t = time.perf_counter()
            ix.add(key, docs[i], group=1)
            add_t.append(time.perf_counter() - t)
            t = time.perf_counter()
            ix.search(qs[i], 10)
            vis_t.append(time.perf_counter() - t)
            t = time.perf_counter()
            ix.remove(i)
            rm_t.append(time.perf_counter() - t)
        res.update(p50=pct(times, 50), p95=pct(times, 95), g_p50=pct(gtimes, 50), g_p95=pct(gtimes, 95),
                   add_ms=1000 * statistics.median(add_t), add_max_ms=1000 * max(add_t),
                   first_search_ms=1000 * statistics.median(vis_t), remove_ms=1000 * statistics.median(rm_t),
                   stats=ix.stats())
    elif engine == "okapi":
        from rank_bm25 import BM25Okapi

        m = min(n, okapi_max)
        t = time.perf_counter()
        bm = BM25Okapi(docs[:m])
        res["build_s"] = (time.perf_counter() - t) * n / m
        qs = [[strs[i] for i in q] for q in queries]
        if m < n:
            qs = qs[:20]
        times = []
        for q in qs:
            t = time.perf_counter()
            s = bm.get_scores(q)
            top = np.argpartition(-s, 10)[:10]
            top[np.argsort(-s[top])]
            times.append((time.perf_counter() - t) * n / m)
        res["estimated"] = m < n
        res.update(p50=pct(times, 50), p95=pct(times, 95))
        if m == n:
            res["top1"] = [int(np.argmax(bm.get_scores(q))) if bm.get_scores(q).max() > 0 else None
                           for q in qs[:20]]
    elif engine == "bm25s":
        import bm25s

        del docs
        t = time.perf_counter()
        r = bm25s.BM25(method="robertson", k1=1.5, b=0.75)
        r.index((ids, {s: i for i, s in enumerate(strs)}), show_progress=False)
        res["build_s"] = time.perf_counter() - t
        times = []
        for q in queries:
            t = time.perf_counter()
            s = r.get_scores_from_ids(q)
            top = np.argpartition(-s, 10)[:10]
            top[np.argsort(-s[top])]
            times.append(time.perf_counter() - t)
        res.update(p50=pct(times, 50), p95=pct(times, 95))
    res["peak_rss"] = peak_mb()
    out.put(res)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--okapi-max", type=int, default=100_000,
                    help="above this, BM25Okapi is built on this many docs and times are scaled linearly")
    ap.add_argument("--engines", default="index,okapi,bm25s")
    args = ap.parse_args()
    ctx = mp.get_context("spawn")
    for n in (int(x) for x in args.sizes.split(",")):
        results = {}
        for engine in args.engines.split(","):
            q: mp.Queue = ctx.Queue()
            p = ctx.Process(target=run_engine, args=(engine, n, args.queries, args.seed, args.okapi_max, q))
            p.start()
            results[engine] = q.get()
            p.join()
        print(f"\n=== N = {n:,} passages, {args.queries} queries, top-10 ===")
        print(f"{'engine':8} {'build s':>8} {'p50 ms':>9} {'p95 ms':>9} {'peak RSS MB':>12} {'corpus RSS MB':>14}")
        for e, r in results.items():
            est = " (est.)" if r.get("estimated") else ""
            print(f"{e:8} {r['build_s']:8.2f} {1000 * r['p50']:9.3f} {1000 * r['p95']:9.3f} "
                  f"{r['peak_rss']:12.0f} {r['corpus_rss']:14.0f}{est}")
        ix = results.get("index")
        if ix:
            print(f"index with groups filter (10% visible): p50 {1000 * ix['g_p50']:.3f} ms, "
                  f"p95 {1000 * ix['g_p95']:.3f} ms")
            print(f"index add one doc: median {ix['add_ms']:.2f} ms (max {ix['add_max_ms']:.1f} ms); "
                  f"first search after add {ix['first_search_ms']:.2f} ms; remove {ix['remove_ms']:.3f} ms")
            print(f"index stats: {ix['stats']}")
            print(f"index RSS: before build {ix['rss_before_build']:.0f} MB, after build {ix['rss_after_build']:.0f} MB"
                  f" (+{ix['rss_after_build'] - ix['rss_before_build']:.0f}), peak during build "
                  f"{ix['build_peak_rss']:.0f} MB (process total incl. the harness's token lists)")
            for e in ("okapi", "bm25s"):
                if e in results:
                    r = results[e]
                    print(f"speed-up vs {e}: p50 {r['p50'] / ix['p50']:.1f}x, p95 {r['p95'] / ix['p95']:.1f}x")
            ok = results.get("okapi")
            if ok and "top1" in ok:
                agree = sum(a == b for a, b in zip(ix["top1"], ok["top1"], strict=True))
                print(f"top-1 agreement with BM25Okapi on 20 queries: {agree}/20 (ties may differ)")


if __name__ == "__main__":
    main()
