"""The `articlebot` command line: ingest, ask, manage, evaluate, run the bot.

Outside tooling relies on `--db`, `ingest --jsonl`, `ask --json -` and `eval`; extend, never break them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import sqlite3
import sys
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from articlebot.models import AddResult, Answer, ArticleIn, QuestionError, Scope
from articlebot.settings import Settings, SettingsError
from storage import StorageError

log = logging.getLogger("articlebot")
BATCH = 200


def _count(minimum: int):
    """An argparse type: an integer >= `minimum` (a negative --limit or --more was taken silently)."""

    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
        if n < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {n}")
        return n

    return parse


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="articlebot",
        description="Answer questions about saved articles, with citations. Also runs the Telegram bot.",
    )
    p.add_argument("--db", type=Path, help="SQLite database file (default: $DATABASE_PATH or the user data dir)")
    p.add_argument("--collection", default=None, help="collection to act on (default: global)")
    p.add_argument("-v", "--verbose", action="store_true", help="log progress details to stderr")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("ingest", help="add articles from files, folders or a JSONL file")
    s.add_argument("paths", nargs="*", type=Path, help=".txt .md .html .pdf files or folders (recursive)")
    s.add_argument("--jsonl", type=Path, action="append", default=[], help='JSONL: {"title","text","url","source","published_at"} per line ("-": standard input)')
    s.add_argument("--quiet", action="store_true", help="no progress bar")

    s = sub.add_parser("ask", help='answer a question ("-" reads one question per stdin line)')
    s.add_argument("question", help="the question, or - for stdin")
    s.add_argument("--json", action="store_true", help="one JSON object per answer")
    s.add_argument("--more", type=_count(0), default=0, metavar="N", help="also show the next N answers")

    sub.add_parser("reindex", help="rebuild the search index from the database")
    s = sub.add_parser("stats", help="collection and index statistics")
    s.add_argument("--json", action="store_true", help="one JSON object")
    s = sub.add_parser("list", help="list articles, newest first")
    s.add_argument("--offset", type=_count(0), default=0, help="skip the first N (default 0)")
    s.add_argument("--limit", type=_count(1), default=20, help="show at most N (default 20)")
    s.add_argument("--json", action="store_true", help="one JSON object per article")
    s = sub.add_parser("show", help="show one article")
    s.add_argument("id", type=int, help="the article's number (as `list` shows it)")
    s.add_argument("--json", action="store_true", help="one JSON object, the text included")
    s = sub.add_parser("delete", help="delete one article")
    s.add_argument("id", type=int)
    s = sub.add_parser("publish", help="publish an article to the global collection (every chat sees it)")
    s.add_argument("id", type=int)
    s.add_argument("--undo", action="store_true", help="unpublish")
    s = sub.add_parser("export", help="write articles as JSONL (readable by ingest --jsonl)")
    s.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    s.add_argument("--all", action="store_true", help="every collection, not just the current one")
    s = sub.add_parser("backup", help="copy the database with SQLite's online backup (safe while the bot runs)")
    s.add_argument("path", help="a file, or a folder (existing, or ending in /) for a dated file in it")

    s = sub.add_parser("eval", help="measure answer quality on a SQuAD JSON or FacQA CSV file")
    s.add_argument("file", type=Path)
    s.add_argument("--format", choices=["squad", "facqa"], help="default: by file extension")
    s.add_argument("--against", type=Path, help="ask FILE's questions of FILE2's articles only")
    s.add_argument("--against-format", choices=["squad", "facqa"], help="of FILE2; default: by file extension")
    s.add_argument("--limit", type=_count(1), help="ask only the first N questions")
    s.add_argument("--json", action="store_true", help="the report as one JSON object (its keys are the metrics)")
    s.add_argument("--min", action="append", default=[], metavar="METRIC=VALUE", help="fail (exit 1) if METRIC < VALUE")
    s.add_argument("--max", action="append", default=[], metavar="METRIC=VALUE", help="fail (exit 1) if METRIC > VALUE")

    sub.add_parser("run", help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    return p


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    if args.db is not None:
        settings = replace(settings, database_path=args.db)
    return settings


def _scope(args: argparse.Namespace) -> Scope:
    return Scope(collection=args.collection)


# ----------------------------------------------------------------------------- ingest
JSONL_STRINGS = ("title", "url", "source", "published_at", "language", "origin_url", "collection", "added_at")


@dataclass
class _Item:
    """One thing to ingest: where it came from, the article (or why not), and for a JSONL line written by
    `export` the collection it belongs to and whether it was published."""

    label: str
    article: ArticleIn | str
    collection: str | None = None
    public: bool = False


def _jsonl_article(obj: object) -> _Item | str:
    """One decoded JSONL line as an item, or why it cannot be one."""
    from articlebot.documents import iso_date
    from storage.db import utc_timestamp

    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        return 'needs an object with a "text" string'
    for key in JSONL_STRINGS:
        if obj.get(key) is not None and not isinstance(obj[key], str):
            return f'"{key}" must be a string or null, not {type(obj[key]).__name__}'
    if not isinstance(obj.get("public", False), bool):
        return '"public" must be true or false'
    published = iso_date(obj["published_at"]) if obj.get("published_at") else None
    if obj.get("published_at") and published is None:
        return f'"published_at" is not an ISO date or date-time: {obj["published_at"][:40]!r}'
    added = utc_timestamp(obj["added_at"]) if obj.get("added_at") else None
    if obj.get("added_at") and added is None:
        return f'"added_at" is not an ISO date-time: {obj["added_at"][:40]!r}'
    try:  # JSON may escape unpaired surrogates ("\ud800"); SQLite cannot store them
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return "invalid text (an unpaired UTF-16 surrogate escape)"

    def opt(key: str) -> str | None:
        return obj.get(key) or None

    article = ArticleIn(
        text=obj["text"],
        title=opt("title"),
        url=opt("url"),
        source=opt("source"),
        published_at=published,
        language=opt("language"),
        origin_url=opt("origin_url"),
        added_at=added,
    )
    return _Item("", article, opt("collection"), bool(obj.get("public", False)))


def _jsonl_items(path: Path) -> list[_Item]:
    """An item (or the reason it failed) for each non-empty line; each line is decoded on its own, so one bad
    byte fails its line only, and a UTF-8 byte order mark is allowed."""
    out: list[_Item] = []
    try:
        data = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()  # "-": standard input
    except OSError as exc:
        return [_Item(str(path), f"cannot read: {exc.strerror}")]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for lineno, raw in enumerate(data.split(b"\n"), 1):
        label = f"{path}:{lineno}"
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            out.append(_Item(label, f"not valid UTF-8 (byte {exc.start + 1} of the line)"))
            continue
        if not line.strip():
            continue
        try:
            got = _jsonl_article(json.loads(line))
        except json.JSONDecodeError as exc:
            got = f"invalid JSON ({exc.msg})"
        if isinstance(got, str):
            out.append(_Item(label, got))
        else:
            got.label = label
            out.append(got)
    return out


def _file_item(path: Path, max_bytes: int) -> ArticleIn | str:
    from articlebot.documents import DocumentError, read_document

    try:
        size = path.stat().st_size
        if size > max_bytes:
            return f"too large ({size:,} bytes; limit {max_bytes:,})"
        doc = read_document(path.name, path.read_bytes(), max_bytes)
    except DocumentError as exc:  # its message names the file; the summary line names the path already
        return str(exc).removeprefix(f"{path.name}: ")
    except OSError as exc:
        return f"cannot read: {exc.strerror}"
    except Exception as exc:  # a bug or a broken install must fail this file, not the whole batch
        log.warning("reading %s failed", path, exc_info=True)
        return f"could not be read ({type(exc).__name__}: {str(exc)[:120]})"
    return ArticleIn(
        text=doc.text,
        title=doc.title,
        url=doc.url,
        source=doc.source,
        published_at=doc.published_at,
        language=doc.language,
    )


async def cmd_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from articlebot.documents import iter_paths
    from articlebot.engine import Engine

    settings = _settings(args)
    items: list[_Item] = []
    for jl in args.jsonl:
        items.extend(_jsonl_items(jl))
    missing = [p for p in args.paths if not p.exists()]
    items.extend(_Item(str(p), "no such file or folder") for p in missing)
    for path in iter_paths([p for p in args.paths if p.exists()]):
        items.append(_Item(str(path), _file_item(path, settings.max_article_bytes)))
    if not items and not args.jsonl and not args.paths:
        print("Nothing to ingest: give files, folders or --jsonl FILE.", file=sys.stderr)
        return 1
    if not items:  # an empty export, an empty folder: nothing failed
        print("added 0, duplicates 0, failed 0 (no articles found)")
        return 0
    counts = {"added": 0, "duplicate": 0, "updated": 0, "failed": 0}
    failures: list[str] = []
    show_bar = not args.quiet and len(items) >= 50 and sys.stderr.isatty()  # no \r-bars in log files
    async with await Engine.open(settings) as engine:
        bar = tqdm(total=len(items), unit="article", disable=not show_bar, file=sys.stderr)
        for i in range(0, len(items), BATCH):
            batch = items[i : i + BATCH]
            # --collection decides; without it, a line from `export` goes back to the collection it came from
            by_collection: dict[str | None, list[_Item]] = {}
            for item in batch:
                if isinstance(item.article, str):
                    counts["failed"] += 1
                    failures.append(f"{item.label}: {item.article}")
                else:
                    by_collection.setdefault(args.collection or item.collection, []).append(item)
            for collection, good in by_collection.items():
                scope = Scope(collection=collection)
                results: list[AddResult] = await engine.add_many([it.article for it in good], scope)
                for item, res in zip(good, results, strict=True):
                    if res.status == "rejected":
                        counts["failed"] += 1
                        failures.append(f"{item.label}: {res.reason}")
                        continue
                    counts[res.status] += 1
                    if item.public and res.status in ("added", "updated") and res.article_id is not None:
                        await engine.publish(res.article_id, scope, public=True)
                    if args.verbose:
                        print(f"{res.status:9} #{res.article_id} {item.label}", file=sys.stderr)
            bar.update(len(batch))
        bar.close()
    for line in failures:
        print(f"failed: {line}", file=sys.stderr)
    print(f"added {counts['added']}, duplicates {counts['duplicate']}, failed {counts['failed']}")
    return 1 if counts["failed"] else 0


# ----------------------------------------------------------------------------- ask
def format_answer(answer: Answer, more: Sequence[Answer] = ()) -> str:
    """A readable answer with its citations, for the terminal."""
    if answer.abstained:
        return "I could not find the answer in the saved articles."
    lines = []
    for i, a in enumerate([answer, *more]):
        prefix = "" if i == 0 else f"\n— answer {i + 1}:\n"
        text = a.sentence
        if a.answer_start is not None and a.answer_end is not None:
            text = text[: a.answer_start] + "**" + text[a.answer_start : a.answer_end] + "**" + text[a.answer_end :]
        lines.append(f"{prefix}{text}")
        if a.answer:
            lines.append(f"Answer: {a.answer}")
        for n, c in enumerate(a.citations, 1):
            meta = ", ".join(x for x in (c.source, c.published_at) if x)
            lines.append(f"[{n}] #{c.article_id} {c.title}" + (f" — {meta}" if meta else "") + f", paragraph {c.paragraph}")
            if c.url:
                lines.append(f"    {c.url}")
    return "\n".join(lines)


async def _read_line(readline: Callable[[], bytes | str]) -> bytes | str:
    """One blocking readline, in a daemon thread: asyncio's executor threads are joined at exit, so Ctrl-C while
    waiting for the next question did nothing until another line or end of input came (found in review)."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[bytes | str] = loop.create_future()

    def settle(value: bytes | str | None, error: BaseException | None) -> None:
        if not done.done():
            done.set_exception(error) if error is not None else done.set_result(value)  # type: ignore[arg-type]

    def read() -> None:
        value, error = None, None
        try:
            value = readline()
        except Exception as exc:  # handed to the waiting coroutine
            error = exc
        with contextlib.suppress(RuntimeError):  # the loop has closed meanwhile (Ctrl-C): nobody waits
            loop.call_soon_threadsafe(settle, value, error)

    threading.Thread(target=read, name="stdin", daemon=True).start()
    return await done


