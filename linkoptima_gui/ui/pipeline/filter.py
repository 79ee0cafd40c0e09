"""Filtering the pipeline: the store answers the question, the proxy only hides rows.

Matching "Kowalski" against a buyer, an e-mail, a tracking number or an FA number needs the
row data, which the pipeline model deliberately does not hold for every order. So the search
runs as one SQL query (``queries.order_ids``) on the read lane, and the proxy keeps the set of
matching ids; ``filterAcceptsRow`` is then a set lookup, fast with any number of rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Signal
from sqlalchemy.orm import Session, sessionmaker

from ...core.store import queries, ui_queries
from ...core.store.models import utcnow
from ..background import run_in_background
from .columns import OrderIdRole
from .model import PipelineModel

#: The periods the date filter offers: "" any time, "today" since local midnight, or days back.
PERIODS = ("", "today", "7", "30")


@dataclass(frozen=True)
class FilterSpec:
    text: str = ""
    stage: str = ""  # a Stage value, "" for every stage
    period: str = ""  # one of PERIODS
    payment: str = ""  # a PaymentKind value, "" for every kind
    refunds: bool = False  # only orders with refunds (the "Korekty" filter)

    @property
    def is_empty(self) -> bool:
        return not (self.text or self.stage or self.period or self.payment or self.refunds)

    def created_from(self) -> datetime | None:
        """The earliest creation time (naive UTC) the period lets through, computed when the
        query runs, so "today" moves on at midnight."""
        if not self.period:
            return None
        if self.period == "today":
            return ui_queries.start_of_today_utc()
        return utcnow() - timedelta(days=int(self.period))


def _matching_ids(factory: sessionmaker[Session], spec: FilterSpec) -> set[int]:
    with factory() as session:
        return set(queries.order_ids(
            session, stages=[spec.stage] if spec.stage else None, text=spec.text,
            created_from=spec.created_from(), payment_kinds=[spec.payment] if spec.payment else None,
            with_refunds=spec.refunds))


class PipelineFilterProxy(QSortFilterProxyModel):
    """Shows the source rows whose order id is in the accepted set (all rows when no filter)."""

    #: A filter result has been applied (also after re-checking following a live change).
    sig_filtered = Signal()

    def __init__(self, session_factory: sessionmaker[Session], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._factory = session_factory
        self._spec = FilterSpec()
        self._accepted: set[int] | None = None
        self._generation = 0

    @property
    def spec(self) -> FilterSpec:
        return self._spec

    def set_filter(self, text: str = "", stage: str = "", period: str = "", payment: str = "", *,
                   refunds: bool = False) -> None:
        """Ask the store which orders match; rows are hidden when the answer arrives."""
        self._spec = FilterSpec(text.strip(), stage, period, payment, refunds)
        self.recheck()

    def recheck(self, _ids: Iterable[int] = ()) -> None:
        """Run the current filter again (new and changed orders may now match or not)."""
        self._generation += 1
        if self._spec.is_empty:
            self._set_accepted(None)
            return
        run_in_background(partial(_matching_ids, self._factory, self._spec),
                          partial(self._on_result, self._generation), owner=self)

    def _on_result(self, generation: int, ids: set[int]) -> None:
        if generation == self._generation:  # an older answer for text typed over since
            self._set_accepted(ids)

    def _set_accepted(self, ids: set[int] | None) -> None:
        if ids != self._accepted:
            self.beginFilterChange()
            self._accepted = ids
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        self.sig_filtered.emit()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self._accepted is None:
            return True
        source: Any = self.sourceModel()
        if isinstance(source, PipelineModel):  # every row at each re-check: skip index() and data()
            return source.order_id(source_row) in self._accepted
        oid = source.index(source_row, 0, source_parent).data(OrderIdRole)
        return oid in self._accepted
