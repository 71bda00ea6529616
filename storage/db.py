"""The SQLite layer: one database file, one aiosqlite connection.

* WAL journal, `synchronous=NORMAL`, `foreign_keys=ON`, a busy timeout; the schema is versioned with
  `PRAGMA user_version` and brought up to date by `storage.schema.MIGRATIONS` when the file is opened.
  A file whose version is newer than this code knows is refused (`SchemaError`).
* Every public method runs under one asyncio lock, so the statements of two operations never interleave
  on the shared connection. All writes of one logical operation happen in ONE `BEGIN IMMEDIATE` ... `COMMIT`
  transaction, rolled back on any exception (including cancellation): an article is stored with all its
  passages or not at all.
* Streaming readers (`iter_passages`, `export_articles`) page by id and take the lock per page only, so
  writes may land between pages; callers that need exactness reconcile afterwards (e.g. with `passage_ids`).
* `PassageReader` serves the one hot read of a question (`get_passages`) to the engine's worker threads on
  read-only `sqlite3` connections, one per thread, outside the lock (WAL readers do not wait for the writer).
* Ids are AUTOINCREMENT: a deleted article's or passage's id is never reused, so an index that still
  holds a stale passage id can never point at someone else's text.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

from .errors import DuplicateArticle, DuplicateMessage, InvalidArticle, NotFound, SchemaError, StorageError
from .models import ArticleRow, NewArticle, NewPassage, PassageHit, PassageRow, QuestionRow
from .schema import MIGRATIONS, Migration

log = logging.getLogger(__name__)

DEFAULT_BUSY_TIMEOUT_MS = 5000
_EXPORT_BATCH = 200


def utc_now() -> str:
    """Current time as ISO-8601 UTC text with milliseconds, e.g. "2025-05-23T10:15:00.123Z"."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utc_timestamp(value: str) -> str | None:
    """An ISO 8601 date-time in `utc_now`'s form (a time without an offset is taken as UTC), or None when it is
    not one: every stored time has the same form, so they compare as text."""
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


_SQLITE_INT_MIN, _SQLITE_INT_MAX = -(2**63), 2**63 - 1


def _fits(*values: int) -> bool:
    """Whether every id fits SQLite's INTEGER; a larger one (e.g. forged callback data) matches no row."""
    return all(_SQLITE_INT_MIN <= int(v) <= _SQLITE_INT_MAX for v in values)


def _ids_json(ids: Iterable[int]) -> str:
    return json.dumps([int(i) for i in ids])


# --- SQL ---------------------------------------------------------------------------------------------------

_SQL_GET_ARTICLE = """
    SELECT a.id, a.collection_id, c.name, a.title, a.source, a.url, a.published_at, a.language,
           a.content_hash, a.added_by, a.chat_id, a.message_id, a.origin_url, a.public, a.added_at,
           a.updated_at, a.paragraphs, a.body
    FROM articles a JOIN collections c ON c.id = a.collection_id
    WHERE a.id = ?
"""
_SQL_FIND_BY_MESSAGE = """
    SELECT a.id, a.collection_id, c.name, a.title, a.source, a.url, a.published_at, a.language,
           a.content_hash, a.added_by, a.chat_id, a.message_id, a.origin_url, a.public, a.added_at,
           a.updated_at, a.paragraphs
    FROM articles a JOIN collections c ON c.id = a.collection_id
    WHERE a.chat_id = ? AND a.message_id = ?
"""
_SQL_LIST_ARTICLES = """
    SELECT a.id, a.collection_id, c.name, a.title, a.source, a.url, a.published_at, a.language,
           a.content_hash, a.added_by, a.chat_id, a.message_id, a.origin_url, a.public, a.added_at,
           a.updated_at, a.paragraphs
    FROM articles a JOIN collections c ON c.id = a.collection_id
    WHERE a.collection_id IN (SELECT value FROM json_each(?1)) OR (?2 AND a.public = 1)
    ORDER BY a.id DESC LIMIT ?3 OFFSET ?4
"""
_SQL_COUNT_ARTICLES = """
    SELECT COUNT(*) FROM articles a
    WHERE a.collection_id IN (SELECT value FROM json_each(?1)) OR (?2 AND a.public = 1)
"""
# Whether COUNT_ARTICLES would be > 0, each side through its index ("articles_collection", "articles_public") and
# stopping at the first row: the count scanned the whole table (~25 ms at 14k articles) for every refusal.
_SQL_ANY_ARTICLES = """
    SELECT EXISTS (SELECT 1 FROM articles WHERE collection_id IN (SELECT value FROM json_each(?1)))
        OR (?2 AND EXISTS (SELECT 1 FROM articles WHERE public = 1))
"""
_SQL_EXPORT_ARTICLES = """
    SELECT a.id, a.collection_id, c.name, a.title, a.source, a.url, a.published_at, a.language,
           a.content_hash, a.added_by, a.chat_id, a.message_id, a.origin_url, a.public, a.added_at,
           a.updated_at, a.paragraphs, a.body
    FROM articles a JOIN collections c ON c.id = a.collection_id
    WHERE a.id > ?1 AND (?2 IS NULL OR a.collection_id IN (SELECT value FROM json_each(?2)))
    ORDER BY a.id LIMIT ?3
"""
_SQL_INSERT_ARTICLE = """
    INSERT INTO articles (collection_id, title, body, source, url, published_at, language, content_hash,
                          added_by, chat_id, message_id, origin_url, public, paragraphs, added_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (collection_id, content_hash) DO NOTHING
    RETURNING id
"""
_SQL_INSERT_PASSAGE = """
    INSERT INTO passages (article_id, ord, paragraph, start, "end", text, layout) VALUES (?, ?, ?, ?, ?, ?, ?)
"""
_SQL_PASSAGE_ROWS = """
    SELECT p.id, p.article_id, a.collection_id, a.public, p.text, a.language
    FROM passages p JOIN articles a ON a.id = p.article_id
    WHERE p.id > ? ORDER BY p.id LIMIT ?
"""
_SQL_ARTICLE_PASSAGES = """
    SELECT p.id, p.article_id, a.collection_id, a.public, p.text, a.language
    FROM passages p JOIN articles a ON a.id = p.article_id
    WHERE p.article_id = ? ORDER BY p.ord
"""
_SQL_GET_PASSAGES = """
    -- columns in PassageHit's field order (_passage_hit)
    SELECT p.id, p.article_id, p.ord, p.paragraph, p.start, p."end", p.text,
           a.title, a.source, a.url, a.origin_url, a.published_at, a.language, a.collection_id, a.public,
           p.layout
    FROM passages p JOIN articles a ON a.id = p.article_id
    WHERE p.id IN (SELECT value FROM json_each(?))
"""
_SQL_LOG_QUESTIONS = """INSERT INTO questions (chat_id, user_id, question, language, abstained, score,
                                                answer_article_id, latency_ms, created_at, answer_passage_id,
                                                quote_start, quote_end) VALUES """
