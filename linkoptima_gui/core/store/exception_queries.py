"""What needs a human: failed steps and orders the intake could not map, newest first.

One row per problem (a failed job, or an order rejected before it had jobs), with the reason
code for grouping, the Polish reason the step gave, and the data it left to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from ..domain.steps import REFUND_STEPS, Stage, StepState
from .models import JobRow, OrderRow


@dataclass(frozen=True)
class ExceptionEntry:
    order_id: int
    number: str
    buyer_name: str
    step: str  # "" when the intake rejected the order
    code: str
    reason: str
    at: datetime
    details: dict[str, Any] = field(default_factory=dict)
    #: the label bought before the order stopped (a person may cancel it with the carrier)
    tracking_number: str = ""
    #: the carrier of that label, or the one that refused (a label step's failure names it)
    carrier: str = ""
    #: the failed job (0: an order the intake rejected); one refund's step among several
    job_id: int = 0
    #: the job's identity key (a refund step's ends with the shop's refund id)
    identity_key: str = ""

    @property
    def refund_id(self) -> int | None:
        """The shop's refund a refund step's problem is about (None for the order's own steps)."""
        if "refund_id" in self.details:
            try:
                return int(self.details["refund_id"])
            except (TypeError, ValueError):
                return None
        if self.step in {s.value for s in REFUND_STEPS} and ":" in self.identity_key:
            tail = self.identity_key.rsplit(":", 1)[1]
            return int(tail) if tail.isdigit() else None
        return None


def open_exceptions(session: Session, limit: int = 5000) -> list[ExceptionEntry]:
    failed = session.execute(
        select(JobRow.order_id, OrderRow.number, OrderRow.buyer_name, JobRow.step, JobRow.error_code,
               JobRow.error_message, JobRow.finished_at, JobRow.updated_at, JobRow.error_details,
               OrderRow.tracking_number, OrderRow.carrier, JobRow.id.label("job_id"), JobRow.identity_key)
        .join(OrderRow, OrderRow.id == JobRow.order_id)
        .where(JobRow.state == StepState.FAILED.value,
               or_(OrderRow.stage != Stage.CANCELLED.value, JobRow.step.in_([s.value for s in REFUND_STEPS])))
        .order_by(JobRow.id.desc())
        .limit(limit)
    ).all()
    entries = [ExceptionEntry(r.order_id, r.number, r.buyer_name, r.step, r.error_code, r.error_message,
                              r.finished_at or r.updated_at, dict(r.error_details or {}), r.tracking_number,
                              r.carrier or str((r.error_details or {}).get("carrier") or ""), r.job_id,
                              r.identity_key) for r in failed]
    rejected = session.execute(
        select(OrderRow.id, OrderRow.number, OrderRow.buyer_name, OrderRow.error_code, OrderRow.error_reason,
               OrderRow.updated_at)
        .where(OrderRow.stage == Stage.EXCEPTION.value, OrderRow.error_code != "",
               ~exists().where(and_(JobRow.order_id == OrderRow.id)))
        .order_by(OrderRow.id.desc())
        .limit(limit)
    ).all()
    entries += [ExceptionEntry(r.id, r.number, r.buyer_name, "", r.error_code, r.error_reason, r.updated_at)
                for r in rejected]
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]
