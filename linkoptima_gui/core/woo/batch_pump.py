"""Several batch calls in flight at once, as many as the shop takes without queueing (issue 17).

A real WooCommerce saves a ``products/batch`` of 100 in about three seconds, and part of every
save is serialised by its database: 20 batches took 56.9 s one after another, 24.3 s two at a
time and 26.4 s four at a time (its PHP workers and database locks queue). Sending one batch
after another leaves the shop idle half of the time; sending many at once only makes every
answer slower and invites 429s.

So the number in flight adapts, as TCP Vegas sizes its window: the quickest answer seen is what
a batch costs when it does not queue, so a batch that took ``seconds`` with ``n`` in flight
spent the fraction ``1 - quickest/seconds`` of its time queued, and ``n`` times that is how many
batches are waiting inside the shop. Fewer than half a batch waiting: there is room for one more;
more than one and a half: one fewer. A 429 or 5xx (the shop or its host is overloaded) halves the
number. It starts at ``start`` and stays between one and ``most``. It changes at most once a round, as
TCP does once a round trip: answers to batches sent before the last change describe the old
number and are not acted on (four answers of a crowded round would otherwise take the number from
four to one). Only full batches teach the
limit its times (a batch of three variations is quick for its size, not because the shop is
idle). ``submit`` waits while the window is full, which paces the caller too (the stock pass reads
the next pages meanwhile, in threads of its own).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from ..errors import PermanentError, StepError

log = logging.getLogger(__name__)

#: fewer batches than this waiting inside the shop: room for one more in flight
ROOM = 0.5
#: more than this waiting: one fewer in flight
CROWD = 1.5


class InFlightLimit:
    """How many batches may be in flight: the policy above, apart from the threads that follow it."""

    def __init__(self, start: int = 2, most: int = 6) -> None:
        self.most = max(1, most)
        self.value = max(1, min(start, self.most))
        self.backoffs = 0
        #: grows with every change of ``value``; a batch is sent in the current round
        self.round = 0
        self._quickest = float("inf")

    def answered(self, seconds: float, error: StepError | None = None, *, in_flight: int = 0,
                 full: bool = True, sent_in: int | None = None) -> int:
        """Learn from one answer (its time with ``in_flight`` batches out, or its error) to a
        batch sent in round ``sent_in`` (None: the current one); returns the new limit."""
        stale = sent_in is not None and sent_in < self.round
        if error is not None:
            if error.retryable and not stale:  # 429, 5xx or no answer: the shop or its host is overloaded
                self.backoffs += 1
                self._set(max(1, self.value // 2))
            return self.value
        if not full or seconds <= 0:
            return self.value
        self._quickest = min(self._quickest, seconds)
        if stale:
            return self.value
        waiting = (in_flight or self.value) * (1 - self._quickest / seconds)
        if waiting < ROOM:
            self._set(min(self.most, self.value + 1))
        elif waiting > CROWD:
            self._set(max(1, self.value - 1))
        return self.value

    def _set(self, value: int) -> None:
        if value != self.value:
            self.value = value
            self.round += 1


@dataclass(frozen=True)
class Sent:
    """One batch's outcome: the caller's ``key``, the shop's answers or the error, how long."""

    key: Any
    answers: list[dict[str, Any]] | None
    error: StepError | None
    seconds: float


class BatchPump:
    """Runs batch calls (``submit``) with an adaptive number in flight; ``done`` is called with
    each ``Sent`` on the thread that sent it. ``close`` waits for all."""

    def __init__(self, done: Callable[[Sent], None], *, start: int = 2, most: int = 6) -> None:
        self.limit = InFlightLimit(start, most)
        self.peak = 0
        self._done = done
        self._in_flight = 0
        self._cond = threading.Condition()
        self._pool = ThreadPoolExecutor(max_workers=self.limit.most, thread_name_prefix="shop-batch")

    def submit(self, key: Any, call: Callable[[], list[dict[str, Any]]], *, full: bool = True) -> None:
        """Send ``call`` once fewer than the limit are in flight; ``full``: a batch of the usual
        size (its time teaches the limit)."""
        with self._cond:
            while self._in_flight >= self.limit.value:
                self._cond.wait()
            self._in_flight += 1
            self.peak = max(self.peak, self._in_flight)
            in_flight, sent_in = self._in_flight, self.limit.round
        self._pool.submit(self._run, key, call, in_flight, full, sent_in)

    def close(self) -> None:
        """Wait until every batch submitted was answered (or failed)."""
        self._pool.shutdown(wait=True)

    def _run(self, key: Any, call: Callable[[], list[dict[str, Any]]], in_flight: int, full: bool,
             sent_in: int) -> None:
        started = time.monotonic()
        answers: list[dict[str, Any]] | None = None
        error: StepError | None = None
        try:
            answers = call()
        except StepError as exc:
            error = exc
        except Exception as exc:  # noqa: BLE001 - a bug must not leave the window full (the pass would hang)
            log.exception("batch call failed")
            error = PermanentError(f"Błąd wewnętrzny przy wysyłaniu paczki zmian: {exc}")
        seconds = time.monotonic() - started
        with self._cond:
            self._in_flight -= 1
            self.limit.answered(seconds, error, in_flight=in_flight, full=full, sent_in=sent_in)
            self._cond.notify_all()
        self._done(Sent(key, answers, error, seconds))
