"""Where the secrets live, on the settings screen, and the password dialog of the encrypted file.

On a computer with a system keyring nothing is shown: the secrets simply go there. Without one
(``SecretStore.home`` is ``none``) the screen says so in Polish and offers the encrypted secrets
file (``core/config/secrets_file.py``): "Utwórz zaszyfrowany plik haseł…" asks for a new password
twice. With the file there and not yet opened in this run, "Odblokuj plik haseł…" asks for its
password (the console's start asks once already; this is for a start where it was cancelled).
Deriving the key takes a moment (scrypt, on purpose), so the dialog does it off the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.config.secrets import HOME_FILE, HOME_NONE, SecretError, SecretStore
from ...core.config.secrets_file import ENV_PASSWORD, MIN_PASSWORD
from ..background import Lane, run_in_background

log = logging.getLogger(__name__)

CREATE, UNLOCK = "create", "unlock"


class SecretsPasswordDialog(QDialog):
    """Ask for the encrypted file's password: a new one (twice) or the one it has.

    ``attempt(password)`` makes or opens the file and raises ``SecretError`` (Polish) when it
    refuses; the dialog stays open with that message until it succeeds or is cancelled."""

    #: the attempt finished (ok, message shown): for the tests
    sig_tried = Signal(bool, str)

    def __init__(self, mode: str, attempt: Callable[[str], None], path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = mode
        self._attempt = attempt
        self.setWindowTitle(self.tr("LinkOptima — plik haseł"))
        self.setModal(True)
        if mode == CREATE:
            intro = self.tr("Hasła i klucze (sklepu, poczty, Optimy, przewoźnika) zostaną zapisane w pliku {path}, "
                            "zaszyfrowanym hasłem, które teraz ustalisz. Zapamiętaj je: bez niego zapisanych haseł "
                            "nie da się odczytać i trzeba je wpisać od nowa. Hasło ma co najmniej {count} znaków."
                            ).format(path=path, count=MIN_PASSWORD)
        else:
            intro = self.tr("Hasła i klucze są w zaszyfrowanym pliku {path}. Podaj jego hasło, aby konsola mogła "
                            "ich używać do końca tej sesji.").format(path=path)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit(self)
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("QLabel { color:#b3261e; }")
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(self.tr("Utwórz plik") if mode == CREATE else self.tr("Odblokuj"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(self.tr("Anuluj"), QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.try_password)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Hasło:"), self.password)
        if mode == CREATE:
            form.addRow(self.tr("Powtórz hasło:"), self.repeat)
        else:
            self.repeat.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(520, 220)

    def try_password(self) -> None:
        password = self.password.text()
        if self.mode == CREATE and password != self.repeat.text():
            self._failed(self.tr("Hasła się różnią: wpisz to samo hasło w obu polach."))
            return
        if not password:
            self._failed(self.tr("Wpisz hasło."))
            return
        self._busy(True)
        self.message.setStyleSheet("QLabel { color:#0b3d78; }")
        self.message.setText(self.tr("Sprawdzanie hasła…") if self.mode == UNLOCK else self.tr("Tworzenie pliku…"))
        run_in_background(lambda: self._attempt(password), lambda _none: self._succeeded(), self._refused,
                          owner=self, lane=Lane.ACTION)

    def _succeeded(self) -> None:
        self._busy(False)
        self.sig_tried.emit(True, "")
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self._busy(False)
        if isinstance(exc, SecretError):
            self._failed(str(exc))
        else:  # never an English exception on screen: the details go to the log
            log.error("the secrets file could not be used", exc_info=exc)
            self._failed(self.tr("Nie udało się użyć pliku haseł. Szczegóły są w dzienniku programu."))

    def _failed(self, message: str) -> None:
        self.message.setStyleSheet("QLabel { color:#b3261e; }")
        self.message.setText(message)
        self.password.selectAll()
        self.password.setFocus()
        self.sig_tried.emit(False, message)

    def _busy(self, busy: bool) -> None:
        self.ok_button.setEnabled(not busy)
        self.password.setEnabled(not busy)
        self.repeat.setEnabled(not busy)


def create_dialog(store: SecretStore, parent: QWidget | None = None) -> SecretsPasswordDialog:
    return SecretsPasswordDialog(CREATE, store.create_file, str(store.file.path), parent)


def unlock_dialog(store: SecretStore, parent: QWidget | None = None) -> SecretsPasswordDialog:
    return SecretsPasswordDialog(UNLOCK, store.unlock, str(store.file.path), parent)


class SecretsHomeBox(QFrame):
    """The settings screen's note on where the secrets are, with the way to give them a home."""

    #: the file was made or opened: the settings (and their secrets) should be read again
    sig_changed = Signal()

    def __init__(self, store: SecretStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.dialog: SecretsPasswordDialog | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("SecretsHomeBox { background:#fff8e1; border:1px solid #e0c060; }")
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button = QPushButton(self)
        self.button.clicked.connect(self.open_dialog)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()  # until the settings are read (off the GUI thread): ``refresh`` then

    def refresh(self) -> None:
        """Show what the store is now: no home (offer the file), a locked file, or nothing to say."""
        try:
            home, locked = self.store.home, self.store.locked
        except SecretError as exc:  # a damaged file: its Polish reason, and nothing to press
            self.text.setText(str(exc))
            self.button.hide()
            self.show()
            return
        path = str(self.store.file.path)
        if home == HOME_NONE:
            self.text.setText(self.tr(
                "Na tym komputerze nie ma systemowego magazynu haseł, więc hasła i klucze (sklepu, poczty, Optimy, "
                "przewoźnika) nie mają gdzie być zapisane. Można je trzymać w pliku zaszyfrowanym hasłem, nigdy "
                "jawnym tekstem: {path}. Konsola zapyta o to hasło raz przy każdym uruchomieniu; silnik bez okna "
                "dostaje je z pliku (--secrets-password-file) albo ze zmiennej {env}.").format(path=path,
                                                                                                env=ENV_PASSWORD))
            self.button.setText(self.tr("Utwórz zaszyfrowany plik haseł…"))
            self.button.show()
            self.show()
        elif home == HOME_FILE and locked:
            self.text.setText(self.tr("Hasła i klucze są w zaszyfrowanym pliku {path}. Podaj jego hasło, aby je "
                                      "odczytać i zapisywać.").format(path=path))
            self.button.setText(self.tr("Odblokuj plik haseł…"))
            self.button.show()
            self.show()
        elif home == HOME_FILE:
            self.text.setText(self.tr("Hasła i klucze są w zaszyfrowanym pliku {path}.").format(path=path))
            self.button.hide()
            self.show()
        else:
            self.hide()

    def open_dialog(self) -> None:
        make = create_dialog if self.store.home == HOME_NONE else unlock_dialog
        self.dialog = make(self.store, self)
        self.dialog.accepted.connect(self._changed)
        self.dialog.open()

    def _changed(self) -> None:
        self.refresh()
        self.sig_changed.emit()


def ask_for_the_password(store: SecretStore) -> bool:
    """At the console's start: open a locked secrets file, asking once (a Polish dialog; a wrong
    password keeps it open). False when cancelled: the console goes on without the secrets and
    the settings screen offers to unlock later."""
    from ...core.config.secrets_file import given_password

    try:
        if not store.locked:
            return True
        given = given_password()
        if given is not None:
            store.unlock(given)
            return True
    except SecretError as exc:  # a wrong LINKOPTIMA_SECRETS_PASSWORD, a damaged file: the dialog says why
        message = str(exc)
    else:
        message = ""
    dialog = unlock_dialog(store)
    if message:
        dialog.message.setText(message)
    return dialog.exec() == QDialog.DialogCode.Accepted
