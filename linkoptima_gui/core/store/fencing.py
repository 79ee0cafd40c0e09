"""Fencing: every write the active engine makes to the store carries its lease's token.

An engine that was paused (a frozen PC, a debugger, SIGSTOP) past its lease's timeout wakes up
believing it is still the active one. Meanwhile a standby has taken over with a larger fencing
token. Whatever the old engine then tries to commit is refused here: before a transaction that
wrote anything commits, the lease row is read under a lock that a takeover must wait for (FOR
SHARE on PostgreSQL, HOLDLOCK on SQL Server; on SQLite the writer already holds the database
lock), and a token other than ours rolls the transaction back with ``FencedOut``.

The store cannot fence the outside systems (Optima, the carrier, the mail server): for those the
engine checks its lease by its own clock before each call (``Fence.check_local``), and every step
looks for what an earlier attempt created before creating it (DESIGN.md §3).
"""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

from sqlalchemy import Engine, Select, event, select
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from .models import LeaseRow

LEASE_ID = 1
#: the share of the lease's timeout an engine trusts its own lease for without renewing it:
#: a pause longer than this and it stops calling outside systems until the store confirms it
LOCAL_TRUST = 0.8


class FencedOut(Exception):
    """This engine no longer holds the lease: its write was not committed."""


class Fence:
    """The token this engine's writes carry; inactive (token 0) for an engine that never held a
    lease (a test, or a tool that owns its store alone); refusing everything once a lease it
    held is lost or given up."""

    def __init__(self, holder: str = "", timeout: float = 15.0) -> None:
        #: this engine instance, as named in the lease row and in the claims of its jobs
        self.holder = holder or f"engine-{uuid.uuid4().hex[:12]}"
        self.timeout = timeout
        self._lock = threading.Lock()
        self._token = 0
        self._confirmed = 0.0  # time.monotonic() of the last acquire or renewal
        #: the lease was held once and is not any more: writes are refused until it is again
        self._lost = False

    @property
    def token(self) -> int:
        return self._token

    @property
    def active(self) -> bool:
        return self._token > 0

    def hold(self, token: int) -> None:
        """The lease is ours with ``token`` (just acquired or renewed)."""
        with self._lock:
            self._token = token
            self._confirmed = time.monotonic()
            self._lost = False

    def drop(self) -> None:
        """The lease is not ours any more (lost, or given up): from now on this engine's writes
        and outside calls are refused, until it holds the lease again."""
        with self._lock:
            self._lost = self._lost or self._token > 0
            self._token = 0

    def check_local(self) -> None:
        """Raise ``FencedOut`` unless the lease was confirmed recently by this process's clock
        (called before every outside call of a step; costs no query)."""
        with self._lock:
            if self._lost:
                raise FencedOut("Silnik nie jest już aktywny: nic nie zostanie wysłane.")
            if not self._token:
                return
            if time.monotonic() - self._confirmed > self.timeout * LOCAL_TRUST:
                raise FencedOut("Silnik nie potwierdził dzierżawy na czas (był wstrzymany?): "
                                "nic nie zostanie wysłane, dopóki baza jej nie potwierdzi.")

    def check_store(self, session: Session) -> None:
        """Raise ``FencedOut`` unless the lease row still carries our token (read under a lock
        a takeover must wait for, inside the transaction about to commit)."""
        token = self._token
        if self._lost:
            raise FencedOut("Silnik nie jest już aktywny: zapis odrzucony.")
        if not token:
            return
        row = session.execute(lease_for_commit(session.get_bind().dialect.name)).first()
        if row is None or row.fencing != token or row.holder != self.holder:
            self.drop()
            raise FencedOut(f"Inny silnik przejął pracę (żeton {row.fencing if row else '?'}, nasz {token}): "
                            "zapis odrzucony.")


def lease_for_commit(dialect: str) -> Select[tuple[int, str]]:
    """The lease's token and holder, read under a shared lock a takeover's update must wait for
    until the reading transaction ends (SQLite: the writer's database lock does it)."""
    query = select(LeaseRow.fencing, LeaseRow.holder).where(LeaseRow.id == LEASE_ID)
    if dialect == "postgresql":
        return query.with_for_update(read=True)
    if dialect == "mssql":
        return query.with_hint(LeaseRow, "WITH (HOLDLOCK, ROWLOCK)", "mssql")
    return query


_WROTE = "linkoptima_wrote"


def fenced_sessions(bind: Engine, fence: Fence) -> sessionmaker[Session]:
    """A session factory over ``bind`` whose write transactions are checked against ``fence``
    when they commit (read-only ones cost nothing)."""
    factory: sessionmaker[Session] = sessionmaker(bind, expire_on_commit=False)

    @event.listens_for(factory, "do_orm_execute")
    def _statement(state: ORMExecuteState) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            state.session.info[_WROTE] = True

    @event.listens_for(factory, "after_flush")
    def _flushed(session: Session, _context: Any) -> None:
        session.info[_WROTE] = True

    @event.listens_for(factory, "before_commit")
    def _commit(session: Session) -> None:
        # flushed first: the lease is then read inside the transaction that wrote (on SQLite
        # that transaction already holds the database's write lock)
        session.flush()
        if session.info.pop(_WROTE, False):
            fence.check_store(session)

    @event.listens_for(factory, "after_rollback")
    def _rolled_back(session: Session) -> None:
        session.info.pop(_WROTE, None)

    return factory
