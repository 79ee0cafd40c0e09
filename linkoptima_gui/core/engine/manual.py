"""What a person may do to an order's steps: retry, skip, cancel, pause and resume.

Every action names who did it and why, is checked against the allowed state transitions, and
is committed together with its audit row; the engine is woken so a retried or resumed step
runs at once. These are the only ways the console changes a job by hand (the exceptions
screen and the headless tools call them), so the rules live in one place:

- retry: a failed step goes back to pending with a fresh set of attempts;
- skip: a step a person has done by hand (or decided is not needed) counts as finished;
- cancel: the order's open steps are cancelled and the order leaves the pipeline; refused once
  the parcel is packed (the goods are gone; that is a return, not a cancellation);
- pause / resume: the order's pending steps wait (state "waiting", code "paused") until resumed;
- fix and retry: correct the buyer's NIP on one order, or map a shop SKU to an Optima item code
  for good (``corrections.py`` applies both whenever an order is mapped), then go on.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ..domain.nip import InvalidNip, validate_nip
from ..domain.steps import Stage, Step, StepState
from ..errors import PermanentError
from ..store.models import JobRow, OrderRow, SkuAlias, utcnow
from . import audit, corrections
from .events import EventBus
from .planning import PAUSED, add_job, refresh_stage

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
                 wake_engine: Callable[[], None] = lambda: None,
                 item_exists: Callable[[str], bool] | None = None) -> None:
        self._sessions = session_factory
        self._bus = bus
        self._wake = wake_engine
        #: asks Optima whether an item code exists (checked before a SKU is mapped to it)
        self._item_exists = item_exists

    def retry(self, order_id: int, *, actor: str, reason: str = "", step: Step | None = None,
              job_id: int | None = None) -> int:
        """Failed steps (all, or ``step``, or the one job ``job_id``: one refund's step of an order
        with several refunds) back to pending; returns how many."""
        def act(session: Session, order: OrderRow) -> int:
            jobs = [j for j in self._jobs(session, order_id, step, StepState.FAILED) if job_id in (None, j.id)]
            for job in jobs:
                _back_to_pending(job)
            if not jobs:
                raise ActionRefused(f"Zamówienie {order.number} nie ma kroków z błędem do ponowienia.")
            order.error_code = order.error_reason = ""
            steps = ", ".join(j.step.upper() for j in jobs)
            audit.record(session, "manual_retry", _said(f"Ponowienie: {steps}", reason), order_id=order_id,
                         actor=actor)
            return len(jobs)
        return self._run(order_id, act)

    def skip(self, order_id: int, step: Step, *, actor: str, reason: str, job_id: int | None = None) -> None:
        """Count ``step`` as finished without running it (done by hand, or not needed): the job
        ``job_id`` when given, else the step's failed job (an order has one of each refund step
        per refund), else its first."""
        _require_reason(reason)

        def act(session: Session, order: OrderRow) -> None:
            jobs = [j for j in self._jobs(session, order_id, step, None) if job_id in (None, j.id)]
            if not jobs:
                raise ActionRefused(f"Zamówienie {order.number} nie ma kroku {step.value.upper()}.")
            job = next((j for j in jobs if j.state == StepState.FAILED.value), jobs[0])
            move(job, StepState.SKIPPED)
            job.finished_at = utcnow()
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

    # -- fix and retry ---------------------------------------------------------------------------

    def correct_nip(self, order_id: int, nip: str, *, actor: str, reason: str = "") -> None:
        """Give the order the right NIP ("" = a private buyer after all) and let it go on. An
        order the intake stopped is mapped again by the engine; failed steps are retried."""
        compact = ""
        if nip.strip():
            try:
                compact = validate_nip(nip)
            except InvalidNip as exc:
                raise ActionRefused(f"To nie jest poprawny NIP: {nip.strip()}.", details={"nip": nip}) from exc

        def act(session: Session, order: OrderRow) -> None:
            if order.fa_number:
                raise ActionRefused(f"Faktura {order.fa_number} jest już wystawiona: zmiana NIP to korekta w Optimie.")
            before = str((order.corrections or {}).get(corrections.NIP, order.buyer_nip) or "brak")
            order.corrections = {**(order.corrections or {}), corrections.NIP: compact}
            failed = self._jobs(session, order_id, None, StepState.FAILED)
            if not self._jobs(session, order_id, None, None):
                order.stage = Stage.NEW.value  # the engine maps it again (Intake.remap_stored)
            for job in failed:
                _back_to_pending(job)
            order.error_code = order.error_reason = ""
            audit.record(session, "manual_fix", _said(f"Poprawiono NIP: {before} → {compact or 'osoba prywatna'}",
                                                      reason), order_id=order_id, actor=actor)
        self._run(order_id, act, refresh=False)

    def map_sku(self, order_id: int, shop_sku: str, optima_code: str, *, actor: str, reason: str = "") -> int:
        """Map a shop SKU to an Optima item code for good, and retry every order stopped on that
        SKU; returns how many orders go on."""
        code = optima_code.strip()
        if not code or not shop_sku:
            raise ActionRefused("Podaj kod towaru w Optimie.")
        if self._item_exists is not None and not self._item_exists(code):
            raise ActionRefused(f"Optima nie zna towaru o kodzie „{code}”.", details={"code": code})
        with self._sessions.begin() as session:
            order = session.get(OrderRow, order_id)
            if order is None:
                raise ActionRefused(f"Nie ma zamówienia o id {order_id}.")
            alias = session.scalar(select(SkuAlias).where(SkuAlias.shop == order.shop, SkuAlias.shop_sku == shop_sku))
            alias = alias or SkuAlias(shop=order.shop, shop_sku=shop_sku)
            alias.optima_code, alias.created_by, alias.created_at = code, actor, utcnow()
            session.add(alias)
            stopped = session.scalars(select(JobRow).join(OrderRow, OrderRow.id == JobRow.order_id).where(
                OrderRow.shop == order.shop, JobRow.state == StepState.FAILED.value,
                JobRow.error_code.in_(("unknown_sku", "inactive_sku")))).all()
            retried = sorted({job.order_id for job in stopped
                              if job.order_id == order_id or (job.error_details or {}).get("sku") == shop_sku})
            for job in stopped:
                if job.order_id in retried:
                    _back_to_pending(job)
            for retried_id in retried:
                row = session.get(OrderRow, retried_id)
                row.error_code = row.error_reason = ""
                audit.record(session, "manual_fix", _said(f"Towar sklepu „{shop_sku}” to w Optimie „{code}”", reason),
                             order_id=retried_id, actor=actor)
                refresh_stage(session, row)
        self._bus.orders_changed(*retried)
        self._wake()
        return len(retried)

    def cancel_label(self, order_id: int, *, actor: str, reason: str) -> None:
        """Have the engine cancel the order's label with the carrier (bought for an order that
        then stopped); the order waits for a new one until it goes on."""
        _require_reason(reason)

        def act(session: Session, order: OrderRow) -> None:
            label = self._jobs(session, order_id, Step.LABEL, StepState.DONE)
            if not label or not order.tracking_number:
                raise ActionRefused(f"Zamówienie {order.number} nie ma kupionej etykiety.")
            if order.packed_at is not None:
                raise ActionRefused(f"Zamówienie {order.number} jest spakowane: etykieta jest na paczce.")
            job = add_job(session, order, Step.LABEL_CANCEL)
            if job.state != StepState.PENDING.value:  # an earlier label was canceled: this one now
                job.state, job.attempts, job.next_attempt_at = StepState.PENDING.value, 0, utcnow()
                job.error_code = job.error_message = ""
            audit.record(session, "manual_label_cancel",
                         _said(f"Anulowanie etykiety {order.tracking_number} u przewoźnika", reason),
                         order_id=order_id, step=Step.LABEL_CANCEL.value, actor=actor)
        self._run(order_id, act)

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


def _back_to_pending(job: JobRow) -> None:
    """A failed step runs again at once, with a fresh set of attempts."""
    move(job, StepState.PENDING)
    job.attempts, job.next_attempt_at, job.phase = 0, utcnow(), ""
    job.error_code = job.error_message = ""


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise ActionRefused("Podaj powód: trafi do dziennika zdarzeń.")


def _said(message: str, reason: str) -> str:
    return f"{message} Powód: {reason.strip()}" if reason.strip() else message
