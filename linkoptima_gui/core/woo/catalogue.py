"""Publishing Optima items to the shop: create or update products by SKU (= ``Twr_Kod``).

Why it reads the whole shop before it writes anything: a second product for a SKU that exists
must never be created, and a drafted or private product counts (the product list's default
status "any" shows every status but the trash). Variations count too: an Optima item may be sold
as a variation, and is then updated there (through its parent's variations batch), never created
again as a product. SKUs are compared exactly; a shop SKU that differs from an Optima code only
in letter case is reported as a conflict and left alone, because WooCommerce's SKU check ignores
case (MySQL's collation): creating would be refused, and updating would be a guess.

What it writes: the name, the regular price from the configured Optima price list (converted
between net and gross to how the shop enters prices), the tax class of the item's VAT rate (the
first class ``ShopSettings.tax_classes`` maps to it), the EAN, and for a new product its stock by
the stock sync's formula (``StockSync.formula``). The EAN goes to the meta key
``_global_unique_id``: WooCommerce 9.2+ keeps its GTIN/EAN field under that key and fills the
field from it, and the recorded 8.9 shop (woocommerce.md §8) has no such field, so the meta works
on both; a shop whose answers carry ``global_unique_id`` is read from the field. Stock of a
product that exists is left to the stock sync, which corrects by differences in its safe read
order: a publish never overwrites a sale.

``plan()`` is the dry run: the list of changes (create, or update with only the fields that
differ, old and new value; conflicts with the reason) without writing. ``publish()`` applies a
plan in batches of at most 100 (one per parent for variations) and reports refused items.
``publish_changes()`` is what every stock pass calls: only the items whose price, name, EAN or
VAT rate changed in Optima since the shop was last brought to them (see its docstring).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from ..domain.catalogue import PricedItem
from ..domain.vat import VatRate
from .client import BATCH_SIZE, ShopClient
from .shop_entries import Entry, read_entries, read_entries_by_sku, readable_by_sku

EAN_META_KEY = "_global_unique_id"
EAN_FIELD = "global_unique_id"


@dataclass(frozen=True)
class PublishSettings:
    price_list: int = 2  # TwC_TwCNumer of the sales price list the shop sells at
    shop_prices_include_tax: bool = True  # WooCommerce "prices entered with tax"
    new_status: str = "publish"  # status of a created product ("draft" to review them first)


@dataclass
class Change:
    """One difference between Optima and the shop. ``fields`` maps a field to (shop value, Optima
    value); a create has None as the shop value. A conflict is never written; ``reason`` says why."""

    action: str  # "create" | "update" | "conflict"
    sku: str
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    product_id: int = 0  # the product or variation updated
    parent_id: int = 0  # a variation's parent
    reason: str = ""


@dataclass
class PublishResult:
    changes: list[Change]
    dry_run: bool
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def result_summary(result: PublishResult) -> dict[str, Any]:
    """A publish (or its dry run) as one JSON-ready object: counts, errors and every change."""
    return {
        "dry_run": result.dry_run,
        "created": result.created,
        "updated": result.updated,
        "conflicts": sum(1 for c in result.changes if c.action == "conflict"),
        "errors": result.errors,
        "changes": [{"action": c.action, "sku": c.sku, "reason": c.reason,
                     "fields": {name: [str(old) if old is not None else None, str(new)]
                                for name, (old, new) in c.fields.items()}} for c in result.changes],
    }


@dataclass
class _ShopItems:
    found: dict[str, tuple[dict[str, Any], dict[str, Any] | None]] = field(default_factory=dict)
    inheriting: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = field(default_factory=dict)
    has_field: bool = False  # the shop answers with WooCommerce 9.2's EAN field


def wanted_price(item: PricedItem, settings: PublishSettings) -> str | None:
    """The shop's regular price of ``item`` ("41.00"), None when its price list has no price."""
    price = item.shop_price(settings.shop_prices_include_tax)
    return None if price is None else f"{price:.2f}"


