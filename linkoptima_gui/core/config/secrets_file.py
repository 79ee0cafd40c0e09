"""The secrets in a file encrypted with a password: their home on a computer without a keyring.

A Linux box without a desktop session (or a locked-down Windows account) may have no system
keyring at all (``keyring`` then answers with its ``fail`` back end). The person setting the
console up is offered this file instead, never a plain-text one:

- the password is stretched with **scrypt** (``cryptography``; N=2^15, r=8, p=3, one of the
  OWASP Password Storage Cheat Sheet's equivalent settings, 32 MiB per try) and a random
  16-byte salt into a key;
- the secrets (names and values, as one JSON object) are encrypted with **Fernet** (AES-128-CBC
  with an HMAC-SHA256 over everything, from ``cryptography``); a wrong password fails the HMAC,
  so it is told apart from a damaged file's other problems;
- the file holds only the format, the scrypt settings, the salt and the Fernet token: no name
  and no value of a secret is readable without the password (the tests grep its bytes).

It is a ``keyring`` back end, so ``SecretStore`` uses it exactly as it uses the system keyring.
Each read opens the file again (another process may have changed a secret); each write reads,
changes and rewrites it atomically (temporary file + rename, 0600 on POSIX). The key is derived
once per process and password and kept in memory, so the password is asked once per run: the
console asks in a dialog, the headless commands take it from ``--secrets-password-file`` or
``LINKOPTIMA_SECRETS_PASSWORD`` (``provide_password``).
"""

from __future__ import annotations

import base64
import errno
import json
import os
import secrets as random
import threading
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from ..logs import remember_secret
from .secret_errors import SecretError, SecretsLocked, WrongSecretsPassword

#: the file's name, beside the settings file
FILE_NAME = "secrets.enc"
FORMAT, VERSION = "LinkOptima secrets", 1
#: where the headless commands find the password (``--secrets-password-file`` is the other way):
#: the password itself, or a file whose first line it is (a Windows service's environment)
ENV_PASSWORD = "LINKOPTIMA_SECRETS_PASSWORD"
ENV_PASSWORD_FILE = "LINKOPTIMA_SECRETS_PASSWORD_FILE"
#: a shorter password is refused when the file is made
MIN_PASSWORD = 8
#: scrypt's cost: OWASP's N=2^15, r=8, p=3 (32 MiB of memory per guess)
COST = {"n": 2**15, "r": 8, "p": 3}
_SALT_BYTES = 16

_lock = threading.RLock()  # a write reads the file under it too
#: the password this run was given (the dialog, ``--secrets-password-file``)
_given: str | None = None
#: (file, salt) -> the Fernet key derived from the right password
_keys: dict[tuple[str, str], bytes] = {}


def provide_password(password: str) -> None:
    """The password of the secrets file for the rest of this process."""
    global _given
    remember_secret(password)  # never in a log line
    with _lock:
        _given = password


def given_password() -> str | None:
    """The password this run was given, else ``LINKOPTIMA_SECRETS_PASSWORD``, else the first line
    of the file ``LINKOPTIMA_SECRETS_PASSWORD_FILE`` names, else None."""
    with _lock:
        if _given is not None:
            return _given
    password = os.environ.get(ENV_PASSWORD) or None
    if password is None and os.environ.get(ENV_PASSWORD_FILE):
        password = read_password_file(Path(os.environ[ENV_PASSWORD_FILE]))
    if password:
        remember_secret(password)
    return password


def forget_passwords() -> None:
    """Drop the given password and every derived key (the tests; a console that locks again)."""
    global _given
    with _lock:
        _given = None
        _keys.clear()


