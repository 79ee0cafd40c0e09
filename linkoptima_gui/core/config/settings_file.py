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

CURRENT_VERSION = 2


def _v1_to_v2(document: dict[str, Any]) -> dict[str, Any]:
    """Version 2: the shop's one ``status_when_packed`` became the map of statuses per event
    (``status_map``: "invoiced" and "packed"), as programs up to the status map wrote it."""
    shop = document.get("shop")
    if isinstance(shop, dict) and "status_when_packed" in shop:
        shop = dict(shop)
        packed = shop.pop("status_when_packed")
        status_map = dict(shop.get("status_map") or {"invoiced": ""})
        status_map.setdefault("packed", str(packed or ""))
        shop["status_map"] = status_map
        document = {**document, "shop": shop}
    return document


#: version N -> function turning a version-N document into version N+1
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


class SettingsError(ValueError):
    """The settings file cannot be read, holds values the schema refuses, or is from a newer
    program; ``str()`` is Polish, ``problems`` the single findings (each naming its field)."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


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
        version = data.get("version", 1)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise SettingsError(f"Plik ustawień {self.path}: pole version: oczekiwano liczby całkowitej od 1 "
                                f"(jest: {version!r}).")
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

    def set_aside(self) -> Path:
        """Move a file that cannot be used out of the way (``settings.broken-<time>.json``,
        beside it) and return where it went: kept for a support person, never overwritten, and
        the console can start on a fresh settings screen."""
        from datetime import datetime

        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.stem}.broken-{stamp}.json")
        number = 1
        while target.exists():
            number += 1
            target = self.path.with_name(f"{self.path.stem}.broken-{stamp}-{number}.json")
        self.path.replace(target)
        return target

    def save(self, data: dict[str, Any]) -> None:
        document = {**data, "version": CURRENT_VERSION}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(document, handle, ensure_ascii=False, indent=2, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(self.path)
