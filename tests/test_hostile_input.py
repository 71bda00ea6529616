"""Hostile input is refused cleanly and stores nothing; odd but legitimate input is stored and answered verbatim.

Engine level: empty/whitespace/overlong questions, empty/oversized/control-only articles, SQL-looking text,
emoji/RTL/zero-width text, and Hypothesis properties (any text -> added/duplicate/rejected, never an
exception; database and index stay consistent). Bot level (real bot over the fake Bot API): oversized files
refused before download (no getFile), binary/undecodable/broken files, script-only HTML, dangerous URLs,
and every reply is valid Telegram HTML (checked by `TelegramHTMLChecker`). Render level: Hypothesis over
bot/render.py — any Answer text gives chunks of at most 4,096 UTF-16 units, each valid Telegram HTML.
The SSRF / decompression rules themselves are unit-tested in tests/test_fetch.py.
"""

from __future__ import annotations

import io
import sqlite3
import string
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfWriter

from articlebot.engine import Engine
from articlebot.models import Answer, ArticleIn, ArticleInfo, Citation, QuestionError, Scope
from bot import render
from tests.conftest import make_settings

from .fake_telegram import FakeTelegram, message_update, user
from .test_crash_safety import assert_index_matches_db, db_invariants
from .test_documents import _encrypted, make_pdf
from .test_isolation import bot_running, forward, forward_msg, make_bot_settings, send, settle, wait_calls

CLI = Scope(collection="global")
ANN = 8001

# --- a Telegram HTML checker ---------------------------------------------------------------------

# https://core.telegram.org/bots/api#html-style
ALLOWED_TAGS = {
    "b": set(), "strong": set(), "i": set(), "em": set(), "u": set(), "ins": set(), "s": set(), "strike": set(),
    "del": set(), "span": {"class"}, "tg-spoiler": set(), "a": {"href"}, "tg-emoji": {"emoji-id"},
    "code": {"class"}, "pre": set(), "blockquote": {"expandable"},
}  # fmt: skip
NAMED_ENTITIES = {"lt", "gt", "amp", "quot"}


