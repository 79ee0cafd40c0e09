"""Reprinting a correction PDF on the "Wydruki" screen: the order's refunds with a kept PDF are
offered (the latest first chosen), the copy goes to the document printer and into the audit log."""

from __future__ import annotations

from sqlalchemy import select

from linkoptima_gui.core.domain.steps import Stage, Step, StepState
from linkoptima_gui.core.store.models import AuditEvent
from linkoptima_gui.ui.context import ConsoleContext
from linkoptima_gui.ui.reprint import ReprintView

from .conftest import ALL_DONE, FakePrinter, OrderFactory
from .refund_helpers import add_refund

DONE = StepState.DONE.value
EMAILED = {Step.KOREKTA: DONE, Step.KOREKTA_ZWROT: DONE, Step.KOREKTA_EMAIL: DONE}


def test_a_correction_is_reprinted_with_its_number_in_the_audit(qtbot, context: ConsoleContext, orders: OrderFactory,
                                                                printer: FakePrinter) -> None:
    order = orders.add(stage=Stage.PACKED, steps=ALL_DONE, buyer="Anna Nowak", number="2101")
    plain = orders.add(stage=Stage.PACKED, steps=ALL_DONE, buyer="Jan Nowak", number="2102")
    add_refund(orders, order, 31, steps=EMAILED, number="FAKI/1/2026", pdf=b"%PDF-1.4 pierwsza")
    add_refund(orders, order, 32, steps=EMAILED, number="FAKI/2/2026", pdf=b"%PDF-1.4 druga")
    add_refund(orders, order, 33, steps={Step.KOREKTA: StepState.PENDING.value})  # not booked yet: no PDF
    screen = ReprintView(context)
    qtbot.addWidget(screen)
    screen.show()

    with qtbot.waitSignal(screen.sig_results, timeout=3000):
        screen.search.setText("2101")
        screen.run_search()
    assert screen.correction_button.isVisible() and screen.correction_button.isEnabled()
    assert [screen.correction_choice.itemText(i) for i in range(screen.correction_choice.count())] == [
        "FAKI/1/2026", "FAKI/2/2026"]
    assert screen.correction_choice.currentText() == "FAKI/2/2026"
    screen.correction_choice.setCurrentIndex(0)
    with qtbot.waitSignal(screen.sig_printed, timeout=5000) as printed:
        screen.correction_button.click()
    assert printed.args == [f"Korekta FAKI/1/2026 wydrukowana ponownie: {printer.folder / printer.jobs[-1]}.pdf",
                            True]
    assert printer.jobs[-1].startswith("kopia-korekty-FAKI_1_2026")
    assert (printer.folder / f"{printer.jobs[-1]}.pdf").read_bytes() == b"%PDF-1.4 pierwsza"
    with context.session_factory() as session:
        audit = session.scalars(select(AuditEvent).where(AuditEvent.kind == "reprint_correction")).one()
        assert (audit.order_id, audit.actor) == (order, "tester") and "FAKI/1/2026" in audit.message

    with qtbot.waitSignal(screen.sig_results, timeout=3000):
        screen.search.setText("2102")
        screen.run_search()
    assert screen.model.hit(0).id == plain
    assert not screen.correction_button.isVisible()
