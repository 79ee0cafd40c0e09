"""Claiming and running jobs, and storing what happened (queue_job's lessons).

- A job is claimed with a conditional update (pending -> started, checked by rowcount) and
  "started" is committed before anything outside is called.
- The outcome is committed with the job's new state, the order's fields and an audit row in one
  transaction; a failure is stored in its own transaction.
- Retryable errors back off with jitter; permanent ones go straight to the exceptions.
"""

from __future__ import annotations

import logging
import random
from collections import defaultdict
from datetime import timedelta

from sqlalchemy import select, update

from ..domain.order import Order
from ..domain.steps import FINISHED_STATES, Stage, Step, StepState, prerequisites, ready
from ..errors import StepError, WaitingError
from ..store.models import JobRow, OrderRow, utcnow
from . import audit
from .corrections import map_corrected
from .events import EngineEvent, EventKind
from .faults import crash_point
from .planning import refresh_stage
from .services import EngineServices
from .step_runners import RUNNERS, StepInput

log = logging.getLogger(__name__)

#: attempts -> seconds before the next try (then jittered by +-25 %)
RETRY_PATTERN = ((1, 2), (3, 10), (5, 60), (7, 300))


def backoff_seconds(attempts: int) -> float:
    seconds = RETRY_PATTERN[0][1]
    for threshold, value in RETRY_PATTERN:
        if attempts >= threshold:
            seconds = value
    return seconds * random.uniform(0.75, 1.25)


