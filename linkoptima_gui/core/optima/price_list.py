"""Optima items as a shop catalogue needs them: code, name, EAN, VAT rate and one price list.

Why a price list number and not "the price": an Optima company keeps several prices per item in
``CDN.TwrCeny`` (one row per item and price number ``TwC_TwCNumer``; 1 is the purchase price, the
sales price lists after it are install-specific), each stored net or gross as ``TwC_Typ`` says
(1 = net, 2 = gross). The shop is published from the one list the operator names, converted to
how the shop enters its prices (``PricedItem.shop_price``). Only goods that are active are
offered; services (shipping, fees) are never shop products.

Why fingerprints: ``TwrCeny`` has no time stamp, so "what changed since the last pass" can only
be found by comparing. ``OptimaPriceList.fingerprints`` reads the same rows with every value
as the database's text (no conversion to Decimal or VAT rates, which is most of the cost) and
hashes each; only the items whose hash changed are then read in full. Compared within one
process only (Python salts string hashes per process).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Engine, Select, String, and_, cast, select

from ..domain.catalogue import PricedItem
from ..domain.vat import VatRate
from .queries import GOODS
from .schema import Towary, TwrCeny

GROSS_PRICE = 2  # TwC_Typ


def _price_join(price_number: int) -> tuple:
    return (TwrCeny, and_(TwrCeny.c.TwC_TwrID == Towary.c.Twr_TwrId, TwrCeny.c.TwC_TwCNumer == price_number))


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
        .outerjoin(*_price_join(price_number))
        .where(Towary.c.Twr_Typ == GOODS, Towary.c.Twr_NieAktywny == 0)
        .order_by(Towary.c.Twr_Kod)
    )


def fingerprints_query(price_number: int) -> Select:
    """What ``priced_items_query`` reads of each item, every value as the database's text."""
    return (
        select(
            Towary.c.Twr_Kod,
            Towary.c.Twr_Nazwa,
            Towary.c.Twr_EAN,
            cast(Towary.c.Twr_Stawka, String),
            Towary.c.Twr_Flaga,
            cast(TwrCeny.c.TwC_Wartosc, String),
            TwrCeny.c.TwC_Typ,
        )
        .select_from(Towary)
        .outerjoin(*_price_join(price_number))
        .where(Towary.c.Twr_Typ == GOODS, Towary.c.Twr_NieAktywny == 0)
    )


#: codes in one ``IN`` list (SQL Server takes at most 2,100 parameters a statement)
_CODES_PER_READ = 500


def read_priced_items(engine: Engine, price_number: int, codes: Collection[str] | None = None) -> list[PricedItem]:
    """Every active goods item with its price in list ``price_number`` (or only ``codes``)."""
    query = priced_items_query(price_number)
    if codes is None:
        batches = [query]
    else:
        wanted = sorted(set(codes))
        batches = [query.where(Towary.c.Twr_Kod.in_(wanted[start:start + _CODES_PER_READ]))
                   for start in range(0, len(wanted), _CODES_PER_READ)]
    items = []
    with engine.connect() as conn:
        for batch in batches:
            for code, name, ean, stawka, flaga, unit, value, kind in conn.execute(batch):
                items.append(PricedItem(
                    code=code,
                    name=name,
                    ean=(ean or "").strip(),
                    rate=VatRate.from_optima(stawka, flaga),
                    unit=unit,
                    price=None if value is None else Decimal(value),
                    price_is_gross=kind == GROSS_PRICE,
                ))
    return items


@dataclass(frozen=True)
class OptimaPriceList:
    """One price list of one Optima company, as the catalogue publisher reads it."""

    engine: Engine
    number: int  # TwC_TwCNumer

    def items(self, codes: Collection[str] | None = None) -> list[PricedItem]:
        return read_priced_items(self.engine, self.number, codes)

    def fingerprints(self) -> dict[str, int]:
        """Per code, a hash of everything its ``PricedItem`` is made of (see the module's docstring)."""
        with self.engine.connect() as conn:
            return {row[0]: hash(tuple(row[1:])) for row in conn.execute(fingerprints_query(self.number))}
