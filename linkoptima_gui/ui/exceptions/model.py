"""The exceptions list: one row per problem, ordered by group, then newest first.

The screen reloads the whole list whenever the engine reports changes, several times a second
while it works, and almost every answer is the same as the last one. A reset would make the
view measure every row again (its columns size to their contents), which in a shop with
hundreds of open problems stalled the window for hundreds of milliseconds per reload. So a new
answer is compared with the rows on screen: an equal one changes nothing, a different one is
applied by ranges (the changed middle, rows inserted or removed there). The cell texts are
made once per answer, not on every paint; the view keeps the selection by order id.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ...core.config.vocabulary import carrier_title
from ...core.domain.money import MoneyFormatError, format_money, money
from ...core.store.exception_queries import ExceptionEntry
from .. import texts

AnyIndex = QModelIndex | QPersistentModelIndex


class _Line(NamedTuple):
    """One row: its group, the problem, and the texts of its cells (in ``ExcColumn`` order)."""

    group: str
    entry: ExceptionEntry
    cells: tuple[str, ...]


def _money(value: Any) -> str:
    try:
        return format_money(money(value), "PLN")
    except (MoneyFormatError, ValueError, TypeError):
        return str(value)


class ExcColumn(IntEnum):
    GROUP = 0
    NUMBER = 1
    BUYER = 2
    STEP = 3
    CARRIER = 4  # who refused a label (or sold the label of a stopped order)
    REASON = 5
    AT = 6


class ExceptionsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[_Line] = []
        self._answer: list[ExceptionEntry] = []  # as last given to ``set_entries``

    def set_entries(self, entries: list[ExceptionEntry]) -> None:
        """Show ``entries`` (grouped, newest group first), changing only the rows that differ."""
        if entries == self._answer:
            return  # the usual answer: nothing changed, nothing to group, sort or format
        self._answer = list(entries)
        grouped = [(texts.exception_group(e.code, e.step), e) for e in entries]
        order = {g: i for i, g in enumerate(dict.fromkeys(g for g, _ in grouped))}  # newest group first
        ordered = sorted(grouped, key=lambda ge: (order[ge[0]], -ge[1].at.timestamp()))
        if ordered == [(line.group, line.entry) for line in self._rows]:
            return  # the same problems in another order of the answer
        self._apply([self._line(group, entry) for group, entry in ordered])

    def _line(self, group: str, entry: ExceptionEntry) -> _Line:
        step = entry.step.upper() if entry.step else self.tr("przyjęcie")
        if entry.refund_id is not None:
            step = self.tr("{step} (zwrot {refund})").format(step=step, refund=entry.refund_id)
        reason = entry.reason
        figures = self._figures(entry.details) if entry.refund_id is not None else ""
        if figures:
            reason = f"{reason}  [{figures}]"
        carrier = carrier_title(entry.carrier) if entry.carrier else ""
        return _Line(group, entry, (group, entry.number, entry.buyer_name, step, carrier, reason,
                                    texts.local_time(entry.at)))

    def _figures(self, details: dict[str, Any]) -> str:
        """A refund problem's figures from the job's ``error_details``: the refund's amount
        against what the invoice's prices or what is left say."""
        parts = []
        if details.get("amount") not in (None, ""):
            parts.append(self.tr("kwota zwrotu {amount}").format(amount=_money(details["amount"])))
        if details.get("expected") not in (None, ""):
            parts.append(self.tr("po cenach faktury {expected}").format(expected=_money(details["expected"])))
        if details.get("left") not in (None, ""):
            parts.append(self.tr("zostało na fakturze {left}").format(left=_money(details["left"])))
        if details.get("corrections"):
            booked = details["corrections"]
            parts.append(self.tr("korekty {numbers}").format(
                numbers=", ".join(map(str, booked)) if isinstance(booked, list) else str(booked)))
        return "; ".join(parts)

    def _apply(self, lines: list[_Line]) -> None:
        old = self._rows
        if lines == old:
            return
        shortest = min(len(old), len(lines))
        head = 0
        while head < shortest and old[head] == lines[head]:
            head += 1
        tail = 0
        while tail < shortest - head and old[-1 - tail] == lines[-1 - tail]:
            tail += 1
        old_middle, new_middle = len(old) - head - tail, len(lines) - head - tail
        kept = min(old_middle, new_middle)
        if old_middle > new_middle:
            self.beginRemoveRows(QModelIndex(), head + kept, head + old_middle - 1)
            del self._rows[head + kept:head + old_middle]
            self.endRemoveRows()
        elif new_middle > old_middle:
            self.beginInsertRows(QModelIndex(), head + kept, head + new_middle - 1)
            self._rows[head + kept:head + kept] = lines[head + kept:head + new_middle]
            self.endInsertRows()
        self._rows = list(lines)
        if kept:
            self.dataChanged.emit(self.index(head, 0), self.index(head + kept - 1, len(ExcColumn) - 1))

    def entry(self, row: int) -> ExceptionEntry | None:
        return self._rows[row].entry if 0 <= row < len(self._rows) else None

    def group(self, row: int) -> str:
        return self._rows[row].group if 0 <= row < len(self._rows) else ""

    def groups(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for group, _, _ in self._rows:
            counts[group] = counts.get(group, 0) + 1
        return counts

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ExcColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(ExcColumn):
            return None
        return {
            ExcColumn.GROUP: self.tr("Rodzaj"),
            ExcColumn.NUMBER: self.tr("Zamówienie"),
            ExcColumn.BUYER: self.tr("Nabywca"),
            ExcColumn.STEP: self.tr("Krok"),
            ExcColumn.CARRIER: self.tr("Przewoźnik"),
            ExcColumn.REASON: self.tr("Przyczyna"),
            ExcColumn.AT: self.tr("Kiedy"),
        }[ExcColumn(section)]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole or (role == Qt.ItemDataRole.ToolTipRole
                                                   and index.column() == ExcColumn.REASON):
            return self._rows[index.row()].cells[index.column()]
        return None
