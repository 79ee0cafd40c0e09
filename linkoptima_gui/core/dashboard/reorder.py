"""Days of cover and what to order: arithmetic only, on the figures Optima gave.

- pace per day = what left the warehouse in the sales window / the window's days;
- days of cover = available now / pace (an item that sold nothing is not listed: no pace);
- an item runs out within its supplier's lead time when its cover is shorter than that time;
- suggested quantity = the pace over the lead time plus the days an order should cover, minus
  what is available, rounded up to a whole unit (at least one).
"""

from __future__ import annotations

from dataclasses import fields
from decimal import ROUND_CEILING, Decimal

from .figures import ItemSales, Stock, StockCover
from .settings import DashboardSettings

#: how many of the lowest covers the screen and the report show
LOWEST_SHOWN = 15
#: the card's fields a cover carries over (a shallow copy: ``asdict`` deep-copied every Decimal
#: and took 60 ms of the Pulpit's read for 2,767 selling items)
_ITEM_FIELDS = tuple(f.name for f in fields(ItemSales))


def cover_of(item: ItemSales, settings: DashboardSettings) -> StockCover:
    per_day = item.sold / settings.sales_days
    available = max(item.available, Decimal(0))
    days = float(available / per_day) if per_day > 0 else float("inf")
    lead = settings.lead_time(item.group)
    suggested = Decimal(0)
    if days < lead:
        wanted = per_day * (lead + settings.cover_days) - available
        suggested = max(Decimal(1), wanted.to_integral_value(rounding=ROUND_CEILING))
    return StockCover(**{name: getattr(item, name) for name in _ITEM_FIELDS}, per_day=per_day.quantize(Decimal("0.01")), days_of_cover=days,
                      lead_time_days=lead, suggested=suggested)


def stock_overview(items: list[ItemSales], settings: DashboardSettings) -> Stock:
    """The covers of every selling item, the lowest few, and the reorder list (shortest cover
    first, then by code)."""
    covers = sorted((cover_of(item, settings) for item in items if item.sold > 0),
                    key=lambda c: (c.days_of_cover, c.code))
    return Stock(items_selling=len(covers), sales_days=settings.sales_days, lowest=tuple(covers[:LOWEST_SHOWN]),
                 reorder=tuple(c for c in covers if c.runs_out_in_lead_time))