def read_password_file(path: Path) -> str:
    """The password in ``path``'s first line (``--secrets-password-file``); Polish ``SecretError``."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = ("to nie jest plik tekstowy" if isinstance(exc, UnicodeDecodeError)
                  else {errno.ENOENT: "nie ma takiego pliku", errno.EACCES: "brak uprawnień",
                        errno.EISDIR: "to jest folder"}.get(exc.errno or 0, "błąd odczytu"))
        raise SecretError(f"Nie można odczytać pliku z hasłem do pliku haseł {path}: {reason}.") from None
    lines = text.splitlines()
    password = lines[0] if lines else ""
    if not password:
        raise SecretError(f"Plik {path} jest pusty: w pierwszym wierszu ma być hasło do pliku haseł.")
    return password


def _derive(password: str, salt: bytes, cost: dict[str, int]) -> bytes:
    raw = Scrypt(salt=salt, length=32, n=cost["n"], r=cost["r"], p=cost["p"]).derive(password.encode("utf-8"))
    return base64.urlsafe_b64encode(raw)


class EncryptedSecretsFile(KeyringBackend):
    """A ``keyring`` back end over one password-encrypted file (see the module's docstring)."""

    priority = 0  # type: ignore[assignment]  # never chosen by keyring on its own

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = Path(path)

    # -- making and opening ---------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, password: str, cost: dict[str, int] | None = None) -> EncryptedSecretsFile:
        """A new, empty file protected by ``password`` (refused when one is there already)."""
        path = Path(path)
        check_new_password(password)
        if path.exists():
            raise SecretError(f"Plik haseł {path} już istnieje: odblokuj go jego hasłem.")
        cost = dict(cost or COST)
        salt = random.token_bytes(_SALT_BYTES)
        key = _derive(password, salt, cost)
        store = cls(path)
        header = {"format": FORMAT, "version": VERSION, "kdf": "scrypt", **cost,
                  "salt": base64.b64encode(salt).decode("ascii")}
        store._write(header, key, {})
        with _lock:
            _keys[(str(path), header["salt"])] = key
        provide_password(password)
        return store

    def exists(self) -> bool:
        return self.path.is_file()

    @property
    def unlocked(self) -> bool:
        """Whether this run has the key (a password was given and opened the file)."""
        try:
            header = self._header()
        except SecretError:
            return False
        with _lock:
            return (str(self.path), header["salt"]) in _keys

    def unlock(self, password: str) -> None:
        """Open the file with ``password`` for the rest of the run (``WrongSecretsPassword``)."""
        header, token = self._read()
        self._key_for(header, token, password)
        provide_password(password)

    # -- keyring's interface ---------------------------------------------------------------------

    def get_password(self, service: str, username: str) -> str | None:
        value = self._values().get(service, {}).get(username)
        return str(value) if value is not None else None

    def set_password(self, service: str, username: str, password: str) -> None:
        with _lock:  # one writer per process; a read-change-write from the file as it is now
            values = self._values()
            values.setdefault(service, {})[username] = password
            self._rewrite(values)

    def delete_password(self, service: str, username: str) -> None:
        with _lock:
            values = self._values()
            if username not in values.get(service, {}):
                raise PasswordDeleteError(username)
            del values[service][username]
            self._rewrite(values)

    def names(self, service: str) -> list[str]:
        """The names of the secrets stored for ``service`` (never their values)."""
        return sorted(self._values().get(service, {}))

    # -- the file --------------------------------------------------------------------------------

    def _read(self) -> tuple[dict[str, Any], bytes]:
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SecretError(f"Nie ma pliku haseł {self.path}.") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            raise SecretError(f"Plik haseł {self.path} jest uszkodzony albo nieczytelny: przywróć go z kopii "
                              "albo usuń i wpisz hasła ponownie.") from None
        try:
            if document.get("format") != FORMAT or document.get("kdf") != "scrypt":
                raise ValueError
            if int(document.get("version", 0)) > VERSION:
                raise SecretError(f"Plik haseł {self.path} pochodzi z nowszej wersji programu: zaktualizuj "
                                  "program.")
            header = {"salt": str(document["salt"]), **{name: int(document[name]) for name in COST}}
            base64.b64decode(header["salt"], validate=True)
            token = str(document["data"]).encode("ascii")
        except SecretError:
            raise
        except (AttributeError, KeyError, TypeError, ValueError, UnicodeEncodeError):
            raise SecretError(f"Plik {self.path} nie jest plikiem haseł LinkOptimy.") from None
        return header, token

    def _header(self) -> dict[str, Any]:
        return self._read()[0]

    def _key_for(self, header: dict[str, Any], token: bytes, password: str | None) -> bytes:
        """The key for this file: the one derived before in this run, else from ``password``."""
        cache = (str(self.path), header["salt"])
        with _lock:
            key = _keys.get(cache)
        if key is not None and password is None:
            return key
        if password is None:
            raise SecretsLocked(
                f"Hasła i klucze są w zaszyfrowanym pliku {self.path}, a jego hasła nie podano. W konsoli: "
                "Ustawienia → „Odblokuj plik haseł…”; dla poleceń bez okna: --secrets-password-file PLIK "
                f"albo zmienna {ENV_PASSWORD}.")
        key = _derive(password, base64.b64decode(header["salt"]), {name: header[name] for name in COST})
        try:
            Fernet(key).decrypt(token)
        except InvalidToken:
            raise WrongSecretsPassword(f"Nieprawidłowe hasło do zaszyfrowanego pliku haseł {self.path}.") from None
        with _lock:
            _keys[cache] = key
        return key

    def _values(self) -> dict[str, dict[str, str]]:
        header, token = self._read()
        with _lock:
            known = _keys.get((str(self.path), header["salt"]))
        key = known or self._key_for(header, token, given_password())
        try:
            values = json.loads(Fernet(key).decrypt(token))
        except InvalidToken:  # the file was made again with another password since the key was derived
            raise WrongSecretsPassword(f"Nieprawidłowe hasło do zaszyfrowanego pliku haseł {self.path}.") from None
        for names in values.values():
            for value in names.values():
                remember_secret(value)
        return values

    def _rewrite(self, values: dict[str, dict[str, str]]) -> None:
        header, _token = self._read()
        key = _keys[(str(self.path), header["salt"])]  # _values found it under the same lock
        self._write({"format": FORMAT, "version": VERSION, "kdf": "scrypt", **header}, key, values)

    def _write(self, header: dict[str, Any], key: bytes, values: dict[str, dict[str, str]]) -> None:
        token = Fernet(key).encrypt(json.dumps(values, ensure_ascii=False).encode("utf-8"))
        document = {**header, "data": token.decode("ascii")}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(self.path)


def check_new_password(password: str) -> None:
    """A new password for the file, refused in Polish when it is too weak to protect anything."""
    if len(password) < MIN_PASSWORD:
        raise SecretError(f"Hasło do pliku haseł musi mieć co najmniej {MIN_PASSWORD} znaków.")
    if password.strip() != password:
        raise SecretError("Hasło do pliku haseł nie może zaczynać się ani kończyć spacją.")
