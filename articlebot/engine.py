"""The one engine behind both the Telegram bot and the `articlebot` command line.

It owns the SQLite database (storage/) and the in-memory BM25 index (retrieval/). SQLite is the source of truth:
an article is committed in one transaction first and added to the index after, so a crash in between only
means the index is rebuilt from the database at the next start. CPU-heavy work (tokenising, scoring, answer
extraction) runs in a small thread pool so the event loop stays free.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import math
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from articlebot.answer_process import AnswerProcess
from articlebot.build_workers import BuildTokenizer, Part
from articlebot.documents import text_date, without_site_prompts
from articlebot.models import (
    AddResult,
    Answer,
    ArticleIn,
    ArticleInfo,
    Citation,
    QuestionError,
    Scope,
)
from articlebot.settings import Settings
from retrieval.acronyms import acronym_search_text, asked_acronym, long_forms, title_long_forms
from retrieval.answer import DEFAULT_MIN_SCORE, Extract, PassageCandidate, abbreviated_query, extract_answers
from retrieval.chunking import chunk_body, paragraph_at, paragraph_spans
from retrieval.colloquial import formal_question
from retrieval.consistency import contradiction, question_name_slots
from retrieval.index import BM25Index
from retrieval.layout import LAYOUT_VERSION, encode_layout
from retrieval.spelling import corrections, may_write_out, written_out
from retrieval.text import (
    SUPPORTED_LANGUAGES,
    TOKENIZER_VERSION,
    analyze,
    analyze_query,
    article_hash,
    detect_language,
    has_language_evidence,
    normalize_document,
    split_compounds,
)
from storage import Database, DuplicateArticle, DuplicateMessage, StorageError, utc_now
from storage.models import NewArticle, NewPassage, PassageHit, QuestionRow

log = logging.getLogger(__name__)

RETRIEVE_K = 8  # passages handed to the answer extractor
CONTENT_HASH_VERSION = "2-without-headline"  # retrieval.text.article_hash; older hashes are recomputed at open
ACRONYM_POOL = 64  # passages searched for the one that spells out an asked acronym
MAX_QUESTION_WORDS = 150
TITLE_WORDS = 12
Progress = Callable[[int, int], Awaitable[None]]

# Index snapshots: `<database>.index.npz` (BM25Index.save) + a manifest in the database's `meta` table.
SNAPSHOT_SUFFIX = ".index.npz"
SNAPSHOT_META_KEY = "index_snapshot"
SNAPSHOT_FORMAT = 1
SNAPSHOT_CHECK_SECONDS = 15.0  # how often the background task looks at the change count
EXTERNAL_CHECK_SECONDS = 2.0  # how often a running engine looks for other processes' writes (one PRAGMA)
SNAPSHOT_MIN_CHANGES = 50_000  # passages added + removed that make a snapshot worth writing ...
SNAPSHOT_CHANGE_FRACTION = 0.10  # ... or this fraction of the index, whichever is larger
SNAPSHOT_MIN_INTERVAL_SECONDS = 60.0  # at most one change-count snapshot a minute (bulk imports)
SNAPSHOT_MAX_AGE_SECONDS = 600.0  # a few changes are snapshotted after this long
_BUILD_PAGE = 5000  # passages per SQLite page / tokenising task when (re)building
_BUILD_ADD_BATCH = 25_000  # passages per BM25Index.add_many call when (re)building
_LAYOUT_PAGE = 500  # passages per page when storing missing layouts (~35 ms of a worker thread each)


@dataclass
class _Prepared:
    """An article after the CPU-bound work: normalised, chunked, hashed, tokenised."""

    article: NewArticle
    passages: list[NewPassage]
    terms: list[list[str]]


_URL_IN_TITLE = re.compile(r"\s*\b(?:https?://|www\.)\S+")


_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\((?:https?://|www\.)[^)\s]*\)")
_BRACKETED_URL = re.compile(r"\s*\((?:https?://|www\.)[^)\s]*\)")


def _without_links(line: str) -> str:
    """A line with its links left out: "[text](url)" keeps its text, "(url)" and bare URLs go (found in review:
    titles kept a stray "(" where a link had been)."""
    return _URL_IN_TITLE.sub("", _BRACKETED_URL.sub("", _MARKDOWN_LINK.sub(r"\1", line)))


def derive_title(text: str) -> str:
    """A title for an article that came without one: its first line, links left out (a forwarded headline with
    its link on the same line), cut to a dozen words."""
    lines = (_without_links(line).strip() for line in text.splitlines())
    first = next((line for line in lines if line), "")
    words = first.split()
    title = " ".join(words[:TITLE_WORDS])
    return title + ("…" if len(words) > TITLE_WORDS else "")


# A news dateline opening a paragraph: "IDXChannel — …", "JAKARTA, KOMPAS.com - …", "BERLIN (Reuters) – …",
# "LONDON, June 3 (Reuters) - …", "Jakarta, Kompas - …".
_DATELINE_RE = re.compile(
    r"^(?P<line>[A-Z][\w.&]*(?:[ ,]+\(?[A-Z0-9][\w.&]*\)?){0,4})\s+[—–-]{1,2}\s+\S", re.MULTILINE
)
# Words a dateline names that are no outlet: weekdays and months ("Medan, Selasa -", "LONDON, June 3 -").
_NOT_OUTLETS = frozenset(
    "senin selasa rabu kamis jumat sabtu minggu monday tuesday wednesday thursday friday saturday sunday "
    "montag dienstag mittwoch donnerstag freitag samstag sonntag lunes martes miércoles jueves viernes sábado "
    "domingo januari februari maret april mei juni juli agustus september oktober november desember january "
    "february march may june july august october december jan feb mar apr jun jul aug sep sept oct nov dec "
    "update breaking".split()
)


def dateline_source(body: str) -> str | None:
    """The outlet named in a dateline within the first few lines of a news text, if any.

    Only what a dateline writes as an outlet: in brackets ("(Reuters)"), with a domain ("KOMPAS.com",
    "TEMPO.CO"), with a capital inside ("IDXChannel", "detikNews"), or after the place ("Jakarta, Kompas -").
    Found in review: "Jakarta - …", "Medan, Selasa - …" and "Presiden Joko Widodo - yang akrab …" credited a
    city, a weekday and a person as the source."""
    head = "\n".join(body.splitlines()[:4])
    m = _DATELINE_RE.search(head)
    if not m:
        return None
    line = m.group("line")
    bracketed = re.search(r"\(([A-Za-z][\w.&]*)\)", line)
    if bracketed:
        outlet = bracketed.group(1)
        return None if outlet.casefold() in _NOT_OUTLETS else outlet
    parts = [p.strip() for p in line.split(",") if p.strip()]
    words = [p for p in parts if " " not in p and p.casefold() not in _NOT_OUTLETS and not p[:1].isdigit()]
    for part in words:  # "TEMPO.CO, Jakarta", "JAKARTA, KOMPAS.com", "IDXChannel"
        if "." in part.strip(".") or (any(c.isupper() for c in part[1:]) and not part.isupper()):
            return part
    # "Jakarta, Kompas": a word after the place, not in capitals like a city. Not after a city in capitals, as
    # wire datelines write a region there ("BIRMINGHAM, England -"), nor an abbreviation ("Portland, Ore. -"):
    # found in an English user's review, "Calif." and "England" were cited as sources.
    last = parts[-1]
    if len(parts) < 2 or last not in words or last.isupper() or last.endswith(".") or parts[0].isupper():
        return None
    return last


# Under this many words the declared language is trusted over detection (too little text to tell).
DECLARED_LANGUAGE_MAX_WORDS = 25


def article_language(declared: str | None, body: str) -> str:
    """The language an article is indexed in: detected from its text. A declared one (`<html lang>`, a JSONL
    "language", in any case or with a region: "ID", "en-US") only decides for a text too short to detect, since
    a wrong declaration (a site template's lang="en" on Indonesian news) would make the article unfindable."""
    code = (declared or "").strip().lower().replace("_", "-").split("-")[0]
    code = code if code in SUPPORTED_LANGUAGES else ""
    detected = detect_language(body[:4000])
    if code and (detected == "und" or len(body.split()) < DECLARED_LANGUAGE_MAX_WORDS):
        return code
    return detected


def one_line(value: str | None) -> str:
    """A title, source or link as one printable line: control and format characters (a terminal escape in an
    imported "source", a newline in a title) become spaces, runs of spaces one."""
    text = normalize_document(value or "")
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split())


