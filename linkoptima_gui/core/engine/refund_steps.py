"""What the steps of a refund do: the correction of the FA, the money back, the e-mail.

Each is idempotent against Optima like the order's steps: the corrections carry the refund's key
(``ShopRefund.key``) and are looked up by it before one is booked, the payout is looked up by its
correction, and the e-mail's sending is committed before it goes out (a crash mid-send goes to a
person). The refund itself is read from the shop by the step (the order lists only its id and
total), so what Optima books always follows the refund as the shop keeps it.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import select

from ..documents.correction_email import build_correction_email
from ..documents.correction_pdf import render_correction_pdf
from ..domain.correction import CorrectionDocument, CorrectionKind
from ..domain.order import PaymentKind
from ..domain.refund import lines_left, parse_refund, plan_corrections
from ..domain.steps import Step
from ..errors import AmbiguousOutcomeError, PermanentError, RetryableError, WaitingError
from ..faults import crash_point
from ..optima.port import DocumentRef
from ..store.models import JobRow, RefundRow, utcnow
from .refund_intake import CANCELLED_WITHOUT_REFUND, refund_id_of, refunds_listed
from .services import EngineServices
from .step_runners import StepInput, StepOutcome, invoice_ref, set_phase


def _refund_row(svc: EngineServices, inp: StepInput) -> RefundRow:
    with svc.sessions() as session:
        row = session.scalar(select(RefundRow).where(RefundRow.order_id == inp.row.id,
                                                     RefundRow.shop_refund_id == refund_id_of(inp.identity)))
        if row is None:
            raise PermanentError("Brak zapisu zwrotu dla tego kroku.", code="refund_missing")
        session.expunge(row)
        return row


def _booked(svc: EngineServices, refund: RefundRow) -> list[CorrectionDocument]:
    return [svc.optima_reader.read_correction(int(c["id"])) for c in refund.corrections or []]


def run_korekta(svc: EngineServices, inp: StepInput) -> StepOutcome:
    """Book the corrections one refund calls for (``refund.plan_corrections``), once."""
    if refund_id_of(inp.identity) == CANCELLED_WITHOUT_REFUND:
        return _cancelled_without_refund(svc, inp)
    stored = _refund_row(svc, inp)
    if stored.deleted_in_shop:
        raise PermanentError(f"Zwrot {stored.shop_refund_id} usunięto w sklepie: korekty nie będzie. Pomiń krok.",
                             code="refund_deleted", details={"refund_id": stored.shop_refund_id})
    raw = svc.shop.get_refund(inp.order.shop_order_id, stored.shop_refund_id)
    refund = parse_refund(raw)
    fa = invoice_ref(inp.row)
    invoice = svc.optima_reader.read_invoice(fa.id)
    earlier = [svc.optima_reader.read_correction(ref.id) for ref in svc.optima_reader.corrections_of(fa.id)]
    others = [c for c in earlier if c.reference not in (refund.key, refund.key + "-W")]
    left = lines_left(inp.order, invoice.lines, [c.lines for c in others])
    booked: list[CorrectionDocument] = []
    for request in plan_corrections(refund, inp.order, left):
        ref = svc.optima_reader.find_correction(request.reference)
        if ref is None:
            svc.fence.check_local()
            crash_point("korekta:booking")
            ref = svc.optima_writer.create_correction(fa, request)
            crash_point("korekta:booked")
        booked.append(svc.optima_reader.read_correction(ref.id))
    gross = sum((c.gross_total for c in booked), Decimal(0))
    returned: dict[str, str] = {}
    for correction in booked:
        if correction.kind is CorrectionKind.QUANTITY:
            for line in correction.lines:
                returned[line.code] = str(Decimal(returned.get(line.code, "0")) - line.quantity)
    numbers = ", ".join(c.number for c in booked)
    return StepOutcome(
        f"Korekta {numbers} ({gross} zł) do {invoice.number}",
        result={"refund_id": refund.id, "corrections": numbers, "gross": str(gross)},
        refund_fields={"payload": dict(raw), "amount": refund.amount, "reason": refund.reason,
                       "corrections": [{"id": c.id, "number": c.number, "kind": c.kind.value,
                                        "gross": str(c.gross_total)} for c in booked],
                       "correction_gross": gross, "returned_items": returned},
    )


def _cancelled_without_refund(svc: EngineServices, inp: StepInput) -> StepOutcome:
    """A person retried case H: done once the shop's refunds cover the order (their own
    corrections follow), else still theirs to decide."""
    order = svc.shop.get_order(inp.order.shop_order_id)
    refunded = sum(refunds_listed(order).values(), Decimal(0))
    if refunded >= inp.order.total - Decimal("0.01"):
        return StepOutcome(f"Zamówienie zwrócone w sklepie ({refunded} zł): korekty w krokach zwrotów")
    raise PermanentError(f"Zamówienie anulowano w sklepie po wystawieniu faktury, a zwroty w sklepie to {refunded} zł "
                         f"z {inp.order.total} zł. Zapisz zwrot w sklepie albo pomiń.", code="order_cancelled_after_fa")


def run_korekta_zwrot(svc: EngineServices, inp: StepInput) -> StepOutcome:
    """Close the corrections' dues: a payout settled with each (the money went back), or netted
    against the FA's open due (COD never collected). An online payment the shop recorded as
    refunded without the gateway is a person's to check: the money may not have gone back."""
    stored = _refund_row(svc, inp)
    paid_online = inp.order.payment.kind is PaymentKind.ONLINE and inp.order.payment.confirmed
    if paid_online and not (stored.payload or {}).get("refunded_payment") and not svc.refund_without_gateway:
        raise PermanentError(
            f"Zwrot {stored.shop_refund_id} ({stored.amount} zł) zapisano w sklepie bez zwrotu przez bramkę płatności: "
            "sprawdź, czy klient dostał pieniądze, potem ponów (wypłata w Optimie) albo pomiń.",
            code="refund_money_unknown", details={"refund_id": stored.shop_refund_id, "amount": str(stored.amount)})
    fa = invoice_ref(inp.row)
    payouts = []
    for correction in stored.corrections or []:
        ref = DocumentRef(int(correction["id"]), str(correction["number"]))
        existing = svc.optima_reader.find_correction_payout(ref.id)
        if existing is None:
            svc.fence.check_local()
            existing = svc.optima_writer.settle_correction(ref, fa, inp.order, svc.refund_payout)
        if existing is not None:
            payouts.append(existing.number)
    said = ", ".join(payouts) if payouts else "rozliczono z należnością faktury"
    return StepOutcome(f"Zwrot pieniędzy: {said}", result={"payouts": payouts},
                       refund_fields={"payout_number": ", ".join(payouts)})


