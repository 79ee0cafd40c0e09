"""Refunds made in the shop, through the whole chain: found by the intake, corrected in Optima
once, money back, the correction e-mailed, the stock back (issue 18; reference/corrections.md §5).

Real parts: the shop emulator over HTTP (refunds made through its REST API as the shop's admin
makes them), the simulated Optima, the SMTP sink. An independent audit closes every test: the
FA minus its corrections is what the shop kept, and Optima's stock is what was sold minus what
came back."""

from __future__ import annotations

from decimal import Decimal
from email import message_from_bytes

import pytest
from sqlalchemy import select
from woocommerce import API

from linkoptima_gui.core.domain.money import money
from linkoptima_gui.core.domain.steps import Stage, Step, StepState
from linkoptima_gui.core.store.models import JobRow, OrderRow, RefundRow
from linkoptima_gui.demo.catalogue import CATALOGUE
from linkoptima_gui.demo.world import DemoWorld, OrderPlacer

from .conftest import paid_order, run_engine

D = Decimal


@pytest.fixture
def world(world_on_each_store: DemoWorld) -> DemoWorld:
    """The demo world on both stores the refunds must work on (the console's own tables)."""
    return world_on_each_store


def _order(api: API, shop_id: int) -> dict:
    return api.get(f"orders/{shop_id}").json()


