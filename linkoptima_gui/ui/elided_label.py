"""A one-line label that never widens its window.

The status bar's lines grow with what they report (the engine's station and heartbeat, the last
stock pass); a plain QLabel asks for its whole text's width, and a status bar that cannot shrink
pushes the window past a 1366-pixel laptop screen. This label asks for its text's width but
accepts less: what does not fit ends in "…", and ``text()`` still returns the whole of it.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

#: the narrowest the label gets (a few words stay readable)
MIN_WIDTH = 120


class ElidedLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        self._full = text
        self._elide()
        self.updateGeometry()

    def text(self) -> str:
        """The whole text, however much of it is shown."""
        return self._full

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self.fontMetrics().horizontalAdvance(self._full) + 8, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(min(MIN_WIDTH, self.sizeHint().width()), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, max(0, self.width() - 4))
        super().setText(shown)
