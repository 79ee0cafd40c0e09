"""Every carrier the console knows, through the engine against its emulator: a label that was
bought prints again from the store, a label cancelled by a person is cancelled at the carrier (DPD,
which has no cancel call, voids the number: never handed over) and bought anew, and a refusal
names the carrier with its reason in Polish and its own words beside it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from woocommerce import API

from linkoptima_gui.core.config.app_settings import AppSettings
from linkoptima_gui.core.domain.steps import Stage, Step, StepState
from linkoptima_gui.core.printing.factory import open_printer
from linkoptima_gui.core.store.documents import LABEL_PDF, read_document
from linkoptima_gui.core.store.exception_queries import open_exceptions
from linkoptima_gui.core.store.models import JobRow, OrderRow
from linkoptima_gui.demo.catalogue import CATALOGUE
from linkoptima_gui.demo.world import DemoWorld

from .conftest import run_engine

CARRIERS = ["builtin", "inpost", "furgonetka", "dpd"]


@pytest.fixture(params=CARRIERS)
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DemoWorld]:
    with DemoWorld(tmp_path / "world", settings=AppSettings(carrier=request.param), ksef_delay=0) as opened:
        yield opened


def _courier_order(world: DemoWorld, n: int, phone: str = "+48 600 100 200") -> int:
    api = API(url=world.shop.url, consumer_key=world.shop.consumer_key, consumer_secret=world.shop.consumer_secret,
              version="wc/v3", timeout=10)
    address = {"first_name": "Marta", "last_name": f"Kurierska{n}", "address_1": "ul. Długa 5", "city": "Gdańsk",
               "postcode": "80-210", "country": "PL", "phone": phone}
    answer = api.post("orders", {
        "status": "processing", "set_paid": True, "payment_method": "payustandard", "payment_method_title": "PayU",
        "transaction_id": f"TXC{n:06d}", "billing": {**address, "email": f"marta{n}@example.com"},
        "shipping": address, "line_items": [{"sku": CATALOGUE[n].code, "quantity": 1}],
        "shipping_lines": [{"method_id": "flat_rate", "method_title": "Kurier", "total": "15.00"}],
    })
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def _row(world: DemoWorld, shop_id: int) -> OrderRow:
    with world.sessions() as session:
        row = session.scalar(select(OrderRow).where(OrderRow.shop_order_id == shop_id))
        assert row is not None
        return row


def _cancelled_at_carrier(world: DemoWorld, tracking: str) -> bool:
    """The carrier's own state says the first label is no longer a parcel."""
    if world.shipx is not None:
        return [r.status for r in world.shipx.shipments() if r.tracking_number == tracking] == ["canceled"]
    if world.furgonetka is not None:
        return [p["state"] for p in world.furgonetka.state["packages"].values() if p["waybill"] == tracking] == [
            "cancelled"]
    if world.dpd is not None:  # generated, but voided in the console's ledger and on no protocol
        return any(p["waybill"] == tracking and not p["protocol"] for p in world.dpd.generated())
    return world.carrier.track(_shipment(tracking))[0].code == "canceled"


def _shipment(tracking: str):  # noqa: ANN202 - the built-in carrier reads only the number
    from linkoptima_gui.core.shipping.port import Shipment

    return Shipment("", "", tracking, "")


def test_a_label_prints_again_and_a_cancelled_one_is_cancelled_at_the_carrier_and_bought_anew(
        world: DemoWorld, tmp_path: Path) -> None:
    shop_id = _courier_order(world, 1)
    run_engine(world)
    row = _row(world, shop_id)
    first = row.tracking_number
    assert row.stage == Stage.READY_TO_PACK.value and first and row.carrier == world.carrier.name
    printer = open_printer((tmp_path / "printer").as_uri())
    where = world.reprints.reprint_label(row.id, printer, actor="kierownik", station="biuro")
    with world.sessions() as session:
        assert Path(where).read_bytes() == read_document(session, row.id, LABEL_PDF)

    world.manual.cancel_label(row.id, actor="kierownik", reason="klient zmienia adres")
    run_engine(world)
    row = _row(world, shop_id)
    with world.sessions() as session:
        cancel = session.scalar(select(JobRow).where(JobRow.order_id == row.id,
                                                     JobRow.step == Step.LABEL_CANCEL.value))
    assert cancel is not None and cancel.state == StepState.DONE.value, cancel and cancel.error_message
    assert _cancelled_at_carrier(world, first)
    assert row.stage == Stage.READY_TO_PACK.value and row.tracking_number not in ("", first)
    assert world.count_shipments() == {"total": 1, "duplicates": 0}
    again = world.reprints.reprint_label(row.id, printer, actor="kierownik", station="biuro")
    assert Path(again).read_bytes() != Path(where).read_bytes()  # the new parcel's label


@pytest.mark.parametrize("world", ["inpost", "furgonetka", "dpd"], indirect=True)
def test_a_refused_label_names_the_carrier_its_reason_in_polish_and_its_own_words(world: DemoWorld) -> None:
    shop_id = _courier_order(world, 2, phone="12")
    run_engine(world)
    row = _row(world, shop_id)
    assert row.stage == Stage.EXCEPTION.value and not row.tracking_number
    with world.sessions() as session:
        [entry] = [e for e in open_exceptions(session) if e.order_id == row.id]
    assert entry.step == Step.LABEL.value and entry.carrier == world.carrier.name
    assert entry.code == "carrier_refused" and "telefon" in entry.reason
    details = entry.details
    assert details["carrier"] == world.carrier.name and details["carrier_codes"]
    if world.carrier.name != "inpost":  # ShipX's message is generic; the others' words are kept in the reason
        assert details["carrier_message"] in entry.reason and "Odpowiedź przewoźnika" in entry.reason
