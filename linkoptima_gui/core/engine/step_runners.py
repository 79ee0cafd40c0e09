"""What each automatic step does. Every step is idempotent against the outside system:
it looks for what a previous (maybe crashed) attempt already created before creating it.

A runner gets the mapped order and its row (inside no transaction: outside calls must not hold
store locks) and returns a ``StepOutcome`` that the job runner commits with the job's state.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update

from ..documents.invoice_email import build_invoice_email
from ..documents.invoice_pdf import render_invoice_pdf
from ..domain.order import Order
from ..domain.steps import Step
from ..errors import AmbiguousOutcomeError, PermanentError, RetryableError, StepError, WaitingError
from ..faults import crash_point
from ..optima.port import DocumentRef
from ..shipping.catalogue import carrier_title
from ..shipping.port import PDF_LABEL, ZPL_LABEL, Carrier, ShipmentRequest
from ..store.documents import INVOICE_PDF, LABEL_PDF, LABEL_ZPL
from ..store.models import JobRow, OrderRow, utcnow
from ..woo.settings import INVOICED, PACKED
from .parcel_weight import parcel_weight
from .services import EngineServices, ShippingRule
from .stock_check import check_goods

#: the order meta the write-back keeps the tracking and FA numbers under
TRACKING_META = "_linkoptima_tracking"
INVOICE_META = "_linkoptima_invoice"
#: shop statuses of an order not shipped yet: the "invoiced" status replaces only these
BEFORE_SHIPPING = ("pending", "processing", "on-hold")


@dataclass
class StepOutcome:
    message: str
    order_fields: dict[str, Any] = field(default_factory=dict)
    result: dict[str, Any] = field(default_factory=dict)
    #: documents to keep in the store with the outcome: kind -> (name, bytes)
    documents: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    #: a refund step's fields of its ``RefundRow``, committed with the outcome
    refund_fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StepInput:
    job_id: int
    phase: str
    row: OrderRow  # detached snapshot
    order: Order
    identity: str = ""  # the job's identity key (a refund step's names its refund)


def invoice_ref(row: OrderRow) -> DocumentRef:
    if not row.fa_id:
        raise PermanentError("Brak faktury dla tego zamówienia.", code="missing_fa")
    return DocumentRef(row.fa_id, row.fa_number)


def run_fa(svc: EngineServices, inp: StepInput) -> StepOutcome:
    if svc.optima_reader.find_invoice(inp.order.number) is None:  # (a retry after a crash: booked already)
        check_goods(svc, inp.order, inp.row.id)
    contractor = svc.optima_writer.ensure_contractor(inp.order.buyer)
    svc.fence.check_local()
    doc = svc.optima_writer.create_invoice(inp.order, contractor)
    return StepOutcome(f"Faktura {doc.number}",
                       {"fa_id": doc.id, "fa_number": doc.number, "item_eans": _item_eans(svc, inp.order)},
                       {"id": doc.id, "number": doc.number, "kontrahent": contractor.code})


def _item_eans(svc: EngineServices, order: Order) -> dict[str, str]:
    """EANs of the goods from Optima's item cards, for the packing station's scanner."""
    eans = {}
    for line in order.lines:
        if not line.is_service and line.sku not in eans:
            item = svc.optima_reader.item_by_code(line.sku)
            if item is not None and item.ean:
                eans[line.sku] = item.ean
    return eans


def run_wz(svc: EngineServices, inp: StepInput) -> StepOutcome:
    doc = svc.optima_writer.create_wz_from_invoice(invoice_ref(inp.row))
    return StepOutcome(f"WZ {doc.number}", {"wz_number": doc.number}, {"id": doc.id, "number": doc.number})


def run_kp(svc: EngineServices, inp: StepInput) -> StepOutcome:
    doc = svc.optima_writer.settle_payment(invoice_ref(inp.row), inp.order)
    return StepOutcome(f"Rozliczono, {doc.number}", {"kp_number": doc.number}, {"id": doc.id, "number": doc.number})


def set_phase(svc: EngineServices, job_id: int, phase: str) -> None:
    with svc.sessions.begin() as session:
        session.execute(update(JobRow).where(JobRow.id == job_id).values(phase=phase))


def run_email(svc: EngineServices, inp: StepInput) -> StepOutcome:
    """Render the invoice from the books and send it once.

    The phase "sending" is committed before the message goes out; finding it set on a later
    attempt means a crash happened mid-send, and resending could deliver it twice, so a person
    decides instead (``AmbiguousOutcomeError``).
    """
    if inp.phase == "sending":
        raise AmbiguousOutcomeError(
            "Wysyłka e-maila została przerwana: nie wiadomo, czy klient go dostał. Sprawdź i zdecyduj.",
            code="email_unknown",
        )
    if not inp.order.buyer.email:
        raise PermanentError("Zamówienie nie ma adresu e-mail nabywcy.", code="email_refused")
    invoice = svc.optima_reader.read_invoice(invoice_ref(inp.row).id)
    if invoice.buyer.nip and not invoice.ksef_number and svc.email.ksef_wait_seconds > 0:
        _wait_for_ksef(svc, inp, invoice.number)
    pdf = render_invoice_pdf(invoice, logo=svc.email.invoice_logo)
    folder = svc.documents_dir / "faktury"
    folder.mkdir(parents=True, exist_ok=True)
    pdf_path = folder / (invoice.number.replace("/", "_") + ".pdf")
    tmp = pdf_path.with_suffix(".tmp")
    tmp.write_bytes(pdf)
    tmp.replace(pdf_path)
    message = build_invoice_email(
        invoice, pdf, sender=svc.email.sender, reply_to=svc.email.reply_to,
        shop_name=svc.email.shop_name, template_dir=svc.email.template_dir,
    )
    set_phase(svc, inp.job_id, "sending")
    svc.fence.check_local()
    crash_point("email:sending")
    try:
        svc.mailer.send(message)
    except RetryableError:
        set_phase(svc, inp.job_id, "")  # nothing was accepted: safe to try again later
        raise
    except PermanentError:
        set_phase(svc, inp.job_id, "")
        raise
    return StepOutcome(f"Wysłano fakturę na {inp.order.buyer.email}", {"invoice_pdf": str(pdf_path)},
                       {"to": inp.order.buyer.email, "message_id": message["Message-ID"]},
                       {INVOICE_PDF: (pdf_path.name, pdf)})


def _wait_for_ksef(svc: EngineServices, inp: StepInput, invoice_number: str) -> None:
    """A company's invoice goes out with its KSeF number: wait for Optima's sending, up to the
    configured longest wait (counted from the booking of the FA), then hand it to a person."""
    with svc.sessions() as session:
        booked = session.scalar(select(JobRow.finished_at).where(JobRow.order_id == inp.row.id,
                                                                 JobRow.step == Step.FA.value))
    waited = (utcnow() - booked).total_seconds() if booked else 0.0
    limit = svc.email.ksef_wait_seconds
    if waited >= limit:
        raise PermanentError(
            f"Faktura {invoice_number} nadal nie ma numeru KSeF po {limit / 60:.0f} min: sprawdź wysyłkę do "
            "KSeF w Optimie (zakładka KSeF faktury), potem ponów albo wyślij e-mail bez numeru.",
            code="ksef_missing", details={"invoice": invoice_number, "waited_seconds": round(waited)},
        )
    raise WaitingError(f"Faktura {invoice_number} czeka na numer KSeF z Optimy.", code="ksef_pending",
                       retry_after=min(svc.email.ksef_poll_seconds, max(0.5, limit - waited)))


def _label_key(svc: EngineServices, inp: StepInput) -> str:
    """The idempotency key of this label's create, committed before the call (reference §3): a
    retry after a timeout or a crash sends the same key, so a carrier that honours keys returns
    the first parcel; a label canceled since (the phase reset) gets a new one."""
    if inp.phase.startswith("key:"):
        return inp.phase[4:]
    key = uuid.uuid4().hex[:24]  # 96 random bits; "key:" + it fits the job's 32-character phase
    set_phase(svc, inp.job_id, "key:" + key)
    return key


def _shipment_request(svc: EngineServices, inp: StepInput, rule: ShippingRule) -> ShipmentRequest:
    order = inp.order
    return ShipmentRequest(
        reference=order.number,
        service=rule.service,
        receiver_name=order.shipping.recipient or order.buyer.person_name,
        receiver_company=order.buyer.company,
        email=order.buyer.email,
        phone=order.shipping.phone or order.buyer.phone,
        address=order.shipping.address,
        locker_id=order.shipping.locker_id if rule.service.startswith("locker") else "",
        cod_amount=order.cod_amount,
        parcel_size=rule.parcel_size,
        weight_kg=parcel_weight(svc.weighing, svc.shop, svc.optima_reader, inp.row.payload or {}),
        carrier_service=rule.carrier_service,
    )


@contextmanager
def _at(carrier: Carrier) -> Iterator[None]:
    """A failure at the carrier names it (the exceptions screen shows who refused)."""
    try:
        yield
    except StepError as exc:
        exc.details.setdefault("carrier", carrier.name)
        raise


def run_label(svc: EngineServices, inp: StepInput) -> StepOutcome:
    """Buy the order's label at the carrier its shipping method maps to, once.

    The shipment is looked up by the order's reference before any create, so a retry after a
    crash or an ``OutcomeUnknownError`` (a create that timed out) never buys a second parcel."""
    order = inp.order
    rule = svc.shipping_rule(order.shipping.method_id, bool(order.shipping.locker_id))
    carrier = svc.carrier_named(inp.row.carrier or rule.carrier)
    with _at(carrier):
        return _buy_label(svc, inp, rule, carrier)


def _buy_label(svc: EngineServices, inp: StepInput, rule: ShippingRule, carrier: Carrier) -> StepOutcome:
    order = inp.order
    shipment = carrier.find_by_reference(order.number)
    if shipment is None:
        key = _label_key(svc, inp)
        svc.fence.check_local()
        crash_point("label:creating")
        shipment = carrier.create_shipment(_shipment_request(svc, inp, rule), key)
        crash_point("label:created")
    folder = svc.documents_dir / "etykiety"
    folder.mkdir(parents=True, exist_ok=True)
    paths, documents = {}, {}
    for spec, kind in ((PDF_LABEL, LABEL_PDF), (ZPL_LABEL, LABEL_ZPL)):
        path = folder / f"{order.number}-{shipment.tracking_number}.{spec.fmt}"
        content = carrier.fetch_label(shipment, spec)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(content)
        tmp.replace(path)
        paths[spec.fmt] = str(path)
        documents[kind] = (path.name, content)
    return StepOutcome(
        f"Etykieta {carrier.name} {shipment.tracking_number}",
        {"tracking_number": shipment.tracking_number, "carrier": carrier.name,
         "label_pdf": paths["pdf"], "label_zpl": paths["zpl"]},
        {"shipment_id": shipment.shipment_id, "tracking": shipment.tracking_number},
        documents,
    )


def run_label_cancel(svc: EngineServices, inp: StepInput) -> StepOutcome:
    """Cancel the order's label with the carrier that sold it (a person asked: the order stopped
    after its label was bought). The label step then waits to buy a new one once the order goes
    on. The order's carrier is forgotten, so the new label follows the map as it is then."""
    rule = svc.shipping_rule(inp.order.shipping.method_id, bool(inp.order.shipping.locker_id))
    carrier = svc.carrier_named(inp.row.carrier or rule.carrier)
    forgotten = {"tracking_number": "", "label_pdf": "", "label_zpl": "", "carrier": ""}
    with _at(carrier):
        shipment = carrier.find_by_reference(inp.order.number)
        if shipment is None:
            return StepOutcome(f"Przesyłki zamówienia {inp.order.number} nie ma już u przewoźnika", forgotten)
        svc.fence.check_local()
        carrier.cancel_shipment(shipment)
    said = {"shipment_id": shipment.shipment_id, "tracking": shipment.tracking_number, "carrier": carrier.name}
    if not carrier.capabilities().cancel:  # (DPD: no cancel call; the number is voided, never handed over)
        return StepOutcome(f"Unieważniono numer {shipment.tracking_number} ({carrier_title(carrier.name)} nie "
                           "anuluje przesyłek przez API): nie przekazuj tej etykiety kurierowi", forgotten, said)
    return StepOutcome(f"Anulowano przesyłkę {shipment.tracking_number} u przewoźnika "
                       f"{carrier_title(carrier.name)}", forgotten, said)


