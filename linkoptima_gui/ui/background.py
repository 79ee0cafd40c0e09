"""Run blocking work off the GUI thread and get the answer back on it.

The GUI thread runs Qt (and qasync); a store read or a label print there would freeze the
packing screen. Every blocking call therefore goes through ``run_in_background``: the callable
runs on a worker thread, and exactly one of ``on_success(result)`` / ``on_failure(exc)`` runs
afterwards on the GUI thread (Anki's ``QueryOp`` idea, Picard's single way back).

Two lanes, each a single thread on purpose (Picard's one-thread save pool, Anki's DB lane):

- ``Lane.READ`` for the screens' store reads. One thread means results arrive in the order
  they were asked for, so an older read can never overwrite the answer of a newer one.
- ``Lane.ACTION`` for what a person triggers (pack a parcel, pause the engine), so a slow
  printer never delays the screens' reads and two actions never overlap.

``Lane.DASHBOARD`` reads the Pulpit's figures: a few hundred milliseconds in a big shop, which
must not hold the other screens' reads up.

A third lane, ``Lane.CHECK``, has a few threads: the settings screen's connection checks may
each wait seconds for an unreachable server, and they must delay neither the packer's action
nor the screens' reads, nor each other.

The way back is one ``_Dispatcher`` QObject created on the GUI thread; workers emit its
signal with a closure, and a queued connection runs the closure on the GUI thread. When an
``owner`` QObject is given and has been deleted meanwhile, the callbacks are dropped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from enum import StrEnum
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")


class Lane(StrEnum):
    READ = "read"
    ACTION = "action"
    CHECK = "check"
    DASHBOARD = "dashboard"


#: threads per lane (one unless said otherwise, see the module docstring)
_WORKERS = {Lane.CHECK: 4}


class _Dispatcher(QObject):
    """Lives on the GUI thread; runs closures posted to it from worker threads."""

    sig_call = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.sig_call.connect(self._call, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _call(self, fn: Callable[[], None]) -> None:
        try:
            fn()
        except Exception:  # a failing callback must not take the event loop down
            log.exception("background callback failed")


_lock = threading.Lock()
_executors: dict[Lane, ThreadPoolExecutor] = {}
_dispatcher: _Dispatcher | None = None


def _get_dispatcher() -> _Dispatcher:
    global _dispatcher
    if _dispatcher is None or not shiboken6.isValid(_dispatcher):
        app = QCoreApplication.instance()
        if app is None or QThread.currentThread() is not app.thread():
            raise RuntimeError("run_in_background must be called from the GUI thread")
        _dispatcher = _Dispatcher()
    return _dispatcher


def _get_executor(lane: Lane) -> ThreadPoolExecutor:
    with _lock:
        executor = _executors.get(lane)
        if executor is None:
            executor = ThreadPoolExecutor(max_workers=_WORKERS.get(lane, 1), thread_name_prefix=f"ui-{lane.value}")
            _executors[lane] = executor
        return executor


def _log_failure(exc: BaseException) -> None:
    log.error("background task failed", exc_info=exc)


def run_in_background(
    fn: Callable[[], T],
    on_success: Callable[[T], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    *,
    owner: QObject | None = None,
    lane: Lane = Lane.READ,
) -> Future[T]:
    """Run ``fn()`` on ``lane``'s worker thread; deliver its result or exception on the GUI
    thread. Must be called from the GUI thread. Returns the future (for tests and shutdown)."""
    dispatcher = _get_dispatcher()
    failure = on_failure or _log_failure

    def deliver(future: Future[T]) -> None:  # runs on the worker thread
        def on_gui_thread() -> None:
            if owner is not None and not shiboken6.isValid(owner):
                return  # the screen that asked is gone
            exc = future.exception()
            if exc is not None:
                failure(exc)
            elif on_success is not None:
                on_success(future.result())

        if shiboken6.isValid(dispatcher):
            dispatcher.sig_call.emit(on_gui_thread)

    future = _get_executor(lane).submit(fn)
    future.add_done_callback(deliver)
    return future


def gui_poster(owner: QObject | None = None) -> Callable[[Callable[[], None]], None]:
    """Get on the GUI thread a function that runs closures there from any thread: how long work
    on a lane reports its progress. Closures for an ``owner`` that is gone are dropped."""
    dispatcher = _get_dispatcher()

    def post(fn: Callable[[], None]) -> None:
        def guarded() -> None:
            if owner is None or shiboken6.isValid(owner):
                fn()

        if shiboken6.isValid(dispatcher):
            dispatcher.sig_call.emit(guarded)

    return post


def shutdown_background(wait: bool = True) -> None:
    """Stop the worker threads (at application exit); queued work still runs when ``wait``."""
    with _lock:
        executors = list(_executors.values())
        _executors.clear()
    for executor in executors:
        executor.shutdown(wait=wait, cancel_futures=not wait)

