"""Logging setup that never shows the bot token.

python-telegram-bot and httpx log request URLs, and Bot API URLs contain the token. We quiet
httpx to WARNING and install a filter on every root handler that replaces the token (in the
message, its arguments and any formatted traceback) with "[TOKEN]".
"""

from __future__ import annotations

import logging
from urllib.parse import quote

REDACTED = "[TOKEN]"


def _variants(secrets: tuple[str, ...]) -> tuple[str, ...]:
    """Each secret as written, percent-encoded, and (for a bot token) its secret half after the colon."""
    out: set[str] = set()
    for secret in secrets:
        if not secret:
            continue
        out.update({secret, quote(secret, safe=""), quote(secret)})
        _, _, tail = secret.partition(":")
        if len(tail) >= 8:
            out.add(tail)
    return tuple(sorted(out, key=len, reverse=True))  # longest first, so a part never splits a whole


class TokenRedactingFilter(logging.Filter):
    """Replace every occurrence of the secrets in a record before a handler formats it."""

    def __init__(self, *secrets: str) -> None:
        super().__init__()
        self.secrets = _variants(secrets)

    def _redact(self, s: str) -> str:
        for secret in self.secrets:
            s = s.replace(secret, REDACTED)
        return s

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler
            message = str(record.msg)
        record.msg = self._redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self._redact(record.stack_info)
        return True


def install_token_filter(*secrets: str, logger: logging.Logger | None = None) -> TokenRedactingFilter:
    """Add a redacting filter to every handler of `logger` (default: the root logger)."""
    target = logger or logging.getLogger()
    flt = TokenRedactingFilter(*secrets)
    for handler in target.handlers:
        if not any(isinstance(f, TokenRedactingFilter) and f.secrets == flt.secrets for f in handler.filters):
            handler.addFilter(flt)
    return flt


def setup_logging(level: str = "INFO", *secrets: str) -> None:
    """Configure root logging for the bot process, with the secrets redacted."""
    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    install_token_filter(*secrets)
