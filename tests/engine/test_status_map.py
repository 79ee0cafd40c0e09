"""Order statuses both ways: the statuses the console works on ("Statusy do realizacji"), and
the status it writes back by the shop's status map: after the FA is booked, after packing, or
none (the note and the tracking number are written all the same)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select, update
from woocommerce import API

from linkoptima_gui.core.domain.steps import Stage, Step, StepState
from linkoptima_gui.core.printing.file_printer import FilePrinter
from linkoptima_gui.core.store.models import JobRow
from linkoptima_gui.demo.catalogue import CATALOGUE
from linkoptima_gui.demo.world import DemoWorld

from .conftest import orders_by_shop_id, paid_order, run_engine


def job(world: DemoWorld, order_id: int, step: Step) -> JobRow | None:
    with world.sessions() as session:
        return session.scalar(select(JobRow).where(JobRow.order_id == order_id, JobRow.step == step.value))


def meta(world: DemoWorld, shop_id: int) -> dict[str, str]:
    return {m["key"]: m["value"] for m in world.services.shop.get_order(shop_id)["meta_data"]}


def test_the_invoiced_status_is_written_once_the_fa_is_booked_and_never_after_packing(
        world: DemoWorld, api: API, tmp_path: Path) -> None:
    # a real shop would name a plugin's status here ("zafakturowane"); the demo shop knows WooCommerce's own
    world.shop_settings.status_map.update(invoiced="on-hold", packed="completed")
    shop_id = paid_order(api, 1)
    run_engine(world)
    row = orders_by_shop_id(world)[shop_id]

    assert row.stage == Stage.READY_TO_PACK.value
    assert world.services.shop.get_order(shop_id)["status"] == "on-hold"
    assert meta(world, shop_id)["_linkoptima_invoice"] == row.fa_number
    world.packing.undo_seconds = 0
    world.packing.pack(row.id, FilePrinter(tmp_path / "printer"), station="st-1")
    run_engine(world)
    assert world.services.shop.get_order(shop_id)["status"] == "completed"

    with world.sessions.begin() as session:  # the invoiced write comes again, late (a retry)
        session.execute(update(JobRow).where(JobRow.order_id == row.id, JobRow.step == Step.SHOP_FA.value)
                        .values(state=StepState.PENDING.value))
    run_engine(world)
    assert world.services.shop.get_order(shop_id)["status"] == "completed"  # not taken back
    shop_fa = job(world, row.id, Step.SHOP_FA)
    assert shop_fa is not None and shop_fa.state == StepState.DONE.value


def test_no_status_after_packing_still_leaves_the_note_and_the_tracking_number(
        world: DemoWorld, api: API, tmp_path: Path) -> None:
    world.shop_settings.status_map.update(packed="")
    shop_id = paid_order(api, 2)
    run_engine(world)
    row = orders_by_shop_id(world)[shop_id]
    assert job(world, row.id, Step.SHOP_FA) is None  # no status for "invoiced" (the default): no step
    world.packing.undo_seconds = 0
    world.packing.pack(row.id, FilePrinter(tmp_path / "printer"), station="st-1")
    run_engine(world)

    row = orders_by_shop_id(world)[shop_id]
    assert world.services.shop.get_order(shop_id)["status"] == "processing"
    assert meta(world, shop_id)["_linkoptima_tracking"] == row.tracking_number
    assert any(row.fa_number in note["note"] for note in world.services.shop.order_notes(shop_id))


def test_a_status_the_shop_does_not_know_stops_only_its_step(world: DemoWorld, api: API) -> None:
    world.shop_settings.status_map.update(invoiced="zafakturowane")  # no plugin registers it here
    shop_id = paid_order(api, 3)
    run_engine(world)
    row = orders_by_shop_id(world)[shop_id]

    shop_fa = job(world, row.id, Step.SHOP_FA)
    assert shop_fa is not None and shop_fa.state == StepState.FAILED.value
    assert shop_fa.error_message.startswith("Sklep nie przyjął statusu „zafakturowane”")
    assert row.stage == Stage.READY_TO_PACK.value  # the parcel does not wait for the shop's status
    assert world.services.shop.get_order(shop_id)["status"] == "processing"


def test_an_order_in_a_status_not_listed_waits_until_the_shop_moves_it(world: DemoWorld, api: API) -> None:
    answer = api.post("orders", {  # a block checkout's draft: cash on delivery, not placed yet
        "status": "checkout-draft", "payment_method": "cod", "payment_method_title": "Za pobraniem",
        "billing": {"first_name": "Jan", "last_name": "Szkic", "email": "jan@example.com", "address_1": "Polna 1",
                    "city": "Łódź", "postcode": "90-001", "country": "PL"},
        "line_items": [{"sku": CATALOGUE[4].code, "quantity": 1}],
    })
    assert answer.status_code == 201, answer.text
    shop_id = answer.json()["id"]
    run_engine(world)
    row = orders_by_shop_id(world)[shop_id]
    assert row.stage == Stage.NEW.value and job(world, row.id, Step.FA) is None

    assert api.put(f"orders/{shop_id}", {"status": "processing"}).status_code == 200
    run_engine(world)
    row = orders_by_shop_id(world)[shop_id]
    assert row.stage == Stage.READY_TO_PACK.value and row.fa_number