class TelegramHTMLChecker(HTMLParser):
    """Raises ValueError unless the text is valid Telegram HTML: only the allowed tags and attributes,
    properly nested and closed, `<`, `>`, `&` only as markup or entities, only the four named entities."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            raise ValueError(f"tag <{tag}> not allowed")
        for name, value in attrs:
            if name not in ALLOWED_TAGS[tag]:
                raise ValueError(f"attribute {name} not allowed on <{tag}>")
            if tag == "a" and name == "href" and value is not None and value.strip().lower().startswith("javascript:"):
                raise ValueError("javascript: link")
        if tag in ("a", "blockquote", "pre") and tag in self.stack:
            raise ValueError(f"nested <{tag}>")
        self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        raise ValueError(f"self-closing <{tag}/>")

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            raise ValueError(f"</{tag}> does not close {self.stack[-1:] or 'anything'}")
        self.stack.pop()

    def handle_data(self, data):
        for ch in "<>&":
            if ch in data:
                raise ValueError(f"raw {ch!r} in text: {data[:60]!r}")

    def handle_entityref(self, name):
        if name not in NAMED_ENTITIES:
            raise ValueError(f"entity &{name}; not supported by Telegram")

    def handle_charref(self, name):
        int(name[1:], 16) if name[:1] in "xX" else int(name)

    def handle_comment(self, data):
        raise ValueError("comment")

    def handle_decl(self, decl):
        raise ValueError("declaration")

    def handle_pi(self, data):
        raise ValueError("processing instruction")

    def unknown_decl(self, data):
        raise ValueError("declaration")

    def close(self):
        super().close()
        if self.rawdata:
            raise ValueError(f"unparsed rest {self.rawdata[:40]!r}")
        if self.stack:
            raise ValueError(f"unclosed {self.stack}")


def assert_telegram_html(text: str) -> None:
    assert render.tg_len(text) <= render.MAX_MESSAGE, render.tg_len(text)
    checker = TelegramHTMLChecker()
    try:
        checker.feed(text)
        checker.close()
    except ValueError as exc:
        raise AssertionError(f"invalid Telegram HTML ({exc}): {text[:300]!r}") from exc


def test_checker_rejects_what_telegram_rejects():
    for bad in ("<b>x", "<b><i>x</b></i>", "<script>x</script>", "a < b", "a & b", "&nbsp;", "<a onclick='x'>y</a>",
                "<br/>", "<!-- c -->"):
        with pytest.raises(AssertionError):
            assert_telegram_html(bad)
    assert_telegram_html('<b>x</b> &lt;&amp;&gt;&quot;&#x27; <a href="https://e.com/?a=1&amp;b=2">l</a>')


# --- engine level ----------------------------------------------------------------------------------


def counts(db_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(db_path)
    try:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]  # noqa: S608 - fixed names
                for t in ("articles", "passages", "questions", "feedback", "collections")}
    finally:
        conn.close()


@pytest.fixture
async def engine(tmp_path):
    async with await Engine.open(make_settings(tmp_path, max_article_bytes=64 * 1024, min_answer_score=0.05)) as eng:
        for seed in ("The harbour of Tanjung Priok handled 7 million containers.", "Rice prices rose in Surabaya.",
                     "Mount Merapi erupted near Yogyakarta.", "A stadium opened in Makassar."):
            await eng.add_article(ArticleIn(text=f"Seed\n\n{seed}"), CLI)
        yield eng


QUESTION_REFUSALS = ["", " ", "\n\t \u00a0", "\u200b\u200b", "\x00\x01", "x" * 4096, ("why " * 1024)[:4096],
                     " ".join(["word"] * 151)]


async def test_bad_questions_are_refused_and_not_logged(engine, tmp_path):
    before = counts(engine.settings.database_path)
    for q in QUESTION_REFUSALS:
        with pytest.raises(QuestionError):
            await engine.ask(q, CLI)
    assert counts(engine.settings.database_path) == before


ARTICLE_REFUSALS = ["", "   \n\n\t", "\u200b\u200c\u200d\ufeff", "\x00\x01\x02", "x" * (64 * 1024 + 1),
                    "\u00e9" * (32 * 1024 + 1)]  # over the limit in UTF-8 bytes, not in characters


async def test_bad_articles_are_rejected_and_store_nothing(engine):
    before = counts(engine.settings.database_path)
    for text in ARTICLE_REFUSALS:
        res = await engine.add_article(ArticleIn(text=text, chat_id=1, message_id=len(text)), Scope(chat_id=1))
        assert res.status == "rejected" and res.reason, (text[:20], res)
    after = counts(engine.settings.database_path)
    assert {k: after[k] for k in ("articles", "passages")} == {k: before[k] for k in ("articles", "passages")}


SQL = "'); DROP TABLE articles;--"


async def test_sql_looking_text_is_stored_and_answered_verbatim(engine):
    text = (f"Robert{SQL} joined\n\nThe student Robert{SQL} enrolled at the university of Leiden in 2021.\n\n"
            "His sister \" OR 1=1 -- studied medicine.")
    res = await engine.add_article(ArticleIn(text=text, title=f"Bobby {SQL}"), CLI)
    assert res.status == "added"
    info = await engine.get(res.article_id, CLI)
    assert info.title == f"Bobby {SQL}" and SQL in info.text
    ans = await engine.ask(f"Which university did Robert{SQL} enroll at?", CLI)
    assert not ans.abstained and "Leiden" in ans.sentence and SQL in ans.sentence
    assert ans.citations[0].title == f"Bobby {SQL}"
    assert (await engine.stats())["articles"] == 5  # the table is still there
    assert_telegram_html(render.answer_html(ans))


async def test_emoji_rtl_and_zero_width_text(engine):
    text = ("Festival 🎉 news\n\nThe لغة festival in Jakarta 🇮🇩 drew 12,000 visitors on Sunday.\n\n"
            "Organisers\u200b said the \u202eevent\u202c will return next year. עברית text too.")
    res = await engine.add_article(ArticleIn(text=text), CLI)
    assert res.status == "added"
    ans = await engine.ask("How many visitors did the festival in Jakarta draw?", CLI)
    assert not ans.abstained and "12,000" in ans.sentence and "🇮🇩" in ans.sentence
    html_text = render.answer_html(ans)
    assert_telegram_html(html_text)
    await assert_index_matches_db(engine, ("festival jakarta visitors",))


async def test_articles_without_any_word_are_rejected(engine):
    for text in ("!!! ??? ...", "\u2800", "\u2800\n\n\u3164", "— — —"):
        res = await engine.add_article(ArticleIn(text=text), CLI)
        assert res.status == "rejected", (text, res)


async def test_lone_surrogates_are_rejected_not_raised(engine):
    res = await engine.add_article(ArticleIn(text="Bad \ud800 text\n\nThe river flooded."), CLI)
    assert res.status == "rejected"


def test_cli_ingest_survives_a_jsonl_line_with_a_lone_surrogate(tmp_path):
    """Fixed in articlebot/cli.py: such a line is reported as failed; the other lines are still imported."""
    import subprocess
    import sys

    jl = tmp_path / "s.jsonl"
    jl.write_text('{"text": "Bad \\ud800 line\\n\\nThe river flooded."}\n'
                  '{"text": "Good one\\n\\nThe bridge opened."}\n', encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "articlebot.cli", "--db", str(tmp_path / "d.sqlite3"), "ingest",
                           "--jsonl", str(jl)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "added 1, duplicates 0, failed 1" in proc.stdout, proc.stderr
    assert "s.jsonl:1" in proc.stderr and "Traceback" not in proc.stderr


# Hypothesis: any text -> added / duplicate / rejected, never an exception; DB and index consistent.
text_strategy = st.one_of(
    st.text(max_size=400),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=400),
    st.lists(st.sampled_from(["river", "bridge", "\n", "\n\n", " ", ".", "🎉", "\u200b", "\x00", "'", "<b>", "&",
                              "\u202e", "x" * 50, "Dr.", "1.5", "\r"]), max_size=80).map("".join),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=st.lists(st.tuples(text_strategy, st.one_of(st.none(), st.text(max_size=40))), min_size=1, max_size=4))
def test_add_article_any_text_never_raises(tmp_path_factory, items):
    import asyncio

    async def go():
        path = tmp_path_factory.mktemp("hyp")
        async with await Engine.open(make_settings(path, max_article_bytes=4096)) as eng:
            for text, title in items:
                res = await eng.add_article(ArticleIn(text=text, title=title), CLI)
                assert res.status in ("added", "duplicate", "rejected")
                if res.status == "rejected":
                    assert res.reason
                else:
                    assert res.article_id is not None
            many = await eng.add_many([ArticleIn(text=t, title=ti) for t, ti in items], CLI)
            assert all(r.status in ("duplicate", "rejected") for r in many)  # all seen already
            stats = await eng.stats()
            assert stats["index_docs"] == stats["passages"]
            await assert_index_matches_db(eng, ("river bridge", "x"))
            db_invariants(eng.settings.database_path)

    asyncio.run(go())


# --- render level (Hypothesis) --------------------------------------------------------------------

nasty = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(list(string.printable) + ["<", ">", "&", "&amp;", "<b>", "</i>", "🎉", "ع", "\u200b",
                                                       "\u202e", "\U0001f600", "é", "*", "_", "`", "[", "](", "&#",
                                                       ";", "\n", " ", "word " * 20]), max_size=600).map("".join),
)


@st.composite
def answers(draw):
    sentence = draw(nasty)
    start = draw(st.one_of(st.none(), st.integers(-5, len(sentence) + 5)))
    end = draw(st.one_of(st.none(), st.integers(-5, len(sentence) + 5)))
    cites = draw(st.lists(st.builds(
        Citation, article_id=st.integers(1, 10**12), title=nasty, source=st.one_of(st.none(), nasty),
        url=st.one_of(st.none(), st.sampled_from(["https://e.com/a?b=1&c=<2>", "http://x/\"onmouseover=1"]),
                      nasty.map(lambda t: "https://e.com/" + t)),
        paragraph=st.integers(0, 10**6), quote=nasty,
        published_at=st.one_of(st.none(), st.dates().map(str), st.datetimes().map(lambda d: d.isoformat()))),
        max_size=3))
    return Answer("q", None, sentence, draw(st.booleans()), 1.0, cites, start, end, answer_id=1)


def _chunks_ok(html_text: str) -> None:
    chunks = render.split_html(html_text)
    for chunk in chunks:
        assert_telegram_html(chunk)


@settings(max_examples=150, deadline=None)
@given(a=answers(), more=st.lists(answers(), max_size=3))
def test_render_any_answer_gives_valid_chunks(a, more):
    _chunks_ok(render.answer_html(a))
    _chunks_ok(render.more_html([a, *more]))
    _chunks_ok(render.sources_html([(c, a.sentence * 2) for c in a.citations]))


@settings(max_examples=60, deadline=None)
@given(title=nasty, text=st.one_of(st.none(), nasty), source=st.one_of(st.none(), nasty), n=st.integers(1, 60))
def test_render_any_article_gives_valid_chunks(title, text, source, n):
    info = ArticleInfo(1, title, source, "https://e.com/?a=<b>&c", "2025-05-23", "en", "chat:1", True, 3, "2025",
                       text)
    _chunks_ok(render.article_html(info))
    _chunks_ok(render.list_html([info] * n, 0, 10**6))


def test_render_escapes_published_at():
    c = Citation(1, "t", "s", "https://e.com", 1, "q", published_at="<b>oops & <")
    a = Answer("q", None, "sentence", False, 1.0, [c], answer_id=1)
    _chunks_ok(render.answer_html(a))
    info = ArticleInfo(1, "t", None, None, "<i>2025</i>", "en", "chat:1", False, 1, "2025")
    _chunks_ok(render.list_html([info], 0, 1))


def test_render_links_only_http():
    c = Citation(1, "t", None, 'javascript:alert("x")', 1, "q")
    _chunks_ok(render.answer_html(Answer("q", None, "s", False, 1.0, [c], answer_id=1)))


# --- bot level -----------------------------------------------------------------------------------------


@pytest.fixture
def tg() -> FakeTelegram:
    fake = FakeTelegram("31337:AAhostile-token").start()
    yield fake
    fake.stop()


def blank_pdf() -> bytes:
    w = PdfWriter()
    w.add_blank_page(612, 792)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


PDF_TEXT = ["Port report", "The port of Makassar handled 300 ships in April."]
BAD_FILES = {
    "binary.txt": bytes(range(256)) * 8,
    "zip.md": b"PK\x03\x04" + b"\x00" * 200,
    "png.html": b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
    "invalid-utf8.txt": bytes(range(128, 256)) * 10,
    "invalid-utf8-2.md": b"\xc3\x28" * 300 + b"\x81\x8d\x8f" * 100,
    "mixed.txt": "Caf\u00e9 ".encode() * 50 + "Кириллица".encode("cp1251") * 40 + b"\x81\x8d\x8f\x90\x9d" * 30,
    "utf16-no-bom.txt": "Hello world text".encode("utf-16-le") * 20,
    "empty.txt": b"",
    "spaces.md": b" \n\t\n   ",
    "scanned.pdf": blank_pdf(),
    "locked.pdf": _encrypted("s3cret", "owner"),
    "broken.pdf": b"%PDF-1.4\nthis is not really a pdf\n%%EOF",
    "truncated.pdf": make_pdf([PDF_TEXT])[:150],
    "scripts.html": b"<html><head><script>alert(1)</script></head><body><script>var a=1;</script>"
                    b"<iframe src='https://e.com'></iframe><noscript></noscript><style>p{}</style></body></html>",
    "program.exe": b"MZ\x90\x00" + b"\x00" * 100,
    "noext": b"hello world, this is text",
}


async def test_bad_files_refused_cleanly_nothing_stored(tg, tmp_path):
    settings = make_bot_settings(tmp_path, tg, max_article_bytes=64 * 1024)
    async with bot_running(settings):
        before = counts(settings.database_path)
        for i, (name, data) in enumerate(BAD_FILES.items()):
            tg.add_file(f"f{i}", data, f"documents/f{i}")
            doc = {"file_id": f"f{i}", "file_unique_id": f"u{i}", "file_name": name, "file_size": len(data)}
            reply = await send(tg, ANN, None, document=doc)
            assert reply.text.startswith("I couldn't read that file: "), (name, reply.text)
            assert_telegram_html(reply.text)
        after = counts(settings.database_path)
        # nothing stored (the idempotency marker table is not counted; no article, passage or question)
        assert {k: after[k] for k in ("articles", "passages", "questions")} == \
            {k: before[k] for k in ("articles", "passages", "questions")}
        # a good PDF still works afterwards
        tg.add_file("good", make_pdf([PDF_TEXT]), "documents/good")
        ok = await send(tg, ANN, None, document={"file_id": "good", "file_unique_id": "g", "file_name": "port.pdf",
                                                 "file_size": 900})
        assert ok.text.startswith("Saved #")


async def test_oversized_file_refused_before_download(tg, tmp_path):
    settings = make_bot_settings(tmp_path, tg, max_article_bytes=64 * 1024)
    async with bot_running(settings):
        before = counts(settings.database_path)
        for i, size in enumerate((64 * 1024 + 1, 20 * 1024 * 1024, 2**40)):
            doc = {"file_id": f"big{i}", "file_unique_id": f"ub{i}", "file_name": "big.pdf", "file_size": size}
            reply = await send(tg, ANN, None, document=doc)
            assert reply.text.startswith("That file is too large"), reply.text
        assert not tg.calls_to("getFile")
        # a file whose reported size lies is refused after download, by its real size
        tg.add_file("liar", b"a" * (64 * 1024 + 10), "documents/liar")
        reply = await send(tg, ANN, None, document={"file_id": "liar", "file_unique_id": "ul", "file_name": "l.txt",
                                                    "file_size": 10})
        assert reply.text.startswith("That file is too large")
        assert counts(settings.database_path)["articles"] == before["articles"]


DANGEROUS_URLS = [
    "http://127.0.0.1/", "http://localhost:8080/admin", "http://2130706433/", "http://0177.0.0.1/",
    "http://0x7f.1/", "http://127.1/", "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://10.0.0.5/",
    "http://192.168.1.1/", "http://172.16.0.1/", "http://169.254.169.254/latest/meta-data/",
    "http://metadata.google.internal/", "http://[fe80::1]/", "http://100.64.0.1/", "http://0.0.0.0/",
    "http://[fd00:ec2::254]/", "http://user:pw@example.com/", "http://２１３０７０６４３３/",
]


async def test_dangerous_urls_sent_to_the_bot_are_refused(tg, tmp_path):
    settings = make_bot_settings(tmp_path, tg)  # FETCH_ALLOW_PRIVATE off, as in production
    async with bot_running(settings):
        before = counts(settings.database_path)
        for url in DANGEROUS_URLS:
            reply = await send(tg, ANN, url)
            assert reply.text.startswith("I couldn't fetch that page: "), (url, reply.text)
            assert_telegram_html(reply.text)
        # other schemes are not links to fetch at all: they are treated as (unanswerable) questions
        for url in ("file:///etc/passwd", "ftp://example.com/x.txt", "data:text/html,<b>hi</b>",
                    "gopher://127.0.0.1:25/", "javascript:alert(1)"):
            reply = await send(tg, ANN, url)
            assert not reply.text.startswith(("Saved", "I couldn't fetch")), reply.text
            assert_telegram_html(reply.text)
        after = counts(settings.database_path)
        assert (after["articles"], after["passages"]) == (before["articles"], before["passages"])
        # the fake server (on 127.0.0.1) was never fetched: only Bot API calls were made
        assert not any(c.method.startswith("pages") for c in tg.calls)


async def test_markup_in_titles_and_text_gives_valid_replies(tg, tmp_path):
    settings = make_bot_settings(tmp_path, tg)
    evil_title = '<b>Bold</b> <a href="javascript:alert(1)">x</a> *md* _it_ [l](http://e) &amp; &nbsp; </i>'
    text = (f"{evil_title}\n\nThe <script>alert('x')</script> mayor of Bogor opened a bridge over the Cisadane "
            "river on Sunday & said \"<i>unclosed\" > 5 < 7.\n\n"
            + "Long paragraph about the bridge. " * 300)
    async with bot_running(settings):
        saved = await forward(tg, ANN, text)
        assert saved.text.startswith("Saved #")
        await send(tg, ANN, "Which river did the mayor of Bogor open a bridge over?")
        answer = tg.calls_to("sendMessage")[-1]
        assert "Cisadane" in answer.text
        buttons = dict(answer.buttons())
        from .fake_telegram import bot_message, callback_update

        for label in ("Sources", "More"):  # every button tap is answered (More may say "no other answers" there)
            before = len(tg.calls_to("answerCallbackQuery"))
            tg.push(callback_update(user(ANN), buttons[label], bot_message(ANN, answer.result["message_id"])))
            await wait_calls(tg, "answerCallbackQuery", count=before + 1)
        await send(tg, 8888, f"/show {saved.text.split('#')[1].split()[0]}", user(8888))
        await settle(tg, 0.2)
        sent = [c.text for c in tg.calls_to("sendMessage")] + [c.text for c in tg.calls_to("editMessageText")]
        assert len(sent) >= 4
        for t in sent:
            assert_telegram_html(t)


async def test_forward_with_only_whitespace_or_zero_width_is_rejected(tg, tmp_path):
    settings = make_bot_settings(tmp_path, tg)
    async with bot_running(settings):
        before = counts(settings.database_path)
        for text in ("\u200b\u200b\u200b", "\u200e\u200f", "  \n  "):
            tg.push(message_update(forward_msg(ANN, text, user(ANN))))
        await settle(tg, 0.5)
        for t in tg.sent_texts(ANN):
            assert t.startswith("Not saved: "), t
        assert counts(settings.database_path)["articles"] == before["articles"]
