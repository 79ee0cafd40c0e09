"""``linkoptima engine``: the engine headless, as a service next to Optima or beside a console.

On a real installation it reads the settings and the keyring as the console does (``--settings
FILE`` names another file); with ``--world DIR`` it runs the demo world's Optima, mail, printer
and carrier. ``--shop-url``/``--store``/``--station`` override the settings. It holds the
store's engine lease or stands by for it (DESIGN.md §5), writes one JSON line to stdout on
every change of role and stops cleanly on SIGTERM or Ctrl+C (finishing the jobs in hand and
giving the lease up, so a standby takes over at once).
"""

from __future__ import annotations

import json
import queue
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.engine.events import EngineEvent, EventKind
from ..core.store.lease import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from ..core.config.secrets import SecretStore
    from ..core.woo.settings import ShopSettings

#: exit status: the settings or the store refuse (a Polish line on stderr says why)
EXIT_REFUSED = 2


def stop_on_signals() -> threading.Event:
    """An event that SIGTERM or SIGINT (Ctrl+C) sets."""
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    return done


def wait_for_signal(also: threading.Event | None = None, stop: threading.Event | None = None) -> None:
    """Block until SIGTERM or SIGINT (or ``stop``, when given instead), or until ``also`` is set."""
    done = stop or stop_on_signals()
    while not done.wait(0.5):
        if also is not None and also.is_set():
            return


class RoleLines:
    """Prints ``{"station", "engine", "fencing"}`` once per change of role (from the bus)."""

    def __init__(self) -> None:
        self.refused = threading.Event()
        self.reason = ""
        self._last: tuple[str, int] | None = None
        self._lines: queue.SimpleQueue[str] = queue.SimpleQueue()

    def __call__(self, event: EngineEvent) -> None:
        if event.kind != EventKind.ENGINE_ROLE or event.origin:
            return
        role, fencing = str(event.data.get("role")), int(event.data.get("fencing") or 0)
        if (role, fencing) == self._last or role == "stopped":
            return
        self._last = (role, fencing)
        line = {"station": event.data.get("station"), "engine": role, "fencing": fencing}
        if role == "refused":
            line["reason"] = self.reason = str(event.data.get("reason", ""))
            self.refused.set()
        print(json.dumps(line, ensure_ascii=False), flush=True)


def run_engine(*, world: Path | None, station: str, store_url: str, settings_file: Path | None,
               shop: ShopSettings | None, seed: int, lease_seconds: float | None = None,
               add_shop: bool = False) -> int:
    """Run until a signal; returns the exit status."""
    if world is not None:
        return _demo_engine(world, station, store_url, shop, seed, lease_seconds or DEFAULT_TIMEOUT)
    return run_installed_engine(stop_on_signals(), station=station, store_url=store_url,
                                settings_file=settings_file, lease_seconds=lease_seconds, add_shop=add_shop)


def _demo_engine(folder: Path, station: str, store_url: str, shop: ShopSettings | None, seed: int,
                 lease_seconds: float) -> int:
    from ..demo.world import DemoWorld

    with DemoWorld(folder, seed=seed, store_url=store_url, shop=shop, station=station or "silnik",
                   buyers=shop is None, lease_timeout=lease_seconds) as world:
        lines = RoleLines()
        world.bus.subscribe(lines)
        world.feed.start()
        print(json.dumps({"world": str(world.folder), "shop": world.shop_url}), flush=True)
        world.supervisor.start()
        if world.buyers:
            world.start_placing_orders()
        try:
            wait_for_signal(lines.refused)
        finally:
            world.supervisor.stop()
    return _refused(lines)


def run_installed_engine(stop: threading.Event, *, station: str = "", store_url: str = "",
                         settings_file: Path | None = None, lease_seconds: float | None = None,
                         data_dir: Path | None = None, secrets: SecretStore | None = None,
                         add_shop: bool = False) -> int:
    """The engine of the installation in the settings, until ``stop`` is set (a signal, or the
    Windows service manager's stop: ``windows_service``); returns the exit status. ``secrets``:
    the system keyring unless given."""
    from platformdirs import user_data_path

    from ..core.config.app_settings import AppSettings
    from ..core.config.secrets import SecretStore
    from ..core.config.settings_file import SettingsError, SettingsFile
    from ..core.installation import InstallationError, ShopChoiceNeeded, open_installation

    try:
        settings = AppSettings.from_document(SettingsFile(settings_file).load())
        if lease_seconds:
            settings.lease_seconds = lease_seconds
        installation = open_installation(settings, secrets or SecretStore.beside(settings_file),
                                         data_dir or user_data_path("LinkOptima", "LinkOptima"),
                                         station=station, store_url=store_url, engine=True, add_shop=add_shop)
    except (SettingsError, ValueError) as exc:
        print(f"linkoptima engine: błąd ustawień: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except ShopChoiceNeeded as exc:
        print(f"linkoptima engine: {exc.other} Osobna baza: --store URL; drugi sklep w tej bazie: --add-shop.",
              file=sys.stderr)
        return EXIT_REFUSED
    except InstallationError as exc:
        print(f"linkoptima engine: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    assert installation.supervisor is not None
    lines = RoleLines()
    installation.bus.subscribe(lines)
    try:
        installation.supervisor.start()
        wait_for_signal(lines.refused, stop)
    finally:
        installation.close()
    return _refused(lines)


def _refused(lines: RoleLines) -> int:
    if lines.refused.is_set():
        print(f"linkoptima engine: {lines.reason}", file=sys.stderr)
        return EXIT_REFUSED
    return 0
