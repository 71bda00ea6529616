"""Shared fixtures: real engines on real SQLite files in tmp_path."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from articlebot.engine import Engine
from articlebot.settings import Settings

OFFICE_ARTICLE = """Perusahaan Kopi Nusantara Buka Kantor di Belanda
Perusahaan Kopi Nusantara, produsen kopi asal Aceh, hari ini mengumumkan pembukaan kantor pertamanya di Belanda. Kantor tersebut berlokasi di Kota Rotterdam, Provinsi Holland Selatan.
Perusahaan itu didirikan pada 2009 oleh pengusaha Teuku Rahmat di Banda Aceh.
Tahun lalu perusahaan mengekspor 7.500 ton kopi ke 14 negara, dengan nilai penjualan Rp 6,5 miliar.
"Kami ingin kopi Aceh dikenal di seluruh Eropa," kata Teuku Rahmat, Jumat (23/5/2025).
"""

RIVER_ARTICLE = """The Long River Bridge
The Long River Bridge was opened in 1932 after six years of construction.
It is 1,149 metres long and carries eight lanes of traffic.
The bridge was designed by the engineer Margaret Holloway, who also planned the city's tram network.
"""


def make_settings(tmp_path: Path, **overrides) -> Settings:
    base = {"database_path": tmp_path / "articles.sqlite3", "telegram_bot_token": ""}
    base.update(overrides)
    return Settings(**base)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
async def engine(settings: Settings):
    eng = await Engine.open(settings)
    try:
        yield eng
    finally:
        await eng.close()


@pytest.fixture(autouse=True)
def _save_notices_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every "Saved #…" notice goes out at once (tests wait for each); test_bot's burst test sets the gap."""
    import bot.handlers

    monkeypatch.setattr(bot.handlers, "SAVE_NOTICE_GAP", 0.0)


def assert_children_exit_with_parent(script: Path, args: list[str], children: int) -> None:
    """Run `script` (it prints "ready" once its worker processes are up), `kill -9` it, and check that its
    `children` worker processes (not multiprocessing's resource tracker) exit within 10 s."""
    proc = subprocess.Popen([sys.executable, str(script), *args], stdout=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parent.parent)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        kids = [c for c in psutil.Process(proc.pid).children() if "resource_tracker" not in " ".join(c.cmdline())]
        assert len(kids) == children
        proc.kill()
        proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(c.is_running() and c.status() != psutil.STATUS_ZOMBIE for c in kids):
            assert time.monotonic() < deadline, "a worker process outlived its parent"
            time.sleep(0.1)
    finally:
        proc.kill()
