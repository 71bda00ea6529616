"""Load through the real bot: 200 questions arriving at once via the local fake Bot API (issue #4).

    python benchmarks/telegram_load.py                      # 100k-passage DB, 200 questions
    python benchmarks/telegram_load.py --passages 10000 --questions 100

What runs: `tests/fake_telegram.FakeTelegram` (a local Bot API server, in its own process: Telegram's servers
do not share the bot's interpreter lock, so the fake must not either) + the real Application
(`bot.app.build_application`) polling it, around the real Engine opened on a copy of the benchmark database
built by benchmarks/scale.py (`benchmarks/out/scale-<N>.sqlite3`; built here through `Engine.add_many` when it
does not exist yet).  All questions are queued at once (one private chat and user each, so the per-user rate
limit does not apply), the fake server hands them to the bot in one getUpdates batch.

Measured: per update, the time from queueing it to the fake server receiving the bot's sendMessage for that
chat (p50/p95/max); lost (no reply) and duplicate (more than one reply) counts; event-loop lag sampled every
10 ms for the whole run (max and p99); CPU time of the bot process, of its answer process (`ANSWER_PROCESS`, on
as in `articlebot run` with two or more cores; `--answer-process off` answers in the engine's threads) and of the
fake server over the burst; peak RSS of the bot and its answer process (ready before the burst starts).
Targets: p95 <= 500 ms, nothing lost or duplicated, lag <= 50 ms.

    python benchmarks/telegram_load.py --sends-only          # the Telegram layer alone: 200 sendMessage at once
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from corpus import questions as make_questions  # noqa: E402

from tests.fake_telegram import FakeTelegram, message, message_update, user  # noqa: E402

TOKEN = "123456:LOADTEST"


class TimedFake(FakeTelegram):
    """The fake Bot API, also recording when each sendMessage arrived (per chat)."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.replies: dict[int, list[float]] = {}
        self._rlock = threading.Lock()

    def _result(self, call):  # runs in the server thread as the request arrives
        if call.method == "sendMessage":
            with self._rlock:
                self.replies.setdefault(int(call.params["chat_id"]), []).append(time.monotonic())
        return super()._result(call)


def _serve_fake(conn) -> None:
    """Child process: the fake Bot API, driven over a pipe (push updates, count replies, hand them over)."""
    tg = TimedFake(TOKEN).start()
    conn.send(tg.base_url)
    while True:
        cmd, arg = conn.recv()
        if cmd == "push":  # all at once: one getUpdates answer carries every question
            with tg._cond:
                now = time.monotonic()
                for upd in arg:
                    upd.setdefault("update_id", next(tg._ids))
                    tg.updates.append(upd)
                tg._cond.notify_all()
            conn.send(now)
        elif cmd == "replied":
            with tg._rlock:
                conn.send(sum(1 for v in tg.replies.values() if v))
        elif cmd == "replies":
            with tg._rlock:
                conn.send(({c: list(v) for c, v in tg.replies.items()}, time.process_time()))
        else:
            tg.stop()
            conn.send(None)
            return


class FakeProcess:
    """The fake Bot API in a child process (time.monotonic is the same clock on both sides)."""

    def __init__(self) -> None:
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve_fake, args=(child,), daemon=True)
        self.proc.start()
        self.base_url = self.conn.recv()

    async def call(self, cmd: str, arg=None):
        def ask():
            self.conn.send((cmd, arg))
            return self.conn.recv()

        return await asyncio.to_thread(ask)

    async def stop(self) -> None:
        await self.call("stop")
        self.proc.join(5)


def ensure_db(n: int, seed: int) -> Path:
    import scale

    path = scale.db_path(n)
    if not path.exists() or not (scale.OUT / f"scale-{n}.ingest.json").exists():
        scale.OUT.mkdir(parents=True, exist_ok=True)
        print(f"building {path} through Engine.add_many ...", flush=True)
        scale._subprocess(scale.phase_ingest, n, seed)
    return path


