"""Stock sync: Optima is the master of stock; the shop shows what may still be sold.

The shop quantity of a SKU is DESIGN.md §3's formula: Optima's available quantity (stock minus
reservations) minus what shop orders already took that Optima has not issued yet (no WZ),
floored to an integer and never below zero.

Why corrections are relative (``inventory_delta``) and why a pass reads in this order. The shop
takes stock by itself at checkout, at any moment, and WooCommerce has no compare-and-set. A pass
therefore (1) reads the shop's quantities, (2) polls the shop's orders into the store, (3) sums
the store's orders not yet issued, (4) reads Optima, and then sends each SKU the *difference*
between the formula and what it read in (1). A sale in the shop between (1) and the write is
kept (the shop applies the difference to its current value); a sale between (1) and (2) is
subtracted twice, and a WZ booked between (3) and (4) too: both err on the safe side (the shop
shows less for one pass) and the next pass that looks at the SKU puts it right. Nothing in this
order can make the shop show more than Optima has. Shops where ``inventory_delta`` is not
available can be set to absolute quantities, which reopens the window between (1) and the write.

What a pass looks at: an incremental pass takes the SKUs on Optima documents or item cards
saved since its watermark (``OptimaReader.stock_changes``, with an overlap for transactions that
commit late); a full pass (the first one, then on a longer interval) takes every SKU, refreshes
the SKU -> id map and reports the drift it repairs.

Variable products: the map includes variations (listed per variable parent in the full pass).
A correction goes to the document that holds the SKU's stock (``stock_holders``): a product or a
variation, or the parent once for all its variations whose stock is "managed by the parent".
Products are corrected through ``products/batch``, variations through one
``products/<parent>/variations/batch`` per parent, at most 100 items a call. An incremental pass
re-reads the whole family (the product and its variations) of each changed SKU, since a holder's
quantity can depend on several SKUs.

How a full pass keeps up with the shop (issue 17): the catalogue is read a page at a time, several
pages at once and only the fields a pass needs (``entry_pages``); the pages are worked on in
waves as they arrive (``entry_waves``), each wave going through steps (2)-(4) for its own SKUs,
so the order above holds for every SKU; the corrections go to ``StockPusher``, which sends full
batches at once and keeps several in flight. A product family always arrives in one page, so a
holder is never split between waves. A SKU kept by two products in different waves is corrected
on the first this pass, and then named and left out, as ``stock_holders`` says.

Prices, names and EANs ride on the same passes (``CataloguePublisher``): the full pass hands the
publisher the shop it has just read, and an incremental pass asks it for what Optima changed
since the last pass (Optima's prices carry no time stamp, so that is a comparison, not a query).
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from ..errors import StepError
from ..store.models import KeyValue, OrderRow, ShopProduct, utcnow
from ..woo.shop_entries import Entry, entry_pages, entry_waves, read_entries
from .corrections import sku_aliases
from .events import EngineEvent, EventKind
from .services import EngineServices
from .stock_check import release_stock_short
from .stock_holders import Holder, build_map
from .stock_push import PushOutcome, StockPusher, Update

log = logging.getLogger(__name__)

#: shop statuses in which WooCommerce has taken the goods from stock (for lines without
#: the ``_reduced_stock`` record WooCommerce keeps on each line since 3.5)
TAKES_STOCK = ("processing", "completed", "on-hold")
#: SKUs in one ``IN (...)``: SQL Server takes at most 2,100 parameters a statement
IN_CHUNK = 1000


@dataclass
class StockSyncSettings:
    interval_seconds: float = 5.0
    full_interval_seconds: float = 900.0
    #: Optima stamps a document when it is saved, not when the transaction commits: look this
    #: far behind the newest stamp seen so that a late commit is not missed
    overlap_seconds: float = 30.0
    #: send differences (``inventory_delta``) rather than absolute quantities (see above)
    relative_updates: bool = True
    #: catalogue pages read at once in a full pass
    readers: int = 3
    #: the most batches in flight at once (``BatchPump`` finds how many the shop takes well)
    batches_in_flight: int = 4


@dataclass
class StockPass:
    """What one pass did (shown in the status bar, kept as the last pass)."""

    at: str
    full: bool
    checked: int = 0  # SKUs compared with the formula
    changed: int = 0  # SKUs whose shop quantity was corrected
    prices: int = 0  # products brought up to Optima's price, name or EAN
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> StockPass:
        return cls(**json.loads(text))


def _kv_key(shop: str, name: str) -> str:
    return f"stock:{shop}:{name}"


def taken_quantity(line: dict[str, Any], status: str) -> int:
    """What one order line took from the shop's stock."""
    for meta in line.get("meta_data") or []:
        if meta.get("key") == "_reduced_stock":
            try:
                return int(Decimal(str(meta.get("value"))))
            except ArithmeticError:
                break
    return int(line.get("quantity") or 0) if status in TAKES_STOCK else 0


