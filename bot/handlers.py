"""Command and message handlers.

Each handler translates a Telegram update into calls on the one `Engine` (stored in
`application.bot_data["engine"]`) and renders the result; no retrieval or storage logic lives here.
Every chat is its own collection: `Scope(chat_id=chat.id)`; inline mode sees the public collection only.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import httpx
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputFile,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut
from telegram.ext import ContextTypes

from articlebot.documents import DocumentError, ExtractedDocument, human_size, read_document
from articlebot.fetch import FetchError, fetch_article, find_single_url, page_covers
from articlebot.models import AddResult, Answer, ArticleIn, QuestionError, Scope
from articlebot.settings import Settings
from retrieval.colloquial import formal_question
from retrieval.stopwords import QUESTION_WORDS
from retrieval.text import detect_language

from . import i18n, render
from .limits import RequestProgress, SlidingWindowLimiter, TelegramRateLimiter, Verdict

if TYPE_CHECKING:
    from articlebot.engine import Engine

logger = logging.getLogger(__name__)

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
LIST_PAGE = 10
TITLE_MAX = 200
REINDEX_EDIT_INTERVAL = 1.0  # seconds between progress edits
IN_FLIGHT_KEY = "questions_in_flight"  # bot_data: [questions being answered right now]
TYPING_BUSY_QUESTIONS = 4  # with this many questions in flight ...
TYPING_DELAY_BUSY = 2.0  # ... "typing…" is shown only for a question still unanswered after this long
SEND_RETRY_DELAYS = (0.5, 2.0)  # a reply lost to a dropped connection is sent again after these pauses


# --- small helpers -----------------------------------------------------------------------------


def engine_of(context: ContextTypes.DEFAULT_TYPE) -> Engine:
    return context.application.bot_data["engine"]


def settings_of(context: ContextTypes.DEFAULT_TYPE) -> Settings:
    return engine_of(context).settings


def limiter_of(context: ContextTypes.DEFAULT_TYPE, kind: str = "limiter") -> SlidingWindowLimiter:
    """The per-sender question throttle ("limiter": chat questions and answer buttons; "inline_limiter")."""
    return context.application.bot_data[kind]


async def may_fetch(update: Update, context: ContextTypes.DEFAULT_TYPE, *, quietly: bool = False) -> bool:
    """Whether the sender may make the bot fetch a link or download a file now (FETCHES_PER_MINUTE); told
    once per chat when not, unless `quietly` (a forwarded headline is then saved as the post instead)."""
    key = user_id_of(update) or update.effective_chat.id
    verdict = limiter_of(context, "fetch_limiter").check(key, update.effective_chat.id)
    if verdict is Verdict.ALLOW:
        return True
    if verdict is Verdict.WARN and not quietly:
        await reply(update, context, i18n.text("fetch_throttled", lang_of(update)))
    return False


def lang_of(update: Update) -> str:
    user = update.effective_user
    return i18n.lang_of(user.language_code if user else None)


def reply_lang(update: Update, text: str) -> str:
    """The language to answer a message in: its own, Indonesian or English, when it has the words to tell (two
    or more), else the user's Telegram language. Found in an Indonesian user's review: many Indonesians run
    Telegram in English, and their Indonesian questions were answered in English."""
    if len(text.split()) >= 2:
        detected = detect_language(formal_question(text))
        if detected in (i18n.EN, i18n.ID):
            return detected
    return lang_of(update)


def scope_of(update: Update) -> Scope:
    return Scope(chat_id=update.effective_chat.id)


def user_id_of(update: Update) -> int | None:
    return update.effective_user.id if update.effective_user else None


def throttle_key(update: Update) -> int:
    """Who a question counts against: the channel or group a message is sent on behalf of (every such sender
    shows up as the same placeholder user, Channel_Bot or GroupAnonymousBot), else the user, else the chat."""
    message = update.effective_message
    if message is not None and message.sender_chat is not None:
        return message.sender_chat.id
    uid = user_id_of(update)
    return uid if uid is not None else update.effective_chat.id


_NUMBER_RE = re.compile(r"#?([0-9]+)")  # ASCII digits only: str.isdigit() also accepts "³", int() does not


def number_arg(text: str) -> int | None:
    """A command's numeric argument ("12" or "#12"), or None."""
    m = _NUMBER_RE.fullmatch(text.strip())
    return int(m.group(1)) if m else None


def question_error_text(exc: QuestionError, lang: str, private: bool = False) -> str:
    """A refused question, said in the user's language; in a private chat a long text is more likely an article
    pasted to be saved (found in review), so the way to save one is added."""
    if exc.kind in ("empty", "too_many_words", "too_many_chars"):
        text = i18n.text(f"question_{exc.kind}", lang, **exc.details)
        if private and exc.kind != "empty":
            text += "\n" + i18n.text("long_text_hint", lang)
        return text
    return render.esc(str(exc))


# Greetings and thanks: not questions about the articles (found in review: "halo", "makasih ya" got "I couldn't
# find that" with feedback buttons and counted as unanswered in /stats).
_THANKS = frozenset("makasih makasi trims thanks thank thx tengkyu tq terima kasih".split())
_ACK = frozenset(
    "ya yaa ok oke okay okey sip siap mantap mantab nice great cool bagus keren good noted lol lmao wow".split()
)
_SALAM = frozenset("assalamualaikum assalamu'alaikum asalamualaikum assalamualaikom salam".split())
_HELLO = frozenset(
    "halo hallo hai hi hello hey hei pagi siang sore malam selamat permisi ping test tes p morning evening "
    "afternoon".split()
) | _SALAM
# Words that say the small talk is Indonesian, whatever the user's Telegram language.
_INDONESIAN_TALK = frozenset("makasih makasi trims tengkyu terima kasih halo hallo hai selamat permisi pagi siang "
                             "sore malam kak min bang gan mas mbak oke sip siap mantap mantab bagus keren "
                             "semua".split()) | _SALAM
_ENGLISH_TALK = frozenset("thanks thank thx hi hello hey morning evening afternoon good great nice cool there "
                          "everyone".split())
_FILLER = frozenset(
    "banyak bot kak min bang gan mas mbak semua guys all so much very lot you a there morning evening afternoon "
    "night day everyone".split()
)


_TALK_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")  # "assalamu'alaikum" is one word


