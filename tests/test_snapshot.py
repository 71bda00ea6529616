"""Index snapshots beside the database: used on reopen, reconciled after a crash, rebuilt when unusable.

Real SQLite files in tmp_path. "Crash" = the engine goes away without `close()` (no final snapshot), which is
what kill -9 after the last snapshot leaves behind: a database that is newer than the snapshot.
"""

from __future__ import annotations

import json
import logging
import random
import shutil

import numpy as np
import pytest

from articlebot.engine import SNAPSHOT_META_KEY, Engine
from articlebot.models import ArticleIn, Scope
from retrieval.text import analyze
from tests.bm25_reference import okapi

CLI = Scope()
CHAT = Scope(chat_id=42)

WORDS = (
    "harbour bridge council budget river school hospital train station election minister farmer coffee "
    "festival museum storm flood drought export factory village mayor teacher doctor nurse bus airport "
    "market harvest rice price tax court judge police fire forest island volcano earthquake ferry road"
).split()


def _articles(n: int, seed: int) -> list[ArticleIn]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        paras = []
        for _ in range(rng.randint(2, 4)):
            sents = [
                " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))).capitalize() + "."
                for _ in range(rng.randint(2, 4))
            ]
            paras.append(" ".join(sents))
        out.append(ArticleIn(text=f"Story {seed}-{i}\n\n" + "\n\n".join(paras), title=f"Story {seed}-{i}",
                             language="en"))
    return out


def _crash(engine: Engine) -> None:
    """Drop the engine without writing a snapshot (as kill -9 would); the database stays committed."""
    if engine._snap.task is not None:
        engine._snap.task.cancel()
    engine._pool.shutdown(wait=True)


async def _abandon(engine: Engine) -> None:
    _crash(engine)
    await engine.db.close()  # only releases the file handle; every write was already committed


async def _assert_equals_okapi(engine: Engine) -> None:
    """The index holds exactly the database's passages, with BM25Okapi's scores on the same tokens."""
    rows = [r async for batch in engine.db.iter_passages() for r in batch]
    ids = [r.id for r in rows]
    corpus = [analyze(r.text, r.language) for r in rows]
    assert ids == sorted(await engine.db.passage_ids())
    keys, _ = engine.index.get_scores([])
    assert keys.tolist() == ids
    ref = okapi(corpus)
    rng = random.Random(7)
    for _ in range(15):
        q = analyze(" ".join(rng.sample(WORDS, rng.randint(1, 4))), "en")
        keys, scores = engine.index.get_scores(q)
        np.testing.assert_allclose(scores, ref.get_scores(q), rtol=0, atol=1e-6)
        top = engine.index.search(q, k=10)
        expected = sorted(zip(ids, ref.get_scores(q), strict=True), key=lambda t: (-t[1], t[0]))
        expected = [(k, s) for k, s in expected if s > 0][:10]
        assert [k for k, _ in top] == [k for k, _ in expected]


def _loaded_from_snapshot(engine: Engine) -> bool:
    return engine._snap.index is not None and engine._snap.trusted is engine.index


async def test_snapshot_written_on_close_and_used_on_reopen(settings) -> None:
    async with await Engine.open(settings) as eng:
        await eng.add_many(_articles(30, 1), CLI)
        assert not _loaded_from_snapshot(eng)
    path = settings.database_path.with_name(settings.database_path.name + ".index.npz")
    assert path.exists()
    async with await Engine.open(settings) as eng:
        manifest = json.loads(await eng.db.get_meta(SNAPSHOT_META_KEY))
        assert manifest["passages"] == len(eng.index) == len(await eng.db.passage_ids())
        assert _loaded_from_snapshot(eng)
        await _assert_equals_okapi(eng)
        before = path.stat().st_mtime_ns
    assert path.stat().st_mtime_ns == before  # nothing changed: close does not rewrite the snapshot


async def test_the_snapshot_of_an_empty_database_loads_without_a_warning(settings, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="articlebot.engine")
    async with await Engine.open(settings) as eng:
        await eng.ask_detailed("Is anything here?", CLI)
    async with await Engine.open(settings) as eng:
        assert _loaded_from_snapshot(eng) and len(eng.index) == 0
    assert not caplog.records, [r.getMessage() for r in caplog.records]


