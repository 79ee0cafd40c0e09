"""The Pulpit's money panel: cash on delivery still with the carrier, transfers still awaited,
and what was settled today by kind of payment (a small chart under the sums)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from ...core.dashboard.figures import DashboardFigures
from .charts import BarChartPanel


class MoneyPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cod = QLabel(self)
        self.transfers = QLabel(self)
        self.settled = QLabel(self)
        form = QFormLayout()
        form.addRow(self.tr("Pobrania w drodze:"), self.cod)
        form.addRow(self.tr("Przelewy oczekujące:"), self.transfers)
        form.addRow(self.tr("Rozliczone dziś:"), self.settled)
        title = QLabel(self.tr("<b>Pieniądze w drodze</b>"), self)
        self.chart = BarChartPanel(self.tr("Rozliczone dziś wg płatności"))
        self.chart.setMinimumHeight(160)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.chart, 1)

    def money_text(self, amount: Decimal) -> str:
        """An amount in the console's language (``1 234,50 zł`` / ``PLN 1,234.50``): the number
        written by the locale the translation names, never the system's (which made
        ``1170.92 zł`` of a Polish screen on a PC set to English)."""
        locale = QLocale(self.tr("pl_PL", "the locale amounts are written in"))
        return self.tr("{amount} zł").format(amount=locale.toString(float(amount), "f", 2))

    def show_figures(self, figures: DashboardFigures) -> None:
        m = figures.money
        self.cod.setText(self.tr("{amount} (paczki: {count})").format(amount=self.money_text(m.cod_open_amount),
                                                                     count=m.cod_open_count))
        self.transfers.setText(self.tr("{amount} (zamówienia: {count})").format(
            amount=self.money_text(m.transfers_waiting_amount), count=m.transfers_waiting_count))
        self.settled.setText(self.money_text(m.settled_today_total))
        titles = list(m.settled_today) or ["—"]
        self.chart.set_bars(titles, [(self.tr("zł"), [float(v) for v in m.settled_today.values()] or [0])],
                            show_legend=False, horizontal=True)
