"""``InPostShipX``: the carrier port over InPost's ShipX REST API (simplified mode: ``service``
is given).

ShipX is not documented to refuse a second shipment with the same ``reference``, so idempotency
is ours: the order is looked up by reference before every create, creates are serialised, and a
POST whose answer was lost is never repeated (a timeout is retryable; the retry finds the
shipment by its reference). Only an exact ``reference`` match counts. [I] ``reference`` as a
search criterion of ``GET .../shipments`` is to be checked on the sandbox: if the real API
ignored it, the first page would not hold the order and a retry could buy twice.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import requests

from ...errors import PermanentError, RetryableError, StepError, WaitingError
from ...faults import crash_point
from ..port import (
    Capabilities,
    LabelFormat,
    LabelSpec,
    OutcomeUnknownError,
    PortDefaults,
    Shipment,
    ShipmentRequest,
    as_spec,
)
from .payload import shipment_payload, shipx_reference
from .responses import json_body, shipx_error
from .settings import InPostSettings
from .status import CANCELED, await_confirmation

#: the label kinds ShipX renders itself [C]: PDF A6 or A4 ("normal"), ZPL at 203 or 300 dpi
LABEL_TYPES = {
    LabelSpec("pdf", "a6"): ("Pdf", "A6"),
    LabelSpec("pdf", "100x150"): ("Pdf", "A6"),  # ShipX's A6 is its 100x150 label
    LabelSpec("pdf", "a4"): ("Pdf", "normal"),
    LabelSpec("zpl", "100x150", 203): ("Zpl", "A6"),
    LabelSpec("zpl", "100x150", 300): ("Zpl", "dpi300"),
}


class InPostShipX(PortDefaults):
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

    def capabilities(self) -> Capabilities:
        """ShipX numbers asynchronously and has no idempotency key: the reference lookup is ours."""
        return Capabilities(cod=True, cancel=True, async_numbering=True, labels=frozenset(LABEL_TYPES))

    def _call(
        self, method: str, path: str, action: str, reference: str = "", *, unknown_on_timeout: bool = False,
        **kwargs: Any,
    ) -> requests.Response:
        url = self.settings.base_url.rstrip("/") + path
        request_id = str(uuid.uuid4())
        context = {"reference": reference, "action": action, "request_id": request_id}
        try:
            response = self._session().request(
                method, url, timeout=self.settings.timeout, headers={"X-Request-ID": request_id}, **kwargs
            )
        except requests.Timeout as exc:
            if unknown_on_timeout:  # the shipment may exist: the retry looks it up by reference first
                raise OutcomeUnknownError(
                    f"InPost nie odpowiedział w {self.settings.timeout:g} s ({action}): przesyłka mogła "
                    "powstać. Ponowimy po sprawdzeniu jej po numerze zamówienia.",
                    code="carrier_outcome_unknown", details={**context, "error": type(exc).__name__},
                ) from exc
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
            raise shipx_error(response, action, context, self.settings)
        return response

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
        items = json_body(response, "wyszukiwanie przesyłki").get("items") or []
        # exact match only, and a canceled shipment no longer counts as this order's label
        found = [i for i in items if i.get("reference") == wanted and i.get("status") != CANCELED]
        return min(found, key=lambda i: int(i["id"])) if found else None

    def find_by_reference(self, reference: str) -> Shipment | None:
        """The order's shipment as InPost has it now (maybe not confirmed yet), or None."""
        found = self._find(reference)
        return self._shipment(found, reference) if found else None

    def create_shipment(self, request: ShipmentRequest, idempotency_key: str = "") -> Shipment:
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
                    unknown_on_timeout=True,
                )
                data = json_body(response, "tworzenie przesyłki")
                crash_point("carrier:answered")  # (bought at ShipX: the retry finds it by its reference)
        return self._await_confirmation(data, request.reference)

    def _await_confirmation(self, data: dict[str, Any], reference: str) -> Shipment:
        def read_status(shipment_id: str) -> dict[str, Any]:
            response = self._call("GET", f"/v1/shipments/{shipment_id}", "sprawdzanie statusu", reference)
            return json_body(response, "sprawdzanie statusu")

        confirmed = await_confirmation(data, reference, read_status, self.settings, self._monotonic)
        return self._shipment(confirmed, reference)

    def fetch_label(self, shipment: Shipment, kind: LabelFormat | LabelSpec) -> bytes:
        """The carrier's own label: PDF (A6 or A4), or ZPL at 203/300 dpi for a thermal printer,
        asked for natively and passed through as is."""
        spec = as_spec(kind)
        if isinstance(kind, str):  # the old call: the account's configured type
            file_format, label_type = kind.capitalize(), self.settings.label_type
        elif spec in LABEL_TYPES:
            file_format, label_type = LABEL_TYPES[spec]
        else:
            raise PermanentError(f"InPost nie drukuje etykiet {spec.fmt.upper()} {spec.page} {spec.dpi} dpi.",
                                 code="carrier_label_kind")
        fmt = spec.fmt
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
            params={"format": file_format, "type": label_type},
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

    def cancel_shipment(self, shipment: Shipment) -> None:
        """``DELETE /v1/shipments/{id}``: ShipX cancels a shipment not yet handed to InPost (its
        refusal, e.g. for one already dispatched, comes back as the carrier's reason in Polish).
        The route and its answers are not in our reference's sources and were not tried on the real
        ShipX or its sandbox: try a cancel on the sandbox before relying on it."""
        found = self._find(shipment.reference)
        if found is None or str(found["id"]) != shipment.shipment_id:
            return  # canceled already (or never the order's): nothing to cancel
        action = "anulowanie przesyłki"
        try:
            self._call("DELETE", f"/v1/shipments/{shipment.shipment_id}", action, shipment.reference)
        except StepError as exc:
            if exc.code in ("carrier_auth", "carrier_unreachable"):
                raise
            said = exc.details.get("message") or exc.reason
            raise PermanentError(
                f"InPost nie anulował przesyłki {shipment.tracking_number} ({action}): {said}. Anuluj ją w "
                "Managerze Paczek InPost albo zostaw etykietę.", code="carrier_refused",
                details={**exc.details, "tracking": shipment.tracking_number}) from exc

    def check_connection(self) -> str:
        """The organization's name if the token and organization id work (for the settings screen)."""
        response = self._call("GET", self._org_path(), "sprawdzanie połączenia")
        return str(json_body(response, "sprawdzanie połączenia").get("name") or "")