async def run(args) -> dict:
    import bot.app
    from articlebot.engine import Engine
    from articlebot.settings import Settings
    from bot.app import build_application

    if args.no_overall_limit:  # diagnosis only: PTB's AIORateLimiter caps ALL sends at 30/s (Telegram's limit)
        from bot.limits import TelegramRateLimiter

        bot.app.TelegramRateLimiter = lambda **kw: TelegramRateLimiter(overall_max_rate=0, **kw)

    src = ensure_db(args.passages, args.seed)
    n_articles = json.loads((src.parent / f"scale-{args.passages}.ingest.json").read_text())["articles"]
    qs = make_questions(args.questions, args.seed + 11, n_articles)
    tmp = Path(tempfile.mkdtemp(prefix="tgload-"))
    db = tmp / "bot.sqlite3"
    shutil.copy(src, db)  # the snapshot's manifest lives in the DB; copy the snapshot under the new name too
    snap = src.with_name(src.name + ".index.npz")
    if snap.exists():
        shutil.copy(snap, db.with_name(db.name + ".index.npz"))
    tg = FakeProcess()
    settings = Settings(database_path=db, telegram_bot_token=TOKEN, telegram_base_url=tg.base_url,
                        questions_per_minute=1000, answer_workers=args.answer_workers,
                        answer_process=args.answer_process == "on")
    t = time.perf_counter()
    engine = await Engine.open(settings, answer_process=settings.answer_process)
    open_s = time.perf_counter() - t
    helper = engine._answer_process
    if helper is not None:  # as a bot some seconds after start: its answer process has loaded the index
        async with asyncio.timeout(120):
            await helper.wait_ready()
    helper_pids = list(helper._executor._processes) if helper is not None and helper._executor else []
    if args.stub_engine:  # diagnosis: the same replies, answered in advance, so the burst costs no engine CPU
        from articlebot.models import Scope

        ready = {q: await engine._answers(engine.check_question(q), Scope(), 1) for q in qs}

        async def answered(question, scope, n):
            return ready[question]

        engine._answers = answered
    app = build_application(settings, engine)
    await app.initialize()
    await app.post_init(app)
    bot.app.freeze_startup_heap()  # as `articlebot run` does once the engine is open
    await app.updater.start_polling(poll_interval=0, timeout=1)
    await app.start()

    lags: list[float] = []
    stop = asyncio.Event()

    async def sample_lag() -> None:
        loop = asyncio.get_running_loop()
        while not stop.is_set():
            t0 = loop.time()
            await asyncio.sleep(0.010)
            lags.append(loop.time() - t0 - 0.010)

    sampler = asyncio.create_task(sample_lag())
    try:
        await asyncio.sleep(0.5)  # settle: first getUpdates long poll in flight
        base_chat = 5_000_000
        updates = [
            message_update(message(base_chat + i, user(base_chat + i, language_code="en"), q))
            for i, q in enumerate(qs)
        ]
        fake_cpu0 = (await tg.call("replies"))[1]
        cpu0 = time.process_time()
        helper_cpu0 = sum(map(_cpu_seconds, helper_pids))
        now = await tg.call("push", updates)
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            if await tg.call("replied") >= len(updates):
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)  # late duplicates would show up here
        wall = time.monotonic() - now
        bot_cpu = time.process_time() - cpu0
        helper_cpu = sum(map(_cpu_seconds, helper_pids)) - helper_cpu0
        helper_rss = sum(map(_peak_rss_mb, helper_pids))
        replies, fake_cpu = await tg.call("replies")
    finally:
        stop.set()
        await sampler
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await app.post_shutdown(app)  # closes the engine
        await tg.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    chats = [base_chat + i for i in range(len(updates))]  # every question was queued at `now`
    times = [(replies[c][0] - now) * 1000 for c in chats if replies.get(c)]
    lost = sum(1 for c in chats if not replies.get(c))
    dups = sum(1 for c in chats if len(replies.get(c, [])) > 1)
    lag_ms = np.asarray(lags) * 1000
    return {
        "passages": args.passages, "questions": len(qs), "engine_open_s": open_s, "wall_s": wall,
        "reply_p50_ms": float(np.percentile(times, 50)) if times else None,
        "reply_p95_ms": float(np.percentile(times, 95)) if times else None,
        "reply_max_ms": max(times) if times else None,
        "lost": lost, "duplicates": dups,
        "loop_lag_max_ms": float(lag_ms.max()) if lag_ms.size else None,
        "loop_lag_p99_ms": float(np.percentile(lag_ms, 99)) if lag_ms.size else None,
        "lag_samples": int(lag_ms.size),
        "bot_cpu_s": bot_cpu, "fake_server_cpu_s": fake_cpu - fake_cpu0,
        "answer_process": bool(helper_pids), "answer_process_cpu_s": helper_cpu,
        "bot_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "answer_process_peak_rss_mb": helper_rss,
        "answered_in_process": helper.answered if helper is not None else 0,
    }


