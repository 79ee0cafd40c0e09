"""Checking a parcel's contents by scanning each item's EAN before the label may be printed.

The optional "scan every item" mode of the packing station: the parcel is complete when every
item that has an EAN was scanned as many times as it was ordered. A code that is a valid EAN
but not in this parcel is a wrong item (the packer must hear about it at once); a scan beyond
the ordered quantity is one too many. Items without an EAN in Optima cannot be scanned and are
left to the packer's eyes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from stdnum import ean as stdnum_ean


class CheckedItem(Protocol):
    name: str
    sku: str
    ean: str
    quantity: Decimal


class ScanOutcome(StrEnum):
    COUNTED = "counted"  # one more of an item that still needs more
    ITEM_DONE = "item_done"  # that item is now complete
    PARCEL_DONE = "parcel_done"  # every scannable item is complete
    TOO_MANY = "too_many"  # the item is in the parcel but already complete
    WRONG_ITEM = "wrong_item"  # a valid EAN that is not in this parcel
    NOT_AN_EAN = "not_an_ean"  # not an EAN at all (maybe an order number)


@dataclass(frozen=True)
class ScanResult:
    outcome: ScanOutcome
    sku: str = ""
    name: str = ""
    scanned: int = 0
    needed: int = 0


def is_ean(code: str) -> bool:
    """EAN-8 / EAN-13 / GTIN-14 with a correct check digit."""
    return len(code) in (8, 12, 13, 14) and stdnum_ean.is_valid(code)


class EanChecklist:
    """What has been scanned of one parcel."""

    def __init__(self, items: Iterable[CheckedItem]) -> None:
        self._needed: dict[str, int] = {}
        self._by_ean: dict[str, tuple[str, str]] = {}
        self.unscannable: list[str] = []  # names of items without an EAN
        for item in items:
            if item.ean:
                self._by_ean[item.ean] = (item.sku, item.name)
                self._needed[item.sku] = self._needed.get(item.sku, 0) + int(item.quantity)
            else:
                self.unscannable.append(item.name)
        self.scanned: dict[str, int] = dict.fromkeys(self._needed, 0)

    @property
    def complete(self) -> bool:
        return all(self.scanned[sku] >= needed for sku, needed in self._needed.items())

    def progress(self, sku: str) -> tuple[int, int]:
        """(scanned, needed) of one item; (0, 0) for an item without an EAN."""
        return self.scanned.get(sku, 0), self._needed.get(sku, 0)

    def scan(self, code: str) -> ScanResult:
        code = code.strip()
        hit = self._by_ean.get(code)
        if hit is None:
            return ScanResult(ScanOutcome.WRONG_ITEM if is_ean(code) else ScanOutcome.NOT_AN_EAN)
        sku, name = hit
        needed = self._needed[sku]
        if self.scanned[sku] >= needed:
            return ScanResult(ScanOutcome.TOO_MANY, sku, name, self.scanned[sku], needed)
        self.scanned[sku] += 1
        if self.complete:
            outcome = ScanOutcome.PARCEL_DONE
        elif self.scanned[sku] == needed:
            outcome = ScanOutcome.ITEM_DONE
        else:
            outcome = ScanOutcome.COUNTED
        return ScanResult(outcome, sku, name, self.scanned[sku], needed)