def run_shop(svc: EngineServices, inp: StepInput) -> StepOutcome:
    """Tell the shop: a private note with the FA and tracking number, the tracking number as
    meta, the status the map gives "packed" (none: the status stays). Re-reads first, so a
    retried write is never doubled."""
    row, shop_id = inp.row, inp.order.shop_order_id
    marker = f"[LinkOptima] Spakowano. Faktura {row.fa_number}, przesyłka {row.tracking_number}"
    if not any(marker in str(n.get("note", "")) for n in svc.shop.order_notes(shop_id)):
        svc.fence.check_local()
        svc.shop.add_order_note(shop_id, marker)
        crash_point("shop:noted")
    current = svc.shop.get_order(shop_id)
    target = svc.shop_settings.status_for(PACKED)
    meta = {m.get("key"): m.get("value") for m in current.get("meta_data", [])}
    if (target and current.get("status") != target) or meta.get(TRACKING_META) != row.tracking_number:
        _update_order(svc, shop_id, target, [
            {"key": TRACKING_META, "value": row.tracking_number},
            {"key": INVOICE_META, "value": row.fa_number},
        ])
    status = target or str(current.get("status") or "")
    return StepOutcome(f"Sklep: status {status}, przesyłka {row.tracking_number}")


def run_shop_fa(svc: EngineServices, inp: StepInput) -> StepOutcome:
    """The status the map gives "invoiced", with the FA number as meta, once the FA is booked.

    Only an order the shop still shows as before shipping is moved: a retry that comes late (the
    shop was down) must not take back an order packing has completed, or one cancelled meanwhile.
    Reading first also keeps a retried write from being sent twice."""
    row, shop_id = inp.row, inp.order.shop_order_id
    target = svc.shop_settings.status_for(INVOICED)
    current = svc.shop.get_order(shop_id)
    status = str(current.get("status") or "")
    if not target or status == target:
        return StepOutcome(f"Sklep: status {status}")
    if status not in BEFORE_SHIPPING or row.packed_at is not None:
        return StepOutcome(f"Sklep: status {status} bez zmian (zamówienie jest już dalej niż faktura)")
    _update_order(svc, shop_id, target, [{"key": INVOICE_META, "value": row.fa_number}])
    return StepOutcome(f"Sklep: status {target}, faktura {row.fa_number}")


def _update_order(svc: EngineServices, shop_id: int, status: str, meta: list[dict[str, str]]) -> None:
    """Write the status ("" = leave it) and meta; a status the shop refuses is named."""
    svc.fence.check_local()
    try:
        svc.shop.update_order(shop_id, {**({"status": status} if status else {}), "meta_data": meta})
    except PermanentError as exc:
        if not status:
            raise
        raise PermanentError(
            f"Sklep nie przyjął statusu „{status}” ({exc.reason}). Popraw status w ustawieniach "
            "(Pola, statusy, ceny) albo dodaj go w sklepie.", code=exc.code, details=exc.details) from exc


RUNNERS: dict[Step, Callable[[EngineServices, StepInput], StepOutcome]] = {
    Step.FA: run_fa,
    Step.WZ: run_wz,
    Step.KP: run_kp,
    Step.EMAIL: run_email,
    Step.LABEL: run_label,
    Step.SHOP: run_shop,
    Step.SHOP_FA: run_shop_fa,
    Step.LABEL_CANCEL: run_label_cancel,
}