_SENTENCE_ENDS = ".!?…:;\"”’')»"


def cut_ends(text: str, start: int, end: int) -> tuple[bool, bool]:
    """Whether text[start:end] begins / stops inside a sentence (the splitter cuts a very long one): the bot
    marks such an end with "…" (found in review: a cut quote began mid-sentence, in lower case, unmarked)."""
    before = text[:start].rstrip(" \t")
    starts_mid = bool(before) and not before.endswith("\n") and before[-1] not in _SENTENCE_ENDS
    quote = text[start:end].rstrip()
    after = text[end:].lstrip(" \t")
    ends_mid = bool(after) and not after.startswith("\n") and bool(quote) and quote[-1] not in _SENTENCE_ENDS
    return starts_mid, ends_mid


def web_link(value: str | None) -> str | None:
    """An article's link: an http(s) URL with a host, or None when none is given. Raises ValueError for anything
    else (found in review: "not a url" was stored as "notaurl", and "javascript:alert(1)" as given)."""
    text = one_line(value).replace(" ", "")  # a link wrapped over two lines
    if not text:
        return None
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"the url is not an http(s) link: {text[:80]!r}")
    return text


def prepare_article(item: ArticleIn, collection_id: int, max_bytes: int) -> _Prepared:
    """Normalise, validate, chunk and tokenise one article (pure CPU work; runs in a worker thread).

    Raises ValueError with a one-line reason when the article cannot be stored.
    """
    raw = item.text or ""
    for value in (raw, item.title, item.source, item.url, item.published_at):
        try:
            (value or "").encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("the text is not valid Unicode (an unpaired surrogate)") from None
    size = len(raw.encode("utf-8"))
    if size > max_bytes:
        raise ValueError(f"too large ({size:,} bytes; limit {max_bytes:,})")
    body = without_site_prompts(normalize_document(raw))
    if not body.strip():
        raise ValueError("the text is empty")
    title = one_line(item.title) or derive_title(body)
    language = article_language(item.language, body)
    chunks = chunk_body(body)
    if not chunks:
        raise ValueError("no words in the text")
    passages = [
        NewPassage(
            ord=i, paragraph=c.paragraph, start=c.start, end=c.end, text=text,
            layout=encode_layout(text, language, title[:500]),
        )
        for i, c in enumerate(chunks)
        for text in (body[c.start : c.end],)
    ]
    terms = [analyze(p.text, language) for p in passages]
    if not any(terms):
        raise ValueError("no searchable words in the text")
    article = NewArticle(
        collection_id=collection_id,
        title=title[:500],
        body=body,
        source=(one_line(item.source) or dateline_source(body)),
        url=web_link(item.url),
        published_at=item.published_at or text_date(body),
        language=language,
        content_hash=article_hash(title[:500], body),
        added_by=item.added_by,
        chat_id=item.chat_id,
        message_id=item.message_id,
        origin_url=item.origin_url,
        paragraphs=_paragraphs(passages),
        added_at=item.added_at,
    )
    return _Prepared(article, passages, terms)


@dataclass
class _SnapshotState:
    """Bookkeeping for the index snapshot of one engine."""

    path: Path | None  # None: no snapshots (in-memory database)
    trusted: BM25Index | None = None  # the last complete index of the database (built or loaded)
    index: BM25Index | None = None  # the index object the last snapshot was taken of (or loaded from)
    npos: int = 0  # its positions / removed positions at that moment (changes since = growth of both)
    dead: int = 0
    at: float = 0.0  # time.monotonic() of that snapshot
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    task: asyncio.Task | None = None

    def mark(self, index: BM25Index, manifest: dict) -> None:
        self.index = index
        self.npos = int(manifest["npos"])
        self.dead = int(manifest["npos"]) - int(manifest["passages"])
        self.at = time.monotonic()


def _snapshot_path(db_path: Path | str) -> Path | None:
    text = str(db_path)
    if not text or text == ":memory:" or text.startswith("file:"):
        return None
    return Path(text + SNAPSHOT_SUFFIX)


def _ids_checksum(sorted_keys: np.ndarray) -> str:
    return hashlib.blake2b(np.ascontiguousarray(sorted_keys, dtype="<i8").tobytes(), digest_size=16).hexdigest()


def _write_snapshot(index: BM25Index, path: Path) -> dict:
    """Save atomically, then describe exactly what was written (read back from the file, not the live index)."""
    index.save(path)
    with np.load(path, allow_pickle=False) as z:
        keys = z["keys"]
        alive = z["alive"]
    live = np.sort(keys[alive])
    return {
        "format": SNAPSHOT_FORMAT,
        "tokenizer": TOKENIZER_VERSION,
        "file": path.name,
        "passages": int(live.size),
        "max_id": int(live[-1]) if live.size else 0,
        "checksum": _ids_checksum(live),
        "npos": int(keys.size),
        "written_at": utc_now(),
    }


def _prepare_chunk(items: Sequence[ArticleIn], collection_id: int, max_bytes: int) -> list[_Prepared | str]:
    """`prepare_article` for each item, or its rejection reason (runs in a worker process or thread)."""
    out: list[_Prepared | str] = []
    for item in items:
        try:
            out.append(prepare_article(item, collection_id, max_bytes))
        except ValueError as exc:
            out.append(str(exc))
    return out


def _add_parts(index: BM25Index, parts: Sequence[Part]) -> None:
    keys: list[int] = []
    terms: list[list[str]] = []
    groups: list[int] = []
    publics: list[bool] = []
    for k, t, g, p in parts:
        keys += k
        terms += t
        groups += g
        publics += p
    index.add_many(keys, terms, groups, publics)


def _add_hits(index: BM25Index, rows: Sequence[PassageHit]) -> None:
    index.add_many(
        [r.id for r in rows],
        [analyze(r.text, r.language) for r in rows],
        [r.collection_id for r in rows],
        [bool(r.public) for r in rows],
    )


def _public_keys(index: BM25Index) -> np.ndarray:
    """Keys of live public passages, ascending (BM25Index has no public accessor for the flags)."""
    with index._lock:
        n = index._npos
        mask = index._alive[:n] & index._public[:n]
        return np.sort(index._keys[:n][mask])


