"""The lines of a ``POST orders/<id>/refunds`` body, as WooCommerce expects them.

WooCommerce refunds an order item by its id with the *net* ``refund_total`` and the tax per
rate (``refund_tax``: the order's tax rate ids), and a quantity only for goods (a shipping or fee
line is refunded as money; reference/corrections.md §1.2). A share of a line is its totals
times pieces / ordered pieces, rounded to the grosz. Used by the return desk at the packing
station (``engine/returns_desk.py``) and by the demo's buyers who send something back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from ..domain.money import money


def refund_line(item: Mapping[str, Any], quantity: int | Decimal | None) -> dict[str, Any]:
    """A refund line for ``quantity`` pieces of a goods item (None: a shipping or fee item, whole)."""
    count = Decimal(str(item.get("quantity") or 1))
    share = Decimal(quantity) / count if quantity is not None else Decimal(1)
    line: dict[str, Any] = {
        "id": int(item["id"]),
        "refund_total": str(money(money(item.get("total")) * share)),
        "refund_tax": [{"id": int(t["id"]), "refund_total": str(money(money(t.get("total")) * share))}
                       for t in item.get("taxes") or [] if t.get("total") not in (None, "")],
    }
    if quantity is not None:
        line["quantity"] = int(quantity) if Decimal(quantity) == int(quantity) else str(quantity)
    return line


def refund_amount(lines: Iterable[Mapping[str, Any]]) -> Decimal:
    """What the lines give back, tax included (the body's ``amount``)."""
    return sum((money(line["refund_total"]) + sum((money(t["refund_total"]) for t in line.get("refund_tax") or []),
                                                  Decimal(0)) for line in lines), Decimal(0))
