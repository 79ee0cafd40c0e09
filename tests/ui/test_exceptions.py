"""The "Wyjątki" screen: problems grouped by reason with the data to fix them; retry (one or a
whole group), skip a step or cancel an order, each with who and why in the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from linkoptima_gui.core.config.manager_pin import ManagerPin
from linkoptima_gui.core.domain.steps import Stage, Step
from linkoptima_gui.core.store.models import AuditEvent, JobRow
from linkoptima_gui.ui.bridge import EngineBridge
from linkoptima_gui.ui.context import ConsoleContext
from linkoptima_gui.ui.exceptions import ExceptionsView
from linkoptima_gui.ui.exceptions.model import ExcColumn

from .conftest import ALL_DONE, FAILED, OrderFactory, ready_steps


def fail(orders: OrderFactory, order_id: int, step: Step, code: str, message: str) -> None:
    with orders.sessions.begin() as session:
        session.execute(update(JobRow).where(JobRow.order_id == order_id, JobRow.step == step.value)
                        .values(state=FAILED, error_code=code, error_message=message))


@pytest.fixture
def problems(orders: OrderFactory) -> dict[str, int]:
    ids = {}
    for number, buyer in (("3001", "Anna Kowalska"), ("3002", "Jan Nowak")):
        ids[number] = orders.add(stage=Stage.READY_TO_PACK, steps=ready_steps(), buyer=buyer, number=number)
        fail(orders, ids[number], Step.EMAIL, "email_refused", f"Serwer odrzucił adres klient{number}@example.pl")
    ids["3003"] = orders.add(stage=Stage.EXCEPTION, steps={**ALL_DONE, Step.WZ: FAILED, Step.PACKED: "pending"},
                             buyer="Hurtownia Orzeł", number="3003")
    fail(orders, ids["3003"], Step.WZ, "insufficient_stock", "Za mało towaru: KUB-001 (potrzeba 2, jest 1)")
    return ids


@pytest.fixture
def view(qtbot, context: ConsoleContext, problems: dict[str, int]) -> ExceptionsView:
    bridge = EngineBridge(context.bus)
    screen = ExceptionsView(context, bridge, ask_reason=lambda _question: "sprawdzone telefonicznie")
    screen._bridge = bridge
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 3, timeout=3000)
    return screen


def actors(context: ConsoleContext, order_id: int) -> list[tuple[str, str]]:
    with context.session_factory() as session:
        return [tuple(r) for r in session.execute(select(AuditEvent.kind, AuditEvent.actor)
                                                  .where(AuditEvent.order_id == order_id))]


def job_state(context: ConsoleContext, order_id: int, step: Step) -> str:
    with context.session_factory() as session:
        return session.scalar(select(JobRow.state).where(JobRow.order_id == order_id, JobRow.step == step.value))


def test_grouped_by_reason_with_the_data_to_fix_it(view: ExceptionsView, qtmodeltester) -> None:
    qtmodeltester.check(view.model)
    groups = [view.model.index(r, ExcColumn.GROUP).data() for r in range(3)]
    assert groups.count("E-mail") == 2 and "Brak towaru w magazynie" in groups
    assert groups[0] == groups[1] or groups[1] == groups[2]  # a group's rows stay together
    reasons = [view.model.index(r, ExcColumn.REASON).data() for r in range(3)]
    assert "Za mało towaru: KUB-001 (potrzeba 2, jest 1)" in reasons
    assert "Do wyjaśnienia: 3" in view.summary.text()
    assert view.table.horizontalHeader().resizeContentsPrecision() == 40  # never measures every row


def test_retry_one_and_retry_a_group(qtbot, view: ExceptionsView, context: ConsoleContext,
                                     problems: dict[str, int]) -> None:
    row = next(r for r in range(3) if view.model.entry(r).number == "3003")
    view.table.selectRow(row)
    with qtbot.waitSignal(view.sig_acted, timeout=5000) as acted:
        view.retry_button.click()
    assert acted.args[1] is True
    assert job_state(context, problems["3003"], Step.WZ) == "pending"
    assert ("manual_retry", "tester") in actors(context, problems["3003"])
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=3000)

    view.table.selectRow(0)  # both e-mail problems: one press, with progress on the way
    progress: list[tuple[int, int]] = []
    view.sig_progress.connect(lambda done, total: progress.append((done, total)))
    with qtbot.waitSignal(view.sig_acted, timeout=5000) as acted:
        view.retry_group_button.click()
    qtbot.waitUntil(lambda: progress == [(1, 2), (2, 2)], timeout=3000)
    assert acted.args[1] is True
    assert {job_state(context, problems[n], Step.EMAIL) for n in ("3001", "3002")} == {"pending"}
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=3000)


def test_skip_and_cancel_ask_why(qtbot, view: ExceptionsView, context: ConsoleContext,
                                 problems: dict[str, int]) -> None:
    row = next(r for r in range(3) if view.model.entry(r).number == "3001")
    view.table.selectRow(row)
    with qtbot.waitSignal(view.sig_acted, timeout=5000):
        view.skip_button.click()
    assert job_state(context, problems["3001"], Step.EMAIL) == "skipped"
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=3000)

    row = next(r for r in range(2) if view.model.entry(r).number == "3003")
    view.table.selectRow(row)
    with qtbot.waitSignal(view.sig_acted, timeout=5000):
        view.cancel_button.click()
    with context.session_factory() as session:
        message = session.scalars(select(AuditEvent.message).where(AuditEvent.order_id == problems["3003"],
                                                                   AuditEvent.kind == "manual_cancel")).one()
    assert "sprawdzone telefonicznie" in message
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=3000)

    view._ask_reason = lambda _question: None  # the manager closed the dialog: nothing happens
    view.table.selectRow(0)
    view.cancel_button.click()
    assert job_state(context, problems["3002"], Step.EMAIL) == "failed"


def test_fix_and_retry_maps_the_sku_for_every_order_stopped_on_it(qtbot, context: ConsoleContext,
                                                                   orders: OrderFactory) -> None:
    ids = [orders.add(stage=Stage.EXCEPTION, steps={**ALL_DONE, Step.FA: FAILED}, number=n) for n in ("4001", "4002")]
    for order_id in ids:
        with orders.sessions.begin() as session:
            session.execute(update(JobRow).where(JobRow.order_id == order_id, JobRow.step == Step.FA.value).values(
                state=FAILED, error_code="unknown_sku", error_message="Nie ma w Optimie towaru o kodzie „SKLEP-1”",
                error_details={"sku": "SKLEP-1", "name": "Kubek"}))
    screen = ExceptionsView(context, EngineBridge(context.bus), ask_reason=lambda _question: " KUB-001 ")
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 2, timeout=3000)
    screen.table.selectRow(0)
    assert screen.fix_button.isEnabled()

    with qtbot.waitSignal(screen.sig_acted, timeout=5000) as acted:
        screen.fix_button.click()

    assert acted.args == ["„SKLEP-1” to w Optimie „KUB-001”: ponowiono zamówienia z tym towarem", True]
    assert {job_state(context, order_id, Step.FA) for order_id in ids} == {"pending"}
    assert all(("manual_fix", "tester") in actors(context, order_id) for order_id in ids)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 0, timeout=3000)


def test_fix_is_offered_only_where_there_is_something_to_fix(view: ExceptionsView) -> None:
    for row in range(view.model.rowCount()):  # e-mail refused, stock short: retry, skip or cancel
        view.table.selectRow(row)
        assert not view.fix_button.isEnabled()


def test_manager_actions_ask_for_the_pin_when_one_is_set(qtbot, context: ConsoleContext,
                                                         problems: dict[str, int]) -> None:
    assert context.secrets is not None
    ManagerPin(context.secrets).set("2580")
    answers = iter(["0000", "2580"])
    screen = ExceptionsView(context, EngineBridge(context.bus), ask_reason=lambda _question: "za zgodą kierownika",
                            ask_pin=lambda _question: next(answers))
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 3, timeout=3000)
    row = next(r for r in range(3) if screen.model.entry(r).number == "3001")
    screen.table.selectRow(row)

    with qtbot.waitSignal(screen.sig_acted, timeout=3000) as refused:
        screen.skip_button.click()  # wrong PIN: nothing happens
    assert refused.args == ["Błędny PIN", False]
    assert job_state(context, problems["3001"], Step.EMAIL) == "failed"

    with qtbot.waitSignal(screen.sig_acted, timeout=5000) as acted:
        screen.skip_button.click()
    assert acted.args[1] is True and job_state(context, problems["3001"], Step.EMAIL) == "skipped"

    screen.table.selectRow(0)
    with qtbot.waitSignal(screen.sig_acted, timeout=5000) as retried:  # a single retry needs no PIN
        screen.retry_button.click()
    assert retried.args[1] is True


def test_a_locked_secrets_file_does_not_skip_the_managers_pin(qtbot, context: ConsoleContext,
                                                              problems: dict[str, int], tmp_path,
                                                              monkeypatch) -> None:
    """Cancelling the secrets file's password at the start must not open the manager's actions."""
    from linkoptima_gui.core.config import secrets_file
    from linkoptima_gui.core.config.secrets import SecretStore

    monkeypatch.setattr(secrets_file, "COST", {"n": 2**10, "r": 8, "p": 1})
    monkeypatch.delenv(secrets_file.ENV_PASSWORD, raising=False)
    store = SecretStore(file=tmp_path / "secrets.enc")
    store.create_file("Hasło pliku 1")
    ManagerPin(store).set("2580")
    secrets_file.forget_passwords()  # the next run, its password dialog cancelled
    try:
        context.secrets = SecretStore(file=tmp_path / "secrets.enc")
        screen = ExceptionsView(context, EngineBridge(context.bus), ask_reason=lambda _question: "bez kierownika",
                                ask_pin=lambda _question: pytest.fail("asked for a PIN it cannot check"))
        qtbot.addWidget(screen)
        qtbot.waitUntil(lambda: screen.model.rowCount() == 3, timeout=3000)
        screen.table.selectRow(next(r for r in range(3) if screen.model.entry(r).number == "3001"))
        with qtbot.waitSignal(screen.sig_acted, timeout=3000) as refused:
            screen.skip_button.click()
        assert refused.args == ["PIN kierownika jest w zablokowanym pliku haseł: odblokuj go w Ustawieniach.", False]
        assert job_state(context, problems["3001"], Step.EMAIL) == "failed"
    finally:
        secrets_file.forget_passwords()


def test_a_label_bought_before_the_order_stopped_can_be_canceled(qtbot, view: ExceptionsView,
                                                                 context: ConsoleContext,
                                                                 problems: dict[str, int]) -> None:
    stopped = problems["3003"]  # its WZ failed after its label was bought (labels at payment)
    row = next(r for r in range(view.model.rowCount()) if view.model.entry(r).order_id == stopped)
    view.table.selectRow(row)
    assert view.label_cancel_button.isEnabled()
    assert view.label_cancel_button.toolTip().startswith("Kupiona etykieta: 6")
    with qtbot.waitSignal(view.sig_acted, timeout=3000) as acted:
        view.label_cancel_button.click()
    assert acted.args == ["Etykieta zamówienia 3003 zostanie anulowana u przewoźnika", True]
    assert job_state(context, stopped, Step.LABEL_CANCEL) == "pending"  # the engine cancels it
    assert ("manual_label_cancel", "tester") in actors(context, stopped)


def test_hidden_it_reads_again_only_when_shown(qtbot, view: ExceptionsView) -> None:  # noqa: ANN001
    """Behind another screen the engine's changes are noted, not read (a busy engine changes
    orders several times a second); shown again, the screen reads once."""
    loads: list[int] = []
    view.sig_loaded.connect(loads.append)
    view.hide()
    for order_id in range(20):
        view._bridge.sig_orders_changed.emit([order_id])
    view._coalescer._flush()  # the coalescer's timer ends
    view._coalescer._flush()
    assert view._stale and not loads
    with qtbot.waitSignal(view.sig_loaded, timeout=3000):
        view.show()
    assert len(loads) == 1 and not view._stale
    view._bridge.sig_orders_changed.emit([1])
    with qtbot.waitSignal(view.sig_loaded, timeout=3000):  # on screen: read on the change
        view._coalescer._flush()
