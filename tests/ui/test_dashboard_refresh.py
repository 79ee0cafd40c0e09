"""The Pulpit reads again at most once per gap however many changes the engine reports, only
while it is on screen, and redraws only the charts whose numbers changed (a fake clock, reads
counted; no sleeping)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QCoreApplication, Qt

from linkoptima_gui.core.dashboard.figures import DashboardFigures
from linkoptima_gui.core.dashboard.service import Dashboard
from linkoptima_gui.ui.bridge import EngineBridge
from linkoptima_gui.ui.context import ConsoleContext
from linkoptima_gui.ui.dashboard.charts import BarChartPanel, LineChartPanel
from linkoptima_gui.ui.dashboard.view import EVENTS_GAP_S, DashboardView, RefreshPolicy


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class CountingDashboard(Dashboard):
    """The real figures of the test's store, with the reads counted."""

    reads = 0

    def figures(self, period_days: int = 1, day: date | None = None) -> DashboardFigures:
        self.reads += 1
        return super().figures(period_days, day)


def test_the_policy_holds_changes_to_one_read_per_gap() -> None:
    clock = FakeClock()
    policy = RefreshPolicy(10.0, clock)
    assert policy.due_in() is None  # nothing changed, nothing to read
    policy.changed()
    assert policy.due_in() == 0.0  # never read: at once
    policy.started()
    for _ in range(100):
        policy.changed()
    assert policy.due_in() is None  # a read is on its way: its end asks again
    clock.now += 2
    policy.finished()
    assert policy.due_in() == pytest.approx(8.0)  # ten seconds from the last read's start
    clock.now += 8
    assert policy.due_in() == 0.0
    policy.started()
    policy.finished()
    assert policy.due_in() is None and not policy.stale


@pytest.fixture
def pulpit(qtbot, context: ConsoleContext):  # noqa: ANN001, ANN201
    clock = FakeClock()
    dashboard = CountingDashboard(context.session_factory)
    context.dashboard = dashboard
    bridge = EngineBridge(context.bus)
    view = DashboardView(context, bridge, policy=RefreshPolicy(EVENTS_GAP_S, clock))
    qtbot.addWidget(view)
    view.resize(1366, 768)
    with qtbot.waitSignal(view.sig_loaded, timeout=10_000):
        view.show()
    yield view, bridge, dashboard, clock
    bridge.close()


def test_many_changes_make_one_read(qtbot, pulpit) -> None:  # noqa: ANN001
    view, bridge, dashboard, clock = pulpit
    assert dashboard.reads == 1  # shown: read once
    loaded: list[DashboardFigures] = []
    view.sig_loaded.connect(loaded.append)
    first = view.policy.last_read
    for order_id in range(200):  # a busy engine's changes, as the bridge delivers them
        bridge.sig_orders_changed.emit([order_id])
    QCoreApplication.processEvents()
    assert view.policy.last_read == first and not view.policy.reading  # nothing read yet
    assert dashboard.reads == 1 and not loaded
    assert view._changes_timer.isActive()
    assert view._changes_timer.remainingTime() > (EVENTS_GAP_S - 1) * 1000  # the gap from the first read
    view.read_if_due()  # the timer ends early: not due by the clock, so it waits on
    assert view.policy.last_read == first and view._changes_timer.isActive()
    clock.now += EVENTS_GAP_S
    with qtbot.waitSignal(view.sig_loaded, timeout=10_000):
        view.read_if_due()
    assert dashboard.reads == 2 and len(loaded) == 1
    assert not view._changes_timer.isActive() and not view.policy.stale  # all 200 changes in that read
    clock.now += 3 * EVENTS_GAP_S
    view.read_if_due()
    assert not view.policy.reading and dashboard.reads == 2  # no change since: no read


def test_changes_while_reading_make_one_more_read(qtbot, pulpit) -> None:  # noqa: ANN001
    view, bridge, dashboard, clock = pulpit
    clock.now += EVENTS_GAP_S
    view.refresh()  # a read on its way...
    assert view.policy.reading
    for order_id in range(50):  # ...while the engine goes on
        bridge.sig_orders_changed.emit([order_id])
    assert dashboard.reads <= 2
    qtbot.waitUntil(lambda: not view.policy.reading, timeout=10_000)
    assert dashboard.reads == 2 and view.policy.stale and view._changes_timer.isActive()
    clock.now += EVENTS_GAP_S
    with qtbot.waitSignal(view.sig_loaded, timeout=10_000):
        view.read_if_due()
    assert dashboard.reads == 3