async def _questions(arg: str) -> AsyncIterator[str]:
    """The question, or with "-" each stdin line as it arrives (a tool may wait for one answer before it
    writes the next question), read in a thread so the event loop keeps running."""
    if arg != "-":
        yield arg
        return
    # Bytes, decoded here: under a strict stdin encoding (PYTHONIOENCODING=utf-8, some locales) one invalid byte
    # would end the whole run with a traceback; each such line gets its own error instead.
    stream = getattr(sys.stdin, "buffer", None)
    first = True
    while True:
        raw = await _read_line(stream.readline if stream is not None else sys.stdin.readline)
        if not raw:
            return
        line = raw.decode("utf-8", "surrogateescape") if isinstance(raw, bytes) else raw
        if first:
            line, first = line.removeprefix("\ufeff"), False  # a BOM from Windows editors
        yield line.rstrip("\r\n")


async def cmd_ask(args: argparse.Namespace) -> int:
    from articlebot.engine import Engine

    status = 0
    async with await Engine.open(_settings(args)) as engine:
        async for q in _questions(args.question):
            if args.question == "-" and not q.strip() and not args.json:
                continue  # readable answers skip blank lines; --json answers every line, so tools can pair them
            try:
                if args.more:
                    answers, _ = await engine.ask_detailed(q, _scope(args), n=1 + args.more)
                    answer, more = answers[0], [a for a in answers[1:] if not a.abstained]
                else:
                    answer, more = await engine.ask(q, _scope(args)), []
            except QuestionError as exc:
                if args.json:  # the documented keys too, so a reader of every line finds them
                    shown = q.encode("utf-8", "surrogateescape").decode("utf-8", "replace")  # bytes not UTF-8
                    refused = {"question": shown, "answer": None, "sentence": "", "abstained": True, "score": 0.0,
                               "citations": [], "error": str(exc)}
                    print(json.dumps(refused, ensure_ascii=False), flush=True)
                else:
                    print(f"error: {exc}", file=sys.stderr)
                status = 1
                continue
            if args.json:
                obj = answer.to_json() | ({"more": [a.to_json() for a in more]} if args.more else {})
                print(json.dumps(obj, ensure_ascii=False), flush=True)
            else:
                print(format_answer(answer, more), flush=True)
                if args.question == "-":  # answers to stdin questions, one block each
                    print()
    return status


