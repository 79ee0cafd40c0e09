"""The state store on SQLite and PostgreSQL: migrations, the uniqueness that makes a step
exist once, the claim that lets one worker (or one packing station) win, and the whole demo
chain with its store on the server."""

from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from linkoptima_gui.core.domain.steps import Stage, Step, StepState
from linkoptima_gui.core.engine.events import EventBus
from linkoptima_gui.core.engine.packing import PackingError, PackingService
from linkoptima_gui.core.engine.planning import add_job, refresh_stage
from linkoptima_gui.core.engine.runner import JobRunner
from linkoptima_gui.core.store.db import open_store
from linkoptima_gui.core.store.fencing import Fence
from linkoptima_gui.core.store.models import Base, JobRow, OrderRow
from linkoptima_gui.demo.headless import demo_run


def _order(session, n: int = 1) -> OrderRow:
    row = OrderRow(shop_order_id=1000 + n, number=str(1000 + n), stage=Stage.NEW.value, payload={})
    session.add(row)
    session.flush()
    return row


def test_migrations_build_exactly_the_models(store_url: str) -> None:
    factory = open_store(store_url)
    engine = factory.kw["bind"]
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    open_store(store_url)  # a second start finds the schema at head and changes nothing
    engine.dispose()


def test_head_names_the_newest_migration(store_url: str) -> None:
    """``migrate.HEAD`` lets an up-to-date store start without loading Alembic: it must be the
    head Alembic finds, and a new store must end there."""
    from alembic.script import ScriptDirectory

    from linkoptima_gui.core.store.migrate import HEAD, alembic_config, current_revision

    factory = open_store(store_url)
    engine = factory.kw["bind"]
    assert ScriptDirectory.from_config(alembic_config(engine)).get_current_head() == HEAD
    assert current_revision(engine) == HEAD
    engine.dispose()


def test_a_step_exists_once(store_url: str) -> None:
    factory = open_store(store_url)
    with factory.begin() as session:
        order = _order(session)
        first = add_job(session, order, Step.FA)
        assert add_job(session, order, Step.FA).id == first.id  # planning twice finds it
    with pytest.raises(IntegrityError), factory.begin() as session:  # and the database refuses a copy
        session.add(JobRow(order_id=first.order_id, step="fa", identity_key=first.identity_key))
    factory.kw["bind"].dispose()


def test_one_of_many_claims_wins(store_url: str) -> None:
    factory = open_store(store_url)
    with factory.begin() as session:
        job_id = add_job(session, _order(session), Step.FA).id
    runner = JobRunner(SimpleNamespace(sessions=factory, fence=Fence(), claim_seconds=30.0))
    barrier = threading.Barrier(8)
    wins: list[bool] = []

    def claim() -> None:
        barrier.wait()
        wins.append(runner.claim(job_id))

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(wins) == [False] * 7 + [True]
    with factory() as session:
        job = session.get(JobRow, job_id)
        assert (job.state, job.attempts) == (StepState.STARTED.value, 1)
    factory.kw["bind"].dispose()


class _Printer:
    url = "test://"

    def __init__(self) -> None:
        self.jobs: list[str] = []

    def print_label(self, job_name: str, *, pdf: bytes | None = None, zpl: bytes | None = None) -> str:
        self.jobs.append(job_name)
        return job_name


def test_two_stations_pressing_at_once_pack_once(store_url: str, tmp_path: Path) -> None:
    factory = open_store(store_url)
    label = tmp_path / "label.pdf"
    label.write_bytes(b"%PDF-1.4 test")
    with factory.begin() as session:
        order = _order(session)
        order.tracking_number, order.label_pdf = "TRACK1", str(label)
        for step in (Step.FA, Step.WZ, Step.LABEL):
            add_job(session, order, step).state = StepState.DONE.value
        add_job(session, order, Step.PACKED)
        assert refresh_stage(session, order, may_book=True) == Stage.READY_TO_PACK.value
        order_id = order.id
    packing, printer = PackingService(factory, EventBus()), _Printer()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def press(station: str) -> None:
        barrier.wait()
        try:
            packing.pack(order_id, printer, station=station)
            outcomes.append("packed")
        except PackingError:
            outcomes.append("refused")

    threads = [threading.Thread(target=press, args=(f"stanowisko-{i}",)) for i in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["packed", "refused"]
    assert len(printer.jobs) == 1
    with factory() as session:
        assert session.get(OrderRow, order_id).stage == Stage.PACKED.value
    factory.kw["bind"].dispose()


def test_the_demo_chain_with_its_store_on_the_backend(store_url: str, tmp_path: Path) -> None:
    counts = demo_run(tmp_path / "world", 12, store_url=store_url)
    assert counts["orders"] == 12 and counts["duplicates"] == 0 and counts["packed"] >= 8
    factory = open_store(store_url)
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(OrderRow)) == 12
        packed = session.scalar(select(func.count()).where(OrderRow.stage == Stage.PACKED.value))
    assert packed == counts["packed"]
    factory.kw["bind"].dispose()
