"""Secrets (shop API secret, SMTP password, carrier token): never in the settings file.

The settings file only says which secrets exist; their values have one home, in this order:

1. an **encrypted secrets file** (``secrets_file.py``) beside the settings file, when there is
   one: a person chose it on a computer without a system keyring (its password is asked once
   per run);
2. else the **system keyring** (Windows Credential Manager, macOS Keychain, the Secret Service)
   through ``keyring``;
3. else none: every read and write says so in Polish and offers the encrypted file
   (``NoSecretsHome``), since on a fresh Linux box without a desktop session this is the usual
   first problem.

Every message that reaches a person is Polish; keyring's own (English) exception text goes to
the log only.
"""

from __future__ import annotations

import logging
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, NoKeyringError, PasswordDeleteError

from ..logs import remember_secret
from .secret_errors import NoSecretsHome, SecretError, SecretsLocked, WrongSecretsPassword
from .secrets_file import FILE_NAME, EncryptedSecretsFile

__all__ = ["KNOWN", "SERVICE", "MemoryKeyring", "NoSecretsHome", "SecretError", "SecretStore", "SecretsLocked",
           "WrongSecretsPassword"]

log = logging.getLogger(__name__)

SERVICE = "LinkOptima"

#: the secrets the console knows, with the Polish name shown in messages
KNOWN = {
    "shop.consumer_secret": "klucz tajny API sklepu (consumer secret)",
    "smtp.password": "hasło do serwera poczty",
    "inpost.token": "token API InPost ShipX",
    "furgonetka.client_secret": "klucz tajny aplikacji Furgonetki (client secret)",
    "furgonetka.password": "hasło do konta Furgonetki",
    "dpd.password": "hasło do DPDServices",
    "dpd.pudo_key": "klucz API punktów DPD Pickup",
    "optima.password": "hasło operatora Optimy",
    "optima.sql_password": "hasło do bazy danych Optimy (SQL)",
    "manager.pin": "PIN kierownika (zapisany jako skrót)",
    "shop.webhook_secret": "sekret webhooków WooCommerce",
    "store.password": "hasło do wspólnej bazy konsoli",
}


#: ``SecretStore.home``: where the secrets are kept
HOME_FILE, HOME_KEYRING, HOME_NONE = "file", "keyring", "none"


def default_secrets_path() -> Path:
    from .settings_file import default_settings_path

    return default_settings_path().with_name(FILE_NAME)


def no_system_keyring(backend: KeyringBackend) -> bool:
    """``keyring`` found no usable back end (its ``fail`` one, the ``null`` one that keeps nothing,
    or a chain of none)."""
    from keyring.backends import chainer, fail, null

    if isinstance(backend, chainer.ChainerBackend):
        return not backend.backends
    return isinstance(backend, fail.Keyring | null.Keyring)


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


# Both are used only when given explicitly (``SecretStore(backend=...)``, the file's path): never
# candidates when keyring looks for the system's back end (a priority-0 in-memory keyring could
# otherwise be "found" on a computer without one, and the secrets vanish at the end of the run).
KeyringBackend._classes.discard(MemoryKeyring)  # type: ignore[attr-defined]
KeyringBackend._classes.discard(EncryptedSecretsFile)  # type: ignore[attr-defined]


