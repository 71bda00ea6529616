"""Backups: `articlebot backup PATH` (SQLite's online backup API, storage.Database.backup) taken while the
bot is running and saving articles, then restored as a new DATABASE_PATH: the copy is whole, holds every
article saved before the backup started, and the same questions get the same answers.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from articlebot.engine import Engine
from articlebot.models import ArticleIn, Scope
from storage import StorageError
from tests.conftest import OFFICE_ARTICLE, RIVER_ARTICLE, make_settings

from .fake_telegram import FakeTelegram, message_update, user
from .test_crash_safety import assert_index_matches_db, clean_env, db_invariants
from .test_isolation import bot_running, forward_msg, lift_flood_limits, make_bot_settings, settle, wait_calls

CHAT = -4242
TOPIC_TEXT = "District {i} report\n\nThe new clinic in district {i} treated {n} patients in its first month."
QUESTIONS = [f"How many patients did the clinic in district {i} treat?" for i in (3, 17, 42)]


def answer_key(a) -> tuple:
    return (a.abstained, a.sentence, a.answer, tuple(c.article_id for c in a.citations), round(a.score, 9))


@pytest.fixture
def tg() -> FakeTelegram:
    fake = FakeTelegram("777:AAbackup-token").start()
    yield fake
    fake.stop()


@pytest.mark.timeout(120)
async def test_backup_while_the_bot_writes_then_restore(tg, tmp_path, monkeypatch):
    lift_flood_limits(monkeypatch)
    settings = make_bot_settings(tmp_path, tg)
    backup = tmp_path / "backups" / "nightly.sqlite3"
    async with bot_running(settings) as engine:
        for i in range(60):  # saved and acknowledged before the backup starts
            tg.push(message_update(forward_msg(CHAT, TOPIC_TEXT.format(i=i, n=100 + i), user(1), message_id=i + 1)))
        await wait_calls(tg, "sendMessage", lambda c: c.text.startswith("Saved #"), count=60, within=30)
        before_ids = {r.id for r in (await engine.db.list_articles([], 0, 1000))[0]} | {
            r.id for r in (await engine.list(Scope(chat_id=CHAT), 0, 1000))[0]}
        assert len(before_ids) == 60
        # more articles keep arriving while `articlebot backup` runs in another process
        for i in range(60, 400):
            tg.push(message_update(forward_msg(CHAT, TOPIC_TEXT.format(i=i, n=100 + i), user(1), message_id=i + 1)))
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "articlebot.cli", "--db", str(settings.database_path), "backup", str(backup),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env(),
        )
        out, err = await asyncio.wait_for(proc.communicate(), 60)
        assert proc.returncode == 0, err.decode()
        assert out.decode().strip() == f"backed up to {backup}"
        await wait_calls(tg, "sendMessage", lambda c: c.text.startswith("Saved #"), count=400, within=60)
        await settle(tg, 0.2)
        live = {q: answer_key(await engine.ask(q, Scope(chat_id=CHAT))) for q in QUESTIONS}
        live_total = (await engine.db.stats())["articles"]

    # the backup is a whole, self-contained database (no -wal needed) and a consistent snapshot
    assert not Path(f"{backup}-wal").exists()  # noqa: ASYNC240 - a test
    titles = db_invariants(backup)
    assert before_ids <= set(titles), "an article saved before the backup started is missing"
    assert 60 <= len(titles) <= live_total == 400

    # restore: copy to a new DATABASE_PATH and start the engine on it
    restored_path = tmp_path / "restored" / "articlebot.sqlite3"
    restored_path.parent.mkdir()
    shutil.copyfile(backup, restored_path)
    async with await Engine.open(make_settings(tmp_path, database_path=restored_path)) as restored:
        await assert_index_matches_db(restored, tuple(QUESTIONS))
        for q in QUESTIONS:
            got = answer_key(await restored.ask(q, Scope(chat_id=CHAT)))
            assert not got[0] and "district" in got[1]
            if len(titles) == live_total:  # snapshot after the last write: identical in every respect
                assert got == live[q]
            else:  # same sentence and source (scores differ only through the index-wide N/avgdl)
                assert got[:4] == live[q][:4]
        # the restored bot keeps working: it can take new articles
        res = await restored.add_article(ArticleIn(text=RIVER_ARTICLE), Scope(chat_id=CHAT))
        assert res.status == "added"


async def test_quiescent_backup_restores_identical_answers(tmp_path):
    settings = make_settings(tmp_path)
    cli = Scope(collection="global")
    dest = tmp_path / "copy.sqlite3"
    qs = ["Who designed the Long River Bridge?", "Di kota mana kantor pertama Kopi Nusantara di Belanda?",
          "What is the capital of Mars?"]
    async with await Engine.open(settings) as engine:
        await engine.add_article(ArticleIn(text=RIVER_ARTICLE), cli)
        await engine.add_article(ArticleIn(text=OFFICE_ARTICLE), cli)
        original = [answer_key(await engine.ask(q, cli)) for q in qs]
        await engine.backup(dest)
        with pytest.raises(StorageError):
            await engine.backup(settings.database_path)  # never onto itself
        folder = tmp_path / "backups"
        folder.mkdir()
        written = await engine.backup(folder)  # a folder: a dated file inside it, named back (`backup` prints it)
        (inside,) = folder.glob("*.sqlite3")
        assert inside.name.startswith(settings.database_path.stem + "-") and written == inside
    restored_settings = make_settings(tmp_path / "r", database_path=tmp_path / "r" / "db.sqlite3")
    restored_settings.database_path.parent.mkdir()
    shutil.copyfile(dest, restored_settings.database_path)
    async with await Engine.open(restored_settings) as engine:
        assert [answer_key(await engine.ask(q, cli)) for q in qs] == original
        assert await engine.db.integrity_check() == "ok"
    # the CLI on the restored file answers the same (ask --json is the scripting contract)
    proc = subprocess.run(  # noqa: ASYNC221 - a test
        [sys.executable, "-m", "articlebot.cli", "--db", str(restored_settings.database_path), "ask", "--json", qs[0]],
        capture_output=True, text=True, env=clean_env(), timeout=60,
    )
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["sentence"] == original[0][1]