def run_korekta_email(svc: EngineServices, inp: StepInput) -> StepOutcome:
    """The correction's PDF to the buyer, once (a company's waits for its KSeF number as the FA's)."""
    if inp.phase == "sending":
        raise AmbiguousOutcomeError("Wysyłka korekty została przerwana: nie wiadomo, czy klient ją dostał. "
                                    "Sprawdź i zdecyduj.", code="email_unknown")
    if not inp.order.buyer.email:
        raise PermanentError("Zamówienie nie ma adresu e-mail nabywcy.", code="email_refused")
    stored = _refund_row(svc, inp)
    booked = _booked(svc, stored)
    if not booked:
        return StepOutcome("Brak korekty do wysłania")
    _wait_for_ksef(svc, inp, booked)
    folder = svc.documents_dir / "korekty"
    folder.mkdir(parents=True, exist_ok=True)
    attachments = []
    # every correction of the FA, read once: each PDF's "before" is after the ones before it
    every = [svc.optima_reader.read_correction(r.id) for r in svc.optima_reader.corrections_of(booked[0].original_id)]
    for correction in booked:
        earlier = [c for c in every if c.id < correction.id]
        pdf = render_correction_pdf(correction, earlier, logo=svc.email.invoice_logo)
        path = folder / (correction.number.replace("/", "_") + ".pdf")
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(pdf)
        tmp.replace(path)
        attachments.append((correction, pdf, path))
    messages = [build_correction_email(c, pdf, sender=svc.email.sender, shop_name=svc.email.shop_name,
                                       reply_to=svc.email.reply_to, template_dir=svc.email.template_dir)
                for c, pdf, _ in attachments]
    set_phase(svc, inp.job_id, "sending")
    svc.fence.check_local()
    crash_point("korekta_email:sending")
    try:
        for message in messages:
            svc.mailer.send(message)
    except (RetryableError, PermanentError):
        if len(messages) == 1:
            set_phase(svc, inp.job_id, "")  # nothing was accepted: safe to try again later
        raise
    first = attachments[0]
    return StepOutcome(
        f"Wysłano korektę {', '.join(c.number for c, _, _ in attachments)} na {inp.order.buyer.email}",
        result={"to": inp.order.buyer.email, "message_ids": [m["Message-ID"] for m in messages]},
        documents={f"korekta_{stored.shop_refund_id}": (first[2].name, first[1])},
        refund_fields={"pdf_path": str(first[2]), "emailed_to": inp.order.buyer.email},
    )


def _wait_for_ksef(svc: EngineServices, inp: StepInput, booked: list[CorrectionDocument]) -> None:
    """A company's correction goes out with its KSeF number, like its FA (``run_email``)."""
    missing = [c.number for c in booked if c.original.buyer.nip and not c.ksef_number]
    if not missing or svc.email.ksef_wait_seconds <= 0:
        return
    with svc.sessions() as session:
        since = session.scalar(select(JobRow.created_at).where(JobRow.id == inp.job_id))
    waited = (utcnow() - since).total_seconds() if since else 0.0
    if waited >= svc.email.ksef_wait_seconds:
        raise PermanentError(f"Korekta {', '.join(missing)} nadal nie ma numeru KSeF: sprawdź wysyłkę do KSeF w Optimie, "
                             "potem ponów.", code="ksef_missing", details={"corrections": missing})
    raise WaitingError(f"Korekta {', '.join(missing)} czeka na numer KSeF z Optimy.", code="ksef_pending",
                       retry_after=min(svc.email.ksef_poll_seconds, max(0.5, svc.email.ksef_wait_seconds - waited)))


REFUND_RUNNERS: dict[Step, Callable[[EngineServices, StepInput], StepOutcome]] = {
    Step.KOREKTA: run_korekta,
    Step.KOREKTA_ZWROT: run_korekta_zwrot,
    Step.KOREKTA_EMAIL: run_korekta_email,
}