_SQL_LOG_QUESTION_ROW = "(?, ?, ?, ?, ?, ?, (SELECT id FROM articles WHERE id = ?), ?, ?, ?, ?, ?)"
_QUESTION_BATCH = 100  # rows per INSERT (12 parameters each; SQLite allows 32,766)
_SQL_MARK_UPDATES = "INSERT INTO processed_updates (chat_id, message_id, kind, article_id, created_at) VALUES "
_SQL_MARK_UPDATE_ROW = "(?, ?, ?, (SELECT id FROM articles WHERE id = ?), ?)"
_SQL_MARK_UPDATES_END = " ON CONFLICT (chat_id, message_id, kind) DO NOTHING RETURNING chat_id, message_id, kind"
_MARK_BATCH = 100  # rows per INSERT (5 parameters each)
_SQL_COLLECTIONS_NAMED = "SELECT name, id FROM collections WHERE name IN (SELECT value FROM json_each(?))"
_LOOKUP_BATCH = 500  # collection names per SELECT
_QUESTION_COLUMNS = (
    "id, chat_id, user_id, question, language, abstained, score, answer_article_id, latency_ms, created_at, "
    "answer_passage_id, quote_start, quote_end"
)


def _article_row(r: Sequence[Any], with_body: bool = False) -> ArticleRow:
    return ArticleRow(
        id=r[0],
        collection_id=r[1],
        collection=r[2],
        title=r[3],
        source=r[4],
        url=r[5],
        published_at=r[6],
        language=r[7],
        content_hash=r[8],
        added_by=r[9],
        chat_id=r[10],
        message_id=r[11],
        origin_url=r[12],
        public=bool(r[13]),
        added_at=r[14],
        updated_at=r[15],
        paragraphs=r[16],
        body=r[17] if with_body else None,
    )


def _passage_row(r: Sequence[Any]) -> PassageRow:
    return PassageRow(
        id=r[0], article_id=r[1], collection_id=r[2], public=bool(r[3]), text=r[4], language=r[5]
    )


def _prepare_path(path: str | Path) -> Path:
    p = Path(path).expanduser()
    p.parent.mkdir(parents=True, exist_ok=True)
    return p


def _passage_hit(r: Sequence[Any]) -> PassageHit:
    # _SQL_GET_PASSAGES selects its columns in PassageHit's field order; `public` is stored as 0/1.
    return PassageHit(*r[:14], public=bool(r[14]), layout=r[15])


def _validate(article: NewArticle, passages: Sequence[NewPassage]) -> None:
    n = len(article.body)
    for p in passages:
        if p.end > n:
            raise InvalidArticle(f"passage {p.ord} ends at {p.end}, past the end of the body ({n} chars)")


def _passage_params(article_id: int, passages: Sequence[NewPassage]) -> list[tuple[Any, ...]]:
    return [(article_id, p.ord, p.paragraph, p.start, p.end, p.text, p.layout) for p in passages]


class _Batched:
    """Group commit for one kind of single-statement call: calls made while one batch is on the connection's
    thread wait and go together in the next batch (one statement, one trip to that thread, one turn of the
    lock) instead of one trip each queued on the lock. Under a burst of questions every question's first steps
    (`mark_update`, its chat's collection) are such calls.

    `run(items)` returns one result per item, in order. When a batch of several fails, each of its items is run
    again on its own, so a call fails exactly as it would have alone (a statement that fails stores nothing).
    A caller cancelled before its batch is taken is left out of it (as a call cancelled while waiting for the
    lock); once taken, the batch runs for the others.
    """

    def __init__(self, run: Callable[[list[Any]], Any], max_batch: int) -> None:
        self._run = run
        self._max = max_batch
        self._queue: list[tuple[Any, asyncio.Future[Any]]] = []
        self.task: asyncio.Task[None] | None = None

    async def __call__(self, item: Any) -> Any:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._drain())
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            with contextlib.suppress(ValueError):  # not taken yet: not run at all
                self._queue.remove((item, future))
            raise

    async def _drain(self) -> None:
        while self._queue:
            batch = self._queue[: self._max]
            del self._queue[: len(batch)]
            try:
                await self._settle(batch)
            except BaseException as exc:  # cancelled (closing): the waiting callers are told, not left hanging
                for _, future in batch:
                    if not future.done():
                        future.set_exception(StorageError(repr(exc)))
                raise

    async def _settle(self, batch: list[tuple[Any, asyncio.Future[Any]]]) -> None:
        try:
            results = await self._run([item for item, _ in batch])
        except Exception as exc:
            if len(batch) > 1:  # each on its own: only the call that fails fails
                for one in batch:
                    await self._settle([one])
                return
            results = None
            error = exc
        for i, (_, future) in enumerate(batch):
            if future.done():
                continue
            if results is None:
                future.set_exception(error)
            else:
                future.set_result(results[i])


async def _worker_stopped(conn: aiosqlite.Connection) -> None:
    """Wait for the worker thread of a connection that failed to open. aiosqlite stops it without waiting: when the
    event loop closed first (the command line exiting on a bad `--db`), the thread printed a traceback ("Event
    loop is closed") as it handed back its last result (found as a flaky test under load)."""
    thread = getattr(conn, "_thread", conn)  # newer aiosqlite holds its thread; older versions subclass Thread
    if isinstance(thread, threading.Thread) and thread.is_alive():
        await asyncio.to_thread(thread.join, 5.0)


