"""Isolation matrix, through the real bot (python-telegram-bot polling the fake Bot API) on a real Engine.

Chat A (Ann's private chat), chat B (a group) and the admin's private chat. B's article carries a secret
phrase; nothing A (or the admin in another chat) can do — questions, buttons with forged callback data,
inline mode, /show, /list, /export, /delete, /publish — may reveal it or change it. Admin commands are
refused to everyone outside ADMIN_IDS, including a group's (anonymous) Telegram admin. The bot token never
appears in a log record (DEBUG, every logger), an error or anything sent to Telegram.

The small bot harness here (`bot_running`, `ask`, `forward`, ...) is shared by the other security tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from articlebot.engine import Engine
from articlebot.settings import Settings
from bot.app import build_application
from bot.logging import setup_logging

from .fake_telegram import (
    Call,
    FakeTelegram,
    bot_message,
    callback_update,
    message,
    message_update,
    user,
)

TOKEN = "987654321:AAH-isolation_token-TOPSECRET42"
ADMIN = 7001
ANN = 7002  # chat A = Ann's private chat
BOB = 7003
CHAT_B = -1007004  # a group
ANON_GROUP_ADMIN = 1087968824  # Telegram's GroupAnonymousBot: how an anonymous group admin appears

SECRET = "zanzibar pineapple tariff"
B_TEXT = (
    "Island trade notes\n\n"
    f"The {SECRET} was raised to 417 percent by the island council on Friday.\n\n"
    "Traders in the harbour said the decision surprised everyone."
)
B_Q = "What was the zanzibar pineapple tariff raised to?"
A_TEXT = (
    "City budget\n\n"
    "The city of Bandung approved a budget of 9 trillion rupiah for road repairs on Monday.\n\n"
    "The mayor said work starts next month."
)
A_Q = "How much did Bandung approve for road repairs?"
NOT_AVAILABLE = "Sorry, that is not available any more."
ADMINS_ONLY = "Sorry, this command is for the bot's admins only."


# --- harness ------------------------------------------------------------------------------------


def make_bot_settings(tmp_path: Path, tg: FakeTelegram, **kw) -> Settings:
    base = dict(
        database_path=tmp_path / "bot.sqlite3",
        telegram_bot_token=tg.token,
        telegram_base_url=tg.base_url,
        admin_ids=frozenset({ADMIN}),
        fetch_allow_private=False,
        questions_per_minute=10_000,
        min_answer_score=0.05,
    )
    base.update(kw)
    return Settings(**base)


def lift_flood_limits(monkeypatch) -> None:
    """Telegram's flood limits (AIORateLimiter: 30 msg/s, 20 msg/min per group) would stretch bulk tests over
    minutes; they are not what those tests measure, so they are lifted. Everything else is the production path."""
    import bot.app
    from bot.limits import TelegramRateLimiter

    monkeypatch.setattr(
        bot.app, "TelegramRateLimiter",
        lambda max_retries: TelegramRateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=max_retries),
    )


@contextlib.asynccontextmanager
async def bot_running(settings: Settings) -> AsyncIterator[Engine]:
    """A polling Application around an Engine on settings.database_path."""
    engine = await Engine.open(settings)
    app = build_application(settings, engine)
    await app.initialize()
    await app.updater.start_polling(poll_interval=0, timeout=1)
    await app.start()
    try:
        yield engine
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await app.post_shutdown(app)


async def wait_calls(tg: FakeTelegram, method: str, predicate=None, *, count: int = 1, within: float = 10.0) -> list[Call]:
    """Wait until at least `count` calls to `method` match `predicate`; returns them."""
    return await tg.wait_for(method, predicate, count=count, within=within)


async def settle(tg: FakeTelegram, seconds: float = 0.3) -> None:
    """Let queued updates be fetched and in-flight handlers finish."""
    for _ in range(500):
        if not tg.updates:
            break
        await asyncio.sleep(0.02)
    await asyncio.sleep(seconds)


def n_sent(tg: FakeTelegram, chat_id: int) -> int:
    return len(tg.sent_texts(chat_id))


async def send(tg: FakeTelegram, chat_id: int, text: str | None, sender: dict | None = None, **kw) -> Call:
    """Push a message and return the bot's next sendMessage to that chat."""
    before = n_sent(tg, chat_id)
    tg.push(message_update(message(chat_id, sender or user(ANN), text, **kw)))
    calls = await wait_calls(tg, "sendMessage", lambda c: c.params["chat_id"] == chat_id, count=before + 1)
    return calls[before]


def forward_msg(chat_id: int, text: str, sender: dict, **kw) -> dict:
    origin = {"type": "channel", "chat": {"id": -1009, "type": "channel", "title": "Wire", "username": "wire"},
              "message_id": 1, "date": 1_716_451_200}
    return message(chat_id, sender, text, forward_origin=origin, **kw)