def _refund(api: API, shop_id: int, *, items: int = 0, shipping: bool = False, amount: str | None = None,
            api_refund: bool = True) -> dict:
    """A refund as the shop's admin makes it: ``items`` pieces of the first line, the shipping."""
    order = _order(api, shop_id)
    lines = []
    if items:
        item = order["line_items"][0]
        share = D(items) / D(item["quantity"])
        lines.append({"id": item["id"], "quantity": items, "refund_total": str(money(D(item["total"]) * share)),
                      "refund_tax": [{"id": t["id"], "refund_total": str(money(D(t["total"]) * share))}
                                     for t in item["taxes"]]})
    if shipping:
        ship = order["shipping_lines"][0]
        lines.append({"id": ship["id"], "refund_total": ship["total"],
                      "refund_tax": [{"id": t["id"], "refund_total": str(money(t["total"]))} for t in ship["taxes"]]})
    body = {"reason": "Zwrot testowy", "api_refund": api_refund, "api_restock": bool(items), "line_items": lines}
    if amount is not None:
        body["amount"] = amount
    answer = api.post(f"orders/{shop_id}/refunds", body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def _row(world: DemoWorld, shop_id: int) -> OrderRow:
    with world.sessions() as session:
        return session.scalar(select(OrderRow).where(OrderRow.shop_order_id == shop_id))


def _refunds(world: DemoWorld, order_id: int) -> list[RefundRow]:
    with world.sessions() as session:
        return list(session.scalars(select(RefundRow).where(RefundRow.order_id == order_id)
                                    .order_by(RefundRow.shop_refund_id)))


def _failed(world: DemoWorld, order_id: int) -> list[tuple[str, str]]:
    with world.sessions() as session:
        return [(j.step, j.error_code) for j in session.scalars(
            select(JobRow).where(JobRow.order_id == order_id, JobRow.state == StepState.FAILED.value))]


def _mails(world: DemoWorld) -> list:
    return [message_from_bytes(p.read_bytes()) for p in sorted((world.folder / "mail").glob("*.eml"))]


def _audit(world: DemoWorld, api: API, row: OrderRow) -> None:
    """FA minus its corrections = what the shop kept (total minus refunds), read from Optima."""
    reader = world.services.optima_reader
    invoice = reader.read_invoice(row.fa_id)
    corrections = [reader.read_correction(ref.id) for ref in reader.corrections_of(row.fa_id)]
    order = _order(api, row.shop_order_id)
    kept = D(order["total"]) - sum((D(r["total"]).copy_abs() for r in order["refunds"]), D(0))
    assert invoice.gross_total + sum((c.gross_total for c in corrections), D(0)) == kept


def test_a_returned_item_is_corrected_once_with_its_stock_and_money_back_and_emailed(world: DemoWorld, api: API):
    shop_id = paid_order(api, 1)
    run_engine(world)
    row = _row(world, shop_id)
    code = CATALOGUE[1].code
    reader = world.services.optima_reader
    stock_sold = reader.stock_levels([code])[code]
    refund = _refund(api, shop_id, items=1)
    run_engine(world)
    (stored,) = _refunds(world, row.id)
    assert stored.shop_refund_id == refund["id"]
    assert [c["number"].split("/")[0] for c in stored.corrections] == ["FAKI"]
    assert stored.returned_items == {code: "1"}
    assert stored.payout_number and stored.emailed_to == "zofia1@example.com"
    assert reader.stock_levels([code])[code] == stock_sold + 1
    number = stored.corrections[0]["number"]
    assert [m["Subject"] for m in _mails(world) if number in str(m["Subject"])]
    _audit(world, api, row)
    # the order is read again (a later edit, the overlap): nothing is booked or sent twice
    api.put(f"orders/{shop_id}", {"customer_note": "jeszcze raz"})
    run_engine(world)
    assert len(reader.corrections_of(row.fa_id)) == 1
    assert sum(1 for m in _mails(world) if number in str(m["Subject"])) == 1
    assert _failed(world, row.id) == []


def test_shipping_only_is_a_value_correction_and_moves_no_stock(world: DemoWorld, api: API):  # case B
    shop_id = paid_order(api, 2)
    run_engine(world)
    code = CATALOGUE[2].code
    before = world.services.optima_reader.stock_levels([code])[code]
    _refund(api, shop_id, shipping=True)
    run_engine(world)
    row = _row(world, shop_id)
    (stored,) = _refunds(world, row.id)
    ship = _order(api, shop_id)["shipping_lines"][0]
    assert [c["kind"] for c in stored.corrections] == ["value"]
    assert D(stored.corrections[0]["gross"]) == -(D(ship["total"]) + D(ship["total_tax"]))
    assert world.services.optima_reader.stock_levels([code])[code] == before
    _audit(world, api, row)


def test_two_refunds_give_two_corrections_of_the_same_invoice(world: DemoWorld, api: API):  # case E
    shop_id = paid_order(api, 3)
    run_engine(world)
    _refund(api, shop_id, shipping=True)
    _refund(api, shop_id, items=1)
    run_engine(world)
    row = _row(world, shop_id)
    refunds = _refunds(world, row.id)
    assert len(refunds) == 2 and all(len(r.corrections) == 1 for r in refunds)
    corrections = [world.services.optima_reader.read_correction(ref.id)
                   for ref in world.services.optima_reader.corrections_of(row.fa_id)]
    assert {c.original_id for c in corrections} == {row.fa_id} and len(corrections) == 2
    _audit(world, api, row)


def test_a_refund_that_does_not_add_up_goes_to_a_person_with_the_figures(world: DemoWorld, api: API):  # case G
    shop_id = paid_order(api, 4)
    run_engine(world)
    _refund(api, shop_id, items=1, amount="1.00")
    run_engine(world)
    row = _row(world, shop_id)
    assert _failed(world, row.id) == [(Step.KOREKTA.value, "refund_amount_mismatch")]
    assert world.services.optima_reader.corrections_of(row.fa_id) == []


def test_a_refund_deleted_in_the_shop_after_its_correction_goes_to_a_person(world: DemoWorld, api: API):  # case F
    shop_id = paid_order(api, 5)
    run_engine(world)
    refund = _refund(api, shop_id, shipping=True)
    run_engine(world)
    assert api.delete(f"orders/{shop_id}/refunds/{refund['id']}", params={"force": True}).status_code == 200
    api.put(f"orders/{shop_id}", {"customer_note": "po usunięciu zwrotu"})  # deleting does not bump the order
    run_engine(world)
    row = _row(world, shop_id)
    assert (Step.KOREKTA.value, "refund_deleted") in _failed(world, row.id)
    assert len(world.services.optima_reader.corrections_of(row.fa_id)) == 1  # never reversed by itself


def test_an_order_refunded_in_full_before_its_invoice_is_not_booked(world: DemoWorld, api: API):  # case A
    shop_id = paid_order(api, 6)
    order = _order(api, shop_id)
    answer = api.post(f"orders/{shop_id}/refunds", {"amount": order["total"], "api_refund": True, "line_items": []})
    assert answer.status_code == 201, answer.text
    run_engine(world)
    row = _row(world, shop_id)
    assert row.stage == Stage.CANCELLED.value and not row.fa_number
    assert world.services.optima_reader.find_invoice(row.number) is None


def test_the_demo_buyers_send_a_delivered_parcel_back_and_the_console_corrects_it(world: DemoWorld, api: API):
    shop_id = paid_order(api, 7)
    run_engine(world)
    api.put(f"orders/{shop_id}", {"status": "completed"})  # delivered
    OrderPlacer(world, 1, 2)._return_one()
    assert _order(api, shop_id)["refunds"]
    run_engine(world)
    (stored,) = _refunds(world, _row(world, shop_id).id)
    assert stored.corrections and stored.emailed_to
    _audit(world, api, _row(world, shop_id))


def test_status_refunded_set_by_hand_is_a_full_return(world: DemoWorld, api: API):  # case I
    shop_id = paid_order(api, 8)
    run_engine(world)
    code = CATALOGUE[8].code
    before = world.services.optima_reader.stock_levels([code])[code]
    assert api.put(f"orders/{shop_id}", {"status": "refunded"}).status_code == 200
    run_engine(world)
    row = _row(world, shop_id)
    (stored,) = _refunds(world, row.id)
    assert sorted(c["kind"] for c in stored.corrections) == ["quantity", "value"]
    assert world.services.optima_reader.stock_levels([code])[code] == before + 1
    _audit(world, api, row)


def test_cancelled_after_the_invoice_without_a_refund_goes_to_a_person_until_refunded(world: DemoWorld, api: API):
    shop_id = paid_order(api, 9)  # case H
    run_engine(world)
    assert api.put(f"orders/{shop_id}", {"status": "cancelled"}).status_code == 200
    run_engine(world)
    row = _row(world, shop_id)
    assert (Step.KOREKTA.value, "order_cancelled_after_fa") in _failed(world, row.id)
    assert world.services.optima_reader.corrections_of(row.fa_id) == []
    # the shop's staff records the refund; the console corrects it, and the problem clears on retry
    order = _order(api, shop_id)
    answer = api.post(f"orders/{shop_id}/refunds", {"amount": order["total"], "api_refund": False, "line_items": []})
    assert answer.status_code == 201, answer.text
    run_engine(world)
    world.manual.retry(row.id, actor="kierownik", step=Step.KOREKTA)
    run_engine(world)
    # what is left for a person: the parcel never packed must not go out
    assert _failed(world, row.id) == [(Step.PACKED.value, "refunded_before_packing")]
    assert len(world.services.optima_reader.corrections_of(row.fa_id)) == 2
    _audit(world, api, row)
