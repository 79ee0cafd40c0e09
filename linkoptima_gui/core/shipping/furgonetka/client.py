"""``FurgonetkaCarrier``: the carrier port over Furgonetka's REST API.

Why it is safe to retry (reference §1.7, §6): an order is placed by ``PUT /order-commands/{uuid}``
with a UUID we choose, derived from the idempotency key the label step recorded before the call;
replaying the UUID returns the first command, so a timeout, a crash or a second station can
never order a package twice. A draft package (``POST /packages``) costs nothing; the adapter
reuses the order's draft when one exists. Commands end asynchronously: they are polled, bounded,
and an order still in progress becomes a ``WaitingError`` (asked again later, same UUID).
The network (``dpd``, ``dhl``, ``inpost``...) comes from the shipping map's ``carrier_service``,
else from ``settings.services``; the shop's own contracts or Furgonetka's prices are the account's
choice in Furgonetka, not the API's.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import requests

from ...errors import PermanentError, RetryableError, WaitingError
from ...faults import crash_point
from ..builtin import SenderInfo
from ..port import (
    Capabilities,
    LabelFormat,
    LabelSpec,
    PickupBooking,
    PickupPoint,
    PointQuery,
    Shipment,
    ShipmentRequest,
    TrackEvent,
    as_spec,
)
from ..reasons import Said, refusal
from .auth import FurgonetkaAuth

ACCEPT = "application/vnd.furgonetka.v1+json"
NAMESPACE = uuid.UUID("5b0c7c1e-8a52-4cde-9a57-6f1f3f0a2b11")  # ours: key -> command UUID
SANDBOX_URL = "https://api.sandbox.furgonetka.pl"
PRODUCTION_URL = "https://api.furgonetka.pl"
#: the port's sizes -> width x depth x height in cm (Furgonetka wants dimensions, not templates)
DIMENSIONS = {"small": (38, 64, 8), "medium": (38, 64, 19), "large": (41, 64, 38), "xlarge": (50, 80, 50)}
#: label kinds Furgonetka renders itself: page_format a6|a4, file_format pdf|zpl
LABELS = {LabelSpec("pdf", "100x150"): ("a6", "pdf"), LabelSpec("pdf", "a6"): ("a6", "pdf"),
          LabelSpec("pdf", "a4"): ("a4", "pdf"), LabelSpec("zpl", "100x150", 203): ("a6", "zpl")}
#: the API's field paths in Polish, for the exceptions screen
FIELDS = {"receiver.phone": "telefon odbiorcy", "receiver.postcode": "kod pocztowy lub ulica odbiorcy",
          "receiver.point": "punkt odbioru", "receiver.name": "nazwa odbiorcy", "service": "usługa przewoźnika",
          "additional_services.cod.amount": "kwota pobrania", "additional_services.cod.iban": "konto do pobrań",
          "parcels": "paczki", "parcels[0].weight": "waga paczki"}


@dataclass(frozen=True)
class FurgonetkaSettings:
    base_url: str = PRODUCTION_URL
    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    username: str = ""
    password: str = field(default="", repr=False)
    cod_iban: str = ""  # where Furgonetka pays the collected COD money
    timeout: float = 15.0
    services: dict[str, str] = field(default_factory=lambda: {
        "locker_standard": "inpost", "courier_standard": "dpd", "courier_express": "dhl"})
    poll_interval: float = 0.5
    poll_limit: int = 10
    pending_retry_after: float = 30.0


def command_uuid(key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, key))


class FurgonetkaCarrier:
    """The ``Carrier`` port for Furgonetka; safe to share between threads."""

    name = "furgonetka"

    def __init__(self, settings: FurgonetkaSettings, sender: SenderInfo, *, auth: FurgonetkaAuth | None = None,
                 sleep: Any = time.sleep) -> None:
        self.settings = settings
        self.sender = sender
        self.auth = auth or FurgonetkaAuth(settings.base_url, settings.client_id, settings.client_secret,
                                           settings.username, settings.password, timeout=settings.timeout)
        self._sleep = sleep

    def capabilities(self) -> Capabilities:
        return Capabilities(cod=True, points=True, cancel=True, track=True, pickup=True, idempotent_create=True,
                            async_numbering=True, labels=frozenset(LABELS))

    # --- HTTP -------------------------------------------------------------------------------------

    def _call(self, method: str, path: str, action: str, reference: str = "", **kwargs: Any) -> requests.Response:
        for attempt in (1, 2):
            token = self.auth.access_token()
            headers = {"Authorization": f"Bearer {token}", "Accept": ACCEPT}
            try:
                response = requests.request(method, self.settings.base_url.rstrip("/") + path, headers=headers,
                                            timeout=self.settings.timeout, **kwargs)
            except requests.RequestException as exc:
                raise RetryableError(f"Brak odpowiedzi Furgonetki ({action}): {type(exc).__name__}; ponowimy.",
                                     code="carrier_unreachable", details={"path": path, "carrier": "furgonetka"}) from exc
            if response.status_code == 401 and attempt == 1:
                self.auth.rejected(token)  # a 21st session elsewhere revoked ours: log in again once
                continue
            break
        if response.status_code in (429,) or response.status_code >= 500:
            raise RetryableError(f"Furgonetka chwilowo nie przyjmuje zapytań ({action}, HTTP "
                                 f"{response.status_code}); ponowimy.", code="carrier_unreachable",
                                 details={"carrier": "furgonetka"})
        if response.status_code >= 400:
            raise refusal("furgonetka", action, _said_in(response), fields=FIELDS, reference=reference,
                          code="carrier_auth" if response.status_code == 401 else "carrier_refused",
                          details={"status": response.status_code, "path": path})
        return response

    # --- the port ---------------------------------------------------------------------------------

    def _packages(self, reference: str) -> list[dict[str, Any]]:
        response = self._call("GET", "/packages", "wyszukiwanie przesyłki",
                              params={"user_reference_number": reference})
        return [p for p in response.json().get("packages", []) if p.get("user_reference_number") == reference]

    @staticmethod
    def _shipment(package: dict[str, Any]) -> Shipment:
        return Shipment(str(package["package_id"]), package["user_reference_number"], package["waybill"],
                        "confirmed")

    def find_by_reference(self, reference: str) -> Shipment | None:
        """The order's ordered (bought, not cancelled) package; a draft is not a parcel yet."""
        ordered = [p for p in self._packages(reference) if p.get("state") == "ordered"]
        return self._shipment(min(ordered, key=lambda p: int(p["package_id"]))) if ordered else None

    def create_shipment(self, request: ShipmentRequest, idempotency_key: str = "") -> Shipment:
        command = command_uuid(idempotency_key or request.reference)
        known = self._command(command)
        if known is None:
            drafts = [p for p in self._packages(request.reference) if p.get("state") == "draft"]
            if drafts:
                package_id = str(drafts[-1]["package_id"])
            else:
                created = self._call("POST", "/packages", "tworzenie przesyłki", request.reference,
                                     json=self.payload(request))
                package_id = str(created.json()["package_id"])
            self._call("PUT", f"/order-commands/{command}", "zamawianie przesyłki", request.reference,
                       json={"packages": [{"id": package_id}]})
            crash_point("carrier:answered")  # (ordered at Furgonetka: the retry replays the same command)
        finished = self._await(command, "zamawianie przesyłki", request.reference)
        package_id = str(finished["packages"][0]["id"])
        package = self._call("GET", f"/packages/{package_id}", "odczyt przesyłki").json()
        return self._shipment(package)

    def _command(self, command: str) -> dict[str, Any] | None:
        try:
            return self._call("GET", f"/order-commands/{command}", "sprawdzanie zlecenia").json()
        except PermanentError as exc:
            if exc.details.get("status") == 404:
                return None
            raise

    def _await(self, command: str, action: str, reference: str, kind: str = "order-commands") -> dict[str, Any]:
        for attempt in range(self.settings.poll_limit):
            data = self._call("GET", f"/{kind}/{command}", action).json()
            if data["status"] == "successful":
                return data
            if data["status"] == "failed":
                raise refusal("furgonetka", action, _said(data.get("errors") or []), fields=FIELDS,
                              reference=reference, details={"command": command})
            if attempt + 1 < self.settings.poll_limit:
                self._sleep(self.settings.poll_interval)
        raise WaitingError(f"Furgonetka jeszcze realizuje zlecenie ({action}, zamówienie {reference}).",
                           code="carrier_pending", retry_after=self.settings.pending_retry_after,
                           details={"command": command, "carrier": "furgonetka"})

    def payload(self, request: ShipmentRequest) -> dict[str, Any]:
        """The package as Furgonetka wants it; money from grosze, weights as decimal strings."""
        service = request.carrier_service or self.settings.services.get(request.service, request.service)
        width, depth, height = request.dimensions_cm if all(request.dimensions_cm) else DIMENSIONS.get(
            request.parcel_size, DIMENSIONS["medium"])
        addr = request.address
        receiver = {"name": request.receiver_name, "company": request.receiver_company, "email": request.email,
                    "phone": request.phone.replace(" ", "").removeprefix("+48"), "street": addr.street,
                    "postcode": addr.postcode, "city": addr.city, "country_code": addr.country or "PL"}
        if request.locker_id:
            receiver["point"] = request.locker_id
        sender = {"name": self.sender.name, "street": self.sender.address.street, "city": self.sender.address.city,
                  "postcode": self.sender.address.postcode, "phone": self.sender.phone, "email": self.sender.email}
        body: dict[str, Any] = {
            "service": service, "user_reference_number": request.reference, "sender": sender, "receiver": receiver,
            "parcels": [{"weight": f"{request.weight_kg:.2f}", "width": width, "depth": depth, "height": height}],
        }
        grosze = request.cod_grosze
        if grosze > 0:
            body["additional_services"] = {"cod": {"amount": f"{grosze // 100}.{grosze % 100:02d}",
                                                   "iban": self.settings.cod_iban, "name": self.sender.name}}
        return body

    def fetch_label(self, shipment: Shipment, kind: LabelFormat | LabelSpec) -> bytes:
        spec = as_spec(kind)
        if spec not in LABELS:
            raise PermanentError(f"Furgonetka nie drukuje etykiet {spec.fmt.upper()} {spec.page} {spec.dpi} dpi.",
                                 code="carrier_label_kind")
        page, fmt = LABELS[spec]
        data = self._call("GET", f"/packages/{shipment.shipment_id}/label", "pobieranie etykiety",
                          params={"page_format": page, "file_format": fmt}).content
        if not (data.startswith(b"%PDF-") if fmt == "pdf" else b"^XA" in data):
            raise RetryableError(f"Furgonetka przysłała uszkodzoną etykietę {fmt.upper()} ({shipment.tracking_number}).",
                                 code="carrier_label_invalid")
        return data

    def cancel_shipment(self, shipment: Shipment) -> None:
        command = command_uuid("cancel:" + shipment.shipment_id)
        self._call("PUT", f"/cancel-command/{command}", "anulowanie przesyłki",
                   json={"packages": [{"id": shipment.shipment_id}]})
        self._await(command, "anulowanie przesyłki", shipment.reference, "cancel-command")

    def track(self, shipment: Shipment) -> list[TrackEvent]:
        data = self._call("GET", f"/packages/{shipment.shipment_id}/tracking", "śledzenie").json()
        return [TrackEvent(e["datetime"], e["status"], e.get("description", "")) for e in data.get("tracking", [])]

    def points(self, query: PointQuery) -> list[PickupPoint]:
        params: list[tuple[str, str]] = [("services[]", n) for n in query.networks]
        if query.city:
            params.append(("city", query.city))
        data = self._call("GET", "/points/map", "punkty odbioru", params=params).json()
        found = [PickupPoint(p["code"], p["service"], p["name"],
                             f"{p['address']['street']}, {p['address']['postcode']} {p['address']['city']}",
                             bool(p.get("cod"))) for p in data.get("points", [])]
        return [p for p in found if p.cod or not query.cod_only][: query.limit]

    def book_pickup(self, shipments: list[Shipment], day: date) -> PickupBooking:
        """Call a courier for ``day`` (once per day: the UUID comes from the day and the parcels)."""
        ids = sorted(s.shipment_id for s in shipments)
        command = command_uuid(f"pickup:{day.isoformat()}:{','.join(ids)}")
        self._call("PUT", f"/pickup-commands/{command}", "zamawianie kuriera",
                   json={"packages": [{"id": i} for i in ids], "pickup_date": day.isoformat()})
        data = self._await(command, "zamawianie kuriera", day.isoformat(), "pickup-commands")
        return PickupBooking(str(data.get("pickup_number", command)), day, tuple(s.tracking_number for s in shipments))


def _said(errors: list[dict[str, Any]]) -> list[Said]:
    """Furgonetka's ``errors[]`` (``path``, ``message``): the path is the only key it gives."""
    return [Said(str(e.get("path") or ""), str(e.get("path") or ""), str(e.get("message") or "")) for e in errors]


def _said_in(response: requests.Response) -> list[Said]:
    try:
        body = response.json()
    except ValueError:
        body = None
    said = _said(body.get("errors") or []) if isinstance(body, dict) else []
    return said or [Said(f"HTTP {response.status_code}")]
