"""Secrets (shop API secret, SMTP password, carrier token) in the operating system's keyring.

The settings file only says which secrets exist; their values are kept by Windows Credential
Manager, macOS Keychain or the Secret Service through ``keyring``. A keyring that is missing or
locked is reported in plain Polish instead of a traceback, since on a fresh Linux box without a
desktop session this is the usual first problem.
"""

from __future__ import annotations

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, KeyringLocked, PasswordDeleteError

from ..logs import remember_secret

SERVICE = "LinkOptima"

#: the secrets the console knows, with the Polish name shown in messages
KNOWN = {
    "shop.consumer_secret": "klucz tajny API sklepu (consumer secret)",
    "smtp.password": "hasło do serwera poczty",
    "inpost.token": "token API InPost ShipX",
    "optima.password": "hasło operatora Optimy",
    "optima.sql_password": "hasło do bazy danych Optimy (SQL)",
    "manager.pin": "PIN kierownika (zapisany jako skrót)",
    "shop.webhook_secret": "sekret webhooków WooCommerce",
    "store.password": "hasło do wspólnej bazy konsoli",
}


class SecretError(Exception):
    """The keyring cannot be used; ``str()`` is Polish and says what to do."""


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in this process only: for a throw-away demo world (the screenshots)
    whose made-up keys must not land in the user's real keyring."""

    priority = 0  # type: ignore[assignment]  # never chosen by keyring on its own

    def __init__(self, values: dict[str, str] | None = None, service: str = SERVICE, *, locked: bool = False) -> None:
        super().__init__()
        self.values = {(service, name): value for name, value in (values or {}).items()}
        #: behave like a keyring the user has not unlocked (every read and write refused)
        self.locked = locked

    def get_password(self, service: str, username: str) -> str | None:
        if self.locked:
            raise KeyringLocked("the keyring is locked")
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.locked:
            raise KeyringLocked("the keyring is locked")
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.values.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class SecretStore:
    """The secrets of one service; ``backend`` replaces the system keyring (None: the system's)."""

    def __init__(self, service: str = SERVICE, backend: KeyringBackend | None = None) -> None:
        self.service = service
        self._own = backend

    @property
    def _keyring(self) -> KeyringBackend:
        """Looked up on every use: the system keyring may be set up after the store was made."""
        return self._own if self._own is not None else keyring.get_keyring()

    def get(self, name: str) -> str:
        """The secret, or "" when none is stored."""
        try:
            value = self._keyring.get_password(self.service, name) or ""
        except KeyringError as exc:
            raise SecretError(self._unavailable(name, exc)) from exc
        remember_secret(value)  # never in a log line from now on
        return value

    def set(self, name: str, value: str) -> None:
        try:
            if value:
                remember_secret(value)
                self._keyring.set_password(self.service, name, value)
            else:
                self._keyring.delete_password(self.service, name)
        except PasswordDeleteError:
            pass  # nothing stored: nothing to delete
        except KeyringError as exc:
            raise SecretError(self._unavailable(name, exc)) from exc

    def _unavailable(self, name: str, exc: Exception) -> str:
        what = KNOWN.get(name, name)
        return (f"Nie można użyć systemowego magazynu haseł ({exc.__class__.__name__}: {exc}), więc nie da się "
                f"zapisać ani odczytać: {what}. Na Linuksie uruchom sesję z usługą Secret Service "
                "(np. GNOME Keyring).")
