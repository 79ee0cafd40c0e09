"""The "Ustawienia" screen: connections, printers per station and the mappings, saved to the
settings file with the secrets in the keyring (or, on a computer without one, in the encrypted
secrets file the screen offers: ``secrets_home.py``).

The file and the keyring are read on the first show, not at start-up: a locked keyring may
ask for a password, and nobody should meet that dialog before opening Settings. Reading and
saving run off the GUI thread (the keyring can block on its unlock prompt). On save the pages
write into a copy of what was loaded, so sections the screen does not show (the seller, KSeF,
a newer program's sections) are written back unchanged; every problem is listed at once, in
Polish, with its field marked, and nothing is written until there are none.

The running engine keeps the settings it started with; the screen says so after a save.
"""

from __future__ import annotations

import copy
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.config.connection_checks import CheckResult
from ...core.config.saving import LoadedSettings, load_settings, save_settings
from ...core.config.secrets import SecretError, SecretStore
from ...core.config.settings_file import SettingsError, SettingsFile
from ...core.config.validation import Problem, validate
from ..background import Lane, run_in_background
from ..context import ConsoleContext
from ..packing.widgets import StatusKind, StatusLine, big_font
from .connections_page import ConnectionsPage
from .dashboard_page import DashboardPage
from .mapping_pages import FieldsPage, PaymentsPage, ShippingPage
from .secrets_home import SecretsHomeBox
from .stations_page import StationsPage
from .widgets import INVALID_STYLE, SettingsPage

#: how many problems the status line lists before "and N more"
_LISTED = 4


