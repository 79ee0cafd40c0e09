"""The packing station's one action: print the label and mark the parcel packed.

Safe against several stations (a parcel is claimed by the station that opens it, and another
station cannot print it: ``parcel_claims``), against two presses at once (the PACKED job is
claimed with a conditional update, its claim lapsing if the station dies mid-print) and against
crashes (the print job name is fixed before printing, so a retry after a crash overwrites the
same file instead of printing a second label on a file printer). If the printer fails, the
parcel is NOT marked packed and the button can be pressed again. The label is read from the
store, so a station on any computer prints what the engine fetched.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..domain.steps import Stage, Step, StepState
from ..faults import crash_point
from ..printing.port import Printer, PrinterError
from ..store.db import server_now
from ..store.documents import LABEL_PDF, LABEL_ZPL, DocumentMissing, read_document
from ..store.models import JobRow, OrderRow, utcnow
from . import audit, parcel_claims
from .events import EventBus
from .parcel_claims import PackingError, ParcelTaken
from .planning import add_job, refresh_stage

#: how long a station's print may take before the engine gives the parcel back to the queue
PRINT_CLAIM_SECONDS = 120.0


def station_claimant(station: str) -> str:
    """How a station's claim of a PACKED job names it (an engine's claims name the engine)."""
    return f"station:{station}"[:64]


__all__ = ["PackResult", "PackingError", "PackingService", "ParcelTaken"]


@dataclass(frozen=True)
class PackResult:
    order_id: int
    number: str
    tracking_number: str
    printed_to: str


class PackingService:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        bus: EventBus,
        wake_engine: Callable[[], None] = lambda: None,
        *,
        undo_seconds: float = 60.0,
    ) -> None:
        self._sessions = session_factory
        self._bus = bus
        #: wakes this computer's engine after a pack (a no-op where the engine runs elsewhere)
        self.wake_engine = wake_engine
        #: how long a "packed" can be taken back; the shop hears of the parcel only after that
        self.undo_seconds = undo_seconds

    def pack(self, order_id: int, printer: Printer, *, station: str = "", operator: str = "") -> PackResult:
        """Print the label of ``order_id`` and mark it packed. Raises ``PrinterError`` or
        ``PackingError``; on either, the parcel stays ready to pack."""
        actor = operator or station or "packer"
        job_name, pdf, zpl, number, tracking = self._claim(order_id, station, actor)
        crash_point("pack:claimed")
        try:
            printed_to = printer.print_label(job_name, pdf=pdf, zpl=zpl)
        except PrinterError as exc:
            self._release(order_id, station, actor, exc)
            raise
        crash_point("pack:printed")
        self._finish(order_id, station, actor, printer.url, printed_to)
        self._bus.orders_changed(order_id)
        self.wake_engine()
        return PackResult(order_id, number, tracking, printed_to)

    def open_parcel(self, order_id: int, *, station: str, operator: str = "") -> None:
        """Claim the parcel for ``station`` as it comes on its screen (renewed by calling again);
        ``ParcelTaken`` when another station has it open."""
        try:
            with self._sessions.begin() as session:
                order = session.get(OrderRow, order_id)
                if order is None:
                    raise PackingError(f"Nie ma zamówienia o id {order_id}.")
                parcel_claims.claim(session, order, station, operator)
        except IntegrityError as exc:
            raise PackingError("Paczkę otworzyło w tej chwili inne stanowisko.") from exc
        self._bus.orders_changed(order_id)

    def close_parcel(self, order_id: int, *, station: str) -> None:
        """The station moved on without packing: the parcel is free for the others."""
        with self._sessions.begin() as session:
            parcel_claims.release(session, order_id, station)
        self._bus.orders_changed(order_id)

    # -- phases, each its own transaction --------------------------------------------------

    def _claim(self, order_id: int, station: str, actor: str) -> tuple[str, bytes | None, bytes | None, str, str]:
        try:
            with self._sessions.begin() as session:
                return self._claim_in(session, order_id, station, actor)
        except IntegrityError as exc:
            raise PackingError("Paczkę otworzyło w tej chwili inne stanowisko.") from exc

    def _claim_in(self, session: Session, order_id: int, station: str,
                  actor: str) -> tuple[str, bytes | None, bytes | None, str, str]:
        order = session.get(OrderRow, order_id)
        if order is None:
            raise PackingError(f"Nie ma zamówienia o id {order_id}.")
        if order.stage != Stage.READY_TO_PACK.value:
            raise PackingError(
                f"Zamówienie {order.number} nie jest gotowe do spakowania (etap: {order.stage}).",
                details={"stage": order.stage},
            )
        try:
            pdf = read_document(session, order_id, LABEL_PDF, order.label_pdf)
            zpl = read_document(session, order_id, LABEL_ZPL, order.label_zpl)
        except DocumentMissing as exc:
            raise PrinterError(f"Nie można odczytać etykiety: {exc}") from exc
        parcel_claims.claim(session, order, station or actor, actor)
        now = server_now(session)
        claimant = station_claimant(station or actor)
        # free, or this station's own print cut off by a crash, or a print whose claim lapsed
        takeable = or_(JobRow.state == StepState.PENDING.value,
                       and_(JobRow.state == StepState.STARTED.value,
                            or_(JobRow.claimed_by == claimant, JobRow.claim_expires_at < now)))
        claimed = session.execute(
            update(JobRow)
            .where(JobRow.order_id == order_id, JobRow.step == Step.PACKED.value, takeable)
            .values(state=StepState.STARTED.value, started_at=utcnow(), attempts=JobRow.attempts + 1,
                    claimed_by=claimant, claim_fencing=0,
                    claim_expires_at=now + timedelta(seconds=PRINT_CLAIM_SECONDS))
        ).rowcount
        if claimed != 1:
            raise PackingError(f"Zamówienie {order.number} pakuje już inne stanowisko.")
        if not order.pack_token:
            order.pack_token = uuid.uuid4().hex[:12]
        audit.record(session, "pack_started", f"Drukowanie etykiety ({actor})", order_id=order_id,
                     step=Step.PACKED.value, actor=actor, station=station)
        return (f"etykieta-{order.number}-{order.pack_token}", pdf, zpl, order.number, order.tracking_number)

    def _release(self, order_id: int, station: str, actor: str, exc: Exception) -> None:
        """The print failed: the PACKED job is free again (the station keeps the parcel open)."""
        with self._sessions.begin() as session:
            session.execute(
                update(JobRow)
                .where(JobRow.order_id == order_id, JobRow.step == Step.PACKED.value)
                .where(JobRow.state == StepState.STARTED.value)
                .values(state=StepState.PENDING.value, claimed_by="", claim_expires_at=None)
            )
            audit.record(session, "print_failed", str(exc), order_id=order_id, step=Step.PACKED.value, actor=actor,
                         station=station)

    def _finish(self, order_id: int, station: str, actor: str, printer_url: str, printed_to: str) -> None:
        with self._sessions.begin() as session:
            order = session.get(OrderRow, order_id)
            job = session.scalar(
                select(JobRow).where(JobRow.order_id == order_id, JobRow.step == Step.PACKED.value)
            )
            assert order is not None and job is not None
            now = utcnow()
            job.state = StepState.DONE.value
            job.finished_at = now
            job.claimed_by, job.claim_expires_at = "", None
            job.result = {"printer": printer_url, "printed_to": printed_to}
            order.packed_at = now
            order.packed_by = actor
            order.packed_station = station
            parcel_claims.release(session, order_id, station or actor)
            shop_job = add_job(session, order, Step.SHOP)
            shop_job.next_attempt_at = now + timedelta(seconds=self.undo_seconds)
            audit.record(session, "packed", f"Spakowano, etykieta wydrukowana: {printed_to}",
                         order_id=order_id, step=Step.PACKED.value, actor=actor, station=station)
            refresh_stage(session, order)

    # -- taking a "packed" back ----------------------------------------------------------------

    def undo_pack(self, order_id: int, *, station: str = "", operator: str = "") -> str:
        """Put a parcel packed moments ago back in the queue (a wrong box, a missing item).

        Possible while the shop has not been told yet (its write-back waits ``undo_seconds``
        after packing); returns the order number. The printed label stays valid: the next press
        prints the same shipment's label again.
        """
        actor = operator or station or "packer"
        with self._sessions.begin() as session:
            order = session.get(OrderRow, order_id)
            if order is None or order.stage != Stage.PACKED.value:
                raise PackingError("Tego zamówienia nie można cofnąć: nie jest spakowane.")
            shop_job = session.scalar(select(JobRow).where(JobRow.order_id == order_id,
                                                           JobRow.step == Step.SHOP.value))
            too_late = order.packed_at is None or (utcnow() - order.packed_at).total_seconds() > self.undo_seconds
            if too_late or (shop_job is not None and shop_job.state != StepState.PENDING.value):
                raise PackingError(
                    f"Za późno, aby cofnąć spakowanie zamówienia {order.number}: sklep już dostał "
                    "informację o wysyłce.", details={"number": order.number})
            if shop_job is not None:
                session.delete(shop_job)
            session.execute(update(JobRow).where(JobRow.order_id == order_id, JobRow.step == Step.PACKED.value)
                            .values(state=StepState.PENDING.value, finished_at=None))
            order.packed_at, order.packed_by, order.packed_station = None, "", ""
            audit.record(session, "unpacked", f"Cofnięto spakowanie ({actor})", order_id=order_id,
                         step=Step.PACKED.value, actor=actor, station=station)
            session.flush()
            refresh_stage(session, order)
            number = order.number
        self._bus.orders_changed(order_id)
        return number
