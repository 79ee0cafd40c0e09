"""Creating an order's jobs and deriving its stage from them.

Jobs are created once (``identity_key`` is unique), in the same transaction as the order row
they belong to, so a crash can never leave an order without its steps or with a step twice.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..domain.order import Order
from ..domain.steps import Stage, Step, StepState, stage_of, steps_for
from ..store.models import JobRow, OrderRow, StoredDocument, utcnow
from . import audit

#: the error code of a job a person paused (``ManualActions.pause``)
PAUSED = "paused"


def identity_key(order: OrderRow, step: Step) -> str:
    return f"{order.shop}:{order.shop_order_id}:{step.value}"


def add_job(session: Session, order: OrderRow, step: Step, max_attempts: int = 8, *, identity: str = "") -> JobRow:
    """Create the job for ``step`` unless it exists; return it either way. ``identity`` names a
    job of which an order may have several (a refund's steps: ``refund_intake.refund_identity``)."""
    key = identity or identity_key(order, step)
    existing = session.scalar(select(JobRow).where(JobRow.identity_key == key))
    if existing is not None:
        return existing
    job = JobRow(
        order_id=order.id,
        step=step.value,
        identity_key=key,
        state=StepState.PENDING.value,
        max_attempts=max_attempts,
    )
    session.add(job)
    session.flush()
    return job


def plan_jobs(session: Session, order_row: OrderRow, order: Order, *,
              shop_status_when_invoiced: bool = False, label_at_payment: bool = False) -> list[Step]:
    """Create the jobs a bookable order needs (``steps_for``); returns the steps newly planned."""
    if not order.may_book:
        return []
    existing = {
        s for s in session.scalars(select(JobRow.step).where(JobRow.order_id == order_row.id))
    }
    planned = []
    for step in steps_for(order, shop_status_when_invoiced=shop_status_when_invoiced,
                          label_at_payment=label_at_payment):
        if step.value not in existing:
            add_job(session, order_row, step)
            planned.append(step)
    if planned:
        audit.record(
            session,
            "planned",
            "Zaplanowano kroki: " + ", ".join(s.value.upper() for s in planned),
            order_id=order_row.id,
        )
    return planned


def plan_after(session: Session, order_row: OrderRow, done: Step, identity: str = "") -> list[Step]:
    """The steps a finished step brings: the label once the WZ is booked (the order's documents
    are then in Optima; ``steps.DEPENDS_ON``), a new label after one was canceled, a refund's
    money and e-mail once its correction is booked (``identity`` names the refund). Returns the
    steps newly planned."""
    if done is Step.KOREKTA:
        refund_id = identity.rsplit(":", 1)[1]
        if refund_id == "0":  # case H settled by a person: no refund of its own
            return []
        for step in (Step.KOREKTA_ZWROT, Step.KOREKTA_EMAIL):
            add_job(session, order_row, step, identity=f"{identity_key(order_row, step)}:{refund_id}")
        return [Step.KOREKTA_ZWROT, Step.KOREKTA_EMAIL]
    if done is Step.LABEL_CANCEL:
        return _label_again(session, order_row)
    if done is not Step.WZ:
        return []
    if session.scalar(select(JobRow.id).where(JobRow.order_id == order_row.id, JobRow.step == Step.LABEL.value)):
        return []
    job = add_job(session, order_row, Step.LABEL)
    if session.scalar(select(JobRow.id).where(JobRow.order_id == order_row.id, JobRow.error_code == PAUSED,
                                              JobRow.state == StepState.WAITING.value).limit(1)):
        job.state, job.error_code = StepState.WAITING.value, PAUSED  # the order is paused: so is its label
    audit.record(session, "planned", "Dokumenty zaksięgowane: zaplanowano etykietę (LABEL)", order_id=order_row.id)
    return [Step.LABEL]


def _label_again(session: Session, order_row: OrderRow) -> list[Step]:
    """The canceled label is gone (its stored copies too); the label step waits to buy a new
    one, which it does once the order's books are fine again (``steps.ready``)."""
    label = session.scalar(select(JobRow).where(JobRow.order_id == order_row.id, JobRow.step == Step.LABEL.value))
    if label is None:
        return []
    label.state, label.attempts, label.phase, label.result = StepState.PENDING.value, 0, "", {}
    label.next_attempt_at = utcnow()
    session.execute(delete(StoredDocument).where(StoredDocument.order_id == order_row.id,
                                                 StoredDocument.kind.in_(("label_pdf", "label_zpl"))))
    return [Step.LABEL]


def job_states(session: Session, order_id: int) -> dict[Step, StepState]:
    rows = session.execute(select(JobRow.step, JobRow.state).where(JobRow.order_id == order_id))
    return {Step(step): StepState(state) for step, state in rows}


def refresh_stage(session: Session, order: OrderRow, *, may_book: bool | None = None) -> str:
    """Recompute and store the order's stage from its jobs; returns it."""
    session.flush()
    states = job_states(session, order.id)
    if may_book is None:
        may_book = bool(states) or order.stage not in (Stage.AWAITING_PAYMENT.value,)
    if order.error_code and not states:
        stage = Stage.EXCEPTION
    else:
        stage = stage_of(states, may_book=may_book, cancelled=order.stage == Stage.CANCELLED.value)
    order.stage = stage.value
    return order.stage
