"""``linkoptima optima-probe``: the installer's check of a real Optima (``core/optima/probe``).

Run on the Windows computer next to Optima, as the Windows user the engine will run as, after the
settings are saved (the settings file and the keyring are read as the console reads them), on a
test company first. Prints the whole report as one JSON line on stdout and the same in Polish on
stderr; exit status 0 when everything the writer needs is there, 1 when something is not, 2 when
the probe cannot start (settings, keyring, the database connection).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

#: exit status: everything is there / something is missing / the probe could not start
EXIT_OK, EXIT_PROBLEMS, EXIT_REFUSED = 0, 1, 2


def optima_probe(*, settings_file: Path | None = None, write: bool = False, company: str = "",
                 secrets: Any = None, session_options: Mapping[str, Any] | None = None) -> int:
    """Probe the Optima the settings describe; ``company`` overrides the settings' (a test
    company). ``secrets``: the system keyring unless given; ``session_options`` go to
    ``OptimaComSession`` (the tests give it a fake Optima)."""
    from ..core.config.app_settings import AppSettings
    from ..core.config.secrets import SecretError, SecretStore
    from ..core.config.settings_file import SettingsError, SettingsFile
    from ..core.optima.com_session import OptimaComSession
    from ..core.optima.connect import OptimaConnectionError, reader_engine
    from ..core.optima.probe import run_probe
    from ..core.optima.reader import SqlOptimaReader

    try:
        settings = AppSettings.from_document(SettingsFile(settings_file).load())
        store = secrets or SecretStore.beside(settings_file)
        password, sql_password = store.get("optima.password"), store.get("optima.sql_password")
        engine = reader_engine(replace(settings.optima_connection, password=sql_password))
    except (SettingsError, ValueError) as exc:
        return _refused(f"błąd ustawień: {exc}")
    except SecretError as exc:
        return _refused(str(exc))
    except OptimaConnectionError as exc:
        return _refused(exc.reason)
    target = company or settings.optima_company
    if not target:
        engine.dispose()
        return _refused("podaj firmę Optimy (Ustawienia → Połączenia → Firma, albo --company).")
    try:
        session = OptimaComSession.from_settings(settings.optima, password=password, company=target,
                                                 **dict(session_options or {}))
        report = run_probe(session, SqlOptimaReader(engine, settings.optima), settings.optima, company=target,
                           online_methods=settings.shop.online_gateways, write=write)
    finally:
        engine.dispose()
    print(report.to_json(), flush=True)
    print(report.summary(), file=sys.stderr, flush=True)
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def _refused(reason: str) -> int:
    print(json.dumps({"ok": False, "error": reason}, ensure_ascii=False), flush=True)
    print(f"linkoptima optima-probe: {reason}", file=sys.stderr, flush=True)
    return EXIT_REFUSED
