"""The encrypted secrets file: the secrets' home on a computer without a system keyring.

Never plain text (the file's bytes are searched for every name and value), a wrong or missing
password is refused in Polish, the password is needed once per process, and ``SecretStore``
picks its home as documented: the file when it is there, else the system keyring, else none.
"""

from __future__ import annotations

import base64
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from linkoptima_gui.core.config import secrets_file
from linkoptima_gui.core.config.saving import load_settings, save_settings
from linkoptima_gui.core.config.secrets import (
    HOME_FILE,
    HOME_KEYRING,
    HOME_NONE,
    MemoryKeyring,
    NoSecretsHome,
    SecretError,
    SecretsLocked,
    SecretStore,
    WrongSecretsPassword,
)
from linkoptima_gui.core.config.secrets_file import COST, EncryptedSecretsFile, forget_passwords
from linkoptima_gui.core.config.settings_file import SettingsFile

#: cheap scrypt for the tests (the file records its own cost; the default is checked below)
CHEAP = {"n": 2**10, "r": 8, "p": 1}
PASSWORD = "Hasło do pliku 1"
SECRETS = {"shop.consumer_secret": "cs_bardzo_tajny_sklep", "smtp.password": "haslo-do-poczty-42",
           "optima.password": "operator-optimy-7", "store.password": "baza%konsoli:9"}


