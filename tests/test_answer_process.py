"""The bot's answer process (`ANSWER_PROCESS`): the same answers as the engine's threads, and never stale."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import numpy as np
import pytest

from articlebot import answer_process
from articlebot.answer_process import MAX_RESTARTS, apply_changes
from articlebot.engine import Engine
from articlebot.models import ArticleIn, Scope
from retrieval.index import BM25Index
from tests.conftest import OFFICE_ARTICLE, RIVER_ARTICLE, assert_children_exit_with_parent, make_settings

CLI = Scope()
CHAT_A = Scope(chat_id=111)
CHAT_B = Scope(chat_id=222)

QUESTIONS = [
    "Di kota mana kantor pertama Kopi Nusantara di Belanda?",
    "Kapan perusahaan Kopi Nusantara didirikan?",
    "Berapa ton kopi yang diekspor tahun lalu?",
    "When was the Long River Bridge opened?",
    "Who designed the Long River Bridge?",
    "How long is the bridge?",
    "Siapa presiden Prancis?",
]
MARKET_ARTICLE = """Pasar Terapung Lok Baintan Dibuka Lagi
Pasar terapung Lok Baintan di Kabupaten Banjar dibuka kembali pada Minggu (12/4/2026) setelah dua bulan ditutup.
Sebanyak 140 pedagang perahu ikut berjualan pada hari pertama, kata kepala pasar Siti Rahmah.
"""


def _article(text: str, **kw) -> ArticleIn:
    title, _, body = text.partition("\n")
    return ArticleIn(text=body, title=title, **kw)


def _shown(answer) -> tuple:
    return (answer.abstained, answer.sentence, answer.answer, [c.article_id for c in answer.citations])


@pytest.fixture
async def proc_engine(tmp_path):
    async with await Engine.open(make_settings(tmp_path), answer_process=True) as eng:
        yield eng


async def _ready(eng: Engine) -> None:
    assert eng._answer_process is not None
    assert await eng._answer_process.wait_ready(), "the answer process did not start"


async def test_the_process_gives_the_threads_answers(tmp_path) -> None:
    async with await Engine.open(make_settings(tmp_path)) as eng:
        for text in (OFFICE_ARTICLE, RIVER_ARTICLE):
            await eng.add_article(_article(text), CLI)
        in_threads = [_shown(await eng.ask(q, CLI)) for q in QUESTIONS]
    async with await Engine.open(make_settings(tmp_path), answer_process=True) as eng:
        await _ready(eng)
        in_process = [_shown(await eng.ask(q, CLI)) for q in QUESTIONS]
        assert eng._answer_process is not None and eng._answer_process.answered == len(QUESTIONS)
    assert in_process == in_threads
    assert in_threads[0][2] == "Rotterdam" and in_threads[-1][0]  # answered, and refused


async def test_questions_asked_at_once_go_together_with_the_same_answers(proc_engine) -> None:
    eng = proc_engine
    for text in (OFFICE_ARTICLE, RIVER_ARTICLE):
        await eng.add_article(_article(text), CLI)
    await _ready(eng)
    one_by_one = [_shown(await eng.ask(q, CLI)) for q in QUESTIONS]
    proc = eng._answer_process
    assert proc is not None and proc._executor is not None
    submit, tasks = proc._executor.submit, []
    proc._executor.submit = lambda fn, *a: tasks.append(len(a[1])) or submit(fn, *a)  # type: ignore[method-assign]
    many = QUESTIONS * 3  # 21 at once: tasks of 8, 8 and 5
    at_once = await asyncio.gather(*(eng.ask(q, CLI) for q in many))
    assert [_shown(a) for a in at_once] == one_by_one * 3
    assert tasks == [8, 8, 5] and proc.answered == len(QUESTIONS) + len(many)
    added = await eng.add_article(_article(MARKET_ARTICLE), CLI)  # a change before a task goes with it
    got = await asyncio.gather(*(eng.ask("Berapa pedagang perahu yang berjualan di Lok Baintan?", CLI) for _ in range(3)))
    assert [(a.answer, a.citations[0].article_id) for a in got] == [("140", added.article_id)] * 3


async def test_one_failing_question_of_a_task_fails_alone(tmp_path, monkeypatch) -> None:
    async with await Engine.open(make_settings(tmp_path)) as eng:
        await eng.add_article(_article(RIVER_ARTICLE), CLI)
        real = eng._answers_in_worker

        def answers(question, groups, n):
            if question == "boom":
                raise ValueError("boom")
            return real(question, groups, n)

        monkeypatch.setattr(eng, "_answers_in_worker", answers)
        monkeypatch.setattr(answer_process, "_replica", eng)
        groups = await eng._visible_groups(CLI)
        asked = [(q, groups, 1, eng.min_score) for q in ("Who designed the Long River Bridge?", "boom", "How long is the bridge?")]
        out = answer_process._answer_many([], asked)
        assert [ok for ok, _ in out] == [True, False, True] and isinstance(out[1][1], ValueError)
        assert out[0][1][3][0].score == real(*asked[0][:3])[3][0].score


async def test_an_article_added_after_the_start_answers_at_once_and_a_deleted_one_stops(proc_engine) -> None:
    eng = proc_engine
    await eng.add_article(_article(RIVER_ARTICLE), CLI)  # before the process is ready: recorded, sent later
    await _ready(eng)
    assert (await eng.ask("When was the Long River Bridge opened?", CLI)).answer == "1932"
    added = await eng.add_article(_article(MARKET_ARTICLE), CHAT_A)
    ans = await eng.ask("Berapa pedagang perahu yang berjualan di Lok Baintan?", CHAT_A)
    assert not ans.abstained and ans.answer == "140" and ans.citations[0].article_id == added.article_id
    assert (await eng.ask("Berapa pedagang perahu yang berjualan di Lok Baintan?", CHAT_B)).abstained  # not theirs
    assert await eng.publish(added.article_id, CHAT_A) is not None
    assert not (await eng.ask("Berapa pedagang perahu yang berjualan di Lok Baintan?", CHAT_B)).abstained
    assert await eng.delete(added.article_id, CHAT_A) is not None
    for scope in (CHAT_A, CHAT_B):
        assert (await eng.ask("Berapa pedagang perahu yang berjualan di Lok Baintan?", scope)).abstained
    assert eng._answer_process is not None and eng._answer_process.answered == 6


async def test_questions_at_once_with_writes_between_them(proc_engine) -> None:
    """Forty questions in flight while an article is added and another deleted: every one answered as the
    threads would at that moment, and the index changes all reach the process in order."""
    eng = proc_engine
    kept = await eng.add_article(_article(RIVER_ARTICLE), CLI)
    gone = await eng.add_article(_article(OFFICE_ARTICLE), CLI)
    await _ready(eng)

    async def ask(q: str):
        return await eng.ask(q, CLI)

    bridge = [ask("Who designed the Long River Bridge?") for _ in range(20)]
    write = [eng.add_article(_article(MARKET_ARTICLE), CLI), eng.delete(gone.article_id, CLI)]
    results = await asyncio.gather(*bridge, *write, *(ask("Kapan perusahaan Kopi Nusantara didirikan?") for _ in range(20)))
    assert all(a.answer == "Margaret Holloway" and a.citations[0].article_id == kept.article_id for a in results[:20])
    for a in results[22:]:  # asked while the article was being deleted: its answer, or a refusal
        assert a.abstained or a.answer == "2009"
    assert (await ask("Kapan perusahaan Kopi Nusantara didirikan?")).abstained
    assert (await ask("Berapa pedagang perahu yang berjualan di Lok Baintan?")).answer == "140"
    assert eng._answer_process is not None and eng._answer_process.answered == 42


async def test_questions_waiting_for_a_replaced_process_are_answered_in_the_threads(proc_engine) -> None:
    """A re-index replaces the process; the questions whose tasks had not started are answered in the threads,
    not cancelled (found in review: they raised CancelledError into the bot's handlers)."""
    eng = proc_engine
    await eng.add_article(_article(RIVER_ARTICLE), CLI)
    await _ready(eng)
    proc = eng._answer_process
    assert proc is not None
    asks = [asyncio.create_task(eng.ask("Who designed the Long River Bridge?", CLI)) for _ in range(48)]
    for _ in range(10_000):  # until the first task is done, the others waiting in the pool
        if proc.answered:
            break
        await asyncio.sleep(0.001)
    proc.start(eng.index)  # as the re-index's swap does
    answers = await asyncio.gather(*asks)
    assert all(a.answer == "Margaret Holloway" for a in answers)
    assert proc.answered < 48  # some were answered in the threads


async def test_after_a_reindex_a_new_process_answers(proc_engine) -> None:
    eng = proc_engine
    await eng.add_article(_article(OFFICE_ARTICLE), CLI)
    await _ready(eng)
    before = eng._answer_process._executor  # type: ignore[union-attr]
    await eng.reindex()
    assert eng._answer_process._executor is not before  # type: ignore[union-attr]
    await _ready(eng)
    await eng.add_article(_article(RIVER_ARTICLE), CLI)
    assert (await eng.ask("Who designed the Long River Bridge?", CLI)).answer == "Margaret Holloway"
    assert (await eng.ask("Di kota mana kantor pertama Kopi Nusantara di Belanda?", CLI)).answer == "Rotterdam"


async def test_a_killed_process_is_replaced_and_the_question_still_answered(proc_engine) -> None:
    eng = proc_engine
    await eng.add_article(_article(RIVER_ARTICLE), CLI)
    await _ready(eng)
    proc = eng._answer_process
    assert proc is not None and proc._executor is not None
    for pid in list(proc._executor._processes):
        os.kill(pid, signal.SIGKILL)
    ans = await eng.ask("When was the Long River Bridge opened?", CLI)  # in the threads, the process restarting
    assert ans.answer == "1932"
    await _ready(eng)
    await eng.add_article(_article(MARKET_ARTICLE), CLI)
    assert (await eng.ask("Berapa pedagang perahu yang berjualan di Lok Baintan?", CLI)).answer == "140"
    assert proc.answered >= 1


async def test_re_indexing_often_keeps_the_process_and_dying_often_gives_it_up(proc_engine) -> None:
    eng = proc_engine
    await eng.add_article(_article(RIVER_ARTICLE), CLI)
    proc = eng._answer_process
    assert proc is not None
    for _ in range(MAX_RESTARTS + 1):  # a re-index's new process is no restart
        await eng.reindex()
    await _ready(eng)
    assert (await eng.ask("When was the Long River Bridge opened?", CLI)).answer == "1932"
    assert proc.answered == 1
    for _ in range(MAX_RESTARTS):
        assert proc.start(eng.index, restart=True) is not None
    assert proc.start(eng.index, restart=True) is None  # given up: the threads answer, nothing is recorded
    assert eng.index.on_change is None and not await proc.wait_ready()
    await eng.add_article(_article(MARKET_ARTICLE), CLI)
    assert (await eng.ask("Berapa pedagang perahu yang berjualan di Lok Baintan?", CLI)).answer == "140"
    assert proc.answered == 1


async def test_without_a_snapshot_the_engine_writes_one_for_the_process(tmp_path) -> None:
    settings = make_settings(tmp_path)
    async with await Engine.open(settings) as eng:
        await eng.add_article(_article(RIVER_ARTICLE), CLI)
    snapshot = Path(str(settings.database_path) + ".index.npz")
    _remove(snapshot)
    async with await Engine.open(settings, answer_process=True) as eng:
        assert _exists(snapshot)  # rebuilt at open and saved, so the process loads it instead of rebuilding
        await _ready(eng)
        assert (await eng.ask("Who designed the Long River Bridge?", CLI)).answer == "Margaret Holloway"
        assert eng._answer_process is not None and eng._answer_process.answered == 1


async def test_a_process_that_cannot_start_leaves_the_threads_answering(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr("articlebot.answer_process._ready", _fail)  # the first task fails in the process
    async with await Engine.open(make_settings(tmp_path), answer_process=True) as eng:
        assert eng._answer_process is not None and not await eng._answer_process.wait_ready()
        assert eng.index.on_change is None  # no change is recorded for a process that will never read it
        await eng.add_article(_article(RIVER_ARTICLE), CLI)
        assert (await eng.ask("When was the Long River Bridge opened?", CLI)).answer == "1932"
        assert eng._answer_process.answered == 0


def _remove(path: Path) -> None:
    path.unlink()


def _exists(path: Path) -> bool:
    return path.exists()


def _fail() -> int:
    raise RuntimeError("no index here")


async def test_no_process_for_an_in_memory_database(tmp_path) -> None:
    async with await Engine.open(make_settings(tmp_path, database_path=Path(":memory:")), answer_process=True) as eng:
        assert eng._answer_process is None


def _copy_with_changes(changes: list) -> BM25Index:
    copy = BM25Index()
    copy.add_many([1, 2], [["kopi", "aceh"], ["kopi", "rotterdam"]], [7, 7], [False, False])
    apply_changes(copy, changes)
    return copy


def test_recorded_changes_repeat_on_a_copy_even_twice() -> None:
    index = BM25Index()
    index.add_many([1, 2], [["kopi", "aceh"], ["kopi", "rotterdam"]], [7, 7], [False, False])
    changes: list = []
    index.on_change = lambda op, args: changes.append((op, args))
    index.add_many([3, 4], [["jembatan", "panjang"], ["kopi", "jembatan"]], [7, 8], [False, False])
    index.remove_many([2, 99])
    index.remove(4)
    index.remove(4)  # unknown now: no change recorded
    index.set_public(3, True)
    assert [op for op, _ in changes] == ["add", "remove", "remove", "public"]
    for copy in (_copy_with_changes(changes), _copy_with_changes(changes + changes)):  # replayed twice: the same
        for terms in (["kopi"], ["jembatan"], ["rotterdam"]):
            for groups in ({7}, {8}, set()):
                want = index.search(terms, k=5, groups=groups)
                got = copy.search(terms, k=5, groups=groups)
                assert [k for k, _ in got] == [k for k, _ in want]
                np.testing.assert_allclose([s for _, s in got], [s for _, s in want], rtol=0, atol=1e-12)


def test_the_process_exits_when_the_bot_is_killed(tmp_path: Path) -> None:
    """A `kill -9` of the bot leaves no answer process behind (it watches its parent, as the build workers do)."""
    script = (
        "import asyncio, sys, time\n"
        "from pathlib import Path\n"
        "from articlebot.engine import Engine\n"
        "from articlebot.settings import Settings\n"
        "async def main():\n"
        "    eng = await Engine.open(Settings(database_path=Path(sys.argv[1])), answer_process=True)\n"
        "    assert await eng._answer_process.wait_ready()\n"
        "    print('ready', flush=True)\n"
        "    await asyncio.sleep(60)\n"
        "if __name__ == '__main__':\n"
        "    asyncio.run(main())\n"
    )
    path = tmp_path / "bot.py"
    path.write_text(script)
    assert_children_exit_with_parent(path, [str(tmp_path / "a.sqlite3")], children=1)
