"""Answering in a second process (the bot's `ANSWER_PROCESS`): the event loop never shares the GIL with answering.

Why: a question's search and extraction are ~3 ms of pure Python. In the engine's threads they hold the
interpreter lock the bot's event loop needs, so under a burst the two take turns on one core (measured: the
answer threads' ~7 ms a question is twice the engine's time alone, and the loop waits to re-take the lock).
Here they run in one spawned process on the second core, with its own copy of the index and its own read-only
SQLite connections (WAL: it reads the latest committed state).

How the copy stays equal to the engine's index: the copy is loaded from the snapshot and reconciled with SQLite
when the process starts, and every change of the engine's index after the start was asked for
(`BM25Index.on_change`) is recorded and sent ahead of the next question, in order, in the same task; a process
that serves one task at a time applies them before it searches. So an article answers, and a deleted one stops
answering, exactly when they would in the engine's own threads. Replaying a change the copy already has is
harmless (an add replaces, a remove of an unknown key does nothing), which makes the start race-free. A swapped
index (`reindex`) starts a new process. Until the process is ready, or when it fails, the engine answers in its
threads as before (logged).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from articlebot.build_workers import worker_init

if TYPE_CHECKING:
    from articlebot.engine import Engine
    from articlebot.settings import Settings
    from retrieval.index import BM25Index

log = logging.getLogger(__name__)

Change = tuple[str, tuple]  # ("add", (keys, terms, groups, publics)) | ("remove", (keys,)) | ("public", (key, public))
SEND_AHEAD = 512  # changes recorded without a question in between are sent on their own from this many on
MAX_RESTARTS = 3  # a process that keeps dying is given up after this many restarts (the threads answer)
# Questions asked in the same turn of the event loop go to the process together, this many to a task: each task
# costs the bot's process ~0.5 ms of CPU in the executor's threads (its manager thread waking, polling its pipes
# and sentinels, the feeder thread pickling), which a burst of questions paid once per question.
TASK_QUESTIONS = 8

_replica: Engine | None = None  # in the answer process: the engine that answers there


# ------------------------------------------------------------------ in the answer process
def _open_replica(settings: Settings, parent: int) -> None:
    """Initializer of the answer process: open the database read-mostly and load the index (snapshot + SQLite)."""
    global _replica
    worker_init(parent)
    from articlebot.engine import Engine

    loop = asyncio.new_event_loop()
    try:
        _replica = loop.run_until_complete(Engine.open_replica(settings))
    finally:
        loop.close()


def _ready() -> int:
    assert _replica is not None
    return len(_replica.index)


def apply_changes(index: BM25Index, changes: list[Change]) -> None:
    """Repeat recorded changes on another index, in order (each idempotent)."""
    for op, args in changes:
        if op == "add":
            index.add_many(*args)
        elif op == "remove":
            index.remove_many(*args)
        elif op == "public":
            key, public = args
            if key in index:
                index.set_public(key, public)
        else:
            raise ValueError(f"unknown index change {op!r}")


def _apply(changes: list[Change]) -> int:
    assert _replica is not None
    apply_changes(_replica.index, changes)
    return len(_replica.index)


def _answer_many(changes: list[Change], asked: list[tuple[str, set[int], int, float]]) -> list[tuple[bool, Any]]:
    """`Engine._answers_in_worker` for several questions in order, after the changes recorded before them:
    (True, answers) or (False, the exception) for each, so one question that fails does not fail the others."""
    assert _replica is not None
    apply_changes(_replica.index, changes)
    out: list[tuple[bool, Any]] = []
    for question, groups, n, min_score in asked:
        _replica.min_score = min_score
        try:
            out.append((True, _replica._answers_in_worker(question, groups, n)))
        except Exception as exc:
            out.append((False, exc))
    return out


# ------------------------------------------------------------------ in the bot's process
def _call_soon_threadsafe(loop: asyncio.AbstractEventLoop, fn, *args) -> None:
    with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
        loop.call_soon_threadsafe(fn, *args)


def _answered(future: Future[list[tuple[bool, Any]]], task: list, executor: ProcessPoolExecutor) -> None:
    """A task's outcome to each of its questions' waiters (on the event loop): (executor, ok, answers or error)."""
    if future.cancelled():  # the process was replaced (a re-index) or closed before the task ran: the threads answer
        for _, waiter in task:
            if not waiter.done():
                waiter.set_result(None)
        return
    exc = future.exception()
    outcomes = [(False, exc)] * len(task) if exc is not None else future.result()
    for (_, waiter), (ok, value) in zip(task, outcomes, strict=True):
        if not waiter.done():
            waiter.set_result((executor, ok, value))


class AnswerProcess:
    """One answer process of an engine, and the index changes it has not seen yet."""

    def __init__(self, settings: Settings) -> None:
        # The process needs no secret: the token and webhook secret are not sent to it.
        self._settings = dataclasses.replace(
            settings, telegram_bot_token="", webhook_secret="", index_processes=1, answer_workers=1
        )
        self._lock = threading.Lock()  # orders recording and sending: a change is sent before any later question
        self._executor: ProcessPoolExecutor | None = None
        self._index: BM25Index | None = None
        self._changes: list[Change] = []
        self._ready = False
        self._restarts = 0  # after the process died (a re-index's new process is no restart)
        self._first: Future[int] | None = None  # the current process's first task (done: loaded or failed)
        self._asking: list[tuple[tuple[str, set[int], int, float], asyncio.Future[Any]]] = []  # not sent yet
        self.answered = 0  # questions answered in the process (for tests and stats)

    @property
    def ready(self) -> bool:
        return self._ready

    def start(self, index: BM25Index, *, restart: bool = False) -> Future[int] | None:
        """(Re)start the process for `index`: record its changes from now on, and load its copy in the process.
        `restart`: the last one died (counted; after MAX_RESTARTS the threads answer for good).

        Returns the future of the process's first task (its index size once loaded), None when given up."""
        first: Future[int] | None = None
        with self._lock:
            old = self._executor
            if self._index is not None and self._index is not index:
                self._index.on_change = None
            self._executor, self._ready, self._changes = None, False, []
            self._restarts += restart
            if self._restarts > MAX_RESTARTS:
                log.error("the answer process died %d times: answering in the engine's threads", self._restarts)
                index.on_change = None
                self._index = self._first = None
            else:
                self._index = index
                index.on_change = self._record
                self._executor = ProcessPoolExecutor(
                    1, mp_context=multiprocessing.get_context("spawn"), initializer=_open_replica,
                    initargs=(self._settings, os.getpid()),
                )
                first = self._first = self._executor.submit(_ready)
                first.add_done_callback(lambda f, ex=self._executor: self._started(ex, f))
        if old is not None:
            old.shutdown(wait=False, cancel_futures=True)
        return first

    async def wait_ready(self) -> bool:
        """Wait until the process has loaded its index (or failed); whether it is ready."""
        first = self._first
        if first is not None:
            with contextlib.suppress(Exception):
                await asyncio.shield(asyncio.wrap_future(first))
        return self._ready

    def _started(self, executor: ProcessPoolExecutor, first: Future[int]) -> None:
        with self._lock:
            if executor is not self._executor:
                return  # replaced meanwhile
            if first.cancelled() or first.exception() is not None:
                log.error("the answer process did not start (%s): answering in the engine's threads",
                          first.exception() if not first.cancelled() else "cancelled")
                if self._index is not None:  # nothing will send the changes: stop recording them
                    self._index.on_change = None
                self._executor, self._changes = None, []
                executor.shutdown(wait=False, cancel_futures=True)
                return
            self._ready = True
        log.info("answer process ready: %d passages", first.result())

    def _record(self, op: str, args: tuple) -> None:
        """`BM25Index.on_change`: keep the change for the next task (sent on its own when many pile up)."""
        with self._lock:
            self._changes.append((op, args))
            if self._ready and len(self._changes) >= SEND_AHEAD and self._executor is not None:
                changes, self._changes = self._changes, []
                self._executor.submit(_apply, changes)

    async def answers(self, question: str, groups: set[int], n: int, min_score: float) -> Any | None:
        """`Engine._answers_in_worker` in the process; None when it is not available (the caller answers).

        The questions asked in one turn of the event loop are sent together (`_send`, TASK_QUESTIONS to a task),
        each with the changes recorded before it was sent, as one task each would be."""
        with self._lock:
            if not self._ready or self._executor is None:
                return None
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[Any] = loop.create_future()
        self._asking.append(((question, groups, n, min_score), waiter))
        if len(self._asking) == 1:
            loop.call_soon(self._send, loop)
        sent = await waiter
        if sent is None:  # not ready any more when it was to be sent
            return None
        executor, ok, value = sent
        if ok:
            self.answered += 1
            return value
        if not isinstance(value, BrokenProcessPool):
            raise value
        log.error("the answer process stopped: starting it again; this question is answered in the threads")
        if executor is self._executor and self._index is not None:
            self.start(self._index, restart=True)
        return None

    def _send(self, loop: asyncio.AbstractEventLoop) -> None:
        """Send the questions asked since the last turn (on the event loop)."""
        asking = [(args, waiter) for args, waiter in self._asking if not waiter.done()]  # not the cancelled
        self._asking = []
        with self._lock:
            executor = self._executor
            if not self._ready or executor is None:
                for _, waiter in asking:
                    waiter.set_result(None)
                return
            for i in range(0, len(asking), TASK_QUESTIONS):
                task = asking[i : i + TASK_QUESTIONS]
                changes, self._changes = self._changes, []
                try:
                    future = executor.submit(_answer_many, changes, [args for args, _ in task])
                except (BrokenProcessPool, RuntimeError) as exc:
                    broken = exc if isinstance(exc, BrokenProcessPool) else BrokenProcessPool(str(exc))
                    for _, waiter in task:
                        waiter.set_result((executor, False, broken))
                    continue
                future.add_done_callback(
                    lambda f, task=task, ex=executor: _call_soon_threadsafe(loop, _answered, f, task, ex)
                )

    def close(self) -> None:
        with self._lock:
            executor, self._executor, self._ready = self._executor, None, False
            if self._index is not None:
                self._index.on_change = None
        if executor is not None:
            with contextlib.suppress(Exception):
                executor.shutdown(wait=True, cancel_futures=True)