class StockSync:
    """One pass at a time (the engine's stock loop); ``poll_orders`` is the intake's poll."""

    def __init__(self, services: EngineServices, poll_orders: Callable[[], object],
                 settings: StockSyncSettings | None = None) -> None:
        self.svc = services
        self.poll_orders = poll_orders
        self.settings = settings or StockSyncSettings()

    @property
    def _shop(self) -> str:
        return self.svc.shop_settings.shop_id

    # -- state ------------------------------------------------------------------------------

    def _get(self, name: str) -> str:
        with self.svc.sessions() as session:
            kv = session.get(KeyValue, _kv_key(self._shop, name))
            return kv.value if kv else ""

    def _put(self, session: Any, name: str, value: str) -> None:
        session.merge(KeyValue(key=_kv_key(self._shop, name), value=value))

    def last_pass(self) -> StockPass | None:
        text = self._get("last_pass")
        return StockPass.from_json(text) if text else None

    def full_due(self, now: datetime | None = None) -> bool:
        last = self._get("last_full")
        if not last:
            return True
        elapsed = (now or utcnow()) - datetime.fromisoformat(last)
        return elapsed.total_seconds() >= self.settings.full_interval_seconds

    # -- one pass ---------------------------------------------------------------------------

    def run_pass(self, full: bool | None = None) -> StockPass:
        """Compare and correct; ``full=None`` decides by the interval. Never raises a StepError:
        a pass that could not finish says why in ``errors`` and the next one starts over."""
        started = time.monotonic()
        full = self.full_due() if full is None else full
        result = StockPass(at=utcnow().isoformat(timespec="seconds"), full=full)
        try:
            self._run(result)
        except StepError as exc:
            result.errors.append(exc.reason)
            log.warning("stock pass stopped: %s", exc.reason)
        result.seconds = round(time.monotonic() - started, 3)
        with self.svc.sessions.begin() as session:
            self._put(session, "last_pass", result.to_json())
        self.svc.bus.publish(EngineEvent(EventKind.STOCK_SYNC, data=asdict(result)))
        return result

    def _run(self, result: StockPass) -> None:
        """The stock (steps 1-4 above), then the prices: a refused price is reported but does
        not hold the stock's watermark back (stock and prices are tried again independently)."""
        entries = self._run_full(result) if result.full else None
        if entries is None:
            self._run_changes(result)
        if self.svc.catalogue is None:
            return
        catalogue = self.svc.catalogue
        published = catalogue.publish(create=False, entries=entries) if result.full else catalogue.publish_changes()
        result.prices = published.updated
        result.errors.extend(published.errors)

    def _run_full(self, result: StockPass) -> list[Entry]:
        """Every SKU of the shop, in waves as its pages arrive; the map refreshed at the end."""
        mark = datetime.now()  # Optima's local time, before anything is read
        self._release_stock_short(None)
        entries: list[Entry] = []
        claimed: set[str] = set()  # SKUs a managed holder of an earlier wave took
        targets: dict[str, int] = {}
        pusher = self._pusher()
        try:
            pages = entry_pages(self.svc.shop, readers=self.settings.readers)
            for wave in entry_waves(pages):
                entries.extend(wave)  # (1) for this wave's SKUs
                holders = build_map(wave).holders
                observed = {sku: h for sku, h in holders.items() if sku not in claimed}
                claimed |= {sku for sku, h in observed.items() if h.managed}
                targets.update(self._correct(observed, pusher, result))
            self._refresh_map(entries, targets)  # while the last batches are out
        finally:
            outcome = pusher.finish()
        self._record_outcome(outcome, result)
        if not result.errors:
            self._advance(mark, result)
        return entries

    def _run_changes(self, result: StockPass) -> None:
        """The SKUs Optima changed since the watermark (their whole families)."""
        since = self._get("watermark")
        after = datetime.fromisoformat(since) - timedelta(seconds=self.settings.overlap_seconds) if since else None
        changed, newest = self.svc.optima_reader.stock_changes(after)
        self._release_stock_short(changed)
        families = self._families(changed)
        if not families:
            self._advance(newest, result)
            return
        stock_map = build_map(read_entries(self.svc.shop, families))  # (1)
        observed = {sku: h for sku, h in stock_map.holders.items() if h.skus & changed}
        pusher = self._pusher()
        try:
            targets = self._correct(observed, pusher, result)
            self._record_checked(targets, observed)
        finally:
            outcome = pusher.finish()
        self._record_outcome(outcome, result)
        if not result.errors:
            self._advance(newest, result)

    def _pusher(self) -> StockPusher:
        return StockPusher(self.svc.shop, self.svc.bus, relative=self.settings.relative_updates,
                           most=self.settings.batches_in_flight)

    def _correct(self, observed: dict[str, Holder], pusher: StockPusher, result: StockPass) -> dict[str, int]:
        """Steps (2)-(4) for the SKUs of ``observed`` (read in step 1), their corrections handed
        to the pusher; returns the target of each SKU compared."""
        codes = set(observed)
        if not codes:
            return {}
        self.poll_orders()  # (2): every order the shop took stock for before (1) is now in the store
        pending = self.pending_quantities(codes)  # (3)
        available = self.svc.optima_reader.stock_levels(sorted(codes))  # (4)
        updates, targets = self._corrections(observed, pending, available, result)
        pusher.add(updates)
        return targets

    def _release_stock_short(self, moved: set[str] | None) -> None:
        """Orders stopped for want of goods try again once their goods move in Optima (``moved``;
        None on a full pass: all of them)."""
        if moved is not None and not moved:
            return
        with self.svc.sessions.begin() as session:
            released = release_stock_short(session, self._shop, moved)
        if released:
            self.svc.bus.orders_changed(*released)

    def _advance(self, newest: datetime | None, result: StockPass) -> None:
        with self.svc.sessions.begin() as session:
            if newest is not None:
                self._put(session, "watermark", newest.isoformat())
            if result.full:
                self._put(session, "last_full", result.at)

    # -- the SKU -> id map ----------------------------------------------------------------------

    def _refresh_map(self, entries: list[Entry], targets: dict[str, int]) -> None:
        """From every shop product and variation (``entries``), keep the map of those with a
        SKU, each with what this pass read and the ``targets`` it compared with."""
        stock_map = build_map(entries)
        for sku in stock_map.ambiguous:
            log.warning("SKU %s is kept by several shop products or variations: its stock is not pushed", sku)
        now = utcnow()
        with self.svc.sessions.begin() as session:
            rows = {row.sku: row for row in session.scalars(select(ShopProduct).where(ShopProduct.shop == self._shop))}
            for sku, holder in stock_map.holders.items():
                row = rows.pop(sku, None) or ShopProduct(shop=self._shop, sku=sku)
                row.product_id, row.parent_id = stock_map.sources[sku]
                row.manage_stock = holder.managed
                _checked(row, holder, targets.get(sku), now)
                session.add(row)
            for gone in rows.values():
                session.delete(gone)

    def _families(self, codes: Iterable[str]) -> list[int]:
        """The products (a variation's parent) whose documents hold the stock of ``codes``."""
        wanted = set(codes)
        if not wanted:
            return []
        with self.svc.sessions() as session:
            rows = session.execute(
                select(ShopProduct.sku, ShopProduct.product_id, ShopProduct.parent_id)
                .where(ShopProduct.shop == self._shop)
            ).all()
        return sorted({parent_id or product_id for sku, product_id, parent_id in rows if sku in wanted})

    # -- the formula ----------------------------------------------------------------------------

    def pending_quantities(self, codes: Iterable[str] | None = None) -> dict[str, int]:
        """Per SKU, what shop orders took from the shop's stock and Optima has not issued (no WZ)."""
        wanted = None if codes is None else set(codes)
        totals: dict[str, int] = {}
        with self.svc.sessions() as session:
            aliases = sku_aliases(session, self._shop)  # a shop SKU a person mapped to an Optima code
            rows = session.execute(
                select(OrderRow.shop_status, OrderRow.payload)
                .where(OrderRow.shop == self._shop, OrderRow.wz_number == "")
            ).all()
        for status, payload in rows:
            for line in (payload or {}).get("line_items") or []:
                sku = str(line.get("sku") or "")
                sku = aliases.get(sku, sku)
                if sku and (wanted is None or sku in wanted):
                    totals[sku] = totals.get(sku, 0) + taken_quantity(line, status)
        return totals

    @staticmethod
    def target(available: Decimal, pending: int) -> int:
        return max(0, math.floor(available - pending))

    def formula(self, codes: Iterable[str]) -> dict[str, int]:
        """DESIGN.md §3's shop quantity of each of ``codes`` that Optima has as goods, now (for
        a product about to be created: nothing of it was sold in the shop yet)."""
        wanted = sorted(set(codes))
        pending = self.pending_quantities(wanted)
        available = self.svc.optima_reader.stock_levels(wanted)
        return {sku: self.target(available[sku], pending.get(sku, 0)) for sku in wanted if sku in available}

    def _corrections(self, observed: dict[str, Holder], pending: dict[str, int],
                     available: dict[str, Decimal], result: StockPass) -> tuple[list[Update], dict[str, int]]:
        updates: list[Update] = []
        targets: dict[str, int] = {}
        holders = {id(h): h for h in observed.values()}
        for holder in sorted(holders.values(), key=lambda h: (h.parent_id, h.id)):
            known = sorted(sku for sku in holder.skus if sku in available)
            if not known or not holder.managed:
                continue  # not an Optima item (or a service), or the shop does not count it
            result.checked += 1
            target = sum(self.target(available[sku], pending.get(sku, 0)) for sku in known)
            targets.update(dict.fromkeys(known, target))
            if target == holder.quantity:
                continue
            change = {"inventory_delta": target - holder.quantity} if self.settings.relative_updates else {
                "stock_quantity": target}
            updates.append(Update(holder, {"id": holder.id, **change}))
        return updates, targets

    def _record_checked(self, targets: dict[str, int], observed: dict[str, Holder]) -> None:
        """What an incremental pass read and compared, per SKU (before its answers are in)."""
        skus, now = sorted(targets), utcnow()
        with self.svc.sessions.begin() as session:
            for start in range(0, len(skus), IN_CHUNK):
                for row in session.scalars(select(ShopProduct).where(
                        ShopProduct.shop == self._shop, ShopProduct.sku.in_(skus[start:start + IN_CHUNK]))):
                    _checked(row, observed[row.sku], targets[row.sku], now)

    def _record_outcome(self, outcome: PushOutcome, result: StockPass) -> None:
        """What reached the shop: a pushed SKU now shows its target, a refused one says why."""
        result.changed += outcome.changed
        result.errors.extend(outcome.errors)
        pushed, now = sorted(outcome.pushed), utcnow()
        mine = ShopProduct.shop == self._shop
        with self.svc.sessions.begin() as session:
            for start in range(0, len(pushed), IN_CHUNK):
                session.execute(update(ShopProduct).where(mine, ShopProduct.sku.in_(pushed[start:start + IN_CHUNK]))
                                .values(pushed_at=now, shop_quantity=ShopProduct.target))
            for sku, message in outcome.failed.items():
                session.execute(update(ShopProduct).where(mine, ShopProduct.sku == sku).values(error=message))


def _checked(row: ShopProduct, holder: Holder, target: int | None, now: datetime) -> None:
    """A SKU as a pass read it (the holder's quantity) and, when compared, its target."""
    row.shop_quantity = holder.doc.get("stock_quantity")
    if target is not None:
        row.target, row.checked_at, row.error = target, now, ""
