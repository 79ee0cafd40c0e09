"""The report for support: one zip a shop can e-mail when something is wrong.

Why one file with fixed contents: the person at the shop is not the one who reads it, and a
support person wants the same things every time: the log files, the settings (never a secret:
the file holds none, and every text goes through ``logs.redact`` once more), the versions of the
program and its main libraries, the store's migration revision and the last 200 audit events
(what the engine and the people did just before the trouble).
"""

from __future__ import annotations

import json
import platform
import sys
import zipfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from .logs import log_files, redact

AUDIT_EVENTS = 200
#: the distributions whose versions are worth knowing when reading a log
LIBRARIES = ("linkoptima", "PySide6-Essentials", "SQLAlchemy", "alembic", "pydantic", "keyring", "requests",
             "reportlab", "psycopg", "pyodbc", "pywin32")


def versions() -> dict[str, str]:
    """Python, the operating system and the installed libraries' versions."""
    found = {"python": sys.version.split()[0], "system": platform.platform(), "frozen": str(getattr(sys, "frozen", False))}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def store_facts(sessions: sessionmaker[Session] | None) -> dict[str, Any]:
    """The store's revision and its last audit events (oldest first); the reason when unreadable."""
    if sessions is None:
        return {"error": "brak bazy konsoli"}
    from .store.migrate import current_revision
    from .store.models import AuditEvent

    try:
        with sessions() as session:
            revision = current_revision(session.get_bind())
            rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(AUDIT_EVENTS)).all()
            events = [{"id": row.id, "at": row.at.isoformat() if row.at else None, "order_id": row.order_id,
                       "step": row.step, "actor": row.actor, "station": row.station, "kind": row.kind,
                       "message": row.message, "details": row.details} for row in reversed(rows)]
    except Exception as exc:  # a report is still worth sending without the store
        return {"error": f"{exc.__class__.__name__}: {exc}"}
    return {"revision": revision, "audit_events": events}


def write_bundle(out: Path, *, settings_path: Path | None, sessions: sessionmaker[Session] | None) -> Path:
    """Write the zip to ``out`` (made or replaced) and return it; raises ``OSError`` when the
    file cannot be written."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    settings_text = ""
    if settings_path is not None and settings_path.is_file():
        settings_text = settings_path.read_text(encoding="utf-8", errors="replace")
    summary = {"created": datetime.now(UTC).isoformat(timespec="seconds"), "versions": versions()}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("wersje.json", json.dumps(summary, ensure_ascii=False, indent=2))
        bundle.writestr("ustawienia.json", redact(settings_text) or "{}")
        bundle.writestr("baza.json", redact(json.dumps(store_facts(sessions), ensure_ascii=False, indent=2,
                                                        default=str)))
        for path in log_files():
            bundle.writestr(f"logi/{path.name}", redact(path.read_text(encoding="utf-8", errors="replace")))
    return out