@pytest.fixture(autouse=True)
def _no_keyring_and_no_password(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A computer without a keyring, and a run that was given no password yet."""
    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    monkeypatch.delenv(secrets_file.ENV_PASSWORD, raising=False)
    monkeypatch.delenv(secrets_file.ENV_PASSWORD_FILE, raising=False)
    forget_passwords()
    yield
    forget_passwords()


def made(tmp_path: Path) -> SecretStore:
    store = SecretStore.beside(tmp_path / "settings.json")
    store.create_file(PASSWORD, CHEAP)
    for name, value in SECRETS.items():
        store.set(name, value)
    return store


def test_without_a_keyring_there_is_no_home_and_the_message_is_polish(tmp_path: Path) -> None:
    store = SecretStore.beside(tmp_path / "settings.json")
    assert store.home == HOME_NONE and not store.locked
    with pytest.raises(NoSecretsHome) as refused:
        store.set("smtp.password", "x")
    message = str(refused.value)
    assert "nie ma systemowego magazynu haseł" in message and "hasło do serwera poczty" in message
    assert "Utwórz zaszyfrowany plik haseł" in message
    for english in ("NoKeyringError", "No recommended backend", "keyring"):
        assert english not in message


def test_the_file_holds_no_secret_in_clear(tmp_path: Path) -> None:
    store = made(tmp_path)
    assert store.home == HOME_FILE and store.file.path == tmp_path / "secrets.enc"
    raw = store.file.path.read_bytes()
    for name, value in SECRETS.items():
        for text in (name, value):
            for form in (text.encode(), text.encode("utf-16-le"), base64.b64encode(text.encode())):
                assert form not in raw, f"{text!r} readable in the file"
    assert b"smtp" not in raw and b"optima" not in raw and b"shop" not in raw  # not even the names
    document = json.loads(raw)
    assert set(document) == {"format", "version", "kdf", "n", "r", "p", "salt", "data"}
    if sys.platform != "win32":
        assert store.file.path.stat().st_mode & 0o777 == 0o600
    assert {name: store.get(name) for name in SECRETS} == SECRETS


def test_a_wrong_password_is_refused_and_a_missing_one_is_asked_for(tmp_path: Path) -> None:
    made(tmp_path)
    forget_passwords()  # a new run
    store = SecretStore.beside(tmp_path / "settings.json")
    assert store.home == HOME_FILE and store.locked
    with pytest.raises(SecretsLocked, match="--secrets-password-file"):
        store.get("smtp.password")
    with pytest.raises(WrongSecretsPassword, match="^Nieprawidłowe hasło do zaszyfrowanego pliku haseł"):
        store.unlock("zupełnie inne hasło")
    assert store.locked
    store.unlock(PASSWORD)
    assert not store.locked and store.get("smtp.password") == SECRETS["smtp.password"]
    # once per run: another store of the same file needs no password
    assert SecretStore(file=tmp_path / "secrets.enc").get("store.password") == SECRETS["store.password"]


def test_the_headless_password_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made(tmp_path)
    forget_passwords()
    monkeypatch.setenv(secrets_file.ENV_PASSWORD, "nie to hasło")
    with pytest.raises(WrongSecretsPassword):
        SecretStore.beside(tmp_path / "settings.json").get("smtp.password")
    monkeypatch.delenv(secrets_file.ENV_PASSWORD)
    file = tmp_path / "haslo.txt"
    file.write_text(PASSWORD + "\r\n", encoding="utf-8")
    monkeypatch.setenv(secrets_file.ENV_PASSWORD_FILE, str(file))
    assert SecretStore.beside(tmp_path / "settings.json").get("smtp.password") == SECRETS["smtp.password"]


def test_changes_keep_the_other_secrets_and_see_another_process(tmp_path: Path) -> None:
    store = made(tmp_path)
    other = SecretStore(file=store.file.path)  # as another process would: reads the file each time
    other.set("smtp.password", "")  # cleared = deleted
    store.set("inpost.token", "token-inpost")
    assert store.get("smtp.password") == "" and other.get("inpost.token") == "token-inpost"
    assert store.names() == ["shop.consumer_secret", "inpost.token", "optima.password", "store.password"]


def test_settings_and_secrets_saved_together_without_a_keyring(tmp_path: Path) -> None:
    from linkoptima_gui.core.config.app_settings import AppSettings

    store = SecretStore.beside(tmp_path / "settings.json")
    store.create_file(PASSWORD, CHEAP)
    file = SettingsFile(tmp_path / "settings.json")
    loaded = load_settings(file, store)
    assert loaded.secrets_problem == ""
    save_settings(file, store, AppSettings(), {**loaded.secrets, **SECRETS}, loaded.secrets)
    forget_passwords()
    locked = load_settings(file, SecretStore.beside(file.path))
    assert locked.secrets == {} and "a jego hasła nie podano" in locked.secrets_problem
    for value in SECRETS.values():
        assert value not in file.path.read_text(encoding="utf-8")


def test_new_passwords_and_files_are_checked(tmp_path: Path) -> None:
    store = SecretStore.beside(tmp_path / "settings.json")
    with pytest.raises(SecretError, match="co najmniej 8 znaków"):
        store.create_file("krótkie", CHEAP)
    with pytest.raises(SecretError, match="spacją"):
        store.create_file(" hasło ze spacją ", CHEAP)
    assert not store.file.exists()
    store.create_file(PASSWORD, CHEAP)
    with pytest.raises(SecretError, match="już istnieje"):
        store.create_file(PASSWORD, CHEAP)


def test_a_damaged_or_foreign_file_is_said_in_polish(tmp_path: Path) -> None:
    path = tmp_path / "secrets.enc"
    store = SecretStore(file=path)
    path.write_bytes(b"\x00\xff nie json")
    with pytest.raises(SecretError, match="jest uszkodzony"):
        store.get("smtp.password")
    path.write_text(json.dumps({"format": "coś innego"}), encoding="utf-8")
    with pytest.raises(SecretError, match="nie jest plikiem haseł LinkOptimy"):
        store.get("smtp.password")
    made_elsewhere = made(tmp_path / "a")
    document = json.loads(made_elsewhere.file.path.read_text(encoding="utf-8"))
    document["data"] = document["data"][:-8] + "AAAAAAAA"  # a changed byte fails Fernet's HMAC
    forget_passwords()
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(WrongSecretsPassword):
        store.unlock(PASSWORD)


def test_the_default_cost_is_owasps_scrypt_setting() -> None:
    assert COST == {"n": 2**15, "r": 8, "p": 3}  # OWASP Password Storage Cheat Sheet, scrypt


def test_the_file_wins_over_a_keyring_and_a_keyring_over_nothing(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    memory = MemoryKeyring({"smtp.password": "z-keyringu"})
    monkeypatch.setattr(keyring, "get_keyring", lambda: memory)
    store = SecretStore.beside(tmp_path / "settings.json")
    assert store.home == HOME_KEYRING and store.get("smtp.password") == "z-keyringu"
    store.create_file(PASSWORD, CHEAP)
    assert store.home == HOME_FILE and store.get("smtp.password") == ""


def test_the_password_file_option_reads_the_first_line(tmp_path: Path) -> None:
    file = tmp_path / "haslo.txt"
    file.write_text("\ufeffpierwszy wiersz\ndrugi\n", encoding="utf-8")
    assert secrets_file.read_password_file(file) == "pierwszy wiersz"
    file.write_text("", encoding="utf-8")
    with pytest.raises(SecretError, match="jest pusty"):
        secrets_file.read_password_file(file)
    with pytest.raises(SecretError, match="nie ma takiego pliku"):
        secrets_file.read_password_file(tmp_path / "brak.txt")


def test_a_locked_system_keyring_is_said_in_polish_without_its_english_text() -> None:
    store = SecretStore(backend=MemoryKeyring(locked=True))
    with pytest.raises(SecretError) as refused:
        store.get("smtp.password")
    assert "jest zablokowany" in str(refused.value) and "the keyring is locked" not in str(refused.value)


def test_keyring_never_picks_the_file_or_the_memory_keyring_as_the_systems() -> None:
    from keyring.backend import KeyringBackend

    viable = set(KeyringBackend.get_viable_backends())
    assert EncryptedSecretsFile not in viable and MemoryKeyring not in viable
