"""Settings read from the environment (and a `.env` file in the working directory).

Every setting is listed, with a one-line comment, in `.env.example`. Nothing here is secret except the bot
token, which `Settings.__repr__` never shows.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs


class SettingsError(ValueError):
    """A setting has a value we cannot use; the message names the variable."""


def default_database_path() -> Path:
    """A file in the user data directory, used when DATABASE_PATH is not set."""
    return Path(platformdirs.user_data_dir("articlebot")) / "articlebot.sqlite3"


def _int(env: dict[str, str], name: str, default: int, minimum: int = 0, maximum: int | None = None) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from exc
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise SettingsError(f"{name} must be at most {maximum}, got {value}")
    return value


def _float(
    env: dict[str, str], name: str, default: float, *, above: float | None = None, at_most: float | None = None
) -> float:
    """A finite number (> `above`, <= `at_most` when given): "nan" or "inf" would silently turn a check off."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from exc
    if not math.isfinite(value):
        raise SettingsError(f"{name} must be a finite number, got {raw!r}")
    if above is not None and value <= above:
        raise SettingsError(f"{name} must be more than {above:g}, got {raw}")
    if at_most is not None and value > at_most:
        raise SettingsError(f"{name} must be at most {at_most:g}, got {raw}")
    return value


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def _dotenv_values(path: Path) -> dict[str, str]:
    """The `.env` file's variables (python-dotenv's parsing), or SettingsError if it is not UTF-8 text."""
    from dotenv import dotenv_values

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read ({exc.strerror})") from exc
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SettingsError(f"{path} is not UTF-8 text (line {line})") from exc
    return {k: v for k, v in dotenv_values(path, encoding="utf-8").items() if v is not None}


def _base_url(env: dict[str, str]) -> str:
    """TELEGRAM_BASE_URL: an http(s) URL, without a trailing "/" (the token is appended to it)."""
    raw = env.get("TELEGRAM_BASE_URL", "").strip().rstrip("/")
    if raw and not raw.lower().startswith(("http://", "https://")):
        raise SettingsError(f"TELEGRAM_BASE_URL must start with http:// or https://, got {raw!r}")
    return raw


def _webhook_url(env: dict[str, str]) -> str:
    """WEBHOOK_URL: Telegram delivers webhooks to https URLs only."""
    raw = env.get("WEBHOOK_URL", "").strip()
    if raw and not raw.lower().startswith("https://"):
        raise SettingsError(f"WEBHOOK_URL must be an https:// URL (Telegram's rule), got {raw!r}")
    return raw


def _webhook_secret(env: dict[str, str]) -> str:
    """WEBHOOK_SECRET: 1-256 of A-Z a-z 0-9 _ - (Telegram's rule)."""
    raw = env.get("WEBHOOK_SECRET", "").strip()
    if raw and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", raw):
        raise SettingsError("WEBHOOK_SECRET may only hold 1-256 of the characters A-Z a-z 0-9 _ -")
    return raw


def _log_level(env: dict[str, str]) -> str:
    level = env.get("LOG_LEVEL", "").strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        raise SettingsError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {level!r}")
    return level


