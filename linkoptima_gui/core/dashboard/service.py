"""``Dashboard``: what the console and the engine hold to compute the Pulpit's figures.

It reads the store (always) and Optima (where this computer can: the engine's computer, or the
demo), and takes the time as the shop's local time, so the same object answers the screen every
30 seconds, the daily report at its hour and ``linkoptima report`` for any past day. A failing
Optima read leaves the store's figures standing and says why (``optima_error``).
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

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


def local_now() -> datetime:
    return datetime.now().astimezone()


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
        with self.sessions() as session:
            paid = sf.paid_per_hour(session, period, zone)
            packed = sf.packed_per_hour(session, period, zone)
            backlog = sf.backlog(session)
            times = sf.packing_times(session, today, zone)
            exceptions = sf.exception_counts(session, today, zone)
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
