"""Scale benchmark: this engine vs rank_bm25.BM25Okapi vs bm25s, side by side in ONE run (issue #4).

    python benchmarks/scale.py                                   # quick: 10k and 100k passages
    python benchmarks/scale.py --sizes 10000,100000,1000000      # the full run (1M: ~20 min, first time)

Per size N (passages; ~7 per article, ~60 words each, benchmarks/corpus.py):
1. ingest -- articles go through the REAL ingestion path (`Engine.add_many`, 500 per call, like `articlebot
   ingest`) into `benchmarks/out/scale-<N>.sqlite3`; articles/s overall and over the last 10 %.  The DB (and
   its index snapshot) is cached for later runs (`--fresh` re-ingests); a cached DB reports the throughput
   measured when it was built.
2. tokens -- every stored passage analysed once (`retrieval.text.analyze`) and cached, so all three engines
   index exactly the same tokens.
3. one subprocess per engine (honest peak RSS):
   * `engine`: `Engine.open` on the existing DB (snapshot + reconcile) to the first answer = start-up;
     latency of retrieval (language detection + analyze + search) and of retrieval + answer extraction
     (`Engine.ask_detailed`: search, SQLite fetch, extraction); a new article's time to answerable; delete.
   * `index`: BM25Index built from the tokens (build time) and searched (retrieval alone, same tokens).
   * `okapi`: BM25Okapi built on the same tokens; get_scores + top-10 on a subset of queries (--okapi-queries)
     and top-10/scores (1e-6) compared with BM25Index (both the freshly built one and the engine's live one).
   * `bm25s`: bm25s.BM25(method="robertson") on the same token ids; get_scores + top-10.
4. a markdown table with the ratios as the headline; JSON in `benchmarks/out/scale-<timestamp>.json`.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import multiprocessing as mp
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

OUT = HERE / "out"
INGEST_BATCH = 500


# ------------------------------------------------------------------ helpers
def peak_mb() -> float:
    """This process's peak RSS (VmHWM: ru_maxrss would include the parent's peak from before the exec)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def pct(xs: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(xs), q)) if xs else float("nan")


def db_path(n: int) -> Path:
    return OUT / f"scale-{n}.sqlite3"


def settings_for(path: Path):
    from articlebot.settings import Settings

    return Settings(database_path=path, telegram_bot_token="")


def _subprocess(fn, *args):
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_child, args=(fn, q, *args))
    p.start()
    res = q.get()
    p.join()
    if isinstance(res, BaseException):
        raise res
    return res


def _child(fn, q, *args) -> None:
    try:
        q.put(fn(*args))
    except BaseException as exc:  # report, do not hang the parent
        import traceback

        traceback.print_exc()
        q.put(RuntimeError(f"{fn.__name__} failed: {exc}"))


# ------------------------------------------------------------------ phase 1: ingest (real path)
def phase_ingest(n: int, seed: int) -> dict:
    from corpus import articles

    from articlebot.engine import Engine
    from articlebot.models import ArticleIn, Scope

    path = db_path(n)
    for p in OUT.glob(path.name + "*"):
        p.unlink()
    n_articles = max(1, round(n / 7.03))

    async def run() -> dict:
        engine = await Engine.open(settings_for(path))
        done = 0
        added = 0
        marks: list[tuple[float, int]] = []
        started = time.perf_counter()
        gen = articles(n_articles, seed)
        try:
            while done < n_articles:
                batch = [ArticleIn(text=a["text"], title=a["title"], language=a["language"], source=a["source"],
                                   url=a["url"]) for _, a in zip(range(INGEST_BATCH), gen, strict=False)]
                res = await engine.add_many(batch, Scope())
                added += sum(r.status == "added" for r in res)
                done += len(batch)
                marks.append((time.perf_counter() - started, done))
            ingest_s = time.perf_counter() - started
            t = time.perf_counter()
        finally:
            await engine.close()  # writes the index snapshot
        close_s = time.perf_counter() - t
        # The rate over the last ~10 %: from the last batch mark before 90 % (or the start) to the end.
        before = [m for m in marks if m[1] < 0.9 * n_articles]
        t90 = before[-1] if before else (0.0, 0)
        passages = engine.index.stats()["docs"]
        return {
            "articles": n_articles, "added": added, "passages": passages, "ingest_s": ingest_s,
            "articles_per_s": n_articles / ingest_s,
            "articles_per_s_last10pct": (marks[-1][1] - t90[1]) / max(1e-9, marks[-1][0] - t90[0]),
            "close_snapshot_s": close_s, "peak_rss_mb": peak_mb(),
        }

    res = asyncio.run(run())
    (OUT / f"scale-{n}.ingest.json").write_text(json.dumps(res))
    return res


