"""Pure formatting: engine results -> Telegram HTML messages.

Everything that comes from articles or users goes through `html.escape`; the only markup in the
output is ours (<b>, <i>, <a>, <blockquote>). `split_html` cuts long texts into messages under
Telegram's 4,096-character limit at line boundaries (or, for an overlong line, at a space),
never inside a tag or an entity, closing and reopening tags that span a cut.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from articlebot.documents import human_size
from articlebot.models import Answer, ArticleInfo, Citation

from . import i18n

MAX_MESSAGE = 4096
MAX_QUOTE = 700  # characters of a passage shown in "More"

_TOKEN = re.compile(r"<[^>]*>|&#?\w+;|\n|\s|[^<&\s]")
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9-]+)")


def esc(value: object) -> str:
    """HTML-escape a value for Telegram (quotes too, so it is safe inside attributes)."""
    return html.escape("" if value is None else str(value), quote=True)


def tg_len(s: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(s.encode("utf-16-le")) // 2


def fmt_date(published_at: str | None) -> str:
    """The date part of an ISO timestamp ("2025-05-23T08:00:00+07:00" -> "2025-05-23")."""
    if not published_at:
        return ""
    return published_at[:10]


def link_of(url: str | None, origin_url: str | None = None) -> str | None:
    """The link to show for a citation: the article URL, else the t.me post — only http(s) links are clickable."""
    for candidate in (url, origin_url):
        if candidate and candidate.strip().lower().startswith(("https://", "http://")):
            return candidate.strip()
    return None


def highlight(sentence: str, start: int | None, end: int | None) -> str:
    """Escape `sentence`, putting the short answer `sentence[start:end]` in bold."""
    if start is None or end is None or not (0 <= start < end <= len(sentence)):
        return esc(sentence)
    return f"{esc(sentence[:start])}<b>{esc(sentence[start:end])}</b>{esc(sentence[end:])}"


def citation_line(n: int, c: Citation) -> str:
    """`[1] Title — Source, 2025-05-23 — link`, each part escaped, empty parts left out."""
    parts = [esc(c.title or "untitled")]
    meta = ", ".join(p for p in (esc(c.source) if c.source else "", esc(fmt_date(c.published_at))) if p)
    if meta:
        parts.append(meta)
    link = link_of(c.url)
    if link:
        parts.append(f'<a href="{esc(link)}">{esc(link)}</a>')
    return f"[{n}] " + " — ".join(parts)


def marked_cut(answer: Answer, html: str) -> str:
    """The shown extract with "…" where it was cut out of a longer sentence."""
    starts_mid, ends_mid = answer.cut
    return ("…" if starts_mid else "") + html + ("…" if ends_mid else "")


def answer_html(answer: Answer, lang: str = i18n.EN, *, empty: bool = False) -> str:
    """The reply to a question: the extract with the short answer in bold, then numbered citations. A refusal
    says how to add articles only where there are none (`empty`), else to try other words."""
    if answer.abstained or not answer.sentence:
        return i18n.text("not_found_empty" if empty else "not_found", lang)
    lines = [marked_cut(answer, highlight(answer.sentence, answer.answer_start, answer.answer_end))]
    if answer.citations:
        lines.append("")
        lines.extend(citation_line(i, c) for i, c in enumerate(answer.citations, 1))
    return "\n".join(lines)


def more_html(answers: Sequence[Answer], lang: str = i18n.EN) -> str:
    """Alternative answers (the More button)."""
    good = [a for a in answers if not a.abstained and a.sentence]
    if not good:
        return i18n.text("no_more", lang)
    blocks = [i18n.text("more_header", lang)]
    for i, a in enumerate(good, 1):
        block = [f"{i}. {marked_cut(a, highlight(a.sentence, a.answer_start, a.answer_end))}"]
        block.extend("   " + citation_line(j, c) for j, c in enumerate(a.citations, 1))
        blocks.append("\n".join(block))
    return "\n\n".join(blocks)


def sources_html(sources: Sequence[tuple[Citation, str]], lang: str = i18n.EN) -> str:
    """The cited passages in full (the Sources button)."""
    if not sources:
        return i18n.text("no_sources", lang)
    blocks = [i18n.text("sources_header", lang)]
    seen: set[tuple[int, str]] = set()
    unique = []
    for c, passage in sources:  # two quotes from one passage: show the passage once
        if (c.article_id, passage) not in seen:
            seen.add((c.article_id, passage))
            unique.append((c, passage))
    for i, (c, passage) in enumerate(unique, 1):
        head = citation_line(i, c) + f" (¶{c.paragraph})"
        blocks.append(f"{head}\n<blockquote>{esc(passage.strip())}</blockquote>")
    return "\n\n".join(blocks)


def article_line(a: ArticleInfo) -> str:
    """One /list row."""
    meta = ", ".join(p for p in (esc(a.source) if a.source else "", esc(fmt_date(a.published_at))) if p)
    flag = " 🌐" if a.published else ""
    return f"#{a.id} «{esc(a.title)}»" + (f" — {meta}" if meta else "") + flag


def list_html(items: Sequence[ArticleInfo], offset: int, total: int, lang: str = i18n.EN) -> str:
    if not items:
        return (
            i18n.text("list_past_end", lang, offset=offset, total=total)
            if total
            else i18n.text("list_empty", lang)
        )
    head = i18n.text("list_header", lang, first=offset + 1, last=offset + len(items), total=total)
    return "\n".join([head, *(article_line(a) for a in items)])


def collection_label(collection: str, own: str | None, lang: str = i18n.EN) -> str:
    """A collection as a chat may see it named: this chat, the global one, or "another chat" (never that chat's
    id); without `own` (the CLI) its stored name."""
    if own is None:
        return collection
    if collection == own:
        return i18n.text("coll_this", lang)
    if collection.startswith("chat:"):
        return i18n.text("coll_other", lang)
    return collection


def article_html(a: ArticleInfo, max_text: int = 3000, own: str | None = None, lang: str = i18n.EN) -> str:
    """/show: metadata, then the beginning of the text (`own`: the asking chat's collection name)."""
    lines = [f"<b>#{a.id} «{esc(a.title)}»</b>"]
    public = i18n.text("coll_public", lang) if a.published else ""
    for key, value in (
        ("lbl_source", a.source),
        ("lbl_published", fmt_date(a.published_at)),
        ("lbl_language", i18n.language_name(a.language, lang)),
        ("lbl_collection", collection_label(a.collection, own, lang) + public),
        ("lbl_paragraphs", a.paragraphs),
        ("lbl_added", fmt_date(a.added_at)),
    ):
        if value not in (None, ""):
            lines.append(f"{i18n.text(key, lang)}: {esc(value)}")
    if a.url:
        link = link_of(a.url)
        label = i18n.text("lbl_link", lang)
        lines.append(f'{label}: <a href="{esc(link)}">{esc(link)}</a>' if link else f"{label}: {esc(a.url)}")
    if a.text:
        body = a.text if len(a.text) <= max_text else a.text[:max_text].rstrip() + "…"
        lines.extend(["", esc(body)])
    return "\n".join(lines)


_STATS_KNOWN = (
    "articles", "public_articles", "passages", "collections", "questions", "abstained", "feedback_up",
    "feedback_down", "refusal_rate", "db_size_bytes", "schema_version", "index_docs", "index_terms", "index_bytes",
    "index_build_seconds", "rss_bytes",
)


def stats_html(stats: dict[str, object], lang: str = i18n.EN) -> str:
    """/stats: three readable lines (articles, questions, machine) in the user's language, then any other key."""
    lines = [i18n.text("stats_header", lang)]

    def size(n: int) -> str:
        return i18n.num(human_size(n), lang)

    if all(k in stats for k in _STATS_KNOWN):
        s = stats
        lines += [
            i18n.text("stats_articles", lang, articles=s["articles"], public=s["public_articles"],
                      passages=s["passages"], collections=s["collections"]),
            i18n.text("stats_questions", lang, questions=s["questions"], abstained=s["abstained"],
                      rate=f"{100 * float(s['refusal_rate']):.0f}" + ("%" if lang == i18n.ID else " %"),
                      up=s["feedback_up"], down=s["feedback_down"]),
            i18n.text("stats_machine", lang, db=size(int(s["db_size_bytes"])), schema=s["schema_version"],
                      docs=s["index_docs"], terms=s["index_terms"], index=size(int(s["index_bytes"])),
                      build=i18n.num(f"{float(s['index_build_seconds']):.2f}", lang), rss=size(int(s["rss_bytes"]))),
        ]
        rest = {k: v for k, v in stats.items() if k not in _STATS_KNOWN}
    else:
        rest = stats
    for key, value in rest.items():
        if isinstance(value, float):
            value = f"{value:.3f}"
        elif key.endswith("_bytes") and isinstance(value, int):
            value = human_size(value)
        lines.append(f"{esc(key)}: {esc(value)}")
    return "\n".join(lines)


def plain_snippet(s: str, limit: int = 200) -> str:
    """A one-line plain-text snippet (inline result descriptions are not HTML)."""
    s = " ".join(s.split())
    return s if len(s) <= limit else s[: limit - 1].rstrip() + "…"


# --- splitting -------------------------------------------------------------------------------


def _tokens(s: str) -> Iterable[str]:
    return _TOKEN.findall(s)


def _tag(token: str) -> tuple[str, bool] | None:
    """(name, is_closing) for a tag token, None for text."""
    if not token.startswith("<"):
        return None
    m = _TAG_NAME.match(token)
    if not m:
        return None
    return m.group(1).lower(), token.startswith("</")


def _closers(stack: Sequence[tuple[str, str]]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(stack))


def _openers(stack: Sequence[tuple[str, str]]) -> str:
    return "".join(tag for _, tag in stack)


def split_html(s: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split Telegram HTML into messages of at most `limit` UTF-16 units.

    Cuts at the last line break that fits, else the last space, else anywhere between two
    tokens (a tag, an entity or a character). Tags open at a cut are closed at the end of one
    message and reopened at the start of the next. Empty pieces are dropped.
    """
    s = s.strip()
    if tg_len(s) <= limit:
        return [s] if s else []
    out: list[str] = []
    stack: list[tuple[str, str]] = []  # open tags at the end of `cur`: (name, opening tag)
    start_stack: list[tuple[str, str]] = []  # open tags at the start of `cur`
    cur: list[str] = []
    cur_len = 0  # tg_len of "".join(cur)
    # best break points in cur: (index after which we cut, stack at that point)
    nl_break: tuple[int, list[tuple[str, str]]] | None = None
    sp_break: tuple[int, list[tuple[str, str]]] | None = None

    def emit(upto: int, stack_at: list[tuple[str, str]]) -> None:
        body = "".join(cur[:upto]).strip()
        piece = _openers(start_stack) + body + _closers(stack_at)
        if _has_text(piece):
            out.append(piece)

    def fits(upto: int, stack_at: list[tuple[str, str]]) -> bool:
        if upto <= 0:
            return False
        piece = _openers(start_stack) + "".join(cur[:upto]) + _closers(stack_at)
        return tg_len(piece) <= limit

    for tok in _tokens(s):
        tl = tg_len(tok)
        tag = _tag(tok)
        new_stack = _apply(stack, tag, tok) if tag is not None else stack
        while cur and cur_len + tl > limit - tg_len(_openers(start_stack)) - tg_len(_closers(new_stack)):
            # cut: prefer a line break, then a space, then right here
            brk = next((b for b in (nl_break, sp_break) if b is not None and fits(*b)), None)
            if brk is None:
                brk = (len(cur), list(stack))
            upto, stack_at = brk
            emit(upto, stack_at)
            rest = cur[upto:]
            while rest and rest[0].isspace():
                rest = rest[1:]
            cur = rest
            start_stack = list(stack_at)
            cur_len = tg_len("".join(cur))
            nl_break = sp_break = None
            # recompute break points inside the carried-over rest
            st = list(start_stack)
            for i, t in enumerate(cur):
                tg = _tag(t)
                if tg is not None:
                    st = _apply(st, tg, t)
                elif t == "\n":
                    nl_break = (i, list(st))
                elif t.isspace():
                    sp_break = (i, list(st))
        cur.append(tok)
        cur_len += tl
        stack = new_stack
        if tag is None and tok == "\n":
            nl_break = (len(cur) - 1, list(stack))
        elif tag is None and tok.isspace():
            sp_break = (len(cur) - 1, list(stack))
    if cur:
        emit(len(cur), stack)
    return out


def _apply(stack: list[tuple[str, str]], tag: tuple[str, bool], tok: str) -> list[tuple[str, str]]:
    name, closing = tag
    if not closing:
        return [*stack, (name, tok)]
    for i in range(len(stack) - 1, -1, -1):
        if stack[i][0] == name:
            return stack[:i]
    return stack


def _has_text(piece: str) -> bool:
    return bool(re.sub(r"<[^>]*>", "", piece).strip())
