"""Per-user flood throttle (a sliding window of question timestamps), and Telegram's own flood limits.

`check(user_id)` never awaits, so with concurrent updates it is atomic on the event loop and
one user's flood never delays anybody else.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from telegram.ext import AIORateLimiter


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"  # over the limit: tell the user once in this chat
    SILENT = "silent"  # over the limit and already told in this chat: ignore


@dataclass
class _Window:
    stamps: deque[float] = field(default_factory=deque)
    warned: set[int] = field(default_factory=set)  # the chats told during this burst


class SlidingWindowLimiter:
    """At most `limit` allowed events per `window` seconds per key.

    The first refused event in a burst gets `WARN`, later ones `SILENT`, until the oldest
    allowed event leaves the window. Refused events are not counted.
    """

    def __init__(
        self,
        limit: int,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        self.limit = max(1, limit)
        self.window = window
        self.clock = clock
        self.max_keys = max_keys
        self._windows: dict[int, _Window] = {}

    def check(self, key: int, chat: int = 0) -> Verdict:
        """`chat`: where the event came from; the warning is given once per chat, so a user throttled in a group
        still learns in a private chat why the bot is quiet (found in review: the private chat got nothing)."""
        now = self.clock()
        w = self._windows.get(key)
        if w is None:
            if len(self._windows) >= self.max_keys:
                self._prune(now)
            w = self._windows[key] = _Window()
        while w.stamps and w.stamps[0] <= now - self.window:
            w.stamps.popleft()
        if len(w.stamps) < self.limit:
            w.stamps.append(now)
            w.warned.clear()
            return Verdict.ALLOW
        if chat in w.warned:
            return Verdict.SILENT
        w.warned.add(chat)
        return Verdict.WARN

    def _prune(self, now: float) -> None:
        """Forget keys whose window has passed (bounds memory under many users)."""
        for k in [k for k, w in self._windows.items() if not w.stamps or w.stamps[-1] <= now - self.window]:
            del self._windows[k]


class RequestProgress:
    """Whether a request has left `TelegramRateLimiter`'s queue for the network (see `bot.handlers.typing`)."""

    __slots__ = ("sent",)

    def __init__(self) -> None:
        self.sent = False


class TelegramRateLimiter(AIORateLimiter):
    """python-telegram-bot's `AIORateLimiter` (Telegram's flood limits) that marks, for a request sent with
    `rate_limit_args=RequestProgress()`, the moment it leaves the queue for the HTTP client.

    Why: cancelling a request that waits in this queue is safe and gives its place back, but cancelling one in
    the HTTP client can leak a pooled connection for good (httpcore 1.0.9, encode/httpcore#1093). "typing…"
    cancels its pending chat action only while it is still queued.
    """

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):  # noqa: ANN001, ANN201
        if isinstance(rate_limit_args, RequestProgress):
            progress, rate_limit_args, queued = rate_limit_args, None, callback

            async def callback(*a, **kw):  # noqa: ANN002, ANN003, ANN202
                progress.sent = True
                return await queued(*a, **kw)

        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
