"""The one carrier port every carrier implements: InPost ShipX, the built-in carrier, Furgonetka
and DPD Polska.

Why it looks like this (reference ``carriers.md`` §6):

- ``create_shipment`` takes an idempotency key chosen and recorded by us before the call. A
  carrier that honours one (Furgonetka's command UUIDs) makes a retry safe by construction; for
  the others the adapter looks the order up by its reference before buying.
- A create whose answer was lost (a timeout) raises ``OutcomeUnknownError``: the parcel may or may
  not exist. It is retryable, and the retry always looks the shipment up by the order's reference
  first, so no parcel is ever bought twice.
- A label is asked for by kind (``LabelSpec``: PDF 100x150 / A6 / A4, ZPL 203 / 300 dpi) and
  the carrier renders it natively: ZPL is never converted from a PDF.
- Money crosses the port in grosze (``cod_grosze``): no float ever reaches a carrier payload.
- Tracking, pickup points, pickup booking and the handover protocol are part of the port; a
  carrier that lacks one says so in ``capabilities()`` and raises ``NotSupportedError``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, Protocol, runtime_checkable

from ..domain.order import Address
from ..errors import PermanentError, RetryableError

LabelFormat = Literal["pdf", "zpl"]
LabelPage = Literal["100x150", "a6", "a4"]


@dataclass(frozen=True)
class LabelSpec:
    """A label as the printer wants it: PDF on a page size, or ZPL at the printer's density."""

    fmt: LabelFormat = "pdf"
    page: LabelPage = "100x150"
    dpi: int = 203

    def __post_init__(self) -> None:
        if self.fmt not in ("pdf", "zpl"):
            raise ValueError(f"unknown label format {self.fmt!r}; expected 'pdf' or 'zpl'")
        if self.fmt == "pdf" and self.page not in ("100x150", "a6", "a4"):
            raise ValueError(f"unknown label page {self.page!r}")
        if self.fmt == "zpl" and self.dpi not in (203, 300):
            raise ValueError(f"ZPL labels come at 203 or 300 dpi, not {self.dpi}")


PDF_LABEL = LabelSpec("pdf", "100x150")
ZPL_LABEL = LabelSpec("zpl", "100x150", 203)


def as_spec(kind: LabelFormat | LabelSpec) -> LabelSpec:
    """The old call style ``fetch_label(shipment, "pdf")`` still works: it means the default."""
    if isinstance(kind, LabelSpec):
        return kind
    if kind not in ("pdf", "zpl"):
        raise ValueError(f"unknown label format {kind!r}; expected 'pdf' or 'zpl'")
    return PDF_LABEL if kind == "pdf" else ZPL_LABEL


def to_grosze(amount: Decimal) -> int:
    """Złote (Decimal) to grosze, rounded half-up like every amount in the books."""
    return int((Decimal(amount) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class ShipmentRequest:
    reference: str  # shop order number: what the carrier can find the shipment by
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
    #: the carrier's own service code when the shop's map names one (e.g. Furgonetka "dhl")
    carrier_service: str = ""
    #: parcel dimensions in cm (0: the carrier's default for ``parcel_size``)
    dimensions_cm: tuple[int, int, int] = (0, 0, 0)

    @property
    def cod_grosze(self) -> int:
        return to_grosze(self.cod_amount)


@dataclass(frozen=True)
class Shipment:
    shipment_id: str
    reference: str
    tracking_number: str
    status: str  # created / confirmed ...


@dataclass(frozen=True)
class Capabilities:
    """What a carrier can do, so screens and the engine offer only what works."""

    cod: bool = True
    points: bool = False
    cancel: bool = True
    track: bool = False
    pickup: bool = False
    handover_protocol: bool = False
    #: the carrier honours our idempotency key (a replayed create returns the first parcel)
    idempotent_create: bool = False
    #: the tracking number comes later than the create's answer (poll for it)
    async_numbering: bool = False
    labels: frozenset[LabelSpec] = frozenset({PDF_LABEL, ZPL_LABEL})


@dataclass(frozen=True)
class TrackEvent:
    at: str  # ISO 8601 as the carrier gave it
    code: str  # the carrier's own status code
    text: str  # its description, for people


@dataclass(frozen=True)
class PickupPoint:
    point_id: str
    network: str  # inpost, dpd, orlen, dhl, poczta ...
    name: str
    address: str
    cod: bool = False


@dataclass(frozen=True)
class PointQuery:
    postcode: str = ""
    city: str = ""
    networks: tuple[str, ...] = ()
    cod_only: bool = False
    limit: int = 20


@dataclass(frozen=True)
class PickupBooking:
    """A courier called for ``day`` (end of day), with the handover protocol if the carrier has one."""

    booking_id: str
    day: date
    tracking_numbers: tuple[str, ...]
    protocol_pdf: bytes = field(default=b"", repr=False)
    protocol_id: str = ""


class OutcomeUnknownError(RetryableError):
    """A create timed out: the parcel may exist at the carrier. The retry must look it up by the
    order's reference (or replay the same idempotency key) before buying anything."""

    code = "carrier_outcome_unknown"


class NotSupportedError(PermanentError):
    """The carrier's API has no such call (e.g. DPD has no cancel)."""

    code = "carrier_not_supported"


@runtime_checkable
class Carrier(Protocol):
    name: str

    def capabilities(self) -> Capabilities: ...

    def find_by_reference(self, reference: str) -> Shipment | None: ...

    def create_shipment(self, request: ShipmentRequest, idempotency_key: str = "") -> Shipment: ...

    def fetch_label(self, shipment: Shipment, kind: LabelFormat | LabelSpec) -> bytes: ...

    def cancel_shipment(self, shipment: Shipment) -> None:
        """Cancel the shipment (a canceled one no longer counts as the order's: the next create
        buys a new one). ``PermanentError`` with the carrier's reason when it is too late."""

    def track(self, shipment: Shipment) -> list[TrackEvent]: ...

    def points(self, query: PointQuery) -> list[PickupPoint]: ...

    def book_pickup(self, shipments: list[Shipment], day: date) -> PickupBooking: ...


class PortDefaults:
    """What a carrier without tracking, points or pickup answers (a mixin for adapters)."""

    name = "carrier"

    def track(self, shipment: Shipment) -> list[TrackEvent]:
        raise NotSupportedError(f"Przewoźnik {self.name} nie udostępnia śledzenia przesyłek.")

    def points(self, query: PointQuery) -> list[PickupPoint]:
        raise NotSupportedError(f"Przewoźnik {self.name} nie ma punktów odbioru.")

    def book_pickup(self, shipments: list[Shipment], day: date) -> PickupBooking:
        raise NotSupportedError(f"Przewoźnik {self.name} nie przyjmuje zamówień kuriera przez API.")
