"""``DPDCarrier``: the carrier port over DPD Polska's DPDServices (its REST flavour).

Why the REST flavour (reference ``carriers.md`` §1.1): it is the same DPDServices with the same
calls (``generatePackagesNumbers``, ``generateSpedLabels``, ``generateProtocol``), HTTP Basic with
the ``X-DPD-FID`` header and ``payerFID`` in the body, JSON errors ``{errors[], traceId}``; plain
``requests`` serves it without a SOAP stack. It is synchronous: the waybill comes in the create's
answer, the label as base64 ``documentData`` in the label's.

What DPD lacks and how the adapter copes:
- no idempotency key and no lookup by reference: the order's waybill is kept in ``DPDLedger``
  (see there why a lost answer is not a second parcel bought);
- no cancel: ``cancel_shipment`` voids the waybill in the ledger (the parcel is simply not handed
  over, so DPD does not charge it), refused once it is on a handover protocol;
- tracking lives in a separate InfoServices SOAP service with its own credentials: not here yet.
Pickup points come from MyPudo (its own API key); the handover protocol and the courier call make
the end of day (``book_pickup``).
"""

from __future__ import annotations

import base64
import threading
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import requests

from ...errors import PermanentError, RetryableError
from ...faults import crash_point
from ..builtin import SenderInfo
from ..port import (
    Capabilities,
    LabelFormat,
    LabelSpec,
    OutcomeUnknownError,
    PickupBooking,
    PickupPoint,
    PointQuery,
    PortDefaults,
    Shipment,
    ShipmentRequest,
    as_spec,
)
from ..reasons import Said, carrier_details, originals, refusal
from .ledger import DPDLedger

DEMO_URL = "https://dpdservicesdemo.dpd.com.pl"
PRODUCTION_URL = "https://dpdservices.dpd.com.pl"
API = "/public/shipment/v1/"
#: label kinds DPD renders itself -> (outputDocFormat, format); ZPL at 300 dpi is not documented
LABELS = {LabelSpec("pdf", "100x150"): ("PDF", "LBL_PRINTER"), LabelSpec("pdf", "a6"): ("PDF", "LBL_PRINTER"),
          LabelSpec("pdf", "a4"): ("PDF", "A4"), LabelSpec("zpl", "100x150", 203): ("ZPL", "LBL_PRINTER")}
#: DPD's field names in Polish, for the exceptions screen
FIELDS = {"receiver.postalCode": "kod pocztowy odbiorcy", "receiver.address": "ulica odbiorcy",
          "receiver.phone": "telefon odbiorcy", "receiver.name": "nazwa odbiorcy",
          "services.dpdPickup.pudo": "punkt odbioru DPD Pickup", "services.cod.amount": "kwota pobrania",
          "parcels.weight": "waga paczki", "waybills": "numery przesyłek", "payerFID": "numer klienta (FID)"}
SIZES = {"small": (38, 64, 8), "medium": (38, 64, 19), "large": (41, 64, 38), "xlarge": (50, 80, 50)}


@dataclass(frozen=True)
class DPDSettings:
    base_url: str = PRODUCTION_URL
    login: str = ""
    password: str = field(default="", repr=False)
    master_fid: str = ""
    pudo_url: str = "https://mypudo.dpd.com.pl/api/pudo"
    pudo_key: str = field(default="", repr=False)
    timeout: float = 15.0
    pickup_window: tuple[str, str] = ("12:00", "16:00")


