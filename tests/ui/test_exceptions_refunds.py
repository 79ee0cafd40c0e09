"""Correction problems on the "Wyjątki" screen: under their own heading, with the refund's id and
figures; retry and skip under the manager's PIN act on that refund's job, not another's."""

from __future__ import annotations

from sqlalchemy import select

from linkoptima_gui.core.config.manager_pin import ManagerPin
from linkoptima_gui.core.domain.steps import Stage, Step, StepState
from linkoptima_gui.core.store.models import JobRow
from linkoptima_gui.ui.bridge import EngineBridge
from linkoptima_gui.ui.context import ConsoleContext
from linkoptima_gui.ui.exceptions import ExceptionsView
from linkoptima_gui.ui.exceptions.model import ExcColumn

from .conftest import ALL_DONE, DONE, FAILED, OrderFactory
from .refund_helpers import add_refund


def refund_states(context: ConsoleContext, order_id: int) -> dict[str, str]:
    with context.session_factory() as session:
        return {j.identity_key.rsplit(":", 1)[1]: j.state for j in session.scalars(
            select(JobRow).where(JobRow.order_id == order_id, JobRow.step == Step.KOREKTA.value))}


def test_correction_problems_are_grouped_with_their_figures_and_acted_on_by_refund(
        qtbot, qtmodeltester, context: ConsoleContext, orders: OrderFactory) -> None:
    packed = dict(ALL_DONE, **{Step.PACKED: DONE})
    order = orders.add(stage=Stage.PACKED, steps=packed, buyer="Anna Kowalska", number="4001")
    other = orders.add(stage=Stage.EXCEPTION, steps={**ALL_DONE, Step.WZ: FAILED}, number="4002")
    with orders.sessions.begin() as session:
        job = session.scalar(select(JobRow).where(JobRow.order_id == other, JobRow.step == Step.WZ.value))
        job.error_code, job.error_message = "insufficient_stock", "Za mało towaru"
    add_refund(orders, order, 11, steps={Step.KOREKTA: DONE}, number="FAKI/1/2026")
    add_refund(orders, order, 12, amount="90.00", steps={Step.KOREKTA: FAILED}, code="refund_amount_mismatch",
               message="Zwrot 12: kwota 90.00 zł, a pozycje zwrotu po cenach faktury to 84.88 zł.",
               details={"refund_id": 12, "amount": "90.00", "expected": "84.88"})
    add_refund(orders, order, 13, amount="500.00", steps={Step.KOREKTA: FAILED}, code="refund_amount_only",
               message="Zwrot 13 na 500.00 zł nie wskazuje pozycji.",
               details={"refund_id": 13, "amount": "500.00", "left": "129.99"})
    assert context.secrets is not None
    ManagerPin(context.secrets).set("2580")
    screen = ExceptionsView(context, EngineBridge(context.bus), ask_reason=lambda _question: "korekta ręczna",
                            ask_pin=lambda _question: "2580")
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 3, timeout=3000)
    qtmodeltester.check(screen.model)

    rows = {screen.model.entry(r).refund_id: r for r in range(3)}
    assert set(rows) == {12, 13, None}
    model = screen.model
    assert model.index(rows[12], ExcColumn.GROUP).data() == "Korekty i zwroty"
    assert model.index(rows[13], ExcColumn.GROUP).data() == "Korekty i zwroty"
    assert model.index(rows[None], ExcColumn.GROUP).data() == "Brak towaru w magazynie"
    assert model.index(rows[12], ExcColumn.STEP).data() == "KOREKTA (zwrot 12)"
    reason = model.index(rows[12], ExcColumn.REASON).data()
    assert "kwota zwrotu 90,00 zł; po cenach faktury 84,88 zł" in reason
    assert "zostało na fakturze 129,99 zł" in model.index(rows[13], ExcColumn.REASON).data()
    assert "Korekty i zwroty: 2" in screen.summary.text()

    screen.table.selectRow(rows[13])
    with qtbot.waitSignal(screen.sig_acted, timeout=5000) as acted:
        screen.skip_button.click()
    assert acted.args[1] is True
    assert refund_states(context, order) == {"11": DONE, "12": FAILED, "13": StepState.SKIPPED.value}

    qtbot.waitUntil(lambda: screen.model.rowCount() == 2, timeout=3000)
    row = next(r for r in range(2) if screen.model.entry(r).refund_id == 12)
    screen.table.selectRow(row)
    with qtbot.waitSignal(screen.sig_acted, timeout=5000) as acted:
        screen.retry_button.click()
    assert acted.args[1] is True
    assert refund_states(context, order) == {"11": DONE, "12": StepState.PENDING.value,
                                             "13": StepState.SKIPPED.value}
