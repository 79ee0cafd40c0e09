"""Orders for variations, through the whole engine: the FA line is the Optima item the variation's
SKU names (a size with its own card; for stock kept on the parent, the parent's item)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from woocommerce import API

from linkoptima_gui.core.domain.steps import Stage
from linkoptima_gui.core.optima.schema import Towary, TraElem, TraNag
from linkoptima_gui.demo.catalogue import VARIABLE_PRODUCTS
from linkoptima_gui.demo.world import DemoWorld

from .conftest import orders_by_shop_id, run_engine

BLUZA, SKARPETKI = VARIABLE_PRODUCTS


def variations_of(api: API, name: str) -> tuple[int, list[dict[str, Any]]]:
    parent = api.get("products", params={"search": name}).json()[0]["id"]
    return parent, api.get(f"products/{parent}/variations", params={"orderby": "id", "order": "asc"}).json()


def paid_variation_order(api: API, n: int, lines: list[dict[str, Any]]) -> int:
    address = {"first_name": "Jan", "last_name": f"Wariantowy{n}", "address_1": "ul. Krótka 1",
               "city": "Kraków", "postcode": "30-001", "country": "PL"}
    answer = api.post("orders", {
        "status": "processing", "set_paid": True, "payment_method": "payustandard",
        "payment_method_title": "PayU", "transaction_id": f"TXV{n:07d}PAYU",
        "billing": {**address, "email": f"jan{n}@example.com"}, "shipping": address,
        "line_items": lines,
        "shipping_lines": [{"method_id": "flat_rate", "method_title": "Kurier", "total": "15.00"}],
    })
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def invoice_items(world: DemoWorld, number: str) -> list[tuple[str, int, str]]:
    """(code, item id, quantity) of the goods lines of the FA booked for an order."""
    with world.optima_engine.connect() as conn:
        rows = conn.execute(
            select(TraElem.c.TrE_TwrKod, TraElem.c.TrE_TwrId, TraElem.c.TrE_Ilosc)
            .join(TraNag, TraNag.c.TrN_TrNID == TraElem.c.TrE_TrNId)
            .where(TraNag.c.TrN_NumerObcy == number, TraNag.c.TrN_TypDokumentu == 302,
                   TraElem.c.TrE_TwrKod != "USL-TRANSPORT")
            .order_by(TraElem.c.TrE_Lp)
        ).all()
    return [(code, int(item), f"{quantity.normalize():f}") for code, item, quantity in rows]


def item_ids(world: DemoWorld) -> dict[str, int]:
    with world.optima_engine.connect() as conn:
        return dict(conn.execute(select(Towary.c.Twr_Kod, Towary.c.Twr_TwrId)).all())


def test_an_order_for_variations_books_their_optima_items(world: DemoWorld, api: API) -> None:
    bluza, sizes = variations_of(api, BLUZA.name)
    skarpetki, colours = variations_of(api, SKARPETKI.name)
    medium = next(v for v in sizes if v["sku"] == "BLUZA-M")
    order_id = paid_variation_order(api, 1, [
        {"product_id": bluza, "variation_id": medium["id"], "quantity": 2},
        {"product_id": skarpetki, "variation_id": colours[1]["id"], "quantity": 3},
    ])

    run_engine(world)

    row = orders_by_shop_id(world)[order_id]
    assert row.fa_number and row.wz_number
    ids = item_ids(world)
    assert invoice_items(world, row.number) == [
        ("BLUZA-M", ids["BLUZA-M"], "2"),
        ("SKARP-BAMBUS", ids["SKARP-BAMBUS"], "3"),  # the colour has no code of its own: the parent's
    ]
    assert world.stock_moves.available("BLUZA-M") == BLUZA.items[1].stock - 2  # the WZ issued them


def test_a_variation_without_a_code_stops_with_a_readable_reason(world: DemoWorld, api: API) -> None:
    bluza, sizes = variations_of(api, BLUZA.name)
    api.put(f"products/{bluza}/variations/{sizes[0]['id']}", {"sku": ""})
    order_id = paid_variation_order(api, 2, [{"product_id": bluza, "variation_id": sizes[0]["id"], "quantity": 1}])

    run_engine(world)

    row = orders_by_shop_id(world)[order_id]
    assert (row.stage, row.error_code, row.fa_number) == (Stage.EXCEPTION.value, "unknown_sku", "")
    assert "Wariant „Bluza z kapturem - S”" in row.error_reason