class Database:
    """The articlebot database. Create with `await Database.open(path)`; `await db.close()` when done."""

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._lock = asyncio.Lock()
        self._collections: dict[str, int] = {}
        self._closed = False
        self._question_queue: list[tuple[tuple[Any, ...], asyncio.Future[int]]] = []
        self._question_writer: asyncio.Task[None] | None = None
        self._mark = _Batched(self._mark_updates, _MARK_BATCH)
        self._lookup = _Batched(self._collections_named, _LOOKUP_BATCH)

    # --- lifecycle -----------------------------------------------------------------------------------------

    @classmethod
    async def open(
        cls,
        path: str | Path,
        *,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
        migrations: Sequence[Migration] = MIGRATIONS,
    ) -> Database:
        """Open (creating the file and its parent directory if needed) and migrate to the latest schema.

        Raises SchemaError when the file's schema version is newer than `len(migrations)`.
        `migrations` is meant for tests only.
        """
        path = await asyncio.to_thread(_prepare_path, path)
        pending = aiosqlite.connect(path, isolation_level=None, timeout=busy_timeout_ms / 1000, cached_statements=256)
        try:
            conn = await pending
        except sqlite3.Error as exc:
            await _worker_stopped(pending)
            raise StorageError(f"cannot open the database {path}: {exc}") from exc
        try:
            await conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            mode = (await conn.execute_fetchall("PRAGMA journal_mode = WAL"))[0][0]
            if str(mode).lower() != "wal":
                log.warning("could not switch %s to WAL mode (journal_mode=%s)", path, mode)
            await conn.execute("PRAGMA synchronous = NORMAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            db = cls(conn, path)
            await db._migrate(migrations)
            await db._check_writable()
        except sqlite3.DatabaseError as exc:  # not a database, read-only, locked for good ...
            await conn.close()
            raise StorageError(f"cannot use the database {path}: {exc}") from exc
        except BaseException:
            await conn.close()
            raise
        return db

    async def close(self) -> None:
        if self._closed:
            return
        for writer in (self._question_writer, self._mark.task, self._lookup.task):
            if writer is not None and not writer.done():  # questions being logged are stored first
                with contextlib.suppress(Exception):
                    await writer
        async with self._lock:
            self._closed = True
            try:
                await self._conn.execute("PRAGMA optimize")
            except sqlite3.Error:  # pragma: no cover - best effort
                log.debug("PRAGMA optimize failed", exc_info=True)
            await self._conn.close()

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _user_version(self) -> int:
        return int((await self._conn.execute_fetchall("PRAGMA user_version"))[0][0])

    async def _migrate(self, migrations: Sequence[Migration]) -> None:
        known = len(migrations)
        while True:
            async with self._transaction():
                version = await self._user_version()
                if version > known:
                    raise SchemaError(
                        f"database {self.path} has schema version {version}, but this version of articlebot "
                        f"only knows versions up to {known}; upgrade articlebot (or use another database file)"
                    )
                if version == known:
                    return
                if version == 0:
                    others = await self._conn.execute_fetchall(
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' LIMIT 3"
                    )
                    if others:  # found in review: another program's database was taken over
                        names = ", ".join(r[0] for r in others)
                        raise SchemaError(
                            f"{self.path} is another program's SQLite database (tables: {names}), not an "
                            "articlebot one; use another database file"
                        )
                log.info("migrating %s from schema version %d to %d", self.path, version, version + 1)
                for statement in migrations[version]:
                    await self._conn.execute(statement)
                await self._conn.execute(f"PRAGMA user_version = {version + 1}")

    async def _check_writable(self) -> None:
        """Fail at start, not at the first message: a database we cannot write (a read-only file or folder)
        would accept the bot's start and then refuse every article and every question's log entry."""
        try:
            async with self._transaction():
                version = await self._user_version()
                await self._conn.execute(f"PRAGMA user_version = {version}")  # a write that changes nothing
        except sqlite3.OperationalError as exc:
            raise StorageError(f"the database {self.path} cannot be written ({exc}): check its permissions") from exc

    async def schema_version(self) -> int:
        async with self._lock:
            return await self._user_version()

    # --- transactions --------------------------------------------------------------------------------------

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE ... COMMIT under the lock; ROLLBACK on any exception, cancellation included."""
        async with self._lock:
            if self._closed:
                raise StorageError("database is closed")
            try:
                # BEGIN inside the try: if we are cancelled while it runs, the worker thread still executes
                # it, so the ROLLBACK below must follow.
                await self._conn.execute("BEGIN IMMEDIATE")
                yield self._conn
                await asyncio.shield(self._conn.execute("COMMIT"))
            except BaseException:
                await self._rollback()
                raise

    async def _rollback(self) -> None:
        # The connection's worker thread runs calls in order, so this ROLLBACK runs after whatever statement
        # was in flight, even when the awaiting task was cancelled.
        try:
            await asyncio.shield(self._conn.execute("ROLLBACK"))
        except sqlite3.OperationalError:  # SQLite already rolled back (e.g. SQLITE_FULL)
            pass

    @asynccontextmanager
    async def _reading(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._lock:
            if self._closed:
                raise StorageError("database is closed")
            yield self._conn

    # --- collections ---------------------------------------------------------------------------------------

    async def collection_id(self, name: str, chat_id: int | None = None, create: bool = True) -> int | None:
        """Id of the collection `name` ("global", "chat:<chat_id>", ...), created when missing and `create`."""
        cached = self._collections.get(name)
        if cached is not None:
            return cached
        found = await self._lookup(name)  # batched with the other lookups in flight
        rows = [(found,)] if found is not None else []
        if not rows:
            if not create:
                return None
            try:
                async with self._transaction() as conn:
                    rows = await conn.execute_fetchall(
                        "INSERT INTO collections (name, chat_id, created_at) VALUES (?, ?, ?) "
                        "ON CONFLICT (name) DO NOTHING RETURNING id",
                        (name, chat_id, utc_now()),
                    )
                    if not rows:
                        rows = await conn.execute_fetchall(
                            "SELECT id FROM collections WHERE name = ?", (name,)
                        )
            except sqlite3.IntegrityError as exc:
                raise StorageError(f"cannot create collection {name!r} for chat {chat_id}: {exc}") from exc
        cid = int(rows[0][0])
        self._collections[name] = cid
        return cid

    async def _collections_named(self, names: list[str]) -> list[int | None]:
        """The ids of collections by name (None for a missing one), in one SELECT (`_lookup`)."""
        async with self._reading() as conn:
            rows = await conn.execute_fetchall(_SQL_COLLECTIONS_NAMED, (json.dumps(names),))
        ids = {r[0]: int(r[1]) for r in rows}
        return [ids.get(name) for name in names]

    # --- articles ------------------------------------------------------------------------------------------

    async def move_chat(self, old_chat: int, new_chat: int) -> tuple[int | None, list[int]]:
        """Give a chat's collection to the chat it became (Telegram upgrades a group to a supergroup under a new
        id). Returns (the collection that now serves `new_chat`, or None when `old_chat` had none; the articles
        that changed collection — none when the collection was simply renamed, the usual case). When the new
        chat already has a collection, the old one's articles move into it, except content it already holds."""
        try:
            async with self._transaction() as conn:
                old = await conn.execute_fetchall("SELECT id FROM collections WHERE chat_id = ?", (old_chat,))
                if not old:
                    return None, []
                old_cid = int(old[0][0])
                new = await conn.execute_fetchall("SELECT id FROM collections WHERE chat_id = ?", (new_chat,))
                await conn.execute(
                    "UPDATE OR IGNORE settings SET chat_id = ? WHERE chat_id = ?", (new_chat, old_chat)
                )
                if not new:
                    await conn.execute(
                        "UPDATE collections SET name = ?, chat_id = ? WHERE id = ?",
                        (f"chat:{new_chat}", new_chat, old_cid),
                    )
                    return old_cid, []
                new_cid = int(new[0][0])
                moved = await conn.execute_fetchall(
                    "UPDATE articles SET collection_id = ? WHERE collection_id = ? AND content_hash NOT IN "
                    "(SELECT content_hash FROM articles WHERE collection_id = ?) RETURNING id",
                    (new_cid, old_cid, new_cid),
                )
                return new_cid, sorted(int(r[0]) for r in moved)
        finally:
            self._collections.pop(f"chat:{old_chat}", None)
            self._collections.pop(f"chat:{new_chat}", None)

    async def count_articles(self, collection_id: int) -> int:
        async with self._reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT count(*) FROM articles WHERE collection_id = ?", (collection_id,)
            )
        return int(rows[0][0])

    async def _insert_one(self, article: NewArticle, passages: Sequence[NewPassage], now: str) -> int:
        """Insert inside the caller's transaction; raises DuplicateArticle / DuplicateMessage / InvalidArticle."""
        _validate(article, passages)
        conn = self._conn
        params = (
            article.collection_id,
            article.title,
            article.body,
            article.source,
            article.url,
            article.published_at,
            article.language,
            article.content_hash,
            article.added_by,
            article.chat_id,
            article.message_id,
            article.origin_url,
            int(bool(article.public)),
            article.paragraphs or len({p.paragraph for p in passages}),
            article.added_at or now,
            now,
        )
        try:
            rows = await conn.execute_fetchall(_SQL_INSERT_ARTICLE, params)
        except sqlite3.IntegrityError as exc:
            if article.chat_id is not None and article.message_id is not None:
                found = await conn.execute_fetchall(
                    "SELECT id FROM articles WHERE chat_id = ? AND message_id = ?",
                    (article.chat_id, article.message_id),
                )
                if found:
                    raise DuplicateMessage(int(found[0][0])) from exc
            raise InvalidArticle(f"article rejected: {exc}") from exc
        if not rows:
            found = await conn.execute_fetchall(
                "SELECT id FROM articles WHERE collection_id = ? AND content_hash = ?",
                (article.collection_id, article.content_hash),
            )
            raise DuplicateArticle(int(found[0][0]))
        article_id = int(rows[0][0])
        if passages:
            try:
                await conn.executemany(_SQL_INSERT_PASSAGE, _passage_params(article_id, passages))
            except sqlite3.IntegrityError as exc:
                raise InvalidArticle(f"passage rejected: {exc}") from exc
        return article_id

    async def insert_article(self, article: NewArticle, passages: Sequence[NewPassage]) -> int:
        """Store an article and its passages in one transaction; returns the new article id.

        Raises DuplicateArticle(existing_id) when the collection already holds the same content hash,
        DuplicateMessage(existing_id) when (chat_id, message_id) is already stored, InvalidArticle when a
        constraint is violated. Nothing is written in any of these cases.
        """
        async with self._transaction():
            return await self._insert_one(article, passages, utc_now())

    async def insert_articles(
        self, items: Sequence[tuple[NewArticle, Sequence[NewPassage]]]
    ) -> list[int | StorageError]:
        """Bulk insert in ONE transaction (for imports). One result per item, in order: the new article id,
        or the DuplicateArticle / DuplicateMessage / InvalidArticle that item raised (that item alone is then
        left out, all-or-nothing, via a savepoint). Duplicates within the batch are detected too.
        """
        results: list[int | StorageError] = []
        if not items:
            return results
        now = utc_now()
        async with self._transaction() as conn:
            for article, passages in items:
                await conn.execute("SAVEPOINT bulk_item")
                try:
                    article_id = await self._insert_one(article, passages, now)
                except StorageError as exc:
                    await conn.execute("ROLLBACK TO bulk_item")
                    await conn.execute("RELEASE bulk_item")
                    results.append(exc)
                else:
                    await conn.execute("RELEASE bulk_item")
                    results.append(article_id)
        return results

    async def replace_article(
        self, article_id: int, article: NewArticle, passages: Sequence[NewPassage]
    ) -> list[int]:
        """Give an existing article a new body and passages (an edited message), in one transaction.

        Overwrites title, body, source, url, published_at, language, content_hash, origin_url and the
        passages; keeps collection, added_by, chat_id/message_id, public and added_at (`article`'s values for
        those are ignored). Returns the OLD passage ids, ascending, for the index to drop.
        Raises NotFound, DuplicateArticle (another article of the collection has the new hash), InvalidArticle.
        """
        _validate(article, passages)
        async with self._transaction() as conn:
            rows = await conn.execute_fetchall(
                "SELECT collection_id FROM articles WHERE id = ?", (article_id,)
            )
            if not rows:
                raise NotFound(f"article {article_id} does not exist")
            found = await conn.execute_fetchall(
                "SELECT id FROM articles WHERE collection_id = ? AND content_hash = ? AND id <> ?",
                (rows[0][0], article.content_hash, article_id),
            )
            if found:
                raise DuplicateArticle(int(found[0][0]))
            old = await conn.execute_fetchall(
                "DELETE FROM passages WHERE article_id = ? RETURNING id, text", (article_id,)
            )
            try:
                await conn.execute(
                    """UPDATE articles SET title = ?, body = ?, source = ?, url = ?, published_at = ?,
                           language = ?, content_hash = ?, origin_url = ?, paragraphs = ?, updated_at = ?
                       WHERE id = ?""",
                    (
                        article.title,
                        article.body,
                        article.source,
                        article.url,
                        article.published_at,
                        article.language,
                        article.content_hash,
                        article.origin_url,
                        article.paragraphs or len({p.paragraph for p in passages}),
                        utc_now(),
                        article_id,
                    ),
                )
                if passages:
                    await conn.executemany(_SQL_INSERT_PASSAGE, _passage_params(article_id, passages))
            except sqlite3.IntegrityError as exc:
                raise InvalidArticle(f"replacement rejected: {exc}") from exc
            await self._follow_quotes(conn, article_id, {int(r[0]): r[1] for r in old})
        return sorted(int(r[0]) for r in old)

    @staticmethod
    async def _follow_quotes(conn: aiosqlite.Connection, article_id: int, old_texts: dict[int, str]) -> None:
        """Point the logged answers that quoted the article's old passages at the same words in its new ones, so
        Sources and More still find what an answer showed after the article is edited (found in review: an
        edit elsewhere in the article made Sources say the article was deleted, and More repeat the answer).
        A quote the edit changed keeps pointing at its old passage, which is gone."""
        cited = await conn.execute_fetchall(
            "SELECT id, answer_passage_id, quote_start, quote_end FROM questions "
            "WHERE answer_article_id = ? AND answer_passage_id IS NOT NULL",
            (article_id,),
        )
        if not cited:
            return
        new = await conn.execute_fetchall(
            "SELECT id, text FROM passages WHERE article_id = ? ORDER BY ord", (article_id,)
        )
        moves = []
        for question_id, passage_id, start, end in cited:
            text = old_texts.get(passage_id)
            if text is None or start is None or end is None:
                continue
            quote = text[start:end]
            for new_id, new_text in new:
                at = new_text.find(quote)
                if at >= 0:
                    moves.append((new_id, at, at + len(quote), question_id))
                    break
        await conn.executemany(
            "UPDATE questions SET answer_passage_id = ?, quote_start = ?, quote_end = ? WHERE id = ?", moves
        )

    async def find_by_message(self, chat_id: int, message_id: int) -> ArticleRow | None:
        if not _fits(chat_id, message_id):
            return None
        async with self._reading() as conn:
            rows = await conn.execute_fetchall(_SQL_FIND_BY_MESSAGE, (chat_id, message_id))
        return _article_row(rows[0]) if rows else None

    async def delete_article(self, article_id: int) -> list[int] | None:
        """Delete an article and (by cascade) its passages; returns the removed passage ids, None if absent."""
        if not _fits(article_id):
            return None
        async with self._transaction() as conn:
            removed = await conn.execute_fetchall(
                "DELETE FROM passages WHERE article_id = ? RETURNING id", (article_id,)
            )
            gone = await conn.execute_fetchall(
                "DELETE FROM articles WHERE id = ? RETURNING id", (article_id,)
            )
        if not gone:
            return None
        return sorted(int(r[0]) for r in removed)

    async def get_article(self, article_id: int) -> ArticleRow | None:
        """The article with its body, collection name and paragraph count."""
        if not _fits(article_id):
            return None
        async with self._reading() as conn:
            rows = await conn.execute_fetchall(_SQL_GET_ARTICLE, (article_id,))
        return _article_row(rows[0], with_body=True) if rows else None

    async def list_articles(
        self, collection_ids: Sequence[int], offset: int, limit: int, include_public: bool = True
    ) -> tuple[list[ArticleRow], int]:
        """Articles of `collection_ids` (plus every public one when `include_public`), newest first, without
        bodies; and the total count of matching articles."""
        key = _ids_json(collection_ids)
        pub = int(bool(include_public))
        async with self._reading() as conn:
            rows = await conn.execute_fetchall(
                _SQL_LIST_ARTICLES,
                (key, pub, min(max(0, int(limit)), _SQLITE_INT_MAX), min(max(0, int(offset)), _SQLITE_INT_MAX)),
            )
            total = (await conn.execute_fetchall(_SQL_COUNT_ARTICLES, (key, pub)))[0][0]
        return [_article_row(r) for r in rows], int(total)

    async def has_articles(self, collection_ids: Sequence[int], include_public: bool = True) -> bool:
        """Whether `list_articles` would find any article (its total > 0), without counting them."""
        async with self._reading() as conn:
            rows = await conn.execute_fetchall(
                _SQL_ANY_ARTICLES, (_ids_json(collection_ids), int(bool(include_public)))
            )
        return bool(rows[0][0])

    async def set_public(self, article_id: int, public: bool) -> bool:
        """Publish to (or withdraw from) the global collection; False when the article does not exist."""
        if not _fits(article_id):
            return False
        async with self._transaction() as conn:
            rows = await conn.execute_fetchall(
                "UPDATE articles SET public = ?, updated_at = ? WHERE id = ? RETURNING id",
                (int(bool(public)), utc_now(), article_id),
            )
        return bool(rows)

    async def export_articles(self, collection_ids: Sequence[int] | None = None) -> AsyncIterator[ArticleRow]:
        """Every article (with body) of `collection_ids` (None = all), oldest first, streamed in pages."""
        key = None if collection_ids is None else _ids_json(collection_ids)
        last = 0
        while True:
            async with self._reading() as conn:
                rows = await conn.execute_fetchall(_SQL_EXPORT_ARTICLES, (last, key, _EXPORT_BATCH))
            for r in rows:
                yield _article_row(r, with_body=True)
            if len(rows) < _EXPORT_BATCH:
                return
            last = rows[-1][0]

    # --- passages ------------------------------------------------------------------------------------------

    async def iter_passages(self, batch: int = 5000, after_id: int = 0) -> AsyncIterator[list[PassageRow]]:
        """All passages with id > after_id, ascending, in lists of at most `batch` (for index builds).

        Only one page is in memory at a time; the lock is released between pages.
        """
        batch = max(1, int(batch))
        last = int(after_id)
        while True:
            async with self._reading() as conn:
                rows = await conn.execute_fetchall(_SQL_PASSAGE_ROWS, (last, batch))
            if not rows:
                return
            yield [_passage_row(r) for r in rows]
            if len(rows) < batch:
                return
            last = rows[-1][0]

    async def get_passages(self, ids: Sequence[int]) -> dict[int, PassageHit]:
        """Passages by id with their article's fields; ids that do not exist are simply missing."""
        if not ids:
            return {}
        async with self._reading() as conn:
            rows = await conn.execute_fetchall(_SQL_GET_PASSAGES, (_ids_json(ids),))
        return {r[0]: _passage_hit(r) for r in rows}

    async def match_layouts(self, version: str | None) -> int:
        """Make the stored passage layouts (`retrieval.layout`) those of `version`: when the database's were
        written under another one (or it does not say), all are cleared, in the transaction that records the
        version. Returns how many were cleared."""
        async with self._transaction() as conn:
            rows = await conn.execute_fetchall("SELECT value FROM meta WHERE key = 'layout_version'")
            if (rows[0][0] if rows else None) == version:  # (no version either way: no layouts were stored)
                return 0
            cursor = await conn.execute("UPDATE passages SET layout = NULL WHERE layout IS NOT NULL")
            cleared = max(cursor.rowcount, 0)
            if version is None:
                await conn.execute("DELETE FROM meta WHERE key = 'layout_version'")
            else:
                await conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('layout_version', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (version,),
                )
            return cleared

    async def passages_without_layout(
        self, after_id: int = 0, limit: int = 500
    ) -> list[tuple[int, str, str, str]]:
        """(id, text, its article's language and title) of up to `limit` passages with id > after_id that have no
        stored layout, ascending."""
        async with self._reading() as conn:
            rows = await conn.execute_fetchall(
                """SELECT p.id, p.text, a.language, a.title FROM passages p JOIN articles a ON a.id = p.article_id
                   WHERE p.id > ? AND p.layout IS NULL ORDER BY p.id LIMIT ?""",
                (int(after_id), int(limit)),
            )
        return [(int(r[0]), r[1], r[2], r[3]) for r in rows]

    async def set_layouts(self, layouts: Sequence[tuple[int, bytes | None]]) -> int:
        """Store computed layouts of passages that have none (a passage's text never changes: an edit of its
        article gives it new passages); returns how many were stored."""
        params = [(layout, int(pid)) for pid, layout in layouts if layout is not None]
        if not params:
            return 0
        async with self._transaction() as conn:
            before = conn.total_changes
            await conn.executemany("UPDATE passages SET layout = ? WHERE id = ? AND layout IS NULL", params)
            return conn.total_changes - before

    def passage_reader(self) -> PassageReader | None:
        """A synchronous reader of passages for worker threads (None for an in-memory database)."""
        if str(self.path) in ("", ":memory:") or str(self.path).startswith("file:"):
            return None
        return PassageReader(self.path)

    async def article_passages(self, article_id: int) -> list[PassageRow]:
        """The article's passages in order (e.g. to index a just-inserted article)."""
        async with self._reading() as conn:
            rows = await conn.execute_fetchall(_SQL_ARTICLE_PASSAGES, (article_id,))
        return [_passage_row(r) for r in rows]

    async def passage_ids(self) -> list[int]:
        """All live passage ids, ascending (for index sync)."""
        async with self._reading() as conn:
            cursor = await conn.execute("SELECT id FROM passages ORDER BY id")
            try:
                cursor.row_factory = lambda _cursor, row: row[0]  # type: ignore[assignment]
                return list(await cursor.fetchall())
            finally:
                await cursor.close()

    async def passage_ids_for_articles(self, article_ids: Sequence[int]) -> dict[int, list[int]]:
        """Passage ids of each article, in passage order, in one query (to index a bulk insert).

        Every requested article is a key; an unknown article maps to an empty list.
        """
        out: dict[int, list[int]] = {int(a): [] for a in article_ids}
        if not out:
            return out
        async with self._reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT article_id, id FROM passages WHERE article_id IN (SELECT value FROM json_each(?)) "
                "ORDER BY article_id, ord",
                (_ids_json(out),),
            )
        for article_id, passage_id in rows:
            out[article_id].append(passage_id)
        return out

    async def public_passage_ids(self) -> list[int]:
        """Ids of the passages of published articles, ascending (to reconcile an index snapshot)."""
        async with self._reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT p.id FROM articles a JOIN passages p ON p.article_id = a.id WHERE a.public = 1 "
                "ORDER BY p.id"
            )
        return [int(r[0]) for r in rows]

    # --- questions & feedback ------------------------------------------------------------------------------

    async def log_question(
        self,
        chat_id: int | None,
        user_id: int | None,
        question: str,
        language: str | None,
        abstained: bool,
        score: float,
        answer_article_id: int | None,
        latency_ms: float | None,
        cited: tuple[int, int, int] | None = None,
    ) -> int:
        """Record an asked question; returns its id (Telegram buttons refer to it).

        An `answer_article_id` that no longer exists is stored as NULL rather than failing the log. `cited`:
        (passage id, start, end) of the shown extract inside that passage, for the Sources / More buttons.
        Group commit: questions logged while a write is in flight are stored together afterwards, in one
        multi-row INSERT (one statement = one transaction, one trip to the connection's thread), instead of
        one BEGIN/INSERT/COMMIT each queued on the lock.
        """
        row = (
            chat_id,
            user_id,
            question,
            language,
            int(bool(abstained)),
            float(score),
            answer_article_id,
            None if latency_ms is None else float(latency_ms),
            utc_now(),
            *(cited if cited is not None else (None, None, None)),
        )
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._question_queue.append((row, future))
        if self._question_writer is None or self._question_writer.done():
            self._question_writer = asyncio.create_task(self._write_questions())
        return await asyncio.shield(future)  # a cancelled asker does not cancel the others' write

    async def _write_questions(self) -> None:
        while self._question_queue:
            batch = self._question_queue[:_QUESTION_BATCH]
            del self._question_queue[: len(batch)]
            try:
                sql = _SQL_LOG_QUESTIONS + ", ".join([_SQL_LOG_QUESTION_ROW] * len(batch)) + " RETURNING id"
                params = [v for row, _ in batch for v in row]
                async with self._reading() as conn:  # the lock; a single statement commits by itself
                    rows = await conn.execute_fetchall(sql, params)
                # AUTOINCREMENT ids are handed out in VALUES order within the statement (RETURNING's
                # order is not guaranteed; the ids' order is)
                ids = sorted(int(r[0]) for r in rows)
                if len(ids) != len(batch):
                    raise StorageError(f"logged {len(ids)} of {len(batch)} questions")
            except BaseException as exc:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc if isinstance(exc, Exception) else StorageError(repr(exc)))
                if not isinstance(exc, Exception):
                    raise
                continue
            for (_, future), qid in zip(batch, ids, strict=True):
                if not future.done():
                    future.set_result(qid)

    async def get_question(self, question_id: int) -> QuestionRow | None:
        if not _fits(question_id):
            return None
        async with self._reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT " + _QUESTION_COLUMNS + " FROM questions WHERE id = ?",  # noqa: S608 - constant columns
                (question_id,),
            )
        if not rows:
            return None
        r = rows[0]
        return QuestionRow(
            id=r[0],
            chat_id=r[1],
            user_id=r[2],
            question=r[3],
            language=r[4],
            abstained=bool(r[5]),
            score=r[6],
            answer_article_id=r[7],
            latency_ms=r[8],
            created_at=r[9],
            cited=(r[10], r[11], r[12]) if r[10] is not None else None,
        )

    async def record_feedback(self, question_id: int, user_id: int, vote: int) -> None:
        """A user's vote (+1 / -1) on an answer; a second vote by the same user replaces the first.

        Raises ValueError for another vote value, NotFound when the question does not exist.
        """
        if vote not in (1, -1):
            raise ValueError(f"vote must be +1 or -1, got {vote!r}")
        try:
            async with self._transaction() as conn:
                await conn.execute(
                    """INSERT INTO feedback (question_id, user_id, vote, created_at) VALUES (?, ?, ?, ?)
                       ON CONFLICT (question_id, user_id)
                       DO UPDATE SET vote = excluded.vote, created_at = excluded.created_at""",
                    (question_id, user_id, int(vote), utc_now()),
                )
        except sqlite3.IntegrityError as exc:
            raise NotFound(f"question {question_id} does not exist") from exc

    async def get_feedback(self, question_id: int) -> dict[int, int]:
        """{user_id: vote} for one question."""
        async with self._reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT user_id, vote FROM feedback WHERE question_id = ?", (question_id,)
            )
        return {int(r[0]): int(r[1]) for r in rows}

    # --- idempotency, meta, settings -----------------------------------------------------------------------

    async def mark_update(self, chat_id: int, message_id: int, kind: str, article_id: int | None) -> bool:
        """Remember that a Telegram update was handled; False when it already was (nothing changes then).

        One statement, so it commits by itself: one trip to the connection's thread (not BEGIN/INSERT/COMMIT)
        while holding the lock, which every question's first step queues on; marks made while one is in flight
        are stored together afterwards, in one multi-row INSERT (`_Batched`).
        """
        return await self._mark((chat_id, message_id, kind, article_id, utc_now()))

    async def _mark_updates(self, rows: list[tuple[int, int, str, int | None, str]]) -> list[bool]:
        """`mark_update` for several messages in one statement: True for each row inserted; of the same message
        twice in one batch only the first (rows are inserted in VALUES order, as one after the other)."""
        sql = _SQL_MARK_UPDATES + ", ".join([_SQL_MARK_UPDATE_ROW] * len(rows)) + _SQL_MARK_UPDATES_END
        async with self._reading() as conn:  # the lock; a single statement commits by itself
            inserted = {tuple(r) for r in await conn.execute_fetchall(sql, [v for row in rows for v in row])}
        out = []
        for row in rows:
            key = row[:3]
            out.append(key in inserted)
            inserted.discard(key)
        return out

    async def data_version(self) -> int:
        """SQLite's `PRAGMA data_version` on this connection: it changes when another connection (another
        process: the CLI, a second bot) commits, and never for this one's own writes."""
        async with self._reading() as conn:
            rows = await conn.execute_fetchall("PRAGMA data_version")
        return int(rows[0][0])

    async def index_fingerprint(self) -> tuple[int, ...]:
        """What an index of this database depends on, cheaply: passage count and highest id (any add, delete
        or edit changes one of them) and the published articles' count and id sum."""
        async with self._reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT (SELECT count(*) FROM passages), (SELECT coalesce(max(id), 0) FROM passages), "
                "(SELECT count(*) FROM articles WHERE public = 1), "
                "(SELECT coalesce(sum(id), 0) FROM articles WHERE public = 1)"
            )
        return tuple(int(v) for v in rows[0])

    async def rehash_headlined(self, article_hash: Callable[[str, str], str]) -> int:
        """Recompute the duplicate-check hash of the articles whose text starts with their title line, in one
        transaction; a hash another article of the same collection already has is left as it was (both stay).
        Returns how many changed."""
        async with self._transaction() as conn:
            rows = await conn.execute_fetchall(
                "SELECT id, title, body, content_hash FROM articles "
                "WHERE title != '' AND substr(body, 1, length(title) + 1) = title || char(10)"
            )
            changed = 0
            for article_id, title, body, old in rows:
                new = article_hash(title, body)
                if new != old:
                    cur = await conn.execute(
                        "UPDATE OR IGNORE articles SET content_hash = ? WHERE id = ?", (new, article_id)
                    )
                    changed += cur.rowcount
        return changed

    async def get_meta(self, key: str) -> str | None:
        async with self._reading() as conn:
            rows = await conn.execute_fetchall("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    async def set_meta(self, key: str, value: str | None) -> None:
        """Set (or, with None, delete) a meta value."""
        async with self._transaction() as conn:
            if value is None:
                await conn.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                await conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, str(value)),
                )

    async def get_settings(self, chat_id: int) -> dict[str, str]:
        async with self._reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT key, value FROM settings WHERE chat_id = ?", (chat_id,)
            )
        return {r[0]: r[1] for r in rows}

    async def set_setting(self, chat_id: int, key: str, value: str | None) -> None:
        """Set (or, with None, delete) one per-chat setting."""
        async with self._transaction() as conn:
            if value is None:
                await conn.execute("DELETE FROM settings WHERE chat_id = ? AND key = ?", (chat_id, key))
            else:
                await conn.execute(
                    "INSERT INTO settings (chat_id, key, value) VALUES (?, ?, ?) "
                    "ON CONFLICT (chat_id, key) DO UPDATE SET value = excluded.value",
                    (chat_id, key, str(value)),
                )

    # --- maintenance ---------------------------------------------------------------------------------------

    async def stats(self) -> dict[str, int]:
        """Counts for /stats: articles, passages, collections, public_articles, questions, abstained,
        feedback_up, feedback_down, db_size_bytes (main file + WAL), schema_version."""
        async with self._reading() as conn:
            r = (
                await conn.execute_fetchall(
                    """SELECT (SELECT COUNT(*) FROM articles),
                              (SELECT COUNT(*) FROM passages),
                              (SELECT COUNT(*) FROM collections),
                              (SELECT COUNT(*) FROM articles WHERE public = 1),
                              (SELECT COUNT(*) FROM questions),
                              (SELECT COUNT(*) FROM questions WHERE abstained = 1),
                              (SELECT COUNT(*) FROM feedback WHERE vote = 1),
                              (SELECT COUNT(*) FROM feedback WHERE vote = -1)"""
                )
            )[0]
            version = await self._user_version()
        size = 0
        for suffix in ("", "-wal"):
            try:
                size += os.stat(f"{self.path}{suffix}").st_size
            except OSError:
                pass
        return {
            "articles": r[0],
            "passages": r[1],
            "collections": r[2],
            "public_articles": r[3],
            "questions": r[4],
            "abstained": r[5],
            "feedback_up": r[6],
            "feedback_down": r[7],
            "db_size_bytes": size,
            "schema_version": version,
        }

    async def integrity_check(self) -> str:
        """The result of PRAGMA integrity_check: "ok", or the problems found, one per line."""
        async with self._reading() as conn:
            rows = await conn.execute_fetchall("PRAGMA integrity_check")
        return "\n".join(str(r[0]) for r in rows)

    async def backup(self, dest: str | Path) -> Path:
        """Copy the database to `dest` with SQLite's online backup API while the bot keeps running.

        The copy is a consistent snapshot of committed data, taken on a separate connection in a worker
        thread (WAL readers do not block writers, and this connection stays free). It is written to a
        temporary file beside `dest` and renamed into place, so `dest` is never half-written; the result is
        a self-contained rollback-journal database file. Returns the file written (a dated name in a folder).
        """
        return await asyncio.to_thread(_backup, self.path, dest)


