"""The packing station: queue order, Enter packs, printer failures, scanning."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from linkoptima_gui.core.domain.steps import Stage
from linkoptima_gui.ui.bridge import EngineBridge
from linkoptima_gui.ui.context import ConsoleContext
from linkoptima_gui.ui.packing import PackingQueueModel, PackingView
from linkoptima_gui.ui.packing.widgets import ParcelItemsModel, StatusKind

from .conftest import FakePrinter, OrderFactory, open_packing_view, publish_from_thread, ready_steps


@pytest.fixture
def view(qtbot, context: ConsoleContext, world: dict[str, int]) -> PackingView:
    screen = open_packing_view(qtbot, context)
    yield screen
    screen._test_bridge.close()


def press_enter(qtbot, view: PackingView, keypad: bool = False) -> None:
    if keypad:
        qtbot.keyClick(view.scan, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    else:
        qtbot.keyClick(view.scan, Qt.Key.Key_Return)


def test_models_pass_qtmodeltester(qtmodeltester, view: PackingView) -> None:
    qtmodeltester.check(view.queue)
    qtmodeltester.check(view.card.items_model)


def test_items_model_alone_passes_qtmodeltester(qtmodeltester, view: PackingView) -> None:
    model = ParcelItemsModel()
    qtmodeltester.check(model)
    model.set_items(view.card.parcel.items)
    qtmodeltester.check(model)


def test_queue_lists_ready_parcels_oldest_paid_first(view: PackingView, world: dict[str, int]) -> None:
    assert view.queue.ids() == [world["1004"], world["1005"], world["1003"]]
    first = view.queue.index(0, 0).data()
    assert first.startswith("1004  Zofia Lewandowska") and "POBRANIE 123,45" in first
    assert view.queue_label.text() == "Do spakowania: 3"
    # the oldest comes up first, with its delivery and the cash-on-delivery amount in sight
    assert view.current_order_id == world["1004"]
    assert view.card.number_label.text() == "Zamówienie 1004"
    assert view.card.buyer_label.text() == "Zofia Lewandowska"
    assert view.card.delivery_label.text() == "ul. Długa 5/12, 31-147 Łódź"
    assert view.card.cod_label.isVisible() and view.card.cod_label.text() == "POBRANIE 123,45 zł"
    assert view.card.items_model.rowCount() == 2
    assert view.card.items_model.index(0, 3).data() == "2"
    assert view.pack_button.isEnabled()


def test_enter_packs_current_parcel_and_shows_the_next(qtbot, view: PackingView, orders: OrderFactory,
                                                       printer: FakePrinter, world: dict[str, int]) -> None:
    first, second = world["1004"], world["1005"]
    with qtbot.waitSignal(view.sig_packed, timeout=5000) as packed:
        press_enter(qtbot, view)
    assert packed.args == [first]
    assert orders.stage_of(first) == Stage.PACKED.value
    assert len(printer.jobs) == 1 and "1004" in printer.jobs[0]
    assert view.status_line.kind is StatusKind.OK
    assert view.status_line.text().startswith("Spakowano zamówienie 1004 — etykieta: ")
    qtbot.waitUntil(lambda: view.card.parcel is not None and view.card.parcel.id == second, timeout=3000)
    assert view.card.number_label.text() == "Zamówienie 1005"
    assert not view.card.cod_label.isVisible()
    qtbot.waitUntil(lambda: view.queue.ids() == [second, world["1003"]], timeout=3000)
    assert view.pack_button.isEnabled()

    with qtbot.waitSignal(view.sig_packed, timeout=5000):  # the keypad Enter does the same
        press_enter(qtbot, view, keypad=True)
    assert orders.stage_of(second) == Stage.PACKED.value


def test_button_is_disabled_while_printing_so_double_press_packs_once(
        qtbot, view: PackingView, printer: FakePrinter, world: dict[str, int]) -> None:
    printer.hold = threading.Event()
    press_enter(qtbot, view)
    qtbot.waitUntil(lambda: view.busy, timeout=2000)
    assert not view.pack_button.isEnabled()
    assert view.status_line.kind is StatusKind.BUSY
    press_enter(qtbot, view)
    view.pack_button.click()
    with qtbot.waitSignal(view.sig_packed, timeout=5000):
        printer.hold.set()
    assert len(printer.jobs) == 1


def test_printer_failure_keeps_parcel_and_shows_red_reason(qtbot, view: PackingView, orders: OrderFactory,
                                                           printer: FakePrinter, world: dict[str, int]) -> None:
    printer.fail = True
    current = view.current_order_id
    with qtbot.waitSignal(view.sig_pack_failed, timeout=5000):
        view.pack_button.click()
    assert view.status_line.kind is StatusKind.ERROR
    assert "Nie spakowano zamówienia 1004" in view.status_line.text()
    assert "Drukarka nie odpowiada" in view.status_line.text()
    assert orders.stage_of(current) == Stage.READY_TO_PACK.value
    assert view.current_order_id == current
    assert view.pack_button.isEnabled()

    printer.fail = False  # the paper is back: the same press now works
    with qtbot.waitSignal(view.sig_packed, timeout=5000):
        view.pack_button.click()
    assert orders.stage_of(current) == Stage.PACKED.value


def test_scanning_an_order_number_opens_that_parcel(qtbot, view: PackingView, world: dict[str, int]) -> None:
    with qtbot.waitSignal(view.sig_parcel_shown, timeout=3000) as shown:
        qtbot.keyClicks(view.scan, "1003")
        press_enter(qtbot, view)
    assert shown.args == [world["1003"]]
    assert view.card.number_label.text() == "Zamówienie 1003"
    assert view.scan.text() == ""
    assert view.queue_view.currentIndex().row() == 2


def test_scanning_an_order_not_ready_explains_why(qtbot, view: PackingView, world: dict[str, int]) -> None:
    current = view.current_order_id
    for code, expected in (("1001", "nie czeka na spakowanie (etap: Spakowane)"),
                           ("9999", "Nie znaleziono zamówienia „9999”")):
        qtbot.keyClicks(view.scan, code)
        press_enter(qtbot, view)
        qtbot.waitUntil(lambda expected=expected: expected in view.status_line.text(), timeout=3000)
        assert view.status_line.kind is StatusKind.ERROR
    assert view.current_order_id == current


def test_new_ready_parcel_joins_the_queue_live(qtbot, view: PackingView, orders: OrderFactory,
                                               context: ConsoleContext, world: dict[str, int]) -> None:
    new_id = orders.add(stage=Stage.READY_TO_PACK, steps=ready_steps(), number="2003", paid_minutes=500)
    with qtbot.waitSignal(view.queue.rowsInserted, timeout=3000) as inserted:
        publish_from_thread(context.bus, new_id)
    assert inserted.args[1:] == [3, 3]  # paid last: at the end
    assert view.queue_label.text() == "Do spakowania: 4"


def test_empty_queue_says_so(qtbot, qtmodeltester, context: ConsoleContext) -> None:
    bridge = EngineBridge(context.bus)
    screen = PackingView(context, bridge)
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: screen.queue.is_loaded, timeout=3000)
    assert screen.card.showing_empty
    assert screen.card.empty_label.text() == "Brak paczek do spakowania"
    assert not screen.pack_button.isEnabled()
    qtmodeltester.check(screen.queue)
    model = PackingQueueModel(context.session_factory)
    qtmodeltester.check(model)
    bridge.close()


def test_hidden_the_queue_is_read_when_shown(qtbot, view: PackingView) -> None:  # noqa: ANN001
    """Behind another screen the engine's changes are noted, not read; shown again, the queue is
    read once."""
    view.hide()
    for order_id in range(20):
        view._test_bridge.sig_orders_changed.emit([order_id])
    view._coalescer._flush()  # the coalescer's timer ends
    assert view._stale and not view.queue._reading
    with qtbot.waitSignal(view.queue.sig_refreshed, timeout=3000):
        view.show()
    assert not view._stale
