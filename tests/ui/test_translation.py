"""The console in Polish and in English: the translation source matches the code, every message
is translated with its placeholders intact, and an installed English translator reaches the
window (and nothing Polish is left on it), while without one everything stays Polish."""

from __future__ import annotations

import logging
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QTableView,
    QTabWidget,
    QWidget,
)

from linkoptima_gui.cli import _parser
from linkoptima_gui.ui.context import ConsoleContext
from linkoptima_gui.ui.i18n import (
    ENV_VAR,
    InstalledLanguage,
    choose_language,
    install_language,
    remove_language,
)
from linkoptima_gui.ui.i18n.build import compile_ts, ts_files, update
from linkoptima_gui.ui.main_window import MainWindow

TS = next(path for path in ts_files() if path.stem == "linkoptima_en")
#: {name}, {count}: what ``str.format`` fills in
PLACEHOLDER = re.compile(r"\{\w*\}")
#: the keys a text promises ("(F8)", "Ctrl+P", "Enter"): a translation must promise the same
KEY = re.compile(r"\b(?:Ctrl\+\w+|F\d{1,2}|Enter)\b|\((?:R|P)\)")
POLISH_LETTERS = re.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")

Message = tuple[str, str, str, str]  # context, source, translation, its type ("" when finished)


def messages(ts: Path) -> list[Message]:
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            found.append((name, message.findtext("source") or "", translation.text or "",
                          translation.get("type", "")))
    return found


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The English .ts compiled afresh (the tests do not depend on ``make`` having run)."""
    folder = tmp_path_factory.mktemp("translations")
    compile_ts(TS, folder / "linkoptima_en.qm")
    return folder


@pytest.fixture
def english(qapp: QApplication, compiled: Path) -> Iterator[InstalledLanguage]:
    installed = install_language(qapp, "en", compiled)
    yield installed
    remove_language(qapp, installed)


# ---- the translation source ------------------------------------------------------------------


def test_ts_holds_every_string_of_the_code_and_nothing_else(tmp_path: Path) -> None:
    """lupdate run now on the screens changes nothing: no string is missing, none is stale."""
    fresh = tmp_path / TS.name
    shutil.copy(TS, fresh)
    update(fresh)
    assert messages(fresh) == messages(TS)


def test_every_message_is_translated() -> None:
    found = messages(TS)
    assert len(found) > 250
    unfinished = [(c, s, kind) for c, s, t, kind in found if kind or not t.strip()]
    assert unfinished == []


def test_translations_keep_placeholders_keys_and_lines() -> None:
    wrong = [(context, source, translation) for context, source, translation, _ in messages(TS)
             if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation))
             or sorted(KEY.findall(source)) != sorted(KEY.findall(translation))
             or source.count("\n") != translation.count("\n")]
    assert wrong == []


def test_no_english_text_is_left_polish() -> None:
    polish = [(c, s, t) for c, s, t, _ in messages(TS) if POLISH_LETTERS.search(t)]
    assert polish == []


# ---- choosing and installing a language ------------------------------------------------------


def test_language_comes_from_the_command_line_then_the_environment_then_the_settings() -> None:
    assert choose_language(environ={}) == "pl"
    assert choose_language(settings="en", environ={}) == "en"
    assert choose_language(settings="en", environ={ENV_VAR: "pl"}) == "pl"
    assert choose_language("en", settings="pl", environ={ENV_VAR: "pl"}) == "en"
    assert choose_language(environ={ENV_VAR: "en_GB.UTF-8"}) == "en"
    assert choose_language(environ={ENV_VAR: "klingon"}) == "pl"  # a typo does not stop the console
    assert _parser().parse_args(["--demo", "--lang", "en"]).lang == "en"
    assert _parser().parse_args(["--demo"]).lang is None


def test_polish_brings_qts_own_polish_for_standard_dialogs(qapp: QApplication) -> None:
    installed = install_language(qapp, "pl")
    try:
        assert installed.language == "pl"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Anuluj"
    finally:
        remove_language(qapp, installed)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_a_missing_translation_leaves_the_console_polish(qapp: QApplication, tmp_path: Path,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        installed = install_language(qapp, "en", tmp_path)
    try:
        assert installed.language == "pl"
        assert "stays Polish" in caplog.text
        assert QCoreApplication.translate("MainWindow", "Pakowanie") == "Pakowanie"
    finally:
        remove_language(qapp, installed)


# ---- the window ------------------------------------------------------------------------------


def _open_window(qtbot, context: ConsoleContext) -> MainWindow:  # noqa: ANN001 - pytest-qt's fixture
    window = MainWindow(context)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.status.counts is not None, timeout=3000)
    return window


def test_with_the_english_translator_the_window_is_english(qtbot, context: ConsoleContext,
                                                           english: InstalledLanguage) -> None:
    assert english.language == "en"
    window = _open_window(qtbot, context)
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "Dashboard", "Orders", "Packing", "Exceptions", "Reprints", "Settings"]
    assert window.tabs.tabToolTip(2) == "Ctrl+2"
    assert window.packing.pack_button.text() == "Print label and pack (Enter)"
    assert window.status.engine_label.text() == "Engine: state unknown"
    assert window.status.stock_label.text() == "Stock: not synchronized yet"
    counts = window.status.counts_label.text()
    assert "Ready to pack: 0" in counts and "Exception: 0" in counts and "Packed today: 0" in counts


def test_without_a_translator_the_window_stays_polish(qtbot, context: ConsoleContext) -> None:
    window = _open_window(qtbot, context)
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "Pulpit", "Zamówienia", "Pakowanie", "Wyjątki", "Wydruki", "Ustawienia"]
    assert window.packing.pack_button.text() == "Drukuj etykietę i spakuj (Enter)"
    assert window.status.stock_label.text() == "Stany: jeszcze nie synchronizowano"
    assert "Do spakowania: 0" in window.status.counts_label.text()


def _texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) of everything the widgets under ``root`` show or offer as a hint."""
    for widget in [root, *root.findChildren(QWidget)]:
        where = f"{type(widget).__name__} in {type(widget.parent()).__name__}"
        yield where, widget.toolTip()
        if isinstance(widget, QLabel | QAbstractButton):
            yield where, widget.text()
        if isinstance(widget, QLineEdit):
            yield where, widget.placeholderText()
        if isinstance(widget, QGroupBox):
            yield where, widget.title()
        if isinstance(widget, QComboBox):
            yield from ((where, widget.itemText(i)) for i in range(widget.count()))
        if isinstance(widget, QListWidget):
            yield from ((where, widget.item(i).text()) for i in range(widget.count()))
        if isinstance(widget, QTabWidget):
            yield from ((where, widget.tabText(i)) for i in range(widget.count()))
        if isinstance(widget, QTableView):
            model = widget.model()
            yield from ((where, str(model.headerData(c, Qt.Orientation.Horizontal) or ""))
                        for c in range(model.columnCount()))


def test_nothing_polish_is_left_in_the_english_window(qtbot, context: ConsoleContext,
                                                      english: InstalledLanguage) -> None:
    """Catches strings that bypass tr() and tr() contexts lupdate files under another class."""
    translated = {s for _c, s, t, _k in messages(TS) if s != t}
    window = _open_window(qtbot, context)  # an empty store: no buyer names or cities on screen
    window.show()
    with qtbot.waitSignal(window.settings.sig_loaded, timeout=5000):  # read on its first show
        window.tabs.setCurrentWidget(window.settings)
    polish = sorted({(where, text) for where, text in _texts(window)
                     if text and (POLISH_LETTERS.search(text) or text in translated)})
    assert polish == []
