"""``GET /v1/shipments/{id}/label``: real label bytes, drawn by the project's own renderers.

Documented [C]: ``format`` is ``Pdf`` (default), ``Zpl`` or ``Epl``; ``type`` is ``normal``
(default), ``A6`` or ``dpi300`` (ZPL and locker services only); courier services have no
``normal`` and always get A6; a label exists only from ``confirmed`` on, before that the answer
is the ``invalid_action`` error. The emulator's departures [I]: every PDF is the 100x150 mm page
of ``label_pdf`` (a real ``normal`` locker label is an A4 sheet), EPL is answered with
``label_generation_failed``, and a multi-parcel shipment gets one label naming the parcel count
instead of one label per parcel. Format and type values are taken in any letter case.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ...core.domain.money import format_pln
from ...core.shipping.label_content import LabelContent
from ...core.shipping.label_pdf import render_label_pdf
from ...core.shipping.label_zpl import render_label_zpl
from .common import LABEL_STATUSES, SERVICE_NAMES, TEMPLATE_LETTERS, Response, ShipXError, is_locker
from .store import ShipmentRow
from .validation import Problems

FORMATS = ("pdf", "zpl", "epl")
TYPES = ("normal", "a6", "dpi300")


def _person(party: dict[str, Any]) -> str:
    full = " ".join(p for p in (party.get("first_name"), party.get("last_name")) if p)
    return full or party.get("name") or party.get("company_name") or ""


def _address_lines(address: dict[str, Any]) -> list[str]:
    street = " ".join(p for p in (address.get("street"), address.get("building_number")) if p)
    city = " ".join(p for p in (address.get("post_code"), address.get("city")) if p)
    return [line for line in (street or address.get("line1", ""), city or address.get("line2", "")) if line]


def _parcel_text(parcels: list[dict[str, Any]]) -> str:
    if len(parcels) > 1:
        return f"{len(parcels)} paczki"
    parcel = parcels[0]
    template = parcel.get("template")
    if template in TEMPLATE_LETTERS and not parcel.get("dimensions"):
        return f"{TEMPLATE_LETTERS[template]} ({template})"
    dims = parcel.get("dimensions") or {}
    sides = "x".join(str(int(dims[k])) for k in ("length", "width", "height") if k in dims)
    return f"{sides} mm" if sides else str(template or "")


def _weight_text(parcels: list[dict[str, Any]]) -> str:
    amounts = [Decimal(str(p["weight"]["amount"])) for p in parcels if p.get("weight")]
    if not amounts:
        return "do 25 kg"
    return f"{sum(amounts):.2f}".replace(".", ",") + " kg"


def label_content(row: ShipmentRow) -> LabelContent:
    """Word the label from the stored shipment, the way the built-in carrier words its own."""
    doc = row.doc
    sender, receiver = doc["sender"] or {}, doc["receiver"]
    sender_lines = [
        sender.get("company_name") or _person(sender),
        *_address_lines(sender.get("address") or {}),
    ]
    contact = "  ".join(
        p for p in (f"tel. {sender['phone']}" if sender.get("phone") else "", sender.get("email")) if p
    )
    name = _person(receiver)
    lines = []
    company = receiver.get("company_name") or ""
    if company and company != name:
        lines.append(company)
    point = doc["custom_attributes"].get("target_point", "") if is_locker(doc["service"]) else ""
    if point:
        lines.append(f"PaczkoPunkt {point}" if point.startswith("POP-") else f"Paczkomat {point}")
    else:
        lines += _address_lines(receiver.get("address") or {})
    cod = doc["cod"].get("amount")
    return LabelContent(
        tracking_number=row.tracking_number or "",
        reference=doc["reference"] or "",
        service=SERVICE_NAMES.get(doc["service"], doc["service"]),
        created=row.created_at[:10],
        sender_lines=tuple(s for s in (*sender_lines, contact) if s),
        receiver_name=name or company,
        receiver_lines=tuple(lines),
        locker_id=point,
        phone=receiver.get("phone", ""),
        parcel=_parcel_text(doc["parcels"]),
        weight=_weight_text(doc["parcels"]),
        cod_text=f"POBRANIE: {format_pln(Decimal(str(cod)))}" if cod else "",
    )


def label(row: ShipmentRow, params: dict[str, str]) -> Response:
    fmt = params.get("format", "Pdf").lower()
    kind = params.get("type", "normal").lower()
    problems = Problems()
    if fmt not in FORMATS:
        problems.add(("format",), "invalid")
    if kind not in TYPES or (kind == "dpi300" and (fmt != "zpl" or not is_locker(row.doc["service"]))):
        problems.add(("type",), "invalid")
    if problems:
        raise ShipXError(400, "validation_failed", "Label parameters are not valid.", problems.details())
    if row.status not in LABEL_STATUSES:
        raise ShipXError(
            400, "invalid_action", f"Label is available once the shipment is bought; status is {row.status}."
        )
    if fmt == "epl":
        raise ShipXError(400, "label_generation_failed", "EPL labels are not produced by this emulator.")
    content = label_content(row)
    data = render_label_pdf(content) if fmt == "pdf" else render_label_zpl(content)
    filename = f"{row.tracking_number}.{fmt}"
    return Response(
        200,
        data,
        {"Content-Disposition": f'attachment; filename="{filename}"'},
        content_type="application/pdf" if fmt == "pdf" else "application/octet-stream",
    )
