"""Full index builds tokenised in worker processes: the same index as the threads build, and a safe fallback."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from articlebot import build_workers
from articlebot.engine import Engine
from articlebot.models import ArticleIn, Scope
from tests.conftest import assert_children_exit_with_parent, make_settings
from tests.test_crash_safety import assert_index_matches_db

CLI = Scope()
QUERIES = (
    "banjir sungai kota 7",
    "river flood report 12",
    "Hochwasser Fluss Bericht",
    "inundación río informe",
)
TEXTS = (
    "Laporan {i}\n\nBanjir melanda kota {i} setelah sungai meluap pada hari ke-{i}. Warga mengungsi.",
    "Report {i}\n\nThe river flooded town {i} on day {i}; the mayor's report counts 1,{i:03d} homes.",
    "Bericht {i}\n\nDas Hochwasser des Flusses traf die Stadt {i}. Die Straßen blieben gesperrt.",
    "Informe {i}\n\nLa inundación del río afectó a la ciudad {i}; el alcalde publicó un informe.",
)


def _die(texts: list[str], langs: list[str | None]) -> list[str]:
    """Stands in for the worker's tokeniser: the worker process dies mid-build."""
    os._exit(3)


@pytest.fixture(autouse=True)
def _processes_for_small_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_workers, "MIN_PASSAGES_FOR_PROCESSES", 1)


async def _fill(engine: Engine, n: int = 240) -> None:
    await engine.add_many([ArticleIn(text=TEXTS[i % 4].format(i=i)) for i in range(n)], CLI)


@pytest.mark.parametrize("processes", [1, 2])
async def test_a_full_build_gives_the_reference_index(tmp_path: Path, processes: int,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    async with await Engine.open(make_settings(tmp_path, index_processes=processes)) as engine:
        await _fill(engine)
        with caplog.at_level(logging.INFO, logger="articlebot.engine"):
            await engine.reindex()
        await assert_index_matches_db(engine, QUERIES)
    built = [r.getMessage() for r in caplog.records if r.getMessage().startswith("index built")]
    assert len(built) == 1
    assert ("2 tokenising processes" if processes == 2 else "tokenised in threads") in built[0]
    assert "failure" not in built[0]


async def test_a_dying_worker_process_falls_back_to_threads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    async with await Engine.open(make_settings(tmp_path, index_processes=2)) as engine:
        await _fill(engine)
        monkeypatch.setattr(build_workers, "analyze_joined", _die)
        with caplog.at_level(logging.INFO):
            await engine.reindex()
        await assert_index_matches_db(engine, QUERIES)
    messages = [r.getMessage() for r in caplog.records]
    assert sum("tokenising processes failed" in m for m in messages) == 1
    assert any(m.startswith("index built") and "then threads after a failure" in m for m in messages)


def test_workers_exit_when_their_parent_is_killed(tmp_path: Path) -> None:
    """A `kill -9` of the bot mid-build leaves no tokenising process behind."""
    script = (
        "import os, sys, time\n"
        "from concurrent.futures import ThreadPoolExecutor\n"
        "from articlebot.build_workers import BuildTokenizer\n"
        "if __name__ == '__main__':\n"
        "    t = BuildTokenizer(2, ThreadPoolExecutor(1), 10**6)\n"
        "    list(t._procs.map(abs, [1, 2, 3, 4]))\n"  # the workers are up
        "    print('ready', flush=True)\n"
        "    time.sleep(60)\n"
    )
    path = tmp_path / "parent.py"
    path.write_text(script)
    assert_children_exit_with_parent(path, [], children=2)


async def test_a_small_build_does_not_start_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(build_workers, "MIN_PASSAGES_FOR_PROCESSES", 10_000)
    async with await Engine.open(make_settings(tmp_path, index_processes=2)) as engine:
        await _fill(engine)
        with caplog.at_level(logging.INFO, logger="articlebot.engine"):
            await engine.reindex()
        await assert_index_matches_db(engine, QUERIES)
    assert any(r.getMessage().startswith("index built") and "tokenised in threads" in r.getMessage()
               for r in caplog.records)
