"""Start-up without an index snapshot: the full rebuild from SQLite (issue #4's fallback path).

    python benchmarks/rebuild.py                    # the 1M-passage DB of scale.py
    python benchmarks/rebuild.py --passages 100000

Moves `<db>.index.npz` aside, opens the Engine (which finds no snapshot and rebuilds the index from every
passage in SQLite: read, tokenise, index), asks one question and closes the engine, which writes a new snapshot
(and its manifest in the DB); the old snapshot is put back only if no new one was written. Prints the open time,
the index build time and the peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import shutil
import sys
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from articlebot.engine import Engine  # noqa: E402
from articlebot.models import Scope  # noqa: E402
from articlebot.settings import Settings  # noqa: E402


async def rebuild(db: Path) -> None:
    t0 = time.perf_counter()
    engine = await Engine.open(replace(Settings(), database_path=db))
    t1 = time.perf_counter()
    await engine.ask("Di kota mana kantor pertama dibuka?", Scope())
    t2 = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(engine.index):,} passages: open without snapshot {t1 - t0:.1f} s (index build "
          f"{engine.index_build_seconds:.1f} s), first answer +{(t2 - t1) * 1000:.0f} ms, peak RSS {peak_mb:.0f} MB")
    await engine.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--passages", type=int, default=1_000_000)
    args = ap.parse_args()
    db = HERE / "out" / f"scale-{args.passages}.sqlite3"
    if not db.exists():
        print(f"{db} does not exist: build it first with python benchmarks/scale.py --sizes {args.passages}")
        return 1
    snap = db.with_name(db.name + ".index.npz")
    aside = db.with_name(db.name + ".index.npz.aside")
    if snap.exists():
        shutil.move(snap, aside)
    try:
        asyncio.run(rebuild(db))
    finally:
        if aside.exists():
            if snap.exists():
                aside.unlink()  # close() wrote a fresh snapshot, and the DB's manifest now names it
            else:
                shutil.move(aside, snap)
    return 0


if __name__ == "__main__":
    sys.exit(main())
