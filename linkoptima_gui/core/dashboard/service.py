"""``Dashboard``: what the console and the engine hold to compute the Pulpit's figures.

It reads the store (always) and Optima (where this computer can: the engine's computer, or the
demo), and takes the time as the shop's local time, so the same object answers the screen every
30 seconds, the daily report at its hour and ``linkoptima report`` for any past day. A failing
Optima read leaves the store's figures standing and says why (``optima_error``).

The store's figures of a day that is over do not change: payments are seen, parcels packed and
exceptions logged at the time they happen, so nothing lands on a day once it has ended (an
"undo packed" is allowed for a minute or so). ``PastDays`` therefore keeps each local day's part
(hours paid, hours packed per station, packing times, exceptions by reason) once the day has been
over for ``SETTLED_AFTER``, keyed by the figure, the day and the time zone; a refresh reads only
the days not kept (today, and yesterday for the first hour of a day) and adds the parts up. The
Optima part is read whole each time: stock moves all day.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ..optima.port import OptimaWriter
from . import store_figures as sf
from .figures import DashboardFigures, Money, Period, Stock
from .optima_figures import OptimaFigures
from .reorder import stock_overview
from .settings import DashboardSettings

log = logging.getLogger(__name__)

#: the title settled money goes under when its order is not in the store (booked by hand)
OUTSIDE_SHOP = "poza sklepem"
#: how long after its local midnight a day's store figures are taken as final and kept
SETTLED_AFTER = timedelta(hours=1)
#: days kept at most per figure (the longest window shown is 30 days)
KEPT_DAYS = 45

T = TypeVar("T")


def local_now() -> datetime:
    return datetime.now().astimezone()


class PastDays:
    """The store's per-day parts of days that are over, read once (module docstring).

    ``reads`` counts the store reads per figure (the tests see that a past day is read once)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[tuple[str, date, tzinfo], Any] = {}
        self.reads: dict[str, int] = defaultdict(int)

    def forget(self) -> None:
        """Drop every kept day (the store's past was rewritten: a restore, the demo's history)."""
        with self._lock:
            self._kept.clear()

    def days(self, figure: str, first: date, last: date, zone: tzinfo, settled: date,
             read: Callable[[date, date], dict[date, T]]) -> dict[date, T]:
        """``figure``'s part of every day ``first`` to ``last``: the kept ones as kept, the others
        by one ``read`` over their span; those up to ``settled`` are kept from then on."""
        wanted = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        with self._lock:
            found = {day: self._kept[(figure, day, zone)] for day in wanted if (figure, day, zone) in self._kept}
        missing = [day for day in wanted if day not in found]
        if missing:
            fresh = read(missing[0], missing[-1])
            self.reads[figure] += 1
            with self._lock:
                for day in missing:
                    found[day] = fresh[day]
                    if day <= settled:
                        self._kept[(figure, day, zone)] = fresh[day]
                oldest = last - timedelta(days=KEPT_DAYS)
                for key in [key for key in self._kept if key[1] < oldest]:
                    del self._kept[key]
        return {day: found[day] for day in wanted}


class Dashboard:
    """The Pulpit's figures and the order to a supplier booked from them.

    ``optima``: the company's reads (None: this computer does not reach Optima); ``writer``:
    the Optima writer a ZD is booked through (None: not from this computer); ``clock``: local
    "now", timezone-aware (tests and the report of a past day give their own)."""

    def __init__(self, sessions: sessionmaker[Session], optima: OptimaFigures | None = None,
                 settings: DashboardSettings | None = None, *, writer: OptimaWriter | None = None,
                 clock: Callable[[], datetime] = local_now) -> None:
        self.sessions = sessions
        self.optima = optima
        self.settings = settings or DashboardSettings()
        self.writer = writer
        self.clock = clock
        #: the store's figures of the days that are over
        self.past = PastDays()

    def figures(self, period_days: int = 1, day: date | None = None) -> DashboardFigures:
        """Everything the Pulpit shows: the period is the last ``period_days`` days up to
        ``day`` (default today); "now" is the end of a past ``day``."""
        now = self.clock()
        if day is not None and day != now.date():
            now = datetime.combine(day, datetime.max.time().replace(microsecond=0), now.tzinfo)
        zone = now.tzinfo
        assert zone is not None, "the clock must give an aware local time"
        today = now.date()
        period = Period.ending(today, max(1, period_days))
        timings: dict[str, float] = {}
        started = time.perf_counter()
        # days up to this one are over (for good) by the real clock, whatever day is asked
        settled = (self.clock() - SETTLED_AFTER).date() - timedelta(days=1)
        past = self.past
        with self.sessions() as session:
            def days(figure: str, read: Callable[..., dict[date, T]], first: date) -> dict[date, T]:
                return past.days(figure, first, today, zone, settled,
                                 lambda a, b: read(session, a, b, zone))

            paid = sf.paid_per_hour_of(days("paid", sf.paid_hours_by_day, period.first).values())
            packed = sf.packed_per_hour_of(days("packed", sf.packed_hours_by_day, period.first).values())
            backlog = sf.backlog(session)
            times = tuple(days("packing_times", sf.packing_times_by_day,
                               Period.ending(today, sf.PACKING_DAYS).first).values())
            exceptions = sf.exception_counts_of(days("exceptions", sf.exceptions_by_day,
                                                     Period.ending(today, sf.EXCEPTION_DAYS).first))
            transfers = sf.transfers_waiting(session)
            timings["store_ms"] = (time.perf_counter() - started) * 1000
            money, stock, error = self._from_optima(session, today, transfers)
        state = "" if not error else ("not_connected" if self.optima is None else "read_failed")
        timings["total_ms"] = (time.perf_counter() - started) * 1000
        return DashboardFigures(at=now, period=period, paid_per_hour=paid, packed_per_hour=packed, backlog=backlog,
                                packing_times=times, exceptions=exceptions, money=money, stock=stock,
                                optima_error=error, optima_state=state, timings=timings)

    def _from_optima(self, session: Session, today: date, transfers: tuple[int, Decimal]) -> tuple[Money, Stock, str]:
        waiting = Money(transfers_waiting_count=transfers[0], transfers_waiting_amount=transfers[1])
        if self.optima is None:
            return waiting, Stock(sales_days=self.settings.sales_days), "Optima nie jest połączona z tym komputerem."
        try:
            dues = self.optima.open_dues()
            settled = self.optima.settled_on(today)
            items = self.optima.item_sales(today, self.settings.sales_days)
        except SQLAlchemyError as exc:
            log.warning("the Pulpit could not read Optima: %s", exc)
            return waiting, Stock(sales_days=self.settings.sales_days), f"Nie udało się odczytać Optimy: {exc.__class__.__name__}"
        orders = sf.orders_by_number(session, [*dues, *(number for number, _ in settled)])
        cod = {number: amount for number, amount in dues.items()
               if number in orders and orders[number][0] == "cod" and orders[number][2]}
        by_title: dict[str, Decimal] = defaultdict(Decimal)
        for number, amount in settled:
            by_title[orders[number][1] if number in orders else OUTSIDE_SHOP] += amount
        money = Money(cod_open_count=len(cod), cod_open_amount=sum(cod.values(), Decimal(0)),
                      transfers_waiting_count=transfers[0], transfers_waiting_amount=transfers[1],
                      settled_today=dict(sorted(by_title.items())))
        return money, stock_overview(items, self.settings), ""
