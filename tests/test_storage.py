"""Tests of the SQLite storage layer, on real database files in tmp_path."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sqlite3
import statistics
import subprocess
import threading
import time
from pathlib import Path

import pytest

from storage import (
    SCHEMA_VERSION,
    Database,
    DuplicateArticle,
    DuplicateMessage,
    InvalidArticle,
    NewArticle,
    NewPassage,
    NotFound,
    SchemaError,
    StorageError,
)
from storage.schema import MIGRATIONS


def make(collection_id: int, n: int = 3, tag: str = "a", **kw: object) -> tuple[NewArticle, list[NewPassage]]:
    """An article of `n` paragraphs, one passage each, with exact offsets into the body."""
    paras = [f"Paragraph {k} of {tag}: something happened on day {k}." for k in range(n)]
    body = "\n\n".join(paras)
    passages, pos = [], 0
    for k, p in enumerate(paras):
        passages.append(NewPassage(ord=k, paragraph=k + 1, start=pos, end=pos + len(p), text=p))
        pos += len(p) + 2
    fields: dict[str, object] = {
        "collection_id": collection_id,
        "title": f"Title {tag}",
        "body": body,
        "content_hash": f"hash-{tag}",
        "language": "en",
        "source": "test",
        "url": f"https://example.com/{tag}",
    }
    fields.update(kw)
    return NewArticle(**fields), passages  # type: ignore[arg-type]


@pytest.fixture
async def db(tmp_path: Path):
    database = await Database.open(tmp_path / "data" / "bot.sqlite3")
    try:
        yield database
    finally:
        await database.close()


async def count(db: Database, table: str) -> int:
    rows = await db._conn.execute_fetchall(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - test helper
    return int(rows[0][0])


# --- opening & migrations ----------------------------------------------------------------------------------


async def test_open_creates_schema_and_global(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "db.sqlite3"
    db = await Database.open(path)
    try:
        assert path.exists() and db.path == path
        assert await db.schema_version() == SCHEMA_VERSION == len(MIGRATIONS)
        gid = await db.collection_id("global", create=False)
        assert gid is not None
        pragmas = {
            name: (await db._conn.execute_fetchall(f"PRAGMA {name}"))[0][0]
            for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")
        }
        assert pragmas["journal_mode"] == "wal"
        assert pragmas["foreign_keys"] == 1
        assert pragmas["synchronous"] == 1  # NORMAL
        assert pragmas["busy_timeout"] > 0
        tables = {
            r[0]
            for r in await db._conn.execute_fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        assert {
            "collections",
            "articles",
            "passages",
            "questions",
            "feedback",
            "processed_updates",
            "meta",
            "settings",
        } <= tables
        assert await db.integrity_check() == "ok"
    finally:
        await db.close()


async def test_reopen_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    db = await Database.open(path)
    gid = await db.collection_id("global")
    assert gid is not None
    aid = await db.insert_article(*make(gid))
    await db.close()
    db = await Database.open(path)
    try:
        assert await db.schema_version() == SCHEMA_VERSION
        assert await db.collection_id("global", create=False) == gid
        assert await count(db, "collections") == 1  # "global" not created twice
        assert (await db.get_article(aid)) is not None
    finally:
        await db.close()


async def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    db = await Database.open(path)
    await db.close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(SchemaError, match="schema version"):
        await Database.open(path)


async def test_each_migration_in_own_transaction(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    broken = (*MIGRATIONS, ("CREATE TABLE extra (x INTEGER)", "THIS IS NOT SQL"))
    with pytest.raises(StorageError, match="syntax error") as err:
        await Database.open(path, migrations=broken)
    assert isinstance(err.value.__cause__, sqlite3.OperationalError)
    # v1 was committed, the failed v2 left nothing behind
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'extra'").fetchone()[0] == 0
    db = await Database.open(path)
    await db.close()


async def test_a_database_that_cannot_be_written_fails_at_open_naming_it(tmp_path: Path) -> None:
    """Not at the first message after a normal start (found in review: every question then failed)."""
    path = tmp_path / "ro.sqlite3"
    await (await Database.open(path)).close()
    if os.geteuid() == 0:  # root writes through file modes; an immutable file is read-only even for root
        if (await asyncio.to_thread(subprocess.run, ["chattr", "+i", str(path)], capture_output=True)).returncode:
            pytest.skip("chattr +i is not available on this file system")
        undo = ["chattr", "-i", str(path)]
    else:
        path.chmod(0o444)
        undo = ["chmod", "644", str(path)]
    try:
        with pytest.raises(StorageError, match=r"ro\.sqlite3 cannot be written"):
            await Database.open(path)
    finally:
        await asyncio.to_thread(subprocess.run, undo, check=True)
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not an SQLite database " * 200)
    with pytest.raises(StorageError, match="garbage.sqlite3.*not a database"):
        await Database.open(garbage)


# --- articles ----------------------------------------------------------------------------------------------


async def test_insert_get_list_delete(db: Database) -> None:
    gid = await db.collection_id("global")
    cid = await db.collection_id("chat:42", chat_id=42)
    assert gid is not None and cid is not None and gid != cid
    assert await db.collection_id("chat:42", chat_id=42) == cid
    assert await db.collection_id("nope", create=False) is None

    a1 = await db.insert_article(*make(cid, n=3, tag="one", chat_id=42, message_id=7, added_by=5))
    a2 = await db.insert_article(*make(cid, n=2, tag="two"))
    a3 = await db.insert_article(*make(gid, n=4, tag="three"))

    row = await db.get_article(a1)
    assert row is not None
    assert (row.collection, row.collection_id, row.paragraphs, row.title) == ("chat:42", cid, 3, "Title one")
    assert (row.chat_id, row.message_id, row.added_by, row.public) == (42, 7, 5, False)
    assert row.body is not None and row.body.startswith("Paragraph 0 of one")
    assert row.added_at.endswith("Z") and row.added_at == row.updated_at
    assert await db.get_article(9999) is None

    found = await db.find_by_message(42, 7)
    assert found is not None and found.id == a1 and found.body is None
    assert await db.find_by_message(42, 8) is None

    rows, total = await db.list_articles([cid], offset=0, limit=10)
    assert [r.id for r in rows] == [a2, a1] and total == 2  # newest first
    rows, total = await db.list_articles([cid], offset=1, limit=1)
    assert [r.id for r in rows] == [a1] and total == 2
    rows, total = await db.list_articles([gid, cid], offset=0, limit=10)
    assert [r.id for r in rows] == [a3, a2, a1] and total == 3

    # public articles show up in other scopes unless include_public=False
    assert await db.set_public(a3, True)
    assert not await db.set_public(9999, True)
    rows, total = await db.list_articles([cid], offset=0, limit=10)
    assert [r.id for r in rows] == [a3, a2, a1] and total == 3
    assert rows[0].public and rows[0].collection == "global"
    rows, total = await db.list_articles([cid], offset=0, limit=10, include_public=False)
    assert [r.id for r in rows] == [a2, a1] and total == 2
    # has_articles is list_articles' total > 0, in every scope
    other = await db.collection_id("chat:43", chat_id=43)
    assert other is not None
    for ids in ([], [cid], [gid], [other], [other, cid], [9999]):
        for pub in (True, False):
            total = (await db.list_articles(ids, offset=0, limit=1, include_public=pub))[1]
            assert await db.has_articles(ids, include_public=pub) is (total > 0), (ids, pub)
    assert not await db.has_articles([other], include_public=False)
    assert await db.has_articles([other])  # a3 is public

    passages = await db.article_passages(a1)
    assert [p.article_id for p in passages] == [a1] * 3
    assert all(p.collection_id == cid and p.language == "en" for p in passages)
    qid = await db.log_question(42, 5, "what happened?", "en", False, 1.5, a1, 12.0)
    assert await db.mark_update(42, 7, "message", a1)

    removed = await db.delete_article(a1)
    assert removed == sorted(p.id for p in passages)
    assert await db.get_article(a1) is None
    assert await db.get_passages(removed) == {}
    assert await count(db, "passages") == 2 + 4
    assert await db.delete_article(a1) is None
    question = await db.get_question(qid)
    assert question is not None and question.answer_article_id is None  # ON DELETE SET NULL
    assert await db.find_by_message(42, 7) is None


async def test_duplicates(db: Database) -> None:
    gid = await db.collection_id("global")
    cid = await db.collection_id("chat:1", chat_id=1)
    assert gid is not None and cid is not None
    a1 = await db.insert_article(*make(gid, tag="x"))
    with pytest.raises(DuplicateArticle) as exc_info:
        await db.insert_article(*make(gid, tag="x"))
    assert exc_info.value.existing_id == a1
    # the same content in another collection is fine
    a2 = await db.insert_article(*make(cid, tag="x"))
    assert a2 != a1
    assert await count(db, "articles") == 2


async def test_message_uniqueness(db: Database) -> None:
    cid = await db.collection_id("chat:1", chat_id=1)
    assert cid is not None
    a1 = await db.insert_article(*make(cid, tag="m1", chat_id=1, message_id=10))
    with pytest.raises(DuplicateMessage) as exc_info:
        await db.insert_article(*make(cid, tag="m2", chat_id=1, message_id=10))
    assert exc_info.value.existing_id == a1
    # NULL message ids never collide; another chat with the same message id is fine
    await db.insert_article(*make(cid, tag="m3"))
    await db.insert_article(*make(cid, tag="m4"))
    await db.insert_article(*make(cid, tag="m5", chat_id=2, message_id=10))
    assert await count(db, "articles") == 4


@pytest.mark.parametrize(
    "bad",
    [
        NewPassage(ord=1, paragraph=1, start=10, end=5, text="start after end"),  # CHECK
        NewPassage(ord=1, paragraph=0, start=0, end=5, text="paragraph 0"),  # CHECK
        NewPassage(ord=0, paragraph=1, start=0, end=5, text="ord repeated"),  # UNIQUE(article_id, ord)
        NewPassage(ord=1, paragraph=1, start=0, end=5, text=None),  # type: ignore[arg-type]  # NOT NULL
    ],
)
async def test_failed_passage_leaves_no_article(db: Database, bad: NewPassage) -> None:
    gid = await db.collection_id("global")
    assert gid is not None
    article, passages = make(gid, n=3, tag="tx")
    with pytest.raises(InvalidArticle):
        await db.insert_article(article, [passages[0], bad, passages[2]])
    assert await count(db, "articles") == 0
    assert await count(db, "passages") == 0
    # the connection is usable and the same article goes in cleanly afterwards
    aid = await db.insert_article(article, passages)
    assert len(await db.article_passages(aid)) == 3


async def test_passage_past_body_end_rejected(db: Database) -> None:
    gid = await db.collection_id("global")
    assert gid is not None
    article, passages = make(gid, n=1)
    bad = dataclasses.replace(passages[0], end=len(article.body) + 1)
    with pytest.raises(InvalidArticle):
        await db.insert_article(article, [bad])
    assert await count(db, "articles") == 0


async def test_unknown_collection_rejected(db: Database) -> None:
    with pytest.raises(InvalidArticle):
        await db.insert_article(*make(12345))
    assert await count(db, "articles") == 0


async def test_replace_article(db: Database) -> None:
    cid = await db.collection_id("chat:3", chat_id=3)
    assert cid is not None
    aid = await db.insert_article(*make(cid, n=3, tag="old", chat_id=3, message_id=1))
    await db.set_public(aid, True)
    old_ids = [p.id for p in await db.article_passages(aid)]
    other = await db.insert_article(*make(cid, n=1, tag="other"))

    new_article, new_passages = make(cid, n=2, tag="new", url="https://example.com/edited")
    returned = await db.replace_article(aid, new_article, new_passages)
    assert returned == old_ids
    row = await db.get_article(aid)
    assert row is not None
    assert row.title == "Title new" and row.body == new_article.body and row.paragraphs == 2
    assert row.url == "https://example.com/edited" and row.content_hash == "hash-new"
    assert row.public and (row.chat_id, row.message_id) == (3, 1)  # kept
    new_rows = await db.article_passages(aid)
    assert [p.text for p in new_rows] == [p.text for p in new_passages]
    assert min(p.id for p in new_rows) > max(old_ids)  # ids never reused
    assert await db.get_passages(old_ids) == {}

    with pytest.raises(DuplicateArticle) as exc_info:
        await db.replace_article(aid, *make(cid, n=1, tag="other"))
    assert exc_info.value.existing_id == other
    with pytest.raises(NotFound):
        await db.replace_article(9999, *make(cid, tag="zzz"))
    # a failed replacement changes nothing
    art, ps = make(cid, n=2, tag="broken")
    with pytest.raises(InvalidArticle):
        await db.replace_article(aid, art, [ps[0], dataclasses.replace(ps[1], start=5, end=1)])
    assert [p.id for p in await db.article_passages(aid)] == [p.id for p in new_rows]
    row2 = await db.get_article(aid)
    assert row2 is not None and row2.body == new_article.body


async def test_bulk_insert(db: Database) -> None:
    gid = await db.collection_id("global")
    assert gid is not None
    a, pa = make(gid, tag="b1")
    b, pb = make(gid, tag="b2")
    c, pc = make(gid, tag="b3")
    bad_passages = [pc[0], dataclasses.replace(pc[1], start=9, end=2)]
    d, pd = make(gid, tag="b4", chat_id=5, message_id=5)
    e, pe = make(gid, tag="b5", chat_id=5, message_id=5)
    results = await db.insert_articles(
        [(a, pa), (b, pb), (a, pa), (c, bad_passages), (c, pc), (d, pd), (e, pe)]
    )
    assert isinstance(results[0], int) and isinstance(results[1], int)
    assert isinstance(results[2], DuplicateArticle) and results[2].existing_id == results[0]
    assert isinstance(results[3], InvalidArticle)
    assert isinstance(results[4], int)
    assert isinstance(results[5], int)
    assert isinstance(results[6], DuplicateMessage) and results[6].existing_id == results[5]
    assert await count(db, "articles") == 4
    assert await count(db, "passages") == 4 * 3
    assert await db.insert_articles([]) == []


async def test_iter_passages_streams_in_batches(db: Database) -> None:
    gid = await db.collection_id("global")
    cid = await db.collection_id("chat:9", chat_id=9)
    assert gid is not None and cid is not None
    await db.insert_articles([make(gid, n=7, tag=f"g{i}") for i in range(2)])
    pub = await db.insert_article(*make(cid, n=7, tag="c", language="id"))
    await db.set_public(pub, True)

    batches = [b async for b in db.iter_passages(batch=5)]
    assert [len(b) for b in batches] == [5, 5, 5, 5, 1]
    rows = [r for b in batches for r in b]
    ids = [r.id for r in rows]
    assert ids == sorted(ids) and len(set(ids)) == 21
    assert ids == await db.passage_ids()
    last = [r for r in rows if r.article_id == pub]
    assert all(r.public and r.collection_id == cid and r.language == "id" for r in last)

    after = [r.id async for b in db.iter_passages(batch=100, after_id=ids[9]) for r in b]
    assert after == ids[10:]
    assert [b async for b in db.iter_passages(after_id=ids[-1])] == []


async def test_get_passages_hits_and_speed(db: Database) -> None:
    gid = await db.collection_id("global")
    assert gid is not None
    await db.insert_articles([make(gid, n=7, tag=f"s{i}", published_at="2025-05-01") for i in range(30)])
    ids = await db.passage_ids()
    pick = ids[::10][:20]
    hits = await db.get_passages([*pick, 10**9])
    assert sorted(hits) == pick
    hit = hits[pick[3]]
    row = await db.get_article(hit.article_id)
    assert row is not None and row.body is not None
    assert row.body[hit.start : hit.end] == hit.text
    assert (hit.title, hit.url, hit.published_at, hit.collection_id) == (
        row.title,
        row.url,
        "2025-05-01",
        gid,
    )
    assert await db.get_passages([]) == {}
    samples = []
    for _ in range(50):
        t = time.perf_counter()
        await db.get_passages(pick)
        samples.append(time.perf_counter() - t)
    assert statistics.median(samples) < 0.002


async def test_passage_reader_reads_what_is_committed_from_any_thread(db: Database) -> None:
    """The worker threads' synchronous reader returns what `get_passages` returns, sees an article the moment
    its transaction commits and forgets a deleted one at once, and cannot write."""
    gid = await db.collection_id("global")
    assert gid is not None
    first = await db.insert_article(*make(gid, n=4, tag="r1"))
    reader = db.passage_reader()
    assert reader is not None
    try:
        ids = await db.passage_ids()
        got = await asyncio.to_thread(reader.get_passages, [*ids, 10**9])
        assert got == await db.get_passages(ids) and sorted(got) == ids
        assert reader.get_passages([]) == {}

        second = await db.insert_article(*make(gid, n=3, tag="r2"))  # the reader's connection is already open
        new_ids = [i for i in await db.passage_ids() if i not in ids]
        assert {h.article_id for h in (await asyncio.to_thread(reader.get_passages, new_ids)).values()} == {second}
        await db.delete_article(first)
        assert await asyncio.to_thread(reader.get_passages, ids) == {}

        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader._conn().execute("DELETE FROM passages")
        assert len(await db.passage_ids()) == 3
    finally:
        reader.close()
    with pytest.raises(StorageError):
        reader.get_passages(new_ids)


async def test_no_passage_reader_for_an_in_memory_database() -> None:
    async with await Database.open(":memory:") as mem:
        assert mem.passage_reader() is None


async def test_export_articles(db: Database) -> None:
    gid = await db.collection_id("global")
    cid = await db.collection_id("chat:1", chat_id=1)
    assert gid is not None and cid is not None
    res = await db.insert_articles([make(gid if i % 2 else cid, tag=f"e{i}") for i in range(450)])
    assert all(isinstance(r, int) for r in res)
    everything = [a async for a in db.export_articles(None)]
    assert [a.id for a in everything] == sorted(res)  # type: ignore[type-var]
    assert all(a.body for a in everything)
    chat_only = [a async for a in db.export_articles([cid])]
    assert len(chat_only) == 225 and {a.collection for a in chat_only} == {"chat:1"}


# --- questions, feedback, updates, meta ---------------------------------------------------------------------


async def test_questions_and_feedback(db: Database) -> None:
    qid = await db.log_question(1, 2, "who won?", "en", True, 0.25, None, 33.5)
    q = await db.get_question(qid)
    assert q is not None
    assert (q.chat_id, q.user_id, q.question, q.language, q.abstained, q.score, q.latency_ms) == (
        1,
        2,
        "who won?",
        "en",
        True,
        0.25,
        33.5,
    )
    assert q.answer_article_id is None and q.created_at.endswith("Z")
    assert await db.get_question(qid + 100) is None
    # an answer article that no longer exists is logged as NULL, not an error
    q2 = await db.log_question(None, None, "x", None, False, 1.0, 777, None)
    q2_row = await db.get_question(q2)
    assert q2_row is not None and q2_row.answer_article_id is None

    await db.record_feedback(qid, 10, 1)
    await db.record_feedback(qid, 11, 1)
    await db.record_feedback(qid, 10, -1)  # second vote replaces the first
    assert await db.get_feedback(qid) == {10: -1, 11: 1}
    with pytest.raises(ValueError):
        await db.record_feedback(qid, 10, 0)
    with pytest.raises(NotFound):
        await db.record_feedback(qid + 100, 10, 1)
    stats = await db.stats()
    assert (stats["questions"], stats["abstained"], stats["feedback_up"], stats["feedback_down"]) == (
        2,
        1,
        1,
        1,
    )


async def test_mark_update_idempotent(db: Database) -> None:
    assert await db.mark_update(1, 100, "message", None)
    assert not await db.mark_update(1, 100, "message", None)
    assert await db.mark_update(1, 100, "edited", None)
    assert await db.mark_update(2, 100, "message", None)
    assert await count(db, "processed_updates") == 3


async def test_mark_updates_at_once_are_one_statement_with_the_same_answers(db: Database) -> None:
    """A burst's marks go in one INSERT (group commit) and each gets the answer it would get alone: the first
    of the same message wins, a message marked before is a re-delivery, a bad row fails only its own call."""
    a1 = await db.insert_article(*make(await db.collection_id("global"), tag="m"))
    assert await db.mark_update(1, 5, "question", None)
    statements: list[str] = []
    await db._conn.set_trace_callback(statements.append)
    calls = [(1, 5, "question", None), (1, 6, "question", a1), (1, 6, "question", None), (2, 6, "question", None),
             (3, 1, "question", 10**6), (1, 6, "edit:1", None)]
    got = await asyncio.gather(*(db.mark_update(*c) for c in calls))
    await db._conn.set_trace_callback(None)
    assert got == [False, True, False, True, True, True]
    assert sum("processed_updates" in s for s in statements) == 1
    rows = await db._conn.execute_fetchall(
        "SELECT chat_id, message_id, kind, article_id FROM processed_updates ORDER BY chat_id, message_id, kind")
    assert rows == [(1, 5, "question", None), (1, 6, "edit:1", None), (1, 6, "question", a1),
                    (2, 6, "question", None), (3, 1, "question", None)]
    bad = await asyncio.gather(db.mark_update(4, 1, "question", None), db.mark_update(4, 2**70, "question", None),
                               db.mark_update(4, 3, "question", None), return_exceptions=True)
    assert bad[0] is True and bad[2] is True and isinstance(bad[1], OverflowError)


async def test_collection_lookups_at_once_are_one_statement(db: Database) -> None:
    gid = await db.collection_id("global")
    cid = await db.collection_id("chat:7", 7)
    db._collections.clear()
    statements: list[str] = []
    await db._conn.set_trace_callback(statements.append)
    got = await asyncio.gather(
        db.collection_id("chat:7", create=False), db.collection_id("chat:8", create=False),
        db.collection_id("global", create=False), db.collection_id("chat:8", create=False),
    )
    await db._conn.set_trace_callback(None)
    assert got == [cid, None, gid, None]
    assert sum("collections" in s for s in statements) == 1
    new = await db.collection_id("chat:8", 8)  # a miss is not remembered: created later, it is found
    assert new not in (None, cid, gid) and await db.collection_id("chat:8", create=False) == new


async def test_a_cancelled_mark_that_waits_is_not_stored(db: Database) -> None:
    first = asyncio.create_task(db.mark_update(1, 1, "question", None))
    await asyncio.sleep(0)  # its batch is on the connection's thread now
    second = asyncio.create_task(db.mark_update(1, 2, "question", None))
    await asyncio.sleep(0)
    second.cancel()
    assert await first is True
    with pytest.raises(asyncio.CancelledError):
        await second
    await asyncio.sleep(0.05)
    assert await count(db, "processed_updates") == 1
    assert await db.mark_update(1, 2, "question", None)


async def test_meta_and_settings(db: Database) -> None:
    assert await db.get_meta("tokenizer_version") is None
    await db.set_meta("tokenizer_version", "3")
    await db.set_meta("tokenizer_version", "4")
    assert await db.get_meta("tokenizer_version") == "4"
    await db.set_meta("tokenizer_version", None)
    assert await db.get_meta("tokenizer_version") is None
    await db.set_setting(5, "lang", "id")
    await db.set_setting(5, "mode", "short")
    await db.set_setting(5, "mode", None)
    assert await db.get_settings(5) == {"lang": "id"}
    assert await db.get_settings(6) == {}


async def test_stats(db: Database) -> None:
    gid = await db.collection_id("global")
    cid = await db.collection_id("chat:1", chat_id=1)
    assert gid is not None and cid is not None
    a = await db.insert_article(*make(gid, n=3, tag="s1"))
    await db.insert_article(*make(cid, n=2, tag="s2"))
    await db.set_public(a, True)
    stats = await db.stats()
    assert stats["articles"] == 2
    assert stats["passages"] == 5
    assert stats["collections"] == 2
    assert stats["public_articles"] == 1
    assert stats["questions"] == 0
    assert stats["db_size_bytes"] > 0
    assert stats["schema_version"] == SCHEMA_VERSION


# --- transactions under concurrency, backup ---------------------------------------------------------------


async def test_concurrent_writers_do_not_interleave(db: Database) -> None:
    gid = await db.collection_id("global")
    assert gid is not None

    async def good(i: int) -> None:
        await db.insert_article(*make(gid, n=5, tag=f"ok{i}"))

    async def bad(i: int) -> None:
        art, ps = make(gid, n=5, tag=f"bad{i}")
        with pytest.raises(InvalidArticle):
            await db.insert_article(art, [*ps[:4], dataclasses.replace(ps[4], start=3, end=1)])

    await asyncio.gather(*(good(i) if i % 2 else bad(i) for i in range(40)))
    assert await count(db, "articles") == 20
    assert await count(db, "passages") == 100


async def test_cancelled_insert_is_rolled_back(db: Database) -> None:
    gid = await db.collection_id("global")
    assert gid is not None
    items = [make(gid, n=7, tag=f"c{i}") for i in range(3000)]
    task = asyncio.create_task(db.insert_articles(items))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    n_articles = await count(db, "articles")
    assert n_articles == 0  # cancelled mid-way: all or nothing
    assert await count(db, "passages") == 7 * n_articles
    await db.insert_article(*make(gid, tag="after"))  # connection still usable


async def test_backup_while_writing(db: Database, tmp_path: Path) -> None:
    gid = await db.collection_id("global")
    assert gid is not None
    await db.insert_articles([make(gid, n=7, tag=f"pre{i}") for i in range(200)])
    await db.log_question(1, 1, "q", "en", False, 1.0, None, 1.0)
    stop = asyncio.Event()

    async def writer() -> int:
        i = 0
        while not stop.is_set():
            await db.insert_articles([make(gid, n=7, tag=f"w{i}-{k}") for k in range(20)])
            i += 1
            await asyncio.sleep(0)
        return i

    task = asyncio.create_task(writer())
    await asyncio.sleep(0.05)
    dest = tmp_path / "backups" / "copy.sqlite3"
    await db.backup(dest)
    await asyncio.sleep(0.02)
    stop.set()
    rounds = await task
    assert rounds > 0
    assert not list(dest.parent.glob(".*.tmp"))

    copy = await Database.open(dest)
    try:
        assert await copy.integrity_check() == "ok"
        stats = await copy.stats()
        assert 200 <= stats["articles"] <= (await db.stats())["articles"]
        assert stats["passages"] == 7 * stats["articles"]  # a snapshot: no half articles
        assert stats["questions"] == 1
        original = await db.get_article(1)
        copied = await copy.get_article(1)
        assert copied is not None and original is not None and copied.body == original.body
    finally:
        await copy.close()
    with pytest.raises(Exception, match="itself"):
        await db.backup(db.path)
    assert await db.integrity_check() == "ok"


async def test_passage_reader_opens_a_path_with_uri_characters(tmp_path: Path) -> None:
    """The read-only connection is opened by URI: '?', '#', '%' and spaces in the path must not cut it."""
    async with await Database.open(tmp_path / "news 50% #1?.sqlite3") as db:
        gid = await db.collection_id("global")
        assert gid is not None
        await db.insert_article(*make(gid, n=2, tag="uri"))
        ids = await db.passage_ids()
        reader = db.passage_reader()
        assert reader is not None
        try:
            assert sorted(await asyncio.to_thread(reader.get_passages, ids)) == ids
        finally:
            reader.close()


async def _old_database(path: Path, version: int) -> tuple[int, int]:
    """A database at schema `version` with one article stored as that code stored it: (global collection, article)."""
    db = await Database.open(path, migrations=MIGRATIONS[:version])
    try:
        gid = await db.collection_id("global")
    finally:
        await db.close()
    return gid, _insert_old(path, gid)


def _insert_old(path: Path, collection_id: int, tag: str = "a") -> int:
    """An article and its passages as the code before V3 stored them (no layout column)."""
    article, passages = make(collection_id, tag=tag)
    with sqlite3.connect(path) as conn:
        aid = conn.execute(
            "INSERT INTO articles (collection_id, title, body, language, content_hash, paragraphs, added_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, 'x', 'x') RETURNING id",
            (collection_id, article.title, article.body, article.language, article.content_hash, len(passages)),
        ).fetchone()[0]
        conn.executemany(
            'INSERT INTO passages (article_id, ord, paragraph, start, "end", text) VALUES (?, ?, ?, ?, ?, ?)',
            [(aid, p.ord, p.paragraph, p.start, p.end, p.text) for p in passages],
        )
    return int(aid)


async def test_a_version_2_database_gains_passage_layouts_empty(tmp_path: Path) -> None:
    """V3 adds the passages' layout column: the passages stored before have none (NULL) until the engine fills
    them in; `set_layouts` stores one only where there is none, `match_layouts` clears them all when the database
    says they were written under another version."""
    path = tmp_path / "v2.sqlite3"
    gid, aid = await _old_database(path, 2)
    db = await Database.open(path)
    try:
        assert await db.schema_version() == SCHEMA_VERSION == 3
        rows = await db.article_passages(aid)
        hits = await db.get_passages([r.id for r in rows])
        assert [hits[r.id].layout for r in rows] == [None, None, None]
        missing = await db.passages_without_layout(0, 2)
        assert [pid for pid, *_ in missing] == [r.id for r in rows][:2]
        assert [tuple(m[1:]) for m in missing] == [(r.text, "en", "Title a") for r in rows][:2]
        assert await db.set_layouts([(rows[0].id, b"one"), (rows[1].id, None)]) == 1
        assert await db.set_layouts([(rows[0].id, b"two")]) == 0  # it has one
        assert [pid for pid, *_ in await db.passages_without_layout(rows[0].id)] == [r.id for r in rows][1:]
        assert (await db.get_passages([rows[0].id]))[rows[0].id].layout == b"one"
        assert await db.match_layouts("v1") == 1  # no version recorded: cleared
        assert await db.match_layouts("v1") == 0
        assert await db.set_layouts([(rows[2].id, b"three")]) == 1
        assert await db.match_layouts("v2") == 1
        assert await db.get_meta("layout_version") == "v2"
        assert len(await db.passages_without_layout()) == 3
        article, passages = make(gid, 1, "b")
        aid2 = await db.insert_article(article, [dataclasses.replace(p, layout=b"L") for p in passages])
    finally:
        await db.close()
    with sqlite3.connect(path) as conn:  # stored with its passage
        assert conn.execute("SELECT layout FROM passages WHERE article_id = ?", (aid2,)).fetchall() == [(b"L",)]


async def test_a_version_1_database_is_migrated_forward_with_its_data(tmp_path: Path) -> None:
    """A database written before the questions table kept citations (V2) opens, gains the columns, keeps its
    rows; an old logged question simply has no stored citation."""
    path = tmp_path / "v1.sqlite3"
    gid, aid = await _old_database(path, 1)
    with sqlite3.connect(path) as conn:  # a question logged by the version-1 code
        qid = conn.execute(
            "INSERT INTO questions (chat_id, user_id, question, language, abstained, score, answer_article_id) "
            "VALUES (NULL, 1, 'Where?', 'en', 0, 0.5, ?) RETURNING id", (aid,)
        ).fetchone()[0]
    db = await Database.open(path)
    try:
        assert await db.schema_version() == SCHEMA_VERSION
        old = await db.get_question(qid)
        assert old is not None and old.question == "Where?" and old.cited is None
        new = await db.log_question(None, 1, "Where now?", "en", False, 0.5, aid, 1.0, (7, 0, 12))
        assert (await db.get_question(new)).cited == (7, 0, 12)
    finally:
        await db.close()


async def test_a_database_that_cannot_be_opened_leaves_no_worker_thread(tmp_path) -> None:
    """aiosqlite stopped the worker thread of a failed connection without waiting for it; when the command line's
    event loop closed first, the thread printed a traceback on a bad `--db` (a flaky CLI test under load)."""
    before = set(threading.enumerate())
    with pytest.raises(StorageError, match="cannot open the database"):
        await Database.open(tmp_path)  # a directory
    left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    assert [t for t in left if not t.name.startswith("asyncio_")] == []  # (the loop's executor threads stay)
