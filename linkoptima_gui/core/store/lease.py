"""The engine lease: one row that says which engine is active (DESIGN.md §5).

Any console or headless engine may run the engine; the one holding the lease is active and
renews its heartbeat, the others stand by and take over once the heartbeat is older than the
timeout (15 s by default). Each takeover adds one to the fencing token, which every write of
the engine carries (``fencing.py``).

Every change of the row is a compare-and-set on what was read (holder, token, heartbeat), so
two standbys racing for a lapsed lease cannot both win, on any database, without locks of
its own. Times are the store's (``server_now``): computers whose clocks differ still agree.

An engine on the same computer as the holder can tell that the holder's process is gone (its
pid no longer runs): it takes over at once, and the dead process's claims are void. An engine
on another computer cannot know that and waits for the timeout. An SQLite store is for one
computer: an engine on another computer while one runs is refused (``LeaseRefused``).
"""

from __future__ import annotations

import os
import socket
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from .db import server_now
from .fencing import LEASE_ID, Fence
from .location import on_network_share, sqlite_file
from .models import LeaseRow

DEFAULT_TIMEOUT = 15.0


class LeaseRefused(Exception):
    """This engine may not run on this store at all; ``str()`` is Polish."""


@dataclass(frozen=True)
class LeaseInfo:
    """The lease row as read, with the heartbeat's age by the store's clock."""

    holder: str
    station: str
    host: str
    pid: int
    fencing: int
    heartbeat_at: datetime
    age_seconds: float

    @property
    def held(self) -> bool:
        return bool(self.holder)


def read_lease(connection: Connection) -> LeaseInfo | None:
    row = connection.execute(select(LeaseRow).where(LeaseRow.id == LEASE_ID)).mappings().first()
    if row is None:
        return None
    age = (server_now(connection) - row["heartbeat_at"]).total_seconds()
    return LeaseInfo(row["holder"], row["station"], row["host"], row["pid"], row["fencing"], row["heartbeat_at"],
                     max(0.0, age))


def process_alive(pid: int) -> bool:
    """Whether a process with ``pid`` runs on this computer (a zombie counts as gone)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed child its parent has not waited for yet still answers os.kill
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return True


def this_host() -> str:
    """The computer's name in the lease (``LINKOPTIMA_HOSTNAME`` overrides it: several engines on
    one machine standing in for several computers, e.g. in containers or tests)."""
    return os.environ.get("LINKOPTIMA_HOSTNAME") or socket.gethostname()


class EngineLease:
    """This engine's side of the lease; ``fence`` carries the token while it is held."""

    def __init__(self, bind: Engine, station: str, fence: Fence, *, timeout: float = DEFAULT_TIMEOUT,
                 host: str | None = None, pid: int | None = None) -> None:
        self.bind = bind
        self.station = station
        self.fence = fence
        self.timeout = timeout
        self.host = host if host is not None else this_host()
        self.pid = pid if pid is not None else os.getpid()
        #: the lease as it was before our last takeover (None: nobody had it yet)
        self.previous: LeaseInfo | None = None

    @property
    def holder(self) -> str:
        return self.fence.holder

    def read(self) -> LeaseInfo | None:
        with self.bind.connect() as connection:
            return read_lease(connection)

    def acquire(self) -> bool:
        """One attempt to become (or stay) the active engine; True when we hold the lease."""
        with self.bind.begin() as connection:
            now = server_now(connection)
            current = read_lease(connection)
            if current is None:
                return self._first(now)
            if current.holder == self.holder and current.fencing == self.fence.token:
                return self._renew(connection, now)
            self._refuse_shared_sqlite(current)
            if not self._lapsed(current):
                return False
            token = current.fencing + 1
            taken = connection.execute(
                update(LeaseRow)
                .where(LeaseRow.id == LEASE_ID, LeaseRow.holder == current.holder,
                       LeaseRow.fencing == current.fencing, LeaseRow.heartbeat_at == current.heartbeat_at)
                .values(holder=self.holder, station=self.station, host=self.host, pid=self.pid, fencing=token,
                        heartbeat_at=now, acquired_at=now)
            ).rowcount
        if taken != 1:
            return False
        self.previous = current
        self.fence.hold(token)
        return True

    def renew(self) -> bool:
        """The heartbeat; False (and the fence dropped) when another engine took over."""
        with self.bind.begin() as connection:
            return self._renew(connection, server_now(connection))

    def release(self) -> None:
        """Give the lease up (a clean stop): a standby takes over at its next look."""
        token = self.fence.token
        self.fence.drop()
        if not token:
            return
        with self.bind.begin() as connection:
            connection.execute(update(LeaseRow)
                               .where(LeaseRow.id == LEASE_ID, LeaseRow.holder == self.holder,
                                      LeaseRow.fencing == token)
                               .values(holder=""))

    def previous_is_gone(self) -> bool:
        """Whether the engine we took over from surely runs no more (released the lease, or its
        process on this computer is gone): its claims may be released at once."""
        previous = self.previous
        if previous is None or not previous.held:
            return True
        return previous.host == self.host and previous.pid != self.pid and not process_alive(previous.pid)

    # -- inside a transaction -------------------------------------------------------------------

    def _first(self, now: datetime) -> bool:
        """The first engine ever on this store creates the row (in a transaction of its own)."""
        try:
            with self.bind.begin() as connection:
                connection.execute(insert(LeaseRow).values(
                    id=LEASE_ID, holder=self.holder, station=self.station, host=self.host, pid=self.pid, fencing=1,
                    heartbeat_at=now, acquired_at=now))
        except IntegrityError:
            return False  # another engine created it a moment earlier
        self.previous = None
        self.fence.hold(1)
        return True

    def _renew(self, connection: Connection, now: datetime) -> bool:
        token = self.fence.token
        if not token:
            return False
        renewed = connection.execute(
            update(LeaseRow)
            .where(LeaseRow.id == LEASE_ID, LeaseRow.holder == self.holder, LeaseRow.fencing == token)
            .values(heartbeat_at=now)
        ).rowcount
        if renewed == 1:
            self.fence.hold(token)
            return True
        self.fence.drop()
        return False

    def _lapsed(self, current: LeaseInfo) -> bool:
        if not current.held or current.age_seconds > self.timeout:
            return True
        return current.host == self.host and current.pid != self.pid and not process_alive(current.pid)

    def _refuse_shared_sqlite(self, current: LeaseInfo) -> None:
        """SQLite is for one computer: refuse while an engine on another one uses the file."""
        path = sqlite_file(self.bind.url.render_as_string(hide_password=False))
        if path is None or not current.held or current.host == self.host or current.age_seconds > self.timeout:
            return
        where = " (leży na udziale sieciowym)" if on_network_share(path) else ""
        raise LeaseRefused(
            f"Baza SQLite {path}{where} jest dla jednego komputera, a silnik już działa na komputerze "
            f"{current.host} (stanowisko {current.station}). Dla kilku komputerów ustaw wspólną bazę "
            "PostgreSQL lub SQL Server (Ustawienia → Stanowiska i baza).")
