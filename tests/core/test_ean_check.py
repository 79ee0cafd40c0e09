"""The "scan every item" check of a parcel."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from linkoptima_gui.core.domain.ean_check import EanChecklist, ScanOutcome, is_ean

MUG, TEA, OTHER = "5901234123457", "5901234123464", "4006381333931"


@dataclass(frozen=True)
class Item:
    name: str
    sku: str
    ean: str
    quantity: Decimal


def test_every_item_scanned_as_often_as_ordered() -> None:
    check = EanChecklist([Item("Kubek", "KUB-001", MUG, Decimal(2)), Item("Herbata", "HER-004", TEA, Decimal(1)),
                          Item("Usługa grawerowania", "GRAW", "", Decimal(1))])
    assert check.unscannable == ["Usługa grawerowania"] and not check.complete
    assert check.scan(MUG).outcome is ScanOutcome.COUNTED
    assert check.scan(f" {MUG}\n").outcome is ScanOutcome.ITEM_DONE  # scanners add whitespace
    assert check.scan(MUG).outcome is ScanOutcome.TOO_MANY
    assert check.progress("KUB-001") == (2, 2)
    wrong = check.scan(OTHER)
    assert wrong.outcome is ScanOutcome.WRONG_ITEM and not check.complete
    assert check.scan("1042").outcome is ScanOutcome.NOT_AN_EAN  # e.g. an order number
    done = check.scan(TEA)
    assert (done.outcome, done.name) == (ScanOutcome.PARCEL_DONE, "Herbata") and check.complete


def test_ean_validity() -> None:
    assert is_ean(MUG) and is_ean("96385074")
    assert not is_ean("5901234123458") and not is_ean("123")