def small_talk(text: str) -> str | None:
    """"thanks", "salam", "hello" or "ack" when a message is only small talk (or has no word at all: "???", "🤔"),
    else None. "salam" is the greeting "assalamualaikum", which is answered in kind; "ack" an "ok", a laugh or
    an emoji alone."""
    words = [w.casefold() for w in _TALK_WORD.findall(text)]
    if len(words) > 4:
        return None
    laugh = ("wkwk", "haha", "hehe")
    if not words or all(
        w in _HELLO or w in _THANKS or w in _ACK or w in _FILLER or w.startswith(laugh) for w in words
    ):
        if not _THANKS.isdisjoint(words):
            return "thanks"
        if not _SALAM.isdisjoint(words):
            return "salam"
        if _HELLO.isdisjoint(words) and ("?" not in text or words):
            # "ok cool 👍", "mantap", "lol", "🌀🌀": an acknowledgement gets one back, not the greeting's
            # how-to (found in an English user's review); "???" still gets it
            return "ack"
        return "hello"
    return None


def small_talk_lang(update: Update, text: str) -> str:
    """Indonesian small talk ("makasih", "assalamualaikum") is answered in Indonesian (found in review: an
    Indonesian with an English Telegram got "You're welcome!")."""
    words = {w.casefold() for w in _TALK_WORD.findall(text)}
    if not _INDONESIAN_TALK.isdisjoint(words):
        return i18n.ID
    return i18n.EN if not _ENGLISH_TALK.isdisjoint(words) else lang_of(update)


_QUESTION_WORDS = frozenset().union(*QUESTION_WORDS.values())
_ANY_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+")  # "www.kompas.com/…" is a link too (found in review)
_LINK_NOTE_WORDS = 6  # "coba simpan ini ya <link>": a few words around one link, not a question


def _as_link(found: str) -> str:
    """A link found in a message, without the punctuation after it, "www." ones with "https://"."""
    link = found.rstrip(".,;:!?)»”\"'")
    return "https://" + link if link[:4].casefold() == "www." else link


def link_to_save(text: str) -> str | None:
    """The link of a message that is one link, alone or with a few words around it and no question (found in
    review: "coba simpan ini ya <link>" was asked as a question)."""
    url = find_single_url(text)
    if url:
        return url
    links = _ANY_URL.findall(text)
    if len(links) != 1:
        return None
    rest = text.replace(links[0], " ")
    words = [w.casefold() for w in rest.split()]
    if "?" in rest or len(words) > _LINK_NOTE_WORDS or any(w.strip(".,!:;") in _QUESTION_WORDS for w in words):
        return None
    return find_single_url(_as_link(links[0]))


def question_with_link(text: str) -> tuple[str, str] | None:
    """(the question, the link) of a question written with one web link in it, else None. Found in an
    Indonesian user's review: the link was ignored and the question refused, as its page was not saved."""
    links = _ANY_URL.findall(text)
    if len(links) != 1:
        return None
    question = " ".join(text.replace(links[0], " ").split())
    url = find_single_url(_as_link(links[0]))
    return (question, url) if url and len(question.split()) >= 2 else None


async def send_html(
    bot: Bot,
    chat_id: int,
    html_text: str,
    *,
    reply_to: Message | None = None,
    reply_markup: InlineKeyboardMarkup | None = None,
) -> Message | None:
    """Send HTML split into messages under the limit; the keyboard goes under the last one."""
    chunks = render.split_html(html_text)
    last: Message | None = None
    for i, chunk in enumerate(chunks):
        last = await send_message_retrying(
            bot,
            chat_id,
            chunk,
            parse_mode=ParseMode.HTML,
            link_preview_options=NO_PREVIEW,
            reply_parameters=(
                ReplyParameters(reply_to.message_id, allow_sending_without_reply=True)
                if reply_to is not None and i == 0
                else None
            ),
            reply_markup=reply_markup if i == len(chunks) - 1 else None,
        )
    return last


def is_connection_error(exc: BaseException) -> bool:
    """A request that did not reach Telegram: a connection dropped or refused, or no free connection in the
    pool in time (not a timeout of a sent request, not an answer from Telegram).

    PTB raises plain `NetworkError` for the first; its subclasses mean something else: `TimedOut` (the
    message may have been delivered — resending could post it twice) and `BadRequest` & co. (Telegram
    answered; resending would fail the same way). The one `TimedOut` that is safe to resend is the pool's
    ("Request was *not* sent to Telegram"): found by a soak on a busy machine, where it dropped hundreds of
    answers.
    """
    return type(exc) is NetworkError or (isinstance(exc, TimedOut) and isinstance(exc.__cause__, httpx.PoolTimeout))


async def send_message_retrying(bot: Bot, chat_id: int, text: str, **kwargs) -> Message:
    """`bot.send_message`, sent again after a dropped connection so one reset does not lose an answer."""
    for delay in SEND_RETRY_DELAYS:
        try:
            return await bot.send_message(chat_id, text, **kwargs)
        except NetworkError as exc:
            if not is_connection_error(exc):
                raise
            logger.warning("sendMessage to chat %s: %s; retrying in %.1fs", chat_id, exc, delay)
            await asyncio.sleep(delay)
    return await bot.send_message(chat_id, text, **kwargs)


async def reply(
    update: Update, context: ContextTypes.DEFAULT_TYPE, html_text: str, **kwargs
) -> Message | None:
    """Answer the update's message (as a reply in groups, plainly in private chats)."""
    message = update.effective_message
    quote = message if message is not None and update.effective_chat.type != ChatType.PRIVATE else None
    return await send_html(context.bot, update.effective_chat.id, html_text, reply_to=quote, **kwargs)


TYPING_RENEW = 4.5  # seconds: Telegram shows a chat action for about 5
_typing_tasks: set[asyncio.Task[None]] = set()  # running "typing…" loops (a task needs a reference to live)


@contextlib.asynccontextmanager
async def typing(bot: Bot, chat_id: int, delay: float = 0.0) -> AsyncIterator[None]:
    """Show "typing…" (renewed every few seconds) while the block runs; with `delay`, only if it runs longer.

    At the end the loop is cancelled only while its chat action still waits in the rate limiter's queue (which
    gives its place back to the replies); one already handed to the HTTP client is let finish, because
    cancelling a request that waits for a pooled connection leaks the connection's slot for good (httpcore
    1.0.9, encode/httpcore#1093). Found by a soak on a busy machine: after a minute every send failed with
    "Pool timeout" and answers were lost until a restart.
    """
    stop = asyncio.Event()
    tracked = isinstance(getattr(bot, "rate_limiter", None), TelegramRateLimiter)
    progress: RequestProgress | None = None

    async def keep_typing() -> None:
        nonlocal progress
        while not stop.is_set():
            progress = RequestProgress()
            with contextlib.suppress(TelegramError):
                if tracked:
                    await bot.send_chat_action(chat_id, ChatAction.TYPING, rate_limit_args=progress)
                else:
                    progress.sent = True  # no queue to watch: always let it finish
                    await bot.send_chat_action(chat_id, ChatAction.TYPING)
            progress = None
            if await _stopped_within(stop, TYPING_RENEW):
                return

    task: asyncio.Task[None] | None = None

    def begin() -> None:
        nonlocal task
        task = asyncio.create_task(keep_typing())
        _typing_tasks.add(task)
        task.add_done_callback(_typing_tasks.discard)

    # With a delay, a timer starts the loop: most blocks end before it (a burst's questions are answered in
    # well under TYPING_DELAY_BUSY), and a cancelled timer costs less than a task that waits for the delay.
    timer = asyncio.get_running_loop().call_later(delay, begin) if delay > 0 else None
    if timer is None:
        begin()
    try:
        yield
    finally:
        stop.set()
        if timer is not None:
            timer.cancel()  # not started yet: no "typing…" at all
        if task is not None and progress is not None and not progress.sent:
            task.cancel()  # still queued behind Telegram's rate limit: nothing of the HTTP client to leak


