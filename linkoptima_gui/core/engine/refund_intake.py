"""Refunds found in the shop's order (its ``refunds`` list), planned once each.

The intake already re-reads every order the shop modified (a refund bumps the order's
``date_modified``, reference/corrections.md §1.2), so no webhook is needed. Each refund id seen
for the first time gets a row and its correction job; its identity key ends with the refund id,
so a refund is planned once however often the order is read. A refund the order no longer lists
was deleted in the shop, which reverses nothing there (§1.4): one not booked yet is simply not
booked, one already booked goes to a person (a booked correction cannot be taken back by us).
An order refunded in full before its FA was booked is not booked at all (case A).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.money import MoneyFormatError, money
from ..domain.steps import REFUND_STEPS, Stage, Step, StepState
from ..store.models import JobRow, OrderRow, RefundRow, utcnow
from . import audit
from .planning import add_job, identity_key

#: the refund id of the problem "cancelled in the shop after the FA, with no refund" (case H)
CANCELLED_WITHOUT_REFUND = 0
#: the steps the books of a refunded order still need when the order is taken out of the pipeline
_OPEN = (StepState.PENDING.value, StepState.WAITING.value, StepState.FAILED.value)


def refund_identity(order: OrderRow, step: Step, refund_id: int) -> str:
    """``planning.identity_key`` and the refund id: one job of each refund step per refund."""
    return f"{identity_key(order, step)}:{refund_id}"


def refund_id_of(identity_key: str) -> int:
    """The shop refund id a refund step's job works on (the last part of its identity key)."""
    return int(identity_key.rsplit(":", 1)[1])


def add_refund_job(session: Session, order: OrderRow, step: Step, refund_id: int) -> JobRow:
    return add_job(session, order, step, identity=refund_identity(order, step, refund_id))


def refunds_listed(raw: dict[str, Any]) -> dict[int, Decimal]:
    """The refunds an order lists: refund id -> amount (the shop gives each total negative)."""
    listed = {}
    for entry in raw.get("refunds") or []:
        try:
            listed[int(entry["id"])] = abs(money(entry.get("total") or 0))
        except (KeyError, TypeError, ValueError, MoneyFormatError):
            continue
    return listed


def sync_refunds(session: Session, row: OrderRow, raw: dict[str, Any]) -> bool:
    """Plan the refunds the order lists for the first time and note the deleted ones; returns
    whether anything changed."""
    listed = refunds_listed(raw)
    known = {r.shop_refund_id: r for r in session.scalars(select(RefundRow).where(RefundRow.order_id == row.id))}
    changed = False
    states = {j.step: j for j in session.scalars(select(JobRow).where(JobRow.order_id == row.id))
              if j.step not in REFUND_STEPS}
    for refund_id, amount in listed.items():
        if refund_id in known:
            continue
        reason = next((str(e.get("reason") or "") for e in raw.get("refunds") or [] if e.get("id") == refund_id), "")
        session.add(RefundRow(order_id=row.id, shop_refund_id=refund_id, amount=amount, reason=reason))
        changed = True
        fa = states.get(Step.FA.value)
        if fa is None or fa.state in _OPEN or fa.state == StepState.CANCELLED.value:
            _not_booked(session, row, refund_id, amount)
            continue
        add_refund_job(session, row, Step.KOREKTA, refund_id)
        audit.record(session, "refund_found", f"Zwrot w sklepie ({refund_id}, {amount} zł): zaplanowano korektę FA",
                     order_id=row.id, step=Step.KOREKTA.value, details={"refund_id": refund_id, "amount": str(amount)})
        if _fully_refunded(row, listed):
            _stop_parcel(session, row, states)
    for refund_id, refund in known.items():
        if refund_id not in listed and not refund.deleted_in_shop:
            refund.deleted_in_shop = True
            _deleted(session, row, refund)
            changed = True
    if row.shop_status == "cancelled" and not _fully_refunded(row, listed):
        changed |= _cancelled_after_invoice(session, row, states)
    return changed


def _cancelled_after_invoice(session: Session, row: OrderRow, states: dict[str, JobRow]) -> bool:
    """Case H: the shop cancelled an order whose FA is booked, with no refund to say what came
    back or what money went back. Nothing to correct from, so a person decides: a refund made in
    the shop (status "zwrócone" refunds the rest) is then corrected as any other, and this
    problem is skipped. Its job has no refund (id 0)."""
    fa = states.get(Step.FA.value)
    if fa is None or fa.state not in (StepState.DONE.value, StepState.STARTED.value):
        return False
    identity = refund_identity(row, Step.KOREKTA, CANCELLED_WITHOUT_REFUND)
    if session.scalar(select(JobRow.id).where(JobRow.identity_key == identity)) is not None:
        return False
    job = add_job(session, row, Step.KOREKTA, identity=identity)
    job.state, job.finished_at, job.error_code = StepState.FAILED.value, utcnow(), "order_cancelled_after_fa"
    job.error_message = (f"Zamówienie anulowano w sklepie po wystawieniu faktury {row.fa_number}, bez zwrotu: "
                         "nie wiadomo, co wróciło. Zapisz zwrot w sklepie (konsola zrobi korektę) i pomiń ten krok.")
    audit.record(session, "step_failed", job.error_message, order_id=row.id, step=Step.KOREKTA.value,
                 details={"code": job.error_code})
    _stop_parcel(session, row, states)
    return True


