"""InPost ShipX: the carrier port over ShipX's REST API (simplified mode: ``service`` is given).

Why it looks like this (facts in ``reference/shipping_invoicing.md`` section 1.1):

- ShipX is asynchronous: ``POST .../shipments`` answers ``created`` before a tracking number or a
  label exists; both come with ``confirmed``. ``create_shipment`` therefore polls, but only for a
  bounded time (``poll_limit`` reads and ``max_wait`` seconds); a shipment still unconfirmed after
  that raises ``WaitingError`` (``carrier_pending``), so the engine asks again later instead of
  holding a worker. ``fetch_label`` needs a tracking number for the same reason.
- ShipX is not documented to refuse a second shipment with the same ``reference``, so
  idempotency is ours: look the order up by reference before every create, and never POST again
  after a POST whose answer was lost (a timeout is retryable; the retry finds the shipment by its
  reference). Only an exact ``reference`` match counts. [I] ``reference`` as a search criterion
  of ``GET .../shipments`` is to be checked on the sandbox: if the real API ignored it, the
  first page would not hold the order and a retry could buy twice.
- Failures become the project's errors: 401/403 ``carrier_auth`` and validation ``carrier_refused``
  (permanent, a person must fix the settings or the order, and the reason says which field), 429,
  5xx, timeouts and refused connections ``carrier_unreachable`` (retried).
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import requests

from ..domain.money import round_grosz
from ..domain.order import Address
from ..errors import PermanentError, RetryableError, StepError, WaitingError
from .port import LabelFormat, Shipment, ShipmentRequest

PRODUCTION_URL = "https://api-shipx-pl.easypack24.net"
SANDBOX_URL = "https://sandbox-api-shipx-pl.easypack24.net"

#: The port's services -> ShipX services; the settings may add or change entries.
DEFAULT_SERVICES = {
    "locker_standard": "inpost_locker_standard",
    "courier_standard": "inpost_courier_standard",
    "courier_express": "inpost_courier_express_1700",
}
#: Statuses from which ShipX gives a label ("confirmed or later").
LABEL_READY = frozenset(
    {
        "confirmed",
        "dispatched_by_sender",
        "collected_from_sender",
        "taken_by_courier",
        "adopted_at_source_branch",
        "sent_from_source_branch",
        "adopted_at_sorting_center",
        "out_for_delivery",
        "ready_to_pickup",
        "delivered",
        "pickup_time_expired",
        "avizo",
    }
)
CANCELED = "canceled"
#: Courier parcels send dimensions instead of a template: the templates' sizes, in mm (H, W, L).
PARCEL_DIMENSIONS = {
    "small": (80, 380, 640),
    "medium": (190, 380, 640),
    "large": (410, 380, 640),
    "xlarge": (500, 500, 800),
}

#: How ShipX's attribute paths and error keys read to the warehouse manager.
FIELD_NAMES = {
    "service": "usługa",
    "reference": "numer zamówienia (referencja)",
    "receiver": "odbiorca",
    "receiver.name": "nazwa odbiorcy",
    "receiver.first_name": "imię odbiorcy",
    "receiver.last_name": "nazwisko odbiorcy",
    "receiver.company_name": "firma odbiorcy",
    "receiver.email": "e-mail odbiorcy",
    "receiver.phone": "telefon odbiorcy",
    "receiver.address": "adres odbiorcy",
    "receiver.address.street": "ulica odbiorcy",
    "receiver.address.building_number": "numer domu odbiorcy",
    "receiver.address.city": "miejscowość odbiorcy",
    "receiver.address.post_code": "kod pocztowy odbiorcy",
    "receiver.address.country_code": "kraj odbiorcy",
    "custom_attributes.target_point": "paczkomat docelowy",
    "custom_attributes.sending_method": "sposób nadania",
    "parcels": "paczki",
    "parcels.template": "gabaryt paczki",
    "parcels.dimensions": "wymiary paczki",
    "parcels.weight": "waga paczki",
    "cod.amount": "kwota pobrania",
    "cod.currency": "waluta pobrania",
    "insurance.amount": "kwota ubezpieczenia",
    "format": "format etykiety",
    "type": "typ etykiety",
}
ERROR_WORDS = {
    "required": "brak wartości",
    "invalid": "nieprawidłowa wartość",
    "invalid_format": "zły format",
    "does_not_exist": "nie istnieje",
    "too_short": "za krótka wartość",
    "too_long": "za długa wartość",
    "too_heavy": "za ciężka (najwyżej 25 kg)",
    "too_big": "za duża",
    "too_many": "za dużo",
}

_NUMBER = r"\d+\s?[A-Za-z]?(?:\s*[-/]\s*\d+\s?[A-Za-z]?)?(?:\s*(?:m|lok|lokal|apt)\.?\s*\d+[A-Za-z]?)?"
_STREET = re.compile(rf"^(?P<street>.+?)[\s,]+(?P<number>{_NUMBER})$")


@dataclass(frozen=True)
class InPostSettings:
    """One ShipX account. The token is a secret (kept in the keyring) and never in ``repr``."""

    base_url: str = PRODUCTION_URL
    token: str = field(default="", repr=False)
    organization_id: str = ""
    timeout: float = 15.0  # seconds, for each HTTP call
    services: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SERVICES))
    sending_method: str = "dispatch_order"  # courier pickup: allowed for locker and courier services
    poll_interval: float = 1.0  # seconds between status reads while waiting for "confirmed"
    poll_limit: int = 15  # status reads at most, per call
    max_wait: float = 20.0  # seconds of waiting at most, per call
    pending_retry_after: float = 60.0  # when the engine should ask again about an unconfirmed one
    label_type: str = "A6"


def split_street(street: str) -> tuple[str, str]:
    """``"ul. Źródlana 5 m. 7"`` -> ``("ul. Źródlana", "5 m. 7")``: ShipX wants them apart.
    Without a trailing number the whole text is the street (ShipX will then ask for the number)."""
    text = " ".join(street.split())
    match = _STREET.match(text)
    return (match["street"].rstrip(","), match["number"]) if match else (text, "")


def normalize_phone(phone: str) -> str:
    """ShipX takes Polish numbers as nine digits: drop spaces, dashes and the +48 / 0048 prefix."""
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("00"):
        digits = digits[2:]
    if len(digits) == 11 and digits.startswith("48"):
        digits = digits[2:]
    return digits or phone.strip()


def normalize_post_code(code: str) -> str:
    digits = re.sub(r"\D", "", code)
    return f"{digits[:2]}-{digits[2:]}" if len(digits) == 5 else code.strip()


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


def flatten_details(details: Any, prefix: str = "") -> list[tuple[str, list[str]]]:
    """``{"receiver": [{"phone": ["invalid"]}]}`` -> ``[("receiver.phone", ["invalid"])]``; a list of
    several objects (parcels) keeps the index: ``parcels.1.weight``."""
    if isinstance(details, dict):
        return [
            pair for k, v in details.items() for pair in flatten_details(v, f"{prefix}.{k}" if prefix else k)
        ]
    if isinstance(details, str):
        return [(prefix, [details])]
    if not isinstance(details, list):
        return []
    keys = [v for v in details if isinstance(v, str)]
    nested = [v for v in details if not isinstance(v, str)]
    out = [(prefix, keys)] if keys else []
    for index, item in enumerate(nested):
        out += flatten_details(item, prefix if len(nested) == 1 else f"{prefix}.{index}")
    return out


def describe_details(details: Any) -> str:
    """The wrong fields in Polish, each with ShipX's path so support can match it to the API."""
    parts = []
    for path, keys in flatten_details(details):
        indexes = [p for p in path.split(".") if p.isdigit()]
        label = FIELD_NAMES.get(".".join(p for p in path.split(".") if not p.isdigit()), path)
        if indexes:
            label += f" nr {int(indexes[0]) + 1}"
        parts.append(f"{label} ({path}): {', '.join(ERROR_WORDS.get(k, k) for k in keys)}")
    return "; ".join(parts)


