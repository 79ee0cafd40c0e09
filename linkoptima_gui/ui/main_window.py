"""The main window: wiring only (tabs, the engine bridge, the status bar).

Each screen owns its models and its reactions to engine events; this window only creates
them, hands them the context and the bridge, and tidies up on close (the bridge stops
listening before the widgets go away, so no late engine event reaches a dead widget).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QTabWidget, QWidget

from .bridge import EngineBridge
from .context import ConsoleContext
from .dashboard import DashboardView
from .exceptions import ExceptionsView
from .help_menu import HelpMenu
from .notifications import ExceptionNotifier
from .packing import PackingView
from .pipeline import PipelineView
from .reprint import ReprintView
from .settings import SettingsView
from .status_bar import ConsoleStatusBar

#: The size the console is designed for (a common warehouse laptop screen).
DESIGN_SIZE = (1366, 768)


class MainWindow(QMainWindow):
    """Tabs "Pulpit", "Zamówienia", "Pakowanie", "Wyjątki", "Wydruki" and "Ustawienia" over one
    engine bridge; Ctrl+0 is the Pulpit, Ctrl+1…5 the others as before."""

    #: The window is closing (emitted once, before it hides).
    sig_closed = Signal()

    def __init__(self, context: ConsoleContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.bridge = EngineBridge(context.bus, self)
        self.dashboard = DashboardView(context, self.bridge, self)
        self.pipeline = PipelineView(context, self.bridge, self)
        self.packing = PackingView(context, self.bridge, self)
        self.exceptions = ExceptionsView(context, self.bridge, self)
        self.reprint = ReprintView(context, self)
        self.settings = SettingsView(context, self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.dashboard, self.tr("Pulpit"))
        self.tabs.addTab(self.pipeline, self.tr("Zamówienia"))
        self.tabs.addTab(self.packing, self.tr("Pakowanie"))
        self.tabs.addTab(self.exceptions, self.tr("Wyjątki"))
        self.tabs.addTab(self.reprint, self.tr("Wydruki"))
        self.tabs.addTab(self.settings, self.tr("Ustawienia"))
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.setCentralWidget(self.tabs)
        self.status = ConsoleStatusBar(context, self.bridge, self)
        self.setStatusBar(self.status)
        self.notifier = ExceptionNotifier(self.bridge, self)
        self.help_menu = HelpMenu(self, context, lambda text, _error: self.status.showMessage(text, 15_000))
        title = self.tr("LinkOptima")
        if context.title_suffix:
            title = f"{title} — {context.title_suffix}"
        self.setWindowTitle(title)
        self.resize(*DESIGN_SIZE)
        self.dashboard.sig_exceptions_clicked.connect(self.show_exceptions)
        for number, tab in ((0, self.dashboard), (1, self.pipeline), (2, self.packing), (3, self.exceptions), (4, self.reprint),
                            (5, self.settings)):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda tab=tab: self.tabs.setCurrentWidget(tab))
            # the titles stay short for the packer's eye; the key is one hover away
            self.tabs.setTabToolTip(self.tabs.indexOf(tab), shortcut.key().toString(
                QKeySequence.SequenceFormat.NativeText))
        self._closed = False

    def show_pipeline(self) -> None:
        self.tabs.setCurrentWidget(self.pipeline)

    def show_packing(self) -> None:
        self.tabs.setCurrentWidget(self.packing)

    def show_exceptions(self, group: str = "", day: object = None) -> None:
        """The exceptions screen, filtered to one reason group and day when given (a Pulpit bar)."""
        self.exceptions.show_filtered(group, day)  # type: ignore[arg-type]
        self.tabs.setCurrentWidget(self.exceptions)

    def _on_tab_changed(self, _index: int) -> None:
        """Put the keyboard where each screen's work starts, so a screen opened with Ctrl+1..5
        is usable without the mouse, and typing never goes into a field on a hidden screen."""
        start: dict[QWidget, QWidget] = {
            self.dashboard: self.dashboard.period,
            self.pipeline: self.pipeline.search,
            self.packing: self.packing.scan,
            self.exceptions: self.exceptions.table,
            self.reprint: self.reprint.search,
            self.settings: self.settings.nav,
        }
        target = start.get(self.tabs.currentWidget())
        if target is not None:
            target.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closed:
            self._closed = True
            self.bridge.close()
            self.packing.release_current()  # the other stations may pack it now
            self.sig_closed.emit()
        super().closeEvent(event)
