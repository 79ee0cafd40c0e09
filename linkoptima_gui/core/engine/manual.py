"""What a person may do to an order's steps: retry, skip, cancel, pause and resume.

Every action names who did it and why, is checked against the allowed state transitions, and
is committed together with its audit row; the engine is woken so a retried or resumed step
runs at once. These are the only ways the console changes a job by hand (the exceptions
screen and the headless tools call them), so the rules live in one place:

- retry: a failed step goes back to pending with a fresh set of attempts;
- skip: a step a person has done by hand (or decided is not needed) counts as finished;
- cancel: the order's open steps are cancelled and the order leaves the pipeline; refused once
  the parcel is packed (the goods are gone; that is a return, not a cancellation);
- pause / resume: the order's pending steps wait (state "waiting", code "paused") until resumed.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ..domain.steps import Stage, Step, StepState
from ..errors import PermanentError
from ..store.models import JobRow, OrderRow, utcnow
from . import audit
from .events import EventBus
from .planning import refresh_stage

#: state -> states a job may move to (by the engine or a person)
ALLOWED: dict[StepState, frozenset[StepState]] = {
    StepState.PENDING: frozenset({StepState.STARTED, StepState.WAITING, StepState.SKIPPED, StepState.CANCELLED}),
    StepState.STARTED: frozenset({StepState.DONE, StepState.FAILED, StepState.PENDING}),
    StepState.WAITING: frozenset({StepState.PENDING, StepState.SKIPPED, StepState.CANCELLED}),
    StepState.FAILED: frozenset({StepState.PENDING, StepState.SKIPPED, StepState.CANCELLED}),
    StepState.DONE: frozenset(),
    StepState.SKIPPED: frozenset(),
    StepState.CANCELLED: frozenset(),
}

PAUSED = "paused"


class ActionRefused(PermanentError):
    """The action does not fit the order's state; the reason says why, in Polish."""

    code = "action_refused"


def move(job: JobRow, new: StepState) -> None:
    """Change a job's state if the transition is allowed, else refuse."""
    old = StepState(job.state)
    if new not in ALLOWED[old]:
        raise ActionRefused(f"Krok {job.step.upper()} jest w stanie „{old.value}”: nie można go zmienić na "
                            f"„{new.value}”.", details={"step": job.step, "from": old.value, "to": new.value})
    job.state = new.value


class ManualActions:
    def __init__(self, session_factory: sessionmaker[Session], bus: EventBus,
                 wake_engine: Callable[[], None] = lambda: None) -> None:
        self._sessions = session_factory
        self._bus = bus
        self._wake = wake_engine

    def retry(self, order_id: int, *, actor: str, reason: str = "", step: Step | None = None) -> int:
        """Failed steps (all, or ``step``) back to pending; returns how many."""
        def act(session: Session, order: OrderRow) -> int:
            jobs = self._jobs(session, order_id, step, StepState.FAILED)
            for job in jobs:
                move(job, StepState.PENDING)
                job.attempts, job.next_attempt_at, job.phase = 0, utcnow(), ""
                job.error_code = job.error_message = ""
            if not jobs:
                raise ActionRefused(f"Zamówienie {order.number} nie ma kroków z błędem do ponowienia.")
            order.error_code = order.error_reason = ""
            steps = ", ".join(j.step.upper() for j in jobs)
            audit.record(session, "manual_retry", _said(f"Ponowienie: {steps}", reason), order_id=order_id,
                         actor=actor)
            return len(jobs)
        return self._run(order_id, act)

    def skip(self, order_id: int, step: Step, *, actor: str, reason: str) -> None:
        """Count ``step`` as finished without running it (done by hand, or not needed)."""
        _require_reason(reason)

        def act(session: Session, order: OrderRow) -> None:
            jobs = self._jobs(session, order_id, step, None)
            if not jobs:
                raise ActionRefused(f"Zamówienie {order.number} nie ma kroku {step.value.upper()}.")
            move(jobs[0], StepState.SKIPPED)
            jobs[0].finished_at = utcnow()
            if not self._jobs(session, order_id, None, StepState.FAILED):
                order.error_code = order.error_reason = ""
            audit.record(session, "manual_skip", _said(f"Pominięto krok {step.value.upper()}", reason),
                         order_id=order_id, step=step.value, actor=actor)
        self._run(order_id, act)

    def cancel(self, order_id: int, *, actor: str, reason: str) -> None:
        """Take the order out of the pipeline; its open steps are cancelled."""
        _require_reason(reason)

        def act(session: Session, order: OrderRow) -> None:
            if order.stage in (Stage.PACKED.value, Stage.CANCELLED.value):
                raise ActionRefused(f"Zamówienia {order.number} nie można anulować: etap „{order.stage}”.")
            for job in self._jobs(session, order_id, None, None):
                if StepState(job.state) in (StepState.PENDING, StepState.WAITING, StepState.FAILED):
                    move(job, StepState.CANCELLED)
            order.stage = Stage.CANCELLED.value
            booked = ", ".join(n for n in (order.fa_number, order.wz_number, order.kp_number) if n)
            note = f" W Optimie zostały: {booked} (wymagają korekty)." if booked else ""
            audit.record(session, "manual_cancel", _said("Anulowano zamówienie." + note, reason),
                         order_id=order_id, actor=actor)
        self._run(order_id, act, refresh=False)

    def pause(self, order_id: int, *, actor: str, reason: str = "") -> int:
        """Hold the order's pending steps until ``resume``; returns how many."""
        def act(session: Session, order: OrderRow) -> int:
            jobs = [j for j in self._jobs(session, order_id, None, StepState.PENDING) if j.step != Step.PACKED.value]
            for job in jobs:
                move(job, StepState.WAITING)
                job.error_code, job.error_message = PAUSED, "Wstrzymane ręcznie"
            audit.record(session, "manual_pause", _said("Wstrzymano zamówienie", reason), order_id=order_id,
                         actor=actor)
            return len(jobs)
        return self._run(order_id, act)

    def resume(self, order_id: int, *, actor: str, reason: str = "") -> int:
        def act(session: Session, order: OrderRow) -> int:
            jobs = [j for j in self._jobs(session, order_id, None, StepState.WAITING) if j.error_code == PAUSED]
            for job in jobs:
                move(job, StepState.PENDING)
                job.error_code = job.error_message = ""
                job.next_attempt_at = utcnow()
            audit.record(session, "manual_resume", _said("Wznowiono zamówienie", reason), order_id=order_id,
                         actor=actor)
            return len(jobs)
        return self._run(order_id, act)

    # -- helpers ---------------------------------------------------------------------------------

    def _run(self, order_id: int, act: Callable, *, refresh: bool = True):  # noqa: ANN202 - act's result
        with self._sessions.begin() as session:
            order = session.get(OrderRow, order_id)
            if order is None:
                raise ActionRefused(f"Nie ma zamówienia o id {order_id}.")
            result = act(session, order)
            if refresh:
                refresh_stage(session, order)
        self._bus.orders_changed(order_id)
        self._wake()
        return result

    @staticmethod
    def _jobs(session: Session, order_id: int, step: Step | None, state: StepState | None) -> list[JobRow]:
        query = select(JobRow).where(JobRow.order_id == order_id).order_by(JobRow.id)
        if step is not None:
            query = query.where(JobRow.step == step.value)
        if state is not None:
            query = query.where(JobRow.state == state.value)
        return list(session.scalars(query))


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise ActionRefused("Podaj powód: trafi do dziennika zdarzeń.")


def _said(message: str, reason: str) -> str:
    return f"{message} Powód: {reason.strip()}" if reason.strip() else message