def _fully_refunded(row: OrderRow, listed: dict[int, Decimal]) -> bool:
    return sum(listed.values(), Decimal(0)) >= (row.total or Decimal(0)) - Decimal("0.01")


def _not_booked(session: Session, row: OrderRow, refund_id: int, amount: Decimal) -> None:
    """Case A: the refund came before the FA was booked. A full refund takes the order out of
    the pipeline with the reason; a partial one lets the FA be booked for the whole order and
    corrected at once (its correction waits for the FA)."""
    if not _fully_refunded(row, refunds_listed(row.payload or {})):
        add_refund_job(session, row, Step.KOREKTA, refund_id)
        audit.record(session, "refund_found", f"Częściowy zwrot ({refund_id}, {amount} zł) przed fakturą: "
                     "faktura obejmie całe zamówienie, a korekta zwrot", order_id=row.id,
                     details={"refund_id": refund_id})
        return
    for job in session.scalars(select(JobRow).where(JobRow.order_id == row.id)):
        if job.state in _OPEN:
            job.state, job.finished_at = StepState.CANCELLED.value, utcnow()
    row.stage = Stage.CANCELLED.value
    row.error_code = row.error_reason = ""
    audit.record(session, "refund_cancelled", f"Zamówienie zwrócone w sklepie ({amount} zł) przed wystawieniem "
                 "faktury: nie będzie księgowane.", order_id=row.id, details={"refund_id": refund_id})


def _stop_parcel(session: Session, row: OrderRow, states: dict[str, JobRow]) -> None:
    """A full refund of an order not packed yet: the parcel must not go out. The packer cannot
    take it any more (its PACKED step waits for a person), and the manager decides about a label
    already bought (cancel it from the exceptions screen)."""
    packed = states.get(Step.PACKED.value)
    if packed is None or packed.state not in (StepState.PENDING.value, StepState.WAITING.value):
        return
    label = states.get(Step.LABEL.value)
    if label is not None and label.state in (StepState.PENDING.value, StepState.WAITING.value):
        label.state, label.finished_at = StepState.CANCELLED.value, utcnow()
    bought = f" Etykieta {row.tracking_number} jest kupiona: anuluj ją." if row.tracking_number else ""
    packed.state, packed.finished_at = StepState.FAILED.value, utcnow()
    packed.error_code = "refunded_before_packing"
    packed.error_message = f"Zamówienie zwrócone w całości przed spakowaniem: nie wysyłaj.{bought} Potem pomiń pakowanie."
    audit.record(session, "step_failed", packed.error_message, order_id=row.id, step=Step.PACKED.value,
                 details={"code": packed.error_code})


def _deleted(session: Session, row: OrderRow, refund: RefundRow) -> None:
    """A refund deleted in the shop: WooCommerce reverses nothing, and neither do we by ourselves."""
    jobs = list(session.scalars(select(JobRow).where(
        JobRow.order_id == row.id, JobRow.identity_key.like(f"%:{refund.shop_refund_id}"),
        JobRow.step.in_([s.value for s in REFUND_STEPS]))))
    booked = [c.get("number", "") for c in refund.corrections or []]
    if not booked:
        for job in jobs:
            if job.state in _OPEN:
                job.state, job.finished_at = StepState.CANCELLED.value, utcnow()
        audit.record(session, "refund_deleted", f"Zwrot {refund.shop_refund_id} usunięto w sklepie przed "
                     "zaksięgowaniem korekty: korekty nie będzie.", order_id=row.id,
                     details={"refund_id": refund.shop_refund_id})
        return
    korekta = next((j for j in jobs if j.step == Step.KOREKTA.value), None)
    reason = (f"Zwrot {refund.shop_refund_id} usunięto w sklepie, a korekta {', '.join(booked)} jest już w Optimie: "
              "nie cofa się sama. Sprawdź z klientem; jeśli trzeba, wystaw w Optimie korektę ręcznie, potem pomiń.")
    if korekta is not None:
        korekta.state, korekta.finished_at = StepState.FAILED.value, utcnow()
        korekta.error_code, korekta.error_message = "refund_deleted", reason
        korekta.error_details = {"refund_id": refund.shop_refund_id, "corrections": booked}
    audit.record(session, "step_failed", reason, order_id=row.id, step=Step.KOREKTA.value,
                 details={"code": "refund_deleted", "refund_id": refund.shop_refund_id})


def keep_refund(session: Session, job: JobRow, fields: dict[str, Any]) -> None:
    """A refund step's outcome onto its refund's row (in the transaction that finishes the job)."""
    row = session.scalar(select(RefundRow).where(RefundRow.order_id == job.order_id,
                                                 RefundRow.shop_refund_id == refund_id_of(job.identity_key)))
    if row is not None:
        for key, value in fields.items():
            setattr(row, key, value)