async def forward(tg: FakeTelegram, chat_id: int, text: str, sender: dict | None = None) -> Call:
    before = n_sent(tg, chat_id)
    tg.push(message_update(forward_msg(chat_id, text, sender or user(ANN))))
    calls = await wait_calls(tg, "sendMessage", lambda c: c.params["chat_id"] == chat_id, count=before + 1)
    return calls[before]


def saved_id(call: Call) -> int:
    assert call.text.startswith(("Saved #", "Already saved as #")), call.text
    return int(call.text.split("#", 1)[1].split()[0])


async def callback(tg: FakeTelegram, sender: dict, data: str, chat_id: int, msg_id: int = 1) -> Call:
    """Press a button (possibly forged) on a bot message in `chat_id`; returns the answerCallbackQuery."""
    update = callback_update(sender, data, bot_message(chat_id, msg_id))
    cq_id = update["callback_query"]["id"]
    tg.push(update)
    return (await wait_calls(tg, "answerCallbackQuery", lambda c: c.params.get("callback_query_id") == cq_id))[0]


def everything_sent(tg: FakeTelegram, since: int = 0) -> str:
    """Every parameter and file the bot sent to Telegram (after call number `since`), as one string."""
    parts = []
    for c in tg.calls[since:]:
        parts.append(json.dumps(c.params, ensure_ascii=False, default=str))
        parts.extend(content.decode("utf-8", "replace") for _, content in c.files.values())
    return "\n".join(parts)


# --- fixtures -------------------------------------------------------------------------------------


@pytest.fixture
def tg() -> FakeTelegram:
    fake = FakeTelegram(TOKEN).start()
    yield fake
    fake.stop()


@pytest.fixture
def settings(tmp_path, tg) -> Settings:
    return make_bot_settings(tmp_path, tg)


@pytest.fixture
async def world(tg, settings):
    """B's secret article and A's own article saved through the bot; yields (engine, b_id, a_id, b_answer)."""
    async with bot_running(settings) as engine:
        b_id = saved_id(await forward(tg, CHAT_B, B_TEXT, user(BOB)))
        a_id = saved_id(await forward(tg, ANN, A_TEXT, user(ANN)))
        b_answer = await send(tg, CHAT_B, f"/ask {B_Q}", user(BOB))
        assert "417" in b_answer.text  # B itself can see it
        yield engine, b_id, a_id, b_answer


def no_secret(tg: FakeTelegram, since: int) -> None:
    sent = everything_sent(tg, since)
    for phrase in ("417 percent", "council on Friday", "Island trade notes", "Traders in the harbour"):
        assert phrase not in sent, phrase


# --- questions, buttons, inline ----------------------------------------------------------------


async def test_questions_in_other_chats_never_see_b(tg, world):
    engine, b_id, a_id, _ = world
    since = len(tg.calls)
    for chat, who, text in (
        (ANN, user(ANN), B_Q),
        (ANN, user(ANN), "zanzibar pineapple tariff raised island"),
        (ADMIN, user(ADMIN), B_Q),  # the bot admin's own chat does not see B either
        (-1009999, user(BOB), f"/ask {B_Q}"),  # Bob, a member of B, asking in another group
    ):
        reply = await send(tg, chat, text, who)
        assert reply.text.startswith("I couldn't find that"), reply.text
    no_secret(tg, since)
    # A still sees its own
    assert "9 trillion" in (await send(tg, ANN, A_Q)).text


