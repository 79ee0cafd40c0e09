"""Claiming and running jobs, and storing what happened (queue_job's lessons).

- Due jobs are claimed with row locks that other claimers skip, then a conditional update
  (pending -> started, with the engine's name, fencing token and the claim's expiry); "started"
  is committed before anything outside is called.
- A claim lapses unless the engine's heartbeat renews it; only a lapsed claim puts a job back
  to pending (never a start: another engine may still be running it, DESIGN.md §5).
- The outcome is committed with the job's new state, the order's fields and an audit row in one
  transaction; a failure is stored in its own transaction.
- Retryable errors back off with jitter; permanent ones go straight to the exceptions.
"""

from __future__ import annotations

import logging
import random
from collections import defaultdict
from datetime import timedelta

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session

from ..domain.order import Order
from ..domain.steps import (
    FINISHED_STATES,
    REFUND_STEPS,
    Stage,
    Step,
    StepState,
    prerequisites,
    ready,
    stopped,
)
from ..errors import StepError, WaitingError
from ..faults import crash_point
from ..store.db import server_now
from ..store.documents import keep_document
from ..store.fencing import Fence, FencedOut
from ..store.locking import lock_skipping
from ..store.models import JobRow, OrderRow, utcnow
from . import audit
from .corrections import map_corrected
from .events import EngineEvent, EventKind
from .planning import plan_after, refresh_stage
from .refund_intake import keep_refund
from .refund_steps import REFUND_RUNNERS
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

    @property
    def _fence(self) -> Fence:
        return self.svc.fence

    def due_jobs(self, limit: int = 50) -> list[int]:
        """Pending jobs whose time has come and whose prerequisites are finished."""
        with self.svc.sessions() as session:
            return self._due(session, limit, lock=False)

    def _due(self, session: Session, limit: int, *, lock: bool) -> list[int]:
        """The due jobs; with ``lock``, the candidates are locked for this transaction and
        those another transaction holds are passed over (``FOR UPDATE SKIP LOCKED`` on
        PostgreSQL, ``UPDLOCK, READPAST`` on SQL Server; SQLite has one writer at a time)."""
        query = (
            select(JobRow.id, JobRow.order_id, JobRow.step)
            .join(OrderRow, OrderRow.id == JobRow.order_id)
            .where(JobRow.state == StepState.PENDING.value, JobRow.next_attempt_at <= utcnow())
            .where(JobRow.step != Step.PACKED.value)
            .where(_not_cancelled())
            .order_by(JobRow.id)
            .limit(limit * 4)
        )
        if lock:
            query = lock_skipping(query, JobRow)
        candidates = session.execute(query).all()
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

    def claim_due(self, limit: int = 50) -> list[int]:
        """Claim up to ``limit`` due jobs (pending -> started, with this engine's name, token and
        the claim's expiry), committed with their audit rows before anything outside is called."""
        self._fence.check_local()
        with self.svc.sessions.begin() as session:
            return self._claim(session, self._due(session, limit, lock=True))

    def claim(self, job_id: int) -> bool:
        """Claim one given job; False when it is not pending (another worker has it)."""
        self._fence.check_local()
        with self.svc.sessions.begin() as session:
            return bool(self._claim(session, [job_id]))

    def _claim(self, session: Session, job_ids: list[int]) -> list[int]:
        if not job_ids:
            return []
        expires = server_now(session) + timedelta(seconds=self.svc.claim_seconds)
        claimed = session.execute(
            update(JobRow)
            .where(JobRow.id.in_(job_ids), JobRow.state == StepState.PENDING.value)
            .values(state=StepState.STARTED.value, started_at=utcnow(), attempts=JobRow.attempts + 1,
                    claimed_by=self._fence.holder, claim_fencing=self._fence.token, claim_expires_at=expires)
            .returning(JobRow.id, JobRow.order_id, JobRow.step, JobRow.attempts)
        ).all()
        for job in claimed:
            audit.record(session, "step_started", f"Rozpoczęto (próba {job.attempts})", order_id=job.order_id,
                         step=job.step)
        return sorted(job.id for job in claimed)

    def run(self, job_id: int) -> None:
        """Claim and run one job; never raises (failures are stored)."""
        if self.claim(job_id):
            self.run_claimed(job_id)

    def run_claimed(self, job_id: int) -> None:
        """Run a job this engine has claimed; never raises (failures are stored). An engine that
        lost its lease meanwhile stops before the outside call and stores nothing: the claim
        lapses and the active engine runs the step (its idempotency keys find any half-done work)."""
        try:
            self._run_claimed(job_id)
        except FencedOut as exc:
            log.warning("job %s left to the active engine: %s", job_id, exc)

    def _run_claimed(self, job_id: int) -> None:
        with self.svc.sessions() as session:
            job = session.get(JobRow, job_id)
            if job is None or not self._ours(job):
                return
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
            self._fence.check_local()
            outcome = {**RUNNERS, **REFUND_RUNNERS}[step](self.svc, StepInput(job_id, job.phase, row, order, job.identity_key))
            crash_point(f"{step.value}:called")
        except FencedOut:
            raise
        except StepError as exc:
            self._store_failure(job_id, exc)
            return
        except Exception as exc:  # a bug or an unexpected library error: keep it visible
            log.exception("step %s of order %s crashed", step, row.number)
            self._store_failure(job_id, StepError(f"Błąd wewnętrzny: {exc!r}", code="internal"))
            return
        with self.svc.sessions.begin() as session:
            job = session.get(JobRow, job_id)
            if not self._ours(job):
                return
            order_row = session.get(OrderRow, job.order_id)
            job.state = StepState.DONE.value
            job.phase = "done"
            job.finished_at = utcnow()
            job.result = outcome.result
            job.error_code = job.error_message = ""
            job.claimed_by, job.claim_expires_at = "", None
            for key, value in outcome.order_fields.items():
                setattr(order_row, key, value)
            for kind, (name, content) in outcome.documents.items():
                keep_document(session, order_row.id, kind, name, content)
            if outcome.refund_fields:
                keep_refund(session, job, outcome.refund_fields)
            audit.record(session, "step_done", outcome.message, order_id=order_row.id, step=step.value,
                         details=outcome.result)
            plan_after(session, order_row, step, job.identity_key)
            refresh_stage(session, order_row)
            order_id = order_row.id
        self.svc.bus.orders_changed(order_id)

    def _ours(self, job: JobRow | None) -> bool:
        """Whether ``job`` is still claimed by this engine (with the token it claimed it under)."""
        if job is None or job.state != StepState.STARTED.value or job.claimed_by != self._fence.holder:
            if job is not None:
                log.warning("job %s is no longer ours (state %s, claimed by %r)", job.id, job.state, job.claimed_by)
            return False
        return job.claim_fencing == self._fence.token

    def _store_failure(self, job_id: int, exc: StepError) -> None:
        with self.svc.sessions.begin() as session:
            job = session.get(JobRow, job_id)
            if not self._ours(job):
                return
            order_row = session.get(OrderRow, job.order_id)
            first_report = job.error_code != exc.code
            job.error_code, job.error_message, job.error_details = exc.code, exc.reason, exc.details
            job.claimed_by, job.claim_expires_at = "", None
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

    # -- claims that lapse -------------------------------------------------------------------

    def renew_claims(self) -> int:
        """Push the expiry of this engine's claims forward (with each heartbeat)."""
        if not self._fence.active:
            return 0
        with self.svc.sessions.begin() as session:
            expires = server_now(session) + timedelta(seconds=self.svc.claim_seconds)
            return session.execute(
                update(JobRow)
                .where(JobRow.state == StepState.STARTED.value, JobRow.claimed_by == self._fence.holder,
                       JobRow.claim_fencing == self._fence.token)
                .values(claim_expires_at=expires)
            ).rowcount

    def release_expired(self) -> int:
        """Jobs whose claim lapsed (their engine or station went away) go back to pending.

        Never because a process started: a job another engine may still be running is left
        alone until its claim's expiry, by the store's clock."""
        with self.svc.sessions.begin() as session:
            now = server_now(session)
            lapsed = or_(JobRow.claim_expires_at < now, JobRow.claim_expires_at.is_(None))
            return self._release(session, and_(JobRow.state == StepState.STARTED.value, lapsed),
                                 "Krok przerwany (jego wykonawca zniknął) wraca do kolejki.")

    def release_claims_of(self, holder: str) -> int:
        """Jobs claimed by ``holder``, an engine known to run no more (its process is gone),
        go back to pending at once."""
        if not holder:
            return 0
        with self.svc.sessions.begin() as session:
            return self._release(session, and_(JobRow.state == StepState.STARTED.value, JobRow.claimed_by == holder),
                                 "Krok przerwany (poprzedni silnik zakończył się) wraca do kolejki.")

    @staticmethod
    def _release(session: Session, condition: ColumnElement[bool], message: str) -> int:
        stuck = session.scalars(select(JobRow).where(condition)).all()
        for job in stuck:
            audit.record(session, "released", message, order_id=job.order_id, step=job.step,
                         details={"claimed_by": job.claimed_by})
            job.state = StepState.PENDING.value
            job.claimed_by, job.claim_expires_at = "", None
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
                .where(_not_cancelled())
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


def _not_cancelled() -> ColumnElement[bool]:
    """Jobs of orders still in the pipeline, and the refund steps of any order: a refund of an
    order cancelled after its FA was booked still needs its correction."""
    return or_(OrderRow.stage != Stage.CANCELLED.value, JobRow.step.in_([s.value for s in REFUND_STEPS]))


def _reachable(step: Step, states: dict[Step, StepState]) -> bool:
    """Whether the engine alone can get to run ``step``: no failed step and no unpacked parcel
    on its way, and nothing that stops it until a person acts (``steps.stopped``)."""
    if stopped(step, states):
        return False
    for dep in prerequisites(step, states):
        state = states.get(dep)
        if state is StepState.FAILED or (dep is Step.PACKED and state not in FINISHED_STATES):
            return False
        if state not in FINISHED_STATES and not _reachable(dep, states):
            return False
    return True


