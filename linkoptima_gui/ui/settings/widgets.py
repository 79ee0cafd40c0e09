"""Small pieces the settings pages are built from: the "Testuj połączenie" row, a password field,
a one-item-per-line list, and the page base class.

The check row is the one place a settings page touches the outside world, so it carries the
threading rule: the form is read on the GUI thread (``prepare``), the check itself runs on the
check lane, and the button stays disabled until the answer is back, so one click is one check
and the window never waits.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from ...core.config.app_settings import AppSettings
from ...core.config.connection_checks import CheckResult
from ...core.config.validation import Problem
from ..background import Lane, run_in_background

#: how a check's outcome reads: green when it worked, red with the reason when not
_OK_STYLE = "QLabel { color:#1e7b34; font-weight:bold; }"
_FAIL_STYLE = "QLabel { color:#b3261e; font-weight:bold; }"
_BUSY_STYLE = "QLabel { color:#57606a; }"
#: a field the last save refused
INVALID_STYLE = "background:#fdecea; border:1px solid #b3261e; border-radius:3px; padding:2px;"


class CheckRow(QWidget):
    """A "Testuj połączenie" button and, beside it, what the last check said."""

    #: a check finished: (ok, message)
    sig_checked = Signal(bool, str)
    #: the same, whole (a ``CheckResult``: what else the check learnt)
    sig_result = Signal(object)

    def __init__(self, prepare: Callable[[], Callable[[], CheckResult]], parent: QWidget | None = None,
                 text: str = "") -> None:
        super().__init__(parent)
        self._prepare = prepare
        self.button = QPushButton(text or self.tr("Testuj połączenie"), self)
        self.button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.result, 1)
        self.button.clicked.connect(self.start)
        self._running = False

    @property
    def running(self) -> bool:
        """A check is under way (its button is off until the answer is back)."""
        return self._running

    def start(self) -> None:
        if self.running:
            return
        job = self._prepare()  # the form is read here, on the GUI thread
        self._running = True
        self.button.setEnabled(False)
        self.result.setStyleSheet(_BUSY_STYLE)
        self.result.setText(self.tr("Sprawdzanie…"))
        run_in_background(job, self._done, self._failed, owner=self, lane=Lane.CHECK)

    def clear(self) -> None:
        self.result.clear()

    def _done(self, result: CheckResult) -> None:
        self._running = False
        self.button.setEnabled(True)
        self.result.setStyleSheet(_OK_STYLE if result.ok else _FAIL_STYLE)
        self.result.setText(("✔ " if result.ok else "✖ ") + result.message)
        self.sig_checked.emit(result.ok, result.message)
        self.sig_result.emit(result)

    def _failed(self, exc: BaseException) -> None:  # the checks never raise; this is a safety net
        self._done(CheckResult(False, self.tr("Nieoczekiwany błąd: {error}").format(error=exc)))


class SecretEdit(QWidget):
    """A password field with a "Pokaż" toggle; its value goes to the keyring, never to the file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_button = QToolButton(self)
        self.show_button.setText(self.tr("Pokaż"))
        self.show_button.setCheckable(True)
        self.show_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.show_button.toggled.connect(self._toggle)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.show_button)
        self.setFocusProxy(self.edit)

    def _toggle(self, shown: bool) -> None:
        self.edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:  # noqa: N802 - the Qt spelling, like QLineEdit
        self.edit.setText(text)
        self.edit.setCursorPosition(0)  # shown from its start, like the other fields


class LinesEdit(QPlainTextEdit):
    """A list of identifiers (gateway ids, meta keys), one a line: what people paste from a shop."""

    def __init__(self, parent: QWidget | None = None, lines: int = 5) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 12)

    def values(self) -> tuple[str, ...]:
        seen = [line.strip() for line in self.toPlainText().splitlines()]
        return tuple(dict.fromkeys(value for value in seen if value))

    def set_values(self, values: tuple[str, ...] | list[str]) -> None:
        self.setPlainText("\n".join(values))


def make_form(owner: QWidget) -> QFormLayout:
    """A two-column form on ``owner`` (labels right-aligned, fields stretching)."""
    form = QFormLayout(owner)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return form


def hint(text: str, parent: QWidget) -> QLabel:
    """A quiet explanatory line under a field or a table."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet("QLabel { color:#57606a; }")
    return label


class SettingsPage(QWidget):
    """One page of the settings screen: fills its widgets from the settings and writes them back.

    ``store`` writes into the settings object it is given (a copy the screen made), so a page
    never needs to know the rest of the document, and fields it does not show are kept.
    """

    #: the validation section(s) (``Problem.section``) shown on this page
    sections: tuple[str, ...] = ()

    def title(self) -> str:
        raise NotImplementedError

    def load(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        raise NotImplementedError

    def store(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        raise NotImplementedError

    def problems(self) -> list[Problem]:
        """Mistakes only the screen can see (e.g. a key Qt cannot read); the rest is ``validate``'s."""
        return []

    def field_widget(self, problem: Problem) -> QWidget | None:
        """The input a problem points at (its section and field), to mark it."""
        return None