def _peak_rss_mb(pid: int) -> float:
    """Peak resident memory of a process so far (Linux /proc, VmHWM)."""
    try:
        line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return 0.0
    return int(line.split()[1]) / 1024


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (Linux /proc; the bot's answer process)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def sends_only(args) -> dict:
    """The Telegram layer's floor: `--questions` sendMessage calls at once through python-telegram-bot's Bot
    (the same HTTPXRequest defaults as the Application) to the fake server, no updates and no engine."""
    from telegram import Bot

    tg = FakeProcess()
    bot = Bot(TOKEN, base_url=tg.base_url)
    await bot.initialize()
    text = "<b>Answer</b> sentence with a <i>highlight</i> and a citation [1] " * 4
    rounds = []
    try:
        for _ in range(3):
            t, c = time.perf_counter(), time.process_time()
            await asyncio.gather(
                *(bot.send_message(5_000_000 + i, text, parse_mode="HTML") for i in range(args.questions))
            )
            rounds.append((time.perf_counter() - t, time.process_time() - c))
    finally:
        await bot.shutdown()
        await tg.stop()
    wall, cpu = min(rounds)
    return {"sends": args.questions, "wall_s": wall, "bot_cpu_s": cpu, "cpu_ms_per_send": 1000 * cpu / args.questions}


def main() -> int:
    from articlebot.settings import Settings

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--passages", type=int, default=100_000)
    ap.add_argument("--questions", type=int, default=200)
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-overall-limit", action="store_true",
                    help="diagnosis: lift AIORateLimiter's 30 messages/s overall cap (Telegram's own limit)")
    ap.add_argument("--answer-workers", type=int, default=Settings().answer_workers,
                    help="the engine's question threads (ANSWER_WORKERS; default as in the settings)")
    ap.add_argument("--answer-process", choices=("on", "off"),
                    default="on" if Settings.from_env({}).answer_process else "off",
                    help="answer in a second process (ANSWER_PROCESS; default as `articlebot run` on this machine)")
    ap.add_argument("--stub-engine", action="store_true",
                    help="diagnosis: replies computed before the burst (the Telegram side's cost without the engine's)")
    ap.add_argument("--sends-only", action="store_true",
                    help="diagnosis: only --questions sendMessage calls at once (the Telegram layer's floor)")
    args = ap.parse_args()
    if args.sends_only:
        res = asyncio.run(sends_only(args))
        print(f"{res['sends']} sendMessage calls at once (best of 3): {res['wall_s']:.3f} s, bot CPU "
              f"{res['bot_cpu_s']:.3f} s ({res['cpu_ms_per_send']:.2f} ms per send)")
        return 0
    res = asyncio.run(run(args))
    res["overall_rate_limit"] = not args.no_overall_limit
    ok = (res["lost"] == 0 and res["duplicates"] == 0 and res["reply_p95_ms"] is not None
          and res["reply_p95_ms"] <= 500 and res["loop_lag_max_ms"] <= 50)
    print(f"telegram load: {res['questions']} questions at once, {res['passages']:,} passages "
          f"(engine open {res['engine_open_s']:.2f}s, all answered in {res['wall_s']:.2f}s)")
    print(f"time to reply: p50 {res['reply_p50_ms']:.0f} ms, p95 {res['reply_p95_ms']:.0f} ms, "
          f"max {res['reply_max_ms']:.0f} ms; lost {res['lost']}, duplicates {res['duplicates']}")
    print(f"event-loop lag ({res['lag_samples']} samples every 10 ms): max {res['loop_lag_max_ms']:.1f} ms, "
          f"p99 {res['loop_lag_p99_ms']:.1f} ms")
    print(f"CPU from the push to the last reply (+0.5 s): bot process {res['bot_cpu_s']:.2f} s "
          f"({1000 * res['bot_cpu_s'] / res['questions']:.1f} ms per question), fake server {res['fake_server_cpu_s']:.2f} s")
    if res["answer_process"]:
        print(f"answer process: {res['answer_process_cpu_s']:.2f} s CPU "
              f"({1000 * res['answer_process_cpu_s'] / res['questions']:.1f} ms per question), "
              f"{res['answered_in_process']} of {res['questions']} questions answered there; peak RSS "
              f"{res['answer_process_peak_rss_mb']:.0f} MB (the bot's {res['bot_peak_rss_mb']:.0f} MB)")
    else:
        print(f"peak RSS of the bot process {res['bot_peak_rss_mb']:.0f} MB")
    print("targets (p95 <= 500 ms, none lost/duplicated, lag <= 50 ms):", "met" if ok else "MISSED")
    out = HERE / "out" / f"telegram-load-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