class JobRunner:
    def __init__(self, services: EngineServices) -> None:
        self.svc = services

    def due_jobs(self, limit: int = 50) -> list[int]:
        """Pending jobs whose time has come and whose prerequisites are finished."""
        now = utcnow()
        with self.svc.sessions() as session:
            candidates = session.execute(
                select(JobRow.id, JobRow.order_id, JobRow.step)
                .join(OrderRow, OrderRow.id == JobRow.order_id)
                .where(JobRow.state == StepState.PENDING.value, JobRow.next_attempt_at <= now)
                .where(JobRow.step != Step.PACKED.value)
                .where(OrderRow.stage != Stage.CANCELLED.value)
                .order_by(JobRow.id)
                .limit(limit * 4)
            ).all()
            if not candidates:
                return []
            order_ids = {c.order_id for c in candidates}
            states: dict[int, dict[Step, StepState]] = defaultdict(dict)
            for order_id, step, state in session.execute(
                select(JobRow.order_id, JobRow.step, JobRow.state).where(JobRow.order_id.in_(order_ids))
            ):
                states[order_id][Step(step)] = StepState(state)
        due = [c.id for c in candidates if ready(Step(c.step), states[c.order_id])]
        return due[:limit]

    def claim(self, job_id: int) -> bool:
        """pending -> started, committed (with its audit row) before anything outside is called."""
        with self.svc.sessions.begin() as session:
            claimed = session.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.state == StepState.PENDING.value)
                .values(state=StepState.STARTED.value, started_at=utcnow(), attempts=JobRow.attempts + 1)
                .returning(JobRow.order_id, JobRow.step, JobRow.attempts)
            ).first()
            if claimed is not None:
                audit.record(session, "step_started", f"Rozpoczęto (próba {claimed.attempts})", order_id=claimed.order_id,
                             step=claimed.step)
        return claimed is not None

    def run(self, job_id: int) -> None:
        """Claim and run one job; never raises (failures are stored)."""
        if not self.claim(job_id):
            return
        with self.svc.sessions() as session:
            job = session.get(JobRow, job_id)
            row = session.get(OrderRow, job.order_id)
            try:
                mapped: Order | StepError = map_corrected(session, row.payload, row.corrections or {},
                                                          self.svc.shop_settings)
            except StepError as exc:
                mapped = exc
            session.expunge_all()
        step = Step(job.step)
        crash_point(f"{step.value}:claimed")
        try:
            if isinstance(mapped, StepError):
                raise mapped
            order = mapped
            outcome = RUNNERS[step](self.svc, StepInput(job_id, job.phase, row, order))
            crash_point(f"{step.value}:called")
        except StepError as exc:
            self._store_failure(job_id, exc)
            return
        except Exception as exc:  # a bug or an unexpected library error: keep it visible
            log.exception("step %s of order %s crashed", step, row.number)
            self._store_failure(job_id, StepError(f"Błąd wewnętrzny: {exc!r}", code="internal"))
            return
        with self.svc.sessions.begin() as session:
            job = session.get(JobRow, job_id)
            order_row = session.get(OrderRow, job.order_id)
            job.state = StepState.DONE.value
            job.phase = "done"
            job.finished_at = utcnow()
            job.result = outcome.result
            job.error_code = job.error_message = ""
            for key, value in outcome.order_fields.items():
                setattr(order_row, key, value)
            audit.record(session, "step_done", outcome.message, order_id=order_row.id, step=step.value,
                         details=outcome.result)
            refresh_stage(session, order_row)
            order_id = order_row.id
        self.svc.bus.orders_changed(order_id)

    def _store_failure(self, job_id: int, exc: StepError) -> None:
        with self.svc.sessions.begin() as session:
            job = session.get(JobRow, job_id)
            order_row = session.get(OrderRow, job.order_id)
            first_report = job.error_code != exc.code
            job.error_code, job.error_message, job.error_details = exc.code, exc.reason, exc.details
            if isinstance(exc, WaitingError):  # not a failure: ask again later, attempts untouched
                job.state = StepState.PENDING.value
                job.attempts -= 1
                job.next_attempt_at = utcnow() + timedelta(seconds=exc.retry_after)
                if first_report:
                    audit.record(session, "step_waiting", exc.reason, order_id=order_row.id, step=job.step,
                                 details={"code": exc.code})
                failed = False
            elif exc.retryable and job.attempts < job.max_attempts:
                job.state = StepState.PENDING.value
                delay = backoff_seconds(job.attempts)
                job.next_attempt_at = utcnow() + timedelta(seconds=delay)
                audit.record(session, "step_retry", f"{exc.reason} Ponowienie za {delay:.0f} s.",
                             order_id=order_row.id, step=job.step, details={"code": exc.code})
                failed = False
            else:
                job.state = StepState.FAILED.value
                job.finished_at = utcnow()
                order_row.error_code, order_row.error_reason = exc.code, exc.reason
                audit.record(session, "step_failed", exc.reason, order_id=order_row.id, step=job.step,
                             details={"code": exc.code, **exc.details})
                failed = True
            refresh_stage(session, order_row)
            order_id, step = order_row.id, job.step
        self.svc.bus.orders_changed(order_id)
        if failed:
            self.svc.bus.publish(EngineEvent(EventKind.EXCEPTION, (order_id,),
                                             {"step": step, "code": exc.code, "reason": exc.reason}))

    def release_stuck(self) -> int:
        """Return jobs left "started" by a crashed run to pending (one engine holds the store)."""
        with self.svc.sessions.begin() as session:
            stuck = session.scalars(select(JobRow).where(JobRow.state == StepState.STARTED.value)).all()
            for job in stuck:
                job.state = StepState.PENDING.value
                audit.record(session, "released", "Krok przerwany (restart) wraca do kolejki.",
                             order_id=job.order_id, step=job.step)
        return len(stuck)

    def open_work(self) -> tuple[int, float | None]:
        """(jobs the engine can still run by itself, seconds until the earliest is due or None).

        Jobs behind a failed step (or behind the packer's button) are not open work: they wait
        for a person.
        """
        with self.svc.sessions() as session:
            rows = session.execute(
                select(JobRow.order_id, JobRow.step, JobRow.state, JobRow.next_attempt_at)
                .join(OrderRow, OrderRow.id == JobRow.order_id)
                .where(OrderRow.stage != Stage.CANCELLED.value)
                .where(OrderRow.id.in_(
                    select(JobRow.order_id).where(
                        JobRow.state.in_([StepState.PENDING.value, StepState.STARTED.value]),
                        JobRow.step != Step.PACKED.value,
                    )
                ))
            ).all()
        states: dict[int, dict[Step, StepState]] = defaultdict(dict)
        for r in rows:
            states[r.order_id][Step(r.step)] = StepState(r.state)
        now, count, waits = utcnow(), 0, []
        for r in rows:
            step, state = Step(r.step), StepState(r.state)
            if step is Step.PACKED or state not in (StepState.PENDING, StepState.STARTED):
                continue
            if not _reachable(step, states[r.order_id]):
                continue
            count += 1
            if state is StepState.PENDING:
                waits.append((r.next_attempt_at - now).total_seconds())
        return count, (max(0.0, min(waits)) if waits else None)


def _reachable(step: Step, states: dict[Step, StepState]) -> bool:
    """Whether the engine alone can get to run ``step``: no failed step and no unpacked parcel
    on its way."""
    for dep in prerequisites(step, states):
        state = states.get(dep)
        if state is StepState.FAILED or (dep is Step.PACKED and state not in FINISHED_STATES):
            return False
        if state not in FINISHED_STATES and not _reachable(dep, states):
            return False
    return True


