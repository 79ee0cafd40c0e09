"""The store's figures of days that are over are read once and kept; today's are read every time;
and the figures made of kept days equal the books computed again with plain SQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import delete

from linkoptima_gui.core.dashboard.service import Dashboard, PastDays
from linkoptima_gui.core.store.models import OrderRow
from linkoptima_gui.demo.world import DemoWorld

from . import books

ZONE = timezone(timedelta(hours=1))


def test_a_day_is_kept_once_it_is_settled() -> None:
    past = PastDays()
    spans: list[tuple[date, date]] = []

    def read(first: date, last: date) -> dict[date, int]:
        spans.append((first, last))
        return {first + timedelta(days=n): n for n in range((last - first).days + 1)}

    today = date(2026, 12, 6)
    first = today - timedelta(days=29)
    yesterday = today - timedelta(days=1)
    # just after midnight yesterday is not settled yet: kept up to the day before
    assert past.days("paid", first, today, ZONE, yesterday - timedelta(days=1), read)[first] == 0
    assert spans == [(first, today)]
    past.days("paid", first, today, ZONE, yesterday - timedelta(days=1), read)
    assert spans[-1] == (yesterday, today)  # yesterday and today read again, the rest kept
    past.days("paid", first, today, ZONE, yesterday, read)  # an hour later yesterday is final
    past.days("paid", first, today, ZONE, yesterday, read)
    assert spans[-1] == (today, today) and past.reads["paid"] == 4
    # another figure, another zone: their own days
    past.days("packed", first, today, ZONE, yesterday, read)
    past.days("paid", first, today, UTC, yesterday, read)
    assert spans[-2:] == [(first, today), (first, today)]
    past.forget()
    past.days("paid", today - timedelta(days=6), today, ZONE, yesterday, read)
    assert spans[-1] == (today - timedelta(days=6), today)


def _paid_now(world: DemoWorld) -> int:
    """One order paid this minute (as the intake marks it), for today's figures to move."""
    now = datetime.now(UTC).replace(tzinfo=None)
    with world.sessions.begin() as session:
        order = OrderRow(shop_order_id=990_001, number="990001", stage="new", total=Decimal("10.00"),
                         payment_kind="online", paid=True, paid_seen_at=now)
        session.add(order)
        session.flush()
        return order.id


def test_past_days_are_read_once_and_today_still_moves(history_world: DemoWorld) -> None:
    dashboard = Dashboard(history_world.sessions)  # its own kept days
    first = dashboard.figures(30)
    reads = dict(dashboard.past.reads)
    assert set(reads) == {"paid", "packed", "packing_times", "exceptions"}
    spans: list[tuple[str, date, date]] = []
    original = PastDays.days

    def watched(self: PastDays, figure: str, first_day: date, last: date, zone, settled, read):  # noqa: ANN001, ANN202
        def seen(a: date, b: date) -> dict:
            spans.append((figure, a, b))
            return read(a, b)
        return original(self, figure, first_day, last, zone, settled, seen)

    PastDays.days = watched  # type: ignore[method-assign]
    order_id = _paid_now(history_world)
    try:
        second = dashboard.figures(30)
    finally:
        PastDays.days = original  # type: ignore[method-assign]
        with history_world.sessions.begin() as session:
            session.execute(delete(OrderRow).where(OrderRow.id == order_id))
    today = second.at.date()
    # only the days not settled were read again: today (and yesterday in the first hour of a day)
    assert spans and all(a >= today - timedelta(days=1) and b == today for _figure, a, b in spans)
    assert second.paid_total == first.paid_total + 1  # today's figure still moves
    assert second.packing_times == first.packing_times and second.exceptions == first.exceptions


def test_kept_days_give_the_books_figures(history_world: DemoWorld) -> None:
    dashboard = Dashboard(history_world.sessions)
    dashboard.figures(30)  # the past days kept...
    figures = dashboard.figures(30)  # ...and used
    store = history_world.folder / "console.sqlite"
    assert list(figures.paid_per_hour) == books.paid_per_hour(store, figures.period.first, figures.period.last)
    expected = books.packed_per_station(store, figures.period.first, figures.period.last)
    assert {k: list(v) for k, v in figures.packed_per_hour.items()} == expected
    for day in figures.packing_times:
        assert (day.parcels, day.median_minutes, day.p90_minutes) == books.packing_minutes(store, day.day)
    since = figures.at.date() - timedelta(days=13)
    assert {(e.day, e.code): e.count for e in figures.exceptions} == dict(books.exceptions(store, since))
    week = dashboard.figures(7)  # a shorter period from the same kept days
    assert list(week.paid_per_hour) == books.paid_per_hour(store, week.period.first, week.period.last)
    # a past day's report made from kept days is the same as read straight from the store
    day = figures.at.date() - timedelta(days=3)
    assert dashboard.figures(1, day).paid_per_hour == Dashboard(history_world.sessions).figures(1, day).paid_per_hour
