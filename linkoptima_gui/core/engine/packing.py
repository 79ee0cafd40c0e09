"""The packing station's one action: print the label and mark the parcel packed.

Safe against two stations pressing at once (the PACKED job is claimed with a conditional
update) and against crashes (the print job name is fixed before printing, so a retry after a
crash overwrites the same file instead of printing a second label on a file printer). If the
printer fails, the parcel is NOT marked packed and the button can be pressed again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from ..domain.steps import Stage, Step, StepState
from ..errors import PermanentError
from ..printing.port import Printer, PrinterError
from ..store.models import JobRow, OrderRow, utcnow
from . import audit
from .events import EventBus
from .faults import crash_point
from .planning import add_job, refresh_stage


class PackingError(PermanentError):
    """The parcel cannot be packed now (not ready, already packed, taken by another station)."""

    code = "packing"


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
        self._wake_engine = wake_engine
        #: how long a "packed" can be taken back; the shop hears of the parcel only after that
        self.undo_seconds = undo_seconds

    def pack(self, order_id: int, printer: Printer, *, station: str = "", operator: str = "") -> PackResult:
        """Print the label of ``order_id`` and mark it packed. Raises ``PrinterError`` or
        ``PackingError``; on either, the parcel stays ready to pack."""
        actor = operator or station or "packer"
        job_name, label_pdf, label_zpl, number, tracking = self._claim(order_id, actor)
        crash_point("pack:claimed")
        try:
            pdf = Path(label_pdf).read_bytes() if label_pdf else None
            zpl = Path(label_zpl).read_bytes() if label_zpl else None
            printed_to = printer.print_label(job_name, pdf=pdf, zpl=zpl)
        except (PrinterError, OSError) as exc:
            self._release(order_id, actor, exc)
            if isinstance(exc, PrinterError):
                raise
            raise PrinterError(f"Nie można odczytać etykiety: {exc}") from exc
        crash_point("pack:printed")
        self._finish(order_id, actor, printer.url, printed_to)
        self._bus.orders_changed(order_id)
        self._wake_engine()
        return PackResult(order_id, number, tracking, printed_to)

    # -- phases, each its own transaction --------------------------------------------------

    def _claim(self, order_id: int, actor: str) -> tuple[str, str, str, str, str]:
        with self._sessions.begin() as session:
            order = session.get(OrderRow, order_id)
            if order is None:
                raise PackingError(f"Nie ma zamówienia o id {order_id}.")
            if order.stage != Stage.READY_TO_PACK.value:
                raise PackingError(
                    f"Zamówienie {order.number} nie jest gotowe do spakowania (etap: {order.stage}).",
                    details={"stage": order.stage},
                )
            claimed = session.execute(
                update(JobRow)
                .where(JobRow.order_id == order_id, JobRow.step == Step.PACKED.value)
                .where(JobRow.state == StepState.PENDING.value)
                .values(state=StepState.STARTED.value, started_at=utcnow(), attempts=JobRow.attempts + 1)
            ).rowcount
            if claimed != 1:
                raise PackingError(f"Zamówienie {order.number} pakuje już inne stanowisko.")
            if not order.pack_token:
                order.pack_token = uuid.uuid4().hex[:12]
            audit.record(session, "pack_started", f"Drukowanie etykiety ({actor})", order_id=order_id,
                         step=Step.PACKED.value, actor=actor)
            return (f"etykieta-{order.number}-{order.pack_token}", order.label_pdf, order.label_zpl,
                    order.number, order.tracking_number)

    def _release(self, order_id: int, actor: str, exc: Exception) -> None:
        with self._sessions.begin() as session:
            session.execute(
                update(JobRow)
                .where(JobRow.order_id == order_id, JobRow.step == Step.PACKED.value)
                .where(JobRow.state == StepState.STARTED.value)
                .values(state=StepState.PENDING.value)
            )
            audit.record(session, "print_failed", str(exc), order_id=order_id, step=Step.PACKED.value, actor=actor)

    def _finish(self, order_id: int, actor: str, printer_url: str, printed_to: str) -> None:
        with self._sessions.begin() as session:
            order = session.get(OrderRow, order_id)
            job = session.scalar(
                select(JobRow).where(JobRow.order_id == order_id, JobRow.step == Step.PACKED.value)
            )
            assert order is not None and job is not None
            now = utcnow()
            job.state = StepState.DONE.value
            job.finished_at = now
            job.result = {"printer": printer_url, "printed_to": printed_to}
            order.packed_at = now
            order.packed_by = actor
            shop_job = add_job(session, order, Step.SHOP)
            shop_job.next_attempt_at = now + timedelta(seconds=self.undo_seconds)
            audit.record(session, "packed", f"Spakowano, etykieta wydrukowana: {printed_to}",
                         order_id=order_id, step=Step.PACKED.value, actor=actor)
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
            order.packed_at, order.packed_by = None, ""
            audit.record(session, "unpacked", f"Cofnięto spakowanie ({actor})", order_id=order_id,
                         step=Step.PACKED.value, actor=actor)
            session.flush()
            refresh_stage(session, order)
            number = order.number
        self._bus.orders_changed(order_id)
        return number
