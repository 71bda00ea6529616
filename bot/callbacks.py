"""Inline keyboard button handlers.

Callback data: `src:<answer_id>`, `more:<answer_id>`, `fb:<answer_id>:<+1|-1>`, `list:<offset>`,
`del:<article_id>`, `cancel`. Ids come from the client and may be forged: the engine checks that
they belong to the chat's scope and we answer "not available" otherwise. Every handler answers the
callback query so the client stops its spinner.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from articlebot.models import Scope

from . import i18n, render
from .handlers import (
    LIST_PAGE,
    engine_of,
    is_admin,
    lang_of,
    limiter_of,
    list_keyboard,
    reply_lang,
    send_html,
)
from .limits import Verdict


def _scope(update: Update) -> Scope | None:
    message = update.callback_query.message
    return Scope(chat_id=message.chat.id) if message is not None else None


def _int_parts(data: str, count: int) -> list[int] | None:
    parts = data.split(":")[1:]
    if len(parts) != count:
        return None
    try:
        return [int(p) for p in parts]
    except ValueError:
        return None


async def _not_available(update: Update) -> None:
    await update.callback_query.answer(i18n.text("not_available", lang_of(update)), show_alert=True)


async def _throttled(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Sources and More search again and post a message: they count against the clicker's question budget."""
    verdict = limiter_of(context).check(update.callback_query.from_user.id)
    if verdict is Verdict.ALLOW:
        return False
    if verdict is Verdict.WARN:
        await update.callback_query.answer(i18n.text("throttled", lang_of(update)), show_alert=True)
    else:
        await update.callback_query.answer()
    return True


async def _answer_lang(update: Update, context: ContextTypes.DEFAULT_TYPE, answer_id: int, scope: Scope) -> str:
    """The language the answer under the button was given in (its question's), so what the button brings says
    the same language (found in the re-review: an Indonesian answer's More came in English)."""
    question = await engine_of(context).asked(answer_id, scope)
    return reply_lang(update, question) if question else lang_of(update)


async def on_sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Sources button: the full cited passages."""
    query = update.callback_query
    if await _throttled(update, context):
        return
    ids = _int_parts(query.data, 1)
    scope = _scope(update)
    sources = await engine_of(context).sources(ids[0], scope) if ids and scope else None
    if sources is None:
        await _not_available(update)
        return
    await query.answer()
    lang = await _answer_lang(update, context, ids[0], scope)
    await send_html(context.bot, scope.chat_id, render.sources_html(sources, lang), reply_to=query.message)


async def on_more(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """More button: other candidate answers."""
    query = update.callback_query
    if await _throttled(update, context):
        return
    ids = _int_parts(query.data, 1)
    scope = _scope(update)
    answers = await engine_of(context).more(ids[0], scope, n=3) if ids and scope else None
    if answers is None:
        await _not_available(update)
        return
    lang = await _answer_lang(update, context, ids[0], scope)
    if not any(not a.abstained and a.sentence for a in answers):
        # a notice on the button, not one more message per tap (found in an Indonesian user's review)
        await query.answer(i18n.text("no_more", lang))
        return
    await query.answer()
    await send_html(context.bot, scope.chat_id, render.more_html(answers, lang), reply_to=query.message)


async def on_feedback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """👍 / 👎 buttons: record the vote."""
    query = update.callback_query
    ids = _int_parts(query.data, 2)
    scope = _scope(update)
    ok = False
    if ids and scope and ids[1] in (1, -1):
        ok = await engine_of(context).feedback(ids[0], scope, query.from_user.id, ids[1])
    if not ok:
        await _not_available(update)
        return
    await query.answer(i18n.text("thanks", await _answer_lang(update, context, ids[0], scope)))


async def on_list_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/list page buttons (admins)."""
    query = update.callback_query
    if not await is_admin(update, context):
        return
    ids = _int_parts(query.data, 1)
    scope = _scope(update)
    if not ids or scope is None or ids[0] < 0:
        await _not_available(update)
        return
    lang = lang_of(update)
    offset = ids[0]
    items, total = await engine_of(context).list(scope, offset=offset, limit=LIST_PAGE)
    await query.answer()
    text = render.split_html(render.list_html(items, offset, total, lang))[0]
    try:
        await query.edit_message_text(
            text, parse_mode=ParseMode.HTML, reply_markup=list_keyboard(offset, total, lang)
        )
    except BadRequest:  # not modified (double click)
        pass


async def on_delete_confirm(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Delete button under /delete's confirmation (admins)."""
    query = update.callback_query
    if not await is_admin(update, context):
        return
    ids = _int_parts(query.data, 1)
    scope = _scope(update)
    info = await engine_of(context).delete(ids[0], scope) if ids and scope else None
    lang = lang_of(update)
    await query.answer()
    if info is None:
        text = i18n.text("no_article", lang, id=ids[0] if ids else "?")
    else:
        text = i18n.text("deleted", lang, id=info.id, title=info.title)
    await query.edit_message_text(text, parse_mode=ParseMode.HTML)


async def on_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Cancel button under /delete's confirmation."""
    query = update.callback_query
    if not await is_admin(update, context):
        return
    await query.answer()
    await query.edit_message_text(i18n.text("cancelled", lang_of(update)))


async def on_unknown(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any other callback data (an old keyboard, a forged button): answer so the spinner stops."""
    await _not_available(update)
