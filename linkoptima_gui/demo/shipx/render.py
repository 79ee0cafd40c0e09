"""Shipments, collections and the organization in ShipX's JSON form.

The attribute names are ShipX's (``tracking_number`` null until confirmed, ``cod`` and
``insurance`` as ``{"amount", "currency"}``, parcels with ``template``/``dimensions``/``weight``,
``href`` links); collections are ``{"href", "count", "page", "per_page", "items"}`` as in the
API's "Query collections" page. ``rate`` is null because the demo account behaves as a debit
(contract) customer, for whom ShipX returns no prices. The offer object is reduced to what a
simplified-mode client may look at [I].
"""

from __future__ import annotations

from typing import Any

from .common import LABEL_STATUSES, SERVICE_NAMES, STATUS_CREATED, TEMPLATES, is_locker
from .store import ShipmentRow


def _offer(row: ShipmentRow) -> dict[str, Any]:
    service = row.doc["service"]
    bought = row.status in LABEL_STATUSES
    return {
        "id": row.id + 7_000_000,
        "carrier": {"id": "inpost_locker" if is_locker(service) else "inpost_courier"},
        "service": {"id": service, "name": SERVICE_NAMES.get(service, service)},
        "status": "bought" if bought else "selected",
        "rate": None,
        "currency": "PLN",
        "additional_services": row.doc["additional_services"],
        "unavailability_reasons": None,
    }


def _parcel(row: ShipmentRow, index: int, parcel: dict[str, Any]) -> dict[str, Any]:
    dimensions = parcel.get("dimensions")
    template = parcel.get("template")
    if dimensions is None and template in TEMPLATES:
        height, width, length = TEMPLATES[template]
        dimensions = {"length": length, "width": width, "height": height, "unit": "mm"}
    return {
        "id": row.id * 1000 + index + 1,
        "identify_number": parcel.get("id"),
        "tracking_number": row.tracking_number,
        "is_non_standard": False,
        "template": template,
        "dimensions": dimensions,
        "weight": parcel.get("weight"),
    }


def shipment(row: ShipmentRow, base_url: str) -> dict[str, Any]:
    doc = row.doc
    offers = [] if row.status == STATUS_CREATED else [_offer(row)]
    return {
        "href": f"{base_url}/v1/shipments/{row.id}",
        "id": row.id,
        "status": row.status,
        "tracking_number": row.tracking_number,
        "return_tracking_number": None,
        "service": doc["service"],
        "reference": doc["reference"],
        "is_return": doc["is_return"],
        "sending_method": doc["custom_attributes"].get("sending_method"),
        "comments": doc["comments"],
        "additional_services": doc["additional_services"],
        "custom_attributes": doc["custom_attributes"],
        "cod": doc["cod"],
        "insurance": doc["insurance"],
        "sender": doc["sender"],
        "receiver": doc["receiver"],
        "selected_offer": offers[0] if row.status in LABEL_STATUSES else None,
        "offers": offers,
        "transactions": [],
        "parcels": [_parcel(row, i, p) for i, p in enumerate(doc["parcels"])],
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def collection(
    href: str, items: list[dict[str, Any]], total: int, page: int, per_page: int
) -> dict[str, Any]:
    return {"href": href, "count": total, "page": page, "per_page": per_page, "items": items}


def organization(organization_id: int, data: dict[str, Any], base_url: str) -> dict[str, Any]:
    return {
        "href": f"{base_url}/v1/organizations/{organization_id}",
        "id": organization_id,
        "name": data.get("name", ""),
        "status": "active",
        "address": data.get("address", {}),
        "email": data.get("email"),
        "phone": data.get("phone"),
        "services": sorted(SERVICE_NAMES),
    }