# ----------------------------------------------------------------------------- manage
async def cmd_manage(args: argparse.Namespace) -> int:
    from articlebot.engine import Engine

    scope = _scope(args)
    async with await Engine.open(_settings(args), build_index=args.command == "stats") as engine:
        if args.command == "reindex":
            result = await engine.reindex()
            print(f"reindexed {result['passages']} passages in {result['seconds']:.2f}s")
        elif args.command == "stats":
            stats = await engine.stats()
            if args.json:
                print(json.dumps(stats, ensure_ascii=False, default=str))
            else:
                for k, v in stats.items():
                    print(f"{k:<22} {v}")
        elif args.command == "list":
            infos, total = await engine.list(scope, args.offset, args.limit)
            if args.json:
                for info in infos:
                    print(json.dumps(info.__dict__, ensure_ascii=False, default=str))
            else:
                for info in infos:
                    pub = " [public]" if info.published else ""
                    src = f" — {info.source}" if info.source else ""
                    print(f"#{info.id:<6} {info.title}{src} ({info.paragraphs} paragraphs){pub}")
                print(f"{len(infos)} of {total} articles")
        elif args.command == "show":
            info = await engine.get(args.id, scope)
            if info is None:
                print(f"No article #{args.id} in this collection.", file=sys.stderr)
                return 1
            if args.json:
                print(json.dumps(info.__dict__, ensure_ascii=False, default=str))
            else:
                print(f"#{info.id} {info.title}")
                for label, value in (("source", info.source), ("url", info.url), ("published", info.published_at),
                                     ("language", info.language), ("collection", info.collection),
                                     ("added", info.added_at)):
                    if value:
                        print(f"{label}: {value}")
                print()
                print(info.text)
        elif args.command == "delete":
            info = await engine.delete(args.id, scope)
            if info is None:
                print(await _not_own(engine, args.id, scope), file=sys.stderr)
                return 1
            print(f"deleted #{info.id} {info.title}")
        elif args.command == "publish":
            info = await engine.publish(args.id, scope, public=not args.undo)
            if info is None:
                print(await _not_own(engine, args.id, scope), file=sys.stderr)
                return 1
            print(f"{'unpublished' if args.undo else 'published'} #{info.id} {info.title}")
        elif args.command == "export":
            data = await engine.export(None if args.all else scope)
            if args.output:
                args.output.write_bytes(data)
                n_lines = data.count(b"\n")
                print(f"wrote {n_lines} articles to {args.output}", file=sys.stderr)
            else:
                sys.stdout.buffer.write(data)
                sys.stdout.flush()
        elif args.command == "backup":
            written = await engine.backup(args.path)
            print(f"backed up to {written}")
    return 0


