"""The packing station's "zwrot" mode against the shop emulator over HTTP: scan the order, tick
what came back, "Zapisz zwrot"; the refund is in the shop once, and the engine finds it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select
from woocommerce import API

from linkoptima_gui.core.domain.steps import Step
from linkoptima_gui.core.store.models import JobRow, RefundRow
from linkoptima_gui.demo.world import DemoWorld
from linkoptima_gui.ui.bridge import EngineBridge
from linkoptima_gui.ui.launch import demo_context
from linkoptima_gui.ui.packing import PackingView
from tests.engine.conftest import orders_by_shop_id, paid_order, run_engine


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[DemoWorld]:
    with DemoWorld(tmp_path / "world") as opened:
        yield opened


@pytest.fixture
def api(demo: DemoWorld) -> API:
    return API(url=demo.shop.url, consumer_key=demo.shop.consumer_key, consumer_secret=demo.shop.consumer_secret,
               version="wc/v3", timeout=10)


@pytest.fixture
def station(qtbot, demo: DemoWorld) -> PackingView:
    context = demo_context(demo)
    context.operator = "magazynier"
    bridge = EngineBridge(context.bus)
    screen = PackingView(context, bridge)
    screen._test_bridge = bridge
    qtbot.addWidget(screen)
    screen.resize(1366, 700)
    screen.show()
    qtbot.waitExposed(screen)
    yield screen
    bridge.close()


def test_a_returned_parcel_is_booked_from_the_station(qtbot, station: PackingView, demo: DemoWorld, api: API) -> None:
    shop_id = paid_order(api, 3)
    run_engine(demo)
    number = orders_by_shop_id(demo)[shop_id].number
    assert station.modes.toggle.isVisible() and not station.modes.active
    station.modes.toggle.click()
    assert station.modes.active and station.modes.stack.currentWidget() is station.modes.panel
    panel = station.modes.panel

    with qtbot.waitSignal(panel.sig_opened, timeout=10000):
        qtbot.keyClicks(panel.scan, number)
        station._on_enter()  # Enter at the station goes to the return desk in this mode
    form = panel.form
    assert form is not None and form.number == number and panel.table.rowCount() == len(form.lines)
    assert not panel.save_button.isEnabled()  # nothing ticked yet
    goods = next(line for line in form.lines if not line.shipping)
    panel.set_quantity(goods.item_id, 1)
    assert panel.save_button.isEnabled() and "Do zwrotu:" in panel.amount_label.text()
    assert "zwróć klientowi sam" in panel.money_note.text()  # api_refund off by default
    panel.reason.setEditText("Towar uszkodzony")

    with qtbot.waitSignal(panel.sig_saved, timeout=10000) as saved:
        panel.save_button.click()
    refund_id, created = saved.args
    assert created and "zapisany w sklepie" in panel.status_line.text() and panel.form is None
    refunds = api.get(f"orders/{shop_id}/refunds").json()
    assert [r["id"] for r in refunds] == [refund_id] and refunds[0]["reason"] == "Towar uszkodzony"

    run_engine(demo)  # the intake finds the refund and plans its correction
    with demo.sessions() as session:
        assert session.scalar(select(RefundRow.shop_refund_id).where(RefundRow.shop_refund_id == refund_id))
        assert session.scalar(select(JobRow.id).where(JobRow.step == Step.KOREKTA.value,
                                                      JobRow.identity_key.like(f"%:{refund_id}")))

    # the same order again: nothing left of that item, a second return of it is refused
    with qtbot.waitSignal(panel.sig_opened, timeout=10000):
        panel.open(number)
    again = next(line for line in panel.form.lines if line.item_id == goods.item_id)
    assert again.left == 0


def test_an_unknown_order_is_refused_in_polish_and_f9_switches_back(qtbot, station: PackingView, demo: DemoWorld,
                                                          api: API) -> None:
    station.modes.toggle.click()
    panel = station.modes.panel
    with qtbot.waitSignal(panel.sig_failed, timeout=10000) as failed:
        panel.open("nie-ma-takiego")
    assert failed.args[0] == "Nie ma zamówienia nie-ma-takiego." and panel.status_line.text() == failed.args[0]
    qtbot.keyClick(panel.scan, Qt.Key.Key_F9)
    assert not station.modes.active and station.modes.stack.currentIndex() == 0
