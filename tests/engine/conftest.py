"""A real demo world for engine tests (shop emulator over HTTP, simulated Optima with its KSeF
sending, SMTP sink, carrier), and orders placed through the shop's REST API."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from woocommerce import API

from linkoptima_gui.core.engine.stock_sync import StockSync, StockSyncSettings
from linkoptima_gui.core.optima.schema import TraNag
from linkoptima_gui.core.store.models import OrderRow
from linkoptima_gui.demo.catalogue import CATALOGUE
from linkoptima_gui.demo.world import DemoWorld


@pytest.fixture
def ksef_delay() -> float:
    """Seconds the simulated Optima takes to get a company invoice its KSeF number."""
    return 0.0


@pytest.fixture
def stock_settings() -> StockSyncSettings:
    """The stock sync's settings of the world (a module may override this fixture)."""
    return StockSyncSettings()


@pytest.fixture
def world(tmp_path: Path, ksef_delay: float, stock_settings: StockSyncSettings) -> Iterator[DemoWorld]:
    with DemoWorld(tmp_path / "world", ksef_delay=ksef_delay, stock=stock_settings) as opened:
        yield opened


@pytest.fixture
def sync(world: DemoWorld) -> StockSync:
    assert world.engine.stock is not None
    return world.engine.stock


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
