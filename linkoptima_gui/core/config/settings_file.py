"""The settings file: one JSON document in the user's config folder, versioned, never a secret.

Why a file and not QSettings: the headless engine (``linkoptima engine``) reads the same
settings without Qt, and a support person can read or diff a JSON file. The document carries a
``version``; when the program finds an older one it runs the registered migrations in order,
keeps a copy of the old file (``settings.v<N>.json``) and writes the new one atomically
(temporary file + rename), so a crash never leaves half a file. Passwords, API secrets and
tokens live in the OS keyring (``secrets.py``), never here.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir

CURRENT_VERSION = 1

#: version N -> function turning a version-N document into version N+1
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


class SettingsError(Exception):
    """The settings file cannot be read or is from a newer program; ``str()`` is Polish."""


def default_settings_path() -> Path:
    return Path(user_config_dir("LinkOptima", "LinkOptima")) / "settings.json"


class SettingsFile:
    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_settings_path()

    def exists(self) -> bool:
        return self.path.is_file()

    def load(self) -> dict[str, Any]:
        """The document at the current version ({} when there is no file yet)."""
        if not self.path.is_file():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SettingsError(f"Nie można odczytać pliku ustawień {self.path}: {exc}") from exc
        if not isinstance(data, dict):
            raise SettingsError(f"Plik ustawień {self.path} nie zawiera obiektu JSON.")
        version = int(data.get("version", 1))
        if version > CURRENT_VERSION:
            raise SettingsError(f"Plik ustawień {self.path} pochodzi z nowszej wersji programu "
                                f"(wersja {version}, ta obsługuje {CURRENT_VERSION}). Zaktualizuj program.")
        if version < CURRENT_VERSION:
            backup = self.path.with_name(f"settings.v{version}.json")
            backup.write_text(self.path.read_text(encoding="utf-8"), encoding="utf-8")
            while version < CURRENT_VERSION:
                data = MIGRATIONS[version](data)
                version += 1
                data["version"] = version
            self.save(data)
        return data

    def save(self, data: dict[str, Any]) -> None:
        document = {**data, "version": CURRENT_VERSION}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(document, handle, ensure_ascii=False, indent=2, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(self.path)
