"""An item as the shop's catalogue is published from: its code, texts, VAT rate and one price.

A domain type, because two adapters meet on it: the books (Optima's price list) make it, and the
shop adapter publishes it, and neither should know the other's types. The price is kept the way
the price list stores it (net or gross), and ``shop_price`` converts it to how the shop enters
prices, so the conversion lives in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .money import round_grosz
from .vat import VatRate


@dataclass(frozen=True)
class PricedItem:
    """One active goods card with its price in the chosen list (``None`` when it has none)."""

    code: str  # the item's code in the books = the shop's SKU
    name: str
    ean: str
    rate: VatRate
    unit: str
    price: Decimal | None
    price_is_gross: bool

    def shop_price(self, prices_include_tax: bool) -> Decimal | None:
        """The price as the shop enters it (gross when its prices include VAT), to the grosz."""
        if self.price is None:
            return None
        if self.price_is_gross == prices_include_tax:
            return round_grosz(self.price)
        hundred = Decimal(100)
        if prices_include_tax:
            return round_grosz(self.price * (hundred + self.rate.percent) / hundred)
        return round_grosz(self.price * hundred / (hundred + self.rate.percent))