def _bool(env: dict[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _ids(env: dict[str, str], name: str) -> frozenset[int]:
    raw = env.get(name, "").strip()
    if not raw:
        return frozenset()
    out = set()
    for part in raw.replace(";", ",").replace(" ", ",").split(","):
        if not part:
            continue
        try:
            out.add(int(part))
        except ValueError as exc:
            raise SettingsError(f"{name} must be a comma-separated list of numeric Telegram user ids") from exc
    return frozenset(out)


ADD_POLICIES = ("anyone", "admins", "allowlist")


def _timezone(env: dict[str, str]) -> str:
    name = env.get("TIMEZONE", "").strip() or "Asia/Jakarta"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"TIMEZONE must be an IANA time zone such as Asia/Jakarta or UTC, got {name!r}") from None
    return name


@dataclass(frozen=True)
class Settings:
    """All runtime settings. Build with `Settings.from_env()`; tests build it directly."""

    database_path: Path = field(default_factory=default_database_path)
    telegram_bot_token: str = field(default="", repr=False)
    telegram_base_url: str = ""
    webhook_url: str = ""
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_secret: str = field(default="", repr=False)
    admin_ids: frozenset[int] = frozenset()
    add_policy: str = "anyone"
    add_allowlist: frozenset[int] = frozenset()
    max_article_bytes: int = 5 * 1024 * 1024
    max_question_chars: int = 1000
    fetch_timeout: float = 15.0
    fetch_max_redirects: int = 5
    fetch_allow_private: bool = False
    questions_per_minute: int = 20
    fetches_per_minute: int = 20  # links fetched and files downloaded per sender
    answer_workers: int = 2
    answer_process: bool = False  # the bot answers in a second process (from the environment: on with >= 2 cores)
    index_processes: int = 0  # 0: one per CPU core; 1: tokenise full index builds in the worker threads
    min_answer_score: float | None = None  # None: the engine's measured default
    log_level: str = "INFO"
    timezone: str = "Asia/Jakarta"  # the dates of forwarded posts are the day in this zone

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, *, dotenv: bool = True) -> Settings:
        """Read settings from `env` (default: os.environ, after loading `.env` if present)."""
        if env is None:
            env = dict(os.environ)
            if dotenv:  # the environment wins over the file
                for key, value in _dotenv_values(Path.cwd() / ".env").items():
                    env.setdefault(key, value)
        policy = env.get("ADD_POLICY", "anyone").strip().lower() or "anyone"
        if policy not in ADD_POLICIES:
            raise SettingsError(f"ADD_POLICY must be one of {', '.join(ADD_POLICIES)}, got {policy!r}")
        db = env.get("DATABASE_PATH", "").strip()
        min_score = env.get("MIN_ANSWER_SCORE", "").strip()
        return cls(
            database_path=Path(db).expanduser() if db else default_database_path(),
            telegram_bot_token=env.get("TELEGRAM_BOT_TOKEN", "").strip(),
            telegram_base_url=_base_url(env),
            webhook_url=_webhook_url(env),
            webhook_listen=env.get("WEBHOOK_LISTEN", "0.0.0.0").strip() or "0.0.0.0",
            webhook_port=_int(env, "WEBHOOK_PORT", 8443, 1, 65535),
            webhook_secret=_webhook_secret(env),
            admin_ids=_ids(env, "ADMIN_IDS"),
            add_policy=policy,
            add_allowlist=_ids(env, "ADD_ALLOWLIST"),
            max_article_bytes=_int(env, "MAX_ARTICLE_BYTES", 5 * 1024 * 1024, 1024),
            max_question_chars=_int(env, "MAX_QUESTION_CHARS", 1000, 10),
            fetch_timeout=_float(env, "FETCH_TIMEOUT", 15.0, above=0.0),
            fetch_max_redirects=_int(env, "FETCH_MAX_REDIRECTS", 5, 0),
            fetch_allow_private=_bool(env, "FETCH_ALLOW_PRIVATE", False),
            questions_per_minute=_int(env, "QUESTIONS_PER_MINUTE", 20, 1),
            fetches_per_minute=_int(env, "FETCHES_PER_MINUTE", 20, 1),
            answer_workers=_int(env, "ANSWER_WORKERS", 2, 1),
            answer_process=_bool(env, "ANSWER_PROCESS", (os.cpu_count() or 1) >= 2),
            index_processes=_int(env, "INDEX_PROCESSES", 0, 0),
            min_answer_score=_float(env, "MIN_ANSWER_SCORE", 0.0, at_most=1.0) if min_score else None,
            log_level=_log_level(env),
            timezone=_timezone(env),
        )

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admin_ids

    def may_add(self, user_id: int | None) -> bool:
        """Whether this user may add articles under ADD_POLICY."""
        if self.add_policy == "anyone":
            return True
        if self.add_policy == "admins":
            return self.is_admin(user_id)
        return self.is_admin(user_id) or (user_id is not None and user_id in self.add_allowlist)

    def describe(self) -> dict[str, object]:
        """Settings for display (/stats, logs): the token and webhook secret are never included."""
        hidden = {"telegram_bot_token", "webhook_secret"}
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in hidden}
