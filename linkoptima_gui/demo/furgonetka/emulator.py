"""An emulated Furgonetka.pl REST API on loopback, strict about the facts the reference gives.

Facts imitated (reference ``carriers.md`` §1.7, §6): OAuth2 token endpoint with HTTP Basic client
credentials, password and refresh grants, expiring access tokens and **at most 20 open sessions
per app and user: the 21st silently revokes the oldest**; the versioned ``Accept:
application/vnd.furgonetka.v1+json``; ``POST /packages/validate`` and ``POST /packages`` (a draft);
``PUT /order-commands/{uuid}`` with a client-chosen UUID, polled with ``GET`` until it ends
(``in_progress`` for ``ready_after_polls`` reads, then ``successful`` or ``failed``); replaying a
UUID returns the first command and never orders twice; the label refused before the order
succeeded, then PDF (a4/a6) or ZPL by ``page_format``/``file_format``; ``PUT /cancel-command/{uuid}``;
tracking; ``/points/map``; ``PUT /pickup-commands/{uuid}``.

Our choices where the sources stop [I], to be checked on the sandbox: the JSON error body
``{"errors": [{"path", "message"}]}`` (its real shape is not documented), the package listing
``GET /packages?user_reference_number=`` used to find an order's package, the COD amount as a
decimal string in złote, the waybill under ``parcels[].package_no``, EPL refused.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from ...core.shipping.label_pdf import render_label_pdf
from ...core.shipping.label_zpl import render_label_zpl
from ..carrier_http import Call, CarrierEmulator, Reply
from .data import POINT_SERVICES, POINTS, SERVICES, label_content, point_json, waybill

ACCEPT = "application/vnd.furgonetka.v1+json"
MAX_SESSIONS = 20
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
LOCKER_RE = re.compile(r"^[A-Z]{3}\d{2,3}[A-Z]{0,2}$")
POSTCODE_RE = re.compile(r"^\d{2}-\d{3}$")


def _errors(status: int, *pairs: tuple[str, str]) -> Reply:
    return Reply(status, {"errors": [{"path": path, "message": message} for path, message in pairs]})


class FurgonetkaEmulator(CarrierEmulator):
    """One Furgonetka account (client id/secret, user login) with its state in ``<folder>/furgonetka.json``."""

    state_name = "furgonetka"

    def __init__(self, folder: Path, *, port: int = 0, ready_after_polls: int = 2,
                 token_seconds: float = 30 * 86400, clock: Callable[[], datetime] | None = None) -> None:
        self.ready_after_polls = ready_after_polls
        self.token_seconds = token_seconds
        self._open(folder, port, clock, lambda: {
            "client_id": "lo-" + secrets.token_hex(6), "client_secret": secrets.token_hex(16),
            "username": "sklep@linkoptima.demo", "password": secrets.token_urlsafe(12),
            "sessions": [], "packages": {}, "commands": {}, "pickups": {}, "seq": 0,
        })
        self.refuse_next: list[str] = []  # reasons the next order commands fail with

    # --- life cycle and test hooks ----------------------------------------------------------------

    def credentials(self) -> dict[str, str]:
        return {k: self.state[k] for k in ("client_id", "client_secret", "username", "password")}

    def ordered(self) -> list[dict[str, Any]]:
        """Packages bought (ordered and not cancelled): what the shop pays for."""
        with self._lock:
            return [p for p in self.state["packages"].values() if p["state"] == "ordered"]

    def hand_over(self, package_id: str) -> None:
        """The courier took the parcel: it can no longer be cancelled."""
        with self._lock:
            self.state["packages"][package_id]["state_courier"] = "collected"
            self._save()

    # --- one request ------------------------------------------------------------------------------

    def _answer(self, call: Call) -> Reply:
        with self._lock:
            if call.path == "/oauth/token" and call.method == "POST":
                return self._token(call)
            if not (call.headers.get("Accept") or "").startswith(ACCEPT):
                return _errors(406, ("headers.accept", f"Use Accept: {ACCEPT}"))
            if not self._authorised(call):
                return _errors(401, ("headers.authorization", "Invalid or expired access token"))
            try:
                body = call.json()
            except (UnicodeDecodeError, json.JSONDecodeError):
                return _errors(400, ("", "Malformed JSON"))
            reply = self._route(call, body)
            self._save()
            return reply

    def _route(self, call: Call, body: Any) -> Reply:
        parts = [p for p in call.path.split("/") if p]
        method = call.method
        if parts == ["packages", "validate"] and method == "POST":
            problems = self._problems(body or {})
            return _errors(422, *problems) if problems else Reply(200, {"errors": []})
        if parts == ["packages"] and method == "POST":
            return self._create_package(body or {})
        if parts == ["packages"] and method == "GET":
            wanted = dict(call.query).get("user_reference_number", "")
            found = [p for p in self.state["packages"].values() if p["user_reference_number"] == wanted]
            return Reply(200, {"packages": found})
        if len(parts) >= 2 and parts[0] == "packages":
            package = self.state["packages"].get(parts[1])
            if package is None:
                return _errors(404, ("package_id", "Package not found"))
            if len(parts) == 2 and method == "GET":
                return Reply(200, package)
            if parts[2:] == ["label"] and method == "GET":
                return self._label(package, dict(call.query))
            if parts[2:] == ["tracking"] and method == "GET":
                return Reply(200, {"tracking": package.get("tracking", [])})
        if len(parts) == 2 and parts[0] in ("order-commands", "cancel-command", "pickup-commands"):
            if not UUID_RE.match(parts[1]):
                return _errors(400, ("uuid", "Command id must be a UUID"))
            if method == "PUT":
                return self._put_command(parts[0], parts[1], body or {})
            if method == "GET":
                return self._poll_command(parts[1])
        if parts == ["points", "map"] and method == "GET":
            return self._points(call.query)
        return _errors(404, ("", f"No route {method} {call.path}"))

    # --- OAuth2 -----------------------------------------------------------------------------------

    def _token(self, call: Call) -> Reply:
        scheme, _, encoded = (call.headers.get("Authorization") or "").partition(" ")
        try:
            client_id, _, secret = base64.b64decode(encoded).decode().partition(":")
        except ValueError:
            client_id, secret = "", ""
        if scheme.lower() != "basic" or (client_id, secret) != (self.state["client_id"], self.state["client_secret"]):
            return Reply(401, {"error": "invalid_client", "error_description": "Client authentication failed"})
        form = dict(call.query) | dict(_form(call.body))
        sessions: list[dict[str, Any]] = self.state["sessions"]
        if form.get("grant_type") == "password":
            if (form.get("username"), form.get("password")) != (self.state["username"], self.state["password"]):
                return Reply(400, {"error": "invalid_grant", "error_description": "Invalid user credentials"})
            session: dict[str, Any] = {}
            sessions.append(session)
            del sessions[:-MAX_SESSIONS]  # the 21st session silently revokes the oldest
        elif form.get("grant_type") == "refresh_token":
            found = [s for s in sessions if s["refresh"] == form.get("refresh_token")]
            if not found:
                return Reply(400, {"error": "invalid_grant", "error_description": "Refresh token is invalid"})
            session = found[0]
        else:
            return Reply(400, {"error": "unsupported_grant_type", "error_description": "Unsupported grant"})
        expires = self._clock() + timedelta(seconds=self.token_seconds)
        session.update(access=secrets.token_urlsafe(24), refresh=secrets.token_urlsafe(24),
                       expires=expires.isoformat())
        self._save()
        return Reply(200, {"token_type": "Bearer", "access_token": session["access"],
                           "refresh_token": session["refresh"], "expires_in": int(self.token_seconds)})

    def _authorised(self, call: Call) -> bool:
        scheme, _, token = (call.headers.get("Authorization") or "").partition(" ")
        now = self._clock()
        return scheme.lower() == "bearer" and any(
            s["access"] == token and datetime.fromisoformat(s["expires"]) > now for s in self.state["sessions"])

    # --- packages ---------------------------------------------------------------------------------

    def _problems(self, body: dict[str, Any]) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        service = body.get("service")
        if service not in SERVICES:
            problems.append(("service", f"Unknown service {service!r}"))
        receiver = body.get("receiver") or {}
        if not (receiver.get("name") or receiver.get("company")):
            problems.append(("receiver.name", "Receiver name is required"))
        if not re.fullmatch(r"\+?\d{9,11}", str(receiver.get("phone", "")).replace(" ", "")):
            problems.append(("receiver.phone", "Invalid phone number"))
        if service in POINT_SERVICES:
            point = str(receiver.get("point") or "")
            locker = service == "inpost" and LOCKER_RE.match(point)  # the demo's lockers, InPost's naming [I]
            if not locker and point not in {p[1] for p in POINTS if p[0] == service}:
                problems.append(("receiver.point", "Unknown pickup point for this service"))
        elif not POSTCODE_RE.match(str(receiver.get("postcode", ""))) or not receiver.get("street"):
            problems.append(("receiver.postcode", "Invalid postcode or street"))
        parcels = body.get("parcels") or []
        if not parcels:
            problems.append(("parcels", "At least one parcel is required"))
        for i, parcel in enumerate(parcels):
            try:
                weight = Decimal(str(parcel.get("weight")))
            except InvalidOperation:
                weight = Decimal(0)
            if not (0 < weight <= 31.5):
                problems.append((f"parcels[{i}].weight", "Weight must be between 0 and 31.5 kg"))
        cod = (body.get("additional_services") or {}).get("cod")
        if cod is not None:
            try:
                amount = Decimal(str(cod.get("amount")))
            except InvalidOperation:
                amount = Decimal(-1)
            if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
                problems.append(("additional_services.cod.amount", "Invalid COD amount"))
            if not re.fullmatch(r"(PL)?\d{26}", str(cod.get("iban", "")).replace(" ", "")):
                problems.append(("additional_services.cod.iban", "Invalid bank account number"))
        return problems

    def _create_package(self, body: dict[str, Any]) -> Reply:
        problems = self._problems(body)
        if problems:
            return _errors(422, *problems)
        self.state["seq"] += 1
        package_id = str(7000000 + self.state["seq"])
        package = {**body, "package_id": package_id, "state": "draft", "parcels": body["parcels"],
                   "created": self._clock().isoformat(), "waybill": ""}
        self.state["packages"][package_id] = package
        return Reply(201, package)

    def _label(self, package: dict[str, Any], query: dict[str, str]) -> Reply:
        if package["state"] != "ordered":
            return _errors(409, ("package_id", f"Package is {package['state']}: no label"))
        page, fmt = query.get("page_format", "a6"), query.get("file_format", "pdf")
        if page not in ("a4", "a6") or fmt not in ("pdf", "zpl", "epl"):
            return _errors(400, ("file_format", "Unsupported label format"))
        if fmt == "epl":
            return _errors(400, ("file_format", "EPL is not available for this account"))
        content = label_content(package)
        if fmt == "zpl":
            return Reply(200, render_label_zpl(content), content_type="application/zpl")
        return Reply(200, render_label_pdf(content), content_type="application/pdf")

    # --- commands ---------------------------------------------------------------------------------

    def _put_command(self, kind: str, uuid: str, body: dict[str, Any]) -> Reply:
        commands = self.state["commands"]
        if uuid in commands:  # a replay: the first command stands, nothing is done twice
            return Reply(200, commands[uuid])
        ids = [str(p.get("id")) for p in body.get("packages") or []]
        unknown = [i for i in ids if i not in self.state["packages"]]
        if not ids or unknown:
            return _errors(422, ("packages", f"Unknown packages {unknown or ids}"))
        command = {"uuid": uuid, "type": kind, "status": "waiting", "packages": [{"id": i} for i in ids],
                   "polls": 0, "errors": [], "body": {k: v for k, v in body.items() if k != "packages"}}
        if kind == "order-commands" and self.refuse_next:
            command["refusal"] = self.refuse_next.pop(0)
        commands[uuid] = command
        if kind == "pickup-commands":
            self._finish(command)
        return Reply(201, command)

    def _poll_command(self, uuid: str) -> Reply:
        command = self.state["commands"].get(uuid)
        if command is None:
            return _errors(404, ("uuid", "Command not found"))
        if command["status"] in ("waiting", "in_progress"):
            command["polls"] += 1
            command["status"] = "in_progress"
            if command["polls"] >= self.ready_after_polls:
                self._finish(command)
        return Reply(200, {k: v for k, v in command.items() if k not in ("polls", "refusal", "body")})

    def _finish(self, command: dict[str, Any]) -> None:
        packages = [self.state["packages"][p["id"]] for p in command["packages"]]
        if command.get("refusal"):
            command["status"], command["errors"] = "failed", [{"path": "packages", "message": command["refusal"]}]
            return
        if command["type"] == "order-commands":
            for package in packages:
                if package["state"] == "draft":
                    self.state["seq"] += 1
                    package["state"], package["waybill"] = "ordered", waybill(package["service"], self.state["seq"])
                    package["parcels"] = [{**package["parcels"][0], "package_no": package["waybill"]}]
                    package["tracking"] = [{"datetime": self._clock().isoformat(), "status": "registered",
                                            "description": "Przesyłka zarejestrowana"}]
        elif command["type"] == "cancel-command":
            taken = [p["package_id"] for p in packages if p.get("state_courier") == "collected"]
            if taken:
                command["status"] = "failed"
                command["errors"] = [{"path": "packages", "message": "Przesyłka została już odebrana przez kuriera"}]
                return
            for package in packages:
                package["state"] = "cancelled"
        else:
            pickup_no = f"ZK{len(self.state['pickups']) + 1:06d}"
            self.state["pickups"][pickup_no] = {"packages": command["packages"], **command["body"]}
            command["pickup_number"] = pickup_no
        command["status"] = "successful"

    def _points(self, query: list[tuple[str, str]]) -> Reply:
        services = {v for k, v in query if k in ("services[]", "services")}
        city = dict(query).get("city", "").lower()
        rows = [p for p in POINTS if (not services or p[0] in services) and (not city or p[3].lower() == city)]
        return Reply(200, {"points": [point_json(p) for p in rows]})


def _form(body: bytes) -> list[tuple[str, str]]:
    return parse_qsl(body.decode("utf-8"), keep_blank_values=True) if body else []