class SecretStore:
    """The secrets of one service, in their home (see the module's docstring).

    ``backend`` replaces the home (the tests' in-memory keyring); ``file``: the encrypted file's
    path (default: beside the default settings file; ``beside`` puts it next to another one)."""

    def __init__(self, service: str = SERVICE, backend: KeyringBackend | None = None, *,
                 file: Path | None = None) -> None:
        self.service = service
        self._own = backend
        self.file = EncryptedSecretsFile(file if file is not None else default_secrets_path())

    @classmethod
    def beside(cls, settings_path: Path | None, backend: KeyringBackend | None = None) -> SecretStore:
        """The store of the installation whose settings file is ``settings_path`` (None: the default)."""
        if settings_path is None:
            return cls(backend=backend)
        return cls(backend=backend, file=Path(settings_path).with_name(FILE_NAME))

    @property
    def _keyring(self) -> KeyringBackend:
        """Looked up on every use: the file may be made, or the system keyring set up, meanwhile."""
        if self._own is not None:
            return self._own
        if self.file.exists():
            return self.file
        return keyring.get_keyring()

    @property
    def home(self) -> str:
        """``HOME_FILE``, ``HOME_KEYRING`` or ``HOME_NONE`` (nowhere to keep a secret yet)."""
        backend = self._keyring
        if isinstance(backend, EncryptedSecretsFile):
            return HOME_FILE
        return HOME_NONE if no_system_keyring(backend) else HOME_KEYRING

    @property
    def locked(self) -> bool:
        """The secrets are in the encrypted file and this run has not opened it yet."""
        return self.home == HOME_FILE and not self.file.unlocked

    def create_file(self, password: str, cost: dict[str, int] | None = None) -> None:
        """Make the encrypted file the secrets' home (``SecretError`` in Polish when refused)."""
        EncryptedSecretsFile.create(self.file.path, password, cost)

    def unlock(self, password: str) -> None:
        """Open the encrypted file for this run (``WrongSecretsPassword`` when it does not fit)."""
        self.file.unlock(password)

    def names(self) -> list[str]:
        """The known secrets that have a value (never the values): for ``linkoptima secrets status``."""
        return [name for name in KNOWN if self.get(name)]

    def get(self, name: str) -> str:
        """The secret, or "" when none is stored."""
        backend = self._checked(name)
        try:
            value = backend.get_password(self.service, name) or ""
        except SecretError:  # the encrypted file's own, already Polish
            raise
        except Exception as exc:  # keyring's errors, and what a back end lets through (D-Bus...)
            raise self._unavailable(name, exc) from exc
        remember_secret(value)  # never in a log line from now on
        return value

    def set(self, name: str, value: str) -> None:
        backend = self._checked(name)
        try:
            if value:
                remember_secret(value)
                backend.set_password(self.service, name, value)
            else:
                backend.delete_password(self.service, name)
        except PasswordDeleteError:
            pass  # nothing stored: nothing to delete
        except SecretError:
            raise
        except Exception as exc:
            raise self._unavailable(name, exc) from exc

    def _checked(self, name: str) -> KeyringBackend:
        backend = self._keyring
        if no_system_keyring(backend):
            raise self._unavailable(name, NoKeyringError())
        return backend

    def _unavailable(self, name: str, exc: Exception) -> SecretError:
        """keyring's (English) error in the log, a Polish sentence for the person."""
        what = KNOWN.get(name, name)
        if isinstance(exc, NoKeyringError):
            log.debug("no home for the secret %s: no system keyring, no encrypted file", name)
            return NoSecretsHome(
                f"Na tym komputerze nie ma systemowego magazynu haseł, więc nie da się zapisać ani odczytać: "
                f"{what}. Hasła i klucze mogą być w pliku zaszyfrowanym Twoim hasłem (nigdy jawnym tekstem): "
                "Ustawienia → „Utwórz zaszyfrowany plik haseł…” albo polecenie „linkoptima secrets create”.")
        log.warning("the keyring refused %s: %s: %s", name, exc.__class__.__name__, exc)
        if isinstance(exc, KeyringLocked):
            return SecretError(f"Systemowy magazyn haseł jest zablokowany, więc nie da się zapisać ani odczytać: "
                               f"{what}. Odblokuj go (zaloguj się do sesji pulpitu) i wczytaj ustawienia ponownie.")
        return SecretError(f"Systemowy magazyn haseł odmówił dostępu do: {what}. Szczegóły są w dzienniku "
                           "programu (Pomoc → Zapisz raport dla wsparcia).")
