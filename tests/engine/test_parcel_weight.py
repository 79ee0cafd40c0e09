"""The parcel's weight on its label comes from the products (the shop's weights, or Optima's item
cards by a setting) plus the packaging, not a fixed kilogram; the label's words are Polish."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

from woocommerce import API

from linkoptima_gui.core.config.app_settings import AppSettings
from linkoptima_gui.demo.catalogue import CATALOGUE
from linkoptima_gui.demo.world import DemoWorld

from .conftest import orders_by_shop_id, run_engine


def _order(api: API, lines: list[tuple[str, int]]) -> int:
    address = {"first_name": "Ola", "last_name": "Ważna", "address_1": "ul. Ciężka 2", "city": "Kraków",
               "postcode": "30-002", "country": "PL"}
    answer = api.post("orders", {
        "status": "processing", "set_paid": True, "payment_method": "payustandard", "payment_method_title": "PayU",
        "transaction_id": "TXWAGA01", "billing": {**address, "email": "ola@example.com"}, "shipping": address,
        "line_items": [{"sku": sku, "quantity": quantity} for sku, quantity in lines],
        "shipping_lines": [{"method_id": "flat_rate", "method_title": "Kurier", "total": "15.00"}],
    })
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def _declared_weight(world: DemoWorld, number: str) -> Decimal:
    with sqlite3.connect(world.folder / "carrier" / "carrier.sqlite") as db:
        (request,) = db.execute("SELECT request FROM shipments WHERE reference = ?", (number,)).fetchone()
    return Decimal(json.loads(request)["weight_kg"])


def _api(world: DemoWorld) -> API:
    return API(url=world.shop.url, consumer_key=world.shop.consumer_key, consumer_secret=world.shop.consumer_secret,
               version="wc/v3", timeout=10)


def test_the_weight_is_the_products_weight_plus_the_packaging(world: DemoWorld, api: API) -> None:
    first, second = CATALOGUE[1], CATALOGUE[2]
    shop_id = _order(api, [(first.code, 2), (second.code, 1)])
    run_engine(world)
    row = orders_by_shop_id(world)[shop_id]
    expected = (2 * first.weight_kg + second.weight_kg + Decimal("0.3")).quantize(Decimal("0.01"))
    assert expected != Decimal(1)
    assert _declared_weight(world, row.number) == expected
    with sqlite3.connect(world.folder / "carrier" / "carrier.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM shipments").fetchone()[0] == 1


def test_optima_weights_and_an_item_without_one(tmp_path: Path) -> None:
    settings = AppSettings(weight_source="optima", packaging_kg=0.5, unknown_item_kg=2.0)
    with DemoWorld(tmp_path / "world", settings=settings, ksef_delay=0) as world:
        item = CATALOGUE[3]
        with world.optima_engine.begin() as conn:  # a card without a weight
            conn.exec_driver_sql("UPDATE Towary SET Twr_WagaKG = 0 WHERE Twr_Kod = ?", (CATALOGUE[4].code,))
        shop_id = _order(_api(world), [(item.code, 3), (CATALOGUE[4].code, 1)])
        run_engine(world)
        row = orders_by_shop_id(world)[shop_id]
        assert _declared_weight(world, row.number) == (3 * item.weight_kg + 2 + Decimal("0.5")).quantize(
            Decimal("0.01"))
        label = Path(row.label_pdf).read_bytes()
    from pypdf import PdfReader

    text = PdfReader(__import__("io").BytesIO(label)).pages[0].extract_text()
    assert "(mała)" in text or "(średnia)" in text or "(duża)" in text  # the size in Polish words
    assert "medium" not in text and "small" not in text
