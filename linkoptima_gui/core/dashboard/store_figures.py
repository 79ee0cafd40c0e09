"""The Pulpit's reads of the console's store: the day's flow, packing, the backlog, exceptions.

Each is one query over an index (``0006``: paid and packed times, the audit log's kind and
time), fetching only the few columns it needs over the days it is asked for, so a store with
years of orders answers in milliseconds; the binning into local hours and days is done here, in
Python, because the store keeps UTC and the shop lives in local time. The reads answer per local
day (``*_by_day``), so that ``service`` can keep the days that are over and read only today's
rows again; ``*_of`` add the days up.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.steps import Stage
from ..store.models import AuditEvent, OrderRow
from .figures import HOURS, Backlog, ExceptionCount, PackingTime, Period

#: the audit kinds that mark an exception arising: a step failed, the intake refused an order
EXCEPTION_KINDS = ("step_failed", "rejected")
#: days shown by the packing-time and exception charts
PACKING_DAYS = 30
EXCEPTION_DAYS = 14


def utc_bounds(period: Period, zone: tzinfo) -> tuple[datetime, datetime]:
    """The period's local midnights as naive UTC, the way the store keeps its times."""
    def midnight(day: date) -> datetime:
        return datetime.combine(day, datetime.min.time(), zone).astimezone(UTC).replace(tzinfo=None)

    return midnight(period.first), midnight(period.last + timedelta(days=1))


def local(moment: datetime, zone: tzinfo) -> datetime:
    """A store time (naive UTC) in local time."""
    return moment.replace(tzinfo=UTC).astimezone(zone)


