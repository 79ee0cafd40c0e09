"""An order's shipment as ShipX's simplified mode wants it: service, receiver, one parcel, the
target parcel locker, and cash on delivery with insurance for at least the amount collected.

A pure mapping from the carrier port's ``ShipmentRequest``: no HTTP here, so every rule of the
body can be tested on its own. A service the settings do not map to an InPost one refuses the
order here, before anything is bought.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ...domain.money import round_grosz
from ...domain.order import Address
from ...errors import PermanentError
from ..port import ShipmentRequest
from .address import normalize_phone, normalize_post_code, split_street
from .settings import InPostSettings

#: Courier parcels send dimensions instead of a template: the templates' sizes, in mm (H, W, L).
PARCEL_DIMENSIONS = {
    "small": (80, 380, 640),
    "medium": (190, 380, 640),
    "large": (410, 380, 640),
    "xlarge": (500, 500, 800),
}


def shipx_reference(reference: str) -> str:
    """ShipX wants 3 to 100 characters; a short order number is padded with '#' (``7`` -> ``##7``)."""
    return reference.strip().rjust(3, "#")


def _address(address: Address) -> dict[str, str]:
    street, number = split_street(address.street)
    return {
        "street": street,
        "building_number": number,
        "city": address.city.strip(),
        "post_code": normalize_post_code(address.postcode),
        "country_code": (address.country or "PL").upper(),
    }


def _amount(value: Decimal) -> float:
    """JSON has no decimal type; a grosz-rounded amount survives the float's shortest repr exactly."""
    return float(round_grosz(value))


def shipment_payload(request: ShipmentRequest, settings: InPostSettings) -> dict[str, Any]:
    """The simplified-mode body for one order: service, receiver, one parcel, point, COD."""
    service = settings.services.get(request.service)
    if not service:
        raise PermanentError(
            f"Zamówienie {request.reference}: usługa {request.service!r} nie ma odpowiednika w InPost "
            "(ustawienia przewoźnika, mapowanie usług).",
            code="carrier_refused",
            details={"reference": request.reference, "service": request.service},
        )
    locker = service.startswith("inpost_locker")
    name = request.receiver_name.strip()
    first, _, last = name.partition(" ")
    receiver: dict[str, Any] = {
        "name": name or request.receiver_company.strip(),
        "first_name": first,
        "last_name": last.strip(),
        "email": request.email.strip(),
        "phone": normalize_phone(request.phone),
    }
    if request.receiver_company.strip():
        receiver["company_name"] = request.receiver_company.strip()
    if not locker or request.address.street.strip():
        receiver["address"] = _address(request.address)
    weight = {"amount": _amount(request.weight_kg), "unit": "kg"}
    if locker:
        parcel: dict[str, Any] = {"template": request.parcel_size, "weight": weight}
    else:
        height, width, length = PARCEL_DIMENSIONS.get(request.parcel_size, PARCEL_DIMENSIONS["small"])
        parcel = {
            "dimensions": {"length": length, "width": width, "height": height, "unit": "mm"},
            "weight": weight,
        }
    custom: dict[str, str] = {"sending_method": settings.sending_method} if settings.sending_method else {}
    if locker:
        custom["target_point"] = request.locker_id.strip().upper()
    payload: dict[str, Any] = {
        "service": service,
        "reference": shipx_reference(request.reference),
        "receiver": receiver,
        "parcels": [parcel],
        "custom_attributes": custom,
    }
    if request.cod_amount > 0:  # insured for at least what the courier collects
        payload["cod"] = {"amount": _amount(request.cod_amount), "currency": "PLN"}
        payload["insurance"] = {"amount": _amount(request.cod_amount), "currency": "PLN"}
    return payload
