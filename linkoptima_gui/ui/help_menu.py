"""The window's "Pomoc" menu: the report for support ("Zapisz raport dla wsparcia").

Why a menu item and not only ``linkoptima support-bundle``: the person at the shop who is
asked for the report has the console open, not a terminal. The zip is written off the GUI
thread (the store's audit read and the logs may take a moment on a shared server) and the
status bar says where it went, or why it could not be written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow

from ..core.config.settings_file import SettingsFile
from ..core.support_bundle import write_bundle
from .background import Lane, run_in_background
from .context import ConsoleContext


class HelpMenu(QObject):
    """Adds "Pomoc → Zapisz raport dla wsparcia…" to ``window``; ``tell`` shows a status line."""

    def __init__(self, window: QMainWindow, context: ConsoleContext, tell: Callable[[str, bool], None]) -> None:
        super().__init__(window)
        self._window, self._context, self._tell = window, context, tell
        menu = window.menuBar().addMenu(self.tr("Pomoc"))
        self.save_report = QAction(self.tr("Zapisz raport dla wsparcia…"), self)
        self.save_report.setToolTip(self.tr("Dzienniki, ustawienia bez haseł, wersje i ostatnie zdarzenia, "
                                            "w jednym pliku .zip"))
        self.save_report.triggered.connect(self.ask_and_save)
        menu.addAction(self.save_report)

    def ask_and_save(self) -> None:
        suggested = Path.home() / f"linkoptima-raport-{datetime.now():%Y%m%d-%H%M}.zip"
        name, _ = QFileDialog.getSaveFileName(self._window, self.tr("Zapisz raport dla wsparcia"), str(suggested),
                                              self.tr("Archiwum ZIP (*.zip)"))
        if name:
            self.save_to(Path(name))

    def save_to(self, path: Path) -> None:
        """Write the report to ``path`` in the background; the outcome goes to ``tell``."""
        settings = (self._context.settings_file or SettingsFile()).path
        job = partial(write_bundle, path, settings_path=settings, sessions=self._context.session_factory)
        run_in_background(job, self._saved, self._failed, owner=self, lane=Lane.ACTION)

    def _saved(self, path: Path) -> None:
        self._tell(self.tr("Raport dla wsparcia zapisano: %1").replace("%1", str(path)), False)

    def _failed(self, exc: BaseException) -> None:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc.__class__.__name__
        self._tell(self.tr("Nie udało się zapisać raportu: %1").replace("%1", str(reason)), True)
