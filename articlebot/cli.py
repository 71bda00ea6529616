"""The `articlebot` command line: ingest, ask, manage, evaluate, run the bot.

Outside tooling relies on `--db`, `ingest --jsonl`, `ask --json -` and `eval`; extend, never break them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from articlebot.models import AddResult, Answer, ArticleIn, QuestionError, Scope
from articlebot.settings import Settings, SettingsError

log = logging.getLogger("articlebot")
BATCH = 200


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
    s.add_argument("--jsonl", type=Path, action="append", default=[], help='JSONL: {"title","text","url","source","published_at"} per line')
    s.add_argument("--quiet", action="store_true", help="no progress bar")

    s = sub.add_parser("ask", help='answer a question ("-" reads one question per stdin line)')
    s.add_argument("question", help="the question, or - for stdin")
    s.add_argument("--json", action="store_true", help="one JSON object per answer")
    s.add_argument("--more", type=int, default=0, metavar="N", help="also show the next N answers")

    sub.add_parser("reindex", help="rebuild the search index from the database")
    s = sub.add_parser("stats", help="collection and index statistics")
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("list", help="list articles, newest first")
    s.add_argument("--offset", type=int, default=0)
    s.add_argument("--limit", type=int, default=20)
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("show", help="show one article")
    s.add_argument("id", type=int)
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("delete", help="delete one article")
    s.add_argument("id", type=int)
    s = sub.add_parser("publish", help="publish an article to the global collection (every chat sees it)")
    s.add_argument("id", type=int)
    s.add_argument("--undo", action="store_true", help="unpublish")
    s = sub.add_parser("export", help="write articles as JSONL (readable by ingest --jsonl)")
    s.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    s.add_argument("--all", action="store_true", help="every collection, not just the current one")
    s = sub.add_parser("backup", help="copy the database with SQLite's online backup (safe while the bot runs)")
    s.add_argument("path", type=Path)

    s = sub.add_parser("eval", help="measure answer quality on a SQuAD JSON or FacQA CSV file")
    s.add_argument("file", type=Path)
    s.add_argument("--format", choices=["squad", "facqa"], help="default: by file extension")
    s.add_argument("--against", type=Path, help="ask FILE's questions of FILE2's articles only")
    s.add_argument("--against-format", choices=["squad", "facqa"])
    s.add_argument("--limit", type=int, help="ask only the first N questions")
    s.add_argument("--json", action="store_true")
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
def _jsonl_items(path: Path) -> list[tuple[str, ArticleIn | str]]:
    """(label, article or error reason) for each non-empty line."""
    out: list[tuple[str, ArticleIn | str]] = []
    try:
        fh = path.open(encoding="utf-8")
    except OSError as exc:
        return [(str(path), f"cannot read: {exc.strerror}")]
    with fh:
        for lineno, line in enumerate(fh, 1):
            label = f"{path}:{lineno}"
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                out.append((label, f"invalid JSON ({exc.msg})"))
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                out.append((label, 'needs an object with a "text" string'))
                continue
            try:  # JSON may escape unpaired surrogates ("\ud800"); SQLite cannot store them
                line_text = json.dumps(obj, ensure_ascii=False)
                line_text.encode("utf-8")
            except UnicodeEncodeError:
                out.append((label, "invalid text (an unpaired UTF-16 surrogate escape)"))
                continue

            def opt(key: str, obj: dict = obj) -> str | None:
                v = obj.get(key)
                return str(v) if v not in (None, "") else None

            out.append(
                (
                    label,
                    ArticleIn(
                        text=obj["text"],
                        title=opt("title"),
                        url=opt("url"),
                        source=opt("source"),
                        published_at=opt("published_at"),
                        language=opt("language"),
                        origin_url=opt("origin_url"),
                    ),
                )
            )
    return out


def _file_item(path: Path, max_bytes: int) -> ArticleIn | str:
    from articlebot.documents import DocumentError, read_document

    try:
        size = path.stat().st_size
        if size > max_bytes:
            return f"too large ({size:,} bytes; limit {max_bytes:,})"
        doc = read_document(path.name, path.read_bytes(), max_bytes)
    except DocumentError as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot read: {exc.strerror}"
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
    items: list[tuple[str, ArticleIn | str]] = []
    for jl in args.jsonl:
        items.extend(_jsonl_items(jl))
    missing = [p for p in args.paths if not p.exists()]
    items.extend((str(p), "no such file or folder") for p in missing)
    for path in iter_paths([p for p in args.paths if p.exists()]):
        items.append((str(path), _file_item(path, settings.max_article_bytes)))
    if not items:
        print("Nothing to ingest: give files, folders or --jsonl FILE.", file=sys.stderr)
        return 1
    counts = {"added": 0, "duplicate": 0, "updated": 0, "failed": 0}
    failures: list[str] = []
    show_bar = not args.quiet and len(items) >= 50
    async with await Engine.open(settings) as engine:
        bar = tqdm(total=len(items), unit="article", disable=not show_bar, file=sys.stderr)
        for i in range(0, len(items), BATCH):
            batch = items[i : i + BATCH]
            good = [(label, a) for label, a in batch if isinstance(a, ArticleIn)]
            for label, a in batch:
                if isinstance(a, str):
                    counts["failed"] += 1
                    failures.append(f"{label}: {a}")
            results: list[AddResult] = await engine.add_many([a for _, a in good], _scope(args)) if good else []
            for (label, _), res in zip(good, results, strict=True):
                if res.status == "rejected":
                    counts["failed"] += 1
                    failures.append(f"{label}: {res.reason}")
                else:
                    counts[res.status] += 1
                    if args.verbose:
                        print(f"{res.status:9} #{res.article_id} {label}", file=sys.stderr)
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


async def cmd_ask(args: argparse.Namespace) -> int:
    from articlebot.engine import Engine

    questions = [line.rstrip("\n") for line in sys.stdin] if args.question == "-" else [args.question]
    status = 0
    async with await Engine.open(_settings(args)) as engine:
        for q in questions:
            if args.question == "-" and not q.strip():
                continue
            try:
                if args.more:
                    answers, _ = await engine.ask_detailed(q, _scope(args), n=1 + args.more)
                    answer, more = answers[0], [a for a in answers[1:] if not a.abstained]
                else:
                    answer, more = await engine.ask(q, _scope(args)), []
            except QuestionError as exc:
                if args.json:
                    print(json.dumps({"question": q, "error": str(exc)}, ensure_ascii=False), flush=True)
                else:
                    print(f"error: {exc}", file=sys.stderr)
                status = 1
                continue
            if args.json:
                print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
            else:
                print(format_answer(answer, more), flush=True)
                if len(questions) > 1:
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
                print(f"No article #{args.id} in this collection.", file=sys.stderr)
                return 1
            print(f"deleted #{info.id} {info.title}")
        elif args.command == "publish":
            info = await engine.publish(args.id, scope, public=not args.undo)
            if info is None:
                print(f"No article #{args.id} in this collection.", file=sys.stderr)
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
            await engine.backup(args.path)
            print(f"backed up to {args.path}")
    return 0


# ----------------------------------------------------------------------------- eval
def _thresholds(specs: list[str], flag: str) -> dict[str, float]:
    out = {}
    for spec in specs:
        name, _, value = spec.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise SystemExit(f"articlebot eval: {flag} needs METRIC=NUMBER, got {spec!r}") from None
    return out


async def cmd_eval(args: argparse.Namespace) -> int:
    from articlebot.evaluation import evaluate, format_report

    if not args.file.exists():
        print(f"articlebot eval: no such file: {args.file}", file=sys.stderr)
        return 2
    mins, maxs = _thresholds(args.min, "--min"), _thresholds(args.max, "--max")
    metrics = await evaluate(
        args.file, args.format, args.against, args.against_format, args.limit, settings=Settings.from_env()
    )
    if args.json:
        print(json.dumps(metrics, ensure_ascii=False))
    else:
        print(format_report(metrics))
    failed = []
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


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
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
        return 130


if __name__ == "__main__":
    sys.exit(main())
