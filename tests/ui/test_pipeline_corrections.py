"""Corrections under their order in the pipeline: the Korekty column (number, value, state), the
"Korekty" filter, and each refund with its corrections in the order's panel (its PDF opens)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from linkoptima_gui.core.domain.steps import Step, StepState
from linkoptima_gui.ui.bridge import EngineBridge
from linkoptima_gui.ui.context import ConsoleContext
from linkoptima_gui.ui.pipeline import Column, PipelineView
from linkoptima_gui.ui.pipeline.columns import StateRole

from .conftest import OrderFactory, publish_from_thread
from .refund_helpers import add_refund

DONE, FAILED = StepState.DONE.value, StepState.FAILED.value
EMAILED = {Step.KOREKTA: DONE, Step.KOREKTA_ZWROT: DONE, Step.KOREKTA_EMAIL: DONE}


@pytest.fixture
def refunded(orders: OrderFactory, world: dict[str, int]) -> dict[str, int]:
    packed, cod = world["1001"], world["1002"]
    add_refund(orders, packed, 212, amount="84.88", steps=EMAILED, number="FAKI/3/2026", pdf=b"%PDF-1.4 korekta")
    add_refund(orders, cod, 301, amount="20.00", steps={Step.KOREKTA: DONE, Step.KOREKTA_ZWROT: DONE},
               number="FAKI/4/2026")
    add_refund(orders, cod, 302, amount="150.00", steps={Step.KOREKTA: FAILED}, code="refund_too_large",
               message="Zwrot 302: 2 szt. KUB-001, a na fakturze po korektach zostało 1.",
               details={"refund_id": 302, "amount": "150.00"})
    return {"packed": packed, "cod": cod}


@pytest.fixture
def view(qtbot, context: ConsoleContext, refunded: dict[str, int]) -> PipelineView:
    bridge = EngineBridge(context.bus)
    opened: list[Path] = []
    screen = PipelineView(context, bridge)
    screen.timeline._open_file = opened.append
    screen._opened = opened
    screen._test_bridge = bridge
    qtbot.addWidget(screen)
    screen.resize(1366, 700)
    screen.show()
    qtbot.waitUntil(lambda: screen.model.is_loaded, timeout=3000)
    yield screen
    bridge.close()


def cell(view: PipelineView, order_id: int, role: int = Qt.ItemDataRole.DisplayRole) -> object:
    return view.model.index(view.model.row_of(order_id), Column.KOREKTY).data(role)


def test_the_korekty_column_shows_number_value_and_state(qtbot, qtmodeltester, view: PipelineView,
                                                         refunded: dict[str, int], world: dict[str, int]) -> None:
    qtbot.waitUntil(lambda: cell(view, refunded["packed"]) != None, timeout=3000)  # noqa: E711
    qtmodeltester.check(view.model)
    assert view.model.headerData(Column.KOREKTY, Qt.Orientation.Horizontal) == "Korekty"
    assert cell(view, refunded["packed"]) == "FAKI/3/2026 −84,88\u00a0zł".replace("\u00a0", " ")
    assert cell(view, refunded["packed"], StateRole) == "emailed"
    assert cell(view, refunded["cod"]) == "FAKI/4/2026 −20,00 zł (+1)"
    assert cell(view, refunded["cod"], StateRole) == "problem"  # one refund of two is stuck
    tip = str(cell(view, refunded["cod"], Qt.ItemDataRole.ToolTipRole))
    assert "pieniądze zwrócone" in tip and "zwrot −150,00 zł — problem" in tip and "zostało 1" in tip
    assert cell(view, world["1003"]) == "" and cell(view, world["1003"], Qt.ItemDataRole.BackgroundRole) is None


def test_the_korekty_filter_keeps_orders_with_refunds(qtbot, qtmodeltester, view: PipelineView,
                                                      refunded: dict[str, int]) -> None:
    with qtbot.waitSignal(view.proxy.sig_filtered, timeout=3000):
        view.refunds_filter.setChecked(True)
    shown = {view.model.order_id(view.proxy.mapToSource(view.proxy.index(r, 0)).row())
             for r in range(view.proxy.rowCount())}
    assert shown == set(refunded.values())
    qtmodeltester.check(view.proxy)
    with qtbot.waitSignal(view.proxy.sig_filtered, timeout=3000):
        view.refunds_filter.setChecked(False)
    assert view.proxy.rowCount() == view.model.rowCount()


def test_the_panel_lists_each_refund_and_opens_its_correction(qtbot, view: PipelineView, orders: OrderFactory,
                                                              context: ConsoleContext,
                                                              refunded: dict[str, int]) -> None:
    panel = view.timeline
    with qtbot.waitSignal(panel.sig_shown, timeout=3000):
        panel.show_order(refunded["cod"])
    assert panel.refunds.isVisible() and panel.refunds.count() == 2
    texts = [panel.refunds.item(r).text() for r in range(2)]
    assert texts[0].startswith("Zwrot 301 · 20,00 zł · FAKI/4/2026 −20,00 zł · pieniądze zwrócone")
    assert "problem" in texts[1] and "zostało 1" in texts[1]
    assert panel.correction_button.isVisible() and not panel.correction_button.isEnabled()  # no PDF yet

    with qtbot.waitSignal(panel.sig_shown, timeout=3000):
        panel.show_order(refunded["packed"])
    assert panel.refunds.count() == 1 and "wysłana klientowi" in panel.refunds.item(0).text()
    assert panel.correction_button.isEnabled()
    panel.correction_button.click()
    qtbot.waitUntil(lambda: len(view._opened) == 1, timeout=3000)
    assert view._opened[0].read_bytes() == b"%PDF-1.4 korekta"

    # a refund booked later shows without reselecting the order
    add_refund(orders, refunded["packed"], 213, amount="10.00", steps={Step.KOREKTA: StepState.PENDING.value})
    with qtbot.waitSignal(panel.sig_shown, timeout=3000):
        publish_from_thread(context.bus, refunded["packed"])
    assert panel.refunds.count() == 2 and "czeka na korektę" in panel.refunds.item(1).text()

    with qtbot.waitSignal(panel.sig_shown, timeout=3000):
        panel.show_order(orders.created["1003"])
    assert not panel.refunds.isVisible() and not panel.correction_button.isVisible()