class Engine:
    """Articles in, cited answers out. Create with `await Engine.open(settings)`; close with `await close()`."""

    def __init__(self, settings: Settings, db: Database, index: BM25Index, pool: ThreadPoolExecutor) -> None:
        self.settings = settings
        self.db = db
        self.index = index
        self._pool = pool
        self._reader = db.passage_reader()
        self._collections: dict[str, int] = {}
        self._write_lock = asyncio.Lock()
        self._reindex_lock = asyncio.Lock()
        self._rebuild_log: list[tuple[str, object]] | None = None
        self.index_build_seconds = 0.0
        self._data_version: int | None = None  # PRAGMA data_version when the index last matched the database
        self._external_task: asyncio.Task[None] | None = None
        self._fingerprint: tuple[int, ...] | None = None  # Database.index_fingerprint at that moment
        self._layout_task: asyncio.Task[None] | None = None
        self._layout_lock = asyncio.Lock()
        self._answer_process: AnswerProcess | None = None
        self.min_score = settings.min_answer_score if settings.min_answer_score is not None else DEFAULT_MIN_SCORE

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    async def open(cls, settings: Settings, *, build_index: bool = True, answer_process: bool = False) -> Engine:
        """Open (creating if needed) the database and its index, off the event loop.

        The index comes from the snapshot beside the database (`<db>.index.npz`) when it is usable, reconciled
        with SQLite (passages added or deleted after the snapshot, published flags), so it answers exactly
        what the database holds even after a crash; otherwise it is rebuilt from SQLite (logged).
        `answer_process` (the bot, `ANSWER_PROCESS`): questions are answered in a second process
        (`articlebot.answer_process`) once it has loaded its copy of the index; until then in the threads.
        """
        db = await Database.open(settings.database_path)
        try:
            cleared = await db.match_layouts(LAYOUT_VERSION)
        except BaseException:
            await db.close()
            raise
        if cleared:
            log.info("%d passage layouts were stored by another version of the word and sentence rules: cleared, "
                     "to be computed again", cleared)
        pool = ThreadPoolExecutor(max_workers=settings.answer_workers, thread_name_prefix="articlebot")
        engine = cls(settings, db, BM25Index(), pool)
        engine._snap = _SnapshotState(path=_snapshot_path(db.path))
        if build_index:
            try:
                engine.index = await engine._open_index()
                stored = await db.get_meta("tokenizer_version")
                if stored != TOKENIZER_VERSION:
                    await db.set_meta("tokenizer_version", TOKENIZER_VERSION)
                if await db.get_meta("content_hash_version") != CONTENT_HASH_VERSION:
                    changed = await db.rehash_headlined(article_hash)
                    await db.set_meta("content_hash_version", CONTENT_HASH_VERSION)
                    if changed:
                        log.info("duplicate check: %d article(s) with their headline in the text re-hashed", changed)
            except BaseException:
                await db.close()
                pool.shutdown(wait=False, cancel_futures=True)
                raise
            engine._start_snapshotter()
            engine._data_version = await db.data_version()
            engine._fingerprint = await db.index_fingerprint()
            engine._external_task = asyncio.get_running_loop().create_task(
                engine._external_changes_loop(), name="external-changes"
            )
            if LAYOUT_VERSION is not None:
                engine._layout_task = asyncio.get_running_loop().create_task(
                    engine._fill_layouts_in_background(), name="passage-layouts"
                )
        # Load the language model now, in a worker: its first load is one long GIL-holding call (~1 s) that
        # would otherwise stall the event loop under the first question.
        await engine._run(detect_language, "warm up the language identifier")
        if answer_process and build_index and engine._reader is not None:
            if engine._snapshot_changes() is None:  # rebuilt: the process loads the snapshot instead of rebuilding
                await engine._save_snapshot()
            engine._answer_process = AnswerProcess(settings)
            engine._answer_process.start(engine.index)
        return engine

    @classmethod
    async def open_replica(cls, settings: Settings) -> Engine:
        """The engine of the answer process (`articlebot.answer_process`): the index loaded as `open` loads it,
        then only `_answers_in_worker`. It writes nothing (no snapshot, layouts or metadata) and keeps no
        connection but the synchronous read-only reader."""
        db = await Database.open(settings.database_path)
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="articlebot-replica")
        engine = cls(settings, db, BM25Index(), pool)
        try:
            engine._snap = _SnapshotState(path=_snapshot_path(db.path))
            engine.index = await engine._open_index()
            detect_language("warm up the language identifier")
        finally:
            engine._snap = _SnapshotState(path=None)
            await db.close()
            pool.shutdown(wait=True)
        return engine

    async def close(self) -> None:
        """Write the index snapshot (when it changed since the last one), then close the database."""
        if self._answer_process is not None:
            await asyncio.to_thread(self._answer_process.close)
            self._answer_process = None
        for name in ("_external_task", "_layout_task"):
            task = getattr(self, name, None)
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                setattr(self, name, None)
        snap: _SnapshotState | None = getattr(self, "_snap", None)
        if snap is not None and snap.task is not None:
            snap.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await snap.task
            snap.task = None
        if snap is not None and not self.db._closed and self._snapshot_changes() != 0:
            try:
                await self._save_snapshot()
            except Exception:  # the database is the source of truth: the next start reconciles or rebuilds
                log.exception("could not write the index snapshot %s", snap.path)
        await self.db.close()
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._reader is not None:
            self._reader.close()

    async def __aenter__(self) -> Engine:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _run(self, fn: Callable[..., object], *args: object, **kwargs: object):
        """Run CPU-bound work in the engine's thread pool."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, partial(fn, *args, **kwargs))

    async def _build_index(self, progress: Progress | None = None) -> BM25Index:
        """Build a fresh index from every passage in the database.

        Pipelined: while workers tokenise pages of passages (in processes, one per core, see `BuildTokenizer`),
        the next page is read from SQLite; token lists are added to the index in large batches (fewer segments
        and merges than one add per page), in passage order.
        """
        started = time.perf_counter()
        index = BM25Index()
        total = (await self.db.stats())["passages"]
        done = 0
        buf: list[Part] = []
        buffered = 0
        pending: deque[asyncio.Task[Part]] = deque()
        tokenizer = BuildTokenizer(self.settings.index_processes, self._pool, total)
        # The progress report runs beside the build, never in its way (found in review: a rate-limited Telegram
        # edit held the build up, and /reindex reported 3.00 s for 13 passages); one report at a time.
        reporting: asyncio.Task[None] | None = None

        async def finish_oldest() -> None:
            nonlocal buf, buffered, done, reporting
            part = await pending.popleft()
            buf.append(part)
            buffered += len(part[0])
            done += len(part[0])
            if buffered >= _BUILD_ADD_BATCH:
                parts, buf, buffered = buf, [], 0
                await self._run(_add_parts, index, parts)
            if progress is not None and (reporting is None or reporting.done()):
                reporting = asyncio.ensure_future(progress(done, total))

        try:
            async for batch in self.db.iter_passages(batch=_BUILD_PAGE):
                pending.append(asyncio.ensure_future(tokenizer.analyze(batch)))
                while len(pending) >= tokenizer.in_flight:
                    await finish_oldest()
            while pending:
                await finish_oldest()
            if buf:
                await self._run(_add_parts, index, buf)
        finally:
            for task in pending:
                task.cancel()
            tokenizer.close()
        self.index_build_seconds = time.perf_counter() - started
        if reporting is not None:
            with contextlib.suppress(Exception):
                await reporting
        log.info("index built: %d passages in %.2fs (%s)", len(index), self.index_build_seconds, tokenizer.described)
        snap: _SnapshotState | None = getattr(self, "_snap", None)
        if snap is not None:
            snap.trusted = index  # a complete index of the database: may be snapshotted once in use
        return index

    # ------------------------------------------------------------------ index snapshots
    async def _open_index(self) -> BM25Index:
        """The snapshot reconciled with SQLite, or a full rebuild when there is no usable snapshot."""
        started = time.perf_counter()
        snap = self._snap
        index = await self._load_snapshot()
        if index is None:
            index = await self._build_index()
            snap.index = None  # nothing on disk matches: snapshot soon
            return index
        loaded = time.perf_counter()
        added, removed, flipped = await self._reconcile(index)
        self.index_build_seconds = time.perf_counter() - started
        snap.trusted = index
        log.info(
            "index loaded from snapshot %s: %d passages in %.2fs (+%d new, -%d deleted, %d publish flags "
            "after the snapshot; reconciled in %.2fs)",
            snap.path, len(index), self.index_build_seconds, added, removed, flipped,
            time.perf_counter() - loaded,
        )
        return index

    async def _load_snapshot(self) -> BM25Index | None:
        """The snapshot if it exists and matches its manifest and the tokenizer; None (logged) otherwise."""
        path = self._snap.path
        if path is None:
            return None
        raw = await self.db.get_meta(SNAPSHOT_META_KEY)
        exists = await asyncio.to_thread(path.exists)
        if not exists:
            if raw is not None:
                log.warning("index snapshot %s is missing: rebuilding the index from the database", path)
            return None
        try:
            manifest = json.loads(raw) if raw is not None else None
        except ValueError:
            manifest = None
        if not isinstance(manifest, dict):
            log.warning("index snapshot %s has no valid manifest: rebuilding the index from the database", path)
            return None
        if manifest.get("tokenizer") != TOKENIZER_VERSION or manifest.get("format") != SNAPSHOT_FORMAT:
            log.warning(
                "index snapshot %s was written with tokenizer %r (now %r): rebuilding the index",
                path, manifest.get("tokenizer"), TOKENIZER_VERSION,
            )
            return None
        try:
            index = await self._run(BM25Index.load, path)
            keys, _ = await self._run(index.get_scores, [])
        except Exception as exc:  # corrupt / truncated / foreign file
            log.warning("index snapshot %s is unreadable (%s): rebuilding the index", path, exc)
            return None
        ref = BM25Index()
        if (index.k1, index.b, index.epsilon) != (ref.k1, ref.b, ref.epsilon):
            log.warning("index snapshot %s has other BM25 parameters: rebuilding the index", path)
            return None
        if manifest.get("passages") != int(keys.size) or manifest.get("checksum") != _ids_checksum(keys):
            log.warning(
                "index snapshot %s does not match its manifest (a crash while writing it, or a restored "
                "database): rebuilding the index", path,
            )
            return None
        self._snap.mark(index, manifest)
        return index

    async def _reconcile(self, index: BM25Index) -> tuple[int, int, int]:
        """Make a loaded snapshot equal to the database: (passages added, removed, publish flags fixed)."""
        db_ids = np.asarray(await self.db.passage_ids(), dtype=np.int64)
        keys, _ = await self._run(index.get_scores, [])
        extra = np.setdiff1d(keys, db_ids, assume_unique=True)
        missing = np.setdiff1d(db_ids, keys, assume_unique=True)
        if extra.size:
            await self._run(index.remove_many, extra.tolist())
        for a in range(0, int(missing.size), _BUILD_PAGE):
            ids = missing[a : a + _BUILD_PAGE].tolist()
            rows = await self.db.get_passages(ids)
            await self._run(_add_hits, index, [rows[i] for i in ids if i in rows])
        public_db = np.asarray(await self.db.public_passage_ids(), dtype=np.int64)
        public_idx = await self._run(_public_keys, index)
        flips = [(k, True) for k in np.setdiff1d(public_db, public_idx, assume_unique=True).tolist()]
        flips += [(k, False) for k in np.setdiff1d(public_idx, public_db, assume_unique=True).tolist()]
        for key, public in flips:
            if key in index:
                index.set_public(key, public)
        return int(missing.size), int(extra.size), len(flips)

    async def fill_layouts(self) -> int:
        """Compute and store the layout (`retrieval.layout`) of every passage that has none: those stored before
        layouts were, or under other word and sentence rules. Returns how many were stored. Pages of
        `_LAYOUT_PAGE` passages, each computed in the thread pool (~70 µs a passage), so questions are answered
        in between; until a passage has its layout, extraction finds its words and sentences itself."""
        if LAYOUT_VERSION is None:
            return 0
        stored = 0
        async with self._layout_lock:
            last = 0
            while True:
                rows = await self.db.passages_without_layout(last, _LAYOUT_PAGE)
                if not rows:
                    break
                layouts = await self._run(_encode_layouts, rows)
                stored += await self.db.set_layouts(layouts)
                last = rows[-1][0]
        return stored

    async def _fill_layouts_in_background(self) -> None:
        try:
            started = time.perf_counter()
            stored = await self.fill_layouts()
            if stored:
                log.info("stored the layout of %d passages in %.1fs", stored, time.perf_counter() - started)
        except asyncio.CancelledError:
            raise
        except Exception:  # the layouts only save time: extraction computes what is missing
            log.exception("could not store the passages' layouts")

    async def _external_changes_loop(self) -> None:
        """Background: keep the index equal to the database when another process writes to it."""
        await _every(lambda: EXTERNAL_CHECK_SECONDS, self.sync_external_changes,
                     f"bringing the index up to date with {self.db.path}")

    async def sync_external_changes(self) -> bool:
        """Reconcile the index with the database if another process committed since the last look (the CLI's
        `ingest`, `delete` or `publish` while the bot runs; a second bot on the same file). True if it did.

        Under the write lock, so no write of this process interleaves; skipped while a reindex runs (the next
        look after it catches up, since the version seen is only stored after a reconcile)."""
        if self._rebuild_log is not None or await self.db.data_version() == self._data_version:
            return False
        async with self._write_lock:
            version = await self.db.data_version()
            fingerprint = await self.db.index_fingerprint()
            if fingerprint == self._fingerprint:  # only questions logged, settings, a snapshot manifest ...
                self._data_version = version
                return False
            added, removed, flipped = await self._reconcile(self.index)
            self._data_version, self._fingerprint = version, fingerprint
        if added or removed or flipped:
            log.info("another process changed %s: index +%d -%d passages, %d publish flags",
                     self.db.path, added, removed, flipped)
        return True

    def _snapshot_changes(self) -> int | None:
        """Passages added + removed since the last snapshot; None when the index was never snapshotted."""
        snap: _SnapshotState | None = getattr(self, "_snap", None)
        if snap is None or snap.path is None or snap.trusted is not self.index:
            return 0  # not snapshottable (no file, or not a complete index of the database)
        if snap.index is not self.index:
            return None
        npos = self.index._npos
        return (npos - snap.npos) + ((npos - len(self.index)) - snap.dead)

    def _snapshot_due(self) -> bool:
        changes = self._snapshot_changes()
        if changes is None:
            return True
        if changes == 0:
            return False
        age = time.monotonic() - self._snap.at
        if age >= SNAPSHOT_MAX_AGE_SECONDS:
            return True
        many = max(SNAPSHOT_MIN_CHANGES, int(SNAPSHOT_CHANGE_FRACTION * len(self.index)))
        return changes >= many and age >= SNAPSHOT_MIN_INTERVAL_SECONDS

    async def _save_snapshot(self) -> None:
        """Write the snapshot (atomic file replace) and then its manifest; off the event loop.

        Shielded: a cancelled caller does not leave a half-done save behind; `close` waits for it.
        """
        await asyncio.shield(asyncio.ensure_future(self._save_snapshot_locked()))

    async def _save_snapshot_locked(self) -> None:
        snap = self._snap
        async with snap.lock:
            index = self.index
            if snap.path is None or snap.trusted is not index:
                return
            started = time.perf_counter()
            manifest = await asyncio.to_thread(_write_snapshot, index, snap.path)
            await self.db.set_meta(SNAPSHOT_META_KEY, json.dumps(manifest))
            snap.mark(index, manifest)
            log.info(
                "index snapshot written: %d passages in %.2fs (%s)",
                manifest["passages"], time.perf_counter() - started, snap.path,
            )

    def _start_snapshotter(self) -> None:
        snap = self._snap
        if snap.path is not None and snap.task is None:
            snap.task = asyncio.get_running_loop().create_task(self._snapshot_loop(), name="index-snapshots")

    async def _snapshot_loop(self) -> None:
        """Background: snapshot when many changes accumulated (or a few, long enough ago)."""

        async def step() -> None:
            if self._snapshot_due():
                await self._save_snapshot()

        await _every(lambda: SNAPSHOT_CHECK_SECONDS, step, f"writing the index snapshot {self._snap.path}")

    # ------------------------------------------------------------------ collections / scope
    async def _collection_id(self, name: str, chat_id: int | None = None, create: bool = True) -> int | None:
        """The collection's id (cached); None when it does not exist and `create` is False."""
        cid = self._collections.get(name)
        if cid is None:
            cid = await self.db.collection_id(name, chat_id=chat_id, create=create)
            if cid is not None:
                self._collections[name] = cid
        return cid

    async def _scope_collection(self, scope: Scope) -> int:
        cid = await self._collection_id(scope.collection_name, scope.chat_id if not scope.global_only else None)
        assert cid is not None
        return cid

    async def _visible_groups(self, scope: Scope) -> set[int]:
        """Collections whose articles a scope may see (public articles are visible everywhere too).

        Read-only: a chat that never saved an article has no collection yet and sees the global one, so a
        burst of first questions from new chats writes nothing.
        """
        groups = {await self._collection_id("global")}
        if not scope.global_only:
            own = await self._collection_id(scope.collection_name, scope.chat_id, create=False)
            if own is not None:
                groups.add(own)
        return groups

    async def _visible(self, article_collection: int, public: bool, scope: Scope) -> bool:
        return public or article_collection in await self._visible_groups(scope)

    # ------------------------------------------------------------------ adding
    def _index_add(self, keys: Sequence[int], terms: Sequence[list[str]], group: int, public: bool) -> None:
        self.index.add_many(list(keys), list(terms), [group] * len(keys), [public] * len(keys))
        if self._rebuild_log is not None:
            self._rebuild_log.append(("add", (list(keys), list(terms), group, public)))

    def _index_remove(self, keys: Sequence[int]) -> None:
        self.index.remove_many(keys)
        if self._rebuild_log is not None:
            self._rebuild_log.append(("remove", list(keys)))

    async def add_article(self, item: ArticleIn, scope: Scope, *, only_update: bool = False) -> AddResult:
        """Store one article (one transaction) and make it searchable at once.

        A message seen before (same chat and message id) is a duplicate when unchanged and an update when
        edited, so a re-delivered Telegram update never creates a second article. With `only_update` (an edited
        message) nothing is added when no article of that message exists any more: "gone" (it was deleted).
        """
        collection_id = await self._scope_collection(scope)
        try:
            prepared: _Prepared = await self._run(
                prepare_article, item, collection_id, self.settings.max_article_bytes
            )
        except ValueError as exc:
            return AddResult("rejected", reason=str(exc))
        art = prepared.article
        async with self._write_lock:
            if item.chat_id is not None and item.message_id is not None:
                existing = await self.db.find_by_message(item.chat_id, item.message_id)
                if existing is not None:
                    if existing.content_hash == art.content_hash:
                        return AddResult("duplicate", existing.id, existing.title, existing.paragraphs)
                    try:
                        old_ids = await self.db.replace_article(existing.id, art, prepared.passages)
                    except (DuplicateArticle, DuplicateMessage) as dup:
                        return await self._duplicate(dup.existing_id)
                    new_rows = await self.db.article_passages(existing.id)
                    self._index_remove(old_ids)
                    self._index_add([r.id for r in new_rows], prepared.terms, collection_id, bool(existing.public))
                    return AddResult("updated", existing.id, art.title, _paragraphs(prepared.passages))
            if only_update:
                return AddResult("gone", reason="no article of this message (deleted?)")
            try:
                article_id = await self.db.insert_article(art, prepared.passages)
            except (DuplicateArticle, DuplicateMessage) as dup:
                return await self._duplicate(dup.existing_id)
            except StorageError as exc:
                return AddResult("rejected", reason=str(exc))
            rows = await self.db.article_passages(article_id)
            self._index_add([r.id for r in rows], prepared.terms, collection_id, False)
        return AddResult("added", article_id, art.title, _paragraphs(prepared.passages))

    async def _duplicate(self, article_id: int) -> AddResult:
        row = await self.db.get_article(article_id)
        return AddResult("duplicate", article_id, row.title if row else None, row.paragraphs if row else 0)

    async def add_many(self, items: Sequence[ArticleIn], scope: Scope) -> list[AddResult]:
        """Bulk import (CLI `ingest`): many articles per transaction, each still all-or-nothing.

        Batch-efficient: tokenising runs in the thread pool, the articles go to SQLite in
        one transaction, their passage ids come back in one query, and the index gets one `add_many` (in the
        thread pool, off the event loop).  Tokenising stays in the threads here: an import arrives in chunks of a
        few hundred articles, too small to pay for worker processes (the full rebuild uses them, `BuildTokenizer`).
        """
        collection_id = await self._scope_collection(scope)
        prepared = await self._run(_prepare_chunk, list(items), collection_id, self.settings.max_article_bytes)
        return await self._store_prepared(prepared, collection_id)

    async def _store_prepared(self, prepared: Sequence[_Prepared | str], collection_id: int) -> list[AddResult]:
        """One transaction for a chunk of prepared articles, then one index update for the ones added."""
        results: list[AddResult | None] = [None] * len(prepared)
        good = [(i, p) for i, p in enumerate(prepared) if isinstance(p, _Prepared)]
        for i, p in enumerate(prepared):
            if isinstance(p, str):
                results[i] = AddResult("rejected", reason=p)
        if good:
            async with self._write_lock:
                outcomes = await self.db.insert_articles([(p.article, p.passages) for _, p in good])
                added: list[tuple[int, _Prepared]] = []
                for (i, p), outcome in zip(good, outcomes, strict=True):
                    if isinstance(outcome, DuplicateArticle | DuplicateMessage):
                        results[i] = await self._duplicate(outcome.existing_id)
                    elif isinstance(outcome, StorageError):
                        results[i] = AddResult("rejected", reason=str(outcome))
                    else:
                        results[i] = AddResult("added", outcome, p.article.title, _paragraphs(p.passages))
                        added.append((outcome, p))
                if added:
                    ids = await self.db.passage_ids_for_articles([a for a, _ in added])
                    keys: list[int] = []
                    terms: list[list[str]] = []
                    for article_id, p in added:
                        pids = ids[article_id]
                        if len(pids) != len(p.terms):  # cannot happen: inserted in this transaction, in order
                            raise StorageError(f"article {article_id}: {len(pids)} passages stored, "
                                               f"{len(p.terms)} prepared")
                        keys += pids
                        terms += p.terms
                    await self._run(self._index_add, keys, terms, collection_id, False)
        return [r if r is not None else AddResult("rejected", reason="unknown") for r in results]

    def _prepare_many(self, items: Sequence[ArticleIn], collection_id: int) -> list[_Prepared | str]:
        out: list[_Prepared | str] = []
        for item in items:
            try:
                out.append(prepare_article(item, collection_id, self.settings.max_article_bytes))
            except ValueError as exc:
                out.append(str(exc))
        return out

    # ------------------------------------------------------------------ asking
    def check_question(self, question: str) -> str:
        """The question, stripped; QuestionError with a clear message when we will not search for it."""
        q = normalize_document(question or "").strip()
        if not q:
            raise QuestionError("The question is empty. Ask something about the saved articles.", "empty")
        try:
            q.encode("utf-8")
        except UnicodeEncodeError:  # undecodable bytes from a terminal or a pipe (surrogate escapes)
            raise QuestionError("The question is not valid text (it has bytes that are not UTF-8).") from None
        words, limit = len(q.split()), self.settings.max_question_chars
        if words > MAX_QUESTION_WORDS:
            raise QuestionError(
                f"The question is too long ({words} words). Please ask in at most {MAX_QUESTION_WORDS} words.",
                "too_many_words",
                count=words,
                limit=MAX_QUESTION_WORDS,
            )
        if len(q) > limit:
            raise QuestionError(
                f"The question is too long ({len(q)} characters). Please ask in at most {limit} characters.",
                "too_many_chars",
                count=len(q),
                limit=limit,
            )
        return q

    async def _candidates(
        self, question: str, scope: Scope, k: int = RETRIEVE_K, *, fixed: dict[str, str] | None = None
    ):
        """Retrieve the top passages for a question within the scope, with their stored rows."""
        groups = await self._visible_groups(scope)
        if self._reader is not None:
            return await self._run(self._candidates_in_worker, question, groups, k, fixed)
        acronym = asked_acronym(question)
        lang, q_terms, hits = await self._run(self._search, question, groups, ACRONYM_POOL if acronym else k, fixed)
        rows = await self.db.get_passages([key for key, _ in hits]) if hits else {}
        shorter = abbreviated_query(q_terms, (r.text for r in rows.values()), lang if lang != "und" else None) if rows else None
        if shorter is not None:  # as in `_candidates_in_worker`
            more = await self._run(self.index.search, shorter, k, groups)
            hits = _best_of(hits, _rescaled(more, hits), len(hits))
            rows |= await self.db.get_passages([key for key, _ in hits if key not in rows])
        return (lang, q_terms, *_spelling_out(acronym, hits, rows, k))

    def _candidates_in_worker(self, question: str, groups: set[int], k: int, fixed: dict[str, str] | None = None):
        """`_candidates` in one worker thread: the search, then the rows through the synchronous reader.

        For a question about what an acronym stands for, the passages that spell it out: the acronym alone is
        the query, and among the many passages that use "BPS" the one that defines it need not score best."""
        acronym = asked_acronym(question)
        lang, q_terms, hits = self._search(question, groups, ACRONYM_POOL if acronym else k, fixed)
        rows = self._reader.get_passages([key for key, _ in hits]) if hits else {}  # type: ignore[union-attr]
        shorter = abbreviated_query(q_terms, (r.text for r in rows.values()), lang if lang != "und" else None) if rows else None
        if shorter is not None:  # "… balai taman nasional gunung rinjani": the passages that write "BTNGR" too
            hits = _best_of(hits, _rescaled(self.index.search(shorter, k=k, groups=groups), hits), len(hits))
            rows |= self._reader.get_passages([key for key, _ in hits if key not in rows])  # type: ignore[union-attr]
        return (lang, q_terms, *_spelling_out(acronym, hits, rows, k))

    def _answers_in_worker(self, question: str, groups: set[int], n: int):
        """Search, fetch and extract in one hop to a worker (measured: 100k p50 -0.25 ms against three hops)."""
        question = written_out(question, self.index.idf)  # "kalak bpbd kab …" as "kepala pelaksana bpbd kabupaten …"
        lang, q_terms, hits, rows = self._candidates_in_worker(question, groups, RETRIEVE_K)
        extracts = self._extract(question, lang, q_terms, hits, rows, n) if hits else []
        fixed = self._slips(question, lang) if not extracts or extracts[0].score < self.min_score else None
        if fixed:
            lang, q_terms, hits, rows = self._candidates_in_worker(question, groups, RETRIEVE_K, fixed)
            extracts = self._extract(question, lang, q_terms, hits, rows, n) if hits else []
        assert self._reader is not None
        # (Answering instead from the best extract of an article that names the place was tried: it was a
        # weaker sentence of that article, often a wrong one, in 5 of 6 cases of the English review.)
        extracts = self._consistent(
            question, lang, extracts, hits, rows, self._reader.get_article_body,
            lambda word: self._written_as_name(word, lang, groups),
        )
        return lang, hits, rows, extracts

    def _written_as_name(self, word: str, lang: str, groups: set[int]) -> bool:
        """Whether the articles the chat may see write this lowercase question word as a name, capitalised
        inside sentences and never in lower case ("texas", "seattle"; not "total", "march"): only then is it a
        name the cited article must have (found in an English user's review: "how many lost power in texas"
        was answered from the Hokkaido earthquake)."""
        terms = analyze_query(word, lang if lang != "und" else None)
        if not terms or self._reader is None:
            return False
        hits = self.index.search(terms, k=3, groups=groups)
        rows = self._reader.get_passages([key for key, _ in hits])
        pattern = re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)
        capitalised = 0
        for row in rows.values():
            for m in pattern.finditer(row.text):
                if row.text[: m.start()].rstrip()[-1:] in ("", ".", "!", "?", "\n", '"', "“"):
                    continue  # a sentence's first word is capitalised whatever it is
                if m.group(0)[0].islower():
                    return False
                capitalised += 1
        return capitalised > 0

    def _slips(self, question: str, lang: str) -> dict[str, str]:
        """Typing slips of a question that would be refused, read as the words meant (`retrieval.spelling`):
        asked only then, so a slip never changes an answer found without it, and an answered question pays
        nothing for it (it cost 0.37 ms a question at 100k passages when every question paid)."""
        return corrections(
            question, lang if lang != "und" else None, self.index.idf, len(self.index), self.index.known_idfs
        )

    def _consistent(
        self,
        question: str,
        lang: str,
        extracts: list[Extract],
        hits,
        rows,
        body_of: Callable[[int], str | None],
        written_as_name: Callable[[str], bool] | None = None,
    ) -> list[Extract]:
        """The extracts, or none (a refusal) when the best one's article contradicts a name of the question
        (retrieval.consistency: "Siapa Wali Kota Batam?" is not answered from the article on Surabaya's mayor)."""
        if not extracts or extracts[0].score < self.min_score:
            return extracts
        row = rows[hits[extracts[0].passage][0]]
        passage = row.text.casefold()
        named = None
        if written_as_name is not None:  # asked only of a word the cited passage lacks (a search and a fetch)
            named = lambda word: word.casefold() not in passage and written_as_name(word)  # noqa: E731
        slots = question_name_slots(question, lang if lang != "und" else None, named)
        if not slots:
            return extracts
        if all(s.name in passage for s in slots):  # the usual case: no need to read the whole article
            return extracts
        body = body_of(row.article_id)
        if body is not None and contradiction(slots, body, lang if lang != "und" else None) is not None:
            return []
        return extracts

    def _search(self, question: str, groups: set[int], k: int, fixed: dict[str, str] | None = None):
        lang = detect_language(question)
        text = acronym_search_text(question)
        q_terms = analyze_query(text, lang if lang != "und" else None)
        if lang != "und" and not has_language_evidence(question):
            lang, q_terms = self._known_reading(text, lang, q_terms)
        if fixed:  # typing slips read as the words meant (`_slips`)
            q_terms = [fixed.get(t, t) for t in q_terms]
        q_terms = split_compounds(q_terms, lang, lambda term: self.index.idf(term) > 0.0)
        hits = self.index.search(q_terms, k=k, groups=groups) if q_terms else []
        written = title_long_forms(text)
        if written is not None:  # "ceo": the passages that write "chief executive" too (best score of the two)
            more = self.index.search(analyze_query(written, lang if lang != "und" else None), k=k, groups=groups)
            hits = _best_of(hits, more, k)
        return lang, q_terms, hits

    def _known_reading(self, text: str, lang: str, q_terms: list[str]) -> tuple[str, list[str]]:
        """A question without a function word ("Dimas Prasetyo?", "jokowi?") in the language whose terms the index
        knows best: its letters alone are a guess (found in review: "Dimas Prasetyo?" read as English searched
        "dim prasety" and was refused). Ties keep the detected language."""
        best = (sum(self.index.idf(t) > 0.0 for t in q_terms), lang, q_terms)
        for other in SUPPORTED_LANGUAGES:
            if other != lang:
                terms = analyze_query(text, other)
                known = sum(self.index.idf(t) > 0.0 for t in terms)
                if known > best[0]:
                    best = (known, other, terms)
        return best[1], best[2]

    def _extract(self, question, lang, q_terms, hits, rows, n) -> list[Extract]:
        cands = [
            PassageCandidate(row.text, score, row.language, row.title, row.layout, row.ord)
            for key, score in hits
            for row in (rows[key],)
        ]
        return extract_answers(
            question, q_terms, cands, self.index.idf, lang=lang if lang != "und" else None, n=n, n_docs=len(self.index)
        )

    def _to_answer(self, question: str, lang: str, extract: Extract | None, hits, rows) -> Answer:
        if extract is None or extract.score < self.min_score:
            score = extract.score if extract else 0.0
            return Answer(question, None, "", True, score, [], language=lang)
        key = hits[extract.passage][0]
        row = rows[key]
        sentence = row.text[extract.start : extract.end]
        a_start = a_end = None
        answer = None
        if extract.answer_start is not None and extract.answer_end is not None:
            a_start, a_end = extract.answer_start - extract.start, extract.answer_end - extract.start
            answer = sentence[a_start:a_end]
        citations = [self._citation(row, sentence, extract.start)]
        return Answer(
            question, answer, sentence, False, extract.score, citations, a_start, a_end, language=lang,
            cited=(key, extract.start, extract.end), cut=cut_ends(row.text, extract.start, extract.end),
        )

    @staticmethod
    def _citation(row, quote: str, start: int) -> Citation:
        """A citation of `quote`, which starts at `start` of the passage `row`."""
        return Citation(
            article_id=row.article_id,
            title=row.title,
            source=row.source,
            url=row.url or row.origin_url,
            paragraph=paragraph_at(row.text, start, row.paragraph),
            quote=quote,
            published_at=row.published_at,
        )

    async def _answers(self, question: str, scope: Scope, n: int):
        """Answers to `question` as asked; it is searched and answered in its written form (`formal_question`:
        "kapan sih …" as "kapan …")."""
        asked = formal_question(question)
        if self._reader is not None:
            groups = await self._visible_groups(scope)
            found = None
            if self._answer_process is not None:
                found = await self._answer_process.answers(asked, groups, n, self.min_score)
            if found is None:
                found = await self._run(self._answers_in_worker, asked, groups, n)
            lang, hits, rows, extracts = found
        else:
            if may_write_out(asked):
                asked = await self._run(written_out, asked, self.index.idf)
            lang, q_terms, hits, rows = await self._candidates(asked, scope)
            extracts = await self._run(self._extract, asked, lang, q_terms, hits, rows, n) if hits else []
            fixed = self._slips(asked, lang) if not extracts or extracts[0].score < self.min_score else None
            if fixed:
                lang, q_terms, hits, rows = await self._candidates(asked, scope, fixed=fixed)
                extracts = await self._run(self._extract, asked, lang, q_terms, hits, rows, n) if hits else []
            if extracts and extracts[0].score >= self.min_score and question_name_slots(asked, lang):
                top = await self.db.get_article(rows[hits[extracts[0].passage][0]].article_id)
                bodies = {top.id: top.body} if top is not None else {}
                extracts = self._consistent(asked, lang, extracts, hits, rows, bodies.get)
        answers: list[Answer] = []
        shown: set[str] = set()
        for e in extracts:
            answer = self._to_answer(question, lang, e, hits, rows)
            if not answer.abstained and answer.sentence in shown:
                continue  # the same text stored twice (global and a chat's collection): one answer, not two
            shown.add(answer.sentence)
            answers.append(answer)
        if not answers:
            answers = [self._to_answer(question, lang, None, hits, rows)]
        ranked_articles: list[int] = []
        for key, _ in hits:
            aid = rows[key].article_id
            if aid not in ranked_articles:
                ranked_articles.append(aid)
        return answers, ranked_articles

    async def ask(
        self, question: str, scope: Scope, *, user_id: int | None = None, prefer_article: int | None = None
    ) -> Answer:
        """Answer a question from the articles the scope may see, or abstain. Logged for /stats and buttons.

        `prefer_article`: an article the question came with (a link sent with it): its best answer among the
        extracts of the top passages is given when it has one, else the best overall (found in review: "brp harga
        tiketnya? <link>" was answered from another article's ticket price)."""
        q = self.check_question(question)
        started = time.perf_counter()
        answers, _ = await self._answers(q, scope, RETRIEVE_K if prefer_article is not None else 1)
        best = next(
            (a for a in answers if not a.abstained and a.citations and a.citations[0].article_id == prefer_article),
            answers[0],
        )
        latency = (time.perf_counter() - started) * 1000
        best.answer_id = await self.db.log_question(
            scope.chat_id,
            user_id,
            q,
            best.language,
            best.abstained,
            best.score,
            best.citations[0].article_id if best.citations else None,
            latency,
            best.cited,
        )
        return best

    async def ask_detailed(self, question: str, scope: Scope, n: int = 1) -> tuple[list[Answer], list[int]]:
        """Answers plus the ranked article ids retrieval found (for `eval`); not logged."""
        return await self._answers(self.check_question(question), scope, n)

    async def _logged(self, answer_id: int, scope: Scope) -> QuestionRow | None:
        row = await self.db.get_question(answer_id)
        if row is None or row.chat_id != scope.chat_id:
            return None
        return row

    async def asked(self, answer_id: int, scope: Scope) -> str | None:
        """The question a logged answer of this chat answered (None for a foreign or unknown id)."""
        row = await self._logged(answer_id, scope)
        return row.question if row is not None else None

    async def more(self, answer_id: int, scope: Scope, n: int = 3) -> list[Answer] | None:
        """The next best answers besides the one given, for the More button; None for a foreign or unknown id.
        The question is asked again (articles added since count), without the extract the answer showed."""
        logged = await self._logged(answer_id, scope)
        if logged is None:
            return None
        answers, _ = await self._answers(logged.question, scope, n + 1)
        if logged.cited is None:  # logged before citations were kept (or a refusal): the first was the answer
            return [a for a in answers[1:] if not a.abstained][:n]
        return [a for a in answers if not a.abstained and a.cited != logged.cited][:n]

    async def sources(self, answer_id: int, scope: Scope) -> list[tuple[Citation, str]] | None:
        """The passage the answer cited, in full, for the Sources button (empty when its article has been
        deleted since); None for a foreign or unknown id. Found in review: asking the question again showed
        passages the answer never cited, and after a delete another article as the source of its number."""
        logged = await self._logged(answer_id, scope)
        if logged is None:
            return None
        if logged.cited is not None:
            passage_id, start, end = logged.cited
            rows = await self.db.get_passages([passage_id])
            row = rows.get(passage_id)
            return [] if row is None else [(self._citation(row, row.text[start:end], start), row.text)]
        question = formal_question(logged.question)
        lang, q_terms, hits, rows = await self._candidates(question, scope)
        extracts = await self._run(self._extract, question, lang, q_terms, hits, rows, 3) if hits else []
        out: list[tuple[Citation, str]] = []
        shown: set[int] = set()
        for e in extracts:
            key = hits[e.passage][0]
            if e.score < self.min_score or key in shown:
                continue
            shown.add(key)
            row = rows[key]
            out.append((self._citation(row, row.text[e.start : e.end], e.start), row.text))
        return out

    async def feedback(self, answer_id: int, scope: Scope, user_id: int, vote: int) -> bool:
        if vote not in (1, -1) or await self.asked(answer_id, scope) is None:
            return False
        await self.db.record_feedback(answer_id, user_id, vote)
        return True

    # ------------------------------------------------------------------ managing
    async def _info(self, row, with_text: bool = False) -> ArticleInfo:
        return ArticleInfo(
            id=row.id,
            title=row.title,
            source=row.source,
            url=row.url or row.origin_url,
            published_at=row.published_at,
            language=row.language,
            collection=row.collection,
            published=bool(row.public),
            paragraphs=row.paragraphs,
            added_at=row.added_at,
            text=row.body if with_text else None,
        )

    async def _visible_row(self, article_id: int, scope: Scope):
        row = await self.db.get_article(article_id)
        if row is None or not await self._visible(row.collection_id, bool(row.public), scope):
            return None
        return row

    async def _owned_row(self, article_id: int, scope: Scope):
        """The article if it belongs to the scope's own collection: only its owner may delete or (un)publish it."""
        row = await self.db.get_article(article_id)
        if row is None or scope.global_only or row.collection_id != await self._scope_collection(scope):
            return None
        return row

    async def get(self, article_id: int, scope: Scope, *, owned: bool = False) -> ArticleInfo | None:
        """The article with its text if the scope may see it (owned=True: only if it is the scope's own)."""
        row = await (self._owned_row if owned else self._visible_row)(article_id, scope)
        return await self._info(row, with_text=True) if row else None

    async def list(self, scope: Scope, offset: int = 0, limit: int = 10) -> tuple[list[ArticleInfo], int]:
        groups = sorted(await self._visible_groups(scope))
        rows, total = await self.db.list_articles(groups, offset=max(0, offset), limit=max(1, limit))
        return [await self._info(r) for r in rows], total

    async def has_articles(self, scope: Scope) -> bool:
        """Whether `list(scope)` would show any article (a refusal tells an empty chat how to add some)."""
        return await self.db.has_articles(sorted(await self._visible_groups(scope)))

    async def delete(self, article_id: int, scope: Scope) -> ArticleInfo | None:
        """Delete an article of the scope's own collection; it stops answering at once."""
        async with self._write_lock:
            row = await self._owned_row(article_id, scope)
            if row is None:
                return None
            removed = await self.db.delete_article(article_id)
            if removed:
                self._index_remove(removed)
        return await self._info(row)

    async def move_chat(self, old_chat: int, new_chat: int) -> int:
        """A group became a supergroup (a new chat id): its articles answer there from now on. Returns how many
        articles the new chat gained (0 when the old chat had none; idempotent: Telegram tells both chats)."""
        async with self._write_lock:
            cid, moved = await self.db.move_chat(old_chat, new_chat)
            self._collections.pop(f"chat:{old_chat}", None)
            self._collections.pop(f"chat:{new_chat}", None)
            if cid is None:
                return 0
            if not moved:  # renamed: same collection id, so the index is already right
                return await self.db.count_articles(cid)
            for article_id in moved:  # merged into the new chat's collection: re-file its passages
                rows = await self.db.article_passages(article_id)
                terms = await self._run(lambda rows=rows: [analyze(r.text, r.language) for r in rows])
                self._index_remove([r.id for r in rows])
                for public in (False, True):
                    part = [(r, t) for r, t in zip(rows, terms, strict=True) if r.public is public]
                    if part:
                        self._index_add([r.id for r, _ in part], [t for _, t in part], cid, public)
            return len(moved)

    async def publish(self, article_id: int, scope: Scope, public: bool = True) -> ArticleInfo | None:
        """Show (or stop showing) an article to every chat and inline mode."""
        async with self._write_lock:
            row = await self._owned_row(article_id, scope)
            if row is None:
                return None
            await self.db.set_public(article_id, public)
            for p in await self.db.article_passages(article_id):
                if p.id in self.index:  # the CLI's manage commands open the engine without an index
                    self.index.set_public(p.id, public)
                if self._rebuild_log is not None:
                    self._rebuild_log.append(("public", (p.id, public)))
        row = await self.db.get_article(article_id)
        return await self._info(row)

    async def export_rows(self, scope: Scope | None) -> list[dict[str, object]]:
        """Articles as dicts that `ingest --jsonl` reads back without loss: the scope's own collection (not what it
        only sees: the global collection, other chats' published articles), or every collection (None)."""
        groups: list[int] | None = None
        if scope is not None:
            own = await self._collection_id(scope.collection_name, scope.chat_id, create=False)
            groups = [own] if own is not None else []
        out = []
        async for row in self.db.export_articles(groups):
            out.append(
                {
                    "id": row.id,
                    "title": row.title,
                    "text": row.body,
                    "url": row.url,
                    "source": row.source,
                    "published_at": row.published_at,
                    "language": row.language,
                    "origin_url": row.origin_url,
                    "collection": row.collection,
                    "public": bool(row.public),
                    "added_at": row.added_at,
                }
            )
        return out

    async def export(self, scope: Scope | None) -> bytes:
        rows = await self.export_rows(scope)
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")

    async def stats(self) -> dict[str, object]:
        import psutil

        db_stats = await self.db.stats()
        idx = self.index.stats()
        questions = int(db_stats.get("questions", 0))
        abstained = int(db_stats.get("abstained", 0))
        return {
            **db_stats,
            "index_docs": idx.get("docs", len(self.index)),
            "index_terms": idx.get("terms", 0),
            "index_bytes": idx.get("approx_bytes", 0),
            "index_build_seconds": round(self.index_build_seconds, 3),
            "rss_bytes": psutil.Process().memory_info().rss,
            "refusal_rate": round(abstained / questions, 4) if questions else 0.0,
        }

    async def reindex(self, progress: Progress | None = None) -> dict[str, object]:
        """Rebuild the index from SQLite aside and swap it in; questions are answered throughout."""
        async with self._reindex_lock:  # a second /reindex waits for the first instead of sharing its log
            return await self._reindex(progress)

    async def _reindex(self, progress: Progress | None) -> dict[str, object]:
        self._rebuild_log = []
        try:
            fresh = await self._build_index(progress)
            async with self._write_lock:
                for op, payload in self._rebuild_log:
                    if op == "add":
                        keys, terms, group, public = payload  # type: ignore[misc]
                        fresh.add_many(keys, terms, [group] * len(keys), [public] * len(keys))
                    elif op == "remove":
                        fresh.remove_many(payload)  # type: ignore[arg-type]
                    else:
                        key, public = payload  # type: ignore[misc]
                        if key in fresh:
                            fresh.set_public(key, public)
                self.index = fresh
                self._rebuild_log = None
                if self._answer_process is not None:  # its copy is of the old index: a new process, a new copy
                    self._answer_process.start(fresh)
        finally:
            self._rebuild_log = None
        await self.db.set_meta("tokenizer_version", TOKENIZER_VERSION)
        await self.fill_layouts()  # the passages' word and sentence spans, where missing
        if getattr(self, "_snap", None) is not None:
            await self._save_snapshot()  # the next start loads the fresh index instead of rebuilding
        return {"passages": len(self.index), "seconds": round(self.index_build_seconds, 3)}

    async def mark_update(self, chat_id: int, message_id: int, kind: str) -> bool:
        """Record that a Telegram message was handled; False when it already was (re-delivery)."""
        return await self.db.mark_update(chat_id, message_id, kind, None)

    async def backup(self, path: str | Path) -> Path:
        """A consistent copy of the database at `path` (a folder: a dated file in it); the file written."""
        return await self.db.backup(path)


