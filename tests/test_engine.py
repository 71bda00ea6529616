"""The engine on real SQLite files: adding, asking, refusing, isolation, deleting, re-indexing."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import numpy as np
import pytest

from articlebot.engine import Engine
from articlebot.models import ArticleIn, QuestionError, Scope
from retrieval.text import analyze, article_hash, content_hash
from tests.bm25_reference import okapi
from tests.conftest import OFFICE_ARTICLE, RIVER_ARTICLE, make_settings

CLI = Scope()
CHAT_A = Scope(chat_id=111)
CHAT_B = Scope(chat_id=222)


def _article(text: str, **kw) -> ArticleIn:
    title, _, body = text.partition("\n")
    return ArticleIn(text=body, title=title, **kw)


async def test_add_then_answer_with_citation(engine: Engine) -> None:
    res = await engine.add_article(_article(OFFICE_ARTICLE, source="Contoh News", url="https://example.com/kopi"), CLI)
    assert res.status == "added" and res.article_id and res.paragraphs >= 1
    ans = await engine.ask("Di kota mana kantor pertama Kopi Nusantara di Belanda?", CLI)
    assert not ans.abstained
    assert "Rotterdam" in ans.sentence
    cit = ans.citations[0]
    assert cit.article_id == res.article_id
    assert cit.title.startswith("Perusahaan Kopi Nusantara")
    assert cit.source == "Contoh News" and cit.url == "https://example.com/kopi"
    assert cit.quote == ans.sentence and cit.paragraph >= 1
    # The sentence is cut from the stored article, never invented.
    info = await engine.get(res.article_id, CLI)
    assert info is not None and ans.sentence in info.text
    if ans.answer is not None:
        assert ans.sentence[ans.answer_start : ans.answer_end] == ans.answer


async def test_an_in_memory_database_answers_without_the_thread_reader(tmp_path) -> None:
    """`:memory:` cannot be opened a second time, so questions read passages through the aiosqlite connection."""
    async with await Engine.open(make_settings(tmp_path, database_path=Path(":memory:"))) as eng:
        assert eng._reader is None
        await eng.add_article(_article(RIVER_ARTICLE), CLI)
        ans = await eng.ask("When was the Long River Bridge opened?", CLI)
        assert not ans.abstained and ans.answer == "1932"
        sources = await eng.sources(ans.answer_id, CLI)
        assert sources and "opened in 1932" in sources[0][1]


async def test_a_collection_of_one_short_article_answers(tmp_path) -> None:
    """A new user's first article, one or two passages: rank_bm25's idf is negative for every term there, and
    the first question must still be answered (found in review: it was refused)."""
    text = "Kantor baru\nOpenAI membuka kantor pertamanya di Jerman. Kantor tersebut berlokasi di Kota Munich."
    async with await Engine.open(make_settings(tmp_path)) as eng:
        await eng.add_article(_article(text), Scope())
        answer = await eng.ask("Di kota mana kantor pertama OpenAI di Jerman?", Scope())
        assert not answer.abstained and answer.answer == "Munich"
        await eng.add_article(_article(RIVER_ARTICLE), Scope())
        answer = await eng.ask("Who designed the Long River Bridge?", Scope())
        assert not answer.abstained and answer.answer == "Margaret Holloway"


async def test_a_running_engine_follows_another_process_writes(tmp_path, monkeypatch) -> None:
    """The CLI's ingest / delete / publish while the bot runs (found in review: the bot never saw them until a
    restart). Another Engine on the same file is another connection, as another process would be."""
    settings = make_settings(tmp_path)
    async with await Engine.open(settings) as bot, await Engine.open(settings) as cli:
        assert not await bot.sync_external_changes()  # cli's start wrote, but nothing an index depends on
        await bot.add_article(_article(OFFICE_ARTICLE), Scope())
        assert not await bot.sync_external_changes()  # its own writes are not "external"
        added = await cli.add_article(_article(RIVER_ARTICLE), Scope())
        assert await bot.sync_external_changes()
        answer = await bot.ask("Who designed the Long River Bridge?", Scope())
        assert answer.answer == "Margaret Holloway"
        assert not await bot.sync_external_changes()  # nothing new since
        await cli.delete(added.article_id, Scope())
        await bot.sync_external_changes()
        assert (await bot.ask("Who designed the Long River Bridge?", Scope())).abstained
        assert sorted(bot.index.get_scores([])[0].tolist()) == sorted(await bot.db.passage_ids())

    import articlebot.engine as engine_module

    monkeypatch.setattr(engine_module, "EXTERNAL_CHECK_SECONDS", 0.05)  # the background loop does it by itself
    async with await Engine.open(settings) as bot, await Engine.open(settings) as cli:
        await cli.add_article(_article(RIVER_ARTICLE), Scope())
        for _ in range(100):
            if not (await bot.ask("Who designed the Long River Bridge?", Scope())).abstained:
                break
            await asyncio.sleep(0.05)
        assert (await bot.ask("Who designed the Long River Bridge?", Scope())).answer == "Margaret Holloway"


async def test_short_answers_for_typed_questions(engine: Engine) -> None:
    await engine.add_article(_article(OFFICE_ARTICLE), CLI)
    await engine.add_article(_article(RIVER_ARTICLE), CLI)
    when = await engine.ask("When was the Long River Bridge opened?", CLI)
    assert "1932" in when.sentence
    assert when.answer is not None and "1932" in when.answer
    much = await engine.ask("Berapa ton kopi yang diekspor perusahaan tahun lalu?", CLI)
    assert "7.500 ton" in much.sentence
    assert much.answer is not None and "7.500" in much.answer


async def test_answer_type_beats_topic_overlap(engine: Engine) -> None:
    """The sentence naming the topic (the headline's words) loses to the one answering, which shares only the
    predicate with the question (was a known limit until coverage of the non-title words counted)."""
    await engine.add_article(_article(OFFICE_ARTICLE), CLI)
    await engine.add_article(_article(RIVER_ARTICLE), CLI)
    who = await engine.ask("Siapa yang mendirikan perusahaan Kopi Nusantara?", CLI)
    assert "Teuku Rahmat" in who.sentence


async def test_a_verb_saying_that_something_happened_chooses_no_sentence(engine: Engine) -> None:
    """"terjadi" (happened) shares its stem with "menjadi" (became): the sentence that says "menjadi" is not the
    answer to when the quake happened (found in the news sets: a quote was shown, the date bolded nowhere)."""
    await engine.add_article(_article(OFFICE_ARTICLE), CLI)
    await engine.add_article(
        _article(
            "Gempa Guncang Pacitan\n"
            "PACITAN - Gempa bumi bermagnitudo 5,9 mengguncang wilayah selatan Kabupaten Pacitan, Jawa Timur, pada "
            "Kamis (6/11/2025) pukul 02.14 WIB, saat sebagian besar warga masih tidur.\n\n"
            "Warga berhamburan keluar rumah dan sebagian memilih bertahan di lapangan hingga pagi.\n\n"
            "Pakar geologi mengingatkan bahwa wilayah selatan Jawa Timur menyimpan potensi gempa besar. "
            '"Gempa ini menjadi pengingat. Warga perlu berlatih evakuasi," katanya.'
        ),
        CLI,
    )
    when = await engine.ask("Kapan gempa Pacitan terjadi?", CLI)
    assert "6/11/2025" in when.sentence
    assert when.answer is not None and "6/11/2025" in when.answer


async def test_an_acronym_question_finds_the_article_that_spells_it_out(engine: Engine) -> None:
    """Among many articles that use "BPS", the one that writes "Badan Pusat Statistik (BPS)" answers what it
    stands for, although the acronym alone scores it below shorter articles that repeat it."""
    for i in range(12):
        text = f"Data BPS terbaru {i}\nMenurut data BPS, inflasi bulan ke-{i + 1} tercatat naik. BPS merilis data itu."
        await engine.add_article(_article(text), CLI)
    defining = await engine.add_article(
        _article(
            "Laporan ekonomi kuartal ketiga\nPertumbuhan ekonomi kuartal ketiga mencapai 5,1 persen menurut "
            "laporan yang dirilis Badan Pusat Statistik (BPS) di Jakarta pada hari Senin, lebih tinggi dari "
            "perkiraan para ekonom yang disurvei sepanjang bulan lalu oleh beberapa lembaga riset swasta."
        ),
        CLI,
    )
    for question in ("Apa kepanjangan dari BPS?", "bps itu singkatan dari apa"):
        ans = await engine.ask(question, CLI)
        assert ans.answer == "Badan Pusat Statistik", question
        assert ans.citations[0].article_id == defining.article_id


PARK_ARTICLE = """Jalur pendakian Rinjani dibuka kembali
Mataram - Balai Taman Nasional Gunung Rinjani (BTNGR) akan membuka kembali enam jalur pendakian Gunung Rinjani
mulai Rabu, 1 April 2026, setelah ditutup selama tiga bulan karena cuaca ekstrem pada puncak musim hujan.

Selama masa penutupan, petugas memperbaiki jalur sepanjang 12 kilometer yang rusak akibat longsoran kecil dan
memasang papan informasi baru di setiap pos pendakian, termasuk di jalur Sembalun dan Senaru yang paling ramai.

Kepala BTNGR Lalu Arief Rahman mengatakan kuota terbesar diberikan untuk jalur Sembalun dengan 250 pendaki per
hari, disusul jalur Senaru dengan 200 pendaki, sedangkan jalur lain berbagi kuota yang tersisa setiap harinya.
"""


@pytest.mark.parametrize("memory", [False, True])
async def test_a_body_spelled_out_in_the_question_finds_its_acronym(tmp_path, memory: bool) -> None:
    """News spells a body out once, "Balai Taman Nasional Gunung Rinjani (BTNGR)", and abbreviates it after: the
    question that spells it out is answered by the passage that writes only "Kepala BTNGR …" (found in a held-out
    news set: it was refused). Both ways of reading passages (the thread reader, the aiosqlite connection)."""
    path = Path(":memory:") if memory else tmp_path / "t.sqlite3"
    async with await Engine.open(make_settings(tmp_path, database_path=path)) as eng:
        await eng.add_article(_article(PARK_ARTICLE), CLI)
        for i in range(6):
            await eng.add_article(_article(f"Kabar desa {i}\nKepala desa ke-{i} meresmikan balai warga baru.\n"), CLI)
        ans = await eng.ask("siapa kepala balai taman nasional gunung rinjani", CLI)
        assert not ans.abstained and ans.answer == "Lalu Arief Rahman"
        assert "Kepala BTNGR Lalu Arief Rahman" in ans.sentence


async def test_duplicate_content_is_reported_not_stored(engine: Engine) -> None:
    first = await engine.add_article(_article(OFFICE_ARTICLE), CLI)
    again = await engine.add_article(ArticleIn(text="  " + OFFICE_ARTICLE.split("\n", 1)[1].replace(" ", "  ")), CLI)
    assert again.status == "duplicate" and again.article_id == first.article_id
    assert (await engine.stats())["articles"] == 1


async def test_a_forward_with_its_headline_is_a_duplicate_of_the_file(engine: Engine) -> None:
    """Found in review: quake.txt (first line: the title) and the same text forwarded (headline as the first line
    of the text) were stored as #1 and #2, and answers cited either."""
    headline, body = OFFICE_ARTICLE.split("\n", 1)
    from_file = await engine.add_article(ArticleIn(text=body, title=headline), CLI)
    forwarded = await engine.add_article(ArticleIn(text=f"{headline}\n\n{body}"), CHAT_A)
    assert forwarded.status == "added"  # another chat: its own collection
    again = await engine.add_article(ArticleIn(text=f"{headline}\n\n{body}"), CLI)
    assert again.status == "duplicate" and again.article_id == from_file.article_id


async def test_headline_hashes_of_older_databases_are_recomputed_at_open(settings) -> None:
    headline, body = OFFICE_ARTICLE.split("\n", 1)
    eng = await Engine.open(settings)
    first = await eng.add_article(ArticleIn(text=f"{headline}\n\n{body}"), CLI)
    async with eng.db._transaction() as conn:  # as stored before the headline was left out of the hash
        text = (await conn.execute_fetchall("SELECT body FROM articles"))[0][0]
        await conn.execute("UPDATE articles SET content_hash = ?", (content_hash(text),))
    await eng.db.set_meta("content_hash_version", None)
    await eng.close()
    eng = await Engine.open(settings)
    try:
        again = await eng.add_article(ArticleIn(text=body, title=headline), CLI)
        assert again.status == "duplicate" and again.article_id == first.article_id
    finally:
        await eng.close()


def test_a_cut_derived_title_leaves_the_first_paragraph_in_the_hash() -> None:
    long_first = "Kata " * 40
    assert article_hash("Kata Kata…", f"{long_first}\nsisa") != article_hash("Kata Kata…", f"{long_first}\nlain")
    assert article_hash("Judul", "Judul\n\nIsi berita.") == content_hash("Isi berita.")


async def test_same_message_twice_and_edited(engine: Engine) -> None:
    msg = dict(chat_id=111, message_id=7)
    a = await engine.add_article(_article(RIVER_ARTICLE, **msg), CHAT_A)
    b = await engine.add_article(_article(RIVER_ARTICLE, **msg), CHAT_A)
    assert (a.status, b.status) == ("added", "duplicate") and a.article_id == b.article_id
    edited = RIVER_ARTICLE.replace("1932", "1934")
    c = await engine.add_article(_article(edited, **msg), CHAT_A)
    assert c.status == "updated" and c.article_id == a.article_id
    ans = await engine.ask("When was the Long River Bridge opened?", CHAT_A)
    assert "1934" in ans.sentence and "1932" not in ans.sentence
    assert (await engine.stats())["articles"] == 1


async def test_sources_and_more_follow_an_edit_elsewhere_in_the_article(engine: Engine) -> None:
    """Found in review: after an edit that changed another paragraph, Sources said the cited article had been
    deleted and More repeated the answer already given."""
    msg = dict(chat_id=111, message_id=8)
    a = await engine.add_article(_article(RIVER_ARTICLE, **msg), CHAT_A)
    ans = await engine.ask("When was the Long River Bridge opened?", CHAT_A)
    assert "1932" in ans.sentence
    edited = RIVER_ARTICLE.replace("eight lanes", "ten lanes")
    assert (await engine.add_article(_article(edited, **msg), CHAT_A)).status == "updated"
    sources = await engine.sources(ans.answer_id, CHAT_A)
    assert sources and sources[0][0].quote == ans.sentence and sources[0][0].article_id == a.article_id
    more = await engine.more(ans.answer_id, CHAT_A)
    assert all(other.sentence != ans.sentence for other in more)
    # a quote the edit changed is gone
    assert (await engine.add_article(_article(edited.replace("1932", "1934"), **msg), CHAT_A)).status == "updated"
    assert await engine.sources(ans.answer_id, CHAT_A) == []


async def test_a_quote_stays_in_its_paragraph_and_cites_it(engine: Engine) -> None:
    """Found in review: a short first paragraph merged into the next passage was quoted together with it
    ("…Cianjur.\n\nSebanyak 310 orang…") and cited as paragraph 2, and a quote from it alone as paragraph 2."""
    body = (
        "Gempa berkekuatan 5,6 mengguncang Cianjur.\n\nSebanyak 310 orang meninggal dunia menurut data BNPB pada "
        "Senin malam.\n\nPemerintah menyiapkan 2.000 tenda darurat bagi para pengungsi di sejumlah lokasi."
    )
    a = await engine.add_article(ArticleIn(text=body, title="Gempa Cianjur"), CLI)
    assert a.paragraphs == 3
    dead = await engine.ask("Berapa orang meninggal dalam gempa Cianjur?", CLI)
    assert dead.sentence.startswith("Sebanyak 310 orang") and dead.citations[0].paragraph == 2
    strength = await engine.ask("Berapa kekuatan gempa di Cianjur?", CLI)
    assert strength.sentence == "Gempa berkekuatan 5,6 mengguncang Cianjur." and strength.citations[0].paragraph == 1


async def test_how_many_is_no_search_term_even_where_every_article_is_on_the_topic(engine: Engine) -> None:
    """Found in review: in a chat holding only flood reports, the fourth one made "How many residents did the floods
    displace?" a refusal: "many" was searched, no article had it, and an unknown term weighs like the rarest."""
    for city, n in (("Bekasi", "4,000"), ("Bogor", "2,500"), ("Depok", "1,200"), ("Tangerang", "900")):
        text = f"Floods hit {city}\n\nFloods in {city} displaced {n} residents on Monday, the disaster agency said."
        await engine.add_article(ArticleIn(text=text), CLI)
    ans = await engine.ask("How many residents did the floods displace?", CLI)
    assert not ans.abstained and ans.answer in ("4,000", "2,500", "1,200", "900")
    depok = await engine.ask("How many residents did the floods in Depok displace?", CLI)
    assert depok.answer == "1,200"


async def test_a_question_with_typing_slips_is_answered(engine: Engine) -> None:
    """Found in review: every question with a typo was refused ("How many poeple were injured?")."""
    await engine.add_article(_article(RIVER_ARTICLE), CLI)
    ans = await engine.ask("Who desigend the tram netwrok?", CLI)  # refused as typed; answered as meant
    assert not ans.abstained and ans.answer == "Margaret Holloway"
    assert (await engine.ask("What does the brigde carry?", CLI)).answer == "eight lanes of traffic"



async def test_a_question_with_short_forms_is_answered(engine: Engine) -> None:
    """Found in the news sets: "siapa kalak bpbd kab sukabumi" was refused; the article writes the offices out."""
    text = (
        "Longsor tutup jalan di Sukabumi\n"
        "Longsor menutup jalan provinsi di Kecamatan Cidahu, Kabupaten Sukabumi, Senin (3/3/2026) pagi. Kepala "
        "Pelaksana BPBD Kabupaten Sukabumi Asep Hermawan mengatakan 40 rumah terdampak. Warga diminta waspada."
    )
    await engine.add_article(_article(text), CLI)
    ans = await engine.ask("siapa kalak bpbd kab sukabumi", CLI)
    assert not ans.abstained and ans.answer == "Asep Hermawan"

async def test_unanswerable_question_is_refused(engine: Engine) -> None:
    await engine.add_article(_article(OFFICE_ARTICLE), CLI)
    ans = await engine.ask("What is the price of gold in London today?", CLI)
    assert ans.abstained and ans.sentence == "" and ans.citations == []


async def test_empty_collection_refuses(engine: Engine) -> None:
    ans = await engine.ask("Who designed the bridge?", CLI)
    assert ans.abstained


@pytest.mark.parametrize("question", ["", "   \n ", "kata " * 2000])
async def test_bad_questions_get_a_clear_message(engine: Engine, question: str) -> None:
    with pytest.raises(QuestionError) as err:
        await engine.ask(question, CLI)
    assert "question" in str(err.value).lower()


@pytest.mark.parametrize("text", ["", "   \n\t  ", "\u200b\u200b"])
async def test_empty_articles_rejected_and_nothing_stored(engine: Engine, text: str) -> None:
    res = await engine.add_article(ArticleIn(text=text), CLI)
    assert res.status == "rejected" and res.reason
    assert (await engine.stats())["articles"] == 0


async def test_oversized_article_rejected(tmp_path) -> None:
    from tests.conftest import make_settings

    async with await Engine.open(make_settings(tmp_path, max_article_bytes=2048)) as eng:
        res = await eng.add_article(ArticleIn(text="kata " * 1000), CLI)
        assert res.status == "rejected" and "too large" in (res.reason or "")
        assert (await eng.stats())["articles"] == 0


async def test_chats_cannot_see_each_other(engine: Engine) -> None:
    a = await engine.add_article(_article(RIVER_ARTICLE), CHAT_A)
    q = "Who designed the Long River Bridge?"
    assert not (await engine.ask(q, CHAT_A)).abstained
    assert (await engine.ask(q, CHAT_B)).abstained
    assert await engine.get(a.article_id, CHAT_B) is None
    assert await engine.delete(a.article_id, CHAT_B) is None
    assert (await engine.list(CHAT_B))[1] == 0
    assert b"Long River" not in await engine.export(CHAT_B)
    # Published to the global collection: every chat and inline mode see it.
    assert await engine.publish(a.article_id, CHAT_A) is not None
    assert not (await engine.ask(q, CHAT_B)).abstained
    assert not (await engine.ask(q, Scope(global_only=True))).abstained
    await engine.publish(a.article_id, CHAT_A, public=False)
    assert (await engine.ask(q, CHAT_B)).abstained


async def test_buttons_refuse_foreign_question_ids(engine: Engine) -> None:
    await engine.add_article(_article(RIVER_ARTICLE), CHAT_A)
    await engine.add_article(_article(OFFICE_ARTICLE), CHAT_A)
    ans = await engine.ask("When was the Long River Bridge opened?", CHAT_A, user_id=5)
    assert ans.answer_id is not None
    assert await engine.more(ans.answer_id, CHAT_B) is None
    assert await engine.sources(ans.answer_id, CHAT_B) is None
    assert await engine.feedback(ans.answer_id, CHAT_B, 5, 1) is False
    sources = await engine.sources(ans.answer_id, CHAT_A)
    assert sources and "1932" in sources[0][1]
    assert isinstance(await engine.more(ans.answer_id, CHAT_A), list)
    assert await engine.feedback(ans.answer_id, CHAT_A, 5, 1)
    assert await engine.feedback(ans.answer_id, CHAT_A, 5, -1)  # a second vote replaces the first
    stats = await engine.stats()
    assert (stats["feedback_up"], stats["feedback_down"]) == (0, 1)


async def test_delete_takes_effect_at_once(engine: Engine) -> None:
    res = await engine.add_article(_article(RIVER_ARTICLE), CLI)
    q = "Who designed the Long River Bridge?"
    ans = await engine.ask(q, CLI)  # not the headline "The Long River Bridge": its words name the article
    assert not ans.abstained and ans.answer == "Margaret Holloway"
    assert (await engine.delete(res.article_id, CLI)).id == res.article_id
    assert (await engine.ask(q, CLI)).abstained
    assert len(engine.index) == 0


async def _assert_index_matches_db(engine: Engine) -> None:
    """The index scores exactly what SQLite holds (BM25Okapi over the stored passages)."""
    rows = [r for batch in [b async for b in engine.db.iter_passages()] for r in batch]
    keys = [r.id for r in rows]
    corpus = [analyze(r.text, r.language) for r in rows]
    assert sorted(keys) == sorted(int(k) for k in engine.index.get_scores(["x"])[0])
    query = analyze("bridge designed engineer kopi kantor", "en") + analyze("kantor kopi", "id")
    got_keys, got = engine.index.get_scores(query)
    ref = okapi(corpus).get_scores(query)
    order = np.argsort(keys)
    np.testing.assert_allclose(got, ref[order], atol=1e-6)
    assert list(got_keys) == sorted(keys)


async def test_reindex_answers_throughout_and_matches_db(engine: Engine) -> None:
    for i in range(30):
        await engine.add_article(ArticleIn(text=f"Artikel nomor {i}. Jembatan {i} dibangun pada tahun {1900 + i}."), CLI)
    await engine.add_article(_article(RIVER_ARTICLE), CLI)
    progress: list[tuple[int, int]] = []

    async def on_progress(done: int, total: int) -> None:
        progress.append((done, total))

    async def ask_loop() -> int:
        answered = 0
        for _ in range(20):
            ans = await engine.ask("Who designed the Long River Bridge?", CLI)
            answered += not ans.abstained
            await asyncio.sleep(0)
        return answered

    reindex = asyncio.create_task(engine.reindex(on_progress))
    answered = await ask_loop()
    # A write during the rebuild is not lost by the swap.
    late = await engine.add_article(_article(OFFICE_ARTICLE), CLI)
    result = await reindex
    assert answered == 20
    assert result["passages"] >= 31 and len(engine.index) == (await engine.stats())["passages"]
    assert progress and progress[-1][0] == progress[-1][1]
    assert not (await engine.ask("Di kota mana kantor pertama Kopi Nusantara di Belanda?", CLI)).abstained
    assert late.article_id
    await _assert_index_matches_db(engine)


async def test_restart_rebuilds_index_from_database(settings) -> None:
    async with await Engine.open(settings) as eng:
        await eng.add_article(_article(RIVER_ARTICLE), CLI)
        await eng.add_article(_article(OFFICE_ARTICLE), CLI)
    async with await Engine.open(settings) as eng:
        assert len(eng.index) > 0
        assert "1932" in (await eng.ask("When was the Long River Bridge opened?", CLI)).sentence
        await _assert_index_matches_db(eng)


async def test_export_reads_back_without_loss(engine: Engine, tmp_path) -> None:
    from tests.conftest import make_settings

    await engine.add_article(
        _article(OFFICE_ARTICLE, source="Contoh", url="https://example.com/a", published_at="2025-05-23"), CLI
    )
    await engine.add_article(_article(RIVER_ARTICLE), CLI)
    exported = [json.loads(line) for line in (await engine.export(CLI)).decode().splitlines()]
    other = tmp_path / "other"
    other.mkdir()
    async with await Engine.open(make_settings(other)) as eng2:
        results = await eng2.add_many(
            [ArticleIn(text=r["text"], title=r["title"], url=r["url"], source=r["source"],
                       published_at=r["published_at"]) for r in exported],
            CLI,
        )
        assert [r.status for r in results] == ["added", "added"]
        again = [json.loads(line) for line in (await eng2.export(CLI)).decode().splitlines()]
    keys = ("title", "text", "url", "source", "published_at", "language")
    assert [{k: r[k] for k in keys} for r in exported] == [{k: r[k] for k in keys} for r in again]


async def test_stats_counts(engine: Engine) -> None:
    await engine.add_article(_article(RIVER_ARTICLE), CLI)
    await engine.ask("Who designed the Long River Bridge?", CLI)
    await engine.ask("What is the price of gold in London today?", CLI)
    stats = await engine.stats()
    assert stats["articles"] == 1 and stats["passages"] >= 1
    assert stats["questions"] == 2 and stats["abstained"] == 1 and stats["refusal_rate"] == 0.5
    assert stats["index_docs"] == stats["passages"]
    assert stats["rss_bytes"] > 0


async def test_published_article_can_only_be_managed_by_its_own_chat(engine: Engine) -> None:
    a = await engine.add_article(_article(RIVER_ARTICLE), CHAT_A)
    await engine.publish(a.article_id, CHAT_A)
    assert await engine.get(a.article_id, CHAT_B) is not None  # visible everywhere once published
    assert await engine.delete(a.article_id, CHAT_B) is None
    assert await engine.publish(a.article_id, CHAT_B, public=False) is None
    assert (await engine.get(a.article_id, CHAT_A)).published
    assert (await engine.delete(a.article_id, CHAT_A)).id == a.article_id


@pytest.mark.parametrize(
    ("body", "source"),
    [
        ("IDXChannel — OpenAI membuka kantor di Munich.", "IDXChannel"),
        ("JAKARTA, KOMPAS.com - Pemerintah mengumumkan kebijakan baru.", "KOMPAS.com"),
        ("BERLIN (Reuters) – The government said on Monday.", "Reuters"),
        ("JAKARTA — Pemerintah mengumumkan kebijakan baru.", None),
        ("LONDON, June 3 (Reuters) - Britain's economy grew.", "Reuters"),
        ("Jakarta, Kompas - Pemerintah mengumumkan kebijakan baru.", "Kompas"),
        ("TEMPO.CO, Jakarta - Pemerintah mengumumkan kebijakan baru.", "TEMPO.CO"),
        ("Jakarta (ANTARA) - Pemerintah mengumumkan kebijakan baru.", "ANTARA"),
        # found in review: a city, a weekday, a person and a label were credited as the outlet
        ("Jakarta - Harga cabai rawit naik menjadi Rp 80.000 per kilogram.", None),
        ("Medan, Selasa - Gubernur meresmikan ruas tol baru.", None),
        ("Presiden Joko Widodo - yang akrab disapa Jokowi - meresmikan bendungan.", None),
        ("Update - Harga emas turun hari ini.", None),
        ("BANDUNG - Hujan deras mengguncang kota.", None),
        ("The bridge - opened in 1932 - is long.", None),
        ("Tidak ada dateline di sini.", None),
        # found in an English user's review: a wire dateline's region was credited as the outlet
        ("SAN JOSE, Calif. - Northwind Semiconductor reported results.", None),
        ("BIRMINGHAM, England - Newcastle United beat Aston Villa 2-0.", None),
        ("Portland, Ore. - The city council voted on Monday.", None),
        ("BIRMINGHAM, England (Reuters) - Aston Villa sacked its coach.", "Reuters"),
    ],
)
def test_dateline_source(body: str, source: str | None) -> None:
    from articlebot.engine import dateline_source

    assert dateline_source(body) == source


async def test_get_owned_matches_what_delete_may_do(engine: Engine) -> None:
    a = await engine.add_article(_article(RIVER_ARTICLE), CHAT_A)
    await engine.publish(a.article_id, CHAT_A)
    assert await engine.get(a.article_id, CHAT_B) is not None
    assert await engine.get(a.article_id, CHAT_B, owned=True) is None
    assert await engine.get(a.article_id, CHAT_A, owned=True) is not None


async def test_a_wrong_declared_language_does_not_hide_an_article(engine: Engine) -> None:
    """Found in review: `<html lang="en">` on an Indonesian page, or a JSONL "language": "ID", was stored as
    given, so the article was indexed with the wrong analyser (or none) and no question could find it."""
    for declared in ("en", "ID", "English", "de-DE"):
        res = await engine.add_article(_article(OFFICE_ARTICLE, language=declared), Scope(collection=declared))
        info = await engine.get(res.article_id, Scope(collection=declared))
        assert info is not None and info.language == "id"
        ans = await engine.ask("Di kota mana kantor pertama Kopi Nusantara di Belanda?", Scope(collection=declared))
        assert not ans.abstained and "Rotterdam" in ans.sentence
    # On a text too short to tell, a supported declared language (any case or region) decides.
    res = await engine.add_article(ArticleIn(text="Gol Ronaldo.", title="Gol", language="ES-es"), CLI)
    info = await engine.get(res.article_id, CLI)
    assert info is not None and info.language == "es"


async def test_titles_sources_and_links_are_stored_as_one_printable_line(engine: Engine) -> None:
    """Found in review: a JSONL "source" with a terminal escape sequence was printed raw by `list`/`ask`, and a
    title with a newline broke `list`'s one line per article."""
    item = _article(RIVER_ARTICLE, source="Src\x1b]0;pwned\x07", url="https://x.example/\x1b[2Ja")
    item.title = "Line1\nLine2\u200b"
    res = await engine.add_article(item, CLI)
    info = await engine.get(res.article_id, CLI)
    assert info is not None
    assert info.title == "Line1 Line2" and info.source == "Src]0;pwned" and info.url == "https://x.example/[2Ja"


async def test_more_answers_do_not_repeat_the_same_text_stored_twice(engine: Engine) -> None:
    """Found in review: the same article in the global collection and in a named one (both visible) made
    `ask --more` show each answer twice, citing the two copies."""
    await engine.add_article(_article(OFFICE_ARTICLE), CLI)
    await engine.add_article(_article(OFFICE_ARTICLE), Scope(collection="A"))
    answers, _ = await engine.ask_detailed("Di kota mana kantor pertama Kopi Nusantara di Belanda?",
                                           Scope(collection="A"), n=4)
    sentences = [a.sentence for a in answers if not a.abstained]
    assert sentences and len(sentences) == len(set(sentences))


async def test_a_unit_asked_abbreviated_finds_it_written_out(engine: Engine) -> None:
    """Found on hand-written news: "berapa km?" against "3 kilometer" was refused, "berapa mm" against
    "186 milimeter" too. The question says the unit, so the short answer is the number (as for "berapa hari")."""
    text = (
        "Status Gunung Lokon di Kota Tomohon dinaikkan menjadi Siaga pada Senin (9/11/2026). "
        "Warga diminta tidak beraktivitas dalam radius 3 kilometer dari kawah Tompaluan. "
        "Curah hujan di lereng gunung mencapai 186 milimeter dalam sehari."
    )
    await engine.add_article(ArticleIn(text=text, title="Status Gunung Lokon naik"), CLI)
    radius = await engine.ask("Radius bahaya Gunung Lokon berapa km?", CLI)
    assert not radius.abstained and radius.answer == "3" and "radius 3 kilometer" in radius.sentence
    rain = await engine.ask("curah hujan di lereng Lokon berapa mm", CLI)
    assert not rain.abstained and rain.answer == "186" and "186 milimeter" in rain.sentence


def test_a_derived_title_leaves_out_links() -> None:
    """A forwarded headline with its link on the same line was saved as "… Penuh http://…/tol.html"."""
    from articlebot.engine import derive_title

    assert derive_title("Tol Cisumdawu Beroperasi Penuh https://example.com/tol.html\n\nIsi.") == (
        "Tol Cisumdawu Beroperasi Penuh"
    )
    assert derive_title("https://example.com/only-a-link\nThe real first line") == "The real first line"
    # found in review: a stray "(" where a link had been
    assert derive_title("Ministry (https://kemenkeu.go.id/x) of Finance sets new fees\nIsi.") == (
        "Ministry of Finance sets new fees"
    )
    assert derive_title("See the [full report](https://example.com/r) today\nIsi.") == "See the full report today"


@pytest.mark.parametrize(
    ("url", "stored"),
    [
        ("https://example.com/berita/1", "https://example.com/berita/1"),
        ("http://example.com/a\nb", "http://example.com/ab"),  # wrapped over two lines
        ("", None),
        (None, None),
    ],
)
def test_web_link(url: str | None, stored: str | None) -> None:
    from articlebot.engine import web_link

    assert web_link(url) == stored


@pytest.mark.parametrize("url", ["javascript:alert(1)", "not a url", "ftp://example.com/x", "https://", "file:///etc"])
async def test_an_article_whose_link_is_no_web_link_is_refused(engine: Engine, url: str) -> None:
    """Found in review: "not a url" was stored as "notaurl" and "javascript:alert(1)" as given."""
    result = await engine.add_article(ArticleIn(text="Isi berita tentang banjir di kota.", url=url), CLI)
    assert result.status == "rejected" and "not an http(s) link" in result.reason
    assert (await engine.stats())["articles"] == 0


async def test_an_article_without_a_date_is_dated_by_its_dateline(engine: Engine) -> None:
    """Found in an Indonesian user's review: pasted articles and files were cited without the dateline's date."""
    text = ("Anggaran jalan Jawa Tengah\n\nSEMARANG, KOMPAS.com - Pemerintah Provinsi Jawa Tengah menyiapkan Rp 1,2 "
            "triliun untuk perbaikan jalan provinsi, kata Gubernur pada Kamis (15/10/2026).")
    dated = await engine.add_article(ArticleIn(text=text), Scope())
    given = await engine.add_article(ArticleIn(text=text.replace("1,2", "1,3"), published_at="2026-10-16"), Scope())
    assert (await engine.get(dated.article_id, Scope())).published_at == "2026-10-15"
    assert (await engine.get(given.article_id, Scope())).published_at == "2026-10-16"  # a given date wins
    answer = await engine.ask("Berapa anggaran perbaikan jalan provinsi Jawa Tengah?", Scope())
    assert answer.citations[0].published_at in ("2026-10-15", "2026-10-16")


async def test_site_prompt_lines_are_not_stored(engine: Engine) -> None:
    text = ("Harga beras naik\n\nHarga beras medium di Pasar Induk Cipinang naik menjadi Rp 13.800 per kilogram.\n\n"
            "Baca juga: Jadwal KRL Yogyakarta-Solo Ditambah\n\nPedagang menyebut pasokan dari Jawa Tengah berkurang.")
    added = await engine.add_article(ArticleIn(text=text), Scope())
    info = await engine.get(added.article_id, Scope())
    assert "Baca juga" not in info.text and info.paragraphs == 3


FIRE_BANDUNG = (
    "Kebakaran Hanguskan 120 Kios di Pasar Kosambi Bandung\n\n"
    "BANDUNG, KOMPAS.com — Kebakaran melanda Pasar Kosambi, Kota Bandung, Jawa Barat, Senin (12/10/2026) dini hari. "
    "Sebanyak 120 kios hangus terbakar dalam peristiwa tersebut.\n\n"
    "Kepala Dinas Pemadam Kebakaran dan Penyelamatan Kota Bandung, Gun Gun Sumaryana, mengatakan api pertama kali "
    "terlihat sekitar pukul 02.30 WIB dari kios pakaian di lantai dua. \"Petugas menerima laporan pukul 02.45 WIB "
    "dan langsung mengerahkan 15 unit mobil pemadam,\" kata Gun Gun saat ditemui di lokasi.\n\n"
    "Wali Kota Bandung Muhammad Farhan berjanji akan merelokasi pedagang ke lahan parkir Jalan Ahmad Yani."
)
FIRE_SURABAYA = (
    "Gudang Plastik di Surabaya Terbakar, Kerugian Capai Rp 3 Miliar\n\n"
    "Surabaya - Sebuah gudang plastik di kawasan Margomulyo, Kecamatan Asemrowo, Surabaya, terbakar pada Rabu "
    "(14/10/2026) sore.\n\n"
    "Kepala Bidang Operasi Dinas Pemadam Kebakaran dan Penyelamatan Surabaya, Bambang Vistadi, menyebut api muncul "
    "sekitar pukul 15.10 WIB. Sebanyak 22 unit mobil pemadam dikerahkan ke lokasi."
)


NEWS_BACKGROUND = [
    "Harga beras naik\n\nHarga beras medium di Pasar Induk Cipinang naik menjadi Rp 13.800 per kilogram pada Kamis. "
    "Pedagang menyebut pasokan dari Jawa Tengah berkurang.",
    "Gempa guncang Pasaman Barat\n\nGempa bermagnitudo 5,8 mengguncang Kabupaten Pasaman Barat pada Minggu pagi. "
    "Sebanyak 1.250 rumah rusak dan 3.400 warga mengungsi.",
    "Kapolres Bogor berganti\n\nKapolda Jawa Barat memimpin serah terima jabatan Kapolres Bogor di Bandung pada "
    "Selasa. AKBP Dimas Prasetyo kini menjabat Kapolres Bogor.",
    "Banjir rendam Kabupaten Bandung\n\nBanjir merendam lima kecamatan di Kabupaten Bandung setelah Sungai Citarum "
    "meluap. Sebanyak 2.300 warga mengungsi ke masjid dan sekolah.",
    "KAI tambah perjalanan\n\nPT KAI menambah 12 perjalanan kereta jarak jauh untuk libur akhir tahun dengan diskon "
    "tiket 20 persen.",
]


async def test_the_article_the_question_names_wins_over_its_neighbour(engine: Engine) -> None:
    """Found in an Indonesian user's review: "brp mobil pemadam yg dikerahkan di bandung" was answered "22 unit"
    from the Surabaya fire, whose passage shares every word of the question but the city."""
    for text in NEWS_BACKGROUND:
        await engine.add_article(ArticleIn(text=text), Scope())
    await engine.add_article(ArticleIn(text=FIRE_BANDUNG), Scope())
    await engine.add_article(ArticleIn(text=FIRE_SURABAYA), Scope())
    got = await engine.ask("brp mobil pemadam yg dikerahkan di bandung", Scope())
    assert got.answer == "15 unit" and got.citations[0].title.startswith("Kebakaran Hanguskan")
    got = await engine.ask("berapa unit mobil pemadam yang dikerahkan di Surabaya?", Scope())
    assert got.answer in ("22", "22 unit")


KRANJI_POST = (
    "Kebakaran Pasar Kranji Bekasi, 120 Kios Hangus Terbakar\n\n"
    "BEKASI, KOMPAS.com - Kebakaran melanda Pasar Kranji di Kota Bekasi, Jawa Barat, pada Senin (12/10/2026) dini "
    "hari. Api menghanguskan sedikitnya 120 kios pedagang.\n\n"
    "Kepala Dinas Pemadam Kebakaran Kota Bekasi mengatakan, kebakaran di Pasar Kranji diduga dipicu korsleting "
    "listrik di salah satu kios pakaian. Sebanyak 14 unit mobil pemadam dikerahkan ke lokasi.\n\n"
    "Dua pedagang mengalami luka ringan saat menyelamatkan barang dagangan mereka."
)


async def test_a_forwarded_posts_headline_does_not_answer_for_its_body(engine: Engine) -> None:
    """Found in the re-review: a forwarded post keeps its headline line, which shares every word of "Mengapa Pasar
    Kranji terbakar?" and answered it with no reason; measured against the short headline's high score, the
    body's passages also fell under the cut-off."""
    for text in NEWS_BACKGROUND:
        await engine.add_article(ArticleIn(text=text), Scope())
    await engine.add_article(ArticleIn(text=KRANJI_POST), Scope())
    got = await engine.ask("Mengapa Pasar Kranji terbakar?", Scope())
    assert "dipicu korsleting listrik" in got.sentence and got.answer.startswith("korsleting listrik")
    got = await engine.ask("Berapa kios yang hangus di Pasar Kranji?", Scope())
    assert not got.sentence.startswith("Kebakaran Pasar Kranji Bekasi") and got.answer == "120"


async def test_a_name_sent_alone_is_searched_in_the_language_the_index_knows(engine: Engine) -> None:
    """Found in review: "Dimas Prasetyo?" (no function word) was read as English, searched as "dim prasety"
    and refused. The message is a name: the sentence about him is the answer, nothing in bold."""
    text = (
        "Kapolres Bogor Berganti\nJabatan Kapolres Bogor yang sebelumnya diemban AKBP Rio Wahyu Anggoro kini "
        "dipegang oleh AKBP Dimas Prasetyo. Serah terima jabatan digelar di Mapolda Jawa Barat pada hari Senin. "
        "Rio Wahyu Anggoro mendapat tugas baru sebagai Kepala Bagian Operasi di Polda Jawa Barat."
    )
    await engine.add_article(_article(text, language="id"), CLI)
    for q in ("Dimas Prasetyo?", "dimas prasetyo"):
        ans = await engine.ask(q, CLI)
        assert not ans.abstained and "AKBP Dimas Prasetyo" in ans.sentence, q
        assert ans.answer is None, q


async def test_an_abbreviated_title_finds_the_written_one(engine: Engine) -> None:
    """Found in an English user's review: "who is the ceo of northwind" named another company's CEO, the article
    on Northwind writing "Chief Executive Priya Raman"."""
    northwind = ("Northwind beats forecasts\nNorthwind Semiconductor reported third-quarter results on Wednesday that "
                 "beat expectations. \"Every one of our top customers increased their orders,\" Chief Executive Priya "
                 "Raman said on a call with analysts.")
    pinecrest = ("Pinecrest to buy Golden Valley\nPinecrest Foods agreed to buy Golden Valley for $2 billion. Golden "
                 "Valley CEO Sam Ortiz will join Pinecrest's board when the deal closes.")
    for text in (northwind, pinecrest):
        await engine.add_article(_article(text, language="en"), CLI)
    for q in ("who is the ceo of northwind", "whos the CEO of Northwind Semiconductor"):
        ans = await engine.ask(q, CLI)
        assert not ans.abstained and ans.answer == "Priya Raman", (q, ans.sentence)
    ans = await engine.ask("who is golden valley's ceo", CLI)
    assert ans.answer == "Sam Ortiz", ans.sentence