def test_hidden_it_reads_nothing_and_reads_once_when_shown(qtbot, pulpit) -> None:  # noqa: ANN001
    view, bridge, dashboard, clock = pulpit
    view.hide()
    for order_id in range(50):
        bridge.sig_orders_changed.emit([order_id])
    clock.now += 10 * EVENTS_GAP_S
    view.read_if_due()
    view.refresh()  # the 30-second timer's call
    QCoreApplication.processEvents()
    assert not view.policy.reading and dashboard.reads == 1 and not view._changes_timer.isActive()
    with qtbot.waitSignal(view.sig_loaded, timeout=10_000):
        view.show()
    assert dashboard.reads == 2
    view.hide()
    view.show()  # nothing changed and the figures are fresh: no read
    assert not view.policy.reading and dashboard.reads == 2


def test_a_period_chosen_during_a_read_is_read_after_it(qtbot, pulpit) -> None:  # noqa: ANN001
    view, _bridge, dashboard, _clock = pulpit
    view.refresh()
    view.period.setCurrentIndex(2)  # while the first is on its way
    qtbot.waitUntil(lambda: view.figures is not None and view.figures.period.days == 30, timeout=10_000)
    assert dashboard.reads == 3


def test_a_chart_with_the_same_numbers_is_not_touched(qtbot) -> None:  # noqa: ANN001
    panel = BarChartPanel("Opłacone")
    qtbot.addWidget(panel)
    hours = [str(h) for h in range(24)]
    panel.set_bars(hours, [("opłacone", [0] * 24)], label_every=3)
    bar_set = panel.chart().series()[0].barSets()[0]
    assert panel.rebuilds == 1
    panel.set_bars(hours, [("opłacone", [0] * 24)], label_every=3)
    assert panel.rebuilds == 1
    values = [0] * 23 + [7]
    panel.set_bars(hours, [("opłacone", values)], label_every=3)  # new numbers: in place
    assert panel.rebuilds == 1 and panel.chart().series()[0].barSets()[0] is bar_set
    assert [bar_set.at(i) for i in range(24)] == values
    assert panel.chart().axes(Qt.Orientation.Vertical)[0].max() >= 7
    panel.set_bars(hours[:12], [("opłacone", values[:12])], label_every=3)  # a new shape: built again
    assert panel.rebuilds == 2


def test_horizontal_bars_in_place_keep_the_first_on_top(qtbot) -> None:  # noqa: ANN001
    panel = BarChartPanel("Zaległości")
    qtbot.addWidget(panel)
    names = ["opłacone, nowe", "czekają na dokumenty", "do spakowania", "wyjątki"]
    panel.set_bars(names, [("zamówienia", [1, 2, 3, 4])], horizontal=True)
    panel.set_bars(names, [("zamówienia", [5, 6, 7, 8])], horizontal=True)
    bar_set = panel.chart().series()[0].barSets()[0]
    assert panel.rebuilds == 1
    assert [bar_set.at(i) for i in range(4)] == [8, 7, 6, 5]  # drawn bottom up: the first on top


def test_lines_in_place(qtbot) -> None:  # noqa: ANN001
    panel = LineChartPanel("Czas")
    qtbot.addWidget(panel)
    days = [f"{d:02d}.12" for d in range(1, 31)]
    panel.set_lines(days, [("mediana", [None] * 30), ("90. percentyl", [1.0] * 30)])
    panel.set_lines(days, [("mediana", [None] * 30), ("90. percentyl", [1.0] * 30)])
    assert panel.rebuilds == 1
    panel.set_lines(days, [("mediana", [2.0] * 30), ("90. percentyl", [None] * 29 + [90.0])])
    assert panel.rebuilds == 1
    median, p90 = panel.chart().series()
    assert [p.y() for p in median.points()] == [2.0] * 30 and p90.at(29).y() == 90.0
