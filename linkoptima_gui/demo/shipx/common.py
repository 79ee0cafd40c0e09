"""Shared pieces of the ShipX emulator: the error body, services, parcel templates, statuses.

Facts from InPost's "API ShipX" documentation pages: every failure is ``{"status", "error",
"message", "details"}`` where ``error`` is a stable key and ``message`` is for people only; a
validation failure is 400 ``validation_failed`` whose ``details`` name each wrong attribute with
a list of error keys (``required``, ``invalid``...).
Where the docs stop, the emulator's choice is marked [I] (our inference), so nobody mistakes it
for InPost's documented behaviour.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from ..carrier_http import Reply

#: Simplified-mode lifecycle up to the point where a label exists.
STATUS_CREATED = "created"
STATUS_OFFERS_PREPARED = "offers_prepared"
STATUS_CONFIRMED = "confirmed"
#: Statuses from which a label may be downloaded ("confirmed or later"); the emulator stops at
#: ``confirmed``, the later ones are listed so a test may set them by hand.
LABEL_STATUSES = frozenset(
    {
        STATUS_CONFIRMED,
        "dispatched_by_sender",
        "collected_from_sender",
        "taken_by_courier",
        "adopted_at_source_branch",
        "sent_from_source_branch",
        "adopted_at_sorting_center",
        "out_for_delivery",
        "ready_to_pickup",
        "delivered",
    }
)

LOCKER_STANDARD = "inpost_locker_standard"
LOCKER_SERVICE_POINT = "inpost_locker_customer_service_point"  # what a POP target turns into
COURIER_SERVICES = frozenset(
    {
        "inpost_courier_standard",
        "inpost_courier_express_1000",
        "inpost_courier_express_1200",
        "inpost_courier_express_1700",
    }
)
SERVICES = frozenset({LOCKER_STANDARD, *COURIER_SERVICES})

#: How the sender hands the parcel over, per service (InPost "Sending method" page).
SENDING_METHODS = {
    LOCKER_STANDARD: frozenset({"parcel_locker", "dispatch_order", "pop"}),
    **{service: frozenset({"dispatch_order", "pop"}) for service in COURIER_SERVICES},
}

#: Locker templates: height x width x length in mm; all up to 25 kg.
TEMPLATES = {
    "small": (80, 380, 640),
    "medium": (190, 380, 640),
    "large": (410, 380, 640),
}
TEMPLATE_LETTERS = {"small": "A", "medium": "B", "large": "C"}
MAX_WEIGHT_KG = Decimal("25")
#: [I] the cash-on-delivery ceiling InPost advertises for parcels; not in the API pages.
MAX_COD = Decimal("5000")

SERVICE_NAMES = {
    LOCKER_STANDARD: "InPost Paczkomat 24/7",
    LOCKER_SERVICE_POINT: "InPost PaczkoPunkt",
    "inpost_courier_standard": "InPost Kurier standard",
    "inpost_courier_express_1000": "InPost Kurier ekspres 10:00",
    "inpost_courier_express_1200": "InPost Kurier ekspres 12:00",
    "inpost_courier_express_1700": "InPost Kurier ekspres 17:00",
}


def is_locker(service: str) -> bool:
    return service.startswith("inpost_locker")


class ShipXError(Exception):
    """A ShipX-shaped failure; raising it anywhere below the HTTP layer keeps the body in one place."""

    def __init__(self, status: int, error: str, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.details = details if details is not None else {}

    def body(self) -> dict[str, Any]:
        return {"status": self.status, "error": self.error, "message": self.message, "details": self.details}


def validation_failed(details: dict[str, Any]) -> ShipXError:
    return ShipXError(
        400,
        "validation_failed",
        "Data sent by POST or PUT request are not valid. Check details for more info",
        details,
    )


def not_found() -> ShipXError:
    return ShipXError(404, "resource_not_found", "Resource you are looking for are not found")


#: one answer: a JSON body, or raw bytes (a label) with their content type (the carrier emulators'
#: shared reply, ``demo/carrier_http.py``)
Response = Reply


def utc_now() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """A clock may give naive UTC (as the shop emulator's does); make it explicit."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def iso(moment: datetime) -> str:
    """ShipX dates carry an offset and milliseconds, e.g. ``2026-11-03T10:15:30.123+00:00``."""
    return aware(moment).isoformat(timespec="milliseconds")


def json_default(value: Any) -> Any:
    """Decimals (money, weights) go out as JSON numbers, as ShipX sends them."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
