"""The settings screen on a computer without a keyring: a Polish choice, the encrypted file made
and unlocked through Polish dialogs, a wrong password refused, and no English text on screen."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton, QWidget

from linkoptima_gui.core.config import secrets_file
from linkoptima_gui.core.config.secrets import HOME_FILE, SecretStore
from linkoptima_gui.core.config.secrets_file import forget_passwords
from linkoptima_gui.ui.context import ConsoleContext
from linkoptima_gui.ui.settings import SettingsView
from linkoptima_gui.ui.settings.secrets_home import SecretsPasswordDialog, ask_for_the_password

#: words of keyring's and Python's own (English) messages that must never reach the screen
ENGLISH = re.compile(r"\b(No|not|the|backend|recommended|keyring|Keyring|Error|Exception|Traceback|failed|"
                     r"password|locked|Invalid)\b")
PASSWORD = "Hasło do pliku 1"


@pytest.fixture(autouse=True)
def _no_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    monkeypatch.setattr(secrets_file, "COST", {"n": 2**10, "r": 8, "p": 1})  # a quick scrypt for the test
    monkeypatch.delenv(secrets_file.ENV_PASSWORD, raising=False)
    forget_passwords()
    yield
    forget_passwords()


def open_view(qtbot, context: ConsoleContext) -> SettingsView:
    view = SettingsView(context)
    qtbot.addWidget(view)
    view.resize(1366, 700)
    with qtbot.waitSignal(view.sig_loaded, timeout=5000):
        view.show()
    return view


def shown_texts(*widgets: QWidget) -> list[str]:
    texts = []
    for widget in widgets:
        for child in [widget, *widget.findChildren(QWidget)]:
            if isinstance(child, QLabel | QPushButton) and child.isVisibleTo(widget.window()) and child.text():
                texts.append(child.text())
    return texts


def assert_polish(texts: list[str]) -> None:
    for text in texts:
        # the option and the variable's names are the program's, not English prose
        prose = text.replace("--secrets-password-file", "").replace(secrets_file.ENV_PASSWORD, "")
        prose = re.sub(r"[A-Za-z]?:?[/\\]\S+", "", prose)  # the file's path
        assert not ENGLISH.search(prose), f"English on screen: {text!r}"


def try_password(qtbot, dialog: SecretsPasswordDialog, password: str, repeat: str | None = None) -> tuple[bool, str]:
    dialog.password.setText(password)
    dialog.repeat.setText(password if repeat is None else repeat)
    with qtbot.waitSignal(dialog.sig_tried, timeout=10000) as tried:
        dialog.ok_button.click()
    return tuple(tried.args)  # type: ignore[return-value]


def test_without_a_keyring_the_screen_offers_an_encrypted_file_in_polish(qtbot, context: ConsoleContext) -> None:
    context.secrets = SecretStore.beside(context.settings_file.path)
    view = open_view(qtbot, context)
    box = view.secrets_home
    assert box.isVisible() and box.button.text() == "Utwórz zaszyfrowany plik haseł…"
    assert "nie ma systemowego magazynu haseł" in box.text.text()
    assert "nie ma systemowego magazynu haseł" in view.status_line.text()
    assert_polish([view.status_line.text(), *shown_texts(box)])

    box.button.click()
    dialog = box.dialog
    assert dialog is not None and dialog.isVisible()
    assert_polish(shown_texts(dialog) + [dialog.windowTitle()])
    assert try_password(qtbot, dialog, PASSWORD, "inne hasło 123") == (False, "Hasła się różnią: wpisz to samo "
                                                                                "hasło w obu polach.")
    assert try_password(qtbot, dialog, "krótkie") == (False, "Hasło do pliku haseł musi mieć co najmniej 8 znaków.")
    assert not context.secrets.file.exists()
    with qtbot.waitSignal(view.sig_loaded, timeout=5000):  # made: the settings are read again
        assert try_password(qtbot, dialog, PASSWORD) == (True, "")
    assert context.secrets.home == HOME_FILE and not dialog.isVisible()
    assert box.button.isHidden() and "Hasła i klucze są w zaszyfrowanym pliku" in box.text.text()
    assert view.status_line.text().startswith("Brak pliku ustawień")

    view.connections.smtp.host.setText("smtp.sklep.pl")
    view.connections.smtp.sender.setText("sklep@sklep.pl")
    view.connections.smtp.password.setText("haslo-poczty-xyz")
    with qtbot.waitSignal(view.sig_saved, timeout=5000) as saved:
        view.save()
    assert saved.args[0] is True, saved.args[1]
    assert b"haslo-poczty-xyz" not in context.secrets.file.path.read_bytes()
    assert "haslo-poczty-xyz" not in context.settings_file.path.read_text(encoding="utf-8")


def test_the_file_is_unlocked_with_its_password_and_a_wrong_one_is_refused(qtbot, context: ConsoleContext) -> None:
    store = SecretStore.beside(context.settings_file.path)
    store.create_file(PASSWORD)
    store.set("smtp.password", "haslo-poczty-xyz")
    forget_passwords()  # the next run
    context.secrets = SecretStore.beside(context.settings_file.path)
    view = open_view(qtbot, context)
    box = view.secrets_home
    assert box.button.text() == "Odblokuj plik haseł…" and "a jego hasła nie podano" in view.status_line.text()
    assert view.connections.smtp.password.text() == ""
    assert_polish([view.status_line.text(), *shown_texts(box)])

    box.button.click()
    dialog = box.dialog
    assert dialog is not None and dialog.repeat.isHidden()
    ok, message = try_password(qtbot, dialog, "to nie to hasło")
    assert not ok and message.startswith("Nieprawidłowe hasło do zaszyfrowanego pliku haseł")
    assert dialog.isVisible() and dialog.message.text() == message
    assert_polish(shown_texts(dialog))
    with qtbot.waitSignal(view.sig_loaded, timeout=5000):
        assert try_password(qtbot, dialog, PASSWORD) == (True, "")
    assert view.connections.smtp.password.text() == "haslo-poczty-xyz"
    assert box.button.isHidden()


def test_the_start_asks_once_and_again_after_a_wrong_password(qtbot, tmp_path: Path) -> None:
    store = SecretStore.beside(tmp_path / "settings.json")
    store.create_file(PASSWORD)
    forget_passwords()
    store = SecretStore.beside(tmp_path / "settings.json")
    answers = iter(["złe hasło 1", PASSWORD])
    seen: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SecretsPasswordDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append(dialog.message.text())
        dialog.password.setText(next(answers))
        dialog.ok_button.click()
        if len(seen) < 2:
            QTimer.singleShot(200, answer)

    QTimer.singleShot(0, answer)
    assert ask_for_the_password(store) is True
    assert not store.locked and len(seen) == 2
    assert ask_for_the_password(store) is True  # opened: not asked again in this run


def test_a_cancelled_start_leaves_the_file_locked(qtbot, tmp_path: Path) -> None:
    SecretStore.beside(tmp_path / "settings.json").create_file(PASSWORD)
    forget_passwords()
    store = SecretStore.beside(tmp_path / "settings.json")

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog):
            dialog.reject()
        else:
            QTimer.singleShot(20, cancel)

    QTimer.singleShot(0, cancel)
    assert ask_for_the_password(store) is False and store.locked
