"""A burst of 1,000 updates through the fake Bot API: none lost, none answered twice, memory bounded.

The burst mixes questions (/ask in 20 groups, from 200 users), new articles (forwards), re-deliveries of
the very same messages (a Bot API retry after a timeout) and inline queries, all queued at once so the
bot's 64 concurrent handlers and the engine's write lock are under pressure together.
"""

from __future__ import annotations

import copy
import random
import time
from collections import Counter

import psutil
import pytest

from .fake_telegram import FakeTelegram, message, message_update, user
from .test_isolation import bot_running, forward_msg, lift_flood_limits, make_bot_settings, settle, wait_calls

TOKEN = "555000111:AAburst-token"
N_UPDATES = 1000
RSS_GROWTH_BOUND_MB = 64  # stated bound for the whole burst (measured +16 MB: see SECURITY.md)

TOPICS = [
    ("flood", "Heavy rain flooded {n} houses in district {d} on Monday, officials said."),
    ("bridge", "A new bridge of {n} metres opened over the river in district {d}."),
    ("price", "The price of rice rose {n} percent in the markets of district {d}."),
    ("train", "The train line to district {d} carried {n} passengers in its first week."),
]


@pytest.fixture
def tg() -> FakeTelegram:
    fake = FakeTelegram(TOKEN).start()
    yield fake
    fake.stop()


def replies_by_message(tg: FakeTelegram) -> Counter:
    """(chat id, replied-to message id) -> number of sendMessage replies."""
    out: Counter = Counter()
    for c in tg.calls_to("sendMessage"):
        rp = c.params.get("reply_parameters") or {}
        if "message_id" in rp:
            out[(c.params["chat_id"], rp["message_id"])] += 1
    return out


@pytest.mark.timeout(180)
async def test_burst_of_1000_updates(tg, tmp_path, monkeypatch):
    lift_flood_limits(monkeypatch)  # polling, 64 concurrent handlers, idempotency, engine, SQLite: production
    rng = random.Random(11)
    settings = make_bot_settings(tmp_path, tg, questions_per_minute=10_000)
    groups = [-200_000 - i for i in range(20)]
    users = [user(50_000 + i) for i in range(200)]
    proc = psutil.Process()
    async with bot_running(settings) as engine:
        # warm-up (imports, first index build, first HTTP connections) before the memory baseline
        warm = message(groups[0], users[0], "/ask warm up question", message_id=1)
        tg.push(message_update(warm))
        await wait_calls(tg, "sendMessage", count=1, within=20)
        rss0 = proc.memory_info().rss

        expected: set[tuple[int, int]] = set()
        queued: list[dict] = []
        mid = 1000
        inline_ids = []
        while len(queued) < N_UPDATES:
            kind = rng.random()
            chat = rng.choice(groups)
            who = rng.choice(users)
            mid += 1
            if kind < 0.25:
                topic, template = rng.choice(TOPICS)
                text = f"{topic.title()} report {mid}\n\n" + template.format(n=mid, d=mid % 97)
                msg = forward_msg(chat, text, who, message_id=mid)
            elif kind < 0.92:
                topic, _ = rng.choice(TOPICS)
                msg = message(chat, who, f"/ask what happened with the {topic} in district {mid % 97}?", message_id=mid)
            else:
                iq = f"burst-iq-{mid}"
                inline_ids.append(iq)
                queued.append({"inline_query": {"id": iq, "from": who, "query": "rice price", "offset": ""}})
                continue
            expected.add((chat, mid))
            queued.append(message_update(msg))
            if rng.random() < 0.08 and len(queued) < N_UPDATES:  # re-delivered: the same message again
                queued.append(copy.deepcopy(message_update(msg)))
        queued = queued[:N_UPDATES]
        expected = {k for k in expected if any(
            (u.get("message") or {}).get("message_id") == k[1] for u in queued)}
        started = time.monotonic()
        for u in queued:
            tg.push(u)
        await wait_calls(
            tg,
            "sendMessage",
            lambda c: "message_id" in (c.params.get("reply_parameters") or {}),
            count=len(expected),
            within=90,
        )
        await wait_calls(tg, "answerInlineQuery", count=len(inline_ids), within=30)
        await settle(tg, 0.5)
        elapsed = time.monotonic() - started
        rss1 = proc.memory_info().rss

        got = replies_by_message(tg)
        lost = expected - set(got)
        twice = {k: v for k, v in got.items() if v > 1}
        assert not lost, f"{len(lost)} updates never answered, e.g. {sorted(lost)[:5]}"
        assert not twice, f"answered more than once: {list(twice.items())[:5]}"
        assert not (set(got) - expected - {(groups[0], 1)})
        answered_inline = {c.params["inline_query_id"] for c in tg.calls_to("answerInlineQuery")}
        assert set(inline_ids) <= answered_inline
        errors = [t for t in tg.sent_texts() if t.startswith("Something went wrong")]
        assert not errors
        stats = await engine.stats()
        assert stats["index_docs"] == stats["passages"]
        growth_mb = (rss1 - rss0) / 2**20
        print(f"\nburst: {len(queued)} updates ({len(expected)} messages, {len(inline_ids)} inline) "
              f"in {elapsed:.1f}s; RSS {rss0 / 2**20:.0f} -> {rss1 / 2**20:.0f} MB (+{growth_mb:.1f} MB); "
              f"articles {stats['articles']}, questions {stats['questions']}")
        assert growth_mb < RSS_GROWTH_BOUND_MB