class InPostShipX:
    """The ``Carrier`` port for InPost ShipX; safe to share between threads (one HTTP session
    per thread, and creates serialised so two threads cannot both miss and both buy)."""

    name = "inpost"

    def __init__(self, settings: InPostSettings, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self._monotonic = monotonic
        self._local = threading.local()
        self._create_lock = threading.Lock()

    # --- HTTP -------------------------------------------------------------------------------------

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers.update(
                {
                    "Authorization": f"Bearer {self.settings.token}",
                    "Accept-Language": "pl_PL",
                    "X-User-Agent": "LinkOptima",
                }
            )
            self._local.session = session
        return session

    def _call(
        self, method: str, path: str, action: str, reference: str = "", **kwargs: Any
    ) -> requests.Response:
        url = self.settings.base_url.rstrip("/") + path
        request_id = str(uuid.uuid4())
        context = {"reference": reference, "action": action, "request_id": request_id}
        try:
            response = self._session().request(
                method, url, timeout=self.settings.timeout, headers={"X-Request-ID": request_id}, **kwargs
            )
        except requests.Timeout as exc:
            raise RetryableError(
                f"InPost nie odpowiedział w {self.settings.timeout:g} s ({action}); ponowimy próbę.",
                code="carrier_unreachable",
                details={**context, "error": type(exc).__name__},
            ) from exc
        except requests.RequestException as exc:
            raise RetryableError(
                f"Brak połączenia z InPost ({action}): {type(exc).__name__}; ponowimy próbę.",
                code="carrier_unreachable",
                details={**context, "error": str(exc)[:300]},
            ) from exc
        if response.status_code >= 400:
            raise self._error(response, action, context)
        return response

    def _error(self, response: requests.Response, action: str, context: dict[str, Any]) -> StepError:
        status = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        key, message, details = (
            str(body.get("error") or ""),
            str(body.get("message") or ""),
            body.get("details"),
        )
        info = {**context, "status": status, "error": key, "message": message[:300], "details": details}
        tag = f"HTTP {status}, {key}" if key else f"HTTP {status}"
        if status in (401, 403):
            return PermanentError(
                f"InPost odrzucił dane dostępowe ({tag}): sprawdź token API "
                "i numer organizacji w ustawieniach przewoźnika.",
                code="carrier_auth",
                details={**info, "organization_id": self.settings.organization_id},
            )
        if status == 429 or status >= 500:
            return RetryableError(
                f"InPost chwilowo nie obsługuje zapytań (HTTP {status}) ({action}); ponowimy próbę.",
                code="carrier_unreachable",
                details={**info, "retry_after": response.headers.get("Retry-After")},
            )
        if key == "invalid_action":
            return WaitingError(
                f"InPost nie wydał jeszcze etykiety ({action}): przesyłka nie jest jeszcze kupiona.",
                code="carrier_pending",
                retry_after=self.settings.pending_retry_after,
                details=info,
            )
        order = f" zamówienia {context['reference']}" if context["reference"] else ""
        if key == "validation_failed" and details:
            return PermanentError(
                f"InPost odrzucił dane{order} ({action}): {describe_details(details)}.",
                code="carrier_refused",
                details={**info, "fields": dict(flatten_details(details))},
            )
        if status == 404:
            return PermanentError(
                f"InPost nie zna tego zasobu ({action}, HTTP 404): przesyłka lub organizacja nie istnieje.",
                code="carrier_refused",
                details=info,
            )
        return PermanentError(
            f"InPost odmówił{order} ({action}, {tag}): {message or 'bez opisu'}.",
            code="carrier_refused",
            details=info,
        )

    def _json(self, response: requests.Response, action: str) -> dict[str, Any]:
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise RetryableError(
                f"InPost odpowiedział czymś, co nie jest JSON-em ({action}).",
                code="carrier_unreachable",
                details={"status": response.status_code},
            )
        return data

    # --- the port ---------------------------------------------------------------------------------

    def _org_path(self) -> str:
        return f"/v1/organizations/{self.settings.organization_id}"

    @staticmethod
    def _shipment(data: dict[str, Any], reference: str) -> Shipment:
        return Shipment(
            str(data["id"]), reference, str(data.get("tracking_number") or ""), str(data["status"])
        )

    def _find(self, reference: str) -> dict[str, Any] | None:
        wanted = shipx_reference(reference)
        response = self._call(
            "GET",
            f"{self._org_path()}/shipments",
            "wyszukiwanie przesyłki",
            reference,
            params={"reference": wanted, "per_page": 100},
        )
        items = self._json(response, "wyszukiwanie przesyłki").get("items") or []
        # exact match only, and a canceled shipment no longer counts as this order's label
        found = [i for i in items if i.get("reference") == wanted and i.get("status") != CANCELED]
        return min(found, key=lambda i: int(i["id"])) if found else None

    def find_by_reference(self, reference: str) -> Shipment | None:
        """The order's shipment as InPost has it now (maybe not confirmed yet), or None."""
        found = self._find(reference)
        return self._shipment(found, reference) if found else None

    def create_shipment(self, request: ShipmentRequest) -> Shipment:
        """Buy the order's shipment once, and wait (bounded) until it is confirmed."""
        with self._create_lock:
            data = self._find(request.reference)
            if data is None:
                payload = shipment_payload(request, self.settings)
                response = self._call(
                    "POST",
                    f"{self._org_path()}/shipments",
                    "tworzenie przesyłki",
                    request.reference,
                    json=payload,
                )
                data = self._json(response, "tworzenie przesyłki")
        return self._await_confirmation(data, request.reference)

    def _await_confirmation(self, data: dict[str, Any], reference: str) -> Shipment:
        deadline = self._monotonic() + self.settings.max_wait
        polls = 0
        while not (data.get("status") in LABEL_READY and data.get("tracking_number")):
            if data.get("status") == CANCELED:
                raise PermanentError(
                    f"Przesyłka InPost {data['id']} dla zamówienia {reference} została anulowana.",
                    code="carrier_refused",
                    details={"reference": reference, "shipment_id": data["id"]},
                )
            if polls >= self.settings.poll_limit or self._monotonic() >= deadline:
                raise WaitingError(
                    f"InPost jeszcze nie potwierdził przesyłki {data['id']} dla zamówienia {reference} "
                    f"(status {data.get('status')}); etykieta będzie gotowa po potwierdzeniu.",
                    code="carrier_pending",
                    retry_after=self.settings.pending_retry_after,
                    details={"reference": reference, "shipment_id": data["id"], "status": data.get("status")},
                )
            if self.settings.poll_interval > 0:
                time.sleep(min(self.settings.poll_interval, max(0.0, deadline - self._monotonic())))
            polls += 1
            response = self._call("GET", f"/v1/shipments/{data['id']}", "sprawdzanie statusu", reference)
            data = self._json(response, "sprawdzanie statusu")
        return self._shipment(data, reference)

    def fetch_label(self, shipment: Shipment, fmt: LabelFormat) -> bytes:
        """The carrier's own label: A6 PDF, or ZPL for a thermal printer (passed through as is)."""
        if fmt not in ("pdf", "zpl"):
            raise ValueError(f"unknown label format {fmt!r}; expected 'pdf' or 'zpl'")
        if not shipment.tracking_number:  # an old look at the shipment: ask for a fresh one later
            raise WaitingError(
                f"Przesyłka InPost {shipment.shipment_id} (zamówienie {shipment.reference}) nie ma jeszcze "
                "numeru: czeka na potwierdzenie.",
                code="carrier_pending",
                retry_after=self.settings.pending_retry_after,
                details={"reference": shipment.reference, "shipment_id": shipment.shipment_id},
            )
        response = self._call(
            "GET",
            f"/v1/shipments/{shipment.shipment_id}/label",
            "pobieranie etykiety",
            shipment.reference,
            params={"format": fmt.capitalize(), "type": self.settings.label_type},
        )
        data = response.content
        if not (data.startswith(b"%PDF-") if fmt == "pdf" else b"^XA" in data):
            raise RetryableError(
                f"InPost przysłał uszkodzoną etykietę {fmt.upper()} dla przesyłki "
                f"{shipment.tracking_number}.",
                code="carrier_label_invalid",
                details={"reference": shipment.reference, "size": len(data)},
            )
        return data

    def check_connection(self) -> str:
        """The organization's name if the token and organization id work (for the settings screen)."""
        response = self._call("GET", self._org_path(), "sprawdzanie połączenia")
        return str(self._json(response, "sprawdzanie połączenia").get("name") or "")
