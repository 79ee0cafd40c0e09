"""Retry and skip of a refund step act on the right job when the order has several refunds
(one job of each refund step per refund), and the exceptions list names the refund."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from linkoptima_gui.core.domain.steps import Stage, Step, StepState
from linkoptima_gui.core.engine.events import EventBus
from linkoptima_gui.core.engine.manual import ActionRefused, ManualActions
from linkoptima_gui.core.store.db import open_store, sqlite_url
from linkoptima_gui.core.store.exception_queries import open_exceptions
from linkoptima_gui.core.store.models import JobRow, OrderRow, RefundRow

DONE, FAILED = StepState.DONE.value, StepState.FAILED.value


@pytest.fixture
def sessions(tmp_path: Path) -> sessionmaker[Session]:
    return open_store(sqlite_url(tmp_path / "store.sqlite"))


def _order_with_refunds(sessions: sessionmaker[Session], states: dict[int, str]) -> tuple[int, dict[int, int]]:
    """An order packed long ago with one KOREKTA job per refund id in ``states``; the job ids."""
    with sessions.begin() as session:
        order = OrderRow(shop_order_id=77, number="77", shop_status="completed", stage=Stage.PACKED.value,
                         buyer_name="Anna Nowak", buyer_email="anna@example.pl", total=Decimal("200.00"),
                         payment_method="cod", payment_title="Za pobraniem", payment_kind="cod",
                         fa_number="FA/7/2026", payload={})
        session.add(order)
        session.flush()
        session.add(JobRow(order_id=order.id, step=Step.FA.value, identity_key="default:77:fa", state=DONE))
        jobs = {}
        for refund_id, state in states.items():
            session.add(RefundRow(order_id=order.id, shop_refund_id=refund_id, amount=Decimal("50.00")))
            job = JobRow(order_id=order.id, step=Step.KOREKTA.value, identity_key=f"default:77:korekta:{refund_id}",
                         state=state, error_code="refund_too_large" if state == FAILED else "",
                         error_message="Zwrot za duży" if state == FAILED else "",
                         error_details={"refund_id": refund_id, "amount": "50.00"} if state == FAILED else {})
            session.add(job)
            session.flush()
            jobs[refund_id] = job.id
        return order.id, jobs


def _states(sessions: sessionmaker[Session], order_id: int) -> dict[str, str]:
    with sessions() as session:
        return {j.identity_key.rsplit(":", 1)[1]: j.state for j in session.scalars(
            select(JobRow).where(JobRow.order_id == order_id, JobRow.step == Step.KOREKTA.value))}


def test_skip_of_a_refund_step_takes_the_failed_job_not_the_first(sessions: sessionmaker[Session]) -> None:
    order_id, _jobs = _order_with_refunds(sessions, {11: DONE, 12: FAILED})
    ManualActions(sessions, EventBus()).skip(order_id, Step.KOREKTA, actor="kierownik", reason="korekta ręczna")
    assert _states(sessions, order_id) == {"11": DONE, "12": StepState.SKIPPED.value}


def test_skip_and_retry_by_job_id_touch_that_refund_only(sessions: sessionmaker[Session]) -> None:
    order_id, jobs = _order_with_refunds(sessions, {21: FAILED, 22: FAILED, 23: FAILED})
    actions = ManualActions(sessions, EventBus())
    entries = {e.refund_id: e for e in open_exceptions(sessions())}
    assert set(entries) == {21, 22, 23} and entries[22].job_id == jobs[22]

    actions.skip(order_id, Step.KOREKTA, actor="kierownik", reason="ręcznie", job_id=entries[22].job_id)
    assert actions.retry(order_id, actor="kierownik", step=Step.KOREKTA, job_id=entries[23].job_id) == 1
    assert _states(sessions, order_id) == {"21": FAILED, "22": StepState.SKIPPED.value,
                                           "23": StepState.PENDING.value}
    with pytest.raises(ActionRefused):
        actions.retry(order_id, actor="kierownik", step=Step.KOREKTA, job_id=jobs[22])  # skipped, not failed
