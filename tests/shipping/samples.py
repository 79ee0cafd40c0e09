"""Sample sender and shipment requests with Polish texts, shared by the shipping and printing tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from linkoptima_gui.core.domain.order import Address
from linkoptima_gui.core.shipping.builtin import SenderInfo
from linkoptima_gui.core.shipping.port import ShipmentRequest

SENDER = SenderInfo(
    name="Sklep Żółwik Sp. z o.o.",
    address=Address(street="ul. Świętokrzyska 12/4", city="Łódź", postcode="90-001"),
    phone="+48 42 123 45 67",
    email="sklep@zolwik.pl",
)


def make_request(**overrides: Any) -> ShipmentRequest:
    """A courier parcel with cash on delivery; override any field."""
    fields: dict[str, Any] = {
        "reference": "1001",
        "service": "courier_standard",
        "receiver_name": "Grzegorz Brzęczyszczykiewicz",
        "receiver_company": "Pszczółka Sp. z o.o.",
        "email": "grzegorz@example.pl",
        "phone": "+48 600 700 800",
        "address": Address(street="ul. Źródlana 5 m. 7", city="Gdańsk", postcode="80-210"),
        "cod_amount": Decimal("1234.50"),
        "parcel_size": "medium",
        "weight_kg": Decimal("2.5"),
    }
    fields.update(overrides)
    return ShipmentRequest(**fields)


def make_locker_request(**overrides: Any) -> ShipmentRequest:
    """A prepaid parcel-locker parcel (no address, no COD)."""
    fields: dict[str, Any] = {
        "reference": "1002",
        "service": "locker_standard",
        "receiver_name": "Łucja Ćwik",
        "receiver_company": "",
        "address": Address(),
        "locker_id": "KRA010",
        "cod_amount": Decimal("0"),
        "parcel_size": "small",
        "weight_kg": Decimal("1"),
    }
    fields.update(overrides)
    return make_request(**fields)
