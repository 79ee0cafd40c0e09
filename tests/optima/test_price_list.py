"""Items with one price list (TwrCeny), as the catalogue publishing reads them."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import Engine, update
from sqlalchemy.dialects.mssql.pyodbc import MSDialect_pyodbc

from linkoptima_gui.core.domain.catalogue import PricedItem
from linkoptima_gui.core.domain.vat import VatRate
from linkoptima_gui.core.optima.price_list import (
    OptimaPriceList,
    fingerprints_query,
    priced_items_query,
    read_priced_items,
)
from linkoptima_gui.core.optima.schema import Towary, TwrCeny
from linkoptima_gui.demo.catalogue import CATALOGUE, VARIATION_GOODS


def test_active_goods_with_their_price_as_stored(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(update(Towary).where(Towary.c.Twr_Kod == CATALOGUE[1].code).values(Twr_NieAktywny=1))

    retail = {item.code: item for item in read_priced_items(engine, 2)}
    wholesale = {item.code: item for item in read_priced_items(engine, 3)}
    missing = read_priced_items(engine, 9)

    expected = {item.code for item in CATALOGUE + VARIATION_GOODS} - {CATALOGUE[1].code}
    assert set(retail) == expected  # no services, no inactive card
    kubek = retail[CATALOGUE[0].code]
    assert (kubek.name, kubek.ean, kubek.rate) == (CATALOGUE[0].name, CATALOGUE[0].ean, VatRate.R23)
    assert (kubek.price, kubek.price_is_gross) == (CATALOGUE[0].price_gross, True)
    assert wholesale[CATALOGUE[0].code].price_is_gross is False
    assert {item.price for item in missing} == {None}


def test_shop_price_converts_between_net_and_gross_to_the_grosz() -> None:
    net = PricedItem("X", "X", "", VatRate.R8, "szt.", Decimal("10.005"), price_is_gross=False)
    gross = PricedItem("X", "X", "", VatRate.R23, "szt.", Decimal("12.30"), price_is_gross=True)

    assert (net.shop_price(True), net.shop_price(False)) == (Decimal("10.81"), Decimal("10.01"))
    assert (gross.shop_price(True), gross.shop_price(False)) == (Decimal("12.30"), Decimal("10.00"))


def test_fingerprints_change_with_what_the_shop_gets_and_only_the_changed_are_read(engine: Engine) -> None:
    prices = OptimaPriceList(engine, 2)
    before = prices.fingerprints()
    kubek, bluza = CATALOGUE[0].code, VARIATION_GOODS[0].code
    item_id = {item.code: n for n, item in enumerate(read_priced_items(engine, 2))}
    assert set(before) == set(item_id)
    with engine.begin() as conn:
        conn.execute(update(Towary).where(Towary.c.Twr_Kod == kubek).values(Twr_Nazwa="Kubek nowy"))
        ids = conn.execute(Towary.select().where(Towary.c.Twr_Kod == bluza)).mappings().one()["Twr_TwrId"]
        conn.execute(update(TwrCeny).where(TwrCeny.c.TwC_TwrID == ids, TwrCeny.c.TwC_TwCNumer == 2)
                     .values(TwC_Wartosc=Decimal("1.01")))
        conn.execute(update(TwrCeny).where(TwrCeny.c.TwC_TwrID == ids, TwrCeny.c.TwC_TwCNumer == 3)
                     .values(TwC_Wartosc=Decimal("2.02")))  # another list: not this one's business

    after = prices.fingerprints()

    assert {code for code in after if after[code] != before[code]} == {kubek, bluza}
    changed = prices.items([kubek, bluza])
    assert [(i.code, i.name, i.price) for i in changed] == [
        (bluza, VARIATION_GOODS[0].name, Decimal("1.01")), (kubek, "Kubek nowy", CATALOGUE[0].price_gross)]


def test_the_statements_are_plain_tsql() -> None:
    for query in (priced_items_query(2), fingerprints_query(2)):
        tsql = str(query.compile(dialect=MSDialect_pyodbc(paramstyle="qmark"), compile_kwargs={"literal_binds": True}))
        assert "LEFT OUTER JOIN [CDN].[TwrCeny]" in tsql and "[CDN].[TwrCeny].[TwC_TwCNumer] = 2" in tsql
        assert not re.search(r"\bLIMIT\b|\"", tsql)
