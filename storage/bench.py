"""Micro-benchmark of the storage layer: `python -m storage.bench [--articles N] [--batch B] [--db PATH]`.

Measures bulk insert throughput (`insert_articles`, ~7 passages per article), `get_passages` latency for
20 ids and a full `iter_passages` scan. Uses a temporary database unless --db is given.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from .db import Database
from .models import NewArticle, NewPassage

_WORDS = (
    "pemerintah harga beras naik persen menurut data badan pusat statistik the government said prices "
    "rose sharply last week inflation bank rate policy minister report market"
).split()


def make_article(i: int, collection_id: int, rng: random.Random) -> tuple[NewArticle, list[NewPassage]]:
    paragraphs = []
    for _ in range(7):
        paragraphs.append(" ".join(rng.choice(_WORDS) for _ in range(60)) + ".")
    body = "\n\n".join(paragraphs)
    passages = []
    pos = 0
    for k, para in enumerate(paragraphs):
        passages.append(NewPassage(ord=k, paragraph=k + 1, start=pos, end=pos + len(para), text=para))
        pos += len(para) + 2
    art = NewArticle(
        collection_id=collection_id,
        title=f"Article {i}",
        body=body,
        content_hash=f"hash-{i}",
        language="id",
        source="bench",
        url=f"https://example.com/{i}",
    )
    return art, passages


async def run(n: int, batch: int, path: Path) -> None:
    rng = random.Random(0)
    db = await Database.open(path)
    try:
        cid = await db.collection_id("global")
        assert cid is not None
        items = [make_article(i, cid, rng) for i in range(n)]
        t0 = time.perf_counter()
        for k in range(0, n, batch):
            await db.insert_articles(items[k : k + batch])
        dt = time.perf_counter() - t0
        print(
            f"insert_articles: {n} articles x 7 passages, batch {batch}: {dt:.2f} s = {n / dt:,.0f} articles/s"
        )

        t0 = time.perf_counter()
        for art, ps in items[:200]:
            await db.insert_article(
                NewArticle(**{**_fields(art), "content_hash": art.content_hash + "-single"}), ps
            )
        dt = time.perf_counter() - t0
        print(f"insert_article (one per transaction): {200 / dt:,.0f} articles/s")

        ids = await db.passage_ids()
        samples = []
        for _ in range(200):
            pick = rng.sample(ids, 20)
            t = time.perf_counter()
            await db.get_passages(pick)
            samples.append((time.perf_counter() - t) * 1000)
        print(
            f"get_passages(20 ids): median {statistics.median(samples):.3f} ms, "
            f"p95 {sorted(samples)[int(len(samples) * 0.95)]:.3f} ms"
        )

        t0 = time.perf_counter()
        count = 0
        async for rows in db.iter_passages(batch=5000):
            count += len(rows)
        dt = time.perf_counter() - t0
        print(f"iter_passages: {count} rows in {dt:.2f} s = {count / dt:,.0f} rows/s")
        print(await db.stats())
    finally:
        await db.close()


def _fields(art: NewArticle) -> dict[str, object]:
    return {name: getattr(art, name) for name in NewArticle.__slots__}  # type: ignore[attr-defined]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--db", type=Path, default=None)
    args = ap.parse_args()
    if args.db is not None:
        asyncio.run(run(args.articles, args.batch, args.db))
        return
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(args.articles, args.batch, Path(tmp) / "bench.sqlite3"))


if __name__ == "__main__":
    main()