def _backup(src_path: Path, dest: str | Path) -> Path:
    folder = str(dest).endswith(("/", os.sep))  # "backups/": a folder, even one that does not exist yet
    dest = Path(dest).expanduser()
    if folder or dest.is_dir():  # a folder: a dated file in it, as the README's cron line names them
        dest = dest / f"{src_path.stem}-{time.strftime('%Y-%m-%d-%H%M%S')}.sqlite3"
    if dest.resolve() == src_path.resolve():
        raise StorageError("backup destination is the database itself")
    if Path(f"{dest}-wal").exists():
        raise StorageError(f"{dest} seems to be open by another program ({dest.name}-wal exists)")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex}.tmp")
    try:
        src = sqlite3.connect(src_path, timeout=DEFAULT_BUSY_TIMEOUT_MS / 1000)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)  # one step (pages=-1): a single read transaction, i.e. a snapshot
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except BaseException:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            leftover.unlink(missing_ok=True)
        raise
    return dest


class PassageReader:
    """`Database.get_passages` for the engine's worker threads, synchronously, on read-only connections.

    Why: a question's search, passage fetch and extraction then run in one hop to a worker thread instead of
    three (worker -> the aiosqlite thread -> worker, each crossing the event loop), and a burst of questions
    no longer queues its reads behind the one shared connection's lock. One `sqlite3` connection per thread
    (opened `mode=ro` on first use): in WAL mode readers never block the writer nor wait for it, and each
    statement reads the latest committed state, so an article is readable the moment its transaction commits.
    """

    def __init__(self, path: str | Path, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> None:
        self.path = Path(path).resolve()  # now: later connections must not follow a change of directory
        self._timeout = busy_timeout_ms / 1000
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        self._closed = False

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            with self._guard:
                if self._closed:
                    raise StorageError("database is closed")
                conn = sqlite3.connect(
                    f"{self.path.as_uri()}?mode=ro",
                    uri=True,
                    timeout=self._timeout,
                    isolation_level=None,
                    check_same_thread=False,  # used by its own thread only; closed by `close` after the pool
                    cached_statements=16,
                )
                self._conns.append(conn)
            self._local.conn = conn
        return conn

    def get_passages(self, ids: Sequence[int]) -> dict[int, PassageHit]:
        """Passages by id with their article's fields; ids that do not exist are simply missing."""
        if not ids:
            return {}
        if self._closed:
            raise StorageError("database is closed")
        rows = self._conn().execute(_SQL_GET_PASSAGES, (_ids_json(ids),)).fetchall()
        return {r[0]: _passage_hit(r) for r in rows}

    def get_article_body(self, article_id: int) -> str | None:
        """One article's whole text (the question path's consistency check reads it), or None."""
        if self._closed:
            raise StorageError("database is closed")
        row = self._conn().execute("SELECT body FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        """Close every thread's connection; call once the threads that read are done."""
        with self._guard:
            self._closed = True
            conns, self._conns = self._conns, []
        for conn in conns:
            conn.close()