async def _every(seconds: Callable[[], float], step: Callable[[], Awaitable[object]], what: str) -> None:
    """Run `step` every `seconds()` until cancelled; a failure is logged and the next round comes anyway."""
    while True:
        await asyncio.sleep(seconds())
        try:
            await step()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("failed: %s", what)


def _encode_layouts(rows: Sequence[tuple[int, str, str, str]]) -> list[tuple[int, bytes | None]]:
    return [(pid, encode_layout(text, language, title)) for pid, text, language, title in rows]


def _best_of(hits: list[tuple[int, float]], more: list[tuple[int, float]], k: int) -> list[tuple[int, float]]:
    """The k best of two searches' hits, each passage at the better of its two scores."""
    best = dict(more)
    for key, score in hits:
        best[key] = max(score, best.get(key, score))
    return sorted(best.items(), key=lambda h: (-h[1], h[0]))[:k]


def _rescaled(more: list[tuple[int, float]], hits: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Another reading's hits on the scale of the question's own: its best scores as the question's best (the
    abbreviated question has fewer terms, so lower scores; its best passage answers it as well)."""
    if not more or not hits or more[0][1] <= 0:
        return more
    factor = hits[0][1] / more[0][1]
    return [(key, score * factor) for key, score in more]


def _spelling_out(acronym: str | None, hits, rows, k: int):
    """The hits whose rows were found; for an acronym question (searched among ACRONYM_POOL), those of them that
    spell the acronym out when any does. Returns (hits, rows)."""
    hits = [(key, score) for key, score in hits if key in rows]
    if acronym:
        defining = [(key, score) for key, score in hits if long_forms(rows[key].text, acronym)]
        hits = (defining or hits)[:k]
        rows = {key: rows[key] for key, _ in hits}
    return hits, rows


def _paragraphs(passages: Sequence[NewPassage]) -> int:
    """Paragraphs with text (as /show and `list` count them): a long paragraph is several passages, one paragraph,
    and short ones merged into one passage are each one."""
    last = passages[-1]
    return last.paragraph + len(paragraph_spans(last.text)) - 1 if passages else 0


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sequence."""
    if not values:
        return math.nan
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[k]
