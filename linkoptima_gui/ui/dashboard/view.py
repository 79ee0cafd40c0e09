"""The "Pulpit" screen: the day's flow, packing, money on the way and what to reorder.

The figures come from the core's ``Dashboard`` on a lane of their own (``Lane.DASHBOARD``), so
a read of a few hundred milliseconds in a big shop never delays the other screens' reads. The
screen reads again every 30 seconds and when the engine reports changes, but ``RefreshPolicy``
holds the latter to one read per ``EVENTS_GAP_S`` however many changes came (a busy engine
reports dozens a second, and each read and each redraw takes the interpreter from the GUI
thread), only while the screen is shown (a change seen while hidden makes it read when shown
again) and never while an answer is still on its way. The answer is drawn chart by chart, and a
chart whose numbers did not change is not touched (``charts``).
A bar of the exceptions chart opens the exceptions screen filtered to that reason and day; the
"do zamówienia" table books a ZD in Optima's buffer (on the action lane) or goes to CSV.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.dashboard.figures import DashboardFigures
from ...core.dashboard.supplier_orders import book_supplier_orders, reorder_csv, request_key
from .. import texts
from ..background import Lane, run_in_background
from ..bridge import EngineBridge
from ..context import ConsoleContext
from ..packing.widgets import StatusKind, StatusLine
from .reorder_model import ReorderColumn, ReorderModel

if TYPE_CHECKING:  # QtCharts is loaded when the screen is first shown (``_build_charts``)
    from .charts import BarChartPanel, LineChartPanel
    from .money import MoneyPanel

log = logging.getLogger(__name__)

#: the figures are read again this often while the screen is shown
REFRESH_MS = 30_000
#: engine events make a read at most once in this many seconds (counted from the last read's start)
EVENTS_GAP_S = 10.0
PERIODS = (1, 7, 30)
#: days of cover drawn at most (a long cover would flatten the short ones that matter)
COVER_SHOWN = 60.0


class RefreshPolicy:
    """When the engine's changes make the Pulpit read again: at most once per ``gap_s`` seconds
    from the start of the last read, never while a read is on its way (its end asks again when
    changes came meanwhile). ``clock``: seconds, monotonic (the tests give their own)."""

    def __init__(self, gap_s: float = EVENTS_GAP_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.gap_s = gap_s
        self.clock = clock
        #: changes came that the figures on screen may not show yet
        self.stale = False
        self.reading = False
        self.last_read: float | None = None

    def changed(self) -> None:
        self.stale = True

    def started(self) -> None:
        self.stale, self.reading, self.last_read = False, True, self.clock()

    def finished(self) -> None:
        self.reading = False

    def age(self) -> float:
        """Seconds since the last read started (infinite before the first)."""
        return float("inf") if self.last_read is None else self.clock() - self.last_read

    def due_in(self) -> float | None:
        """Seconds until the read the changes ask for (0: now); None when they ask for none (no
        changes, or a read on its way)."""
        if not self.stale or self.reading:
            return None
        return max(0.0, self.gap_s - self.age())


class DashboardView(QWidget):
    #: the figures were read and shown
    sig_loaded = Signal(object)
    #: a bar of the exceptions chart: (group as shown, day)
    sig_exceptions_clicked = Signal(str, object)
    #: ZDs booked: their numbers
    sig_booked = Signal(list)
    #: an action finished: (message, ok)
    sig_acted = Signal(str, bool)

    def __init__(self, context: ConsoleContext, bridge: EngineBridge, parent: QWidget | None = None, *,
                 policy: RefreshPolicy | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.figures: DashboardFigures | None = None
        #: when engine changes make it read again (``RefreshPolicy``)
        self.policy = policy or RefreshPolicy()
        #: a read was asked for (period, button) while one was on its way: read once more after it
        self._again = False
        self._charts_built = False
        self.paid_chart: BarChartPanel
        self.packed_chart: BarChartPanel
        self.backlog_chart: BarChartPanel
        self.times_chart: LineChartPanel
        self.exceptions_chart: BarChartPanel
        self.money: MoneyPanel
        self.cover_chart: BarChartPanel
        self._exception_days: list[date] = []
        self.period = QComboBox(self)
        for days in PERIODS:
            self.period.addItem(self.tr("Dziś") if days == 1 else self.tr("Ostatnie {days} dni").format(days=days), days)
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button = QPushButton(self.tr("Odśwież"), self)
        self.refresh_button.clicked.connect(self.refresh)
        self.summary = QLabel(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Okres:"), self))
        top.addWidget(self.period)
        top.addWidget(self.summary, 1)
        top.addWidget(self.refresh_button)

        self.reorder = ReorderModel(self)
        self.reorder_table = QTableView(self)
        self.reorder_table.setModel(self.reorder)
        self.reorder_table.verticalHeader().hide()
        self.reorder_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.reorder_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.reorder_table.horizontalHeader().setSectionResizeMode(ReorderColumn.NAME, QHeaderView.ResizeMode.Stretch)
        self.reorder_table.setMinimumHeight(200)
        self.book_button = QPushButton(self.tr("Zamów u dostawcy (ZD w buforze Optimy)"), self)
        self.book_button.clicked.connect(self.book_chosen)
        self.choose_button = QPushButton(self.tr("Zaznacz wszystkie"), self)
        self.choose_button.clicked.connect(lambda: self.reorder.choose_all(True))
        self.csv_button = QPushButton(self.tr("Eksport CSV…"), self)
        self.csv_button.clicked.connect(self._ask_csv)
        self.status_line = StatusLine(self)
        self.reorder_title = QLabel(self)

        # 1366×768 shows the first two rows: the day's flow, the backlog, the exceptions (wide:
        # their reasons named whole beside the bars) and the money; below, packing times and the
        # lowest covers, then the reorder table over the full width (nine columns)
        # (the charts go in when the screen is first shown: ``_build_charts``)
        grid = self._grid = QGridLayout()
        stock = QVBoxLayout()
        stock.addWidget(self.reorder_title)
        stock.addWidget(self.reorder_table, 1)
        buttons = QHBoxLayout()
        for button in (self.choose_button, self.book_button, self.csv_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        stock.addLayout(buttons)
        stock.addWidget(self.status_line)
        grid.addLayout(stock, 3, 0, 1, 3)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        body = QWidget(self)
        body.setLayout(grid)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)

        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        #: fires when the read the engine's changes asked for is due
        self._changes_timer = QTimer(self)
        self._changes_timer.setSingleShot(True)
        self._changes_timer.timeout.connect(self.read_if_due)
        bridge.sig_orders_changed.connect(self._orders_changed)
        self._update_buttons()

    # -- reading ---------------------------------------------------------------------------------

    @property
    def period_days(self) -> int:
        return int(self.period.currentData() or 1)

    def _build_charts(self) -> None:
        """The charts, made when the screen is first shown: QtCharts and seven charts cost the
        console's start some 20 MB and a tenth of a second, and most of a day nobody may look."""
        if self._charts_built:
            return
        self._charts_built = True
        from .charts import BarChartPanel, LineChartPanel
        from .money import MoneyPanel

        self.paid_chart = BarChartPanel(self.tr("Opłacone zamówienia wg godziny"))
        self.packed_chart = BarChartPanel(self.tr("Spakowane paczki wg godziny i stanowiska"))
        self.backlog_chart = BarChartPanel(self.tr("Zaległości teraz (zamówienia)"))
        self.times_chart = LineChartPanel(self.tr("Od płatności do spakowania, minuty (30 dni)"))
        self.exceptions_chart = BarChartPanel(self.tr("Wyjątki wg przyczyny (14 dni) — kliknij słupek"))
        self.exceptions_chart.sig_bar_clicked.connect(self._exception_bar)
        # five reasons' names side by side under the bars would each be cut to "..."
        self.exceptions_chart.chart().legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        self.money = MoneyPanel(self)
        self.cover_chart = BarChartPanel(self.tr("Dni zapasu: towary, które kończą się najszybciej"))
        self.cover_chart.setMinimumHeight(480)  # 15 items down the left, each code readable
        grid = self._grid
        grid.addWidget(self.paid_chart, 0, 0)
        grid.addWidget(self.packed_chart, 0, 1)
        grid.addWidget(self.backlog_chart, 0, 2)
        grid.addWidget(self.exceptions_chart, 1, 0, 1, 2)
        grid.addWidget(self.money, 1, 2)
        grid.addWidget(self.times_chart, 2, 0)
        grid.addWidget(self.cover_chart, 2, 1, 1, 2)

    def showEvent(self, event: QShowEvent) -> None:
        self._build_charts()
        super().showEvent(event)
        # back on screen: read when changes came meanwhile or the figures are old
        if self.figures is None or self.policy.stale or self.policy.age() * 1000 >= REFRESH_MS:
            self.refresh()

    def _orders_changed(self, _ids: object = None) -> None:
        self.policy.changed()
        self._schedule()

    def _schedule(self) -> None:
        """Set the timer for the read the changes ask for (hidden: none, ``showEvent`` reads)."""
        due = self.policy.due_in()
        if due is None or not self.isVisible() or self._changes_timer.isActive():
            return
        self._changes_timer.start(int(due * 1000))

    def read_if_due(self) -> None:
        """The changes' read, if it is due now (the timer's end; the tests call it)."""
        due = self.policy.due_in()
        if due is None:
            return
        if due > 0:
            self._schedule()
            return
        self.refresh()

    def refresh(self) -> None:
        """Read the figures again (only on screen, one read at a time)."""
        dashboard = self._context.dashboard
        if dashboard is None or not self.isVisible():
            return
        if self.policy.reading:
            self._again = True
            return
        self.policy.started()
        self._changes_timer.stop()
        run_in_background(partial(dashboard.figures, self.period_days), self._show, self._failed, owner=self,
                          lane=Lane.DASHBOARD)

    def _read_done(self) -> None:
        self.policy.finished()
        if self._again:
            self._again = False
            self.refresh()
        else:
            self._schedule()  # changes that came while reading

    def _failed(self, exc: BaseException) -> None:
        self._read_done()
        log.warning("the Pulpit could not read its figures: %s", exc)
        self.status_line.show_message(self.tr("Nie udało się odczytać danych: {error}").format(error=exc),
                                      StatusKind.ERROR)

    def _show(self, figures: DashboardFigures) -> None:
        self._read_done()
        self._build_charts()
        self.figures = figures
        hours = [str(h) for h in range(24)]
        self.summary.setText(self.tr("Stan na {at}: opłacone {paid}, spakowane {packed}").format(
            at=figures.at.strftime("%H:%M:%S"), paid=figures.paid_total, packed=figures.packed_total))
        self.paid_chart.set_bars(hours, [(self.tr("opłacone"), figures.paid_per_hour)], label_every=3)
        stations = figures.packed_per_hour or {"—": (0,) * 24}
        self.packed_chart.set_bars(hours, list(stations.items()), stacked=True, label_every=3)
        b = figures.backlog
        self.backlog_chart.set_bars(
            [self.tr("opłacone, nowe"), self.tr("czekają na dokumenty"), self.tr("do spakowania"), self.tr("wyjątki")],
            [(self.tr("zamówienia"), (b.paid_new, b.waiting_for_documents, b.ready_to_pack, b.exceptions))],
            horizontal=True)
        days = figures.packing_times
        self.times_chart.set_lines([d.day.strftime("%d.%m") for d in days],
                                   [(self.tr("mediana"), [d.median_minutes for d in days]),
                                    (self.tr("90. percentyl"), [d.p90_minutes for d in days])])
        self._exception_days = figures.exception_days()
        groups = sorted({texts.exception_group(e.code) for e in figures.exceptions})
        series = [(group, [sum(e.count for e in figures.exceptions
                               if e.day == day and texts.exception_group(e.code) == group)
                           for day in self._exception_days]) for group in groups]
        self.exceptions_chart.set_bars([d.strftime("%d.%m") for d in self._exception_days],
                                       series or [(self.tr("brak"), [0] * len(self._exception_days))], stacked=True,
                                       label_every=3)
        self.money.show_figures(figures)
        lowest = figures.stock.lowest
        self.cover_chart.set_bars([c.code for c in lowest] or ["—"],
                                  [(self.tr("dni zapasu"), [min(c.days_of_cover, COVER_SHOWN) for c in lowest] or [0]),
                                   (self.tr("dostawa (dni)"), [float(c.lead_time_days) for c in lowest] or [0])],
                                  horizontal=True)
        self.reorder.set_covers(figures.stock.reorder)
        self.reorder_title.setText(self.tr("Do zamówienia: {count} z {selling} towarów sprzedanych w {days} dniach "
                                           "kończy się przed dostawą").format(
            count=len(figures.stock.reorder), selling=figures.stock.items_selling, days=figures.stock.sales_days))
        if figures.optima_state:
            self.status_line.show_message(self.tr("Optima nie jest połączona z tym komputerem: bez stanów i rozliczeń.")
                                          if figures.optima_state == "not_connected" else
                                          self.tr("Nie udało się odczytać Optimy: bez stanów i rozliczeń."),
                                          StatusKind.ERROR)
        self._update_buttons()
        self.sig_loaded.emit(figures)

    def _exception_bar(self, group: str, index: int) -> None:
        if 0 <= index < len(self._exception_days):
            self.sig_exceptions_clicked.emit(group, self._exception_days[index])

    # -- the reorder table -----------------------------------------------------------------------

    def _update_buttons(self) -> None:
        dashboard = self._context.dashboard
        has_writer = dashboard is not None and dashboard.writer is not None
        self.book_button.setEnabled(has_writer and self.reorder.rowCount() > 0)
        self.book_button.setToolTip("" if has_writer else self.tr(
            "Zamówienia do dostawcy zapisuje komputer połączony z Optimą (z silnikiem)."))
        self.csv_button.setEnabled(self.reorder.rowCount() > 0)

    def book_chosen(self) -> None:
        """Book one ZD per supplier of the ticked lines, in Optima's buffer."""
        dashboard = self._context.dashboard
        lines = self.reorder.chosen_lines()
        if dashboard is None or dashboard.writer is None:
            return
        if not lines:
            self.status_line.show_message(self.tr("Zaznacz pozycje do zamówienia."), StatusKind.ERROR)
            return
        self.book_button.setEnabled(False)
        self.status_line.show_message(self.tr("Zapisywanie zamówienia w Optimie…"), StatusKind.BUSY)
        job = partial(book_supplier_orders, dashboard.writer, dashboard.sessions, lines, request_key(),
                      actor=self._context.operator, station=self._context.station)
        run_in_background(job, self._booked, self._book_failed, owner=self, lane=Lane.ACTION)

    def _booked(self, documents: list) -> None:
        numbers = [doc.number for doc in documents]
        message = self.tr("W buforze Optimy: {numbers}. Zatwierdź je w Optimie.").format(numbers=", ".join(numbers))
        self.status_line.show_message(message, StatusKind.OK)
        self.reorder.choose_all(False)
        self._update_buttons()
        self.sig_booked.emit(numbers)
        self.sig_acted.emit(message, True)

    def _book_failed(self, exc: BaseException) -> None:
        message = getattr(exc, "reason", "") or str(exc)
        self.status_line.show_message(message, StatusKind.ERROR)
        self._update_buttons()
        self.sig_acted.emit(message, False)

    def export_csv(self, path: Path) -> Path:
        """Write the table (with the quantities as set) to ``path`` as CSV."""
        path.write_text(reorder_csv(self.reorder.covers(), self.reorder.quantities()), encoding="utf-8-sig")
        self.status_line.show_message(self.tr("Zapisano {path}").format(path=path), StatusKind.OK)
        return path

    def _ask_csv(self) -> None:
        day = self.figures.at.date().isoformat() if self.figures else "dzis"
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Eksport CSV"), f"do-zamowienia-{day}.csv",
                                              self.tr("CSV (*.csv)"))
        if name:
            self.export_csv(Path(name))

