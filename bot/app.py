"""Assembling and running the Telegram bot.

`build_application(settings, engine)` wires every handler into one python-telegram-bot `Application`;
`run(settings)` (the `articlebot run` command) opens the engine and runs it with long polling, or a
webhook when WEBHOOK_URL is set. `run_bot(settings)` is the same for an already running event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import sys
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from articlebot.settings import Settings

from . import callbacks, handlers
from .limits import SlidingWindowLimiter, TelegramRateLimiter
from .logging import setup_logging

if TYPE_CHECKING:
    from articlebot.engine import Engine

logger = logging.getLogger(__name__)

BAD_TOKEN_MESSAGE = (
    "TELEGRAM_BOT_TOKEN was rejected by Telegram: copy the token again from @BotFather into .env"
)
UNREACHABLE_MESSAGE = (
    "cannot reach the Telegram Bot API at {where} ({what}): check the network, or TELEGRAM_BASE_URL"
)
NO_TOKEN_MESSAGE = (
    "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its token in .env (see .env.example)"
)
CONCURRENT_UPDATES = 64  # updates handled at once: a slow question never stalls other users
# Connections to the Bot API for sending (python-telegram-bot's default is 256). httpcore scans every pooled
# connection on each request, so a burst that opened hundreds paid for all of them on every reply; 32 carry far
# more than Telegram's 30 messages a second (measured: benchmarks/telegram_load.py, README "Speed and scale").
HTTP_POOL_SIZE = 32

PUBLIC_COMMANDS = {
    "en": [("ask", "Ask about the saved articles"), ("help", "How to use the bot"), ("start", "Start")],
    # The Indonesian menu shows the Indonesian names (found in review: Indonesian descriptions beside English
    # names); both names work (`add_handlers`).
    "id": [("tanya", "Tanya tentang artikel tersimpan"), ("bantuan", "Cara pakai bot"), ("mulai", "Mulai")],
}
ADMIN_COMMANDS = {
    "en": [
        ("list", "List this chat's articles"),
        ("show", "Show an article: /show ID"),
        ("delete", "Delete an article: /delete ID"),
        ("publish", "Publish an article to everyone: /publish ID"),
        ("unpublish", "Stop publishing an article: /unpublish ID"),
        ("export", "Export this chat's articles (JSONL)"),
        ("stats", "Index and usage statistics"),
        ("reindex", "Rebuild the search index"),
    ],
    "id": [
        ("daftar", "Daftar artikel di obrolan ini"),
        ("lihat", "Tampilkan artikel: /lihat NOMOR"),
        ("hapus", "Hapus artikel: /hapus NOMOR"),
        ("terbitkan", "Terbitkan artikel untuk semua: /terbitkan NOMOR"),
        ("unpublish", "Batalkan penerbitan: /unpublish NOMOR"),
        ("ekspor", "Ekspor artikel obrolan ini (JSONL)"),
        ("statistik", "Statistik indeks dan pemakaian"),
        ("reindex", "Bangun ulang indeks pencarian"),
    ],
}


def file_base_url(base_url: str) -> str:
    """The file download URL for a Bot API base URL: `http://h:1/bot` -> `http://h:1/file/bot`."""
    i = base_url.rfind("/bot")
    if i == -1:
        return base_url.rstrip("/") + "/file/bot"
    return base_url[:i] + "/file" + base_url[i:]


# Each command's names and handler. Indonesian names work too (found in an Indonesian user's review: "/tanya …"
# was an unknown command).
COMMANDS = (
    (("start", "mulai"), handlers.start),
    (("help", "bantuan"), handlers.help_command),
    (("ask", "tanya"), handlers.ask_command),
    (("add", "simpan"), handlers.add_command),
    (("stats", "statistik"), handlers.stats_command),
    (("list", "daftar"), handlers.list_command),
    (("show", "lihat"), handlers.show_command),
    (("delete", "hapus"), handlers.delete_command),
    (("publish", "terbitkan"), handlers.publish_command),
    (("unpublish",), handlers.unpublish_command),
    (("export", "ekspor"), handlers.export_command),
    (("reindex",), handlers.reindex_command),
)


def add_handlers(application: Application) -> None:
    """Register every handler. The first matching handler in the group wins, so order matters."""
    only_new = filters.UpdateType.MESSAGE  # edited messages and channel posts are not commands
    for names, callback in COMMANDS:
        application.add_handler(CommandHandler(names, callback, filters=only_new))

    # A group upgraded to a supergroup gets a new chat id: its articles go with it.
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, handlers.on_migrate))
    text_or_caption = filters.TEXT | filters.CAPTION
    application.add_handler(
        MessageHandler(
            filters.UpdateType.EDITED_MESSAGE & filters.FORWARDED & text_or_caption, handlers.on_edited
        )
    )
    application.add_handler(
        MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.TEXT & ~filters.FORWARDED, handlers.on_edited_question)
    )
    # A file first: a forwarded file with a caption is the file (the caption is only its description).
    application.add_handler(MessageHandler(only_new & filters.Document.ALL, handlers.on_document))
    application.add_handler(
        MessageHandler(only_new & filters.FORWARDED & text_or_caption, handlers.on_forward)
    )
    application.add_handler(MessageHandler(only_new & filters.TEXT & ~filters.COMMAND, handlers.on_text))
    application.add_handler(
        MessageHandler(only_new & filters.COMMAND & filters.ChatType.PRIVATE, handlers.on_unknown_command)
    )
    media = filters.PHOTO | filters.VIDEO | filters.AUDIO | filters.VOICE | filters.ANIMATION | filters.Sticker.ALL
    application.add_handler(
        MessageHandler(only_new & filters.ChatType.PRIVATE & media, handlers.on_unreadable_media)
    )

    application.add_handler(CallbackQueryHandler(callbacks.on_sources, pattern=r"^src:"))
    application.add_handler(CallbackQueryHandler(callbacks.on_more, pattern=r"^more:"))
    application.add_handler(CallbackQueryHandler(callbacks.on_feedback, pattern=r"^fb:"))
    application.add_handler(CallbackQueryHandler(callbacks.on_list_page, pattern=r"^list:"))
    application.add_handler(CallbackQueryHandler(callbacks.on_delete_confirm, pattern=r"^del:"))
    application.add_handler(CallbackQueryHandler(callbacks.on_cancel, pattern=r"^cancel$"))
    application.add_handler(CallbackQueryHandler(callbacks.on_unknown))  # stale or forged data

    application.add_handler(InlineQueryHandler(handlers.on_inline_query))
    application.add_error_handler(handlers.on_error)


async def on_startup(application: Application) -> None:
    """post_init: register the command menu (a failure is logged, not fatal)."""
    bot = application.bot
    settings: Settings = application.bot_data["engine"].settings
    try:
        for lang, commands in PUBLIC_COMMANDS.items():
            await bot.set_my_commands(
                [BotCommand(c, d) for c, d in commands], language_code=None if lang == "en" else lang
            )
        # An admin's chat gets the public commands and the admin ones, in each language (found in review: an
        # Indonesian admin saw the whole menu in English, the public commands too).
        for admin_id in sorted(settings.admin_ids):
            for lang, commands in PUBLIC_COMMANDS.items():
                menu = [BotCommand(c, d) for c, d in commands + ADMIN_COMMANDS[lang]]
                with contextlib.suppress(TelegramError):  # an admin who never opened a chat with the bot
                    await bot.set_my_commands(
                        menu, scope=BotCommandScopeChat(admin_id), language_code=None if lang == "en" else lang
                    )
    except TelegramError as exc:
        logger.warning("Could not register the command menu: %s", exc)


def freeze_startup_heap() -> None:
    """Collect once, then exclude every object alive now from later garbage collections (`gc.freeze`).

    The start-up heap (modules, the engine, python-telegram-bot) lives as long as the process; scanning it again
    in each full collection stopped every thread for ~45 ms under a burst of questions (measured with
    `benchmarks/telegram_load.py`: event-loop lag max 36-53 ms before, 17-46 ms after). Objects that die later
    are still freed by reference counting; only cycles among start-up objects would now stay. Called by `run`
    and `run_bot` once the engine is open (`run_bot` unfreezes when it returns).
    """
    gc.collect()
    gc.freeze()


async def on_shutdown(application: Application) -> None:
    """post_shutdown: close the engine (once)."""
    await close_engine(application)


async def close_engine(application: Application) -> None:
    if application.bot_data.get("engine_closed"):
        return
    application.bot_data["engine_closed"] = True
    await application.bot_data["engine"].close()


def build_application(settings: Settings, engine: Engine) -> Application:
    """The bot: one Application around one opened Engine."""
    builder = ApplicationBuilder().token(settings.telegram_bot_token)
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url).base_file_url(
            file_base_url(settings.telegram_base_url)
        )
    application = (
        builder.rate_limiter(TelegramRateLimiter(max_retries=2))
        .concurrent_updates(CONCURRENT_UPDATES)
        .connection_pool_size(HTTP_POOL_SIZE)
        .post_init(on_startup)
        .post_shutdown(on_shutdown)
        .build()
    )
    application.bot_data["engine"] = engine
    application.bot_data["limiter"] = SlidingWindowLimiter(settings.questions_per_minute)
    # Inline queries arrive one per keystroke: their own budget, so typing one never uses up the chat questions'.
    application.bot_data["inline_limiter"] = SlidingWindowLimiter(settings.questions_per_minute)
    # Fetching a link (up to FETCH_TIMEOUT, MAX_ARTICLE_BYTES) or downloading a file costs far more than a
    # question: one sender may not make the bot do it without bound (found in review).
    application.bot_data["fetch_limiter"] = SlidingWindowLimiter(settings.fetches_per_minute)
    add_handlers(application)
    return application


def webhook_options(settings: Settings) -> dict[str, Any]:
    """`run_webhook`/`start_webhook` arguments: the local path is the path of WEBHOOK_URL."""
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": urlsplit(settings.webhook_url).path.lstrip("/"),
        "webhook_url": settings.webhook_url,
        "secret_token": settings.webhook_secret or None,
        "allowed_updates": Update.ALL_TYPES,
    }


def run(settings: Settings) -> int:
    """`articlebot run`: returns the process exit code (2 without a token)."""
    if not settings.telegram_bot_token:
        print(NO_TOKEN_MESSAGE, file=sys.stderr)
        return 2
    from articlebot.engine import Engine

    setup_logging(settings.log_level, settings.telegram_bot_token, settings.webhook_secret)
    if settings.webhook_secret and not settings.webhook_url:
        logger.warning("WEBHOOK_SECRET is set but WEBHOOK_URL is not: polling, so the secret guards nothing")
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    engine = loop.run_until_complete(Engine.open(settings, answer_process=settings.answer_process))
    application = build_application(settings, engine)
    try:
        # Ask Telegram who we are before polling: a rejected token or an unreachable server is one line here,
        # not python-telegram-bot's retry loop and tracebacks.
        with _quiet_telegram_logs():
            loop.run_until_complete(application.bot.initialize())
    except InvalidToken:  # its message contains the token: never print it
        print(BAD_TOKEN_MESSAGE, file=sys.stderr)
        return _close(loop, application, 2)
    except NetworkError as exc:  # the class name only: a message could carry the URL, and so the token
        where = settings.telegram_base_url or "https://api.telegram.org"
        print(UNREACHABLE_MESSAGE.format(where=where, what=type(exc).__name__), file=sys.stderr)
        return _close(loop, application, 1)
    freeze_startup_heap()
    try:
        # run_polling/run_webhook install SIGINT/SIGTERM handlers and call post_init/post_shutdown
        if settings.webhook_url:
            logger.info("Starting the bot with a webhook at %s", settings.webhook_url)
            application.run_webhook(**webhook_options(settings), close_loop=False)
        else:
            logger.info("Starting the bot with long polling")
            application.run_polling(allowed_updates=Update.ALL_TYPES, close_loop=False)
    except InvalidToken:  # its message contains the token: never print it
        print(BAD_TOKEN_MESSAGE, file=sys.stderr)
        return 2
    finally:
        loop.run_until_complete(close_engine(application))
        loop.close()
    return 0


@contextlib.contextmanager
def _quiet_telegram_logs():
    """python-telegram-bot and httpx log each failed start-up request with a traceback; we say it in one line."""
    names = ("telegram", "httpx")
    levels = {n: logging.getLogger(n).level for n in names}
    for n in names:
        logging.getLogger(n).setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for n, level in levels.items():
            logging.getLogger(n).setLevel(level)


def _close(loop: asyncio.AbstractEventLoop, application: Application, code: int) -> int:
    with contextlib.suppress(Exception):
        loop.run_until_complete(application.bot.shutdown())
    loop.run_until_complete(close_engine(application))
    loop.close()
    return code


async def run_bot(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Run the bot inside an already running event loop until SIGINT/SIGTERM (or `stop` is set)."""
    if not settings.telegram_bot_token:
        raise SystemExit(NO_TOKEN_MESSAGE)
    from articlebot.engine import Engine

    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)
    engine = await Engine.open(settings, answer_process=settings.answer_process)
    application = build_application(settings, engine)
    try:
        await application.initialize()
        await on_startup(application)
        if settings.webhook_url:
            await application.updater.start_webhook(**webhook_options(settings))
        else:
            await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        await application.start()
        freeze_startup_heap()
        await stop.wait()
    finally:
        gc.unfreeze()
        if application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
        await close_engine(application)
        for sig in installed:
            loop.remove_signal_handler(sig)
