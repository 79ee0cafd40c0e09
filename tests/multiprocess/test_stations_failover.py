"""A warehouse on one PostgreSQL store: two headless engines ("two computers") and three packing
stations, each a process of its own, with the shop's orders flowing in. The active engine is
killed (kill -9) or frozen (SIGSTOP past the lease's timeout, then SIGCONT); the standby takes
over; at the end every order was booked once (one FA, one WZ, one KP where due, one e-mail,
one label), nothing was lost, and every parcel was packed and printed once."""

from __future__ import annotations

import signal
import time
from collections import Counter
from email import message_from_bytes

import pytest
from sqlalchemy import func, select

from linkoptima_gui.core.domain.order import Address
from linkoptima_gui.core.domain.steps import Stage, StepState
from linkoptima_gui.core.optima.reader import SqlOptimaReader
from linkoptima_gui.core.optima.schema import optima_engine
from linkoptima_gui.core.shipping.builtin import BuiltinCarrier, SenderInfo
from linkoptima_gui.core.store.db import open_store
from linkoptima_gui.core.store.models import AuditEvent, JobRow, OrderRow, ParcelClaim
from linkoptima_gui.demo.catalogue import CATALOGUE

from ..engine.conftest import paid_order
from .conftest import LEASE, Warehouse, start

pytestmark = pytest.mark.multiprocess

FIRST, SECOND = 10, 10


def _is_cod(n: int) -> bool:
    return n % 5 == 2


def _place(warehouse: Warehouse, numbers: range) -> None:
    """Paid online orders, every fourth a company (its e-mail waits for the KSeF number), and
    every fifth cash on delivery (no KP: its payment stays due)."""
    api = warehouse.api()
    for n in numbers:
        if not _is_cod(n):
            paid_order(api, n, nip="5260250274" if n % 4 == 0 else "")
            continue
        address = {"first_name": "Adam", "last_name": f"Pobraniowy{n}", "address_1": "ul. Krótka 3",
                   "city": "Gdańsk", "postcode": "80-001", "country": "PL"}
        answer = api.post("orders", {
            "status": "processing", "payment_method": "cod", "payment_method_title": "Za pobraniem",
            "billing": {**address, "email": f"adam{n}@example.com"}, "shipping": address,
            "line_items": [{"sku": CATALOGUE[n].code, "quantity": 1}],
            "shipping_lines": [{"method_id": "flat_rate", "method_title": "Kurier", "total": "15.00"}],
        })
        assert answer.status_code == 201, answer.text


def _stages(warehouse: Warehouse) -> Counter[str]:
    sessions = open_store(warehouse.store)
    try:
        with sessions() as session:
            return Counter(dict(session.execute(select(OrderRow.stage, func.count()).group_by(OrderRow.stage)).all()))
    finally:
        sessions.kw["bind"].dispose()


