"""The pipeline table: every order, newest first, one column per step.

The model holds only the list of order ids plus a cache of the rows already read (Anki's
``DataModel``): a shop with years of orders has tens of thousands of them, and the view only
ever paints a screenful. Rows not yet cached show a placeholder and are read in blocks on the
read lane (``row_cache``); live changes arrive as ids and are applied by ranges
(``dataChanged`` for changed rows, ``beginInsertRows`` at the top for new orders), never by
resetting the model, so the selection and the scroll position survive a busy afternoon.

The view asks ``data()`` for six roles of every visible cell on every repaint, thousands of
calls from C++ into Python, each of which may wait for the interpreter while the engine's
threads work: so a painted row's answers are worked out once and kept (``Cells``) until the row
changes. The columns and roles are in ``columns``.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Iterable
from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QFont
from sqlalchemy.orm import Session, sessionmaker

from ...core.domain.money import format_money
from ...core.domain.steps import Step, StepState
from ...core.store.queries import PipelineRow
from .. import texts
from ..background import run_in_background
from .columns import (
    CELL_ROLES,
    COLUMNS,
    ROLE_SLOT,
    STEP_COLUMNS,
    Cells,
    Column,
    OrderIdRole,
    StateRole,
    corrections_cell,
    corrections_state,
    corrections_tooltip,
    document_number,
    format_created,
)
from .row_cache import RowCache, read_initial, read_rows

log = logging.getLogger(__name__)

AnyIndex = QModelIndex | QPersistentModelIndex


def _runs(rows: Iterable[int]) -> list[tuple[int, int]]:
    """Contiguous (first, last) runs of row numbers, so one signal covers each run."""
    result: list[tuple[int, int]] = []
    for row in sorted(set(rows)):
        if result and row == result[-1][1] + 1:
            result[-1] = (result[-1][0], row)
        else:
            result.append((row, row))
    return result


def _corrections_data(row: PipelineRow, role: int) -> Any:
    """The Korekty cell: the corrections' numbers and value, coloured by how far they got."""
    if role == Qt.ItemDataRole.DisplayRole:
        return corrections_cell(row)
    if role == StateRole:
        return corrections_state(row)
    if role == Qt.ItemDataRole.BackgroundRole and row.refunds:
        colour = texts.refund_state_colour(corrections_state(row))
        return QBrush(colour) if colour else None
    if role == Qt.ItemDataRole.ToolTipRole and row.refunds:
        return corrections_tooltip(row)
    return None


