"""A person's actions on an order: retry, skip, cancel, pause and resume, each with who and
why in the audit log, each refused when it does not fit the order's state."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select
from woocommerce import API

from linkoptima_gui.core.domain.steps import Stage, Step, StepState
from linkoptima_gui.core.engine.manual import ActionRefused, move
from linkoptima_gui.core.store.models import AuditEvent, JobRow
from linkoptima_gui.demo.world import DemoWorld

from .conftest import orders_by_shop_id, paid_order, run_engine


def job(world: DemoWorld, order_id: int, step: Step) -> JobRow:
    with world.sessions() as session:
        return session.scalar(select(JobRow).where(JobRow.order_id == order_id, JobRow.step == step.value))


def last_audit(world: DemoWorld, order_id: int) -> AuditEvent:
    with world.sessions() as session:
        return session.scalars(select(AuditEvent).where(AuditEvent.order_id == order_id)
                               .order_by(AuditEvent.id.desc())).first()


def test_retry_after_the_cause_is_fixed(world: DemoWorld, api: API) -> None:
    world.smtp.refuse_recipients.add("zofia1@example.com")
    shop_id = paid_order(api, 1)
    run_engine(world)
    order_id = orders_by_shop_id(world)[shop_id].id
    assert job(world, order_id, Step.EMAIL).state == StepState.FAILED.value

    world.smtp.refuse_recipients.clear()  # the buyer's mailbox works again
    assert world.manual.retry(order_id, actor="kierownik", reason="skrzynka klienta już działa") == 1
    assert last_audit(world, order_id).actor == "kierownik"
    run_engine(world)
    assert job(world, order_id, Step.EMAIL).state == StepState.DONE.value
    with pytest.raises(ActionRefused, match="nie ma kroków z błędem"):
        world.manual.retry(order_id, actor="kierownik")


def test_skip_needs_a_reason(world: DemoWorld, api: API) -> None:
    world.smtp.refuse_recipients.add("zofia1@example.com")
    shop_id = paid_order(api, 1)
    run_engine(world)
    order_id = orders_by_shop_id(world)[shop_id].id
    with pytest.raises(ActionRefused, match="Podaj powód"):
        world.manual.skip(order_id, Step.EMAIL, actor="kierownik", reason=" ")
    world.manual.skip(order_id, Step.EMAIL, actor="kierownik", reason="faktura wysłana ręcznie z Optimy")
    row = orders_by_shop_id(world)[shop_id]
    assert job(world, order_id, Step.EMAIL).state == StepState.SKIPPED.value
    assert (row.stage, row.error_code) == (Stage.READY_TO_PACK.value, "")
    assert "faktura wysłana ręcznie" in last_audit(world, order_id).message


def test_cancel_before_packing_only(world: DemoWorld, api: API, tmp_path) -> None:
    first, second = paid_order(api, 1), paid_order(api, 2)
    run_engine(world)
    rows = orders_by_shop_id(world)
    world.manual.cancel(rows[first].id, actor="kierownik", reason="klient zrezygnował")
    row = orders_by_shop_id(world)[first]
    assert row.stage == Stage.CANCELLED.value
    assert job(world, row.id, Step.PACKED).state == StepState.CANCELLED.value
    assert "wymagają korekty" in last_audit(world, row.id).message  # its FA stays in Optima
    world.packing.undo_seconds = 0
    world.packing.pack(rows[second].id, world.printer(), station="st")
    with pytest.raises(ActionRefused, match="nie można anulować"):
        world.manual.cancel(rows[second].id, actor="kierownik", reason="za późno")


def test_pause_and_resume_one_order(world: DemoWorld, api: API) -> None:
    paused_shop_id, other_shop_id = paid_order(api, 1), paid_order(api, 2)
    asyncio.run(world.engine.poll_once())  # seen and planned, nothing run yet
    rows = orders_by_shop_id(world)
    assert world.manual.pause(rows[paused_shop_id].id, actor="kierownik", reason="sprawdzam adres") >= 4
    run_engine(world)
    rows = orders_by_shop_id(world)
    assert rows[other_shop_id].stage == Stage.READY_TO_PACK.value
    assert rows[paused_shop_id].fa_number == ""  # nothing of the paused order ran
    world.manual.resume(rows[paused_shop_id].id, actor="kierownik")
    run_engine(world)
    assert orders_by_shop_id(world)[paused_shop_id].stage == Stage.READY_TO_PACK.value


def test_transitions_are_guarded() -> None:
    done = JobRow(step="fa", state=StepState.DONE.value)
    with pytest.raises(ActionRefused, match="nie można"):
        move(done, StepState.PENDING)
    failed = JobRow(step="fa", state=StepState.FAILED.value)
    move(failed, StepState.PENDING)
    assert failed.state == StepState.PENDING.value
