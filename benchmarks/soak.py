"""Soak test: the real bot (python-telegram-bot polling the fake Bot API from tests/) around a real Engine,
fed a steady stream of updates for --minutes; memory and latency sampled every --sample seconds.

Traffic per second (--rate, default 20 updates/s): ~75 % questions (/ask in 10 groups), ~10 % new articles
(forwards), ~5 % re-deliveries of an earlier message, ~5 % inline queries, ~5 % button presses (Sources /
More / feedback on earlier answers). To reach a steady state the oldest articles are deleted through the
engine once more than --keep are stored (the same call /delete makes).

Every --sample seconds: RSS, answered-message latency p50/p95/max in that window, articles, DB size.
At the end: least-squares slopes of RSS (MB/min) and p95 latency (ms/min) over the second half of the run,
lost updates (never answered) and duplicate answers. Exit status 1 when any update is lost or answered twice,
or when the RSS slope over the second half exceeds --max-rss-slope MB/min.

The bot freezes its start-up heap out of garbage collections as `articlebot run` does (`--no-gc-freeze` to
compare without).

    python benchmarks/soak.py --minutes 10
    python benchmarks/soak.py --minutes 3 --json benchmarks/out/soak.json
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bot.app  # noqa: E402
from bot.limits import TelegramRateLimiter  # noqa: E402
from tests.fake_telegram import FakeTelegram, bot_message, callback_update, message, message_update, user  # noqa: E402
from tests.test_isolation import bot_running, forward_msg, make_bot_settings  # noqa: E402

TOPICS = [
    ("flood", "Heavy rain flooded {n} houses in district {d} on Monday, officials said."),
    ("bridge", "A new bridge of {n} metres opened over the river in district {d}."),
    ("price", "The price of rice rose {n} percent in the markets of district {d}."),
    ("train", "The train line to district {d} carried {n} passengers in its first week."),
    ("school", "The government built {n} new classrooms in district {d} this year."),
]


# A summary of several saves: "Saved 7: #1, … Already saved: 1. Not saved: 2 (reason)." (zero counts left out).
SUMMARY_RE = re.compile(r"^(?:Saved (\d+): [^\n]*?\.)?(?: ?Already saved: (\d+)\.)?(?: ?Not saved: (\d+) \()?", re.S)


def slope(xs: list[float], ys: list[float]) -> float:
    if len(xs) < 2:
        return 0.0
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, max(0, int(round(q / 100 * len(v) + 0.5)) - 1))]


async def soak(args: argparse.Namespace) -> dict:
    if not args.rate_limit:
        bot.app.TelegramRateLimiter = lambda max_retries: TelegramRateLimiter(  # type: ignore[assignment]
            overall_max_rate=0, group_max_rate=0, max_retries=max_retries
        )
    rng = random.Random(args.seed)
    tg = FakeTelegram("424242:AAsoak-token").start()
    tmp = Path(tempfile.mkdtemp(prefix="articlebot-soak-"))
    settings = make_bot_settings(tmp, tg, questions_per_minute=100_000)
    groups = [-300_000 - i for i in range(10)]
    users = [user(60_000 + i) for i in range(100)]
    proc = psutil.Process()
    sent_at: dict[tuple[int, int], float] = {}  # (chat, message id) -> push time (first delivery)
    forwards: set[tuple[int, int]] = set()  # the messages of sent_at that are forwarded posts (new articles)
    # Forwarded posts acknowledged: each "Saved #…" notice is one; a summary ("Saved 7: … Already saved: 1.",
    # bot.handlers.SAVE_NOTICE_GAP) answers only the last post of its batch and counts them all.
    acknowledged = 0
    notices_to: dict[tuple[int, int], int] = {}
    answered: dict[tuple[int, int], int] = {}
    latencies: list[tuple[float, float]] = []  # (answer time, latency s)
    answers: list[tuple[int, int, list[str]]] = []  # (chat, bot message id, callback datas)
    samples: list[dict] = []
    scanned = 0
    t0 = time.monotonic()

    def scan() -> None:
        nonlocal scanned, acknowledged
        calls = tg.calls
        now = time.monotonic()
        while scanned < len(calls):
            c = calls[scanned]
            scanned += 1
            if c.method != "sendMessage":
                continue
            rp = c.params.get("reply_parameters") or {}
            key = (c.params["chat_id"], rp.get("message_id"))
            if key in forwards:
                summary = SUMMARY_RE.match(c.params.get("text") or "")
                counts = [int(g) for g in summary.groups() if g] if summary else []
                acknowledged += sum(counts) if counts else 1
                notices_to[key] = notices_to.get(key, 0) + 1
            if key in sent_at and key not in forwards:
                answered[key] = answered.get(key, 0) + 1
                if answered[key] == 1:
                    latencies.append((now, now - sent_at[key]))
                buttons = [b.get("callback_data") for row in (c.params.get("reply_markup") or {}).get(
                    "inline_keyboard", []) for b in row]
                if buttons and isinstance(c.result, dict):
                    answers.append((key[0], c.result["message_id"], buttons))
                    del answers[:-200]
        # keep the recorded calls bounded (the fake server keeps every call): drop what we scanned
        if scanned > 5000:
            del calls[:scanned]
            scanned = 0

    async with bot_running(settings) as engine:
        if not args.no_gc_freeze:
            bot.app.freeze_startup_heap()  # as `articlebot run` does once the engine is open
        mid = 1
        article_ids: list[int] = []
        end = t0 + args.minutes * 60
        next_sample = t0 + args.sample
        pushed = 0
        delivered: list[dict] = []
        interval = 1.0 / args.rate
        next_push = time.monotonic()
        while time.monotonic() < end:
            now = time.monotonic()
            if now >= next_push:
                next_push += interval
                mid += 1
                chat, who, r = rng.choice(groups), rng.choice(users), rng.random()
                if r < 0.10:
                    topic, template = rng.choice(TOPICS)
                    text = f"{topic.title()} report {mid}\n\n" + template.format(n=mid, d=mid % 53)
                    upd = message_update(forward_msg(chat, text, who, message_id=mid))
                    forwards.add((chat, mid))
                elif r < 0.85:
                    topic, _ = rng.choice(TOPICS)
                    upd = message_update(message(chat, who, f"/ask what about the {topic} in district {mid % 53}?",
                                                 message_id=mid))
                elif r < 0.90 and delivered:
                    tg.push(copy.deepcopy(rng.choice(delivered)))  # re-delivery: must have no effect
                    pushed += 1
                    continue
                elif r < 0.95 or not answers:
                    tg.push({"inline_query": {"id": f"soak-{mid}", "from": who, "query": "rice price", "offset": ""}})
                    pushed += 1
                    continue
                else:
                    a_chat, a_mid, datas = rng.choice(answers)
                    tg.push(callback_update(who, rng.choice(datas), bot_message(a_chat, a_mid)))
                    pushed += 1
                    continue
                upd.pop("update_id", None)
                sent_at[(chat, mid)] = time.monotonic()
                tg.push(upd)
                delivered.append({k: v for k, v in upd.items() if k != "update_id"})
                del delivered[:-300]
                pushed += 1
            scan()
            if now >= next_sample:
                next_sample += args.sample
                window = [lat for t, lat in latencies if t >= now - args.sample]
                stats = await engine.db.stats()
                if stats["articles"] > args.keep:  # steady state: forget the oldest articles
                    rows, _ = await engine.db.list_articles([c for c in engine._collections.values()], 0, 10**6)
                    for row in sorted(rows, key=lambda r: r.id)[: stats["articles"] - args.keep]:
                        await engine.delete(row.id, engine_scope(row.collection))
                    article_ids.clear()
                s = {
                    "t": round(now - t0, 1),
                    "rss_mb": round(proc.memory_info().rss / 2**20, 1),
                    "answered": len(latencies),
                    "p50_ms": round(pct(window, 50) * 1000, 1),
                    "p95_ms": round(pct(window, 95) * 1000, 1),
                    "max_ms": round(max(window, default=float("nan")) * 1000, 1),
                    "articles": stats["articles"],
                    "questions": stats["questions"],
                    "db_mb": round(stats["db_size_bytes"] / 2**20, 2),
                    "pushed": pushed,
                }
                samples.append(s)
                print(json.dumps(s), flush=True)
            await asyncio.sleep(min(interval, 0.01))
        # drain
        drain_end = time.monotonic() + 30
        while time.monotonic() < drain_end and (len(answered) < len(sent_at) - len(forwards)
                                                 or acknowledged < len(forwards)):
            scan()
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)
        scan()
    tg.stop()
    shutil.rmtree(tmp, ignore_errors=True)  # found in review: every run left its database in /tmp
    half = [s for s in samples if s["t"] >= args.minutes * 30]
    lost = [k for k in sent_at if k not in answered and k not in forwards]
    lost_forwards = max(0, len(forwards) - acknowledged)
    twice = [k for k, v in [*answered.items(), *notices_to.items()] if v > 1]
    all_lat = [lat for _, lat in latencies]
    result = {
        "minutes": args.minutes,
        "rate_per_s": args.rate,
        "updates_pushed": pushed,
        "messages_expected": len(sent_at),
        "lost": len(lost) + lost_forwards,
        "lost_questions": len(lost),
        "lost_forwards": lost_forwards,
        "forwards_acknowledged": f"{acknowledged} of {len(forwards)}",
        "answered_twice": len(twice),
        "latency_ms": {"p50": round(pct(all_lat, 50) * 1000, 1), "p95": round(pct(all_lat, 95) * 1000, 1),
                       "p99": round(pct(all_lat, 99) * 1000, 1), "max": round(max(all_lat, default=0) * 1000, 1)},
        "rss_mb": {"first": samples[0]["rss_mb"] if samples else None, "last": samples[-1]["rss_mb"] if samples else None,
                   "max": max((s["rss_mb"] for s in samples), default=None)},
        "rss_slope_mb_per_min_second_half": round(slope([s["t"] / 60 for s in half], [s["rss_mb"] for s in half]), 3),
        "p95_slope_ms_per_min_second_half": round(slope([s["t"] / 60 for s in half], [s["p95_ms"] for s in half]), 3),
        "samples": samples,
    }
    return result


def engine_scope(collection: str):
    from articlebot.models import Scope

    if collection.startswith("chat:"):
        return Scope(chat_id=int(collection.split(":", 1)[1]))
    return Scope(collection=collection)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--minutes", type=float, default=10.0)
    p.add_argument("--rate", type=float, default=20.0, help="updates per second")
    p.add_argument("--sample", type=float, default=10.0, help="seconds between samples")
    p.add_argument("--keep", type=int, default=500, help="articles kept (older ones are deleted)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--max-rss-slope", type=float, default=2.0, help="MB/min over the second half that fails")
    p.add_argument("--rate-limit", action="store_true", help="keep Telegram's flood limits (AIORateLimiter)")
    p.add_argument("--json", type=Path, help="write the result here too")
    p.add_argument("--no-gc-freeze", action="store_true", help="leave the start-up heap in garbage collections")
    args = p.parse_args()
    result = asyncio.run(soak(args))
    summary = {k: v for k, v in result.items() if k != "samples"}
    print(json.dumps(summary, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2))
    bad = result["lost"] or result["answered_twice"] or result["rss_slope_mb_per_min_second_half"] > args.max_rss_slope
    if bad:
        print("SOAK FAILED", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
