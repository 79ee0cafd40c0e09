"""One active engine among several consoles (DESIGN.md §5): the first takes the lease and runs,
the second stands by; when the active one stops answering, the standby takes over after the
timeout and books what is left; the old one, waking up, finds it lost and stands by. A clean
stop hands over at once."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select
from woocommerce import API

from linkoptima_gui.core.domain.steps import Stage
from linkoptima_gui.core.engine.engine import Engine
from linkoptima_gui.core.engine.events import EngineEvent, EventBus, EventKind
from linkoptima_gui.core.engine.supervisor import EngineSupervisor, Role
from linkoptima_gui.core.store.fencing import Fence, fenced_sessions
from linkoptima_gui.core.store.lease import EngineLease
from linkoptima_gui.core.store.models import OrderRow
from linkoptima_gui.demo.world import DemoWorld

from ..waiting import wait_until
from .conftest import paid_order

TIMEOUT = 3.0


def _supervisor(world: DemoWorld, station: str) -> tuple[EngineSupervisor, list[EngineEvent]]:
    """An engine of its own over the world's store and outside systems (another console)."""
    bind = world.sessions.kw["bind"]
    fence = Fence(timeout=TIMEOUT)
    bus = EventBus()
    services = replace(world.services, sessions=fenced_sessions(bind, fence), fence=fence, bus=bus,
                       claim_seconds=2 * TIMEOUT)
    roles: list[EngineEvent] = []
    bus.subscribe(lambda e: roles.append(e) if e.kind == EventKind.ENGINE_ROLE else None)
    engine = Engine(services, poll_interval=0.5, stock=None)
    return EngineSupervisor(engine, EngineLease(bind, station, fence, timeout=TIMEOUT)), roles


def _packable(world: DemoWorld) -> int:
    with world.sessions() as session:
        return session.scalar(select(func.count()).select_from(OrderRow)
                              .where(OrderRow.stage == Stage.READY_TO_PACK.value))


def test_the_standby_takes_over_when_the_active_engine_stops_answering(world: DemoWorld, api: API) -> None:
    first, first_roles = _supervisor(world, "E1")
    second, second_roles = _supervisor(world, "E2")
    first.start()
    second.start()
    try:
        assert first.role is Role.ACTIVE and first.state() == "running"
        assert second.role is Role.STANDBY and second.state() == "standby"
        assert [e.data["role"] for e in first_roles] == ["active"]
        assert second_roles[-1].data == {"role": "standby", "station": "E2", "reason": "", "fencing": 1,
                                         "active_station": "E1"}
        paid_order(api, 1)
        first.wake()
        assert wait_until(lambda: _packable(world) == 1, timeout=30)
        # the first engine's computer freezes: no heartbeat, no work, the lease not given up
        first._stop.set()
        first._thread.join(5)
        first.engine.stop()
        paid_order(api, 2)
        assert wait_until(lambda: second.role is Role.ACTIVE, timeout=4 * TIMEOUT)
        assert second.lease.fence.token == 2
        second.wake()
        assert wait_until(lambda: _packable(world) == 2, timeout=30), "the new engine books the next order"
        first._stop.clear()  # it wakes up, looks at the lease and finds it lost
        first._tick()
        assert first.role is Role.STANDBY and not first.lease.fence.active
        assert [e.data["role"] for e in first_roles] == ["active", "standby"]
    finally:
        second.stop()
        first.stop()


def test_a_clean_stop_hands_over_at_once(world: DemoWorld) -> None:
    first, _ = _supervisor(world, "E1")
    second, _ = _supervisor(world, "E2")
    first.start()
    second.start()
    try:
        assert (first.role, second.role) == (Role.ACTIVE, Role.STANDBY)
        first.stop()
        assert first.role is Role.STOPPED
        assert wait_until(lambda: second.role is Role.ACTIVE, timeout=TIMEOUT / 2), \
            "a released lease is taken at the standby's next look, not after the timeout"
    finally:
        second.stop()
        first.stop()