class PipelineModel(QAbstractTableModel):
    """Orders over ids with a row cache; see the module docstring for the update rules."""

    #: The first load is in (rows inserted); emitted once.
    sig_loaded = Signal()
    #: A refresh for these ids has been applied (changed rows, new rows at the top).
    sig_refreshed = Signal(list)

    def __init__(self, session_factory: sessionmaker[Session], parent: Any = None) -> None:
        super().__init__(parent)
        self._factory = session_factory
        self._ids: list[int] = []
        self._row_of: dict[int, int] = {}
        self._cache = RowCache()
        self._loaded = False
        self._loading = False
        self._pending: set[int] = set()  # changed ids waiting for the running refresh
        self._refreshing = False

    # ---- Public API ------------------------------------------------------------------------

    def load(self) -> None:
        """Read the ids and the newest rows off the GUI thread; rows appear when they arrive."""
        if self._loaded or self._loading:
            return
        self._loading = True
        run_in_background(partial(read_initial, self._factory), self._apply_initial,
                          self._on_read_failed, owner=self)

    @property
    def is_loaded(self) -> bool:
        return self._loaded

    def apply_changes(self, ids: Iterable[int]) -> None:
        """Re-read these orders (already coalesced by the caller) and update them in place."""
        self._pending.update(ids)
        if self._loaded and not self._refreshing and self._pending:
            self._start_refresh()

    def order_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, order_id: int) -> int | None:
        return self._row_of.get(order_id)

    def cached_row(self, order_id: int) -> PipelineRow | None:
        return self._cache.rows.get(order_id)

    # ---- Qt model interface ----------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(Column):
            return None
        headers = {
            Column.NUMBER: self.tr("Zamówienie"),
            Column.DATE: self.tr("Data"),
            Column.BUYER: self.tr("Nabywca"),
            Column.TOTAL: self.tr("Kwota"),
            Column.PAYMENT: self.tr("Płatność"),
            Column.FA: self.tr("FA"),
            Column.WZ: self.tr("WZ"),
            Column.KP: self.tr("KP"),
            Column.EMAIL: self.tr("E-mail"),
            Column.LABEL: self.tr("Etykieta"),
            Column.PACKED: self.tr("Spakowano"),
            Column.KOREKTY: self.tr("Korekty"),
            Column.STAGE: self.tr("Etap"),
        }
        return headers[Column(section)]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        oid = self._ids[index.row()]
        if role == OrderIdRole:
            return oid
        slot = ROLE_SLOT.get(role)
        if slot is None:
            return None
        cells = self._cache.cells.get(oid)
        if cells is None:
            row = self._cache.rows.get(oid)
            if row is None:
                self._request_block(index.row())
                if role == Qt.ItemDataRole.DisplayRole and index.column() == Column.NUMBER:
                    return "…"
                return None
            cells = self._work_out(oid, row)
        return cells[index.column()][slot]

    def _work_out(self, oid: int, row: PipelineRow) -> Cells:
        """Every answer of the row's cells, kept until the row changes (module docstring)."""
        cells = []
        for column in Column:
            step = STEP_COLUMNS.get(column)
            if step is not None:
                cells.append(tuple(self._step_data(row, column, step, role) for role in CELL_ROLES))
            else:
                cells.append(tuple(self._plain_data(row, column, role) for role in CELL_ROLES))
        result = tuple(cells)
        self._cache.keep_cells(oid, result)
        return result

    # ---- Cell contents ---------------------------------------------------------------------

    def _plain_data(self, row: PipelineRow, column: Column, role: int) -> Any:
        if column == Column.KOREKTY:
            return _corrections_data(row, role)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == Column.NUMBER:
                return row.number
            if column == Column.DATE:
                return format_created(row.created)
            if column == Column.BUYER:
                return row.buyer_name
            if column == Column.TOTAL:
                return format_money(row.total, row.currency)
            if column == Column.PAYMENT:
                return row.payment_title
            if column == Column.STAGE:
                return texts.stage_text(row.stage)
        elif role == Qt.ItemDataRole.TextAlignmentRole and column == Column.TOTAL:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        elif column == Column.STAGE:
            if role == StateRole:
                return row.stage
            if role == Qt.ItemDataRole.BackgroundRole:
                colour = texts.stage_colour(row.stage)
                return QBrush(colour) if colour else None
            if role == Qt.ItemDataRole.ToolTipRole and row.error_reason:
                return row.error_reason
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        elif role == Qt.ItemDataRole.ToolTipRole and column == Column.BUYER and row.is_company:
            return self.tr("{name} (firma)").format(name=row.buyer_name)
        return None

    def _step_data(self, row: PipelineRow, column: Column, step: Step, role: int) -> Any:
        state = row.steps.get(step.value, "")
        if role == Qt.ItemDataRole.DisplayRole:
            if state == StepState.DONE:
                return document_number(row, column) or texts.step_state_text(state)
            return texts.step_state_text(state)
        if role == StateRole:
            return state
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = texts.step_state_colour(state)
            return QBrush(colour) if colour else None
        if role == Qt.ItemDataRole.TextAlignmentRole and not state:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ToolTipRole:
            if state == StepState.FAILED:
                return row.error_reason or self.tr("Krok zakończony błędem")
            number = document_number(row, column)
            if number:
                return number
        return None

    # ---- Loading ---------------------------------------------------------------------------

    def _apply_initial(self, result: tuple[list[int], dict[int, PipelineRow]]) -> None:
        ids, rows = result
        self._loading = False
        if ids:
            self.beginInsertRows(QModelIndex(), 0, len(ids) - 1)
            self._ids = list(ids)
            self._reindex()
            self._cache.keep(rows)
            self.endInsertRows()
        self._loaded = True
        self.sig_loaded.emit()
        if self._pending:
            self._start_refresh()

    def _on_read_failed(self, exc: BaseException) -> None:
        log.error("reading the pipeline failed", exc_info=exc)
        self._loading = False
        self._refreshing = False
        self._cache.requested.clear()

    def _request_block(self, row: int) -> None:
        if self._ids[row] in self._cache.requested:
            return  # cheap exit: data() asks this for every role of every visible cell
        wanted = self._cache.block_to_read(self._ids, row)
        if not wanted:
            return
        run_in_background(partial(read_rows, self._factory, wanted), partial(self._apply_block, wanted),
                          self._on_read_failed, owner=self)

    def _apply_block(self, ids: list[int], rows: dict[int, PipelineRow]) -> None:
        self._cache.received(ids)
        present = [i for i in ids if i in self._row_of]
        self._cache.keep({i: rows[i] for i in present if i in rows})
        self._emit_changed(self._row_of[i] for i in present if i in rows)
        self._remove_ids([i for i in present if i not in rows])

    # ---- Live refresh ----------------------------------------------------------------------

    def _start_refresh(self) -> None:
        ids = sorted(self._pending)
        self._pending.clear()
        self._refreshing = True
        run_in_background(partial(read_rows, self._factory, ids), partial(self._apply_refresh, ids),
                          self._on_read_failed, owner=self)

    def _apply_refresh(self, ids: list[int], rows: dict[int, PipelineRow]) -> None:
        known = [i for i in ids if i in self._row_of]
        self._cache.keep({i: rows[i] for i in known if i in rows})
        self._emit_changed(self._row_of[i] for i in known if i in rows)
        self._remove_ids([i for i in known if i not in rows])
        new = sorted((i for i in rows if i not in self._row_of), reverse=True)
        self._insert_ids(new, rows)
        self._refreshing = False
        self.sig_refreshed.emit(ids)
        if self._pending:
            self._start_refresh()

    def _emit_changed(self, rows: Iterable[int]) -> None:
        last_column = len(Column) - 1
        for first, last in _runs(rows):
            self.dataChanged.emit(self.index(first, 0), self.index(last, last_column))

    def _insert_ids(self, new: list[int], rows: dict[int, PipelineRow]) -> None:
        """Insert new ids (sorted descending) where they belong; normally all at the top."""
        if not new:
            return
        self._cache.keep({i: rows[i] for i in new})
        top = [i for i in new if not self._ids or i > self._ids[0]]
        if top:
            self.beginInsertRows(QModelIndex(), 0, len(top) - 1)
            self._ids[0:0] = top
            self._reindex()
            self.endInsertRows()
        for oid in new[len(top):]:  # an older id showing up late: keep the order by id
            pos = bisect.bisect_left(self._ids, -oid, key=lambda x: -x)
            self.beginInsertRows(QModelIndex(), pos, pos)
            self._ids.insert(pos, oid)
            self._reindex()
            self.endInsertRows()

    def _remove_ids(self, gone: list[int]) -> None:
        """Drop rows whose order no longer exists (deleted from the store)."""
        for row in sorted((self._row_of[i] for i in gone if i in self._row_of), reverse=True):
            self.beginRemoveRows(QModelIndex(), row, row)
            oid = self._ids.pop(row)
            self._cache.forget(oid)
            self._reindex()
            self.endRemoveRows()

    def _reindex(self) -> None:
        self._row_of = {oid: row for row, oid in enumerate(self._ids)}
