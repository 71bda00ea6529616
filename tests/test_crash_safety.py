"""Crash safety: `kill -9` in the middle of a bulk ingest and of a reindex, then restart.

After every crash we check, on the database file the killed process left behind:
  * `PRAGMA integrity_check` is "ok";
  * no half articles: every article has >= 1 passage and every passage's offsets slice the article body;
  * the index built at restart holds exactly the database's passage ids, and scores them exactly like
    rank_bm25.BM25Okapi over the stored passages (1e-6);
  * every article the process acknowledged (`ingest -v` prints `added #id label` after the commit) exists.
Also: re-delivered Telegram updates have no second effect (tests/test_isolation.py has the bot harness).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from articlebot.engine import Engine
from articlebot.models import ArticleIn, Scope
from retrieval.chunking import paragraph_spans
from retrieval.text import analyze
from tests.bm25_reference import okapi
from tests.conftest import make_settings

N_ARTICLES = 3000
ACK = re.compile(r"^added\s+#(\d+)\s+(\S+)$")
CLI = Scope(collection="global")


def write_corpus(path: Path, n: int = N_ARTICLES, seed: int = 5) -> None:
    rng = random.Random(seed)
    vocab = [f"kata{i}" for i in range(4000)] + (
        "flood bridge river bank rate mayor minister election price rice train port harbour".split()
    )
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            paras = [" ".join(rng.choice(vocab) for _ in range(rng.randint(20, 90))) + "." for _ in range(3)]
            text = f"Report {i} on item{i}\n\n" + "\n\n".join(paras)
            fh.write(json.dumps({"title": f"Report {i}", "text": text, "source": "gen"}) + "\n")


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "articlebot.cli", *args]


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("DATABASE_PATH", "TELEGRAM_BOT_TOKEN")}


def db_invariants(db_path: Path) -> dict[int, str]:
    """Integrity and no half articles; returns {article id: title}."""
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        articles = {i: (t, b) for i, t, b in conn.execute("SELECT id, title, body FROM articles")}
        with_passages = {r[0] for r in conn.execute("SELECT DISTINCT article_id FROM passages")}
        assert set(articles) == with_passages, "an article without passages (or an orphan passage)"
        for aid, start, end, text in conn.execute('SELECT article_id, start, "end", text FROM passages'):
            assert articles[aid][1][start:end] == text
        last = conn.execute("SELECT article_id, paragraph, text, max(ord) FROM passages GROUP BY article_id")
        counts = {aid: first + len(paragraph_spans(text)) - 1 for aid, first, text, _ in last}
        stored = dict(conn.execute("SELECT id, paragraphs FROM articles"))
        assert counts == stored
        assert all(len(paragraph_spans(b)) == stored[i] for i, (_, b) in articles.items())
        return {i: t for i, (t, _) in articles.items()}
    finally:
        conn.close()


async def assert_index_matches_db(engine: Engine, queries: tuple[str, ...] = ("flood river kata7 report",)) -> None:
    """The index answers exactly what the database holds: same keys, BM25Okapi scores to 1e-6."""
    rows = [r for batch in [b async for b in engine.db.iter_passages()] for r in batch]
    keys = np.array([r.id for r in rows], dtype=np.int64)
    assert sorted(keys.tolist()) == sorted(await engine.db.passage_ids())
    got_keys, _ = engine.index.get_scores(["x"])
    assert sorted(int(k) for k in got_keys) == sorted(keys.tolist())
    if not rows:
        return
    corpus = [analyze(r.text, r.language) for r in rows]
    if not any(corpus):  # rank_bm25 cannot be built on a corpus without terms: every score must be 0
        for q in queries:
            assert not engine.index.get_scores(analyze(q, "en"))[1].any()
        return
    ref_index = okapi(corpus)
    order = np.argsort(keys)
    for q in queries:
        terms = analyze(q, "en")
        got_keys, got = engine.index.get_scores(terms)
        assert list(got_keys) == sorted(keys.tolist())
        np.testing.assert_allclose(got, ref_index.get_scores(terms)[order], atol=1e-6)


def restart_and_check(db_path: Path, tmp_path: Path) -> dict[int, str]:
    titles = db_invariants(db_path)

    async def go() -> None:
        async with await Engine.open(make_settings(tmp_path, database_path=db_path)) as engine:
            await assert_index_matches_db(engine, ("report item12 kata3 kata99", "flood bridge harbour"))

    asyncio.run(go())
    return titles


class AckReader:
    """Reads a child's stderr in a thread, collecting `added #id label` acknowledgements."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.acks: dict[int, str] = {}
        self.lines: list[str] = []
        self._t = threading.Thread(target=self._run, args=(proc,), daemon=True)
        self._t.start()

    def _run(self, proc: subprocess.Popen) -> None:
        for raw in proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self.lines.append(line)
            m = ACK.match(line)
            if m:
                self.acks[int(m.group(1))] = m.group(2)

    def join(self) -> None:
        self._t.join(timeout=10)


