"""``linkoptima support-bundle --out FILE.zip``: the report for support from the command line.

The same zip as the console's "Pomoc → Zapisz raport dla wsparcia" (``core/support_bundle.py``).
The store is opened only to read (no migration: a report must not change what it reports on),
and a store or keyring that cannot be used is noted in the report rather than stopping it.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from .user_input import BadInput

log = logging.getLogger(__name__)


def support_bundle(out: Path, *, settings_file: Path | None, store_url: str, world: Path | None) -> int:
    """Write the zip; prints ``{"ok": true, "file": …}``."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    from ..core.config.settings_file import SettingsFile
    from ..core.support_bundle import write_bundle
    from .stations import store_of

    if out.exists() and out.is_dir():
        raise BadInput(f"{out} jest folderem: podaj nazwę pliku .zip.")
    sessions, engine = None, None
    try:
        engine = create_engine(store_of(store_url, world))
        sessions = sessionmaker(engine)
    except Exception as exc:  # the report goes on without the store; the log says why
        log.warning("support bundle without the store: %s", exc)
    try:
        written = write_bundle(out, settings_path=SettingsFile(settings_file).path, sessions=sessions)
    except OSError as exc:
        raise BadInput(f"Nie można zapisać raportu {out}: {exc.strerror or exc}.") from None
    finally:
        if engine is not None:
            engine.dispose()
    print(json.dumps({"ok": True, "file": str(written)}, ensure_ascii=False), flush=True)
    return 0
