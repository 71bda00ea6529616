"""Settings from the environment / .env: every one documented in .env.example, bad values refused by name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from articlebot import settings as settings_module
from articlebot.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parent.parent


def _names_read_by_from_env() -> set[str]:
    source = Path(settings_module.__file__).read_text(encoding="utf-8")
    return set(re.findall(r'(?:env\.get|_int|_float|_bool|_ids)\((?:env, )?"([A-Z_]+)"', source))


def _example() -> dict[str, tuple[str, str]]:
    """KEY -> (default value, the comment line above it) from .env.example."""
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    out: dict[str, tuple[str, str]] = {}
    for i, line in enumerate(lines):
        m = re.fullmatch(r"([A-Z_]+)=(.*)", line)
        if m:
            out[m.group(1)] = (m.group(2), lines[i - 1] if i else "")
    return out


def test_every_setting_is_in_env_example_with_a_comment() -> None:
    read = _names_read_by_from_env()
    example = _example()
    assert {"TELEGRAM_BOT_TOKEN", "DATABASE_PATH", "INDEX_PROCESSES"} <= read  # the pattern finds them
    assert read == set(example), (read - set(example), set(example) - read)
    for key, (_, comment) in example.items():
        assert comment.startswith("# ") and len(comment) > 10, key


def test_env_example_values_are_accepted_and_are_the_defaults() -> None:
    env = {k: v for k, (v, _) in _example().items()}
    got = Settings.from_env(env, dotenv=False)
    assert got == Settings.from_env({}, dotenv=False)
    assert got.index_processes == 0 and got.answer_workers == 2 and got.min_answer_score is None


def test_values_are_parsed() -> None:
    s = Settings.from_env(
        {"ADMIN_IDS": "1, 2;3", "INDEX_PROCESSES": "1", "FETCH_ALLOW_PRIVATE": "yes", "MIN_ANSWER_SCORE": "0.2",
         "ADD_POLICY": "Admins", "DATABASE_PATH": "~/x.sqlite3"},
        dotenv=False,
    )
    assert s.admin_ids == frozenset({1, 2, 3})
    assert s.index_processes == 1 and s.fetch_allow_private and s.min_answer_score == 0.2
    assert s.add_policy == "admins"
    assert s.database_path == Path("~/x.sqlite3").expanduser()


def test_answer_process_is_on_with_two_cores_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    for cores, want in ((1, False), (2, True), (None, False)):
        monkeypatch.setattr("os.cpu_count", lambda cores=cores: cores)
        assert Settings.from_env({}, dotenv=False).answer_process is want
    assert Settings.from_env({"ANSWER_PROCESS": "off"}, dotenv=False).answer_process is False
    assert Settings.from_env({"ANSWER_PROCESS": "yes"}, dotenv=False).answer_process is True
    assert Settings().answer_process is False  # the CLI and library users: the engine's threads


@pytest.mark.parametrize(
    ("name", "value"),
    [("INDEX_PROCESSES", "-1"), ("INDEX_PROCESSES", "two"), ("ANSWER_WORKERS", "0"), ("ADMIN_IDS", "@admin"),
     ("FETCH_ALLOW_PRIVATE", "maybe"), ("ANSWER_PROCESS", "sometimes"), ("MIN_ANSWER_SCORE", "high"), ("ADD_POLICY", "everyone"),
     # found in review: each of these was accepted and quietly did something else
     ("MIN_ANSWER_SCORE", "nan"), ("MIN_ANSWER_SCORE", "1.5"), ("FETCH_TIMEOUT", "0"), ("FETCH_TIMEOUT", "-1"),
     ("FETCH_TIMEOUT", "inf"), ("WEBHOOK_PORT", "99999"), ("LOG_LEVEL", "verbose"),
     ("TELEGRAM_BASE_URL", "127.0.0.1:8081/bot"), ("WEBHOOK_URL", "http://bot.example.org/hook"),
     ("WEBHOOK_SECRET", "has spaces!"), ("TIMEZONE", "Mars/Olympus")],
)
def test_a_bad_value_is_refused_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value}, dotenv=False)


def test_dotenv_is_read_and_the_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("INDEX_PROCESSES=1\nQUESTIONS_PER_MINUTE=7\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("INDEX_PROCESSES", raising=False)
    monkeypatch.setenv("QUESTIONS_PER_MINUTE", "9")
    s = Settings.from_env()
    assert s.index_processes == 1 and s.questions_per_minute == 9


def test_a_dotenv_that_is_not_utf8_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_bytes(b"# ok\nADMIN_IDS=1\n# cl\xe9\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SettingsError, match=r"\.env is not UTF-8 text \(line 3\)"):
        Settings.from_env()


def test_the_token_and_webhook_secret_are_never_shown() -> None:
    env = {"TELEGRAM_BOT_TOKEN": "123:SECRET-token", "WEBHOOK_SECRET": "hush", "WEBHOOK_URL": "https://x.org/h"}
    s = Settings.from_env(env, dotenv=False)
    shown = repr(s) + repr(s.describe())
    assert "SECRET-token" not in shown and "hush" not in shown