def _decimal(text: Any) -> Decimal | None:
    try:
        return Decimal(str(text)) if str(text or "").strip() else None
    except InvalidOperation:
        return None


def _ean(doc: Mapping[str, Any]) -> str:
    if EAN_FIELD in doc:
        return str(doc.get(EAN_FIELD) or "")
    for meta in doc.get("meta_data") or []:
        if meta.get("key") == EAN_META_KEY:
            return str(meta.get("value") or "")
    return ""


class PriceSource(Protocol):
    """The books' items with their prices (on a real shop, ``OptimaPriceList``)."""

    def items(self, codes: Collection[str] | None = None) -> list[PricedItem]: ...

    def fingerprints(self) -> dict[str, int]: ...


class CataloguePublisher:
    """Optima items (``prices``: one Optima price list) -> the shop.

    ``stock`` gives the formula's quantity per SKU (``StockSync.formula``), used for new products.
    """

    def __init__(self, shop: ShopClient, prices: PriceSource,
                 stock: Callable[[Iterable[str]], Mapping[str, int]], tax_classes: Mapping[str, VatRate],
                 settings: PublishSettings | None = None) -> None:
        self.shop = shop
        self.prices = prices
        self.stock = stock
        self.settings = settings or PublishSettings()
        self.tax_class: dict[VatRate, str] = {}
        #: per Optima code, the fingerprint of what the shop was last brought to (``PriceSource.
        #: fingerprints``); None until the first complete publish of this run
        self._confirmed: dict[str, int] | None = None
        for tax_class, rate in tax_classes.items():
            self.tax_class.setdefault(rate, tax_class)  # the first class of a rate is its own

    # -- what the shop has --------------------------------------------------------------------

    @staticmethod
    def _shop_items(entries: Iterable[Entry]) -> _ShopItems:
        """The shop's documents by SKU; a variation that shows its parent's SKU (it has none of
        its own) is kept apart: its price is the item's price, the rest is the parent's."""
        seen = _ShopItems()
        for sku, doc, parent in entries:
            seen.has_field = seen.has_field or EAN_FIELD in doc
            if parent is None:
                seen.found.setdefault(sku, (doc, None))
            elif sku == parent.get("sku"):
                seen.inheriting.setdefault(sku, []).append((doc, parent))
            else:
                seen.found.setdefault(sku, (doc, parent))
        return seen

    # -- the plan ---------------------------------------------------------------------------

    def plan(self) -> list[Change]:
        """The changes publishing would make, without writing anything (the dry run)."""
        return self._plan(self.prices.items(), self._shop_items(read_entries(self.shop)))

    def _plan(self, items: Iterable[PricedItem], seen: _ShopItems, create: bool = True) -> list[Change]:
        shop = seen.found
        by_folded: dict[str, str] = {sku.casefold(): sku for sku in shop}
        changes: list[Change] = []
        creates: list[tuple[PricedItem, dict[str, tuple[Any, Any]]]] = []
        for item in items:
            wanted = self._wanted(item)
            if isinstance(wanted, str):
                changes.append(Change("conflict", item.code, reason=wanted))
                continue
            if item.code in shop:
                doc, parent = shop[item.code]
                if doc.get("type") == "variable":  # its price is on the variations that share its SKU
                    wanted = {**wanted, "regular_price": None}
                    for variation, owner in seen.inheriting.get(item.code, []):
                        price = self._differences(variation, owner, {**wanted, "regular_price": wanted_price(
                            item, self.settings), "ean": "", "tax_class": str(owner.get("tax_class") or "")})
                        if price:
                            changes.append(Change("update", item.code, price, int(variation["id"]), int(owner["id"])))
                fields = self._differences(doc, parent, wanted)
                if fields:
                    changes.append(Change("update", item.code, fields, int(doc["id"]),
                                          int(parent["id"]) if parent else 0))
            elif item.code.casefold() in by_folded:
                other = by_folded[item.code.casefold()]
                changes.append(Change("conflict", item.code, reason=(
                    f"W sklepie jest produkt z kodem „{other}”, różniącym się od kodu Optimy „{item.code}” "
                    "tylko wielkością liter. Popraw kod w sklepie albo w Optimie.")))
            elif wanted["regular_price"] is None:
                changes.append(Change("conflict", item.code, reason=(
                    f"Towar {item.code} nie ma ceny w cenniku nr {self.settings.price_list}: nie dodano go do sklepu.")))
            elif create:
                creates.append((item, {name: (None, value) for name, value in wanted.items()
                                       if name != "ean" or value}))
        quantities = self.stock([item.code for item, _ in creates]) if creates else {}
        for item, fields in creates:
            fields["stock_quantity"] = (None, int(quantities.get(item.code, 0)))
            changes.append(Change("create", item.code, fields))
        return changes

    def _wanted(self, item: PricedItem) -> dict[str, Any] | str:
        """The shop's fields for ``item``, or the reason it cannot be published."""
        if item.rate not in self.tax_class:
            return f"Stawka VAT {item.rate.label} towaru {item.code} nie ma klasy podatkowej w ustawieniach sklepu."
        return {"name": item.name, "regular_price": wanted_price(item, self.settings),
                "tax_class": self.tax_class[item.rate], "ean": item.ean}

    @staticmethod
    def _differences(doc: Mapping[str, Any], parent: Mapping[str, Any] | None,
                     wanted: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
        """The fields that differ; a variation's name is its attributes (not published) and its
        tax class "parent" stands for the parent's."""
        current = {
            "name": html.unescape(str(doc.get("name") or "")),
            "regular_price": str(doc.get("regular_price") or ""),
            "tax_class": str(doc.get("tax_class") or ""),
            "ean": _ean(doc),
        }
        if parent is not None:
            current.pop("name")
            if current["tax_class"] == "parent":
                current["tax_class"] = str(parent.get("tax_class") or "")
        out: dict[str, tuple[Any, Any]] = {}
        for name, old in current.items():
            new = wanted[name]
            if new is None or (name == "ean" and not new):
                continue  # no price in the list, no EAN in Optima: the shop's value stays
            same = _decimal(old) == _decimal(new) if name == "regular_price" else old == new
            if not same:
                out[name] = (old, new)
        return out

    # -- writing ----------------------------------------------------------------------------

    def publish(self, dry_run: bool = False, create: bool = True,
                entries: Iterable[Entry] | None = None) -> PublishResult:
        """Plan, and unless ``dry_run`` apply the creates and updates (conflicts never).
        ``create=False``: only bring the products the shop has up to Optima (prices, names,
        EANs), as the stock sync's full pass does; new products are a person's decision.
        ``entries``: the whole shop as the caller has just read it (the full stock pass), so
        that it is not read a second time."""
        seen = self._shop_items(read_entries(self.shop) if entries is None else entries)
        fingerprints = {} if dry_run else self.prices.fingerprints()  # before the items: see _remember
        return self._apply(self.prices.items(), seen, fingerprints, create=create, complete=True, dry_run=dry_run)

    def publish_changes(self) -> PublishResult:
        """Bring the shop up to what Optima changed since the last publish (the stock sync's
        incremental pass). Optima's prices carry no time stamp, so the price list's fingerprints
        are read each time and compared with what the shop was last brought to; only the
        changed items are read in full, and only their SKUs from the shop (``products?sku=``),
        or the whole shop when many changed. Nothing is created.

        What the shop changed by itself (a price edited in its back office) is not seen here:
        the full pass compares every product and puts it right, as it does with stock drift."""
        fingerprints = self.prices.fingerprints()
        if self._confirmed is None:  # nothing known since the start: compare everything once
            return self._apply(self.prices.items(), self._shop_items(read_entries(self.shop)), fingerprints,
                               create=False, complete=True)
        codes = sorted(code for code, mark in fingerprints.items() if self._confirmed.get(code) != mark)
        if not codes:
            return PublishResult(changes=[], dry_run=False)
        # by SKU: 50 SKUs a request; the whole shop: 100 products a request (so by SKU while
        # fewer than half the items changed)
        if 2 * len(codes) > len(fingerprints) or not all(map(readable_by_sku, codes)):
            entries: Iterable[Entry] = read_entries(self.shop)
        else:
            entries = read_entries_by_sku(self.shop, codes)
        return self._apply(self.prices.items(codes), self._shop_items(entries), fingerprints,
                           create=False, complete=False)

    def _apply(self, items: list[PricedItem], seen: _ShopItems, fingerprints: Mapping[str, int], *,
               create: bool, complete: bool, dry_run: bool = False) -> PublishResult:
        changes = self._plan(items, seen, create)
        result = PublishResult(changes=changes, dry_run=dry_run)
        if dry_run:
            return result
        failed: set[str] = set()
        creates = [c for c in changes if c.action == "create"]
        for start in range(0, len(creates), BATCH_SIZE):
            batch = creates[start:start + BATCH_SIZE]
            answers = self.shop.create_products([self._create_item(c) for c in batch])
            result.created += self._count(batch, answers, result.errors, failed)
        by_parent: dict[int, list[Change]] = {}
        for change in changes:
            if change.action == "update":
                by_parent.setdefault(change.parent_id, []).append(change)
        for parent_id, group in sorted(by_parent.items()):
            for start in range(0, len(group), BATCH_SIZE):
                batch = group[start:start + BATCH_SIZE]
                items_sent = [self._update_item(c, seen.has_field) for c in batch]
                answers = (self.shop.update_variations(parent_id, items_sent, idempotent=True) if parent_id
                           else self.shop.update_products(items_sent, idempotent=True))
                result.updated += self._count(batch, answers, result.errors, failed)
        self._remember(items, fingerprints, failed, complete)
        return result

    def _remember(self, items: list[PricedItem], fingerprints: Mapping[str, int], failed: set[str],
                  complete: bool) -> None:
        """Note what the shop now shows of each item (a refused one is tried again next pass);
        a complete publish starts the notes afresh, so items gone from Optima drop out. The
        fingerprints were read before the items: an item changed in between is noted with its
        older fingerprint and so looked at again next pass, never skipped."""
        confirmed = {} if complete or self._confirmed is None else self._confirmed
        for item in items:
            if item.code in failed or item.code not in fingerprints:
                confirmed.pop(item.code, None)
            else:
                confirmed[item.code] = fingerprints[item.code]
        self._confirmed = confirmed

    @staticmethod
    def _count(batch: list[Change], answers: list[dict[str, Any]], errors: list[str], failed: set[str]) -> int:
        done = 0
        for change, answer in zip(batch, answers, strict=False):
            if "error" in answer:
                errors.append(f"{change.sku}: {(answer.get('error') or {}).get('message') or 'odrzucono'}")
                failed.add(change.sku)
            else:
                done += 1
        return done

    def _create_item(self, change: Change) -> dict[str, Any]:
        new = {name: value for name, (_, value) in change.fields.items()}
        item: dict[str, Any] = {"type": "simple", "status": self.settings.new_status, "sku": change.sku,
                                "manage_stock": True}
        item.update({k: v for k, v in new.items() if k != "ean"})
        if new.get("ean"):
            item["meta_data"] = [{"key": EAN_META_KEY, "value": new["ean"]}]
        return item

    @staticmethod
    def _update_item(change: Change, has_field: bool) -> dict[str, Any]:
        item: dict[str, Any] = {"id": change.product_id}
        for name, (_, value) in change.fields.items():
            if name != "ean":
                item[name] = value
            elif has_field:
                item[EAN_FIELD] = value
            else:
                item["meta_data"] = [{"key": EAN_META_KEY, "value": value}]
        return item
