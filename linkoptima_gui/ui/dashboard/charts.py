"""The Pulpit's charts: thin wrappers over QtCharts that take plain numbers.

Each panel keeps one ``QChart`` and replaces its series on every refresh (a chart has at most a
few hundred points, so a rebuild costs well under a millisecond of painting set-up); the fonts
follow the application's, so the charts read at 1366×768 and scale with the screen at 2×.
A bar knows its series and category, so a click can say which (the exceptions chart opens the
exceptions screen filtered).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

PALETTE = ("#2f6db5", "#e08a1e", "#3a9b5c", "#b83b3b", "#7a55a6", "#6b7785", "#c9a227", "#2a9d9d")


def _nice_max(value: float) -> float:
    """A round top for the value axis, so ticks fall on whole numbers."""
    if value <= 4:
        return 4
    step = 10 ** (len(str(int(value))) - 1)
    return float(((int(value) // step) + 1) * step)


def _x_axis(categories: Sequence[str], every: int) -> QBarCategoryAxis | QCategoryAxis:
    """Categories along the bottom: all of them, or (24 hours, 30 days: too many to read side by
    side) every ``every``-th one on a value axis whose bars sit at 0, 1, 2..."""
    if every <= 1:
        axis = QBarCategoryAxis()
        axis.append(list(categories))
        return axis
    sparse = QCategoryAxis()
    sparse.setRange(-0.5, len(categories) - 0.5)
    sparse.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    for index in range(0, len(categories), every):
        sparse.append(categories[index], index)
    return sparse


class ChartPanel(QChartView):
    """A titled chart with its legend at the bottom, antialiased, without animations (a refresh
    every few seconds must not keep the GUI thread busy animating)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        chart = QChart()
        chart.setTitle(title)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.layout().setContentsMargins(0, 0, 0, 0)
        chart.setBackgroundRoundness(0)
        super().__init__(chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(210)

    def _clear(self) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)


class BarChartPanel(ChartPanel):
    """Bars per category, one set per series, side by side or stacked."""

    #: a bar was clicked: (series name, category index)
    sig_bar_clicked = Signal(str, int)

    def set_bars(self, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], *,
                 stacked: bool = False, show_legend: bool = True, label_every: int = 1) -> None:
        self._clear()
        chart = self.chart()
        bars = QStackedBarSeries() if stacked else QBarSeries()
        top = 0.0
        totals = [0.0] * len(categories)
        for index, (name, values) in enumerate(series):
            bar_set = QBarSet(name)
            bar_set.setColor(QColor(PALETTE[index % len(PALETTE)]))
            bar_set.setBorderColor(QColor(PALETTE[index % len(PALETTE)]))
            bar_set.append([float(v) for v in values])
            bar_set.clicked.connect(lambda i, name=name: self.sig_bar_clicked.emit(name, int(i)))
            bars.append(bar_set)
            for i, v in enumerate(values):
                totals[i] += float(v)
            top = max(top, max((float(v) for v in values), default=0.0))
        chart.addSeries(bars)
        x = _x_axis(categories, label_every)
        y = QValueAxis()
        y.setRange(0, _nice_max(max(totals, default=0.0) if stacked else top))
        y.setLabelFormat("%d")
        y.applyNiceNumbers()
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        bars.attachAxis(x)
        bars.attachAxis(y)
        chart.legend().setVisible(show_legend and len(series) > 1)


class LineChartPanel(ChartPanel):
    """Lines over categories (days), with gaps shown as zero."""

    def set_lines(self, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *,
                  label_every: int = 5) -> None:
        self._clear()
        chart = self.chart()
        x = _x_axis(categories, max(2, label_every))
        y = QValueAxis()
        y.setLabelFormat("%d")
        y.setTickCount(5)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        top = 0.0
        for index, (name, values) in enumerate(series):
            line = QLineSeries()
            line.setName(name)
            line.setColor(QColor(PALETTE[(0, 3)[index % 2]]))
            for i, v in enumerate(values):
                line.append(float(i), float(v or 0))
                top = max(top, float(v or 0))
            chart.addSeries(line)
            line.attachAxis(x)
            line.attachAxis(y)
        y.setRange(0, _nice_max(top))
        y.applyNiceNumbers()
