"""Carrier port: create a shipment for an order, idempotent by reference (the order number),
fetch its label as PDF or ZPL, and cancel it while the carrier still allows (a label bought for
an order that then stopped)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Protocol

from ..domain.order import Address

LabelFormat = Literal["pdf", "zpl"]


@dataclass(frozen=True)
class ShipmentRequest:
    reference: str  # shop order number: the idempotency key at the carrier
    service: str  # e.g. "locker_standard", "courier_standard"
    receiver_name: str
    receiver_company: str
    email: str
    phone: str
    address: Address
    locker_id: str = ""
    cod_amount: Decimal = Decimal("0")
    parcel_size: str = "small"
    weight_kg: Decimal = Decimal("1")


@dataclass(frozen=True)
class Shipment:
    shipment_id: str
    reference: str
    tracking_number: str
    status: str  # created / confirmed ...


class Carrier(Protocol):
    name: str

    def find_by_reference(self, reference: str) -> Shipment | None: ...

    def create_shipment(self, request: ShipmentRequest) -> Shipment: ...

    def fetch_label(self, shipment: Shipment, fmt: LabelFormat) -> bytes: ...

    def cancel_shipment(self, shipment: Shipment) -> None:
        """Cancel the shipment (a canceled one no longer counts as the order's: the next create
        buys a new one). ``PermanentError`` with the carrier's reason when it is too late."""
