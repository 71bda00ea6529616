"""Start-up without an index snapshot: the full rebuild from SQLite (issue #4's fallback path).

    python benchmarks/rebuild.py                    # the 1M-passage DB of scale.py, threads vs processes
    python benchmarks/rebuild.py --passages 100000 --processes 1,2

Moves `<db>.index.npz` aside, then for each `--processes` value (INDEX_PROCESSES: 1 = tokenise in the engine's
threads, the baseline; 0 = one worker process per core) runs a fresh Python process that opens the Engine (which
finds no snapshot and rebuilds the index from every passage in SQLite: read, tokenise, index), asks one
question and closes. Prints per run the open time, the index build time, the first answer and peak RSS (the
engine alone, and with its tokenising processes), and the speed-up over the first run. The last run's new
snapshot is kept (the DB's manifest now names it); the old one is put back only if no new one was written.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def _peak_rss_sampler(stop: threading.Event, out: dict[str, float]) -> None:
    import psutil

    me = psutil.Process()
    while not stop.wait(0.2):
        try:
            own = me.memory_info().rss
            kids = sum(c.memory_info().rss for c in me.children(recursive=True))
        except psutil.Error:
            continue
        out["engine"] = max(out.get("engine", 0), own)
        out["total"] = max(out.get("total", 0), own + kids)


async def _one(db: Path, processes: int) -> dict[str, float]:
    from articlebot.engine import Engine
    from articlebot.models import Scope
    from articlebot.settings import Settings

    peaks: dict[str, float] = {}
    stop = threading.Event()
    sampler = threading.Thread(target=_peak_rss_sampler, args=(stop, peaks), daemon=True)
    sampler.start()
    t0 = time.perf_counter()
    engine = await Engine.open(replace(Settings(), database_path=db, index_processes=processes))
    t1 = time.perf_counter()
    await engine.ask("Di kota mana kantor pertama dibuka?", Scope())
    t2 = time.perf_counter()
    stop.set()
    sampler.join()
    result = {"processes": processes, "passages": len(engine.index), "open_s": t1 - t0,
              "build_s": engine.index_build_seconds, "first_answer_ms": (t2 - t1) * 1000,
              "peak_rss_mb": peaks.get("engine", 0) / 2**20, "peak_rss_with_workers_mb": peaks.get("total", 0) / 2**20}
    await engine.close()
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--passages", type=int, default=1_000_000)
    ap.add_argument("--processes", default="1,0", help="INDEX_PROCESSES values to run, the first is the baseline")
    ap.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)  # internal: one run, JSON out
    args = ap.parse_args()
    db = HERE / "out" / f"scale-{args.passages}.sqlite3"
    if args.one is not None:
        print(json.dumps(asyncio.run(_one(db, args.one))))
        return 0
    if not db.exists():
        print(f"{db} does not exist: build it first with python benchmarks/scale.py --sizes {args.passages}")
        return 1
    snap = db.with_name(db.name + ".index.npz")
    aside = db.with_name(db.name + ".index.npz.aside")
    if snap.exists():
        shutil.move(snap, aside)
    base = None
    try:
        for value in [int(v) for v in args.processes.split(",")]:
            snap.unlink(missing_ok=True)  # the previous run's snapshot: this run must rebuild too
            out = subprocess.run([sys.executable, __file__, "--passages", str(args.passages), "--one", str(value)],
                                 capture_output=True, text=True, check=True, env=os.environ.copy())
            r = json.loads(out.stdout.strip().splitlines()[-1])
            base = base or r["open_s"]
            label = "threads" if value == 1 else f"INDEX_PROCESSES={value}"
            print(f"{label:>18}: {r['passages']:,} passages, open without snapshot {r['open_s']:.1f} s (index build "
                  f"{r['build_s']:.1f} s), first answer +{r['first_answer_ms']:.0f} ms, peak RSS "
                  f"{r['peak_rss_mb']:.0f} MB engine / {r['peak_rss_with_workers_mb']:.0f} MB with workers; "
                  f"{base / r['open_s']:.2f}x the first run", flush=True)
    finally:
        if aside.exists():
            if snap.exists():
                aside.unlink()  # a run's close() wrote a fresh snapshot, and the DB's manifest now names it
            else:
                shutil.move(aside, snap)
    return 0


if __name__ == "__main__":
    sys.exit(main())
