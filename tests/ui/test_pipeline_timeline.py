"""Selecting an order in the pipeline shows its history (the audit log) and opens its documents."""

from __future__ import annotations

from pathlib import Path

from linkoptima_gui.core.engine import audit
from linkoptima_gui.core.store.documents import INVOICE_PDF, keep_document
from linkoptima_gui.ui.bridge import EngineBridge
from linkoptima_gui.ui.context import ConsoleContext
from linkoptima_gui.ui.pipeline import PipelineView
from linkoptima_gui.ui.pipeline.timeline import TimelinePanel

from .conftest import OrderFactory, publish_from_thread


def test_selection_shows_the_history_and_opens_the_label(qtbot, context: ConsoleContext, orders: OrderFactory,
                                                        world: dict[str, int]) -> None:
    order_id = world["1003"]
    with context.session_factory.begin() as session:
        audit.record(session, "received", "Nowe zamówienie 1003 (PayU)", order_id=order_id)
        audit.record(session, "step_done", "Faktura FA/3/2026", order_id=order_id, step="fa")
    opened: list[Path] = []
    bridge = EngineBridge(context.bus)
    view = PipelineView(context, bridge)
    view.timeline._open_file = opened.append
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.model.is_loaded, timeout=3000)
    row = next(r for r in range(view.proxy.rowCount())
               if view.model.order_id(view.proxy.mapToSource(view.proxy.index(r, 0)).row()) == order_id)
    with qtbot.waitSignal(view.timeline.sig_shown, timeout=3000):
        view.table.selectRow(row)
    lines = [view.timeline.events.item(i).text() for i in range(view.timeline.events.count())]
    assert view.timeline.title.text() == "Historia zamówienia 1003"
    assert lines[0].endswith("Nowe zamówienie 1003 (PayU)") and "FA  Faktura FA/3/2026" in lines[1]
    assert view.timeline.label_button.isEnabled() and not view.timeline.invoice_button.isEnabled()
    view.timeline.label_button.click()  # the engine's own file, on this computer
    qtbot.waitUntil(lambda: opened == [orders.label_file], timeout=3000)

    with context.session_factory.begin() as session:  # on another computer: the store's copy
        keep_document(session, order_id, INVOICE_PDF, "FA_3_2026.pdf", b"%PDF-1.4 faktura")
    with qtbot.waitSignal(view.timeline.sig_shown, timeout=3000):
        publish_from_thread(context.bus, order_id)
    assert view.timeline.invoice_button.isEnabled()
    view.timeline.invoice_button.click()
    qtbot.waitUntil(lambda: len(opened) == 2, timeout=3000)
    assert opened[1].read_bytes() == b"%PDF-1.4 faktura" and opened[1].name == f"invoice_pdf-{order_id}.pdf"

    with context.session_factory.begin() as session:  # the engine writes more: the panel follows
        audit.record(session, "packed", "Spakowano", order_id=order_id, actor="ala")
    with qtbot.waitSignal(view.timeline.sig_shown, timeout=3000):
        publish_from_thread(context.bus, order_id)
    assert view.timeline.events.item(view.timeline.events.count() - 1).text().endswith("Spakowano  (ala)")
    bridge.close()


def test_panel_alone_for_a_missing_order(qtbot, context: ConsoleContext) -> None:
    panel = TimelinePanel(context.session_factory)
    qtbot.addWidget(panel)
    panel.show_order(99999)
    qtbot.waitUntil(lambda: panel.title.text() == "Nie ma już tego zamówienia.", timeout=3000)
    assert panel.events.count() == 0 and not panel.label_button.isEnabled()
