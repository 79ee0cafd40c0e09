"""A tray notification when an exception appears, so a manager on another screen (or another
window) learns that an order needs a person without watching the console.

Bursts are coalesced: the engine can stop twenty orders at once when Optima goes away, and
twenty balloons would be noise. The first exception of a quiet period is shown at once with
its reason; the rest of the burst becomes one "N more" notice when the period ends. Where the
platform has no tray (a headless test, some Linux desktops) the status bar's message is all
there is.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon

from .bridge import EngineBridge

#: how long after a notification further exceptions are gathered into one
QUIET_MS = 10_000

Show = Callable[[str, str], None]


class ExceptionNotifier(QObject):
    """Shows exceptions through ``show(title, text)``: the tray icon's balloon by default."""

    def __init__(self, bridge: EngineBridge, parent: QObject | None = None, show: Show | None = None) -> None:
        super().__init__(parent)
        self.tray: QSystemTrayIcon | None = None
        if show is None and QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(self._icon(), self)
            self.tray.setToolTip(self.tr("LinkOptima"))
            self.tray.show()
        self._show = show or self._tray_message
        self._pending = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(QUIET_MS)
        self._timer.timeout.connect(self._flush)
        bridge.sig_exception.connect(self._on_exception)

    def _on_exception(self, data: dict) -> None:
        if self._timer.isActive():
            self._pending += 1
            return
        self._show(self.tr("Zamówienie wymaga decyzji"), str(data.get("reason") or ""))
        self._timer.start()

    def _flush(self) -> None:
        if self._pending:
            self._show(self.tr("Zamówienia wymagają decyzji"),
                       self.tr("Kolejne wyjątki: {count}. Zobacz ekran „Wyjątki”.").format(count=self._pending))
            self._pending = 0
            self._timer.start()

    def _tray_message(self, title: str, text: str) -> None:
        if self.tray is not None:
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Warning, 8000)

    @staticmethod
    def _icon() -> QIcon:
        app = QApplication.instance()
        style = app.style() if isinstance(app, QApplication) else None
        return style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning) if style else QIcon()
