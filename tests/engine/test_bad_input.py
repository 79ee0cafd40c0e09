"""Bad input in a real demo world: orders the console cannot book become exceptions with a
readable reason, nothing half-done is left in Optima, the good orders keep flowing, and an
order the shop corrects flows on at the next poll."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from woocommerce import API

from linkoptima_gui.core.domain.steps import Stage
from linkoptima_gui.core.optima.schema import TraNag
from linkoptima_gui.core.store.models import OrderRow
from linkoptima_gui.demo.catalogue import CATALOGUE
from linkoptima_gui.demo.world import DemoWorld


@pytest.fixture
def world(tmp_path: Path) -> Iterator[DemoWorld]:
    with DemoWorld(tmp_path / "world") as opened:
        yield opened


@pytest.fixture
def api(world: DemoWorld) -> API:
    return API(url=world.shop.url, consumer_key=world.shop.consumer_key,
               consumer_secret=world.shop.consumer_secret, version="wc/v3", timeout=10)


def paid_order(api: API, n: int, *, sku: str | None = None, nip: str = "") -> int:
    """A paid PayU order placed through the REST API, as a checkout plugin would."""
    meta = [{"key": "_billing_nip", "value": nip}, {"key": "_billing_invoice_ask", "value": "1"}] if nip else []
    address = {"first_name": "Zofia", "last_name": f"Żółkiewska{n}", "address_1": "ul. Długa 5",
               "city": "Łódź", "postcode": "90-001", "country": "PL"}
    answer = api.post("orders", {
        "status": "processing", "set_paid": True, "payment_method": "payustandard",
        "payment_method_title": "PayU", "transaction_id": f"TX{n:08d}PAYU",
        "billing": {**address, "email": f"zofia{n}@example.com", "company": "Firma Sp. z o.o." if nip else ""},
        "shipping": address, "meta_data": meta,
        "line_items": [{"sku": sku or CATALOGUE[n].code, "quantity": 1}],
        "shipping_lines": [{"method_id": "flat_rate", "method_title": "Kurier", "total": "15.00"}],
    })
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def tamper(world: DemoWorld, order_id: int, change) -> None:
    """Change the stored order behind the REST API's back (a buggy plugin, a hand edit)."""
    with world.shop.store.transaction() as db:
        doc = json.loads(db.execute("SELECT doc FROM orders WHERE id = ?", (order_id,)).fetchone()[0])
        change(doc)
        db.execute("UPDATE orders SET doc = ? WHERE id = ?", (json.dumps(doc), order_id))


def run_engine(world: DemoWorld) -> None:
    assert asyncio.run(world.engine.run_until_idle(60))


def orders_by_shop_id(world: DemoWorld) -> dict[int, OrderRow]:
    with world.sessions() as session:
        return {row.shop_order_id: row for row in session.scalars(select(OrderRow))}


def documents_for(world: DemoWorld, number: str) -> int:
    with world.optima_engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(TraNag).where(TraNag.c.TrN_NumerObcy == number)).scalar_one()


def test_bad_orders_become_exceptions_and_the_rest_flows(world: DemoWorld, api: API) -> None:
    unknown = api.post("products", {"name": "Towar spoza Optimy", "sku": "NIE-MA-W-OPTIMIE", "regular_price": "10.00"})
    assert unknown.status_code == 201
    good = [paid_order(api, n) for n in (1, 2, 3)]
    bad = {
        "unknown_sku": paid_order(api, 4, sku="NIE-MA-W-OPTIMIE"),
        "invalid_nip": paid_order(api, 5, nip="526-025-02-75"),
        "amount_mismatch": paid_order(api, 6),
        "malformed": paid_order(api, 7),
    }
    tamper(world, bad["amount_mismatch"], lambda doc: doc.update(total="999.99"))
    tamper(world, bad["malformed"], lambda doc: doc["line_items"][0].update(total="12,50 zł"))

    run_engine(world)

    rows = orders_by_shop_id(world)
    for shop_id in good:
        assert rows[shop_id].stage == Stage.READY_TO_PACK.value and rows[shop_id].fa_number
        # the e-mailed invoice of an online payment is rendered after its KP: it says "paid"
        text = "".join(page.extract_text() for page in PdfReader(rows[shop_id].invoice_pdf).pages)
        assert "Zapłacono" in text and "Pozostało do zapłaty: 0,00" in text
    for code, shop_id in bad.items():
        row = rows[shop_id]
        assert (row.stage, row.error_code) == (Stage.EXCEPTION.value, code)
        assert len(row.error_reason) > 15 and not row.error_reason.startswith("Traceback")
        assert documents_for(world, row.number) == 0  # nothing half-done in Optima
    assert "526-025-02-75" in rows[bad["invalid_nip"]].error_reason.replace("5260250275", "526-025-02-75")

    # The shop corrects the NIP: the next poll maps the order again and it flows on.
    fixed = api.put(f"orders/{bad['invalid_nip']}", {"meta_data": [{"key": "_billing_nip", "value": "526-025-02-74"}]})
    assert fixed.status_code == 200
    run_engine(world)
    row = orders_by_shop_id(world)[bad["invalid_nip"]]
    assert (row.stage, row.error_code) == (Stage.READY_TO_PACK.value, "")
    assert documents_for(world, row.number) == 2  # its FA and WZ