async def test_changes_after_snapshot_are_reconciled_after_a_crash(settings) -> None:
    async with await Engine.open(settings) as eng:
        first = await eng.add_many(_articles(25, 2), CLI)
        mine = await eng.add_article(_articles(1, 3)[0], CHAT)
    eng = await Engine.open(settings)
    assert _loaded_from_snapshot(eng)
    added = await eng.add_many(_articles(10, 4), CLI)  # after the snapshot
    for res in first[:5]:
        assert await eng.delete(res.article_id, CLI)
    await eng.delete(added[0].article_id, CLI)
    await eng.publish(mine.article_id, CHAT, public=True)
    await _abandon(eng)

    eng = await Engine.open(settings)
    try:
        assert _loaded_from_snapshot(eng)
        await _assert_equals_okapi(eng)
        for res in first[:5] + added[:1]:
            for p in await eng.db.article_passages(res.article_id):
                assert p.id not in eng.index
        # the published flag changed after the snapshot: another chat sees it now
        rows = await eng.db.article_passages(mine.article_id)
        key = rows[0].id
        q = analyze(rows[0].text, "en")
        assert key in [k for k, _ in eng.index.search(q, k=50, groups={123456})]
    finally:
        await eng.close()
    # the reconciled index was snapshotted at close and is used as is next time
    async with await Engine.open(settings) as eng:
        assert _loaded_from_snapshot(eng)
        await _assert_equals_okapi(eng)


async def test_crash_before_any_snapshot_rebuilds(settings) -> None:
    eng = await Engine.open(settings)
    await eng.add_many(_articles(8, 5), CLI)
    await _abandon(eng)
    async with await Engine.open(settings) as eng:
        assert not _loaded_from_snapshot(eng)
        await _assert_equals_okapi(eng)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "missing", "tokenizer", "stale"])
async def test_unusable_snapshot_means_full_rebuild(settings, damage, caplog) -> None:
    async with await Engine.open(settings) as eng:
        await eng.add_many(_articles(20, 6), CLI)
    path = settings.database_path.with_name(settings.database_path.name + ".index.npz")
    if damage == "stale":  # an older snapshot file beside a newer manifest (e.g. a restored file)
        shutil.copy(path, path.with_suffix(".old"))
        async with await Engine.open(settings) as eng:
            await eng.add_many(_articles(3, 7), CLI)
        shutil.copy(path.with_suffix(".old"), path)
    elif damage == "garbage":
        path.write_bytes(b"not a snapshot at all" * 100)
    elif damage == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif damage == "missing":
        path.unlink()
    else:
        async with await Engine.open(settings, build_index=False) as eng:
            manifest = json.loads(await eng.db.get_meta(SNAPSHOT_META_KEY))
            manifest["tokenizer"] = "0-old"
            await eng.db.set_meta(SNAPSHOT_META_KEY, json.dumps(manifest))
    caplog.set_level(logging.WARNING, logger="articlebot.engine")
    async with await Engine.open(settings) as eng:
        assert not _loaded_from_snapshot(eng)
        assert any("rebuilding" in r.getMessage() for r in caplog.records)
        await _assert_equals_okapi(eng)
    async with await Engine.open(settings) as eng:  # and a good snapshot was written again
        assert _loaded_from_snapshot(eng)


async def test_open_without_index_never_overwrites_the_snapshot(settings) -> None:
    async with await Engine.open(settings) as eng:
        await eng.add_many(_articles(10, 8), CLI)
    async with await Engine.open(settings, build_index=False) as eng:
        assert len(eng.index) == 0
    async with await Engine.open(settings) as eng:
        assert _loaded_from_snapshot(eng)
        await _assert_equals_okapi(eng)


async def test_reindex_is_snapshotted(settings) -> None:
    async with await Engine.open(settings, build_index=False) as eng:
        await eng.reindex()  # the CLI's `reindex` opens without an index
        await eng.add_many(_articles(6, 9), CLI)
    async with await Engine.open(settings) as eng:
        assert _loaded_from_snapshot(eng)
        await _assert_equals_okapi(eng)


async def test_bulk_add_indexes_every_passage_under_its_id(engine: Engine) -> None:
    items = _articles(40, 10)
    items.append(items[3])  # a duplicate inside the batch
    items.append(ArticleIn(text="   ", language="en"))  # rejected
    results = await engine.add_many(items, CLI)
    assert [r.status for r in results].count("added") == 40
    assert results[-2].status == "duplicate" and results[-1].status == "rejected"
    await _assert_equals_okapi(engine)