class DPDCarrier(PortDefaults):
    """The ``Carrier`` port for DPD Polska; safe to share between threads."""

    name = "dpd"

    def __init__(self, settings: DPDSettings, sender: SenderInfo, ledger: DPDLedger | None = None) -> None:
        self.settings = settings
        self.sender = sender
        self.ledger = ledger or DPDLedger()
        self._creating = threading.Lock()  # two threads of one console never number one order twice

    def capabilities(self) -> Capabilities:
        return Capabilities(cod=True, points=True, cancel=False, track=False, pickup=True, handover_protocol=True,
                            idempotent_create=False, async_numbering=False, labels=frozenset(LABELS))

    # --- HTTP -------------------------------------------------------------------------------------

    def _post(self, method: str, action: str, body: dict[str, Any], *, creating: bool = False,
              reference: str = "") -> dict[str, Any]:
        url = self.settings.base_url.rstrip("/") + API + method
        headers = {"X-DPD-FID": self.settings.master_fid, "Accept": "application/json"}
        try:
            response = requests.post(url, json=body, headers=headers, timeout=self.settings.timeout,
                                     # UTF-8, not requests' latin-1 for text: a password may have Polish letters
                                     auth=(self.settings.login.encode(), self.settings.password.encode()))
        except requests.Timeout as exc:
            if creating:
                raise OutcomeUnknownError(f"DPD nie odpowiedział na czas ({action}); numer mógł zostać nadany — "
                                          "nie zostanie przekazany kurierowi, ponowimy.",
                                          details={"carrier": "dpd"}) from exc
            raise RetryableError(f"DPD nie odpowiedział na czas ({action}); ponowimy.",
                                 code="carrier_unreachable", details={"carrier": "dpd"}) from exc
        except requests.RequestException as exc:
            raise RetryableError(f"Brak połączenia z DPD ({action}): {type(exc).__name__}; ponowimy.",
                                 code="carrier_unreachable", details={"carrier": "dpd"}) from exc
        if response.status_code == 401:
            said = [Said(str(_json(response).get("status") or "UNAUTHORIZED"))]
            raise PermanentError(f"DPD nie przyjął loginu, hasła lub numeru FID ({action}). Odpowiedź przewoźnika: "
                                 f"{originals(said)}.", code="carrier_auth", details=carrier_details("dpd", said))
        if response.status_code == 429 or response.status_code >= 500:
            raise RetryableError(f"DPD chwilowo nie przyjmuje zapytań ({action}, HTTP {response.status_code}); "
                                 "ponowimy.", code="carrier_unreachable", details={"carrier": "dpd"})
        data = _json(response)
        if response.status_code >= 400:
            raise refusal("dpd", action, _said(data.get("errors") or []), reference=reference, fields=FIELDS,
                          details={"status": response.status_code, "trace_id": data.get("traceId", "")})
        if data.get("status") == "UNSPECIFIED_ERROR" or (not creating and data.get("status") not in ("OK", None)):
            said = [Said(str(data.get("status")))] + _said(data.get("validationInfo") or [])
            raise refusal("dpd", action, said, reference=reference, fields=FIELDS)
        return data

    # --- the port ---------------------------------------------------------------------------------

    def find_by_reference(self, reference: str) -> Shipment | None:
        row = self.ledger.get(reference)
        return Shipment(row["package_id"], reference, row["waybill"], "confirmed") if row else None

    def create_shipment(self, request: ShipmentRequest, idempotency_key: str = "") -> Shipment:
        with self._creating:
            return self._create(request, idempotency_key)

    def _create(self, request: ShipmentRequest, idempotency_key: str) -> Shipment:
        known = self.find_by_reference(request.reference)
        if known is not None:
            return known
        self.ledger.intend(request.reference, idempotency_key or request.reference)
        try:
            data = self._post("generatePackagesNumbers", "nadanie numeru przesyłki", self.payload(request),
                              creating=True, reference=request.reference)
        except OutcomeUnknownError:
            self.ledger.lost(request.reference)
            raise
        crash_point("carrier:answered")  # (numbered at DPD, not in the ledger: the retry numbers anew)
        package = (data.get("packages") or [{}])[0]
        if package.get("status") != "OK":
            infos = package.get("validationInfo") or [v for p in package.get("parcels", [])
                                                      for v in p.get("validationInfo") or []]
            said = _said(infos) or [Said(str(package.get("status") or ""))]
            raise refusal("dpd", "nadanie numeru przesyłki", said, reference=request.reference, fields=FIELDS)
        waybill = package["parcels"][0]["waybill"]
        self.ledger.record(request.reference, waybill, str(package["packageId"]), str(data.get("sessionId", "")))
        return Shipment(str(package["packageId"]), request.reference, waybill, "confirmed")

    def payload(self, request: ShipmentRequest) -> dict[str, Any]:
        """One package of one parcel; COD as the service code ``COD`` with AMOUNT (from grosze) and
        CURRENCY; a DPD Pickup point as the ``DPD_PICKUP`` service."""
        addr, sender = request.address, self.sender
        x, y, z = request.dimensions_cm if all(request.dimensions_cm) else SIZES.get(request.parcel_size,
                                                                                     SIZES["medium"])
        services: list[dict[str, Any]] = []
        grosze = request.cod_grosze
        if grosze > 0:
            services.append({"code": "COD", "attributes": [
                {"code": "AMOUNT", "value": f"{grosze // 100}.{grosze % 100:02d}"},
                {"code": "CURRENCY", "value": "PLN"}]})
        if request.locker_id:
            services.append({"code": "DPD_PICKUP", "attributes": [{"code": "POINT_ID", "value": request.locker_id}]})
        return {"generationPolicy": "STOP_ON_FIRST_ERROR", "packages": [{
            "reference": request.reference, "ref1": request.reference, "payerFID": self.settings.master_fid,
            "sender": {"company": sender.name, "address": sender.address.street, "city": sender.address.city,
                       "postalCode": sender.address.postcode.replace("-", ""), "countryCode": "PL",
                       "phone": sender.phone, "email": sender.email},
            "receiver": {"name": request.receiver_name, "company": request.receiver_company,
                         "address": addr.street, "city": addr.city, "postalCode": addr.postcode.replace("-", ""),
                         "countryCode": addr.country or "PL", "email": request.email,
                         "phone": request.phone.replace(" ", "")},
            "services": services,
            "parcels": [{"reference": request.reference, "weight": float(request.weight_kg),
                         "sizeX": x, "sizeY": y, "sizeZ": z}],
        }]}

    def fetch_label(self, shipment: Shipment, kind: LabelFormat | LabelSpec) -> bytes:
        spec = as_spec(kind)
        if spec not in LABELS:
            raise PermanentError(f"DPD nie drukuje etykiet {spec.fmt.upper()} {spec.page} {spec.dpi} dpi.",
                                 code="carrier_label_kind")
        doc_format, page = LABELS[spec]
        data = self._post("generateSpedLabels", "pobieranie etykiety", {
            "waybills": [shipment.tracking_number], "outputDocFormat": doc_format, "format": page,
            "outputType": "BIC3", "payerFID": self.settings.master_fid})
        content = base64.b64decode(data.get("documentData") or "")
        if not (content.startswith(b"%PDF-") if doc_format == "PDF" else b"^XA" in content):
            raise RetryableError(f"DPD przysłał uszkodzoną etykietę {doc_format} ({shipment.tracking_number}).",
                                 code="carrier_label_invalid")
        return content

    def cancel_shipment(self, shipment: Shipment) -> None:
        """DPD has no cancel call: a waybill not handed over is simply not collected and not charged
        (reference §1.1). So the console voids it in its ledger: the order's next create gets a new
        number and this one never goes on a handover protocol. Too late once it is on one."""
        row = self.ledger.get(shipment.reference)
        if row is None or row["waybill"] != shipment.tracking_number:
            return  # voided already (or never the order's)
        if row.get("protocol"):
            raise PermanentError(
                f"Paczka DPD {shipment.tracking_number} jest już na protokole przekazania {row['protocol']}: kurier ją "
                "zabrał albo zabierze. DPD nie anuluje przesyłek przez API — zgłoś zwrot w DPD.",
                code="carrier_refused", details={"carrier": "dpd", "tracking": shipment.tracking_number})
        self.ledger.void(shipment.reference)

    def points(self, query: PointQuery) -> list[PickupPoint]:
        params = {"key": self.settings.pudo_key, "postcode": query.postcode, "city": query.city}
        try:
            response = requests.get(self.settings.pudo_url.rstrip("/") + "/list", timeout=self.settings.timeout,
                                    params={k: v for k, v in params.items() if v})
        except requests.RequestException as exc:
            raise RetryableError("Brak połączenia z wyszukiwarką punktów DPD Pickup; ponowimy.",
                                 code="carrier_unreachable") from exc
        if response.status_code >= 400:
            raise PermanentError(f"Wyszukiwarka punktów DPD Pickup odmówiła (HTTP {response.status_code}).",
                                 code="carrier_refused")
        found = [PickupPoint(p["pudo_id"], "dpd", p["name"], f"{p['address']}, {p['zipcode']} {p['city']}",
                             bool(p.get("cod"))) for p in _json(response).get("points", [])]
        return [p for p in found if p.cod or not query.cod_only][: query.limit]

    def protocol(self, shipments: list[Shipment]) -> tuple[str, bytes]:
        """The handover protocol (PDF) the courier signs for these parcels: its number and bytes.
        Parcels already on one protocol together get that one again (a closing retried after the
        courier call failed: DPD refuses a waybill on a second protocol)."""
        known = self.ledger.protocol_of([s.reference for s in shipments])
        if known is not None:
            return known[0], known[1]
        data = self._post("generateProtocol", "protokół przekazania", {
            "waybills": sorted(s.tracking_number for s in shipments), "payerFID": self.settings.master_fid,
            "outputDocFormat": "PDF", "format": "A4"})
        document_id, pdf = str(data["documentId"]), base64.b64decode(data["documentData"])
        self.ledger.handed_over({s.reference: s.tracking_number for s in shipments}, document_id, pdf)
        return document_id, pdf

    def book_pickup(self, shipments: list[Shipment], day: date) -> PickupBooking:
        """End of day: the protocol for the parcels, then the courier called for ``day``. Calling it
        once per day is the console's job (the store remembers); parcels whose protocol already
        has its courier are refused here too (DPD would book a second one)."""
        if not shipments:
            raise PermanentError("Brak paczek DPD do przekazania kurierowi.", code="carrier_refused")
        known = self.ledger.protocol_of([s.reference for s in shipments])
        if known is not None and known[2]:
            raise PermanentError(f"DPD Polska odmawia (zamawianie kuriera): numery przesyłek są już na protokole "
                                 f"{known[0]} z zamówionym kurierem {known[2]}.", code="carrier_refused",
                                 details={"carrier": "dpd", "protocol": known[0], "pickup": known[2]})
        protocol_id, pdf = self.protocol(shipments)
        start, end = self.settings.pickup_window
        data = self._post("packagesPickupCall", "zamawianie kuriera", {
            "pickupDate": day.isoformat(), "pickupTimeFrom": start, "pickupTimeTo": end,
            "protocolId": protocol_id, "payerFID": self.settings.master_fid,
            "parcelsCount": len(shipments)})
        self.ledger.picked_up(protocol_id, str(data["orderNumber"]))
        return PickupBooking(str(data["orderNumber"]), day, tuple(s.tracking_number for s in shipments), pdf,
                             protocol_id)


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _said(errors: list[dict[str, Any]]) -> list[Said]:
    """REST ``errors[]`` (``code``, ``field``, ``userMessage``) or ``validationInfo`` (``errorCode``,
    ``fieldNames``, ``info``) as what DPD said."""
    return [Said(str(e.get("code") or e.get("errorCode") or ""),
                 str(e.get("field") or ",".join(e.get("fieldNames") or []) or ""),
                 str(e.get("userMessage") or e.get("info") or "")) for e in errors]
