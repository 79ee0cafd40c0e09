"""A company's invoice is e-mailed with its KSeF number: the e-mail waits for Optima's KSeF
sending (without using up attempts), up to a longest wait that then becomes an exception;
a private buyer's invoice goes at once."""

from __future__ import annotations

from email import message_from_bytes
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from woocommerce import API

from linkoptima_gui.core.domain.steps import Stage, Step, StepState
from linkoptima_gui.core.store.models import AuditEvent, JobRow
from linkoptima_gui.demo.world import DemoWorld

from .conftest import orders_by_shop_id, paid_order, run_engine

COMPANY_NIP = "526-025-02-74"


def email_job(world: DemoWorld, order_id: int) -> JobRow:
    with world.sessions() as session:
        return session.scalar(select(JobRow).where(JobRow.order_id == order_id, JobRow.step == Step.EMAIL.value))


def attachment_text(world: DemoWorld) -> str:
    [eml] = sorted((world.folder / "mail").glob("*.eml"))
    message = message_from_bytes(eml.read_bytes())
    pdf = next(part for part in message.walk() if part.get_content_type() == "application/pdf")
    return "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.get_payload(decode=True))).pages)


@pytest.mark.parametrize("ksef_delay", [1.0])
def test_company_invoice_waits_for_its_ksef_number(world: DemoWorld, api: API) -> None:
    shop_id = paid_order(api, 1, nip=COMPANY_NIP)
    run_engine(world)
    row = orders_by_shop_id(world)[shop_id]
    job = email_job(world, row.id)
    assert (job.state, job.attempts) == (StepState.DONE.value, 1)  # waiting used no attempts
    text = attachment_text(world)
    number = world.services.optima_reader.read_invoice(row.fa_id).ksef_number
    assert number and f"Numer KSeF: {number}" in text
    with world.sessions() as session:
        kinds = list(session.scalars(select(AuditEvent.kind).where(AuditEvent.order_id == row.id)))
    assert kinds.count("step_waiting") == 1  # said once, not at every look


@pytest.mark.parametrize("ksef_delay", [3600.0])
def test_no_ksef_number_in_time_is_an_exception_and_the_parcel_still_ships(world: DemoWorld, api: API) -> None:
    world.services.email.ksef_wait_seconds = 1.0
    world.services.email.ksef_poll_seconds = 0.2
    company, person = paid_order(api, 1, nip=COMPANY_NIP), paid_order(api, 2)
    run_engine(world)
    rows = orders_by_shop_id(world)
    job = email_job(world, rows[company].id)
    assert (job.state, job.error_code) == (StepState.FAILED.value, "ksef_missing")
    assert "nie ma numeru KSeF" in job.error_message
    assert rows[company].stage == Stage.READY_TO_PACK.value  # the goods do not wait for KSeF
    assert email_job(world, rows[person].id).state == StepState.DONE.value  # B2C goes at once
    assert len(list((world.folder / "mail").glob("*.eml"))) == 1
