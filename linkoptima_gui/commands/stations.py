"""``linkoptima status`` and ``linkoptima pack``: the stations' side of a shared store, from the
command line (DESIGN.md §5; used to check several stations from the outside, and by scripts).

``status`` prints one JSON line: the active engine (its station, the heartbeat's age by the
store's clock, the fencing token) or null, the orders per stage, and which station has which
parcels open. ``pack --all`` packs every ready parcel one after another exactly as the packing
button does (claim, print, mark packed; the shop is told by the engine after the undo window)
and prints ``{"station": .., "packed": N}``; several at once on one store pack each parcel once.
"""

from __future__ import annotations

import json
import sys
import zlib
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from ..core.engine import parcel_claims
from ..core.engine.change_feed import ChangeFeed
from ..core.engine.events import EventBus
from ..core.engine.packing import PackingError, PackingService
from ..core.printing.factory import open_printer
from ..core.printing.port import PrinterError
from ..core.store.db import sqlite_url
from ..core.store.lease import read_lease
from ..core.store.location import StoreError, dispose, open_checked
from ..core.store.queries import ready_to_pack, stage_counts

#: exit status for a store that cannot be opened or a parcel that would not print
EXIT_REFUSED, EXIT_FAILED = 2, 1


def store_of(store_url: str, world: Path | None) -> str:
    """``--store``, else the demo world's file, else the installation's (settings and keyring)."""
    if store_url:
        return store_url
    if world is not None:
        return sqlite_url(world / "console.sqlite")
    from platformdirs import user_data_path

    from ..core.config.app_settings import AppSettings
    from ..core.config.secrets import SecretStore
    from ..core.config.settings_file import SettingsFile
    from ..core.store.location import store_url as location_url

    settings = AppSettings.from_document(SettingsFile().load())
    return location_url(settings.store_url, SecretStore().get("store.password"),
                        user_data_path("LinkOptima", "LinkOptima"))


def status(store_url: str, world: Path | None) -> int:
    try:
        sessions = open_checked(store_of(store_url, world))
    except StoreError as exc:
        print(json.dumps({"error": str(exc)}, ensure_ascii=False), flush=True)
        return EXIT_REFUSED
    try:
        print(json.dumps(read_status(sessions), ensure_ascii=False), flush=True)
    finally:
        dispose(sessions)
    return 0


def read_status(sessions: sessionmaker[Session]) -> dict:
    """``{"engine": {...} | None, "orders": {stage: n}, "claims": {station: [numbers]}}``."""
    with sessions() as session:
        lease = read_lease(session.connection())
        engine = None
        if lease is not None and lease.held:
            engine = {"station": lease.station, "heartbeat_age_s": round(lease.age_seconds, 1),
                      "fencing": lease.fencing}
        return {"engine": engine, "orders": stage_counts(session), "claims": parcel_claims.numbers_by_station(session)}


def pack_all(*, store_url: str, world: Path | None, station: str, printer_url: str, operator: str,
             undo_seconds: float) -> int:
    """Pack every ready parcel no other station has open; prints one JSON line."""
    try:
        sessions = open_checked(store_of(store_url, world))
    except StoreError as exc:
        print(json.dumps({"station": station, "packed": 0, "error": str(exc)}, ensure_ascii=False), flush=True)
        return EXIT_REFUSED
    if not printer_url and world is not None:
        printer_url = (world / "printer").as_uri()
    try:
        printer = open_printer(printer_url)
    except ValueError as exc:
        dispose(sessions)
        print(json.dumps({"station": station, "packed": 0, "error": str(exc)}, ensure_ascii=False), flush=True)
        return EXIT_REFUSED
    bus = EventBus()
    feed = ChangeFeed(sessions.kw["bind"], bus)  # the consoles see each parcel go
    feed.start()
    packing = PackingService(sessions, bus, undo_seconds=undo_seconds)
    packed, error = 0, ""
    try:
        packed = _pack_ready(sessions, packing, printer, station, operator)
    except PrinterError as exc:
        error = exc.reason
    finally:
        feed.stop()
        dispose(sessions)
    line = {"station": station, "packed": packed, **({"error": error} if error else {})}
    print(json.dumps(line, ensure_ascii=False), flush=True)
    if error:
        print(f"linkoptima pack: {error}", file=sys.stderr)
    return EXIT_FAILED if error else 0


def _pack_ready(sessions: sessionmaker[Session], packing: PackingService, printer, station: str,  # noqa: ANN001
                operator: str) -> int:
    packed = 0
    while True:
        with sessions() as session:
            ready = ready_to_pack(session, limit=100_000)
            taken = parcel_claims.holders(session, ready)
        free = [order_id for order_id in ready if taken.get(order_id, station) == station]
        if not free:
            return packed
        # each station starts at its own place in the queue, so stations packing at once mostly
        # reach for different parcels (a parcel two of them reach for goes to one: the claim)
        start = zlib.crc32(station.encode()) % len(free)
        progress = False
        for order_id in free[start:] + free[:start]:
            try:
                packing.pack(order_id, printer, station=station, operator=operator or station)
            except PackingError:
                continue  # another station has it, or it is no longer ready
            packed += 1
            progress = True
        if not progress:
            return packed
