"""The Pulpit's settings: who gets the daily report and when, and how far ahead to order.

A supplier's lead time is set per Optima item group (``Twr_TwGGIDNumer``) where groups come from
different suppliers, with one default for the rest; the suggested quantity covers the lead time
plus ``cover_days`` of sales at the pace of the last ``sales_days``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: the hour the report goes out when the settings name none (the shop's day is mostly over)
DEFAULT_REPORT_HOUR = 18


@dataclass(frozen=True)
class DashboardSettings:
    #: who gets the daily report (none: no report is sent)
    report_recipients: tuple[str, ...] = ()
    #: the local hour (0-23) from which the engine sends the day's report
    report_hour: int = DEFAULT_REPORT_HOUR
    #: days from a ZD to the goods on the shelf, when the item's group has no lead time of its own
    lead_time_days: int = 7
    #: item group (``Twr_TwGGIDNumer``) -> its supplier's lead time in days
    lead_time_by_group: Mapping[int, int] = field(default_factory=dict)
    #: days of sales an order should cover beyond the lead time
    cover_days: int = 21
    #: the window of past sales the pace is taken from
    sales_days: int = 30

    def lead_time(self, group: int) -> int:
        return int(self.lead_time_by_group.get(group, self.lead_time_days))

    def to_mapping(self) -> dict[str, Any]:
        return {
            "report_recipients": list(self.report_recipients),
            "report_hour": self.report_hour,
            "lead_time_days": self.lead_time_days,
            "lead_time_by_group": {str(k): v for k, v in self.lead_time_by_group.items()},
            "cover_days": self.cover_days,
            "sales_days": self.sales_days,
        }

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> DashboardSettings:
        """From the settings file; a value out of range is refused with the reason in Polish."""
        settings = cls(
            report_recipients=tuple(str(a).strip() for a in data.get("report_recipients", ()) if str(a).strip()),
            report_hour=int(data.get("report_hour", DEFAULT_REPORT_HOUR)),
            lead_time_days=int(data.get("lead_time_days", 7)),
            lead_time_by_group={int(k): int(v) for k, v in dict(data.get("lead_time_by_group", {})).items()},
            cover_days=int(data.get("cover_days", 21)),
            sales_days=int(data.get("sales_days", 30)),
        )
        if not 0 <= settings.report_hour <= 23:
            raise ValueError(f"Godzina raportu dziennego {settings.report_hour}: dozwolone od 0 do 23.")
        if settings.sales_days < 1 or settings.lead_time_days < 0 or settings.cover_days < 0:
            raise ValueError("Czas dostawy i zapas muszą być nieujemne, a okno sprzedaży co najmniej 1 dzień.")
        return settings
