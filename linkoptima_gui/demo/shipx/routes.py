"""The ShipX routes the emulator answers, with the token check in front of them.

Kept apart from the socket code so the behaviour reads in one place:

- ``GET  /v1/organizations/{org}``                      the organization (a cheap "does my token work")
- ``POST /v1/organizations/{org}/shipments``            create (simplified mode, ``service`` given): 201
- ``GET  /v1/organizations/{org}/shipments``            search: ``reference``, ``tracking_number``,
  ``id[]``, ``status[]``, ``page``, ``per_page``; a collection, newest first
- ``GET  /v1/shipments/{id}``                           one shipment
- ``GET  /v1/shipments/{id}/label?format=&type=``       the label bytes (see ``labels``)

Every request needs ``Authorization: Bearer <token>``; without it, or with another token, the
answer is 401 before any routing, as for an API that authenticates at its gateway [I]. A token
used on another organization's path is 403 ``access_forbidden`` [I]. An unknown path or method is
404 ``resource_not_found``. ``reference`` as a search criterion is [I]: the documented list is
longer than our notes record, and the adapter relies only on an exact match.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import labels, render
from .common import Response, ShipXError, not_found, validation_failed
from .store import ShipXStore
from .validation import check_shipment

DEFAULT_PER_PAGE = 25  # [I]
MAX_PER_PAGE = 100


@dataclass
class Request:
    method: str
    path: str
    pairs: list[tuple[str, str]]  # query parameters as sent, repeated names kept
    body: Any
    token: str  # what followed "Bearer " in the Authorization header, or ""
    base_url: str
    body_invalid: bool = False  # the body was sent but is not JSON

    @property
    def params(self) -> dict[str, str]:
        return dict(self.pairs)

    def values(self, name: str) -> list[str]:
        """A list parameter: ``name[]=a&name[]=b``, ``name=a,b`` or ``name=a&name=b``."""
        found = [v for k, v in self.pairs if k in (name, f"{name}[]")]
        return [part.strip() for value in found for part in value.split(",") if part.strip()]


Handler = Callable[[ShipXStore, Request, re.Match[str]], Response]


def _page_params(request: Request) -> tuple[int, int]:
    problems: dict[str, list[str]] = {}
    values = {}
    for name, default, high in (("page", 1, None), ("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)):
        raw = request.params.get(name, "")
        value = int(raw) if raw.isdigit() else (default if raw == "" else 0)
        if value < 1 or (high is not None and value > high):
            problems[name] = ["invalid"]
        values[name] = value
    if problems:
        raise validation_failed(problems)
    return values["page"], values["per_page"]


def _organization(store: ShipXStore, match: re.Match[str]) -> int:
    organization_id = int(match[1])
    if organization_id != store.organization_id:
        raise ShipXError(403, "access_forbidden", "You are not a member of this organization.")
    return organization_id


def get_organization(store: ShipXStore, request: Request, match: re.Match[str]) -> Response:
    organization_id = _organization(store, match)
    return Response(200, render.organization(organization_id, store.organization() or {}, request.base_url))


def create_shipment(store: ShipXStore, request: Request, match: re.Match[str]) -> Response:
    organization_id = _organization(store, match)
    if request.body_invalid:
        raise ShipXError(400, "invalid_request", "Request body is not valid JSON.")
    data = check_shipment(request.body)
    if data["sender"] is None:  # the organization's own data, as ShipX does by default
        data["sender"] = store.organization()
    row = store.create(organization_id, data)
    return Response(201, render.shipment(row, request.base_url))


def search_shipments(store: ShipXStore, request: Request, match: re.Match[str]) -> Response:
    organization_id = _organization(store, match)
    page, per_page = _page_params(request)
    raw_ids = request.values("id")
    if not all(v.isdigit() for v in raw_ids):
        raise validation_failed({"id": ["invalid"]})
    rows, total = store.search(
        organization_id,
        ids=[int(v) for v in raw_ids],
        reference=request.params.get("reference"),
        tracking_number=request.params.get("tracking_number"),
        statuses=request.values("status"),
        page=page,
        per_page=per_page,
    )
    href = f"{request.base_url}/v1/organizations/{organization_id}/shipments"
    items = [render.shipment(row, request.base_url) for row in rows]
    return Response(200, render.collection(href, items, total, page, per_page))


#: statuses in which the sender may still cancel (before InPost has the parcel)
CANCELABLE = frozenset({"created", "offers_prepared", "offer_selected", "confirmed"})


def _own_shipment(store: ShipXStore, shipment_id: int, poll: bool) -> Any:
    row = store.read(shipment_id, poll=poll)
    if row is None or row.organization_id != store.organization_id:
        raise not_found()
    return row


def get_shipment(store: ShipXStore, request: Request, match: re.Match[str]) -> Response:
    return Response(200, render.shipment(_own_shipment(store, int(match[1]), True), request.base_url))


def get_label(store: ShipXStore, request: Request, match: re.Match[str]) -> Response:
    # Asking for the label is not a status poll; a shipment already due is still moved on.
    return labels.label(_own_shipment(store, int(match[1]), False), request.params)


def cancel_shipment(store: ShipXStore, request: Request, match: re.Match[str]) -> Response:
    """A shipment still in the sender's hands is canceled (204); one handed over is refused."""
    row = _own_shipment(store, int(match[1]), False)
    if row.status not in CANCELABLE:
        raise ShipXError(400, "invalid_action", f"Shipment in status {row.status} cannot be canceled.")
    store.set_status(row.id, "canceled")
    return Response(204, b"")


_ROUTES: list[tuple[re.Pattern[str], dict[str, Handler]]] = [
    (re.compile(r"^/v1/organizations/(\d+)$"), {"GET": get_organization}),
    (re.compile(r"^/v1/organizations/(\d+)/shipments$"), {"GET": search_shipments, "POST": create_shipment}),
    (re.compile(r"^/v1/shipments/(\d+)$"), {"GET": get_shipment, "DELETE": cancel_shipment}),
    (re.compile(r"^/v1/shipments/(\d+)/label$"), {"GET": get_label}),
]


def dispatch(store: ShipXStore, request: Request) -> Response:
    """Authenticate, then route; raises ``ShipXError`` for every ShipX-shaped failure."""
    sent = request.token.encode("utf-8", "surrogateescape")
    if not sent or not hmac.compare_digest(sent, store.token.encode("ascii")):
        raise ShipXError(401, "token_invalid", "Token is missing or invalid.")
    path = request.path.rstrip("/") or "/"
    for pattern, methods in _ROUTES:
        match = pattern.match(path)
        if match and request.method in methods:
            return methods[request.method](store, request, match)
    raise not_found()
