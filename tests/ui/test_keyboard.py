"""Everything by keyboard: Ctrl+0 (the Pulpit) and Ctrl+1..5 open the screens with the keyboard where their work starts,
every button is reachable by Tab or names its key, and the search screens answer Ctrl+F / Ctrl+P."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QCheckBox, QPushButton, QWidget

from linkoptima_gui.ui.context import ConsoleContext
from linkoptima_gui.ui.main_window import MainWindow

from .conftest import FakePrinter

#: a key named in a button's text: "(Enter)", "(F8)", "(Ctrl+P)", "(R)"
NAMED_KEY = re.compile(r"\((?:Enter|F\d{1,2}|Ctrl\+(?:Shift\+)?\w|\w)\)$")


def _shown_window(qtbot, context: ConsoleContext) -> MainWindow:  # noqa: ANN001 - pytest-qt's fixture
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=3000)
    return window


def _press(qtbot, keys: str) -> None:  # noqa: ANN001
    """Type a shortcut into whatever has the focus, as a person would."""
    widget = QApplication.focusWidget()
    assert widget is not None
    modifiers = Qt.KeyboardModifier.NoModifier
    *mods, key = keys.split("+")
    for mod in mods:
        modifiers |= {"Ctrl": Qt.KeyboardModifier.ControlModifier, "Shift": Qt.KeyboardModifier.ShiftModifier}[mod]
    qtbot.keyClick(widget, getattr(Qt.Key, f"Key_{key}"), modifiers)


def test_ctrl_number_opens_each_screen_with_the_keyboard_in_it(qtbot, context: ConsoleContext,
                                                               world: dict[str, int]) -> None:
    window = _shown_window(qtbot, context)
    expected: list[tuple[QWidget, QWidget]] = [
        (window.packing, window.packing.scan), (window.exceptions, window.exceptions.table),
        (window.reprint, window.reprint.search), (window.settings, window.settings.nav),
        (window.pipeline, window.pipeline.search), (window.dashboard, window.dashboard.period)]
    for number, (screen, start) in zip((2, 3, 4, 5, 1, 0), expected, strict=True):
        _press(qtbot, f"Ctrl+{number}")
        assert window.tabs.currentWidget() is screen
        assert window.tabs.tabToolTip(window.tabs.indexOf(screen)) == f"Ctrl+{number}"
        qtbot.waitUntil(lambda start=start: QApplication.focusWidget() is start, timeout=1000)
        assert start.isVisible()  # never a field on a hidden screen


def test_every_button_is_reachable_by_tab_or_names_its_key(qtbot, context: ConsoleContext) -> None:
    window = _shown_window(qtbot, context)
    buttons = [b for b in window.findChildren(QAbstractButton) if isinstance(b, QPushButton | QCheckBox)]
    assert len(buttons) > 20
    unreachable = [b.text() for b in buttons
                   if not b.focusPolicy() & Qt.FocusPolicy.TabFocus and not NAMED_KEY.search(b.text())]
    assert unreachable == []


def test_reprint_screen_by_keyboard(qtbot, context: ConsoleContext, world: dict[str, int],
                                    printer: FakePrinter) -> None:
    window = _shown_window(qtbot, context)
    _press(qtbot, "Ctrl+4")
    view = window.reprint
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.search, timeout=1000)
    with qtbot.waitSignal(view.sig_results, timeout=3000):
        qtbot.keyClicks(view.search, "1001")
        qtbot.keyClick(view.search, Qt.Key.Key_Return)
    view.table.setFocus()
    with qtbot.waitSignal(view.sig_printed, timeout=3000) as printed:
        _press(qtbot, "Ctrl+P")
    assert printed.args[1] is True and printer.jobs
    _press(qtbot, "Ctrl+F")
    assert QApplication.focusWidget() is view.search and view.search.selectedText() == "1001"


def test_pipeline_ctrl_f_goes_back_to_the_search(qtbot, context: ConsoleContext, world: dict[str, int]) -> None:
    window = _shown_window(qtbot, context)
    window.show_pipeline()  # the Pulpit is the first tab
    window.pipeline.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.pipeline.table, timeout=1000)
    _press(qtbot, "Ctrl+F")
    assert QApplication.focusWidget() is window.pipeline.search