async def _stopped_within(stop: asyncio.Event, seconds: float) -> bool:
    """Wait up to `seconds` for `stop`; whether it was set."""
    try:
        async with asyncio.timeout(seconds):
            await stop.wait()
    except TimeoutError:
        return False
    return True


def answer_keyboard(answer: Answer, lang: str) -> InlineKeyboardMarkup | None:
    """Sources / More / 👍 / 👎 under an answer (feedback only when the bot abstained)."""
    if answer.answer_id is None:
        return None
    aid = answer.answer_id
    feedback = [
        InlineKeyboardButton("👍", callback_data=f"fb:{aid}:1"),
        InlineKeyboardButton("👎", callback_data=f"fb:{aid}:-1"),
    ]
    if answer.abstained:
        return InlineKeyboardMarkup([feedback])
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(i18n.text("btn_sources", lang), callback_data=f"src:{aid}"),
                InlineKeyboardButton(i18n.text("btn_more", lang), callback_data=f"more:{aid}"),
            ],
            feedback,
        ]
    )


def list_keyboard(offset: int, total: int, lang: str) -> InlineKeyboardMarkup | None:
    buttons = []
    if offset > 0:
        # Past the end, "previous" is the last page (found in review: it led to another empty page).
        previous = max(0, offset - LIST_PAGE) if offset < total else max(0, (total - 1) // LIST_PAGE * LIST_PAGE)
        buttons.append(InlineKeyboardButton(i18n.text("btn_prev", lang), callback_data=f"list:{previous}"))
    if offset + LIST_PAGE < total:
        buttons.append(
            InlineKeyboardButton(i18n.text("btn_next", lang), callback_data=f"list:{offset + LIST_PAGE}")
        )
    return InlineKeyboardMarkup([buttons]) if buttons else None


# --- message -> article --------------------------------------------------------------------------


def plain_text_with_links(text: str, entities: tuple[MessageEntity, ...] | list[MessageEntity]) -> str:
    """The message text with every text link written out as "text (url)".

    Entity offsets count UTF-16 code units, so the work is done on the UTF-16 encoding.
    """
    links = sorted(
        (e for e in entities if e.type == MessageEntity.TEXT_LINK and e.url),
        key=lambda e: e.offset + e.length,
    )
    if not links:
        return text
    data = text.encode("utf-16-le")
    out: list[str] = []
    pos = 0
    for e in links:
        end = (e.offset + e.length) * 2
        shown = data[e.offset * 2 : end].decode("utf-16-le", errors="replace").strip()
        out.append(data[pos:end].decode("utf-16-le", errors="replace"))
        if shown != e.url:
            out.append(f" ({e.url})")
        pos = end
    out.append(data[pos:].decode("utf-16-le", errors="replace"))
    return "".join(out)


def first_line(text: str, limit: int = TITLE_MAX) -> str | None:
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return None


HEADLINE_MAX_CHARS = 150
_SENTENCE_END = tuple('.!?…:;"”»)')


def split_headline(body: str) -> tuple[str | None, str]:
    """(headline, the rest) when a post opens with a headline line — short, not ending like a sentence, with
    text after it — else (None, body): the engine then derives a short title from the first words."""
    lines = body.split("\n")
    for i, line in enumerate(lines):
        first = " ".join(line.split())
        if not first:
            continue
        rest = "\n".join(lines[i + 1 :]).strip()
        if rest and len(first) <= HEADLINE_MAX_CHARS and not first.endswith(_SENTENCE_END):
            return first, rest
        return None, body
    return None, body


def time_zone(context: ContextTypes.DEFAULT_TYPE) -> tzinfo:
    return ZoneInfo(settings_of(context).timezone)


def forward_source(message: Message, tz: tzinfo | None = None) -> tuple[str | None, str | None, str | None]:
    """(source, published_at ISO, t.me link) from a forwarded message's origin; the time in `tz` (TIMEZONE), so
    that its date is the day the readers saw (Telegram gives UTC: 06:30 WIB would be the day before)."""
    origin = message.forward_origin
    source: str | None = None
    link: str | None = None
    if isinstance(origin, MessageOriginChannel):
        chat = origin.chat
        source = chat.title or (f"@{chat.username}" if chat.username else None)
        if origin.author_signature:
            source = f"{source} ({origin.author_signature})" if source else origin.author_signature
        if chat.username:
            link = f"https://t.me/{chat.username}/{origin.message_id}"
    elif isinstance(origin, MessageOriginChat):
        chat = origin.sender_chat
        source = chat.title or (f"@{chat.username}" if chat.username else None)
        if origin.author_signature:
            source = f"{source} ({origin.author_signature})" if source else origin.author_signature
    elif isinstance(origin, MessageOriginUser):
        source = origin.sender_user.full_name
    elif isinstance(origin, MessageOriginHiddenUser):
        source = origin.sender_user_name
    when = origin.date if origin is not None and origin.date else None
    published = (when.astimezone(tz) if tz is not None else when).isoformat() if when is not None else None
    return source, published, link


def is_own_message(message: Message, bot_id: int) -> bool:
    """Whether a forwarded message is one the bot itself sent (an answer forwarded back to it)."""
    origin = message.forward_origin
    return isinstance(origin, MessageOriginUser) and origin.sender_user.id == bot_id


def article_from_forward(message: Message, tz: tzinfo | None = None) -> ArticleIn:
    """A forwarded post (text or caption) as an article."""
    if message.text is not None:
        body = plain_text_with_links(message.text, message.entities)
    else:
        body = plain_text_with_links(message.caption or "", message.caption_entities)
    source, published, origin_url = forward_source(message, tz)
    preview = message.link_preview_options
    # The headline titles the article and stays in its text: on a channel's typical "headline + one line" post
    # it is often the only place a fact is stated ("Gempa magnitudo 5,6 guncang Cianjur Senin pagi").
    title, _ = split_headline(body)
    return ArticleIn(
        text=body,
        title=title,
        url=preview.url if preview is not None and preview.url else None,
        source=source,
        published_at=published,
        added_by=message.from_user.id if message.from_user else None,
        chat_id=message.chat_id,
        message_id=message.message_id,
        origin_url=origin_url,
    )


def add_result_text(result: AddResult, lang: str) -> str:
    if result.status in ("added", "updated"):
        return i18n.text(
            "saved" if result.status == "added" else "updated",
            lang,
            id=result.article_id,
            title=result.title or "",
            paragraphs=i18n.count(result.paragraphs, "paragraph", lang),
        )
    if result.status == "duplicate":
        return i18n.text("duplicate", lang, id=result.article_id, title=result.title or "")
    return i18n.text("rejected", lang, reason=i18n.reason(result.reason or "unknown reason", lang))


# A "Saved #…" notice less than this many seconds after the chat's previous one waits and is summed up with
# the others in one message. Found in review: 40 posts forwarded at once into a group sent 40 notices, which
# used up the group's 20 messages a minute (Telegram's limit, AIORateLimiter) and held a question's answer
# back by over a minute. Tests that do not test this set it to 0.
SAVE_NOTICE_GAP = 3.0


@dataclass
class _SaveNotices:
    """One chat's save notices: when the last went out, and the results waiting for the next one."""

    last: float = -math.inf
    pending: list[tuple[Update, AddResult]] = field(default_factory=list)
    flush: asyncio.Task[None] | None = None


def _save_notices(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> _SaveNotices:
    chats: dict[int, _SaveNotices] = context.bot_data.setdefault("save_notices", {})
    if len(chats) > 10_000:  # forget idle chats (bounds memory)
        for key in [k for k, v in chats.items() if v.flush is None and not v.pending][:5_000]:
            del chats[key]
    return chats.setdefault(chat_id, _SaveNotices())


async def save_article(
    update: Update, context: ContextTypes.DEFAULT_TYPE, article: ArticleIn, *, lang: str | None = None,
    notice_now: bool = False,
) -> AddResult:
    """Store the article and say so; `notice_now` says it at once (before an answer that follows), else notices
    close together are summed up. `lang`: the language to say it in (default: the user's Telegram language)."""
    result = await engine_of(context).add_article(article, scope_of(update))
    notices = _save_notices(context, update.effective_chat.id)
    now = asyncio.get_running_loop().time()
    if notice_now or (notices.flush is None and now - notices.last >= SAVE_NOTICE_GAP):
        notices.last = now
        await reply(update, context, add_result_text(result, lang or lang_of(update)))
    else:
        notices.pending.append((update, result))
        if notices.flush is None:
            delay = max(0.0, notices.last + SAVE_NOTICE_GAP - now)
            notices.flush = asyncio.create_task(_flush_save_notices(context, notices, delay))
    return result


async def _flush_save_notices(context: ContextTypes.DEFAULT_TYPE, notices: _SaveNotices, delay: float) -> None:
    """After `delay`, one message for every save since the last notice (the usual one when there is one)."""
    await asyncio.sleep(delay)
    items, notices.pending = notices.pending, []
    notices.flush = None
    notices.last = asyncio.get_running_loop().time()
    if not items:
        return
    update, result = items[-1]
    lang = lang_of(update)
    if len(items) == 1:
        text = add_result_text(result, lang)
    else:
        results = [r for _, r in items]
        saved = [f"#{r.article_id}" for r in results if r.status in ("added", "updated")]
        shown = ", ".join(saved[:12]) + (f" (+{len(saved) - 12})" if len(saved) > 12 else "")
        parts = [i18n.text("saved_many", lang, saved=len(saved), ids=shown or "—")] if saved else []
        duplicates = sum(r.status == "duplicate" for r in results)
        if duplicates:
            parts.append(i18n.text("many_duplicates", lang, n=duplicates))
        failed = [r for r in results if r.status == "rejected"]
        if failed:  # zero counts left out (found in review: "Not saved: 0" after a failure told on its own)
            reason = i18n.reason(failed[0].reason or "", lang) + ("; …" if len(failed) > 1 else "")
            parts.append(i18n.text("many_failed", lang, n=len(failed), reason=reason))
        text = " ".join(parts)
    with contextlib.suppress(TelegramError):
        await reply(update, context, text)


async def may_add(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Whether the sender may add articles; tells them politely when not (in a private chat: in a group, where
    the bot may see every forward and file, a refusal under each would be noise)."""
    if settings_of(context).may_add(user_id_of(update)):
        return True
    if update.effective_chat.type == ChatType.PRIVATE:
        await reply(update, context, i18n.text("may_not_add", lang_of(update)))
    return False


async def first_delivery(update: Update, context: ContextTypes.DEFAULT_TYPE, kind: str) -> bool:
    """False when this message was already handled as `kind` (a re-delivered update)."""
    message = update.effective_message
    return await engine_of(context).mark_update(update.effective_chat.id, message.message_id, kind)


# --- asking ------------------------------------------------------------------------------------


async def answer_question(
    update: Update, context: ContextTypes.DEFAULT_TYPE, question: str, kind: str = "question",
    prefer_article: int | None = None,
) -> None:
    """Throttle, ask the engine, and reply with the extract, citations and buttons. `kind` tells deliveries apart
    (an edited question is asked again: "edit:<time>"); `prefer_article`: the page the question came with."""
    if not await first_delivery(update, context, kind):
        return
    talk = small_talk(question)
    if talk is not None:  # a greeting or thanks: a word back, not a search (not logged, no buttons)
        await reply(update, context, i18n.text(f"small_talk_{talk}", small_talk_lang(update, question)))
        return
    lang = reply_lang(update, question)
    uid = user_id_of(update)
    verdict = limiter_of(context).check(throttle_key(update), update.effective_chat.id)
    if verdict is Verdict.WARN:
        await reply(update, context, i18n.text("throttled", lang))
        return
    if verdict is Verdict.SILENT:
        return
    chat_id = update.effective_chat.id
    # Under a burst every "typing…" is one more Bot API call on the loop and in the rate limiter's global
    # budget (30 requests/s), queued ahead of the answers themselves: when many questions are in flight, show
    # it only for a question that is still unanswered after TYPING_DELAY_BUSY seconds.
    busy = context.application.bot_data.setdefault(IN_FLIGHT_KEY, [0])
    delay = TYPING_DELAY_BUSY if busy[0] >= TYPING_BUSY_QUESTIONS else 0.0
    busy[0] += 1
    try:
        async with typing(context.bot, chat_id, delay):
            try:
                answer = await engine_of(context).ask(
                    question, scope_of(update), user_id=uid, prefer_article=prefer_article
                )
            except QuestionError as exc:
                private = update.effective_chat.type == ChatType.PRIVATE
                await reply(update, context, question_error_text(exc, lang, private))
                return
    finally:
        busy[0] -= 1
    # An empty chat's refusal says how to add articles, to those who may (found in review: under
    # ADD_POLICY=admins everyone was told to forward articles the bot would then ignore).
    empty = (
        answer.abstained
        and settings_of(context).may_add(uid)
        and not await engine_of(context).has_articles(scope_of(update))
    )
    await reply(
        update, context, render.answer_html(answer, lang, empty=empty), reply_markup=answer_keyboard(answer, lang)
    )


def addressed_question(message: Message, bot: Bot) -> str | None:
    """In a group: the question if the message mentions the bot or replies to it, else None."""
    text = message.text or ""
    username = (bot.username or "").lower()
    mentions = [
        (e, s)
        for e, s in message.parse_entities([MessageEntity.MENTION]).items()
        if s[1:].lower() == username
    ]
    if mentions:
        data = text.encode("utf-16-le")
        pieces, pos = [], 0
        for e, _ in sorted(mentions, key=lambda m: m[0].offset):
            pieces.append(data[pos : e.offset * 2])
            pos = (e.offset + e.length) * 2
        pieces.append(data[pos:])
        stripped = b"".join(pieces).decode("utf-16-le", errors="replace")
        return " ".join(stripped.split()).strip(" ,:")
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot.id:
        return text.strip()
    return None


def command_used(update: Update, default: str) -> str:
    """The command as the user typed it ("/tanya", without "@bot"), for a usage hint in the same words."""
    first = ((update.message.text or "").split() or [default])[0]
    return first.split("@", 1)[0] if first.startswith("/") else default


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask <question> — the way to ask in groups (works everywhere); a bare /ask in reply to someone's message
    asks that message."""
    parts = (update.message.text or "").split(maxsplit=1)
    question = parts[1].strip() if len(parts) > 1 else ""
    replied = update.message.reply_to_message
    if not question and replied is not None and replied.from_user is not None and not replied.from_user.is_bot:
        question = (replied.text or replied.caption or "").strip()
    if not question:
        await reply(update, context, i18n.text("ask_usage", lang_of(update), cmd=command_used(update, "/ask")))
        return
    await answer_question(update, context, question)


ARTICLE_MIN_WORDS = 40  # with a paragraph break; without one, twice as many


def looks_like_article(text: str) -> bool:
    """Whether a pasted text is an article rather than a question: paragraphs (a blank line between) and at
    least ARTICLE_MIN_WORDS words, or twice as many words on their own (then with no question in it: a long
    chat message that asks something is a question), and no question mark at its end."""
    words = len(text.split())
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    if text.rstrip().endswith("?"):
        return False
    if len(paragraphs) >= 2:
        return words >= ARTICLE_MIN_WORDS
    return words >= 2 * ARTICLE_MIN_WORDS and "?" not in text


QUESTIONS_PER_MESSAGE = 3  # at most this many questions of one message are answered, each on its own
_QUESTION_SENTENCE = re.compile(r"[^?.!\n]*\?")
LONG_MESSAGE_WORDS = 25  # a message this long around its question marks is chat around the questions


def questions_in(text: str) -> list[str]:
    """The questions a message asks: itself, or, when it holds several questions ("Berapa kios …?\nTerus siapa
    wali kotanya?") or a long chat around one ("Pak, saya mau tanya … Berapa kios yang terbakar? Terima kasih"),
    each sentence that ends with a question mark (found in the re-review: both kinds were refused)."""
    found = [q.strip() for q in _QUESTION_SENTENCE.findall(text) if len(q.split()) >= 3]
    if len(found) >= 2 or (len(found) == 1 and len(text.split()) > LONG_MESSAGE_WORDS):
        return found[:QUESTIONS_PER_MESSAGE]
    return [text]


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Plain text: a link to save, or a question (in groups only when addressed to the bot); in a private chat a
    pasted article gets the way to save it (found in an Indonesian user's review: it was searched as a question,
    "not found", and logged as an unanswered one)."""
    message = update.message
    if update.effective_chat.type == ChatType.PRIVATE:
        text = message.text
        if looks_like_article(text) and not link_to_save(text):
            await reply(update, context, i18n.text("looks_like_article", reply_lang(update, text)))
            return
    else:
        text = addressed_question(message, context.bot)
        if text is None:
            return  # group chatter
        if not text:
            await reply(update, context, i18n.text("ask_usage", lang_of(update), cmd="/ask"))
            return
    url = link_to_save(text)
    if url:
        await add_from_url(update, context, url)
        return
    asked = question_with_link(text)
    if asked is not None:  # "brp kursi yg disiapin KAI? <link>": save the page, then answer from it
        question, url = asked
        saved = await add_from_url(update, context, url, lang=reply_lang(update, question), notice_now=True)
        page = saved.article_id if saved is not None and saved.status in ("added", "duplicate") else None
        await answer_question(update, context, question, prefer_article=page)
        return
    questions = questions_in(text)
    for i, question in enumerate(questions):
        await answer_question(update, context, question, kind="question" if i == 0 else f"question:{i}")


# --- adding ------------------------------------------------------------------------------------


HEADLINE_MAX_WORDS = 40  # a forwarded post this short with one link is a headline pointing to the article


def headline_link(message: Message) -> str | None:
    """The one web link of a short forwarded post ("Harbour expansion approved https://…"): news channels post
    headlines that point to the article. None for a post with no link, several, or a text of its own."""
    kinds = [MessageEntity.URL, MessageEntity.TEXT_LINK]
    if message.text is not None:
        text, found = message.text, message.parse_entities(kinds)
    else:
        text, found = message.caption or "", message.parse_caption_entities(kinds)
    links = {e.url if e.type == MessageEntity.TEXT_LINK else shown for e, shown in found.items()}
    links = {u for u in links if u and u.lower().startswith(("http://", "https://"))}
    if len(links) != 1:
        return None
    link = links.pop()
    words = [w for w in text.replace(link, " ").split() if any(c.isalnum() for c in w)]
    return link if len(words) <= HEADLINE_MAX_WORDS else None


async def on_forward(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A forwarded post with text or a caption: save it as an article — or, for a headline with a link, the
    linked article (the post itself when the page cannot be fetched)."""
    if not await first_delivery(update, context, "add"):
        return
    if not await may_add(update, context):
        return
    message = update.message
    if is_own_message(message, context.bot.id):  # found in review: a forwarded answer was saved and then cited
        await reply(update, context, i18n.text("own_message", lang_of(update)))
        return
    post = article_from_forward(message, time_zone(context))
    link = headline_link(message)
    if link is not None and await may_fetch(update, context, quietly=True):
        async with typing(context.bot, update.effective_chat.id):
            try:
                doc = await fetch_article(link, settings_of(context))
            except (FetchError, DocumentError) as exc:
                logger.info("forwarded headline: %s not fetched (%s); saving the post", link, exc)
                doc = None
            headline = post.text.replace(link, " ")
            if doc is not None and not await asyncio.to_thread(page_covers, headline, doc.text):
                logger.info("forwarded headline: %s is not the post's article; saving the post", link)
            elif doc is not None:
                await save_article(
                    update,
                    context,
                    article_from_document(
                        update,
                        doc,
                        url=doc.url or link,
                        title=doc.title or post.title,
                        source=doc.source or post.source,
                        published_at=doc.published_at or post.published_at,
                    ),
                )
                return
    await save_article(update, context, post)


async def on_migrate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group became a supergroup (Telegram does this by itself, e.g. when admins get certain rights): the
    articles saved in the group answer in the supergroup. Telegram tells both chats; the second call is a no-op.
    Found in review: the whole library became unreachable."""
    message = update.effective_message
    if message.migrate_to_chat_id:  # said in the old group
        old, new = message.chat_id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:  # said in the new supergroup
        old, new = message.migrate_from_chat_id, message.chat_id
    else:
        return
    moved = await engine_of(context).move_chat(old, new)
    if moved:
        logger.info("chat %s became %s: %d articles follow it", old, new, moved)


EDIT_MIN_WORDS = 5  # found in an Indonesian user's review: a forward edited to "hapus" replaced its article


async def on_edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edited forwarded message: the engine updates the article saved from it."""
    message = update.edited_message
    if message.forward_origin is not None:
        await update_from_edit(update, context, article_from_forward(message, time_zone(context)))


async def update_from_edit(update: Update, context: ContextTypes.DEFAULT_TYPE, article: ArticleIn) -> None:
    """The article saved from an edited message follows the edit (once per edit), unless the edit leaves too few
    words to be one ("hapus", "x"); an edit never brings back a deleted article."""
    message = update.edited_message
    stamp = int(message.edit_date.timestamp()) if message.edit_date else 0
    if not await first_delivery(update, context, f"edit:{stamp}"):
        return
    if not settings_of(context).may_add(user_id_of(update)):
        return
    if len(article.text.split()) < EDIT_MIN_WORDS:
        await reply(update, context, i18n.text("edit_too_short", lang_of(update)))
        return
    result = await engine_of(context).add_article(article, scope_of(update), only_update=True)
    if result.status not in ("duplicate", "gone"):
        await reply(update, context, add_result_text(result, lang_of(update)))


_ASK_PREFIX = re.compile(r"(?i)^/(?:ask|tanya)(?:@\w+)?(?:\s+|$)")
_ADD_PREFIX = re.compile(r"(?i)^/(?:add|simpan)(?:@\w+)?\s+")


async def on_edited_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edited question is asked again, with a new reply (found in an Indonesian user's review: a refused
    question corrected by editing it got no answer). Only questions: an edit never saves a link or text."""
    message = update.edited_message
    text = message.text or ""
    command = _ASK_PREFIX.match(text)
    saved_text = _ADD_PREFIX.match(text)
    if saved_text:  # "/simpan <article>" corrected: the article saved from it follows (found in the re-review)
        body = text[saved_text.end() :].strip()
        await update_from_edit(update, context, ArticleIn(
            text=body, added_by=user_id_of(update), chat_id=message.chat_id, message_id=message.message_id
        ))
        return
    if command:
        question = text[command.end() :].strip()
    elif update.effective_chat.type == ChatType.PRIVATE:
        question = text.strip()
    else:
        question = addressed_question(message, context.bot) or ""
    if not question or looks_like_article(question) or link_to_save(question) or (text.startswith("/") and not command):
        return
    stamp = int(message.edit_date.timestamp()) if message.edit_date else 0
    await answer_question(update, context, question, kind=f"question-edit:{stamp}")


async def add_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/add — save pasted text as an article: reply /add to the message that holds it, or write the text after
    /add (found in review: a pasted article could only be asked about, never saved)."""
    if not await first_delivery(update, context, "add") or not await may_add(update, context):
        return
    message = update.message
    lang = lang_of(update)
    held = message.reply_to_message
    if held is not None and (held.text or held.caption):
        if is_own_message(held, context.bot.id) or (held.from_user is not None and held.from_user.id == context.bot.id):
            await reply(update, context, i18n.text("own_message", lang))
            return
        article = article_from_forward(held, time_zone(context))  # the held message: its own edits update it
    else:
        command = next((e for e in message.entities if e.type == MessageEntity.BOT_COMMAND and e.offset == 0), None)
        text = (message.text or "")[command.length if command else 0 :].strip()
        if not text:
            await reply(update, context, i18n.text("add_usage", lang, cmd=command_used(update, "/add")))
            return
        title, _ = split_headline(text)  # its headline line titles it whole, as a forward's (found in review)
        article = ArticleIn(
            text=text, title=title, added_by=user_id_of(update), chat_id=message.chat_id, message_id=message.message_id
        )
    body = article.text.strip()
    if len(body.split()) < EDIT_MIN_WORDS or (body.endswith("?") and len(body.split()) <= 2 * ARTICLE_MIN_WORDS):
        # "/simpan ok", /add in reply to a question: no article (found in review: both were saved)
        await reply(update, context, i18n.text("not_an_article", lang))
        return
    await save_article(update, context, article)


async def add_from_url(
    update: Update, context: ContextTypes.DEFAULT_TYPE, url: str, *, lang: str | None = None, notice_now: bool = False
) -> AddResult | None:
    """A message that is only a link: fetch the page and save the article (the result; None when nothing was
    stored or it was handled before)."""
    if not await first_delivery(update, context, "add"):
        return None
    if not await may_add(update, context) or not await may_fetch(update, context):
        return None
    lang = lang or lang_of(update)
    async with typing(context.bot, update.effective_chat.id):
        try:
            doc = await fetch_article(url, settings_of(context))
        except (FetchError, DocumentError) as exc:
            await reply(update, context, i18n.text("fetch_failed", lang, reason=i18n.reason(str(exc), lang)))
            return None
    article = article_from_document(update, doc, url=doc.url or url)
    return await save_article(update, context, article, lang=lang, notice_now=notice_now)


def article_from_document(update: Update, doc: ExtractedDocument, **overrides: str | None) -> ArticleIn:
    """An article from a fetched page or an uploaded file, remembering who sent it and where."""
    fields = {
        "text": doc.text,
        "title": doc.title,
        "url": doc.url,
        "source": doc.source,
        "published_at": doc.published_at,
        "language": doc.language,
    } | overrides
    return ArticleIn(
        **fields,
        added_by=user_id_of(update),
        chat_id=update.effective_chat.id,
        message_id=update.effective_message.message_id,
    )


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file (.txt .md .html .pdf): size-check, download, extract and save it."""
    message = update.message
    document = message.document
    lang = lang_of(update)
    limit = settings_of(context).max_article_bytes
    if not await first_delivery(update, context, "add"):
        return
    if not await may_add(update, context) or not await may_fetch(update, context):
        return
    if document.file_size and document.file_size > limit:
        await reply(
            update,
            context,
            i18n.text(
                "file_too_big",
                lang,
                size=i18n.num(human_size(document.file_size), lang),
                limit=i18n.num(human_size(limit), lang),
            ),
        )
        return
    name = document.file_name or "document"
    async with typing(context.bot, update.effective_chat.id):
        file = await document.get_file()
        data = bytes(await file.download_as_bytearray())
        if len(data) > limit:
            await reply(
                update,
                context,
                i18n.text(
                    "file_too_big", lang, size=i18n.num(human_size(len(data)), lang), limit=i18n.num(human_size(limit), lang)
                ),
            )
            return
        try:
            # PDF/HTML extraction is CPU work: keep it off the event loop
            doc = await asyncio.to_thread(read_document, name, data, limit)
        except DocumentError as exc:
            await reply(update, context, i18n.text("file_failed", lang, reason=i18n.reason(str(exc), lang)))
            return
    title = doc.title or first_line(message.caption or "") or name
    extra: dict[str, str | None] = {"title": title}
    if message.forward_origin is not None:  # a forwarded file: who posted it and when, as for a post
        source, published, _ = forward_source(message, time_zone(context))
        extra |= {"source": doc.source or source, "published_at": doc.published_at or published}
    await save_article(update, context, article_from_document(update, doc, **extra))


# --- everyone's commands -----------------------------------------------------------------------


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start — greeting and how to use the bot (/start help from the inline button shows /help)."""
    if context.args and context.args[0] == "help":
        await help_command(update, context)
        return
    await reply(update, context, i18n.text("start", lang_of(update)))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help — usage and commands."""
    text = i18n.text("help", lang_of(update), username=context.bot.username or "bot")
    if not settings_of(context).is_admin(user_id_of(update)):  # the admin commands would only refuse them
        text = text.rsplit("\n\n", 1)[0]
    await reply(update, context, text)


# --- admin commands ----------------------------------------------------------------------------


async def is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Bot admins (ADMIN_IDS) only; everyone else — group admins included — is refused politely."""
    if settings_of(context).is_admin(user_id_of(update)):
        return True
    text = i18n.text("admins_only", lang_of(update))
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_chat.type == ChatType.PRIVATE or _first_refusal(context, update):
        await reply(update, context, text)
    return False


ADMIN_REFUSAL_QUIET = 600.0  # seconds: in a group, a member told once is not told again for every command


def _first_refusal(context: ContextTypes.DEFAULT_TYPE, update: Update) -> bool:
    """Whether this member of a group has not been told "admins only" in the last ADMIN_REFUSAL_QUIET seconds
    (found in an Indonesian user's review: each admin command tried got its own refusal in the group)."""
    told: dict[tuple[int, int | None], float] = context.application.bot_data.setdefault("admin_refusals", {})
    key, now = (update.effective_chat.id, user_id_of(update)), time.monotonic()
    if now - told.get(key, -math.inf) < ADMIN_REFUSAL_QUIET:
        return False
    if len(told) > 10_000:  # bounded: forget the oldest
        for old in sorted(told, key=told.__getitem__)[:5_000]:
            del told[old]
    told[key] = now
    return True


async def article_id_arg(update: Update, context: ContextTypes.DEFAULT_TYPE, command: str) -> int | None:
    args = context.args or []
    article_id = number_arg(args[0]) if args else None
    if article_id is not None:
        return article_id
    await reply(update, context, i18n.text("id_usage", lang_of(update), command=command))
    return None


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats — index and usage statistics (admins)."""
    if not await is_admin(update, context):
        return
    if update.effective_chat.type != ChatType.PRIVATE:  # found in review: the whole bot's numbers, to a group
        await reply(update, context, i18n.text("stats_private", lang_of(update)))
        return
    stats = await engine_of(context).stats()
    await reply(update, context, render.stats_html(stats, lang_of(update)))


async def list_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/list [offset] — this chat's articles, a page at a time (admins)."""
    if not await is_admin(update, context):
        return
    args = context.args or []
    offset = (number_arg(args[0]) or 0) if args else 0
    lang = lang_of(update)
    items, total = await engine_of(context).list(scope_of(update), offset=offset, limit=LIST_PAGE)
    await reply(
        update,
        context,
        render.list_html(items, offset, total, lang),
        reply_markup=list_keyboard(offset, total, lang),
    )


async def show_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/show ID — one article's details and text (admins)."""
    if not await is_admin(update, context):
        return
    article_id = await article_id_arg(update, context, "show")
    if article_id is None:
        return
    info = await engine_of(context).get(article_id, scope_of(update))
    if info is None:
        await reply(update, context, i18n.text("no_article", lang_of(update), id=article_id))
        return
    await reply(
        update, context, render.article_html(info, own=scope_of(update).collection_name, lang=lang_of(update))
    )


async def delete_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/delete ID — asks for confirmation with Delete / Cancel buttons (admins)."""
    if not await is_admin(update, context):
        return
    article_id = await article_id_arg(update, context, "delete")
    if article_id is None:
        return
    lang = lang_of(update)
    info = await engine_of(context).get(article_id, scope_of(update), owned=True)  # as Engine.delete decides
    if info is None:
        await reply_not_owned(update, context, article_id)
        return
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(i18n.text("btn_delete", lang), callback_data=f"del:{article_id}"),
                InlineKeyboardButton(i18n.text("btn_cancel", lang), callback_data="cancel"),
            ]
        ]
    )
    await reply(
        update,
        context,
        i18n.text("confirm_delete", lang, id=article_id, title=info.title),
        reply_markup=keyboard,
    )


async def reply_not_owned(update: Update, context: ContextTypes.DEFAULT_TYPE, article_id: int) -> None:
    """No such article for this chat to change: either it does not exist here, or the chat only sees it (a
    global article, another chat's published one) — /list shows both kinds."""
    lang = lang_of(update)
    seen = await engine_of(context).get(article_id, scope_of(update))
    if seen is None:
        await reply(update, context, i18n.text("no_article", lang, id=article_id))
    else:
        await reply(update, context, i18n.text("not_owned", lang, id=article_id, title=seen.title))


async def publish_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/publish ID — make an article visible to every chat and to inline mode (admins)."""
    await set_published(update, context, public=True)


async def unpublish_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unpublish ID — stop showing a published article to other chats and inline mode (admins); this chat
    keeps it. Found in review: a publish could only be undone from the command line."""
    await set_published(update, context, public=False)


async def set_published(update: Update, context: ContextTypes.DEFAULT_TYPE, *, public: bool) -> None:
    """/publish and /unpublish: change the article's flag, or say it already is so (found in review: a second
    /publish said "Published" again)."""
    if not await is_admin(update, context):
        return
    command = "publish" if public else "unpublish"
    article_id = await article_id_arg(update, context, command)
    if article_id is None:
        return
    lang, engine, scope = lang_of(update), engine_of(context), scope_of(update)
    before = await engine.get(article_id, scope, owned=True)
    info = await engine.publish(article_id, scope, public=public) if before is not None else None
    if info is None:
        await reply_not_owned(update, context, article_id)
        return
    key = ("already_" if before.published == public else "") + ("published" if public else "unpublished")
    await reply(update, context, i18n.text(key, lang, id=info.id, title=info.title))


async def export_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/export — this chat's articles as a JSON Lines file (admins)."""
    if not await is_admin(update, context):
        return
    data = await engine_of(context).export(scope_of(update))
    count = sum(1 for line in data.splitlines() if line.strip())
    if count == 0:  # Telegram refuses an empty file
        await reply(update, context, i18n.text("export_empty", lang_of(update)))
        return
    chat_id = update.effective_chat.id
    await context.bot.send_document(
        chat_id,
        InputFile(data, filename=f"articles-chat{chat_id}.jsonl".replace("chat-", "group")),  # not "articles--100…"
        caption=i18n.text("export_caption", lang_of(update), count=i18n.count(count, "article", lang_of(update))),
        parse_mode=ParseMode.HTML,
    )


async def reindex_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reindex — rebuild the search index, showing progress in one edited message (admins)."""
    if not await is_admin(update, context):
        return
    lang = lang_of(update)
    status = await reply(update, context, i18n.text("reindex_start", lang))
    last_edit = 0.0
    last_text = ""

    async def edit(html_text: str) -> None:
        nonlocal last_text
        if status is None or html_text == last_text:
            return
        last_text = html_text
        with contextlib.suppress(BadRequest):  # "message is not modified" and the like
            await status.edit_text(html_text, parse_mode=ParseMode.HTML)

    async def progress(done: int, total: int) -> None:
        nonlocal last_edit
        now = time.monotonic()
        if done < total and now - last_edit < REINDEX_EDIT_INTERVAL:
            return
        last_edit = now
        await edit(i18n.text("reindex_progress", lang, done=done, total=total))

    result = await engine_of(context).reindex(progress)
    summary = i18n.text(
        "reindex_result", lang, passages=result["passages"], seconds=i18n.num(f"{float(result['seconds']):.2f}", lang)
    )
    await edit(i18n.text("reindex_done", lang) + "\n" + summary)


async def on_unreadable_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A picture, video or sound in a private chat: its caption is read as a message of its own (found in an
    Indonesian user's review: "ini kebakaran pasar kosambi ya? brp kios yg kebakar?" under a photo was told
    pictures are not read); without one, say what the bot reads (found in review: no reply at all). In groups it
    stays quiet, as for any chatter."""
    caption = (update.message.caption or "").strip()
    if not caption:
        await reply(update, context, i18n.text("unreadable_media", lang_of(update)))
    elif looks_like_article(caption):
        await reply(update, context, i18n.text("looks_like_article", reply_lang(update, caption)))
    elif url := link_to_save(caption):
        await add_from_url(update, context, url)
    else:
        await answer_question(update, context, caption)


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command the bot does not have, in a private chat (in groups it may be another bot's)."""
    await reply(update, context, i18n.text("unknown_command", lang_of(update)))


# --- inline mode -------------------------------------------------------------------------------

INLINE_MIN_CHARS = 3  # shorter queries are the first keystrokes of one


async def on_inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`@bot question` in any chat: answer from the public collection only.

    Telegram sends a query per keystroke, so these have their own throttle and are not logged as questions
    (they would fill /stats with half-typed ones); the answer has no buttons to need a logged id."""
    query = update.inline_query
    question = query.query.strip()
    lang = i18n.lang_of(query.from_user.language_code)
    if len(question) < INLINE_MIN_CHARS:
        await query.answer(
            [], cache_time=300, button=InlineQueryResultsButton(text=i18n.text("btn_how", lang), start_parameter="help")
        )
        return
    if limiter_of(context, "inline_limiter").check(query.from_user.id) is not Verdict.ALLOW:
        await query.answer([], cache_time=0, is_personal=True)
        return
    try:
        answers, _ = await engine_of(context).ask_detailed(question, Scope(global_only=True))
    except QuestionError:
        await query.answer([], cache_time=0)
        return
    answer = answers[0]
    if answer.abstained or not answer.sentence:
        result = InlineQueryResultArticle(
            id="none",
            title=i18n.text("inline_no_answer", lang),
            description=render.plain_snippet(question, 100),
            input_message_content=InputTextMessageContent(
                i18n.text("inline_not_found", lang), parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
            ),
        )
    else:
        body = render.split_html(render.answer_html(answer, lang))[0]
        result = InlineQueryResultArticle(
            id="answer",
            title=render.plain_snippet(answer.answer or answer.sentence, 80),
            description=render.plain_snippet(answer.sentence, 200),
            input_message_content=InputTextMessageContent(
                body, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
            ),
        )
    await query.answer([result], cache_time=30)


# --- errors ------------------------------------------------------------------------------------


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the exception (the token is redacted by the logging filter) and apologise; never re-raise."""
    logger.error("Error while handling an update", exc_info=context.error)
    if not isinstance(update, Update):
        return
    lang = lang_of(update)
    try:
        if update.callback_query is not None:
            with contextlib.suppress(TelegramError):
                await update.callback_query.answer(i18n.text("error", lang))
        elif update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, i18n.text("error", lang))
    except Exception:  # the error handler itself must never fail
        logger.warning("Could not send the error message", exc_info=True)
