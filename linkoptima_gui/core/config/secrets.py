"""Secrets (shop API secret, SMTP password, carrier token) in the operating system's keyring.

The settings file only says which secrets exist; their values are kept by Windows Credential
Manager, macOS Keychain or the Secret Service through ``keyring``. A keyring that is missing or
locked is reported in plain Polish instead of a traceback, since on a fresh Linux box without a
desktop session this is the usual first problem.
"""

from __future__ import annotations

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

SERVICE = "LinkOptima"

#: the secrets the console knows, with the Polish name shown in messages
KNOWN = {
    "shop.consumer_secret": "klucz tajny API sklepu (consumer secret)",
    "smtp.password": "hasło do serwera poczty",
    "inpost.token": "token API InPost ShipX",
    "optima.password": "hasło operatora Optimy",
}


class SecretError(Exception):
    """The keyring cannot be used; ``str()`` is Polish and says what to do."""


class SecretStore:
    def __init__(self, service: str = SERVICE) -> None:
        self.service = service

    def get(self, name: str) -> str:
        """The secret, or "" when none is stored."""
        try:
            return keyring.get_password(self.service, name) or ""
        except KeyringError as exc:
            raise SecretError(self._unavailable(name, exc)) from exc

    def set(self, name: str, value: str) -> None:
        try:
            if value:
                keyring.set_password(self.service, name, value)
            else:
                keyring.delete_password(self.service, name)
        except PasswordDeleteError:
            pass  # nothing stored: nothing to delete
        except KeyringError as exc:
            raise SecretError(self._unavailable(name, exc)) from exc

    def _unavailable(self, name: str, exc: Exception) -> str:
        what = KNOWN.get(name, name)
        return (f"Nie można użyć systemowego magazynu haseł ({exc.__class__.__name__}: {exc}), więc nie da się "
                f"zapisać ani odczytać: {what}. Na Linuksie uruchom sesję z usługą Secret Service "
                "(np. GNOME Keyring).")
