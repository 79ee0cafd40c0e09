"""The Pulpit's figures as plain frozen data: what the screen draws and the daily PDF prints.

One shape for both, so the report shows exactly the screen's numbers. Times are the shop's
local time (hours of the day, days); money is ``Decimal``; a figure that could not be read
(Optima unreachable from this computer) is empty and ``optima_error`` says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

HOURS = 24


@dataclass(frozen=True)
class Period:
    """Days ``first`` to ``last``, both included, in local time."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @classmethod
    def ending(cls, last: date, days: int) -> Period:
        return cls(last - timedelta(days=days - 1), last)


@dataclass(frozen=True)
class Backlog:
    """Orders waiting now, by what they wait for."""

    paid_new: int  # paid (or cash on delivery), not taken into work yet
    waiting_for_documents: int  # FA, WZ or label still being made
    ready_to_pack: int
    exceptions: int


@dataclass(frozen=True)
class PackingTime:
    """One day's parcels: how many were packed and how long from payment to packing."""

    day: date
    parcels: int
    median_minutes: float | None
    p90_minutes: float | None


@dataclass(frozen=True)
class ExceptionCount:
    """Exceptions that arose on ``day`` with the reason ``code`` (a step failed, an order refused)."""

    day: date
    code: str
    count: int


@dataclass(frozen=True)
class Money:
    """Money on the way: sums and how many documents or orders make them."""

    cod_open_count: int = 0
    cod_open_amount: Decimal = Decimal(0)
    transfers_waiting_count: int = 0
    transfers_waiting_amount: Decimal = Decimal(0)
    #: the payment's title as the shop names it ("PayU", "Płatność przy odbiorze"...) -> settled today
    settled_today: dict[str, Decimal] = field(default_factory=dict)

    @property
    def settled_today_total(self) -> Decimal:
        return sum(self.settled_today.values(), Decimal(0))


@dataclass(frozen=True)
class ItemSales:
    """What Optima says of one item that sold in the sales window."""

    code: str
    name: str
    unit: str
    group: int  # Twr_TwGGIDNumer
    supplier_id: int | None  # Twr_KntId
    supplier: str  # the supplier's Knt_Kod
    available: Decimal
    sold: Decimal  # in the sales window


@dataclass(frozen=True)
class StockCover(ItemSales):
    """One item's stock against its sales: days of cover and, when it runs out within its
    supplier's lead time, what to order."""

    per_day: Decimal
    days_of_cover: float
    lead_time_days: int
    suggested: Decimal

    @property
    def runs_out_in_lead_time(self) -> bool:
        return self.days_of_cover < self.lead_time_days


@dataclass(frozen=True)
class Stock:
    """Items that sold in the window: how many, and the lowest covers (``lowest``, ascending);
    ``reorder`` is the "do zamówienia" table: those that run out within their lead time."""

    items_selling: int = 0
    sales_days: int = 30
    lowest: tuple[StockCover, ...] = ()
    reorder: tuple[StockCover, ...] = ()


@dataclass(frozen=True)
class DashboardFigures:
    at: datetime  # local time the figures were read
    period: Period
    paid_per_hour: tuple[int, ...]  # orders paid in the period, per hour of the day (0-23)
    packed_per_hour: dict[str, tuple[int, ...]]  # station -> parcels packed in the period per hour
    backlog: Backlog
    packing_times: tuple[PackingTime, ...]  # the last 30 days, oldest first
    exceptions: tuple[ExceptionCount, ...]  # the last 14 days, by day and reason
    money: Money
    stock: Stock
    optima_error: str = ""
    #: why Optima's figures are missing, for the screen to say in its language: "" (they are
    #: there), "not_connected" (this computer does not reach Optima) or "read_failed"
    optima_state: str = ""
    #: milliseconds the store's and Optima's reads took (for the bench and the log)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def paid_total(self) -> int:
        return sum(self.paid_per_hour)

    @property
    def packed_total(self) -> int:
        return sum(sum(hours) for hours in self.packed_per_hour.values())

    def exception_days(self) -> list[date]:
        last = self.at.date()
        return [last - timedelta(days=n) for n in range(13, -1, -1)]
