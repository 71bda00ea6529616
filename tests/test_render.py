"""Unit tests for bot/render.py (pure formatting), bot/limits.py and bot/i18n.py."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from articlebot.models import Answer, ArticleInfo, Citation
from bot import i18n, render
from bot.limits import SlidingWindowLimiter, Verdict

EVIL = '<b>x</b> & <script>alert("1")</script>'


def cite(**kw) -> Citation:
    base = dict(
        article_id=1,
        title="Flood in Jakarta",
        source="Jakarta Daily",
        url="https://news.example/flood?a=1&b=2",
        paragraph=2,
        quote="The flood displaced 5,000 residents.",
        published_at="2024-05-23T08:00:00+00:00",
    )
    base.update(kw)
    return Citation(**base)


def answer(
    sentence: str = "The flood displaced 5,000 residents.",
    start: int | None = 20,
    end: int | None = 25,
    citations: list[Citation] | None = None,
    abstained: bool = False,
) -> Answer:
    return Answer(
        question="q",
        answer=sentence[start:end] if start is not None else None,
        sentence=sentence,
        abstained=abstained,
        score=1.0,
        citations=[cite()] if citations is None else citations,
        answer_start=start,
        answer_end=end,
        answer_id=7,
    )


class TagChecker(HTMLParser):
    """Checks that a piece of Telegram HTML is balanced and uses only allowed tags."""

    ALLOWED = {"b", "i", "a", "blockquote", "code", "pre"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        assert tag in self.ALLOWED, tag
        self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (self.stack, tag)
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def check_html(piece: str) -> str:
    """Assert `piece` is well-formed Telegram HTML; return its visible text."""
    checker = TagChecker()
    checker.feed(piece)
    checker.close()
    assert checker.stack == [], piece
    assert not re.search(r"&(?!(amp|lt|gt|quot|#x27|#\d+);)", piece), "unescaped &"
    return "".join(checker.text)


def test_answer_bolds_the_short_answer_and_numbers_citations():
    out = render.answer_html(answer())
    assert out.startswith("The flood displaced <b>5,000</b> residents.")
    assert "[1] Flood in Jakarta — Jakarta Daily, 2024-05-23 — " in out
    assert '<a href="https://news.example/flood?a=1&amp;b=2">' in out
    check_html(out)


def test_everything_from_articles_is_escaped():
    c = cite(title=EVIL, source=EVIL, url='https://x.example/"><script>')
    out = render.answer_html(answer(sentence=f"{EVIL} said 5", start=0, end=8, citations=[c]))
    assert "<script>" not in out and "<b>x</b>" not in out
    assert "&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;" in out
    visible = check_html(out)
    assert EVIL in visible  # the user sees exactly the original characters


def test_bad_offsets_fall_back_to_plain_sentence():
    for start, end in ((None, None), (5, 2), (0, 999), (-1, 3)):
        out = render.answer_html(answer(start=start, end=end))
        assert out.startswith("The flood displaced 5,000 residents.")
        check_html(out)


def test_abstained_answer_explains_how_to_add_articles():
    out = render.answer_html(answer(abstained=True, sentence=""))
    assert "couldn't find" in out and "forward" in out
    assert "artikel" in render.answer_html(answer(abstained=True, sentence=""), i18n.ID)


def test_citation_without_source_date_or_link():
    line = render.citation_line(3, cite(source=None, published_at=None, url=None))
    assert line == "[3] Flood in Jakarta"


def test_sources_and_more():
    src = render.sources_html([(cite(), "Para one <with> & stuff.\nSecond line.")])
    assert "<blockquote>Para one &lt;with&gt; &amp; stuff.\nSecond line.</blockquote>" in src
    assert "(¶2)" in src
    check_html(src)
    more = render.more_html([answer(), answer(abstained=True, sentence="")])
    assert more.count("<b>5,000</b>") == 1
    check_html(more)
    assert render.more_html([]) == "No other answers found."
    assert render.sources_html([]) == "The text this answer cited has been deleted or edited since."


def test_list_show_and_stats():
    info = ArticleInfo(
        id=4,
        title=EVIL,
        source="Src",
        url="https://a.example/?x=1&y=2",
        published_at="2024-01-02",
        language="en",
        collection="chat:1",
        published=True,
        paragraphs=3,
        added_at="2024-01-03T00:00:00",
        text="Body " + EVIL,
    )
    listing = render.list_html([info], 0, 1)
    assert listing.startswith("<b>Articles 1–1 of 1</b>\n#4 «&lt;b&gt;")
    assert "🌐" in listing
    check_html(listing)
    shown = render.article_html(info)
    check_html(shown)
    assert "Body &lt;b&gt;x" in shown
    assert "Language: English" in shown and "URL: <a" in shown
    shown_id = render.article_html(info, lang="id")  # found in review: "Bahasa: id", "URL:"
    assert "Bahasa: Inggris" in shown_id and "Tautan: <a" in shown_id
    stats = render.stats_html({"articles": 3, "index_bytes": 2048, "refusal_rate": 0.25})
    assert "index_bytes: 2.0 KB" in stats and "refusal_rate: 0.250" in stats
    assert render.list_html([], 0, 0) == "No articles saved in this chat yet."


def test_short_text_is_not_split():
    assert render.split_html("hello") == ["hello"]
    assert render.split_html("  \n ") == []


def test_split_on_line_boundaries():
    lines = [f"<b>line {i}</b> &amp; text" for i in range(1000)]
    parts = render.split_html("\n".join(lines), limit=500)
    assert len(parts) > 1
    for p in parts:
        assert render.tg_len(p) <= 500
        check_html(p)
        for line in p.split("\n"):
            assert line in lines  # whole lines only
    assert "\n".join(parts).split("\n") == lines


def test_overlong_line_is_cut_at_spaces_and_tags_reopened():
    long = "<blockquote>" + " ".join(f"word{i} &amp;" for i in range(2000)) + "</blockquote>"
    parts = render.split_html(long, limit=1000)
    assert len(parts) > 5
    words = []
    for p in parts:
        assert render.tg_len(p) <= 1000
        assert p.startswith("<blockquote>") and p.endswith("</blockquote>")
        words.extend(check_html(p).split())
    assert words == " ".join(f"word{i} &" for i in range(2000)).split()


def test_unbreakable_text_is_cut_between_entities():
    s = "x" * 5000 + "&amp;" * 10 + "<b>" + "y" * 5000 + "</b>"
    parts = render.split_html(s)
    assert all(render.tg_len(p) <= render.MAX_MESSAGE for p in parts)
    visible = "".join(check_html(p) for p in parts)
    assert visible == "x" * 5000 + "&" * 10 + "y" * 5000


def test_split_counts_utf16_units():
    s = "😀" * 3000  # 6000 UTF-16 units
    parts = render.split_html(s)
    assert len(parts) == 2 and all(render.tg_len(p) <= 4096 for p in parts)
    assert "".join(parts) == s


@pytest.mark.parametrize("limit", [50, 100, 333])
def test_split_rendered_answer_stays_valid(limit):
    cites = [cite(title=f"{EVIL} {i}", url=f"https://n.example/{i}?a&b") for i in range(30)]
    out = render.answer_html(answer(citations=cites))
    for p in render.split_html(out, limit=limit):
        assert render.tg_len(p) <= limit
        check_html(p)


def test_limiter_sliding_window():
    now = [0.0]
    lim = SlidingWindowLimiter(2, window=60, clock=lambda: now[0])
    assert [lim.check(1) for _ in range(4)] == [Verdict.ALLOW, Verdict.ALLOW, Verdict.WARN, Verdict.SILENT]
    assert lim.check(2) is Verdict.ALLOW  # other users are independent
    assert lim.check(1, chat=7) is Verdict.WARN  # told once in each chat it asks in
    assert lim.check(1, chat=7) is Verdict.SILENT
    now[0] = 30
    assert lim.check(1) is Verdict.SILENT
    now[0] = 60.5  # the first two left the window
    assert lim.check(1) is Verdict.ALLOW
    assert lim.check(1) is Verdict.ALLOW
    assert lim.check(1) is Verdict.WARN


def test_limiter_prunes_idle_users():
    now = [0.0]
    lim = SlidingWindowLimiter(1, window=10, clock=lambda: now[0], max_keys=5)
    for uid in range(5):
        lim.check(uid)
    now[0] = 100
    lim.check(99)
    assert len(lim._windows) == 1


def test_i18n_language_choice_and_escaping():
    assert i18n.lang_of("id") == "id" and i18n.lang_of("id-ID") == "id"
    assert i18n.lang_of("en-US") == "en" and i18n.lang_of(None) == "en" and i18n.lang_of("de") == "en"
    assert i18n.text("duplicate", "en", id=12, title="T") == "Already saved as #12 «T»"
    assert (
        i18n.text("saved", "en", id=12, title="<T>", paragraphs=i18n.count(9, "paragraph", "en"))
        == "Saved #12 «&lt;T&gt;» — 9 paragraphs"
    )
    for key, entry in i18n.TEXTS.items():
        assert set(entry) == {"en", "id"}, key


def test_reasons_are_given_in_the_users_language() -> None:
    """Found in review: Indonesian replies carried English reasons ("Tidak disimpan: no searchable words …")."""
    from bot import i18n

    assert i18n.reason("no searchable words in the text", i18n.ID) == "tidak ada kata yang bisa dicari dalam teksnya"
    assert (i18n.reason("laporan.docx: unsupported type .docx; send .txt, .md, .html, .pdf files", i18n.ID)
            == "laporan.docx: jenis berkas .docx tidak didukung; kirim berkas .txt, .md, .html, .pdf")
    assert (i18n.reason("refusing to fetch 10.0.0.1: it points to a private address", i18n.ID)
            == "10.0.0.1 mengarah ke alamat privat")  # "tidak bisa diambil" is said once, by the reply
    assert (i18n.text("fetch_failed", i18n.ID, reason=i18n.reason("http://x/a: the page has no article text (only 1 word)", i18n.ID))
            == "Halaman itu tidak bisa diambil: halamannya tidak berisi artikel (hanya 1 kata)")
    assert i18n.reason("no searchable words in the text", i18n.EN) == "no searchable words in the text"
    # found in an English user's review: "refusing to fetch the link: it points to a loopback address"
    assert (i18n.reason("refusing to fetch the link: it points to a loopback address", i18n.EN)
            == "I never open links to local addresses")
    assert i18n.reason("something new", i18n.ID) == "something new"  # unknown reasons stay as they are
    shown = i18n.text("rejected", i18n.ID, reason=i18n.reason("the text is empty", i18n.ID))
    assert shown == "Tidak disimpan: teksnya kosong"


def test_indonesian_numbers_use_a_decimal_comma():
    """Found in an Indonesian user's review: "Berkas terlalu besar (50.0 MB)", "/stats ... 172.4 KB, 0.01 dtk"."""
    assert i18n.num("50.0 MB", "id") == "50 MB" and i18n.num("172.4 KB", "id") == "172,4 KB"
    assert i18n.num("0.01", "id") == "0,01" and i18n.num("172.4 KB", "en") == "172.4 KB"
    stats = {
        "articles": 3, "public_articles": 1, "passages": 9, "collections": 2, "questions": 4, "abstained": 1,
        "refusal_rate": 0.25, "feedback_up": 1, "feedback_down": 0, "db_size_bytes": 176537, "schema_version": 2,
        "index_docs": 9, "index_terms": 80, "index_bytes": 4300, "index_build_seconds": 0.01, "rss_bytes": 150 << 20,
    }
    shown = render.stats_html(stats, "id")
    assert "172,4 KB" in shown and "0,01" in shown and "(25%)" in shown, shown
    assert "172.4 KB" in render.stats_html(stats, "en")


def test_a_quote_cut_out_of_a_longer_sentence_is_marked():
    """Found in review: a quote cut from a very long sentence began mid-sentence, in lower case, unmarked."""
    cut = Answer("q?", None, "over clause 58 concerning the allocation of funds", False, 0.9, [], cut=(True, True))
    out = render.answer_html(cut)
    assert out.startswith("…over clause 58") and out.endswith("funds…")
    assert render.more_html([cut]).split("\n")[2].startswith("1. …over clause 58")


def test_cut_ends() -> None:
    from articlebot.engine import cut_ends

    text = "Intro. A very long sentence, over clause 1, over clause 2. Next line\nLast"
    assert cut_ends(text, 7, 58) == (False, False)  # a whole sentence
    assert cut_ends(text, 29, 43) == (True, True)  # "over clause 1," inside it
    assert cut_ends(text, 59, 68) == (False, False)  # a line without final punctuation, then a line break
