"""Optima items as a shop catalogue needs them: code, name, EAN, VAT rate and one price list.

Why a price list number and not "the price": an Optima company keeps several prices per item in
``CDN.TwrCeny`` (one row per item and price number ``TwC_TwCNumer``; 1 is the purchase price, the
sales price lists after it are install-specific, reference/optima.md §1.7), each stored net or
gross as ``TwC_Typ`` says (1 = net, 2 = gross). The shop is published from the one list the
operator names, converted to how the shop enters its prices (``shop_price``). Only goods that
are active are offered; services (shipping, fees) are never shop products.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Engine, Select, and_, select

from ..domain.money import round_grosz
from ..domain.vat import VatRate
from .queries import GOODS
from .schema import Towary, TwrCeny

GROSS_PRICE = 2  # TwC_Typ


@dataclass(frozen=True)
class PricedItem:
    """One active goods card with its price in the chosen list (``None`` when it has none)."""

    code: str  # Twr_Kod = shop SKU
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


def priced_items_query(price_number: int) -> Select:
    """Active goods with their price in list ``price_number`` (outer join: a missing price is NULL)."""
    return (
        select(
            Towary.c.Twr_Kod,
            Towary.c.Twr_Nazwa,
            Towary.c.Twr_EAN,
            Towary.c.Twr_Stawka,
            Towary.c.Twr_Flaga,
            Towary.c.Twr_JM,
            TwrCeny.c.TwC_Wartosc,
            TwrCeny.c.TwC_Typ,
        )
        .select_from(Towary)
        .outerjoin(TwrCeny, and_(TwrCeny.c.TwC_TwrID == Towary.c.Twr_TwrId, TwrCeny.c.TwC_TwCNumer == price_number))
        .where(Towary.c.Twr_Typ == GOODS, Towary.c.Twr_NieAktywny == 0)
        .order_by(Towary.c.Twr_Kod)
    )


def read_priced_items(engine: Engine, price_number: int) -> list[PricedItem]:
    """Every active goods item with its price in list ``price_number``, in one statement."""
    with engine.connect() as conn:
        rows = conn.execute(priced_items_query(price_number)).mappings().all()
    return [
        PricedItem(
            code=row["Twr_Kod"],
            name=row["Twr_Nazwa"],
            ean=(row["Twr_EAN"] or "").strip(),
            rate=VatRate.from_optima(row["Twr_Stawka"], row["Twr_Flaga"]),
            unit=row["Twr_JM"],
            price=None if row["TwC_Wartosc"] is None else Decimal(row["TwC_Wartosc"]),
            price_is_gross=row["TwC_Typ"] == GROSS_PRICE,
        )
        for row in rows
    ]
