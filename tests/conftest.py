"""Shared fixtures: real engines on real SQLite files in tmp_path."""

from __future__ import annotations

from pathlib import Path

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