async def _not_own(engine, article_id: int, scope: Scope) -> str:
    """Why delete/publish found nothing: no such article, or one this collection only sees (found in review:
    `--collection chat42 delete 1` said "No article #1" while `list` showed #1, a global article)."""
    seen = await engine.get(article_id, scope)
    if seen is None:
        return f"No article #{article_id} in this collection."
    return f"#{article_id} is in the {seen.collection} collection, which this collection only reads; use --collection."


# ----------------------------------------------------------------------------- eval
class _UsageError(Exception):
    """A mistake in the command line (exit 2), found before any work is done."""


def _thresholds(specs: list[str], flag: str) -> dict[str, float]:
    from articlebot.evaluation import METRICS

    out = {}
    for spec in specs:
        name, _, value = spec.partition("=")
        name = name.strip()
        if name not in METRICS:  # a misspelt gate is a mistake in the command, not a failed gate
            raise _UsageError(f"{flag}: no metric {name!r}; the metrics are: {', '.join(METRICS)}")
        try:
            out[name] = float(value)
        except ValueError:
            raise _UsageError(f"{flag} needs METRIC=NUMBER, got {spec!r}") from None
    return out


async def cmd_eval(args: argparse.Namespace) -> int:
    from articlebot.evaluation import EvalFileError, evaluate, format_report

    for path in (args.file, args.against):
        if path is not None and not path.exists():
            print(f"articlebot eval: no such file: {path}", file=sys.stderr)
            return 2
    try:
        mins, maxs = _thresholds(args.min, "--min"), _thresholds(args.max, "--max")
    except _UsageError as exc:
        print(f"articlebot eval: {exc}", file=sys.stderr)
        return 2
    try:
        metrics = await evaluate(
            args.file, args.format, args.against, args.against_format, args.limit, settings=Settings.from_env()
        )
    except EvalFileError as exc:
        print(f"articlebot eval: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(metrics, ensure_ascii=False))
    else:
        print(format_report(metrics))
    failed = []  # a metric this set has no value for (refusal_recall of a set without unanswerables) fails
    for name, floor in mins.items():
        value = metrics.get(name)
        if not isinstance(value, int | float) or value < floor:
            failed.append(f"{name} = {value} < {floor}")
    for name, ceiling in maxs.items():
        value = metrics.get(name)
        if not isinstance(value, int | float) or value > ceiling:
            failed.append(f"{name} = {value} > {ceiling}")
    for line in failed:
        print(f"quality gate failed: {line}", file=sys.stderr)
    return 1 if failed else 0


def cmd_run(args: argparse.Namespace) -> int:
    from bot.app import run

    return run(_settings(args))


# Commands that only make sense on an existing database (the others create it: ingest, run; or use their own: eval).
_READS_A_DATABASE = frozenset({"ask", "list", "show", "delete", "publish", "export", "stats", "reindex", "backup"})


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # an ASCII-only terminal: "\u2014" instead of a traceback
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        if args.command in _READS_A_DATABASE:
            path = Path(_settings(args).database_path).expanduser()
            if str(path) != ":memory:" and not path.exists():  # a mistyped --db must not look like "no answer"
                print(
                    f"articlebot: no database at {path}: add articles with `articlebot ingest` first, "
                    "or check --db / DATABASE_PATH",
                    file=sys.stderr,
                )
                return 1
        if args.command == "run":
            return cmd_run(args)
        if args.command == "ingest":
            return asyncio.run(cmd_ingest(args))
        if args.command == "ask":
            return asyncio.run(cmd_ask(args))
        if args.command == "eval":
            return asyncio.run(cmd_eval(args))
        return asyncio.run(cmd_manage(args))
    except SettingsError as exc:
        print(f"articlebot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        if args.command == "ask":  # the stdin reader thread may hold stdin's lock: no interpreter shutdown
            with contextlib.suppress(OSError):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(130)
        return 130
    except BrokenPipeError:  # `articlebot ask - | head -1`: the reader has gone, nothing more to say
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (StorageError, sqlite3.Error, OSError) as exc:  # a --db that is not a database, a full disk ...
        print(f"articlebot: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