# ------------------------------------------------------------------ phase 2: tokens (shared by all engines)
def phase_tokens(n: int) -> dict:
    from articlebot.engine import Engine
    from retrieval.text import analyze

    async def run() -> dict:
        engine = await Engine.open(settings_for(db_path(n)), build_index=False)
        vocab: dict[str, int] = {}
        keys: list[int] = []
        lens: list[int] = []
        flat: list[int] = []
        try:
            async for batch in engine.db.iter_passages(batch=10_000):
                for r in batch:
                    toks = analyze(r.text, r.language)
                    keys.append(r.id)
                    lens.append(len(toks))
                    flat.extend(vocab.setdefault(t, len(vocab)) for t in toks)
        finally:
            await engine.close()
        words = list(vocab)
        np.savez(OUT / f"scale-{n}.tokens.npz", keys=np.asarray(keys, dtype=np.int64),
                 lens=np.asarray(lens, dtype=np.int32), flat=np.asarray(flat, dtype=np.int32),
                 vocab_blob=np.frombuffer("\x00".join(words).encode(), dtype=np.uint8))
        return {"passages": len(keys), "tokens": len(flat), "vocab": len(words)}

    return asyncio.run(run())


def load_tokens(n: int, as_strings: bool = True):
    z = np.load(OUT / f"scale-{n}.tokens.npz")
    words = bytes(z["vocab_blob"]).decode().split("\x00")
    keys, lens, flat = z["keys"], z["lens"], z["flat"]
    bounds = np.concatenate(([0], np.cumsum(lens))).tolist()
    fl = flat.tolist()
    if as_strings:
        docs = [[words[i] for i in fl[a:b]] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    else:
        docs = [fl[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    return keys, docs, words


# ------------------------------------------------------------------ phase 3a: the engine on its database
def phase_engine(n: int, questions: list[str], fresh_trials: int) -> dict:
    from articlebot.engine import Engine
    from articlebot.models import ArticleIn, Scope

    async def run() -> dict:
        scope = Scope()
        t0 = time.perf_counter()
        engine = await Engine.open(settings_for(db_path(n)))
        open_s = time.perf_counter() - t0
        answers, _ = await engine.ask_detailed(questions[0], scope)
        startup_s = time.perf_counter() - t0
        res: dict = {"open_s": open_s, "startup_to_first_answer_s": startup_s, "rss_after_open_mb": rss_mb(),
                     "from_snapshot": engine._snap.index is engine.index, "passages": len(engine.index)}
        try:
            if engine._layout_task is not None:  # a database from before stored layouts: they are filled in first
                t = time.perf_counter()
                await engine._layout_task
                res["layouts_filled_s"] = time.perf_counter() - t
            groups = await engine._visible_groups(scope)
            for q in questions[:20]:  # warm-up (lru caches, SQLite pages)
                await engine.ask_detailed(q, scope)
            t_ret, t_full = [], []
            for q in questions:
                t = time.perf_counter()
                engine._search(q, groups, 8)
                t_ret.append(time.perf_counter() - t)
                t = time.perf_counter()
                await engine.ask_detailed(q, scope)
                t_full.append(time.perf_counter() - t)
            res.update(retrieval_p50_ms=1000 * pct(t_ret, 50), retrieval_p95_ms=1000 * pct(t_ret, 95),
                       full_p50_ms=1000 * pct(t_full, 50), full_p95_ms=1000 * pct(t_full, 95),
                       full_max_ms=1000 * max(t_full))
            # freshness: store one new article, then ask until it is the top article
            fresh, store = [], []
            for i in range(fresh_trials):
                word = f"zqfresh{i}x{os.getpid()}"
                text = f"Fresh report {i}\n\nThe {word} bridge was opened by the mayor on Monday after repairs."
                t = time.perf_counter()
                r = await engine.add_article(ArticleIn(text=text, language="en"), scope)
                store.append(time.perf_counter() - t)
                while True:
                    _, ranked = await engine.ask_detailed(f"When was the {word} bridge opened?", scope)
                    if ranked and ranked[0] == r.article_id:
                        break
                    if time.perf_counter() - t > 30:
                        raise RuntimeError("new article not answerable within 30 s")
                fresh.append(time.perf_counter() - t)
                t = time.perf_counter()
                await engine.delete(r.article_id, scope)
                _, ranked = await engine.ask_detailed(f"When was the {word} bridge opened?", scope)
                res.setdefault("delete_ms", []).append(1000 * (time.perf_counter() - t))
                res.setdefault("delete_effective", []).append(r.article_id not in ranked)
            res.update(store_max_ms=1000 * max(store), answerable_after_store_max_ms=1000 * max(fresh),
                       answerable_after_store_p50_ms=1000 * statistics.median(fresh),
                       delete_max_ms=max(res["delete_ms"]), delete_effective=all(res["delete_effective"]))
            del res["delete_ms"]
            res["index_stats"] = engine.index.stats()
            res["live_top10"] = {}
        finally:
            t = time.perf_counter()
            await engine.close()
            res["close_s"] = time.perf_counter() - t
        res["peak_rss_mb"] = peak_mb()
        return res

    return asyncio.run(run())


def engine_live_top10(n: int, qterms: list[list[str]]) -> list:
    """The engine's live index (snapshot + reconcile) on the query tokens, for the equality check."""
    from articlebot.engine import Engine

    async def run():
        engine = await Engine.open(settings_for(db_path(n)))
        try:
            return [engine.index.search(q, 10) for q in qterms]
        finally:
            await engine.close()

    return asyncio.run(run())


# ------------------------------------------------------------------ phase 3b-d: index / okapi / bm25s on tokens
def phase_index(n: int, qterms: list[list[str]]) -> dict:
    from retrieval.index import BM25Index

    keys, docs, _ = load_tokens(n)
    gc.collect()
    gc.freeze()
    base = rss_mb()
    t = time.perf_counter()
    ix = BM25Index()
    ix.add_many(keys.tolist(), docs, [1] * len(docs), [False] * len(docs))
    build_s = time.perf_counter() - t
    del docs
    gc.collect()
    ix.search(qterms[0], 10)
    times = []
    for q in qterms:
        t = time.perf_counter()
        ix.search(q, 10)
        times.append(time.perf_counter() - t)
    return {"build_s": build_s, "p50_ms": 1000 * pct(times, 50), "p95_ms": 1000 * pct(times, 95),
            "peak_rss_mb": peak_mb(), "index_mb": rss_mb() - base + 0.0, "top10": [ix.search(q, 10) for q in qterms]}


def phase_okapi(n: int, qterms: list[list[str]], checks: list[list], max_docs: int) -> dict:
    from corpus import same_topk
    from rank_bm25 import BM25Okapi

    keys, docs, _ = load_tokens(n)
    m = min(len(docs), max_docs)
    gc.collect()
    gc.freeze()
    t = time.perf_counter()
    bm = BM25Okapi(docs[:m])
    build_s = time.perf_counter() - t
    del docs
    times = []
    mismatches = {name: 0 for name in ("index", "engine")}
    compared = 0
    for j, q in enumerate(qterms):
        t = time.perf_counter()
        s = bm.get_scores(q)
        top = np.argpartition(-s, 10)[:10]
        top[np.argsort(-s[top])]
        times.append(time.perf_counter() - t)
        if m == len(keys):
            compared += 1
            for name, res in zip(("index", "engine"), checks, strict=True):
                if res is not None and not same_topk(res[j], s, 10, keys=keys):
                    mismatches[name] += 1
    scale = len(keys) / m
    return {"build_s": build_s * scale, "p50_ms": 1000 * pct(times, 50) * scale,
            "p95_ms": 1000 * pct(times, 95) * scale, "queries": len(qterms), "estimated": m < len(keys),
            "measured_docs": m, "top10_compared": compared, "top10_mismatches": mismatches,
            "peak_rss_mb": peak_mb()}


def phase_bm25s(n: int, qterms: list[list[str]]) -> dict:
    import bm25s

    keys, docs, words = load_tokens(n, as_strings=False)
    vocab = {w: i for i, w in enumerate(words)}
    qids = [[vocab[t] for t in q if t in vocab] for q in qterms]
    gc.collect()
    gc.freeze()
    t = time.perf_counter()
    r = bm25s.BM25(method="robertson", k1=1.5, b=0.75)
    r.index((docs, vocab), show_progress=False)
    build_s = time.perf_counter() - t
    del docs
    times = []
    for q in qids:
        t = time.perf_counter()
        s = r.get_scores_from_ids(q) if q else np.zeros(len(keys))
        top = np.argpartition(-s, 10)[:10]
        top[np.argsort(-s[top])]
        times.append(time.perf_counter() - t)
    return {"build_s": build_s, "p50_ms": 1000 * pct(times, 50), "p95_ms": 1000 * pct(times, 95),
            "peak_rss_mb": peak_mb()}


# ------------------------------------------------------------------ driver
def run_size(n: int, args) -> dict:
    from corpus import questions as make_questions

    from retrieval.text import analyze_query, detect_language

    out: dict = {"n": n}
    ingest_json = OUT / f"scale-{n}.ingest.json"
    if args.fresh or not db_path(n).exists() or not ingest_json.exists():
        print(f"[{n:,}] ingesting through Engine.add_many ...", flush=True)
        out["ingest"] = _subprocess(phase_ingest, n, args.seed)
        out["ingest"]["cached"] = False
    else:
        out["ingest"] = json.loads(ingest_json.read_text()) | {"cached": True}
    tok = OUT / f"scale-{n}.tokens.npz"
    if args.fresh or not tok.exists() or tok.stat().st_mtime < ingest_json.stat().st_mtime:
        print(f"[{n:,}] tokenising the stored passages once for the baselines ...", flush=True)
        out["tokens"] = _subprocess(phase_tokens, n)
    n_articles = out["ingest"]["articles"]
    qs = make_questions(args.queries, args.seed, n_articles)
    qterms = []
    for q in qs:
        lang = detect_language(q)
        qterms.append(analyze_query(q, lang if lang != "und" else None))
    print(f"[{n:,}] engine on its database ...", flush=True)
    out["engine"] = _subprocess(phase_engine, n, qs, args.fresh_trials)
    print(f"[{n:,}] BM25Index on the tokens ...", flush=True)
    out["index"] = _subprocess(phase_index, n, qterms)
    sub = qterms[: args.okapi_queries]
    live = _subprocess(engine_live_top10, n, sub)
    if "okapi" in args.engines:
        print(f"[{n:,}] rank_bm25.BM25Okapi on the same tokens ({len(sub)} queries) ...", flush=True)
        out["okapi"] = _subprocess(phase_okapi, n, sub, [out["index"]["top10"][: len(sub)], live], args.okapi_max)
    if "bm25s" in args.engines:
        print(f"[{n:,}] bm25s on the same tokens ...", flush=True)
        out["bm25s"] = _subprocess(phase_bm25s, n, qterms)
    out["index"].pop("top10")
    return out


def _ratio(r: float) -> str:
    """This engine's speed-up over the baseline; below 1 the baseline is faster, and that is said too."""
    if r >= 10:
        return f"{r:,.0f}x"
    if r >= 1:
        return f"{r:.1f}x"
    return f"{r:.2f}x (it is {1 / r:.1f}x faster)"


def table(results: list[dict]) -> str:
    lines = [
        "| passages | engine | build s | p50 ms | p95 ms | peak RSS MB | speed-up vs it (p50) |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        n = f"{r['n']:,}"
        ix, en = r["index"], r["engine"]
        rows = [("**BM25Index** (retrieval alone)", ix["build_s"], ix["p50_ms"], ix["p95_ms"], ix["peak_rss_mb"], "1x"),
                ("**Engine** retrieval (lang+analyze+search)", None, en["retrieval_p50_ms"], en["retrieval_p95_ms"],
                 None, ""),
                ("**Engine** retrieval + extraction (ask_detailed)", None, en["full_p50_ms"], en["full_p95_ms"],
                 en["peak_rss_mb"], "")]
        for name in ("okapi", "bm25s"):
            b = r.get(name)
            if b:
                label = "rank_bm25 BM25Okapi" if name == "okapi" else "bm25s (robertson)"
                if b.get("estimated"):
                    label += f" (est. from {b['measured_docs']:,} docs)"
                rows.append((label, b["build_s"], b["p50_ms"], b["p95_ms"], b["peak_rss_mb"],
                             f"**{_ratio(b['p50_ms'] / ix['p50_ms'])}** (engine full path: "
                             f"{_ratio(b['p50_ms'] / en['full_p50_ms'])})"))
        for label, b, p50, p95, rss, ratio in rows:
            bs = f"{b:.1f}" if b is not None else ""
            rs = f"{rss:.0f}" if rss is not None else ""
            lines.append(f"| {n} | {label} | {bs} | {p50:.3f} | {p95:.3f} | {rs} | {ratio} |")
    lines.append("")
    lines.append("| passages | ingest art/s (last 10 %) | start-up to 1st answer s | new article answerable ms (max) "
                 "| delete effective, ms (max) | top-10 = BM25Okapi (index / live engine) |")
    lines.append("|---:|---:|---:|---:|---:|---|")
    for r in results:
        ing, en, ok = r["ingest"], r["engine"], r.get("okapi", {})
        cached = " (cached DB)" if ing.get("cached") else ""
        mm = ok.get("top10_mismatches", {})
        eq = (f"{ok['top10_compared'] - mm.get('index', 0)}/{ok['top10_compared']} / "
              f"{ok['top10_compared'] - mm.get('engine', 0)}/{ok['top10_compared']}") if ok else "n/a"
        lines.append(
            f"| {r['n']:,} | {ing['articles_per_s']:.0f} ({ing['articles_per_s_last10pct']:.0f}){cached} | "
            f"{en['startup_to_first_answer_s']:.2f} ({'snapshot' if en['from_snapshot'] else 'rebuild'}) | "
            f"{en['answerable_after_store_max_ms']:.1f} | {en['delete_effective']}, {en['delete_max_ms']:.1f} | {eq} |"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--okapi-queries", type=int, default=20, help="queries timed (and checked) on BM25Okapi")
    ap.add_argument("--okapi-max", type=int, default=2_000_000,
                    help="above this many passages BM25Okapi is built on a prefix and times are scaled (est.)")
    ap.add_argument("--engines", default="okapi,bm25s")
    ap.add_argument("--fresh", action="store_true", help="re-ingest even when a cached DB exists")
    ap.add_argument("--fresh-trials", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    results = []
    for n in (int(x) for x in args.sizes.split(",")):
        results.append(run_size(n, args))
        print(table(results[-1:]), flush=True)
    report = table(results)
    print("\n" + report)
    path = OUT / f"scale-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"args": vars(args), "results": results, "table": report}, indent=2, default=str))
    print(f"\nresults: {path}")


if __name__ == "__main__":
    main()
