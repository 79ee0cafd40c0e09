"""What a parcel weighs, for its label: the goods' weight from the products plus the packaging.

A carrier prices and routes by weight, and a courier refuses a parcel declared at 1 kg that weighs
twelve. The weight of each item comes from the shop's products (WooCommerce's ``weight``, in the
shop's weight unit; a variation without one weighs as its product) or, by a setting, from
Optima's item cards (``Twr_WagaKG``); an item neither knows counts as ``unknown_item_kg`` (and the
log says which). The packaging weighs ``packaging_kg`` more.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..optima.port import OptimaReader
    from ..woo.client import ShopClient

log = logging.getLogger(__name__)

SHOP, OPTIMA = "shop", "optima"
#: kilograms in one of the shop's weight units (WooCommerce → Ustawienia → Produkty)
UNIT_KG = {"kg": Decimal(1), "g": Decimal("0.001"), "lbs": Decimal("0.45359237"), "oz": Decimal("0.028349523")}
#: the least a label says (a parcel is never weightless)
MIN_KG = Decimal("0.1")


@dataclass(frozen=True)
class Weighing:
    """Where item weights come from and what the rest weighs (from the settings)."""

    source: str = SHOP
    packaging_kg: Decimal = Decimal("0.3")
    unknown_item_kg: Decimal = Decimal("1")
    shop_unit: str = "kg"


def _number(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return number if number > 0 else None


def parcel_weight(weighing: Weighing, shop: ShopClient, optima: OptimaReader, payload: dict[str, Any]) -> Decimal:
    """The parcel's weight in kilograms, to the decagram, for the order's shop JSON."""
    lines = [li for li in payload.get("line_items") or [] if isinstance(li, dict)]
    if weighing.source == OPTIMA:
        each = _from_optima(optima, {str(li.get("sku") or "") for li in lines})
        weights = [(each.get(str(li.get("sku") or "")), li) for li in lines]
    else:
        each = _from_shop(shop, lines, UNIT_KG.get(weighing.shop_unit, Decimal(1)))
        weights = [(each.get(_product_of(li)), li) for li in lines]
    total = weighing.packaging_kg
    unknown = []
    for weight, line in weights:
        quantity = _number(line.get("quantity")) or Decimal(1)
        if weight is None:
            unknown.append(str(line.get("sku") or line.get("name") or "?"))
            weight = weighing.unknown_item_kg
        total += weight * quantity
    if unknown:
        log.info("order %s: no weight for %s, counted as %s kg each", payload.get("number"), ", ".join(unknown),
                 weighing.unknown_item_kg)
    return max(MIN_KG, total.quantize(Decimal("0.01")))


def _product_of(line: dict[str, Any]) -> int:
    return int(line.get("variation_id") or 0) or int(line.get("product_id") or 0)


def _from_shop(shop: ShopClient, lines: list[dict[str, Any]], unit_kg: Decimal) -> dict[int, Decimal]:
    """Product or variation id -> its weight in kg, from the shop (a variation without a weight
    weighs as its product)."""
    products = {int(li.get("product_id") or 0) for li in lines} - {0}
    variations: dict[int, set[int]] = defaultdict(set)
    for li in lines:
        if int(li.get("variation_id") or 0):
            variations[int(li.get("product_id") or 0)].add(int(li["variation_id"]))
    weights: dict[int, Decimal] = {}
    if products:
        for doc in shop.products(include=sorted(products)):
            weight = _number(doc.get("weight"))
            if weight is not None:
                weights[int(doc["id"])] = weight * unit_kg
    for parent, ids in variations.items():
        for doc in shop.variations(parent, include=sorted(ids)):
            weight = _number(doc.get("weight"))
            weights[int(doc["id"])] = weight * unit_kg if weight is not None else weights.get(parent)
    return {key: value for key, value in weights.items() if value is not None}


def _from_optima(optima: OptimaReader, codes: set[str]) -> dict[str, Decimal]:
    weights = {}
    for code in sorted(codes - {""}):
        item = optima.item_by_code(code)
        if item is not None and item.weight_kg > 0:
            weights[code] = item.weight_kg
    return weights