def kill_ingest_after(db: Path, corpus: Path, acks_wanted: int) -> dict[int, str]:
    proc = subprocess.Popen(
        cli("-v", "--db", str(db), "ingest", "--jsonl", str(corpus), "--quiet"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=clean_env(),
    )
    reader = AckReader(proc)
    deadline = time.monotonic() + 60
    while len(reader.acks) < acks_wanted and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    killed = proc.poll() is None
    proc.send_signal(signal.SIGKILL) if killed else None
    proc.wait(timeout=10)
    reader.join()
    assert killed, f"ingest finished before the kill ({len(reader.acks)} acks)"
    assert proc.returncode == -signal.SIGKILL
    return reader.acks


@pytest.mark.timeout(120)
def test_kill_9_during_bulk_ingest_loses_no_acknowledged_article(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus)
    db = tmp_path / "crash.sqlite3"
    acknowledged: dict[int, str] = {}
    for wanted in (150, 700, 700):  # three crashes at different points of the same import (new acks each)
        acks = kill_ingest_after(db, corpus, wanted)
        assert len(acks) >= wanted
        acknowledged.update(acks)
        titles = restart_and_check(db, tmp_path)
        missing = set(acknowledged) - set(titles)
        assert not missing, f"acknowledged but lost: {sorted(missing)[:10]}"
        # every acknowledged label maps to the article that was stored under that id
        for aid, label in acks.items():
            line = int(label.rsplit(":", 1)[1])
            assert titles[aid] == f"Report {line - 1}"
    # resuming the import after the crashes completes it: nothing twice, nothing missing
    done = subprocess.run(
        cli("--db", str(db), "ingest", "--jsonl", str(corpus), "--quiet"),
        capture_output=True, text=True, env=clean_env(), timeout=120,
    )
    assert done.returncode == 0, done.stderr
    added, dups = map(int, re.search(r"added (\d+), duplicates (\d+)", done.stdout).groups())
    titles = restart_and_check(db, tmp_path)
    assert len(titles) == N_ARTICLES == added + dups
    assert sorted(titles.values()) == sorted(f"Report {i}" for i in range(N_ARTICLES))


@pytest.mark.timeout(120)
def test_kill_9_during_reindex(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, n=2000)
    db = tmp_path / "reindex.sqlite3"
    subprocess.run(cli("--db", str(db), "ingest", "--jsonl", str(corpus), "--quiet"),
                   check=True, capture_output=True, env=clean_env(), timeout=120)
    before = restart_and_check(db, tmp_path)
    for delay in (0.4, 0.8, 1.2):
        proc = subprocess.Popen(cli("-v", "--db", str(db), "reindex"), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=clean_env())
        time.sleep(delay)
        proc.kill()
        out, _ = proc.communicate(timeout=10)
        after = restart_and_check(db, tmp_path)
        assert after == before
    # and a reindex that is allowed to finish still works on the crashed-on file
    ok = subprocess.run(cli("--db", str(db), "reindex"), capture_output=True, text=True, env=clean_env(), timeout=60)
    assert ok.returncode == 0 and "reindexed" in ok.stdout


async def test_reindex_with_concurrent_writes_matches_db(tmp_path: Path) -> None:
    """In-process: adds, deletes and publishes racing a reindex are all reflected in the swapped index."""
    settings = make_settings(tmp_path)
    async with await Engine.open(settings) as engine:
        rng = random.Random(3)
        base = await engine.add_many(
            [ArticleIn(text=f"Base {i}\n\nThe river item{i} flooded kata{i % 17} on day {i}.") for i in range(400)],
            CLI,
        )
        ids = [r.article_id for r in base]

        async def writer() -> None:
            for i in range(60):
                op = rng.random()
                if op < 0.5:
                    await engine.add_article(ArticleIn(text=f"Late {i}\n\nA bridge late{i} opened in kata{i}."), CLI)
                elif op < 0.8 and ids:
                    await engine.delete(ids.pop(rng.randrange(len(ids))), CLI)
                elif ids:
                    await engine.publish(rng.choice(ids), CLI, public=rng.random() < 0.5)
                await asyncio.sleep(0)

        await asyncio.gather(engine.reindex(), writer())
        await assert_index_matches_db(engine, ("river flooded kata3", "bridge late7 opened"))
        stats = await engine.stats()
        assert stats["index_docs"] == stats["passages"]


async def test_two_overlapping_reindexes_with_writes_match_db(tmp_path: Path) -> None:
    async with await Engine.open(make_settings(tmp_path)) as engine:
        await engine.add_many([ArticleIn(text=f"Base {i}\n\nThe river item{i} flooded on day {i}.")
                               for i in range(50)], CLI)
        a_done = asyncio.Event()
        tasks: list[asyncio.Task] = []

        async def progress_a(done: int, total: int) -> None:
            if done == total and not tasks:  # A has read every page: a write now is only in A's log
                await engine.add_article(ArticleIn(text="Late\n\nA bridge called Nine opened."), CLI)
                tasks.append(asyncio.create_task(engine.reindex(progress_b)))  # an admin presses /reindex again
                await asyncio.sleep(0.05)

        async def progress_b(done: int, total: int) -> None:
            await a_done.wait()

        await engine.reindex(progress_a)
        a_done.set()
        results = await asyncio.gather(*tasks, return_exceptions=True)
        assert not [r for r in results if isinstance(r, BaseException)], results
        await assert_index_matches_db(engine, ("river flooded", "bridge nine opened"))
