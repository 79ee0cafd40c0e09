"""Which carrier's day is closed, and by which station (the store's side of the end of the day).

A closing is one row per day and carrier (``DayClosing``), and the row is the claim, made the way
parcel claims and the engine lease are: the first station inserts it as ``started`` before it
calls the carrier, and the database's unique day + carrier refuses a second insert, so two
stations pressing at the same moment cannot both book a courier, on any database. Every later
change is a compare-and-set on what was read (state, expiry): a failed closing may be tried
again, a ``started`` one only once its claim lapsed (its station went away mid-call, by the
store's clock), and a ``done`` one never — a second press is told so and may reprint.

The parcels a closing hands over are the carrier's packed ones not on an earlier closing (looked
for over the last ``LOOKBACK_DAYS``): a parcel packed after yesterday's courier left goes today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..domain.steps import Stage, Step, StepState
from ..shipping.port import PickupBooking
from ..store.db import server_now
from ..store.models import DayClosing, JobRow, OrderRow

#: how long a closing stays its station's while the carrier is being called
CLOSING_SECONDS = 300.0
#: how far back packed parcels (and earlier closings) are looked for
LOOKBACK_DAYS = 14
STARTED, DONE, FAILED = "started", "done", "failed"


@dataclass(frozen=True)
class HandOver:
    """One parcel for the courier."""

    order_id: int
    number: str
    tracking_number: str
    shipment_id: str


@dataclass(frozen=True)
class ClosingInfo:
    """A closing as read (detached from the session)."""

    id: int
    day: date
    carrier: str
    state: str
    station: str
    operator: str
    finished_at: datetime | None
    booking_id: str
    protocol_id: str
    parcels: int
    has_document: bool
    error: str


class DayClosed(Exception):
    """The day is closed for this carrier already; ``closing`` says when, where and what."""

    def __init__(self, closing: ClosingInfo) -> None:
        super().__init__(f"closed: {closing.carrier} {closing.day}")
        self.closing = closing


class DayBusy(Exception):
    """Another station is closing this carrier's day right now (``station``)."""

    def __init__(self, station: str) -> None:
        super().__init__(f"busy: {station}")
        self.station = station


def info(row: DayClosing) -> ClosingInfo:
    return ClosingInfo(row.id, row.day, row.carrier, row.state, row.station, row.operator, row.finished_at,
                       row.booking_id, row.protocol_id, len(row.order_ids or []), row.document is not None,
                       row.error)


def parcels_to_hand_over(session: Session, carrier: str, day: date, *, skip: int | None = None) -> list[HandOver]:
    """The carrier's packed parcels that no other closing (done or under way) hands over."""
    now = server_now(session)
    taken: set[int] = set()
    closings = select(DayClosing.order_ids).where(
        DayClosing.carrier == carrier, DayClosing.state.in_([STARTED, DONE]),
        DayClosing.day >= day - timedelta(days=LOOKBACK_DAYS))
    if skip is not None:
        closings = closings.where(DayClosing.id != skip)
    for ids in session.scalars(closings):
        taken.update(ids or [])
    rows = session.execute(
        select(OrderRow.id, OrderRow.number, OrderRow.tracking_number, JobRow.result)
        .join(JobRow, (JobRow.order_id == OrderRow.id) & (JobRow.step == Step.LABEL.value))
        .where(OrderRow.carrier == carrier, OrderRow.tracking_number != "", OrderRow.stage == Stage.PACKED.value,
               OrderRow.packed_at >= now - timedelta(days=LOOKBACK_DAYS), JobRow.state == StepState.DONE.value)
        .order_by(OrderRow.packed_at, OrderRow.id)
    ).all()
    return [HandOver(r.id, r.number, r.tracking_number, str((r.result or {}).get("shipment_id") or ""))
            for r in rows if r.id not in taken]


def find(session: Session, day: date, carrier: str) -> DayClosing | None:
    return session.scalar(select(DayClosing).where(DayClosing.day == day, DayClosing.carrier == carrier))


def claim(session: Session, day: date, carrier: str, station: str, operator: str = "",
          seconds: float = CLOSING_SECONDS) -> tuple[int, list[HandOver]] | None:
    """Make the day's closing for ``carrier`` this station's: its id and the parcels it hands over,
    or None when there is nothing to hand over. ``DayClosed`` / ``DayBusy`` when it is not to be
    had; an ``IntegrityError`` on flush when another station inserted it a moment earlier (the
    transaction is lost: read again in a new one). Runs in the caller's transaction."""
    now = server_now(session)
    row = find(session, day, carrier)
    _refuse_taken(row, now)
    parcels = parcels_to_hand_over(session, carrier, day, skip=row.id if row is not None else None)
    if not parcels:
        if row is None:  # (another station may have claimed them since the first look)
            _refuse_taken(find(session, day, carrier), now)
        return None
    values = {"state": STARTED, "station": station[:64], "operator": operator[:64], "claimed_at": now,
              "expires_at": now + timedelta(seconds=seconds), "order_ids": [p.order_id for p in parcels],
              "tracking_numbers": [p.tracking_number for p in parcels], "error": "", "finished_at": None}
    if row is None:
        fresh = DayClosing(day=day, carrier=carrier, booking_id="", protocol_id="", **values)
        session.add(fresh)
        session.flush()
        return fresh.id, parcels
    taken = session.execute(
        update(DayClosing)
        .where(DayClosing.id == row.id, DayClosing.state == row.state, DayClosing.expires_at == row.expires_at)
        .values(**values)
    ).rowcount
    if taken != 1:
        raise DayBusy("")
    return row.id, parcels


def _refuse_taken(row: DayClosing | None, now: datetime) -> None:
    if row is None:
        return
    if row.state == DONE:
        raise DayClosed(info(row))
    if row.state == STARTED and row.expires_at >= now:
        raise DayBusy(row.station)


def finish(session: Session, closing_id: int, station: str, booking: PickupBooking, document: bytes) -> bool:
    """The carrier booked the courier: the closing is done (False when it is no longer ours)."""
    return session.execute(
        update(DayClosing)
        .where(DayClosing.id == closing_id, DayClosing.state == STARTED, DayClosing.station == station[:64])
        .values(state=DONE, booking_id=booking.booking_id[:64], protocol_id=booking.protocol_id[:64],
                document=document, finished_at=server_now(session), error="")
    ).rowcount == 1


def fail(session: Session, closing_id: int, station: str, reason: str) -> None:
    """The carrier refused or did not answer: the closing may be tried again."""
    session.execute(
        update(DayClosing)
        .where(DayClosing.id == closing_id, DayClosing.state == STARTED, DayClosing.station == station[:64])
        .values(state=FAILED, error=reason, finished_at=server_now(session)))


def closings_of(session: Session, day: date) -> list[ClosingInfo]:
    """The day's closings, every carrier."""
    return [info(row) for row in session.scalars(select(DayClosing).where(DayClosing.day == day)
                                                 .order_by(DayClosing.carrier))]


def document_of(session: Session, closing_id: int) -> tuple[ClosingInfo, bytes | None] | None:
    row = session.get(DayClosing, closing_id)
    return (info(row), bytes(row.document) if row.document is not None else None) if row is not None else None
