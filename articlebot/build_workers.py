"""Tokenising a full index build on every core: worker processes, with the engine's threads as the fallback.

A rebuild from SQLite (start-up without a usable snapshot, `/reindex`, `articlebot reindex`) spends ~97 % of its
time tokenising, which holds the GIL: threads use one core. This module is what the worker processes import
(stdlib and `retrieval.text` only, so they start in a fraction of a second).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from retrieval.text import analyze, analyze_joined
from storage.models import PassageRow

log = logging.getLogger(__name__)

Part = tuple[list[int], list[list[str]], list[int], list[bool]]  # keys, terms, collections, public flags
PARENT_CHECK_SECONDS = 0.5
MIN_PASSAGES_FOR_PROCESSES = 20_000  # below, starting the workers (~0.3 s each) costs more than it saves


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


def worker_init(parent: int) -> None:
    """In each worker: leave Ctrl-C to the parent, and exit when the parent dies.

    A worker blocked on its task queue never sees the parent go (it holds both ends of the queue's pipe), so
    after a `kill -9` of the bot it would live on, holding the bot's stdout/stderr open.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(parent,), name="watch-parent", daemon=True).start()


def _split_joined(joined: list[str]) -> list[list[str]]:
    return [j.split() for j in joined]


def _analyze_texts(texts: Sequence[str], langs: Sequence[str | None]) -> list[list[str]]:
    return [analyze(t, lang) for t, lang in zip(texts, langs, strict=True)]


class BuildTokenizer:
    """Where one full index build tokenises: worker processes (one per core by default), else threads.

    The processes are started with "spawn" (a fork of this threaded process could inherit a held lock), live for
    one build and are shut down after it. Any failure of theirs (no /dev/shm, a killed worker, an unguarded
    `__main__` script that cannot be re-imported) is logged and the rest of the build tokenises in the threads,
    which give the same terms.
    """

    def __init__(self, processes: int, threads: ThreadPoolExecutor, passages: int) -> None:
        self._threads = threads
        self._procs: ProcessPoolExecutor | None = None
        n = processes or os.cpu_count() or 1
        if n > 1 and passages >= MIN_PASSAGES_FOR_PROCESSES:
            try:
                self._procs = ProcessPoolExecutor(
                    n, mp_context=multiprocessing.get_context("spawn"), initializer=worker_init,
                    initargs=(os.getpid(),),
                )
            except (OSError, ValueError, ImportError) as exc:
                log.warning("cannot start %d tokenising processes (%s): tokenising in threads", n, exc)
        self.in_flight = n + 1 if self._procs is not None else 2  # pages submitted ahead, so no worker idles
        self.described = f"{n} tokenising processes" if self._procs is not None else "tokenised in threads"

    async def analyze(self, rows: Sequence[PassageRow]) -> Part:
        """Keys, terms, collections and public flags of one page of passages, in order."""
        texts = [r.text for r in rows]
        langs: list[str | None] = [r.language for r in rows]
        loop = asyncio.get_running_loop()
        terms: list[list[str]] | None = None
        if self._procs is not None:
            try:
                joined = await loop.run_in_executor(self._procs, analyze_joined, texts, langs)
                terms = await loop.run_in_executor(self._threads, _split_joined, joined)
            except Exception as exc:  # BrokenProcessPool, pickling, OS limits: the threads give the same terms
                if self._procs is not None:  # the first of the pages in flight to fail says so
                    log.warning("tokenising processes failed (%r): tokenising the rest of the build in threads",
                                exc)
                    self.described += ", then threads after a failure"
                self.close()
        if terms is None:
            terms = await loop.run_in_executor(self._threads, _analyze_texts, texts, langs)
        return [r.id for r in rows], terms, [r.collection_id for r in rows], [bool(r.public) for r in rows]

    def close(self) -> None:
        """Stop the processes (without waiting: they exit once their current page is done)."""
        procs, self._procs = self._procs, None
        if procs is not None:
            procs.shutdown(wait=False, cancel_futures=True)