def _wait(condition, timeout: float, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def _pack_until_done(warehouse: Warehouse, total: int, timeout: float = 240) -> int:
    """Three stations run ``pack --all`` side by side, again and again, until all is packed."""
    packed, deadline = 0, time.monotonic() + timeout
    while _stages(warehouse)[Stage.PACKED.value] < total:
        assert time.monotonic() < deadline, f"not all packed: {_stages(warehouse)}"
        stations = [warehouse.pack(f"P{n}") for n in (1, 2, 3)]
        for station in stations:
            line = station.wait_for(station=station.name, timeout=120)
            assert station.popen.wait(30) == 0, station.stderr()
            assert "error" not in line, line
            packed += line["packed"]
        time.sleep(0.5)
    return packed


def _audit(warehouse: Warehouse, total: int, packed: int) -> None:
    """Count what the outside systems and the store hold."""
    world = warehouse.world
    sessions = open_store(warehouse.store)
    try:
        with sessions() as session:
            orders = session.scalars(select(OrderRow)).all()
            assert len(orders) == total and {o.stage for o in orders} == {Stage.PACKED.value}
            assert session.scalar(select(func.count()).select_from(JobRow)
                                  .where(JobRow.state == StepState.STARTED.value)) == 0
            assert session.scalar(select(func.count()).select_from(ParcelClaim)) == 0
            done = Counter(session.execute(select(AuditEvent.order_id, AuditEvent.step)
                                           .where(AuditEvent.kind == "step_done")).all())
            unknown = session.scalar(select(func.count()).select_from(JobRow)
                                     .where(JobRow.error_code == "email_unknown"))
    finally:
        sessions.kw["bind"].dispose()
    assert [key for key, n in done.items() if n > 1] == [], "a step was finished twice"
    assert packed == total
    optima = optima_engine(f"sqlite:///{world / 'optima.sqlite'}")
    docs = SqlOptimaReader(optima).count_documents()
    optima.dispose()
    cod = sum(1 for n in range(total) if _is_cod(n))
    assert cod and (docs["fa"], docs["wz"], docs["kp"]) == (total, total, total - cod)  # a KP where due
    assert docs["fa_duplicates"] == docs["wz_duplicates"] == docs["kp_duplicates"] == 0
    mails = [message_from_bytes(p.read_bytes()) for p in (world / "mail").glob("*.eml")]
    recipients = Counter(str(m["To"]) for m in mails)
    assert all(n == 1 for n in recipients.values()), "an invoice e-mailed twice"
    # one cut off mid-send (if any) waits for a person: the server may or may not have taken it
    # before the engine froze, so it is counted on neither side; every other order has its one
    assert total - unknown <= len(mails) <= total
    carrier = BuiltinCarrier(world / "carrier", SenderInfo("x", Address())).count_shipments()
    assert (carrier["total"], carrier["duplicates"]) == (total, 0)
    printed = Counter(p.stem.removeprefix("etykieta-").rsplit("-", 1)[0]
                      for p in (world / "printer").glob("etykieta-*.pdf"))
    assert len(printed) == total and set(printed.values()) == {1}, "a label printed twice"


def _engines(warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN202
    """E1 active, E2 standby, each naming a computer of its own (so the standby cannot see that
    the other's process is gone: it waits for the lease's timeout, as across a network)."""
    monkeypatch.setenv("LINKOPTIMA_HOSTNAME", "komputer-1")
    first = warehouse.engine("E1")
    assert first.wait_for(engine="active") == {"station": "E1", "engine": "active", "fencing": 1}
    monkeypatch.setenv("LINKOPTIMA_HOSTNAME", "komputer-2")
    second = warehouse.engine("E2")
    assert second.wait_for(engine="standby")["fencing"] == 1
    return first, second


def test_the_standby_takes_over_from_a_killed_engine(warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = _engines(warehouse, monkeypatch)
    _place(warehouse, range(FIRST))
    _wait(lambda: _stages(warehouse)[Stage.READY_TO_PACK.value] >= 3, 120, "the first engine booked nothing")
    first.signal(signal.SIGKILL)
    killed = time.monotonic()
    _place(warehouse, range(FIRST, FIRST + SECOND))
    assert second.wait_for(engine="active", timeout=4 * LEASE + 30)["fencing"] == 2
    took_over = time.monotonic() - killed
    assert took_over < 4 * LEASE, f"{took_over:.1f} s"
    status = start("status", "status", "--store", warehouse.store).next_line()
    assert status["engine"]["station"] == "E2" and status["engine"]["fencing"] == 2
    assert set(status) == {"engine", "orders", "claims"} and isinstance(status["orders"], dict)
    packed = _pack_until_done(warehouse, FIRST + SECOND)
    second.signal(signal.SIGTERM)
    assert second.popen.wait(60) == 0, second.stderr()
    _audit(warehouse, FIRST + SECOND, packed)


def test_a_frozen_engine_that_wakes_up_runs_nothing_twice(warehouse: Warehouse,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = _engines(warehouse, monkeypatch)
    _place(warehouse, range(FIRST))
    _wait(lambda: _stages(warehouse)[Stage.READY_TO_PACK.value] >= 2, 120, "the first engine booked nothing")
    first.signal(signal.SIGSTOP)  # a PC that hangs: it holds the lease, but says nothing
    _place(warehouse, range(FIRST, FIRST + SECOND))
    assert second.wait_for(engine="active", timeout=4 * LEASE + 30)["fencing"] == 2
    # It wakes up believing it is active, in the middle of whatever it was doing (maybe booking
    # in Optima, whose lock it then still holds: the new engine waits for that, which is why it
    # is woken now and not after the new engine's work), and finds it is not.
    first.signal(signal.SIGCONT)
    assert first.wait_for(engine="standby", timeout=4 * LEASE) == {"station": "E1", "engine": "standby",
                                                                    "fencing": 2}
    packed = _pack_until_done(warehouse, FIRST + SECOND)
    for engine in (first, second):
        engine.signal(signal.SIGTERM)
        assert engine.popen.wait(60) == 0, engine.stderr()
    _audit(warehouse, FIRST + SECOND, packed)
