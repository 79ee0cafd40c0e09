"""The packing station's extras: "scan every item" mode, undo of the last pack, reprint of the
last label, and a configurable pack key."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from linkoptima_gui.core.domain.steps import Stage
from linkoptima_gui.ui.context import ConsoleContext
from linkoptima_gui.ui.packing import PackingView
from linkoptima_gui.ui.packing.widgets import ItemColumn, StatusKind

from .conftest import FakePrinter, OrderFactory, open_packing_view

MUG, TEA, FOREIGN = "5901234123457", "5901234123464", "4006381333931"


def scan(qtbot, view: PackingView, code: str) -> None:
    view.scan.setText(code)
    qtbot.keyClick(view.scan, Qt.Key.Key_Return)


def test_scan_every_item_mode(qtbot, context: ConsoleContext, world: dict[str, int], printer: FakePrinter,
                              qtmodeltester) -> None:
    context.verify_eans = True
    view = open_packing_view(qtbot, context)
    items = view.card.items_model
    assert not view.card.items_view.isColumnHidden(ItemColumn.SCANNED)
    assert items.index(0, ItemColumn.SCANNED).data() == "0/2"
    assert not view.pack_button.isEnabled()
    qtbot.keyClick(view.scan, Qt.Key.Key_Return)  # Enter before scanning: a warning, nothing printed
    assert view.status_line.kind is StatusKind.ERROR and printer.jobs == []

    with qtbot.waitSignal(view.sig_item_checked) as checked:
        scan(qtbot, view, FOREIGN)
    assert checked.args == ["wrong_item"]
    assert view.status_line.kind is StatusKind.ERROR and "NIE MA W ZAMÓWIENIU" in view.status_line.text()
    scan(qtbot, view, MUG)
    scan(qtbot, view, MUG)
    assert items.index(0, ItemColumn.SCANNED).data() == "2/2"
    scan(qtbot, view, MUG)
    assert "ZA DUŻO" in view.status_line.text() and not view.pack_button.isEnabled()
    with qtbot.waitSignal(view.sig_item_checked) as checked:
        scan(qtbot, view, TEA)
    assert checked.args == ["parcel_done"] and view.pack_button.isEnabled()
    qtmodeltester.check(items)
    with qtbot.waitSignal(view.sig_packed, timeout=5000):
        qtbot.keyClick(view.scan, Qt.Key.Key_Return)
    assert len(printer.jobs) == 1
    qtbot.waitUntil(lambda: view.card.parcel is not None and view.card.parcel.id == world["1005"], timeout=3000)
    assert not view.pack_button.isEnabled()  # the next parcel starts unscanned
    # an order number typed in this mode still opens that parcel
    with qtbot.waitSignal(view.sig_parcel_shown, timeout=3000) as shown:
        scan(qtbot, view, "1003")
    assert shown.args == [world["1003"]]


def test_undo_and_reprint_the_last_parcel(qtbot, context: ConsoleContext, world: dict[str, int],
                                          orders: OrderFactory, printer: FakePrinter) -> None:
    view = open_packing_view(qtbot, context)
    bar = view.after_pack
    assert not bar.undo_button.isEnabled() and not bar.reprint_button.isEnabled()
    first = view.current_order_id
    with qtbot.waitSignal(view.sig_packed, timeout=5000):
        qtbot.keyClick(view.scan, Qt.Key.Key_Return)
    assert bar.undo_button.isEnabled() and "1004" in bar.undo_button.text()

    with qtbot.waitSignal(bar.sig_done, timeout=5000) as done:
        qtbot.keyClick(view.scan, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert done.args[1] is True and len(printer.jobs) == 2 and printer.jobs[1].startswith("kopia-etykiety-1004")

    with qtbot.waitSignal(bar.sig_undone, timeout=5000):
        qtbot.keyClick(view.scan, Qt.Key.Key_F8)
    assert orders.stage_of(first) == Stage.READY_TO_PACK.value
    assert "Cofnięto spakowanie zamówienia 1004" in view.status_line.text()
    qtbot.waitUntil(lambda: first in view.queue.ids(), timeout=3000)
    assert not bar.undo_button.isEnabled()


def test_undo_window_closes(qtbot, context: ConsoleContext, world: dict[str, int]) -> None:
    context.packing.undo_seconds = 0.2
    view = open_packing_view(qtbot, context)
    with qtbot.waitSignal(view.sig_packed, timeout=5000):
        qtbot.keyClick(view.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not view.after_pack.undo_button.isEnabled(), timeout=3000)
    assert view.after_pack.reprint_button.isEnabled()  # a reprint stays possible


@pytest.mark.parametrize("key", ["F12"])
def test_configured_pack_key(qtbot, context: ConsoleContext, world: dict[str, int], key: str) -> None:
    context.pack_key = key
    view = open_packing_view(qtbot, context)
    with qtbot.waitSignal(view.sig_packed, timeout=5000):
        qtbot.keyClick(view.scan, Qt.Key.Key_F12)
