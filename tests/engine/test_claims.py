"""Job claims that lapse (DESIGN.md §5): a job is claimed with the engine's name, token and an
expiry; it goes back to pending only when the claim lapses, never because an engine started; an
engine that lost the lease mid-step stores nothing, and the step run again by the new engine
finds what the first one booked (one FA)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select, update
from woocommerce import API

from linkoptima_gui.core.domain.steps import Step, StepState
from linkoptima_gui.core.engine.runner import JobRunner
from linkoptima_gui.core.store.db import server_now
from linkoptima_gui.core.store.fencing import Fence
from linkoptima_gui.core.store.lease import EngineLease
from linkoptima_gui.core.store.models import AuditEvent, JobRow, LeaseRow
from linkoptima_gui.demo.world import DemoWorld

from .conftest import documents_for, paid_order, run_engine


def _fa_job(world: DemoWorld) -> JobRow:
    with world.sessions() as session:
        return session.scalar(select(JobRow).where(JobRow.step == Step.FA.value))


def _take_over(world: DemoWorld, station: str = "E2") -> EngineLease:
    """Another engine takes the lease over after the first one's heartbeat lapsed."""
    lease = EngineLease(world.sessions.kw["bind"], station, Fence(timeout=15.0), timeout=15.0)
    with world.sessions.begin() as session:
        beat = session.scalar(select(LeaseRow.heartbeat_at))
        session.execute(update(LeaseRow).values(heartbeat_at=beat - timedelta(seconds=60)))
    assert lease.acquire()
    return lease


def _claimed(world: DemoWorld, api: API) -> list[int]:
    """One paid order read in, the lease taken, its first jobs claimed by the world's engine."""
    paid_order(api, 1)
    asyncio.run(world.engine.poll_once())
    assert world.supervisor.lease.acquire()
    return world.engine.runner.claim_due(10)


def test_a_claim_names_its_engine_and_lapses_only_by_time(world: DemoWorld, api: API) -> None:
    claimed = _claimed(world, api)
    runner = world.engine.runner
    job = _fa_job(world)
    assert job.id in claimed and job.state == StepState.STARTED.value
    assert (job.claimed_by, job.claim_fencing) == (world.fence.holder, world.fence.token)
    with world.sessions() as session:
        now = server_now(session)
    assert timedelta(seconds=25) < job.claim_expires_at - now <= timedelta(seconds=2 * world.lease_timeout)
    assert runner.release_expired() == 0  # a fresh claim is left alone (an engine may be running it)
    world.engine.start()  # nor does a start release it
    world.engine.stop()
    assert _fa_job(world).state == StepState.STARTED.value
    with world.sessions.begin() as session:
        session.execute(update(JobRow).where(JobRow.id == job.id)
                        .values(claim_expires_at=server_now(session) - timedelta(seconds=1)))
    assert runner.release_expired() == 1
    released = _fa_job(world)
    assert (released.state, released.claimed_by, released.claim_expires_at) == (StepState.PENDING.value, "", None)
    with world.sessions() as session:
        assert session.scalar(select(AuditEvent.message).where(AuditEvent.kind == "released"))


def test_heartbeats_renew_claims_and_a_gone_engines_claims_are_released_at_once(world: DemoWorld,
                                                                                api: API) -> None:
    _claimed(world, api)
    runner = world.engine.runner
    with world.sessions.begin() as session:
        session.execute(update(JobRow).where(JobRow.state == StepState.STARTED.value)
                        .values(claim_expires_at=server_now(session) + timedelta(seconds=2)))
    assert runner.renew_claims() >= 1
    assert _fa_job(world).claim_expires_at - server_now(world.sessions()) > timedelta(seconds=20)
    assert runner.release_claims_of("engine-nobody") == 0
    assert runner.release_claims_of(world.fence.holder) >= 1
    assert _fa_job(world).state == StepState.PENDING.value


def test_an_engine_that_lost_the_lease_mid_step_stores_nothing_and_books_once(world: DemoWorld, api: API) -> None:
    claimed = _claimed(world, api)
    old = world.engine.runner
    fa = _fa_job(world)
    assert fa.id in claimed
    new_lease = _take_over(world)  # the first engine froze past the timeout; another took over
    old.run_claimed(fa.id)  # it wakes up and finishes its step: Optima has the FA now...
    number = _fa_job(world).result.get("number")
    assert _fa_job(world).state == StepState.STARTED.value and number is None  # ...but the store took nothing
    assert not world.fence.active  # and it knows it lost
    # the new engine runs the job once the old claim lapses; Optima's FA is found, not booked again
    new_runner = JobRunner(world.services)
    world.services.fence = new_lease.fence
    world.services.sessions = _fenced(world, new_lease.fence)
    with world.sessions.begin() as session:
        session.execute(update(JobRow).values(claim_expires_at=server_now(session) - timedelta(seconds=1))
                        .where(JobRow.state == StepState.STARTED.value))
    assert new_runner.release_expired() >= 1
    run_engine(world)
    done = _fa_job(world)
    assert done.state == StepState.DONE.value and done.claim_fencing == 2
    with world.sessions() as session:
        order_number = session.scalar(select(JobRow.identity_key)).split(":")[1]
    assert documents_for(world, order_number) >= 1
    from linkoptima_gui.core.optima.schema import TraNag

    with world.optima_engine.connect() as conn:
        invoices = conn.execute(select(TraNag.c.TrN_NumerPelny).where(TraNag.c.TrN_TypDokumentu == 302)).all()
    assert len(invoices) == 1


def _fenced(world: DemoWorld, fence: Fence):  # noqa: ANN202
    from linkoptima_gui.core.store.fencing import fenced_sessions

    return fenced_sessions(world.sessions.kw["bind"], fence)
