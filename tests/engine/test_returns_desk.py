"""A return booked at the packing station: the refund is created in the shop emulator over HTTP,
once, and the engine then books its correction like any refund made in the shop."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest
from sqlalchemy import select
from woocommerce import API

from linkoptima_gui.core.domain.steps import Step, StepState
from linkoptima_gui.core.engine.returns_desk import ReturnRefused, ReturnsDesk
from linkoptima_gui.core.errors import RetryableError
from linkoptima_gui.core.store.models import AuditEvent, JobRow, RefundRow
from linkoptima_gui.core.woo.refunds import REFUND_KEY
from linkoptima_gui.demo.world import DemoWorld

from .conftest import orders_by_shop_id, paid_order, run_engine


def _desk(world: DemoWorld, **kwargs) -> ReturnsDesk:
    return ReturnsDesk(world.sessions, world.services.shop, world.bus, wake_engine=world.engine.wake, **kwargs)


def _booked_order(world: DemoWorld, api: API, n: int = 3) -> str:
    shop_id = paid_order(api, n)
    run_engine(world)
    row = orders_by_shop_id(world)[shop_id]
    assert row.fa_number
    return row.number


def test_a_return_at_the_station_creates_the_refund_once_and_the_engine_books_the_correction(
        world: DemoWorld, api: API) -> None:
    number = _booked_order(world, api)
    desk = _desk(world)
    form = desk.open(number)
    goods = [line for line in form.lines if not line.shipping]
    shipping = [line for line in form.lines if line.shipping]
    assert len(goods) == 1 and goods[0].left == 1 and shipping and shipping[0].left == 1
    body = desk.body(form, {goods[0].item_id: 1, shipping[0].item_id: 1}, "")
    assert body["api_refund"] is False and body["api_restock"] is True and body["reason"] == "Zwrot towaru"
    assert body["meta_data"] == [{"key": REFUND_KEY, "value": form.key}]

    saved = desk.save(form, {goods[0].item_id: 1, shipping[0].item_id: 1}, "Odstąpienie od umowy", actor="jan")
    again = desk.save(form, {goods[0].item_id: 1, shipping[0].item_id: 1}, "Odstąpienie od umowy", actor="jan")
    assert saved.created and not again.created and again.refund_id == saved.refund_id
    refunds = api.get(f"orders/{form.shop_order_id}/refunds").json()
    assert len(refunds) == 1 and Decimal(refunds[0]["amount"]) == saved.amount

    run_engine(world)
    with world.sessions() as session:
        refund = session.scalar(select(RefundRow).where(RefundRow.order_id == form.order_id))
        assert refund is not None and refund.shop_refund_id == saved.refund_id and refund.amount == saved.amount
        korekta = session.scalar(select(JobRow).where(JobRow.order_id == form.order_id,
                                                      JobRow.step == Step.KOREKTA.value))
        assert korekta is not None and korekta.identity_key.endswith(f":{saved.refund_id}")
        if korekta.state == StepState.DONE.value:  # with the Optima reader's corrections (issue 18's writer part)
            assert abs(refund.correction_gross) == saved.amount
        said = session.scalars(select(AuditEvent.actor).where(AuditEvent.kind == "return_desk")).all()
        assert said == ["jan"]

    # everything came back: a second return of the same order has nothing left to tick
    form2 = desk.open(number)
    assert all(line.left == 0 for line in form2.lines)
    with pytest.raises(ReturnRefused, match="zostało 0"):
        desk.body(form2, {goods[0].item_id: 1}, "")


def test_a_timeout_on_create_finds_the_refund_the_shop_made(world: DemoWorld, api: API) -> None:
    number = _booked_order(world, api)
    shop = world.services.shop

    class TimesOut:
        def __getattr__(self, name: str):
            return getattr(shop, name)

        def create_refund(self, order_id: int, body: dict) -> dict:
            shop.create_refund(order_id, body)  # the shop made it, the answer was lost
            raise RetryableError("Sklep nie odpowiedział w czasie.", code="shop_unreachable")

    desk = ReturnsDesk(world.sessions, TimesOut(), world.bus)
    form = desk.open(number)
    item = next(line for line in form.lines if not line.shipping)
    saved = desk.save(form, {item.item_id: 1}, "Uszkodzony", actor="jan")
    assert saved.created  # made by this press: its answer was lost, not the refund
    assert len(api.get(f"orders/{form.shop_order_id}/refunds").json()) == 1


def test_a_return_is_refused_before_the_fa_and_beyond_what_is_left(world: DemoWorld, api: API) -> None:
    shop_id = paid_order(api, 4)
    desk = _desk(world)
    with pytest.raises(ReturnRefused, match="Nie ma zamówienia"):
        desk.open("999999")
    asyncio.run(world.engine.poll_once())
    number = orders_by_shop_id(world)[shop_id].number
    with pytest.raises(ReturnRefused, match="nie ma jeszcze faktury"):
        desk.open(number)
    run_engine(world)
    form = desk.open(number)
    item = next(line for line in form.lines if not line.shipping)
    with pytest.raises(ReturnRefused, match="zostało 1"):
        desk.body(form, {item.item_id: 2}, "")
    with pytest.raises(ReturnRefused, match="Zaznacz"):
        desk.body(form, {}, "")


def test_api_refund_follows_the_setting_for_online_payments_only(world: DemoWorld, api: API) -> None:
    number = _booked_order(world, api, 5)
    desk = _desk(world, api_refund=True)
    form = desk.open(number)
    item = next(line for line in form.lines if not line.shipping)
    assert desk.body(form, {item.item_id: 1}, "")["api_refund"] is True
    saved = desk.save(form, {item.item_id: 1}, "", actor="jan")
    refund = api.get(f"orders/{form.shop_order_id}/refunds/{saved.refund_id}").json()
    assert refund["refunded_payment"] is True
