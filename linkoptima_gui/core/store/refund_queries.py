"""The refunds of orders as the screens show them: each with its corrections and how far it got.

One summary per shop refund: the corrections Optima booked for it (numbers and their value),
and a state worked out from its three steps (``REFUND_STEPS``, one job of each per refund, the
refund id at the end of the job's identity key): a problem beats everything (a person must
look), then e-mailed, money back, booked, and waiting to be booked. Two queries for any number
of orders, so the pipeline can read them with its rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ..domain.steps import REFUND_STEPS, Step, StepState
from .models import JobRow, OrderRow, RefundRow

#: a refund's state codes (the screens put them in words)
PENDING, BOOKED, MONEY_BACK, EMAILED, PROBLEM, CANCELLED = (
    "pending", "booked", "money_back", "emailed", "problem", "cancelled")
_FINISHED = (StepState.DONE.value, StepState.SKIPPED.value)


@dataclass(frozen=True)
class RefundSummary:
    refund_id: int  # the shop's
    amount: Decimal  # refunded in the shop
    reason: str
    numbers: tuple[str, ...]  # the corrections booked for it
    gross: Decimal  # their value (negative: the invoice went down)
    state: str  # one of the codes above
    problem: str = ""  # the failed step's reason
    payout: str = ""
    emailed_to: str = ""
    has_pdf: bool = False  # the correction's PDF is kept (``korekta_<refund id>``)

    @property
    def document_kind(self) -> str:
        return correction_document(self.refund_id)


def correction_document(refund_id: int) -> str:
    """The stored document kind of a refund's correction PDF (``refund_steps.run_korekta_email``)."""
    return f"korekta_{refund_id}"


_COLUMNS = (RefundRow.order_id, RefundRow.shop_refund_id, RefundRow.amount, RefundRow.reason, RefundRow.corrections,
            RefundRow.correction_gross, RefundRow.payout_number, RefundRow.emailed_to, RefundRow.pdf_path,
            RefundRow.deleted_in_shop)


def _state(refund: Any, jobs: dict[str, JobRow]) -> tuple[str, str]:
    failed = next((j for j in jobs.values() if j.state == StepState.FAILED.value), None)
    if failed is not None:
        return PROBLEM, failed.error_message or ""
    for step, state in ((Step.KOREKTA_EMAIL, EMAILED), (Step.KOREKTA_ZWROT, MONEY_BACK)):
        job = jobs.get(step.value)
        if job is not None and job.state in _FINISHED:
            return state, ""
    korekta = jobs.get(Step.KOREKTA.value)
    if refund.corrections or (korekta is not None and korekta.state in _FINISHED):
        return BOOKED, ""
    if refund.deleted_in_shop or (jobs and all(j.state == StepState.CANCELLED.value for j in jobs.values())) \
            or not jobs:
        return CANCELLED, ""
    return PENDING, ""


def refund_summaries(session: Session, order_ids: Sequence[int]) -> dict[int, tuple[RefundSummary, ...]]:
    """Order id -> its refunds, oldest first (orders without refunds are left out)."""
    if not order_ids:
        return {}
    ids = list(order_ids)
    # columns, not rows: the refund's shop JSON (``payload``) is not read for the screens
    refunds = session.execute(select(*_COLUMNS).where(RefundRow.order_id.in_(ids))
                              .order_by(RefundRow.order_id, RefundRow.shop_refund_id)).all()
    if not refunds:
        return {}
    jobs: dict[tuple[int, int], dict[str, JobRow]] = {}
    for job in session.scalars(select(JobRow).where(JobRow.order_id.in_({r.order_id for r in refunds}),
                                                    JobRow.step.in_([s.value for s in REFUND_STEPS]))):
        tail = job.identity_key.rsplit(":", 1)[-1]
        if tail.isdigit():
            jobs.setdefault((job.order_id, int(tail)), {})[job.step] = job
    result: dict[int, list[RefundSummary]] = {}
    for refund in refunds:
        mine = jobs.get((refund.order_id, refund.shop_refund_id), {})
        state, problem = _state(refund, mine)
        numbers = tuple(str(c.get("number", "")) for c in refund.corrections or [] if c.get("number"))
        result.setdefault(refund.order_id, []).append(RefundSummary(
            refund.shop_refund_id, refund.amount or Decimal(0), refund.reason or "", numbers,
            refund.correction_gross or Decimal(0), state, problem, refund.payout_number or "",
            refund.emailed_to or "", bool(refund.pdf_path)))
    return {order_id: tuple(items) for order_id, items in result.items()}


def has_refunds():  # noqa: ANN201 - a SQLAlchemy clause
    """A WHERE clause: the order has at least one refund (the pipeline's "Korekty" filter)."""
    return exists().where(RefundRow.order_id == OrderRow.id)
