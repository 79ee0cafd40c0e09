"""Nothing booked that cannot ship, and no label for a stopped order (issue 17): an order of more
than Optima has stops before its FA, KP and label, as "brak towaru" with the figures, and goes on
by itself once a delivery arrives; an order with an unknown item gets no label; with labels
bought at payment, an order whose FA fails gets none either; a shop that sells on back order
books anyway."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select
from woocommerce import API

from linkoptima_gui.core.config.app_settings import AppSettings
from linkoptima_gui.core.domain.steps import Stage, Step, StepState
from linkoptima_gui.core.engine.stock_check import STOCK_SHORT
from linkoptima_gui.core.optima.schema import TraNag
from linkoptima_gui.core.optima.simulated import SimulatedOptimaWriter
from linkoptima_gui.core.store.models import JobRow
from linkoptima_gui.demo.catalogue import CATALOGUE
from linkoptima_gui.demo.world import DemoWorld

from .conftest import orders_by_shop_id, paid_order, run_engine

SCARCE = CATALOGUE[7]  # the demo keeps every 40th item scarce: 2 to 4 in Optima


def _big_order(api: API, n: int, quantity: int, sku: str = SCARCE.code) -> int:
    address = {"first_name": "Ewa", "last_name": f"Hurtowa{n}", "address_1": "ul. Duża 1", "city": "Poznań",
               "postcode": "60-001", "country": "PL"}
    answer = api.post("orders", {
        "status": "processing", "set_paid": True, "payment_method": "payustandard", "payment_method_title": "PayU",
        "transaction_id": f"TXBIG{n:05d}", "billing": {**address, "email": f"ewa{n}@example.com"},
        "shipping": address, "line_items": [{"sku": sku, "quantity": quantity}],
        "shipping_lines": [{"method_id": "flat_rate", "method_title": "Kurier", "total": "15.00"}],
    })
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def _jobs(world: DemoWorld, order_id: int) -> dict[str, JobRow]:
    with world.sessions() as session:
        return {j.step: j for j in session.scalars(select(JobRow).where(JobRow.order_id == order_id))}


def _documents(world: DemoWorld, number: str) -> int:
    with world.optima_engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(TraNag).where(TraNag.c.TrN_NumerObcy == number)).scalar()


def test_an_order_of_more_than_optima_has_waits_for_a_delivery(world: DemoWorld, api: API) -> None:
    have = world.services.optima_reader.stock_levels([SCARCE.code])[SCARCE.code]
    shop_id = _big_order(api, 1, 9999)
    run_engine(world)
    row = orders_by_shop_id(world)[shop_id]
    jobs = _jobs(world, row.id)
    assert row.stage == Stage.EXCEPTION.value and row.error_code == STOCK_SHORT
    assert jobs[Step.FA.value].state == StepState.FAILED.value
    assert f"{SCARCE.code}: zamówiono 9999, dostępne {have.normalize():f}" in row.error_reason
    assert Step.LABEL.value not in jobs and world.count_shipments()["total"] == 0  # no label bought
    assert _documents(world, row.number) == 0 and row.kp_number == ""  # no FA, no KP

    world.stock_moves.deliver({SCARCE.code: 10_000})  # the delivery, booked in Optima
    assert world.engine.stock is not None
    world.engine.stock.run_pass()  # the sync sees the goods move: the order goes back in the queue
    assert _jobs(world, row.id)[Step.FA.value].state == StepState.PENDING.value
    run_engine(world)
    row = orders_by_shop_id(world)[shop_id]
    assert row.fa_number and row.wz_number and row.kp_number and row.error_code != STOCK_SHORT
    # 9,999 mugs weigh 3.5 t: the carrier refuses the parcel, so a person sees why (no 1 kg label)
    assert row.error_code == "carrier_refused" and "25 kg" in row.error_reason and not row.tracking_number


def test_an_order_with_an_unknown_item_costs_no_label(world: DemoWorld, api: API) -> None:
    shop_id = paid_order(api, 2, sku="NIE-MA-TAKIEGO")
    run_engine(world)
    row = orders_by_shop_id(world)[shop_id]
    assert row.stage == Stage.EXCEPTION.value and row.error_code == "unknown_sku"
    assert Step.LABEL.value not in _jobs(world, row.id) and world.count_shipments()["total"] == 0


@pytest.mark.parametrize("label_at_payment", [False, True])
def test_a_failed_invoice_stops_the_label_unless_labels_are_bought_at_payment(tmp_path: Path,
                                                                              label_at_payment: bool) -> None:
    """Bought at payment, the label runs beside the books: an order whose FA then fails keeps a
    label a person may cancel with the carrier (the exceptions screen offers it)."""
    settings = AppSettings(label_at_payment=label_at_payment)
    with DemoWorld(tmp_path / "world", settings=settings, ksef_delay=0) as world:
        api = API(url=world.shop.url, consumer_key=world.shop.consumer_key,
                  consumer_secret=world.shop.consumer_secret, version="wc/v3", timeout=10)
        bad, good = _big_order(api, 3, 10), paid_order(api, 4)
        asyncio.run(world.engine.poll_once())
        rows = orders_by_shop_id(world)
        assert (Step.LABEL.value in _jobs(world, rows[good].id)) is label_at_payment  # planned with the rest
        run_engine(world)
        rows = orders_by_shop_id(world)
        assert rows[bad].stage == Stage.EXCEPTION.value
        assert bool(rows[bad].tracking_number) is label_at_payment
        assert rows[good].stage == Stage.READY_TO_PACK.value and rows[good].tracking_number
        assert world.count_shipments()["total"] == (2 if label_at_payment else 1)


def test_a_shop_that_sells_on_back_order_books_anyway(tmp_path: Path) -> None:
    settings = AppSettings(book_without_stock=True)
    with DemoWorld(tmp_path / "world", settings=settings, ksef_delay=0) as world:
        negative = replace(world.optima_settings, allow_negative_stock=True)  # the company issues below zero too
        world.services.optima_writer = SimulatedOptimaWriter(world.optima_engine, negative)
        api = API(url=world.shop.url, consumer_key=world.shop.consumer_key,
                  consumer_secret=world.shop.consumer_secret, version="wc/v3", timeout=10)
        shop_id = _big_order(api, 5, 50)
        run_engine(world)
        row = orders_by_shop_id(world)[shop_id]
        assert row.fa_number and row.stage == Stage.READY_TO_PACK.value


def test_a_label_bought_for_an_order_that_stopped_is_canceled_and_bought_again_later(tmp_path: Path) -> None:
    with DemoWorld(tmp_path / "world", settings=AppSettings(label_at_payment=True), ksef_delay=0) as world:
        api = API(url=world.shop.url, consumer_key=world.shop.consumer_key,
                  consumer_secret=world.shop.consumer_secret, version="wc/v3", timeout=10)
        shop_id = _big_order(api, 6, 10)
        run_engine(world)
        row = orders_by_shop_id(world)[shop_id]
        first_label = row.tracking_number
        assert row.stage == Stage.EXCEPTION.value and first_label
        world.manual.cancel_label(row.id, actor="kierownik", reason="zamówienie stoi, etykieta kosztuje")
        run_engine(world)
        row = orders_by_shop_id(world)[shop_id]
        jobs = _jobs(world, row.id)
        assert row.tracking_number == "" and world.count_shipments()["total"] == 0  # canceled at the carrier
        assert jobs[Step.LABEL_CANCEL.value].state == StepState.DONE.value
        assert jobs[Step.LABEL.value].state == StepState.PENDING.value  # waits: the FA still fails

        world.stock_moves.deliver({SCARCE.code: 10_000})
        world.engine.stock.run_pass()
        run_engine(world)
        row = orders_by_shop_id(world)[shop_id]
        assert row.stage == Stage.READY_TO_PACK.value and row.tracking_number not in ("", first_label)
        assert world.count_shipments() == {"total": 1, "duplicates": 0}
