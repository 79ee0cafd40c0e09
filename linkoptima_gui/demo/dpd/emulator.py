"""An emulated DPD Polska DPDServices (REST flavour) and MyPudo on loopback, strict about the
facts the reference gives.

Facts imitated (reference ``carriers.md`` §1.1, §6): ``POST /public/shipment/v1/{method}`` with
HTTP Basic (login, password) and ``X-DPD-FID: <masterFid>``, ``payerFID`` in the body; 401 answers
``{"status": ...}``, malformed requests 400 ``{"errors": [{code, subCode, userMessage, field,
rejectedValue}], "traceId"}``; ``generatePackagesNumbers`` answers synchronously with a
``sessionId`` and per-package / per-parcel ``status`` + ``waybill`` (``\\d{13}[A-Z]``), refusals as
non-``OK`` statuses with ``validationInfo`` inside a 200 body; ``generationPolicy``
STOP_ON_FIRST_ERROR | IGNORE_ERRORS | ALL_OR_NOTHING; labels (``generateSpedLabels``) as base64
``documentData`` in PDF or ZPL on ``A4`` | ``LBL_PRINTER``; ``generateProtocol``; a method not
switched on for the FID answers ``UNSPECIFIED_ERROR`` with an empty result; **no cancel**; no
lookup by reference; COD as the service ``COD`` with ``AMOUNT`` and ``CURRENCY`` (PLN, EUR, RON,
CZK).

Our guesses where the reference stops [I]: the JSON field names of the package (``receiver``,
``services``, ``parcels`` with ``sizeX..Z``), the label request by ``waybills``, EPL refused, the
DPD Pickup point as the service ``DPD_PICKUP`` with ``POINT_ID``, the MyPudo listing
``GET /api/pudo/list?key=&postcode=&city=``, ``packagesPickupCall`` on the REST path with a
``protocolId``, a waybill refused on a second protocol, and that DPD charges only the parcels on
a protocol (what the courier collects).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ...core.shipping.label_pdf import render_label_pdf
from ...core.shipping.label_zpl import render_label_zpl
from ..carrier_http import Call, CarrierEmulator, Reply
from .data import POINT_IDS, POINTS, label_content, point_json, protocol_pdf, waybill

API = "/public/shipment/v1/"
METHODS = ("generatePackagesNumbers", "generateSpedLabels", "generateProtocol", "packagesPickupCall")
POLICIES = ("STOP_ON_FIRST_ERROR", "IGNORE_ERRORS", "ALL_OR_NOTHING")
CURRENCIES = ("PLN", "EUR", "RON", "CZK")


def _error(status: int, code: str, message: str, field: str = "", rejected: Any = None) -> Reply:
    return Reply(status, {"errors": [{"code": code, "subCode": "", "userMessage": message, "field": field,
                                      "rejectedValue": rejected}], "traceId": secrets.token_hex(8)})


class DPDEmulator(CarrierEmulator):
    """One DPD customer (login, password, masterFid) with its state in ``<folder>/dpd.json``."""

    state_name = "dpd"

    def __init__(self, folder: Path, *, port: int = 0, clock: Callable[[], datetime] | None = None) -> None:
        self._open(folder, port, clock, lambda: {
            "login": "test", "password": secrets.token_urlsafe(10), "fid": "1495", "pudo_key": secrets.token_hex(8),
            "packages": {}, "protocols": {}, "pickups": {}, "seq": 0,
        })
        self.activated = set(METHODS)  # methods DPD switched on for this FID

    def credentials(self) -> dict[str, str]:
        return {"login": self.state["login"], "password": self.state["password"], "master_fid": self.state["fid"],
                "pudo_key": self.state["pudo_key"]}

    def generated(self) -> list[dict[str, Any]]:
        """Every package a number was generated for (free until handed over)."""
        with self._lock:
            return [p for p in self.state["packages"].values() if p["status"] == "OK"]

    def handed_over(self) -> list[dict[str, Any]]:
        """Packages on a handover protocol: what the courier collects and DPD charges."""
        with self._lock:
            return [p for p in self.generated() if p.get("protocol")]

    # --- one request ------------------------------------------------------------------------------

    def _answer(self, call: Call) -> Reply:
        with self._lock:
            if call.path.startswith("/api/pudo/"):
                return self._pudo(call)
            if not call.path.startswith(API) or call.method != "POST":
                return _error(404, "NOT_FOUND", f"No route {call.method} {call.path}")
            scheme, _, encoded = (call.headers.get("Authorization") or "").partition(" ")
            try:
                login, _, password = base64.b64decode(encoded).decode().partition(":")
            except ValueError:
                login, password = "", ""
            if scheme.lower() != "basic" or (login, password) != (self.state["login"], self.state["password"]):
                return Reply(401, {"status": "UNAUTHORIZED"})
            if call.headers.get("X-DPD-FID") != self.state["fid"]:
                return Reply(401, {"status": "UNAUTHORIZED_FID"})
            try:
                body = call.json() or {}
            except (UnicodeDecodeError, json.JSONDecodeError):
                return _error(400, "MALFORMED_REQUEST", "Malformed JSON")
            method = call.path[len(API):]
            if method not in METHODS:
                return _error(404, "NOT_FOUND", f"Unknown method {method}")
            if method not in self.activated:
                return Reply(200, {"status": "UNSPECIFIED_ERROR"})
            handler = {"generatePackagesNumbers": self._numbers, "generateSpedLabels": self._labels,
                       "generateProtocol": self._protocol, "packagesPickupCall": self._pickup}[method]
            reply = handler(body)
            self._save()
            return reply

    # --- packages ---------------------------------------------------------------------------------

    def _problems(self, package: dict[str, Any]) -> list[dict[str, Any]]:
        problems: list[tuple[str, str, str]] = []
        receiver = package.get("receiver") or {}
        services = {s.get("code"): {a.get("code"): a.get("value") for a in s.get("attributes") or []}
                    for s in package.get("services") or []}
        if not (receiver.get("name") or receiver.get("company")):
            problems.append(("EMPTY_RECEIVER_NAME", "receiver.name", "Brak nazwy odbiorcy"))
        if not re.fullmatch(r"\+?\d{9,11}", str(receiver.get("phone", ""))):
            problems.append(("INVALID_PHONE", "receiver.phone", "Niepoprawny numer telefonu"))
        if "DPD_PICKUP" in services:
            if services["DPD_PICKUP"].get("POINT_ID") not in POINT_IDS:
                problems.append(("INVALID_PUDO", "services.dpdPickup.pudo", "Nieznany punkt DPD Pickup"))
        elif not re.fullmatch(r"\d{5}", str(receiver.get("postalCode", ""))) or not receiver.get("address"):
            problems.append(("INVALID_POSTAL_CODE", "receiver.postalCode", "Niepoprawny kod pocztowy lub adres"))
        if "COD" in services:
            try:
                amount = Decimal(str(services["COD"].get("AMOUNT")))
            except InvalidOperation:
                amount = Decimal(-1)
            if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
                problems.append(("INVALID_COD_AMOUNT", "services.cod.amount", "Niepoprawna kwota pobrania"))
            if services["COD"].get("CURRENCY") not in CURRENCIES:
                problems.append(("INVALID_COD_CURRENCY", "services.cod.currency", "Niedozwolona waluta pobrania"))
        for parcel in package.get("parcels") or [{}]:
            if not 0 < float(parcel.get("weight") or 0) <= 31.5:
                problems.append(("INVALID_WEIGHT", "parcels.weight", "Waga paczki poza zakresem 0-31,5 kg"))
        return [{"errorCode": c, "fieldNames": [f], "info": i} for c, f, i in problems]

    def _numbers(self, body: dict[str, Any]) -> Reply:
        policy = body.get("generationPolicy", "STOP_ON_FIRST_ERROR")
        if policy not in POLICIES:
            return _error(400, "INVALID_VALUE", "Unknown generationPolicy", "generationPolicy", policy)
        packages = body.get("packages") or []
        if not packages:
            return _error(400, "NOT_EMPTY", "At least one package is required", "packages", [])
        if any(str(p.get("payerFID")) != self.state["fid"] for p in packages):
            return _error(400, "INVALID_PAYER", "payerFID is not one of this customer's FIDs", "payerFID")
        checked = [(p, self._problems(p)) for p in packages]
        failed = any(problems for _, problems in checked)
        session_id = str(700000 + self.state["seq"])
        answers: list[dict[str, Any]] = []
        for package, problems in checked:
            stop = failed and (policy == "ALL_OR_NOTHING" or (policy == "STOP_ON_FIRST_ERROR" and
                                                                any(a["status"] != "OK" for a in answers)))
            if problems or stop:
                status = "INCORRECT_DATA" if problems else "NOT_PROCESSED"
                answers.append({"status": status, "reference": package.get("reference", ""), "packageId": None,
                                "validationInfo": problems, "parcels": []})
                continue
            answers.append({"package": package})
        if failed and policy == "ALL_OR_NOTHING":
            answers = [a if "status" in a else {"status": "NOT_PROCESSED", "reference": a["package"].get("reference"),
                                                "packageId": None, "validationInfo": [], "parcels": []}
                       for a in answers]
        result = []
        for answer in answers:
            if "status" in answer:
                result.append(answer)
                continue
            self.state["seq"] += 1
            seq = self.state["seq"]
            package_id = str(40000000 + seq)
            number = waybill(seq)
            stored = {**answer["package"], "packageId": package_id, "waybill": number, "status": "OK",
                      "sessionId": session_id, "created": self._clock().isoformat(), "protocol": ""}
            self.state["packages"][package_id] = stored
            result.append({"status": "OK", "packageId": package_id, "reference": stored.get("reference", ""),
                           "validationInfo": [], "parcels": [{"status": "OK", "waybill": number,
                                                              "parcelId": str(90000000 + seq)}]})
        status = "OK" if all(a["status"] == "OK" for a in result) else "INCORRECT_DATA"
        return Reply(200, {"status": status, "sessionId": session_id, "packages": result})

    def _by_waybill(self, numbers: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
        known = {p["waybill"]: p for p in self.generated()}
        return [known[n] for n in numbers if n in known], [n for n in numbers if n not in known]

    def _labels(self, body: dict[str, Any]) -> Reply:
        found, unknown = self._by_waybill(list(body.get("waybills") or []))
        if unknown or not found:
            return _error(400, "WAYBILL_NOT_FOUND", "Unknown waybill", "waybills", unknown)
        fmt, page = body.get("outputDocFormat", "PDF"), body.get("format", "A4")
        if fmt not in ("PDF", "ZPL", "EPL") or page not in ("A4", "LBL_PRINTER"):
            return _error(400, "INVALID_VALUE", "Unsupported outputDocFormat/format", "outputDocFormat", fmt)
        if fmt == "EPL":
            return _error(400, "INVALID_VALUE", "EPL is not enabled for this FID", "outputDocFormat", fmt)
        content = label_content(found[0], found[0]["waybill"])
        data = render_label_zpl(content) if fmt == "ZPL" else render_label_pdf(content)
        return Reply(200, {"status": "OK", "documentData": base64.b64encode(data).decode("ascii")})

    def _protocol(self, body: dict[str, Any]) -> Reply:
        found, unknown = self._by_waybill(list(body.get("waybills") or []))
        if unknown or not found:
            return _error(400, "WAYBILL_NOT_FOUND", "Unknown waybill", "waybills", unknown)
        taken = [p["waybill"] for p in found if p["protocol"]]
        if taken:
            return _error(400, "ALREADY_IN_PROTOCOL", "Waybill is already on a protocol", "waybills", taken)
        document_id = f"PROT/{len(self.state['protocols']) + 1:05d}"
        for package in found:
            package["protocol"] = document_id
        day = self._clock().date().isoformat()
        self.state["protocols"][document_id] = [p["waybill"] for p in found]
        pdf = protocol_pdf(document_id, self.state["fid"], day, [(p["waybill"], p.get("reference", "")) for p in found])
        return Reply(200, {"status": "OK", "documentId": document_id,
                           "documentData": base64.b64encode(pdf).decode("ascii")})

    def _pickup(self, body: dict[str, Any]) -> Reply:
        if body.get("protocolId") not in self.state["protocols"]:
            return _error(400, "PROTOCOL_NOT_FOUND", "Unknown protocol", "protocolId", body.get("protocolId"))
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(body.get("pickupDate", ""))):
            return _error(400, "INVALID_VALUE", "pickupDate must be YYYY-MM-DD", "pickupDate", body.get("pickupDate"))
        number = f"{len(self.state['pickups']) + 1:08d}"
        self.state["pickups"][number] = {k: body.get(k) for k in ("pickupDate", "pickupTimeFrom", "pickupTimeTo",
                                                                  "protocolId", "parcelsCount")}
        return Reply(200, {"status": "OK", "orderNumber": number})

    def pickups(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            return dict(self.state["pickups"])

    # --- MyPudo -----------------------------------------------------------------------------------

    def _pudo(self, call: Call) -> Reply:
        query = dict(call.query)
        if query.get("key") != self.state["pudo_key"]:
            return Reply(403, {"error": "Invalid API key"})
        if call.path.rstrip("/") != "/api/pudo/list":
            return Reply(404, {"error": "Not found"})
        city, postcode = query.get("city", "").lower(), query.get("postcode", "")
        rows = [p for p in POINTS if (not city or p[2].lower() == city) and (not postcode or p[3] == postcode)]
        return Reply(200, {"points": [point_json(p) for p in rows]})
