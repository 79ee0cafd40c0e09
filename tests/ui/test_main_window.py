"""The main window's wiring, the application entry point and the screenshots."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from linkoptima_gui.core.engine.events import EngineEvent, EventKind
from linkoptima_gui.ui.app import run_console
from linkoptima_gui.ui.context import ConsoleContext
from linkoptima_gui.ui.main_window import MainWindow
from linkoptima_gui.ui.screenshots import save_screenshots

from .conftest import publish_from_thread


class FakeEngine:
    def __init__(self) -> None:
        self._state = "running"

    def state(self) -> str:
        return self._state

    def pause(self) -> None:
        self._state = "paused"

    def resume(self) -> None:
        self._state = "running"


def test_window_has_tabs_title_and_counts(qtbot, context: ConsoleContext, world: dict[str, int]) -> None:
    context.engine = FakeEngine()
    window = MainWindow(context)
    qtbot.addWidget(window)
    assert window.windowTitle() == "LinkOptima — TEST"
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == ["Pulpit", "Zamówienia", "Pakowanie", "Wyjątki", "Wydruki",
                                                                                 "Ustawienia"]
    qtbot.waitUntil(lambda: window.status.counts is not None, timeout=3000)
    text = window.status.counts_label.text()
    assert "Do spakowania: 3" in text and "Wyjątek: 1" in text and "Spakowane dziś: 0" in text
    assert window.status.engine_label.text() == "Silnik: działa"

    with qtbot.waitSignal(window.status.sig_counts_shown, timeout=3000):  # counts follow the engine
        publish_from_thread(context.bus, world["1003"])

    window.status.pause_button.click()  # pause goes to the engine off the GUI thread
    qtbot.waitUntil(lambda: window.status.engine_label.text() == "Silnik: wstrzymany", timeout=3000)
    assert window.status.pause_button.text() == "Wznów"
    context.bus.publish(EngineEvent(EventKind.ENGINE_STATE, data={"state": "running"}))
    qtbot.waitUntil(lambda: window.status.engine_label.text() == "Silnik: działa", timeout=3000)

    with qtbot.waitSignal(window.sig_closed, timeout=1000):
        window.close()
    assert window.bridge.is_closed


def test_run_console_runs_until_the_window_closes(qtbot, context: ConsoleContext) -> None:
    quit_calls: list[bool] = []

    def close_soon() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                widget.close()

    QTimer.singleShot(300, close_soon)
    assert run_console(context, on_quit=lambda: quit_calls.append(True)) == 0
    assert quit_calls == [True]
    assert QApplication.applicationName() == "LinkOptima"


def test_screenshots_are_saved_at_design_size(context: ConsoleContext, world: dict[str, int],
                                              tmp_path: Path) -> None:
    saved = save_screenshots(context, tmp_path / "shots")
    assert [p.name for p in saved] == ["dashboard.png", "pipeline.png", "refunds.png", "packing.png", "exceptions.png",
                                      "reprint.png", "settings.png", "stations.png"]
    for path in saved:
        image = QImage(str(path))
        assert (image.width(), image.height()) == (1366, 768)
    keep = os.environ.get("LINKOPTIMA_SCREENSHOT_DIR")  # to look at them or refresh docs/
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for path in saved:
            shutil.copy(path, Path(keep) / path.name)


def test_help_menu_saves_the_report_for_support(qtbot, context: ConsoleContext, world: dict[str, int],
                                                tmp_path: Path) -> None:
    import zipfile

    window = MainWindow(context)
    qtbot.addWidget(window)
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["Pomoc"]
    assert window.help_menu.save_report.text() == "Zapisz raport dla wsparcia…"
    out = tmp_path / "raport.zip"
    window.help_menu.save_to(out)
    qtbot.waitUntil(lambda: "Raport dla wsparcia zapisano" in window.status.currentMessage(), timeout=10_000)
    assert str(out) in window.status.currentMessage()
    with zipfile.ZipFile(out) as bundle:
        assert {"wersje.json", "ustawienia.json", "baza.json"} <= set(bundle.namelist())
