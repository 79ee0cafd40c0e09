"""One active engine among several: run the engine while holding the lease, stand by otherwise.

Every console and every headless engine has a supervisor. It tries for the lease at start; the
winner runs the engine (intake, steps, stock) and renews the lease and its job claims on every
heartbeat (a third of the timeout); the others look every second and take over once the
heartbeat is older than the timeout. An engine that finds it lost the lease (it was paused past
the timeout and another took over) stops its loop at once; its late writes are refused by the
fence meanwhile (``store.fencing``). Each change of role is published on the bus
(``ENGINE_ROLE``): the status bar shows it, the headless engine prints it as a JSON line.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum

from sqlalchemy.exc import SQLAlchemyError

from ..store.lease import EngineLease, LeaseRefused
from .engine import Engine
from .events import EngineEvent, EventKind

log = logging.getLogger(__name__)


class Role(StrEnum):
    ACTIVE = "active"
    STANDBY = "standby"
    STOPPED = "stopped"
    REFUSED = "refused"  # this engine may not run on this store (``LeaseRefused``)


class EngineSupervisor:
    """Implements the console's ``EngineControl`` (state, pause, resume) over the lease."""

    def __init__(self, engine: Engine, lease: EngineLease) -> None:
        self.engine = engine
        self.lease = lease
        self.heartbeat_every = lease.timeout / 3
        self.standby_every = min(1.0, lease.timeout / 10)
        self._role = Role.STOPPED
        self._reason = ""
        self._drive = True  # start and stop the engine's loop with the lease (not while ``holding``)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # -- control (any thread) -------------------------------------------------------------------

    @property
    def role(self) -> Role:
        return self._role

    @property
    def reason(self) -> str:
        """Why the engine may not run here (role ``refused``), in Polish."""
        return self._reason

    @property
    def station(self) -> str:
        return self.lease.station

    def start(self) -> None:
        """Try for the lease now (so the first role is known at once), then keep watching."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._tick()
        self._thread = threading.Thread(target=self._loop, name="engine-lease", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        """Finish the jobs in hand, give the lease up (a standby takes over at its next look)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        with self._lock:
            if self._role is Role.ACTIVE and self._drive:
                self.engine.stop(timeout)
            try:
                self.lease.release()
            except SQLAlchemyError:
                log.warning("could not release the engine lease (the store is unreachable)", exc_info=True)
            self._set_role(Role.STOPPED)

    def state(self) -> str:
        """"running"/"paused" while active, else the role ("standby", "refused", "stopped")."""
        return self.engine.state() if self._role is Role.ACTIVE else self._role.value

    def pause(self) -> None:
        self.engine.pause()

    def resume(self) -> None:
        self.engine.resume()

    def wake(self) -> None:
        self.engine.wake()

    @contextmanager
    def holding(self, wait_seconds: float) -> Iterator[None]:
        """Hold the lease (heartbeat and claims renewed) around work that drives the engine
        itself (``demo-run``), waiting up to ``wait_seconds`` for an active engine to lapse."""
        deadline = time.monotonic() + wait_seconds
        self._drive = False
        while True:
            self._tick()
            if self._role is Role.ACTIVE:
                break
            if self._role is Role.REFUSED or time.monotonic() > deadline:
                self._drive = True
                raise LeaseRefused(self._reason or "Inny silnik pracuje na tej bazie; spróbuj, gdy skończy.")
            time.sleep(self.standby_every)
        self._thread = threading.Thread(target=self._loop, name="engine-lease", daemon=True)
        self._thread.start()
        try:
            yield
        finally:
            self.stop()
            self._drive = True

    # -- the watch -------------------------------------------------------------------------------

    def _loop(self) -> None:
        while not self._stop.wait(self.heartbeat_every if self._role is Role.ACTIVE else self.standby_every):
            self._tick()

    def _tick(self) -> None:
        with self._lock:
            if self._stop.is_set():
                return
            try:
                if self._role is Role.ACTIVE:
                    if self.lease.renew():
                        self.engine.runner.renew_claims()
                    else:
                        self._lose()
                elif self.lease.acquire():
                    self._win()
                elif self._role is not Role.STANDBY:
                    self._set_role(Role.STANDBY)
            except LeaseRefused as exc:
                self._reason = str(exc)
                if self._role is not Role.REFUSED:
                    self._set_role(Role.REFUSED)
            except SQLAlchemyError:
                # the store is unreachable: the fence stops outside calls once the lease is not
                # confirmed in time; the next look tries again
                log.warning("engine lease: the store did not answer", exc_info=True)

    def _win(self) -> None:
        previous = self.lease.previous
        if previous is not None and previous.held and self.lease.previous_is_gone():
            released = self.engine.runner.release_claims_of(previous.holder)
            log.info("took over from %s (process gone): %d claims released", previous.station, released)
        self._reason = ""
        if self._drive:
            self.engine.start()
        self._set_role(Role.ACTIVE)

    def _lose(self) -> None:
        log.warning("engine lease lost to another engine: stopping this one")
        if self._drive:
            self.engine.stop(timeout=5.0)
        self._set_role(Role.STANDBY)

    def _set_role(self, role: Role) -> None:
        self._role = role
        info = None
        try:
            info = self.lease.read() if role is not Role.STOPPED else None
        except SQLAlchemyError:
            pass
        self.engine.svc.bus.publish(EngineEvent(EventKind.ENGINE_ROLE, data={
            "role": role.value, "station": self.lease.station, "reason": self._reason,
            "fencing": self.lease.fence.token if role is Role.ACTIVE else (info.fencing if info else 0),
            "active_station": info.station if info is not None and info.held else "",
        }))