async def test_forged_callbacks_naming_b_ids_are_refused(tg, world):
    engine, b_id, a_id, b_answer = world
    qid = int(dict(b_answer.buttons())["Sources"].split(":")[1])
    stats_before = await engine.stats()
    since = len(tg.calls)
    forged = [f"src:{qid}", f"more:{qid}", f"fb:{qid}:1", f"fb:{qid}:-1", f"src:{qid + 1000}", "src:-1",
              f"src:{qid}:1", "more:abc", "fb:1:5", f"fb:{qid}", "src:" + "9" * 30, f"src:{qid}\x00"]
    for data in forged:
        ack = await callback(tg, user(ANN), data, ANN)
        assert ack.params.get("text") == NOT_AVAILABLE, (data, ack.params)
    # the admin pressing B's buttons from the admin's own chat gets nothing either
    for data in (f"src:{qid}", f"more:{qid}", f"fb:{qid}:1"):
        ack = await callback(tg, user(ADMIN), data, ADMIN)
        assert ack.params.get("text") == NOT_AVAILABLE
    # del:/list: are admin buttons: refused to Ann, and to the admin they only act within the admin's chat
    assert (await callback(tg, user(ANN), f"del:{b_id}", ANN)).params.get("text") == ADMINS_ONLY
    assert (await callback(tg, user(ANN), "list:0", CHAT_B)).params.get("text") == ADMINS_ONLY
    await callback(tg, user(ADMIN), f"del:{b_id}", ADMIN)
    edit = (await wait_calls(tg, "editMessageText", lambda c: c.params.get("chat_id") == ADMIN))[-1]
    assert edit.text == f"No article #{b_id} in this chat."
    await callback(tg, user(ADMIN), "list:0", ADMIN)
    await callback(tg, user(ADMIN), "list:-10", ADMIN)
    await callback(tg, user(ADMIN), "list:" + "9" * 25, ADMIN)
    await callback(tg, user(ADMIN), "del:" + "9" * 25, ADMIN)
    await settle(tg, 0.2)
    no_secret(tg, since)
    assert (await engine.db.get_article(b_id)) is not None
    stats = await engine.stats()
    assert (stats["feedback_up"], stats["feedback_down"]) == (stats_before["feedback_up"], stats_before["feedback_down"])
    assert not [c for c in tg.calls[since:] if c.method == "sendMessage" and c.params["chat_id"] == ANN]


async def test_inline_mode_sees_only_the_global_collection(tg, world):
    engine, b_id, a_id, _ = world
    since = len(tg.calls)
    for i, q in enumerate((B_Q, A_Q, "zanzibar 417")):
        tg.push({"inline_query": {"id": f"iso{i}", "from": user(BOB), "query": q, "offset": ""}})
        res = (await wait_calls(tg, "answerInlineQuery", lambda c, i=i: c.params["inline_query_id"] == f"iso{i}"))[0]
        assert res.params["results"][0]["title"] == "Not in the public articles"
    no_secret(tg, since)
    # once B's admin-approved article is published, inline mode (and every chat) may show it
    published = await send(tg, ADMIN, f"/publish {b_id}", user(ADMIN))
    assert published.text == f"No article #{b_id} in this chat."  # not from another chat, though
    assert not (await engine.db.get_article(b_id)).public
    published = await send(tg, CHAT_B, f"/publish {b_id}", user(ADMIN))
    assert published.text.startswith(f"Published #{b_id}")
    tg.push({"inline_query": {"id": "iso-pub", "from": user(ANN), "query": B_Q, "offset": ""}})
    res = (await wait_calls(tg, "answerInlineQuery", lambda c: c.params["inline_query_id"] == "iso-pub"))[0]
    assert "417" in res.params["results"][0]["input_message_content"]["message_text"]


async def test_admin_commands_from_another_chat_cannot_reach_b(tg, world):
    engine, b_id, a_id, _ = world
    since = len(tg.calls)
    admin = user(ADMIN)
    assert (await send(tg, ADMIN, f"/show {b_id}", admin)).text == f"No article #{b_id} in this chat."
    assert (await send(tg, ADMIN, f"/delete {b_id}", admin)).text == f"No article #{b_id} in this chat."
    assert (await send(tg, ADMIN, f"/publish {b_id}", admin)).text == f"No article #{b_id} in this chat."
    assert (await send(tg, ANN, f"/show {b_id}", admin)).text == f"No article #{b_id} in this chat."
    huge = "9" * 25  # beyond SQLite's 64-bit integers: "no such article", not an error
    assert (await send(tg, ADMIN, f"/show {huge}", admin)).text == f"No article #{huge} in this chat."
    assert (await send(tg, ADMIN, f"/delete {huge}", admin)).text == f"No article #{huge} in this chat."
    assert "Articles" not in (await send(tg, ADMIN, f"/list {huge}", admin)).text
    listing = await send(tg, ANN, "/list", admin)  # the admin, but in chat A
    assert "City budget" in listing.text
    before_docs = len(tg.calls_to("sendDocument"))
    tg.push(message_update(message(ANN, admin, "/export")))
    doc = (await wait_calls(tg, "sendDocument", count=before_docs + 1))[-1]
    exported = doc.files["document"][1].decode()
    assert "Bandung" in exported and len(exported.splitlines()) == 1
    await settle(tg, 0.2)
    no_secret(tg, since)
    row = await engine.db.get_article(b_id)
    assert row is not None and not row.public


