"""The Pulpit's charts: thin wrappers over QtCharts that take plain numbers.

Each panel keeps one ``QChart``. A refresh with the same numbers as shown leaves it alone (no
layout, no repaint); new values over the same categories and series go into the bars and
lines in place; only a new shape (other categories, series or kind) rebuilds the series and
axes, which makes QtCharts lay the whole chart out again. The fonts follow the application's,
so the charts read at 1366×768 and scale with the screen at 2×.
A bar knows its series and category, so a click can say which (the exceptions chart opens the
exceptions screen filtered).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QAbstractAxis,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QPainter
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
        #: what the chart shows now, as given (a refresh with the same is skipped)
        self._shown: tuple | None = None
        #: its shape (categories, series' names, kind): the same shape is updated in place
        self._shape: tuple | None = None
        #: how many times the series and axes were built (the tests see in-place updates)
        self.rebuilds = 0

    def cut_texts(self) -> list[str]:
        """The texts QtCharts would cut to "..." at the chart's present size: the title, the
        category labels (along the bottom: each within its share of the plot; on the left: within
        the room left of the plot) and the legend's names. Empty when everything reads whole;
        what the tests at 1366×768, in English and at 2× ask."""
        chart = self.chart()
        cut = []
        title = QFontMetricsF(chart.titleFont())
        if title.horizontalAdvance(chart.title()) > chart.size().width() - 8:
            cut.append(chart.title())
        plot = chart.plotArea()
        for axis in chart.axes():
            labels = _category_labels(axis)
            if not labels:
                continue
            metrics = QFontMetricsF(axis.labelsFont())
            if axis.alignment() == Qt.AlignmentFlag.AlignLeft:
                room = plot.left() - 6
            else:
                room = plot.width() / max(1, len(axis.categories()) if isinstance(axis, QBarCategoryAxis)
                                          else (axis.max() - axis.min()) / _step(axis))
            cut += [label for label in labels if metrics.horizontalAdvance(label) > room]
        legend = chart.legend()
        if legend.isVisible():
            metrics = QFontMetricsF(legend.font())
            names = [marker.label() for marker in legend.markers()]
            widths = [metrics.horizontalAdvance(name) + 2.5 * metrics.height() for name in names]
            if legend.alignment() in (Qt.AlignmentFlag.AlignBottom, Qt.AlignmentFlag.AlignTop):
                if sum(widths) > legend.geometry().width():
                    cut += names
            else:
                cut += [name for name, width in zip(names, widths, strict=True) if width > legend.geometry().width()]
        return cut

    def _clear(self) -> None:
        self.rebuilds += 1
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)


def _category_labels(axis: QAbstractAxis) -> list[str]:
    if isinstance(axis, QBarCategoryAxis):
        return list(axis.categories())
    if isinstance(axis, QCategoryAxis):
        return list(axis.categoriesLabels())
    return []


def _step(axis: QCategoryAxis) -> float:
    """The distance between a sparse axis's labels (``every``), 1 with fewer than two."""
    labels = axis.categoriesLabels()
    if len(labels) < 2:
        return 1.0
    return axis.endValue(labels[1]) - axis.endValue(labels[0])


class BarChartPanel(ChartPanel):
    """Bars per category, one set per series, side by side or stacked."""

    #: a bar was clicked: (series name, category index as given to ``set_bars``)
    sig_bar_clicked = Signal(str, int)

    def set_bars(self, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], *,
                 stacked: bool = False, show_legend: bool = True, label_every: int = 1,
                 horizontal: bool = False) -> None:
        """``horizontal``: bars to the right, the categories down the left, first on top (names
        as long as an item code or "czekają na dokumenty" read whole there, where under a bar
        they would be cut to "...")."""
        shown = (tuple(categories), tuple((name, tuple(float(v) for v in values)) for name, values in series),
                 stacked, show_legend, label_every, horizontal)
        if shown == self._shown:
            return
        shape = (shown[0], tuple(name for name, _ in shown[1]), stacked, show_legend, label_every, horizontal)
        self._shown = shown
        if shape == self._shape:
            self._update_bars(shown[1], stacked, horizontal)
            return
        self._shape = shape
        self._clear()
        chart = self.chart()
        if horizontal:
            categories = list(reversed(categories))
            series = [(name, list(reversed(values))) for name, values in series]
            bars = QHorizontalStackedBarSeries() if stacked else QHorizontalBarSeries()
        else:
            bars = QStackedBarSeries() if stacked else QBarSeries()
        top = 0.0
        totals = [0.0] * len(categories)
        for index, (name, values) in enumerate(series):
            bar_set = QBarSet(name)
            bar_set.setColor(QColor(PALETTE[index % len(PALETTE)]))
            bar_set.setBorderColor(QColor(PALETTE[index % len(PALETTE)]))
            bar_set.append([float(v) for v in values])
            bar_set.clicked.connect(lambda i, name=name: self.sig_bar_clicked.emit(
                name, len(categories) - 1 - int(i) if horizontal else int(i)))
            bars.append(bar_set)
            for i, v in enumerate(values):
                totals[i] += float(v)
            top = max(top, max((float(v) for v in values), default=0.0))
        chart.addSeries(bars)
        x = _x_axis(categories, label_every)
        y = QValueAxis()
        y.setLabelFormat("%d")
        self._bar_sets, self._value_axis = list(bars.barSets()), y
        self._set_top(max(totals, default=0.0) if stacked else top)
        chart.addAxis(x, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft)
        bars.attachAxis(x)
        bars.attachAxis(y)
        chart.legend().setVisible(show_legend and len(series) > 1)

    def _set_top(self, top: float) -> None:
        self._value_axis.setRange(0, _nice_max(top))
        self._value_axis.applyNiceNumbers()

    def _update_bars(self, series: tuple[tuple[str, tuple[float, ...]], ...], stacked: bool, horizontal: bool) -> None:
        """New values into the bars as they stand (the same categories and series)."""
        totals: list[float] = []
        top = 0.0
        for bar_set, (_name, values) in zip(self._bar_sets, series, strict=True):
            ordered = list(reversed(values)) if horizontal else list(values)
            for i, value in enumerate(ordered):
                if bar_set.at(i) != value:
                    bar_set.replace(i, value)
            totals = [a + b for a, b in zip(totals, values, strict=True)] if totals else list(values)
            top = max(top, max(values, default=0.0))
        self._set_top(max(totals, default=0.0) if stacked else top)


class LineChartPanel(ChartPanel):
    """Lines over categories (days), with gaps shown as zero."""

    def set_lines(self, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *,
                  label_every: int = 5) -> None:
        shown = (tuple(categories), tuple((name, tuple(float(v or 0) for v in values)) for name, values in series),
                 label_every)
        if shown == self._shown:
            return
        shape = (shown[0], tuple(name for name, _ in shown[1]), label_every)
        self._shown = shown
        if shape == self._shape:
            top = 0.0
            for line, (_name, values) in zip(self._lines, shown[1], strict=True):
                line.replace([QPointF(float(i), v) for i, v in enumerate(values)])
                top = max(top, max(values, default=0.0))
            self._value_axis.setRange(0, _nice_max(top))
            self._value_axis.applyNiceNumbers()
            return
        self._shape = shape
        self._clear()
        self._lines: list[QLineSeries] = []
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
            self._lines.append(line)
        self._value_axis = y
        y.setRange(0, _nice_max(top))
        y.applyNiceNumbers()
