"""Loading and saving everything the settings screen edits: the file and the keyring together.

The two halves fail differently, so they are kept apart on purpose. The file is always
readable (or the reason is given); the keyring may be missing on a fresh Linux box or locked,
and that must not stop a person from editing the printers. So a keyring that cannot be read
is reported next to the loaded settings instead of failing the load, and on save only the
secrets that were actually changed go to the keyring: an untouched (unreadable) secret is
neither overwritten with "" nor deleted.

Order on save: secrets first, then the file. When the keyring refuses, nothing is written,
so the file never points at a secret that was not stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .app_settings import AppSettings
from .secrets import KNOWN, NoSecretsHome, SecretError, SecretStore
from .settings_file import SettingsFile

#: what the settings screen says when the computer has no keyring and no encrypted file yet
NO_HOME_ON_LOAD = ("Hasła i klucze nie mają gdzie być zapisane: na tym komputerze nie ma systemowego magazynu haseł. "
                   "Utwórz zaszyfrowany plik haseł („Utwórz zaszyfrowany plik haseł…”); pozostałe ustawienia "
                   "można zapisywać.")


@dataclass
class LoadedSettings:
    """The settings as read, the secrets the keyring gave, and why it gave none (Polish, or "")."""

    settings: AppSettings
    secrets: dict[str, str] = field(default_factory=dict, repr=False)
    secrets_problem: str = ""


def load_settings(file: SettingsFile, store: SecretStore) -> LoadedSettings:
    """Read the file (``SettingsError`` / ``ValueError`` in Polish when it cannot be used) and
    every known secret (a keyring problem is returned, not raised)."""
    settings = AppSettings.from_document(file.load())
    secrets: dict[str, str] = {}
    try:
        for name in KNOWN:
            secrets[name] = store.get(name)
    except NoSecretsHome:
        return LoadedSettings(settings, {}, NO_HOME_ON_LOAD)
    except SecretError as exc:
        return LoadedSettings(settings, {}, str(exc))
    return LoadedSettings(settings, secrets)


def changed_secrets(before: Mapping[str, str], after: Mapping[str, str]) -> dict[str, str]:
    """The secrets whose value differs from what the keyring gave (a missing one counts as "")."""
    return {name: value for name, value in after.items() if value != before.get(name, "")}


def save_settings(file: SettingsFile, store: SecretStore, settings: AppSettings,
                  secrets: Mapping[str, str], before: Mapping[str, str] | None = None) -> list[str]:
    """Store the changed secrets in the keyring, then write the file; the names stored are returned.

    Raises ``SecretError`` (nothing written) when the keyring refuses, ``OSError`` when the file
    cannot be written.
    """
    changed = changed_secrets(before or {}, secrets)
    for name, value in changed.items():
        store.set(name, value)
    file.save(settings.to_document())
    return sorted(changed)
