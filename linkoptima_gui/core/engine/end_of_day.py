"""The end of the packing day: for every carrier that wants one, its handover protocol (DPD) and
the courier booked (DPD, Furgonetka), once per day and carrier, printed at the station.

Why it looks like this:

- It is a station's action (the packer presses "Zamknij dzień"), not the engine's: it runs on the
  station's action lane with progress, and needs no engine on this computer, only the carriers.
- Once per day and carrier is the store's promise, not the carrier's (DPD would book a second
  courier): the closing row is claimed before the carrier is called (``day_closings``), so a
  second press, here or at another station, is told in Polish that the day is closed and may
  print the protocol again; two stations pressing at the same moment close it once.
- A closing whose carrier refused or did not answer is recorded as failed with the reason and
  can be pressed again: Furgonetka's pickup command id comes from the day and the parcels (a
  replay books nothing new); DPD's protocol is kept by its adapter and reused, and DPD refuses a
  waybill on a second protocol anyway.
- The printout: the carrier's protocol where it gives one, else the console's list of the parcels
  (``shipping/handover_pdf.py``), both A4 PDF, kept in the store for a reprint. A printer that
  fails leaves the day closed (the courier is booked) and says so: the reprint is one press.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import StepError
from ..printing.port import Printer, PrinterError
from ..shipping.catalogue import carrier_title
from ..shipping.handover_pdf import render_handover_pdf
from ..shipping.port import Carrier, PickupBooking, Shipment
from . import audit, day_closings
from .day_closings import ClosingInfo, DayBusy, DayClosed, HandOver

log = logging.getLogger(__name__)

#: ``Closing.outcome`` values
CLOSED, ALREADY, BUSY, NOTHING, FAILED = "closed", "already", "busy", "nothing", "failed"


@dataclass(frozen=True)
class Closing:
    """What the end of the day did for one carrier, said in Polish (``message``)."""

    carrier: str
    outcome: str
    message: str
    closing_id: int | None = None
    parcels: int = 0
    printed_to: str = ""
    #: the day closed now but its printout did not come out (reprint it)
    print_failed: bool = False


class EndOfDayError(StepError):
    """Nothing to reprint, or the closing is gone; ``reason`` is Polish."""

    code = "end_of_day"


def wants_end_of_day(carrier: Carrier) -> bool:
    caps = carrier.capabilities()
    return caps.pickup or caps.handover_protocol


class EndOfDay:
    """One station's end of the day over the store and the carriers (safe from any thread)."""

    def __init__(self, sessions: sessionmaker[Session], carriers: Sequence[Carrier], *,
                 claim_seconds: float = day_closings.CLOSING_SECONDS, sender: str = "") -> None:
        self._sessions = sessions
        self.carriers = [c for c in carriers if wants_end_of_day(c)]
        self.claim_seconds = claim_seconds
        self.sender = sender

    def close_day(self, printer: Printer, *, station: str, operator: str = "", day: date | None = None,
                  progress: Callable[[str], None] = lambda _text: None) -> list[Closing]:
        """Close ``day`` (today) for every carrier that wants it; one ``Closing`` per carrier."""
        day = day or date.today()
        results = []
        for number, carrier in enumerate(self.carriers, start=1):
            progress(f"{carrier_title(carrier.name)} ({number}/{len(self.carriers)}): zamawianie kuriera…")
            results.append(self._close(carrier, day, printer, station, operator))
            progress(results[-1].message)
        return results

    def reprint(self, closing_id: int, printer: Printer, *, station: str, operator: str = "") -> str:
        """Print a closed day's protocol (or parcel list) again; returns where it went."""
        with self._sessions() as session:
            found = day_closings.document_of(session, closing_id)
        if found is None or found[1] is None:
            raise EndOfDayError("Nie ma protokołu do ponownego wydruku.")
        closing, document = found
        where = printer.print_label(f"kopia-protokolu-{closing.carrier}-{closing.day.isoformat()}-"
                                    f"{uuid.uuid4().hex[:6]}", pdf=document)
        with self._sessions.begin() as session:
            audit.record(session, "day_reprinted", f"Ponowny wydruk protokołu {carrier_title(closing.carrier)} z "
                         f"dnia {closing.day.isoformat()}: {where}", actor=operator or station, station=station)
        return where

    def closings(self, day: date | None = None) -> list[ClosingInfo]:
        with self._sessions() as session:
            return day_closings.closings_of(session, day or date.today())

    # -- one carrier -------------------------------------------------------------------------------

    def _close(self, carrier: Carrier, day: date, printer: Printer, station: str, operator: str) -> Closing:
        title = carrier_title(carrier.name)
        try:
            claimed = self._claim(carrier.name, day, station, operator)
        except DayClosed as closed:
            c = closed.closing
            at = c.finished_at.replace(tzinfo=UTC).astimezone().strftime("%H:%M") if c.finished_at else ""
            protocol = f", protokół {c.protocol_id}" if c.protocol_id else ""
            return Closing(carrier.name, ALREADY, f"{title}: dzień {day.strftime('%d.%m.%Y')} jest już zamknięty "
                           f"(stanowisko {c.station}, {at}; paczek: {c.parcels}, zamówienie kuriera "
                           f"{c.booking_id or '—'}{protocol}). Drugi raz kuriera nie zamawiamy.", c.id, c.parcels)
        except DayBusy as busy:
            where = f"na stanowisku {busy.station}" if busy.station else "na innym stanowisku"
            return Closing(carrier.name, BUSY, f"{title}: dzień zamyka właśnie {where}; poczekaj chwilę.")
        if claimed is None:
            return Closing(carrier.name, NOTHING, f"{title}: brak spakowanych paczek do przekazania kurierowi.")
        closing_id, parcels = claimed
        shipments = [Shipment(p.shipment_id, p.number, p.tracking_number, "confirmed") for p in parcels]
        try:
            booking = carrier.book_pickup(shipments, day)
        except Exception as exc:  # noqa: BLE001 - any failure is recorded: the day stays open
            reason = exc.reason if isinstance(exc, StepError) else f"Błąd wewnętrzny: {exc!r}"
            if not isinstance(exc, StepError):
                log.exception("closing the day at %s failed", carrier.name)
            self._record_failure(closing_id, carrier.name, station, operator, reason)
            return Closing(carrier.name, FAILED, f"{title}: nie zamknięto dnia — {reason} Spróbuj ponownie.",
                           closing_id, len(parcels))
        document = booking.protocol_pdf or render_handover_pdf(
            title, day, booking.booking_id, [(p.tracking_number, p.number) for p in parcels], self.sender)
        self._record_done(closing_id, carrier.name, station, operator, booking, document, len(parcels))
        said = (f"{title}: zamknięto dzień — paczek: {len(parcels)}, zamówienie kuriera {booking.booking_id}"
                + (f", protokół {booking.protocol_id}" if booking.protocol_id else ""))
        try:
            where = printer.print_label(f"protokol-{carrier.name}-{day.isoformat()}", pdf=document)
        except PrinterError as exc:
            return Closing(carrier.name, CLOSED, f"{said}, ale wydruk się nie udał: {exc.reason} Wydrukuj protokół "
                           "ponownie.", closing_id, len(parcels), print_failed=True)
        return Closing(carrier.name, CLOSED, f"{said}; wydruk: {where}.", closing_id, len(parcels), where)

    def _claim(self, carrier: str, day: date, station: str, operator: str) -> tuple[int, list[HandOver]] | None:
        for attempt in (1, 2):
            try:
                with self._sessions.begin() as session:
                    claimed = day_closings.claim(session, day, carrier, station, operator, self.claim_seconds)
                    if claimed is not None:
                        audit.record(session, "day_closing", f"Zamykanie dnia {day.isoformat()}: "
                                     f"{carrier_title(carrier)}, paczek: {len(claimed[1])}",
                                     actor=operator or station, station=station,
                                     details={"carrier": carrier, "orders": [p.number for p in claimed[1]]})
                    return claimed
            except IntegrityError:  # another station inserted the closing a moment earlier
                if attempt == 2:
                    raise DayBusy("") from None
        raise AssertionError("unreachable")

    def _record_done(self, closing_id: int, carrier: str, station: str, operator: str, booking: PickupBooking,
                     document: bytes, parcels: int) -> None:
        with self._sessions.begin() as session:
            if not day_closings.finish(session, closing_id, station, booking, document):
                log.warning("closing %s of %s was taken over while its courier was being booked", closing_id,
                            carrier)
            audit.record(session, "day_closed", f"Zamknięto dzień: {carrier_title(carrier)}, paczek: {parcels}, "
                         f"zamówienie kuriera {booking.booking_id}", actor=operator or station, station=station,
                         details={"carrier": carrier, "booking": booking.booking_id,
                                  "protocol": booking.protocol_id})

    def _record_failure(self, closing_id: int, carrier: str, station: str, operator: str, reason: str) -> None:
        with self._sessions.begin() as session:
            day_closings.fail(session, closing_id, station, reason)
            audit.record(session, "day_close_failed", reason, actor=operator or station, station=station,
                         details={"carrier": carrier})
