"""The "Wydruki" screen: search by number, name (any letter case, Polish letters too), e-mail or
tracking number; reprint the label or the invoice; the audit log records who did it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from linkoptima_gui.core.domain.steps import Stage
from linkoptima_gui.core.store.models import AuditEvent
from linkoptima_gui.ui.context import ConsoleContext
from linkoptima_gui.ui.reprint import ReprintView

from .conftest import ALL_DONE, FakePrinter, OrderFactory


@pytest.fixture
def view(qtbot, context: ConsoleContext, orders: OrderFactory, tmp_path: Path) -> ReprintView:
    invoice = tmp_path / "FA_1_2026.pdf"
    invoice.write_bytes(b"%PDF-1.4 invoice\n")
    orders.add(stage=Stage.PACKED, steps=ALL_DONE, buyer="Łukasz Żółtowski", email="lukasz@example.pl",
               number="2001")
    orders.set_step(orders.created["2001"], next(iter(ALL_DONE)), "done", invoice_pdf=str(invoice))
    orders.add(stage=Stage.PACKED, steps=ALL_DONE, buyer="Anna Nowak", number="2002")
    screen = ReprintView(context)
    qtbot.addWidget(screen)
    screen.show()
    return screen


def search(qtbot, view: ReprintView, text: str) -> int:
    with qtbot.waitSignal(view.sig_results, timeout=3000) as found:
        view.search.setText(text)
        view.run_search()
    return found.args[0]


def test_search_by_each_key(qtbot, view: ReprintView, orders: OrderFactory, qtmodeltester) -> None:
    assert search(qtbot, view, "łukasz") == 1  # lower case finds "Łukasz"
    assert view.model.index(0, 0).data() == "2001"
    qtmodeltester.check(view.model)
    assert search(qtbot, view, "LUKASZ@EXAMPLE") == 1
    assert search(qtbot, view, "#2002") == 1
    tracking = view.model.hit(0).tracking_number
    assert tracking and search(qtbot, view, tracking) == 1 and view.model.hit(0).number == "2002"
    assert search(qtbot, view, "nikt-taki") == 0
    assert "Nic nie znaleziono" in view.status_line.text()
    assert not view.label_button.isEnabled()


def test_reprint_label_and_invoice_with_audit(qtbot, view: ReprintView, orders: OrderFactory,
                                              printer: FakePrinter, context: ConsoleContext) -> None:
    search(qtbot, view, "2001")
    assert view.label_button.isEnabled() and view.invoice_button.isEnabled()
    with qtbot.waitSignal(view.sig_printed, timeout=5000) as printed:
        view.label_button.click()
    assert printed.args[1] is True and printer.jobs[-1].startswith("kopia-etykiety-2001")
    with qtbot.waitSignal(view.sig_printed, timeout=5000) as printed:
        view.invoice_button.click()
    assert printed.args[1] is True and printer.jobs[-1].startswith("kopia-faktury-FA_")
    with context.session_factory() as session:
        rows = session.execute(select(AuditEvent.kind, AuditEvent.actor)
                               .where(AuditEvent.order_id == orders.created["2001"])).all()
    assert ("reprint_label", "tester") in rows and ("reprint_invoice", "tester") in rows

    search(qtbot, view, "2002")  # no invoice PDF yet: that button stays off
    assert view.label_button.isEnabled() and not view.invoice_button.isEnabled()
    printer.fail = True
    with qtbot.waitSignal(view.sig_printed, timeout=5000) as printed:
        view.label_button.click()
    assert printed.args[1] is False and "Drukarka nie odpowiada" in view.status_line.text()
