"""The Pulpit's reads of Optima: what sold per item, the cards and stock of those items, the
receivables still open and what was settled today.

Read-only, with the statements of ``optima/queries.py`` (compiled for SQL Server by a test), in
one connection per figure set. Only the items that sold in the window are looked at: an item
without sales has no pace, so no days of cover, and a company with 50,000 cards sells a few
thousand of them in a month.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine

from ..optima import queries as q
from ..optima.settings import OptimaSettings
from .figures import ItemSales


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())


class OptimaFigures:
    """Reads one Optima company (a real one through the read-only login, or the simulated one)."""

    def __init__(self, engine: Engine, settings: OptimaSettings | None = None) -> None:
        if engine.dialect.name == "mssql":  # as the reader: never wait behind Optima's own writes
            engine = engine.execution_options(isolation_level="READ UNCOMMITTED")
        self.engine = engine
        self.settings = settings or OptimaSettings()

    def item_sales(self, today: date, days: int) -> list[ItemSales]:
        """Every goods item that left the warehouse in the ``days`` days up to ``today``, with
        its card, supplier and available quantity now (one statement: ``items_cover_query``)."""
        since, before = _midnight(today - timedelta(days=days - 1)), _midnight(today + timedelta(days=1))
        statement = q.items_cover_query(self.settings.warehouse, since, before)
        with self.engine.connect() as conn:
            return [ItemSales(code=row.Twr_Kod, name=row.Twr_Nazwa, unit=row.Twr_JM, group=int(row.Twr_TwGGIDNumer or 0),
                              supplier_id=row.Twr_KntId, supplier=row.Knt_Kod or "",
                              available=Decimal(row.available or 0), sold=Decimal(row.sold))
                    for row in conn.execute(statement)]

    def open_dues(self) -> dict[str, Decimal]:
        """Order number (``BZd_NumerObcy``) -> what its receivables still wait for."""
        dues: dict[str, Decimal] = {}
        with self.engine.connect() as conn:
            for number, amount in conn.execute(q.open_dues_query()):
                if number:
                    dues[number] = dues.get(number, Decimal(0)) + Decimal(amount)
        return dues

    def settled_on(self, day: date) -> list[tuple[str, Decimal]]:
        """(order number, amount) of every settlement of a receivable dated ``day``."""
        with self.engine.connect() as conn:
            return [(number or "", Decimal(amount)) for number, amount in conn.execute(q.settled_on_query(_midnight(day)))]