def p90(values: list[float]) -> float:
    """The 90th percentile by nearest rank: the value 90 % of the parcels were at or under."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def paid_hours_by_day(session: Session, first: date, last: date, zone: tzinfo) -> dict[date, tuple[int, ...]]:
    """Orders seen paid on each local day ``first`` to ``last``, per local hour of the day (every
    day of the span present, empty ones all zeros)."""
    start, end = utc_bounds(Period(first, last), zone)
    days: dict[date, list[int]] = {day: [0] * HOURS for day in _days(first, last)}
    for (paid,) in session.execute(select(OrderRow.paid_seen_at).where(
            OrderRow.paid_seen_at >= start, OrderRow.paid_seen_at < end)):
        moment = local(paid, zone)
        days[moment.date()][moment.hour] += 1
    return {day: tuple(hours) for day, hours in days.items()}


def packed_hours_by_day(session: Session, first: date, last: date,
                        zone: tzinfo) -> dict[date, tuple[tuple[str, tuple[int, ...]], ...]]:
    """Parcels packed on each local day ``first`` to ``last``, per station and local hour (a
    parcel packed without a station, by the command line, counts under its packer's name)."""
    start, end = utc_bounds(Period(first, last), zone)
    days: dict[date, dict[str, list[int]]] = {day: {} for day in _days(first, last)}
    rows = session.execute(select(OrderRow.packed_at, OrderRow.packed_station, OrderRow.packed_by).where(
        OrderRow.packed_at >= start, OrderRow.packed_at < end))
    for packed, station, packer in rows:
        moment = local(packed, zone)
        days[moment.date()].setdefault(station or packer or "?", [0] * HOURS)[moment.hour] += 1
    return {day: tuple((name, tuple(hours)) for name, hours in sorted(stations.items()))
            for day, stations in days.items()}


def packing_times_by_day(session: Session, first: date, last: date, zone: tzinfo) -> dict[date, PackingTime]:
    """Per local day of packing ``first`` to ``last``: parcels, and the median and 90th
    percentile of the minutes from payment seen to packed."""
    start, end = utc_bounds(Period(first, last), zone)
    minutes: dict[date, list[float]] = defaultdict(list)
    rows = session.execute(select(OrderRow.paid_seen_at, OrderRow.packed_at).where(
        OrderRow.packed_at >= start, OrderRow.packed_at < end, OrderRow.paid_seen_at.is_not(None)))
    for paid, packed in rows:
        minutes[local(packed, zone).date()].append(max(0.0, (packed - paid).total_seconds() / 60))
    result = {}
    for day in _days(first, last):
        values = minutes.get(day, [])
        result[day] = PackingTime(day, len(values), statistics.median(values) if values else None,
                                  p90(values) if values else None)
    return result


def exceptions_by_day(session: Session, first: date, last: date, zone: tzinfo) -> dict[date, tuple[tuple[str, int], ...]]:
    """Exceptions that arose on each local day ``first`` to ``last``, by reason code, from the
    audit log (so the ones a person has solved since still count on their day)."""
    start, end = utc_bounds(Period(first, last), zone)
    rows = session.execute(select(AuditEvent.at, AuditEvent.details).where(
        AuditEvent.kind.in_(EXCEPTION_KINDS), AuditEvent.at >= start, AuditEvent.at < end))
    counts: dict[date, Counter[str]] = {day: Counter() for day in _days(first, last)}
    for at, details in rows:
        counts[local(at, zone).date()][str((details or {}).get("code") or "")] += 1
    return {day: tuple(sorted(codes.items())) for day, codes in counts.items()}


# -- the figures of a span of days, from the days' parts (``service`` caches the parts of days
#    that are over; these add up whatever it hands them)


def paid_per_hour_of(days: Iterable[tuple[int, ...]]) -> tuple[int, ...]:
    """Orders paid per local hour of the day over the given days."""
    hours = [0] * HOURS
    for day in days:
        for hour, count in enumerate(day):
            hours[hour] += count
    return tuple(hours)


def packed_per_hour_of(days: Iterable[tuple[tuple[str, tuple[int, ...]], ...]]) -> dict[str, tuple[int, ...]]:
    """Parcels packed per station and local hour over the given days, stations by name."""
    stations: dict[str, list[int]] = defaultdict(lambda: [0] * HOURS)
    for day in days:
        for name, hours in day:
            total = stations[name]
            for hour, count in enumerate(hours):
                total[hour] += count
    return {name: tuple(hours) for name, hours in sorted(stations.items())}


def exception_counts_of(days: dict[date, tuple[tuple[str, int], ...]]) -> tuple[ExceptionCount, ...]:
    """(day, reason) counts, ordered by day and reason, the days without any left out."""
    return tuple(ExceptionCount(day, code, n) for day in sorted(days) for code, n in days[day])


# -- one period straight from the store (the cache's parts added up give the same)


def paid_per_hour(session: Session, period: Period, zone: tzinfo) -> tuple[int, ...]:
    """Orders seen paid in the period, per local hour of the day."""
    return paid_per_hour_of(paid_hours_by_day(session, period.first, period.last, zone).values())


def packed_per_hour(session: Session, period: Period, zone: tzinfo) -> dict[str, tuple[int, ...]]:
    """Parcels packed in the period, per station and local hour."""
    return packed_per_hour_of(packed_hours_by_day(session, period.first, period.last, zone).values())


def backlog(session: Session) -> Backlog:
    """Orders waiting now, from the stage index."""
    counts = dict(session.execute(select(OrderRow.stage, func.count()).group_by(OrderRow.stage)).all())
    return Backlog(paid_new=int(counts.get(Stage.NEW.value, 0)),
                   waiting_for_documents=int(counts.get(Stage.PROCESSING.value, 0)),
                   ready_to_pack=int(counts.get(Stage.READY_TO_PACK.value, 0)),
                   exceptions=int(counts.get(Stage.EXCEPTION.value, 0)))


def packing_times(session: Session, last: date, zone: tzinfo, days: int = PACKING_DAYS) -> tuple[PackingTime, ...]:
    """The last ``days`` days up to ``last``, oldest first (``packing_times_by_day``)."""
    period = Period.ending(last, days)
    return tuple(packing_times_by_day(session, period.first, period.last, zone).values())


def exception_counts(session: Session, last: date, zone: tzinfo, days: int = EXCEPTION_DAYS) -> tuple[ExceptionCount, ...]:
    """Exceptions per local day and reason code over the last ``days`` days up to ``last``."""
    period = Period.ending(last, days)
    return exception_counts_of(exceptions_by_day(session, period.first, period.last, zone))


def transfers_waiting(session: Session) -> tuple[int, Decimal]:
    """Orders paid by bank transfer that still wait for the money: how many, and their total."""
    count, total = session.execute(select(func.count(), func.coalesce(func.sum(OrderRow.total), 0)).where(
        OrderRow.stage == Stage.AWAITING_PAYMENT.value, OrderRow.payment_kind == "transfer")).one()
    return int(count), Decimal(total).quantize(Decimal("0.01"))


def orders_by_number(session: Session, numbers: Iterable[str]) -> dict[str, tuple[str, str, bool]]:
    """Order number -> (payment kind, payment title, shipped) for the numbers Optima named."""
    wanted = sorted(set(numbers))
    found: dict[str, tuple[str, str, bool]] = {}
    for i in range(0, len(wanted), 900):
        rows = session.execute(select(OrderRow.number, OrderRow.payment_kind, OrderRow.payment_title,
                                      OrderRow.packed_at).where(OrderRow.number.in_(wanted[i:i + 900])))
        found.update((number, (kind, title, packed is not None)) for number, kind, title, packed in rows)
    return found
