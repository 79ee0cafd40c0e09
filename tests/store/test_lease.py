"""The engine lease and its fencing token, on SQLite and PostgreSQL: one holder at a time, a
takeover only after the heartbeat lapsed (or the holder's process is gone), a token that grows
with each takeover, and writes of an engine that lost the lease refused by the store."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from linkoptima_gui.core.store.db import open_store
from linkoptima_gui.core.store.fencing import Fence, FencedOut, fenced_sessions
from linkoptima_gui.core.store.lease import EngineLease, LeaseRefused, process_alive
from linkoptima_gui.core.store.models import KeyValue, LeaseRow


@pytest.fixture
def store(store_url: str) -> Iterator[sessionmaker[Session]]:
    factory = open_store(store_url)
    yield factory
    factory.kw["bind"].dispose()


def _lease(store: sessionmaker[Session], station: str, timeout: float = 15.0, **kwargs) -> EngineLease:
    return EngineLease(store.kw["bind"], station, Fence(timeout=timeout), timeout=timeout, **kwargs)


def _age_heartbeat(store: sessionmaker[Session], seconds: float) -> None:
    """Make the holder's last heartbeat ``seconds`` older (a frozen or vanished engine)."""
    from datetime import timedelta

    with store.begin() as session:
        beat = session.scalar(select(LeaseRow.heartbeat_at))
        session.execute(update(LeaseRow).values(heartbeat_at=beat - timedelta(seconds=seconds)))


def test_one_holder_until_the_heartbeat_lapses(store: sessionmaker[Session]) -> None:
    first, second = _lease(store, "E1"), _lease(store, "E2")
    assert first.acquire() and first.fence.token == 1
    assert not second.acquire() and second.fence.token == 0  # fresh heartbeat: standby
    assert first.renew() and first.acquire()  # holding it again is a renewal, not a takeover
    assert first.fence.token == 1
    _age_heartbeat(store, 16)
    assert second.acquire() and second.fence.token == 2  # the token grows with the takeover
    assert second.previous is not None and second.previous.station == "E1"
    assert not second.previous_is_gone()  # same pid here: its process may still run
    assert not first.renew() and not first.fence.active  # the old holder learns it lost
    info = second.read()
    assert info is not None and (info.station, info.fencing, info.held) == ("E2", 2, True)


def test_a_released_lease_is_taken_at_once_and_counts_as_gone(store: sessionmaker[Session]) -> None:
    first, second = _lease(store, "E1"), _lease(store, "E2")
    assert first.acquire()
    first.release()
    assert second.acquire() and second.fence.token == 2 and second.previous_is_gone()
    with pytest.raises(FencedOut), fenced_sessions(store.kw["bind"], first.fence).begin() as session:
        session.add(KeyValue(key="after-release", value="E1"))  # a lease given up is given up
    with pytest.raises(FencedOut):
        first.fence.check_local()


def test_a_holder_whose_process_is_gone_is_replaced_at_once(store: sessionmaker[Session]) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(gone.stdout)
    assert not process_alive(dead_pid) and process_alive(0) is False
    crashed = _lease(store, "E1", pid=dead_pid)
    assert crashed.acquire()
    successor = _lease(store, "E2")
    assert successor.acquire(), "a dead process on this computer must not hold the store for 15 s"
    assert successor.previous_is_gone()
    other_host = _lease(store, "E3", host="inny-komputer")
    if store.kw["bind"].dialect.name == "sqlite":
        with pytest.raises(LeaseRefused):  # SQLite is for one computer
            other_host.acquire()
    else:
        assert not other_host.acquire()  # from another computer nobody can tell: it waits


def test_two_standbys_racing_for_a_lapsed_lease_one_wins(store: sessionmaker[Session]) -> None:
    holder = _lease(store, "E0")
    assert holder.acquire()
    _age_heartbeat(store, 60)
    racers = [_lease(store, f"E{n}") for n in range(1, 7)]
    barrier = threading.Barrier(len(racers))
    wins: list[bool] = []

    def race(lease: EngineLease) -> None:
        barrier.wait()
        wins.append(lease.acquire())

    threads = [threading.Thread(target=race, args=(lease,)) for lease in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(wins) == [False] * 5 + [True]
    with store() as session:
        assert session.scalar(select(LeaseRow.fencing)) == 2


def test_fenced_writes_of_an_engine_that_lost_the_lease_are_refused(store: sessionmaker[Session]) -> None:
    old, new = _lease(store, "E1"), _lease(store, "E2")
    assert old.acquire()
    old_sessions = fenced_sessions(store.kw["bind"], old.fence)
    with old_sessions.begin() as session:
        session.add(KeyValue(key="written-by", value="E1"))
    _age_heartbeat(store, 16)
    assert new.acquire()
    with pytest.raises(FencedOut), old_sessions.begin() as session:  # it still believes it holds the lease
        session.merge(KeyValue(key="written-by", value="E1 after waking up"))
    with store() as session:
        assert session.get(KeyValue, "written-by").value == "E1"
    with old_sessions() as session:  # reading is never refused
        assert session.scalar(select(func.count()).select_from(KeyValue)) == 1
    new_sessions = fenced_sessions(store.kw["bind"], new.fence)
    with new_sessions.begin() as session:
        session.merge(KeyValue(key="written-by", value="E2"))
    with store() as session:
        assert session.get(KeyValue, "written-by").value == "E2"


def test_the_local_check_stops_outside_calls_after_a_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    fence = Fence(timeout=15.0)
    fence.check_local()  # no lease, no fencing (a test's engine)
    fence.hold(3)
    fence.check_local()
    import linkoptima_gui.core.store.fencing as fencing

    later = fencing.time.monotonic() + 13.0  # more than 80 % of the timeout without a renewal
    monkeypatch.setattr(fencing.time, "monotonic", lambda: later)
    with pytest.raises(FencedOut):
        fence.check_local()


def test_an_sqlite_store_is_for_one_computer(tmp_path: Path) -> None:
    factory = open_store(f"sqlite:///{tmp_path / 'console.sqlite'}")
    try:
        here = _lease(factory, "E1", host="komputer-a")
        assert here.acquire()
        with pytest.raises(LeaseRefused, match="jednego komputera"):
            _lease(factory, "E2", host="komputer-b").acquire()
        assert not _lease(factory, "E3", host="komputer-a").acquire()  # same computer: a plain standby
        here.release()
        assert _lease(factory, "E2", host="komputer-b").acquire()  # nobody runs there any more
    finally:
        factory.kw["bind"].dispose()