class SettingsStatus(StatusLine):
    """The packing screen's status line in desk size: read from a chair, and problems come in lists."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(40)

    def show_message(self, text: str, kind: StatusKind) -> None:
        super().show_message(text, kind)
        self.setFont(big_font(11, bold=kind in (StatusKind.OK, StatusKind.ERROR)))


class SettingsView(QWidget):
    #: the settings were read and are on screen (False: the file could not be used)
    sig_loaded = Signal(bool)
    #: a save finished: (ok, message)
    sig_saved = Signal(bool, str)

    def __init__(self, context: ConsoleContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.file = context.settings_file or SettingsFile()
        self.secret_store = context.secrets or SecretStore()
        self.loaded: LoadedSettings | None = None
        self._loading = False
        self._marked: list[QWidget] = []

        self.connections = ConnectionsPage(self)
        self.stations = StationsPage(self)
        self.shipping = ShippingPage(self)
        self.payments = PaymentsPage(self)
        self.fields = FieldsPage(self)
        self.dashboard = DashboardPage(self)
        self.pages: list[SettingsPage] = [self.connections, self.stations, self.shipping, self.payments, self.fields,
                                          self.dashboard]
        self.connections.shop.check.sig_result.connect(self._offer_shop_statuses)
        self.nav = QListWidget(self)
        self.nav.setFont(big_font(12))
        self.stack = QStackedWidget(self)
        for page in self.pages:
            self.nav.addItem(page.title())
            scroll = QScrollArea(self.stack)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QScrollArea.Shape.NoFrame)
            scroll.setWidget(page)
            self.stack.addWidget(scroll)
        self.nav.setFixedWidth(self.nav.sizeHintForColumn(0) + 32)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)

        self.status_line = SettingsStatus(self)
        self.reload_button = QPushButton(self.tr("Przywróć zapisane"), self)
        self.save_button = QPushButton(self.tr("Zapisz"), self)
        self.save_button.setFont(big_font(12, bold=True))
        self.save_button.setMinimumHeight(40)
        self.save_button.setMinimumWidth(140)
        self.save_button.setToolTip(self.tr("Zapisz ustawienia (Ctrl+S)"))
        self.reload_button.clicked.connect(self.reload)
        self.save_button.clicked.connect(self.save)
        save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_shortcut.activated.connect(self.save)

        #: where the secrets live: shown only when there is something to say or to do about it
        self.secrets_home = SecretsHomeBox(self.secret_store, self)
        self.secrets_home.sig_changed.connect(self.reload)

        body = QHBoxLayout()
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        bar = QHBoxLayout()
        bar.addWidget(self.status_line, 1)
        bar.addWidget(self.reload_button, 0, Qt.AlignmentFlag.AlignVCenter)
        bar.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.secrets_home)
        layout.addLayout(body, 1)
        layout.addLayout(bar)
        self._set_enabled(False)
        self.status_line.show_message(self.tr("Wczytywanie ustawień…"), StatusKind.BUSY)

    def _offer_shop_statuses(self, result: CheckResult) -> None:
        """The statuses a shop check found go to the status lists of "Pola, statusy, ceny"."""
        self.fields.offer_statuses(result.statuses)

    @property
    def is_loaded(self) -> bool:
        return self.loaded is not None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.loaded is None and not self._loading:
            self.reload()

    def show_page(self, page: SettingsPage) -> None:
        self.nav.setCurrentRow(self.pages.index(page))

    # -- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        self._loading = True
        self._set_enabled(False)
        self.status_line.show_message(self.tr("Wczytywanie ustawień…"), StatusKind.BUSY)
        run_in_background(partial(load_settings, self.file, self.secret_store), self._show_loaded,
                          self._load_failed, owner=self)

    def _show_loaded(self, loaded: LoadedSettings) -> None:
        self._loading = False
        self.loaded = loaded
        for page in self.pages:
            page.load(loaded.settings, dict(loaded.secrets))
        self._clear_marks()
        self._set_enabled(True)
        self.secrets_home.refresh()
        if loaded.secrets_problem:
            self.status_line.show_message(loaded.secrets_problem, StatusKind.ERROR)
        elif self.file.exists():
            self.status_line.show_message(self.tr("Ustawienia z pliku {path}").format(path=self.file.path),
                                          StatusKind.INFO)
        else:
            self.status_line.show_message(self.tr("Brak pliku ustawień: pokazano ustawienia domyślne. "
                                                  "Zapisz, aby utworzyć {path}").format(path=self.file.path),
                                          StatusKind.INFO)
        self.sig_loaded.emit(True)

    def _load_failed(self, exc: BaseException) -> None:
        """The file is unreadable or from a newer program: nothing may overwrite it from here."""
        self._loading = False
        self.reload_button.setEnabled(True)
        reason = str(exc) if isinstance(exc, SettingsError | ValueError) else f"{type(exc).__name__}: {exc}"
        self.status_line.show_message(self.tr("Nie można wczytać ustawień: {reason}").format(reason=reason),
                                      StatusKind.ERROR)
        self.sig_loaded.emit(False)

    def _set_enabled(self, enabled: bool) -> None:
        self.stack.setEnabled(enabled)
        self.save_button.setEnabled(enabled)
        self.reload_button.setEnabled(enabled)

    # -- saving ----------------------------------------------------------------------------

    def save(self) -> None:
        if self.loaded is None or not self.save_button.isEnabled():
            return
        settings = copy.deepcopy(self.loaded.settings)
        secrets = dict(self.loaded.secrets)
        for page in self.pages:
            page.store(settings, secrets)
        problems = validate(settings, secrets) + [p for page in self.pages for p in page.problems()]
        self._clear_marks()
        if problems:
            self._show_problems(problems)
            return
        self.save_button.setEnabled(False)
        self.status_line.show_message(self.tr("Zapisywanie…"), StatusKind.BUSY)
        before = dict(self.loaded.secrets)
        run_in_background(partial(save_settings, self.file, self.secret_store, settings, secrets, before),
                          lambda _names: self._saved(LoadedSettings(settings, secrets)), self._save_failed,
                          owner=self, lane=Lane.ACTION)

    def _saved(self, saved: LoadedSettings) -> None:
        self.loaded = saved
        self.save_button.setEnabled(True)
        message = self.tr("Zapisano ustawienia w {path}. Połączenia i drukarki zadziałają po ponownym "
                          "uruchomieniu konsoli.").format(path=self.file.path)
        self.status_line.show_message(message, StatusKind.OK)
        self.sig_saved.emit(True, message)

    def _save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, SecretError):
            message = self.tr("Nie zapisano: {reason}").format(reason=exc)
        else:
            message = self.tr("Nie zapisano pliku ustawień {path}: {reason}").format(path=self.file.path, reason=exc)
        self.status_line.show_message(message, StatusKind.ERROR)
        self.sig_saved.emit(False, message)

    def _show_problems(self, problems: list[Problem]) -> None:
        first_page: SettingsPage | None = None
        for problem in problems:
            page = next((p for p in self.pages if problem.section in p.sections), None)
            if page is None:
                continue
            first_page = first_page or page
            widget = page.field_widget(problem)
            if widget is not None:
                widget.setStyleSheet(INVALID_STYLE)
                widget.setToolTip(problem.message)
                self._marked.append(widget)
            self.nav.item(self.pages.index(page)).setForeground(QColor("#b3261e"))
        if first_page is not None:
            self.show_page(first_page)
        listed = [f"• {p.message}" for p in problems[:_LISTED]]
        if len(problems) > _LISTED:
            listed.append(self.tr("…i jeszcze {count}").format(count=len(problems) - _LISTED))
        message = self.tr("Nie zapisano, popraw:") + "\n" + "\n".join(listed)
        self.status_line.show_message(message, StatusKind.ERROR)
        self.sig_saved.emit(False, message)

    def _clear_marks(self) -> None:
        for widget in self._marked:
            widget.setStyleSheet("")
            widget.setToolTip("")
        self._marked.clear()
        for row in range(self.nav.count()):
            self.nav.item(row).setData(Qt.ItemDataRole.ForegroundRole, None)

