"""Sending the stock pass's corrections: full batches as soon as they fill, several in flight.

Why a pusher of its own rather than a loop over batches: a full pass reads the shop a page at a
time and finds corrections as it goes, and a real shop saves a batch of 100 in about three
seconds, part of it serialised by its database (issue 17). Waiting for the whole catalogue to be
read, then sending one batch after another, leaves the shop idle for most of the pass. The pusher
takes corrections as each part of the pass finds them (``add``), sends a batch as soon as 100 of
one kind are waiting (products together; the variations of one parent together, at once, since
a parent's variations all arrive in one page), and lets ``BatchPump`` decide how many are in
flight. ``finish`` sends what is left and waits for the answers.

What comes back is kept per SKU: a refused item (an error inside the shop's 200 answer) is
reported and the rest go on; a batch the shop did not answer at all (after the transport's
retries) fails its items, and no further batch is sent: the shop is down or refusing, and the
next pass starts over.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import PermanentError
from ..woo.batch_pump import BatchPump, Sent
from ..woo.client import BATCH_SIZE, ShopClient
from .events import EngineEvent, EventBus, EventKind
from .stock_holders import Holder

NOT_SENT = "nie wysłano: sklep nie przyjął wcześniejszej paczki zmian"
#: a pass with more corrections than this says how far it got (a first full pass, a big delivery)
PROGRESS_FROM = BATCH_SIZE


@dataclass
class Update:
    """One correction: the holder it is for and the batch item sent."""

    holder: Holder
    item: dict[str, Any]


@dataclass
class PushOutcome:
    """What reached the shop: SKUs whose correction was applied, SKUs refused (with the shop's
    reason), and the lines for the pass's errors."""

    changed: int = 0
    pushed: set[str] = field(default_factory=set)
    failed: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    batches: int = 0
    peak_in_flight: int = 0


class StockPusher:
    """Corrections in (``add``), batches out through a ``BatchPump``; ``finish`` once at the end."""

    def __init__(self, shop: ShopClient, bus: EventBus, *, relative: bool, start: int = 2, most: int = 4) -> None:
        self.shop = shop
        self.bus = bus
        self.relative = relative
        self.outcome = PushOutcome()
        self._waiting: list[Update] = []  # products, until a batch is full
        self._queued = 0
        self._sent = 0
        self._stopped = False
        self._lock = threading.Lock()
        self._pump = BatchPump(self._answered, start=start, most=most)

    def add(self, updates: Iterable[Update]) -> None:
        """Take corrections; send every batch that is full (and each parent's variations)."""
        by_parent: dict[int, list[Update]] = {}
        for update in updates:
            if update.holder.parent_id:
                by_parent.setdefault(update.holder.parent_id, []).append(update)
            else:
                self._waiting.append(update)
            self._queued += 1
        for parent_id, group in sorted(by_parent.items()):
            self._submit(parent_id, group)
        while len(self._waiting) >= BATCH_SIZE:
            batch, self._waiting = self._waiting[:BATCH_SIZE], self._waiting[BATCH_SIZE:]
            self._submit(0, batch)

    def finish(self) -> PushOutcome:
        """Send what is still waiting and wait for every answer."""
        if self._waiting:
            self._submit(0, self._waiting)
            self._waiting = []
        self._pump.close()
        self.outcome.peak_in_flight = self._pump.peak
        return self.outcome

    def _submit(self, parent_id: int, updates: list[Update]) -> None:
        for start in range(0, len(updates), BATCH_SIZE):
            batch = updates[start:start + BATCH_SIZE]
            items = [u.item for u in batch]
            self._pump.submit(batch, lambda p=parent_id, i=items: self._send(p, i), full=len(batch) == BATCH_SIZE)

    def _send(self, parent_id: int, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        with self._lock:  # checked as the batch leaves: one in flight may have failed meanwhile
            if self._stopped:
                raise PermanentError(NOT_SENT)
        absolute = not self.relative  # a difference sent twice would count twice
        if parent_id:
            return self.shop.update_variations(parent_id, items, idempotent=absolute)
        return self.shop.update_products(items, idempotent=absolute)

    def _answered(self, sent: Sent) -> None:
        batch: list[Update] = sent.key
        with self._lock:
            self.outcome.batches += 1
            if sent.error is not None:
                if not self._stopped:
                    self.outcome.errors.append(sent.error.reason)
                self._stopped = True
                self._fail_locked(batch, sent.error.reason, report=False)
            else:
                for update, answer in zip(batch, sent.answers or [], strict=False):
                    if "error" in answer:
                        message = str((answer.get("error") or {}).get("message") or "odrzucono")
                        self._fail_locked([update], message)
                    else:
                        self.outcome.changed += 1
                        self.outcome.pushed |= update.holder.skus
            self._sent += len(batch)
            sent_so_far, queued = self._sent, self._queued
        if queued > PROGRESS_FROM:
            self.bus.publish(EngineEvent(EventKind.STOCK_PROGRESS, data={"sent": sent_so_far, "total": queued}))

    def _fail_locked(self, batch: list[Update], message: str, *, report: bool = True) -> None:
        for update in batch:
            self.outcome.failed.update(dict.fromkeys(update.holder.skus, message))
            if report:
                self.outcome.errors.append(f"{', '.join(sorted(update.holder.skus))}: {message}")
