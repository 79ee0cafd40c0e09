"""The Pulpit on screen over the demo world with its past: the charts show the core's figures,
a bar of the exceptions chart opens the exceptions screen filtered, the reorder table books a ZD
and goes to CSV."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from linkoptima_gui.core.dashboard.figures import DashboardFigures
from linkoptima_gui.core.domain.money import format_pln
from linkoptima_gui.demo.world import DemoWorld
from linkoptima_gui.ui.dashboard.charts import BarChartPanel, ChartPanel
from linkoptima_gui.ui.dashboard.reorder_model import ReorderColumn, ReorderModel
from linkoptima_gui.ui.i18n import install_language, remove_language
from linkoptima_gui.ui.launch import demo_context
from linkoptima_gui.ui.main_window import MainWindow


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    world = DemoWorld(tmp_path_factory.mktemp("pulpit-ui") / "world", history=True).open()
    yield world
    world.close()


@pytest.fixture
def window(qtbot, world: DemoWorld) -> MainWindow:  # noqa: ANN001
    window = MainWindow(demo_context(world))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(lambda: window.dashboard.figures is not None, timeout=15_000)
    return window


def test_the_pulpit_is_the_first_tab_and_shows_the_figures(window: MainWindow, world: DemoWorld) -> None:
    assert window.tabs.currentWidget() is window.dashboard and window.tabs.tabText(0) == "Pulpit"
    figures: DashboardFigures = window.dashboard.figures
    expected = world.dashboard.figures(1)
    assert figures.paid_per_hour == expected.paid_per_hour and figures.backlog == expected.backlog
    paid = window.dashboard.paid_chart.chart().series()[0].barSets()[0]
    assert [int(paid.at(i)) for i in range(24)] == list(expected.paid_per_hour)
    model = window.dashboard.reorder
    assert [c.code for c in model.covers()] == [c.code for c in expected.stock.reorder]
    assert model.data(model.index(0, ReorderColumn.ORDER)) == format(expected.stock.reorder[0].suggested.normalize(), "f")
    # amounts as Poles write them, whatever the system's locale
    assert window.dashboard.money.settled.text() == format_pln(expected.money.settled_today_total)


def test_the_reorder_model(qtmodeltester, window: MainWindow) -> None:  # noqa: ANN001
    qtmodeltester.check(window.dashboard.reorder)
    qtmodeltester.check(ReorderModel())


def test_an_exceptions_bar_opens_the_exceptions_screen_filtered(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    figures = window.dashboard.figures
    last = max(figures.exceptions, key=lambda e: e.day)
    from linkoptima_gui.ui import texts

    group = texts.exception_group(last.code)
    index = window.dashboard._exception_days.index(last.day)
    with qtbot.waitSignal(window.exceptions.sig_loaded, timeout=3000):
        window.dashboard.exceptions_chart.sig_bar_clicked.emit(group, index)
    assert window.tabs.currentWidget() is window.exceptions
    assert window.exceptions.filter == (group, last.day)
    assert group in window.exceptions.filter_label.text()
    for row in range(window.exceptions.model.rowCount()):
        assert window.exceptions.model.group(row) == group
    window.exceptions.clear_filter_button.click()
    assert window.exceptions.filter is None


def test_the_zd_button_and_the_csv(qtbot, window: MainWindow, world: DemoWorld, tmp_path: Path) -> None:  # noqa: ANN001
    view = window.dashboard
    model = view.reorder
    assert model.setData(model.index(0, ReorderColumn.ORDER), "9", )
    assert model.setData(model.index(0, ReorderColumn.CHOSEN), 2, 10)  # CheckStateRole
    with qtbot.waitSignal(view.sig_booked, timeout=10_000) as booked:
        view.book_button.click()
    numbers = booked.args[0]
    assert len(numbers) == 1 and numbers[0].startswith("ZD/")
    assert "ZD/" in view.status_line.text()
    path = view.export_csv(tmp_path / "do-zamowienia.csv")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].startswith(model.covers()[0].code) and lines[1].endswith(";9")
    assert Decimal(1) <= model.covers()[0].suggested


def test_period_choice_reads_again(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    with qtbot.waitSignal(window.dashboard.sig_loaded, timeout=10_000) as loaded:
        window.dashboard.period.setCurrentIndex(2)
    assert loaded.args[0].period.days == 30 and isinstance(loaded.args[0].period.first, date)


BACKLOG = ["opłacone, nowe", "czekają na dokumenty", "do spakowania", "wyjątki"]


def test_a_cut_label_is_seen(qtbot) -> None:  # noqa: ANN001
    """The check below can fail: a long category under a narrow bar is reported."""
    panel = BarChartPanel("Zaległości")
    qtbot.addWidget(panel)
    panel.resize(300, 210)
    panel.set_bars(BACKLOG, [("zamówienia", [1, 2, 3, 4])])
    panel.show()
    qtbot.waitExposed(panel)
    assert "czekają na dokumenty" in panel.cut_texts()
    panel.resize(440, 210)  # a third of 1366, as on the screen
    panel.set_bars(BACKLOG, [("zamówienia", [1, 2, 3, 4])], horizontal=True)
    qtbot.waitUntil(lambda: panel.cut_texts() == [], timeout=2000)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_charts_read_whole_at_1366x768(qtbot, qapp, world: DemoWorld, language: str) -> None:  # noqa: ANN001
    """Every title, category and legend name whole at 1366×768, in Polish and in English (at 2×
    the logical size is the same, so is the layout)."""
    installed = install_language(qapp, language)
    try:
        window = MainWindow(demo_context(world))
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitUntil(lambda: window.dashboard.figures is not None, timeout=15_000)
        charts = window.dashboard.findChildren(ChartPanel)
        assert len(charts) == 7
        if language == "en":
            assert window.dashboard.backlog_chart.chart().title() == "Backlog now (orders)"
        qtbot.waitUntil(lambda: [text for chart in charts for text in chart.cut_texts()] == [], timeout=3000)
    finally:
        remove_language(qapp, installed)
