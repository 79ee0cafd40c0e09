"""The console side of the GUI benchmark: runs in its own process, started by ``gui``.

A process of its own because two of the three numbers are about the whole application: the
time from starting it (interpreter, imports, Qt, the store) to the first rows on screen, and
its peak resident memory, which the parent's seeding and the other benchmarks must not inflate.

In order:

1. the real ``MainWindow`` on the seeded store is built and shown; "usable" is the moment the
   pipeline table has painted with its first rows read (not placeholders);
2. the demo world opens on the same store with the parent's shop (it already holds the new
   orders the parent placed; ``DemoWorld(shop=...)``, as ``--shop-url`` runs the demo), and its
   engine starts in its own thread; the world's events are forwarded to the window's bus;
3. with the Pulpit on screen (it reads its figures again every 30 s, and at most every 10 s
   while the engine reports changes), a 10 ms ``QTimer`` on the GUI thread records the gap between its ticks
   until the engine has no work left and the window has caught up: a gap well above 10 ms is a
   stall someone sees.

The demo world opens after the window because its simulated Optima and mail server stand in
for outside systems, which are not part of the console's start in a real shop. The shop runs in
the parent: in a real installation it is another machine, and its emulator's memory is not the
console's.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer, Signal

from .common import peak_rss_mb, percentile

#: the heartbeat's period; each recorded gap is at least this
HEARTBEAT_MS = 10
#: how long the heartbeat goes on after the engine is idle (coalescers and reads catch up)
SETTLE_SECONDS = 1.5


class Heartbeat(QObject):
    """Records the milliseconds between ticks of a precise timer on the GUI thread."""

    def __init__(self, interval_ms: int = HEARTBEAT_MS) -> None:
        super().__init__()
        self.gaps: list[float] = []
        self._last = 0.0
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000)
        self._last = now


class FirstRowsPainted(QObject):
    """Watches the table's viewport; notes when it has painted once with real first rows.

    The time is taken on the next turn of the event loop, i.e. after that paint finished."""

    def __init__(self, ready: Callable[[], bool]) -> None:
        super().__init__()
        self._ready = ready
        self._seen = False
        self.at: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._seen and event.type() == QEvent.Type.Paint and self._ready():
            self._seen = True
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._mark)
        return False

    def _mark(self) -> None:
        self.at = time.time()


class _EmitProbe(QObject):
    sig_probe = Signal()


#: Spare references to ``True`` (see ``hold_spare_trues``); never freed: freeing them would
#: hand back every reference the emits took.
_SPARE_TRUES: list[bool] = []


def hold_spare_trues(probes: int = 100, spare: int = 500_000) -> bool:
    """Hold spare references to ``True`` when this PySide6 drops one on every ``Signal.emit``.

    PySide6 6.12.0 returns ``True`` from ``emit`` without owning a reference; on Python 3.11
    (where ``True`` is not immortal) each emit takes one away and after some ten thousand emits
    the interpreter aborts with "bool_dealloc". The console itself needs a PySide6 without that
    bug; until the dependency excludes it, the benchmark holds spare references (4 MB) so that
    it can measure at all. Returns whether the bug is there."""
    probe = _EmitProbe()
    before = sys.getrefcount(True)
    for _ in range(probes):
        probe.sig_probe.emit()
    if before - sys.getrefcount(True) < probes:
        return False
    print("warning: this PySide6 drops a reference to True on every Signal.emit; "
          "the benchmark holds spare ones", file=sys.stderr)
    _SPARE_TRUES.extend([True] * spare)
    return True


def run_until(predicate: Callable[[], bool], timeout: float) -> bool:
    """Run the Qt event loop until ``predicate()`` holds (checked every 20 ms) or time is up."""
    loop = QEventLoop()
    deadline = time.monotonic() + timeout
    check = QTimer()
    check.setInterval(20)
    check.timeout.connect(lambda: loop.quit() if predicate() or time.monotonic() > deadline else None)
    check.start()
    if not predicate():
        loop.exec()
    check.stop()
    return predicate()


#: the engine's open work is looked at only after it reported no change for this long
QUIET_SECONDS = 1.0


class EngineWatch(threading.Thread):
    """Off the GUI thread: sets ``idle`` once the engine has polled the shop and has no work it
    can do alone (the same test as ``Engine.run_until_idle``), twice in a row.

    That test reads every job of every unfinished order; asked twice a second while the engine
    works it took a tenth of the process's interpreter time from the engine and the window it
    measures. So it is asked only once the engine has reported no change for ``QUIET_SECONDS``
    (``changed`` is called with every event), which a working engine never does."""

    def __init__(self, world: Any, polled: threading.Event) -> None:
        super().__init__(name="bench-engine-watch", daemon=True)
        self.world = world
        self.polled = polled
        self.idle = threading.Event()
        self.stop_event = threading.Event()
        self.last_change = time.monotonic()
        self.checks = 0

    def changed(self) -> None:
        self.last_change = time.monotonic()

    def run(self) -> None:
        quiet = 0
        while not self.stop_event.wait(0.5):
            if not self.polled.is_set() or time.monotonic() - self.last_change < QUIET_SECONDS:
                quiet = 0
                continue
            self.checks += 1
            count, _ = self.world.engine.runner.open_work()
            quiet = quiet + 1 if count == 0 else 0
            if quiet >= 2:
                self.idle.set()
                return


def _stored_orders(sessions: Any) -> int:
    from sqlalchemy import func, select

    from ..core.store.models import OrderRow

    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(OrderRow)) or 0)


def run_console_bench(folder: Path, store_url: str, started_at: float, shop_url: str, shop_key: str,
                      timeout: float = 900.0) -> dict[str, float]:
    """Everything from the module docstring; ``started_at`` is the parent's ``time.time()``
    just before it started this process; the shop is the parent's (its secret in the
    environment, never on a command line)."""
    from ..core.config.secrets import MemoryKeyring, SecretStore
    from ..core.config.settings_file import SettingsFile
    from ..core.engine.events import EventBus, EventKind
    from ..core.engine.packing import PackingService
    from ..core.printing.factory import open_printer
    from ..core.store.db import open_store
    from ..core.woo.settings import ShopSettings
    from ..ui.app import ensure_application
    from ..ui.background import shutdown_background
    from ..ui.context import ConsoleContext
    from ..ui.main_window import MainWindow

    _app = ensure_application()  # kept: the window needs it alive
    emit_bug = hold_spare_trues()
    sessions = open_store(store_url)
    bus = EventBus()
    (folder / "printer").mkdir(parents=True, exist_ok=True)
    context = ConsoleContext(sessions, bus, PackingService(sessions, bus), open_printer((folder / "printer").as_uri()),
                             operator="bench", title_suffix="BENCH",
                             settings_file=SettingsFile(folder / "bench-settings.json"),
                             secrets=SecretStore(backend=MemoryKeyring()))
    window_started = time.time()
    window = MainWindow(context)
    model = window.pipeline.model
    painted = FirstRowsPainted(lambda: model.rowCount() > 0 and model.cached_row(model.order_id(0)) is not None)
    window.pipeline.table.viewport().installEventFilter(painted)
    window.show_pipeline()  # the Pulpit is the first tab; the start is measured on the pipeline
    window.show()
    if not run_until(lambda: painted.at is not None, timeout=60):
        raise RuntimeError("the pipeline never showed its first rows")
    assert painted.at is not None
    usable_at = painted.at
    window_rss = peak_rss_mb()  # the console alone, before the demo's stand-ins for the outside

    from ..demo.world import DemoWorld

    shop = ShopSettings(url=shop_url, consumer_key=shop_key, consumer_secret=os.environ["LINKOPTIMA_SHOP_SECRET"])
    world = DemoWorld(folder, store_url=store_url, undo_seconds=0, shop=shop, sessions=sessions).open()
    polled = threading.Event()
    watch = EngineWatch(world, polled)

    def forward(event: Any) -> None:
        bus.publish(event)
        if event.kind == EventKind.ORDERS_CHANGED:
            watch.changed()
        if event.kind == EventKind.POLL_DONE:
            polled.set()

    unsubscribe = world.bus.subscribe(forward)
    # the Pulpit on screen while the engine works: it reads its figures again on the changes
    context.dashboard = world.dashboard
    pulpit_reads: list[float] = []
    window.dashboard.sig_loaded.connect(lambda figures: pulpit_reads.append(figures.timings["total_ms"]))
    window.tabs.setCurrentWidget(window.dashboard)
    heartbeat = Heartbeat()
    try:
        heartbeat.start()
        engine_started = time.perf_counter()
        world.engine.start()
        watch.start()
        if not run_until(watch.idle.is_set, timeout):
            raise RuntimeError("the engine did not finish the new orders in time")
        engine_seconds = time.perf_counter() - engine_started
        stored = _stored_orders(sessions)
        # the window catches up: the last coalesced refresh reaches the table
        run_until(lambda: model.rowCount() == stored, timeout=30)
        run_until(lambda: False, timeout=SETTLE_SECONDS)
        heartbeat.stop()
    finally:
        watch.stop_event.set()
        unsubscribe()
        world.close()
    gaps = heartbeat.gaps
    result = {
        "start_s": usable_at - started_at, "window_s": usable_at - window_started,
        "engine_s": engine_seconds, "ticks": len(gaps), "p50_ms": percentile(gaps, 50),
        "p99_ms": percentile(gaps, 99), "max_ms": max(gaps, default=float("nan")),
        "stored": stored, "rows": model.rowCount(), "pulpit_reads": len(pulpit_reads),
        "pulpit_p50_ms": percentile(pulpit_reads, 50) if pulpit_reads else float("nan"), "rss_mb": peak_rss_mb(),
        "rss_window_mb": window_rss, "emit_bug": emit_bug, "idle_checks": watch.checks,
    }
    window.close()
    shutdown_background(wait=True)
    sessions.kw["bind"].dispose()
    return result


def child_main(folder: str, store_url: str, started_at: str, shop_url: str, shop_key: str) -> NoReturn:
    """Entry of the child process: run, print the numbers as one JSON line, and leave without
    the interpreter's finalization: with PySide6 6.12.0 on Python 3.11 every ``Signal.emit``
    drops a reference to ``True``, and the garbage collection at exit then aborts the process
    after the numbers are in (the bug is reported with the benchmark; 6.11 does not have it)."""
    result = run_console_bench(Path(folder), store_url, float(started_at), shop_url, shop_key)
    print(json.dumps(result), flush=True)
    sys.stderr.flush()
    os._exit(0)