async def test_admin_commands_refused_to_non_admins(tg, world):
    engine, b_id, a_id, _ = world
    since = len(tg.calls)
    stats_before = await engine.db.stats()
    anonymous_admin = {"id": ANON_GROUP_ADMIN, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
    group_chat = {"id": CHAT_B, "type": "supergroup", "title": "Newsroom"}
    for who, chat, extra in (
        (user(ANN), ANN, {}),
        (user(BOB), CHAT_B, {}),  # a member (say the group's creator) who is not in ADMIN_IDS
        (anonymous_admin, CHAT_B, {"sender_chat": group_chat}),  # an anonymous group admin
    ):
        for i, cmd in enumerate(("/stats", "/list", f"/show {b_id}", f"/delete {b_id}", f"/publish {b_id}", "/export",
                                 "/reindex")):
            if chat == ANN or i == 0:  # in a group a member is told once, not for every command
                reply = await send(tg, chat, cmd, who, **extra)
                assert reply.text == ADMINS_ONLY, (cmd, reply.text)
            else:
                before = n_sent(tg, chat)
                tg.push(message_update(message(chat, who, cmd, **extra)))
                await settle(tg, 0.2)
                assert n_sent(tg, chat) == before, cmd
        for data in (f"del:{b_id}", "list:0", "cancel"):
            assert (await callback(tg, who, data, chat)).params.get("text") == ADMINS_ONLY
    await settle(tg, 0.2)
    assert not tg.calls_to("sendDocument")
    assert not [c for c in tg.calls[since:] if c.method == "editMessageText"]
    after = await engine.db.stats()
    assert (after["articles"], after["public_articles"]) == (stats_before["articles"], stats_before["public_articles"])
    no_secret(tg, since)


# --- the token --------------------------------------------------------------------------------------


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(self.format(record))


async def _full_flow_logs(tg: FakeTelegram, settings: Settings, force_all_debug: bool) -> tuple[list[str], str]:
    """Run a full flow (add, ask, admin, refused URL, a failing download -> error handler, document, reindex)
    with root logging at DEBUG as `articlebot run` sets it up; returns (formatted log records, all sent)."""
    root = logging.getLogger()
    capture = _Capture()
    names = ("httpx", "httpcore", "telegram", "bot", "articlebot", "storage")
    saved = (root.level, {n: logging.getLogger(n).level for n in names})
    root.addHandler(capture)
    try:
        setup_logging("DEBUG", settings.telegram_bot_token)  # what `articlebot run` does with LOG_LEVEL=DEBUG
        if force_all_debug:  # every library at DEBUG too, not only what setup_logging lets through
            for name in names:
                logging.getLogger(name).setLevel(logging.DEBUG)
        tg.add_file("ok", b"Harbour report\n\nThe harbour handled 12,000 containers in May.", "docs/ok.txt")
        tg.fail_methods["getFile"] = (400, f"Bad Request: wrong file id (token {settings.telegram_bot_token})")
        async with bot_running(replace(settings, log_level="DEBUG")) as engine:
            await forward(tg, ANN, A_TEXT)
            await send(tg, ANN, A_Q)
            await send(tg, ADMIN, "/stats", user(ADMIN))
            await send(tg, ANN, "http://127.0.0.1:1/secret")  # refused fetch
            doc = {"file_id": "ok", "file_unique_id": "u-ok", "file_name": "ok.txt", "file_size": 60}
            error_reply = await send(tg, ANN, None, document=doc)  # getFile fails -> the error handler runs
            assert error_reply.text == "Something went wrong, please try again."
            tg.fail_methods.clear()
            ok = await send(tg, ANN, None, document=dict(doc), message_id=55_555)
            assert ok.text.startswith("Saved #")
            await send(tg, ADMIN, "/reindex", user(ADMIN))
            await engine.stats()
    finally:
        root.removeHandler(capture)
        for h in root.handlers:
            for f in list(h.filters):
                if type(f).__name__ == "TokenRedactingFilter":
                    h.removeFilter(f)
        root.setLevel(saved[0])
        for name, level in saved[1].items():
            logging.getLogger(name).setLevel(level)
    assert any("Error while handling an update" in t for t in capture.texts)
    return capture.texts, everything_sent(tg)


def _assert_no_token(texts: list[str], sent: str, token: str) -> None:
    secret_half = token.split(":", 1)[1]  # the part before ":" is the bot's public id
    leaking = sorted({t.split(" ", 1)[0] for t in texts if secret_half in t})
    assert not leaking, f"the token's secret appears in records of {leaking}"
    assert secret_half not in sent


async def test_token_never_in_logs_errors_or_replies(tg, settings):
    texts, sent = await _full_flow_logs(tg, settings, force_all_debug=False)
    assert len(texts) > 50 and any(t.startswith("telegram") for t in texts)  # the capture saw PTB at DEBUG
    _assert_no_token(texts, sent, settings.telegram_bot_token)


async def test_token_never_in_logs_even_with_httpx_at_debug(tg, settings):
    texts, sent = await _full_flow_logs(tg, settings, force_all_debug=True)
    assert any(t.startswith("httpx") for t in texts)
    _assert_no_token(texts, sent, settings.telegram_bot_token)
