"""What ShipX checks before it accepts ``POST /v1/organizations/{id}/shipments``.

The point of the emulator is that the adapter meets the refusals a real account would give, in
the same shape: one 400 ``validation_failed`` naming every wrong attribute. Nested attributes
come back nested (``{"receiver": [{"email": ["required"]}]}``), parcels as a list aligned with
the request's parcels. Documented rules [C]: a locker shipment needs ``receiver.email``,
``receiver.phone`` and ``custom_attributes.target_point``; a courier shipment needs a name or
company and a full address; 1..1000 parcels (several only for courier); ``reference`` 3-100
characters; templates ``small/medium/large`` belong to lockers, courier parcels send dimensions
(mm) and weight (kg), at most 25 kg; the allowed ``sending_method`` per service; a ``POP-``
target turns a locker shipment into ``inpost_locker_customer_service_point``.

Inferred [I]: which error key each check uses, the 9-digit phone, the point code pattern (the
real API looks the point up in its database; here a plausible code is taken to exist), domestic
addresses only, and the 5000 zł cash-on-delivery ceiling.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from .common import (
    LOCKER_SERVICE_POINT,
    MAX_COD,
    MAX_WEIGHT_KG,
    SENDING_METHODS,
    SERVICES,
    TEMPLATES,
    ShipXError,
    is_locker,
    validation_failed,
)

Path = tuple[str | int, ...]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\d{9}$")
_POST_CODE = re.compile(r"^\d{2}-\d{3}$")
_LOCKER_POINT = re.compile(r"^[A-Z]{3}\d{2,5}[A-Z]{0,2}(-\w+)?$")
_POP_POINT = re.compile(r"^POP-[A-Z]{3}\d{1,5}$")
MAX_PARCELS = 1000


class Problems:
    """Collects error keys by attribute path and renders them the way ShipX nests them."""

    def __init__(self) -> None:
        self._tree: dict[Any, Any] = {}

    def add(self, path: Path, key: str) -> None:
        node = self._tree
        for part in path[:-1]:
            node = node.setdefault(part, {})
        keys = node.setdefault(path[-1], [])
        if key not in keys:
            keys.append(key)

    def __bool__(self) -> bool:
        return bool(self._tree)

    def details(self) -> dict[str, Any]:
        return self._render(self._tree)

    def _render(self, node: dict[Any, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in node.items():
            if isinstance(value, list):
                out[name] = value
            elif all(isinstance(k, int) for k in value):  # a list attribute: one entry per item
                out[name] = [self._render(value.get(i, {})) for i in range(max(value) + 1)]
            else:
                out[name] = [self._render(value)]
        return out


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _number(value: Any) -> Decimal | None:
    """A JSON number (or a numeric string, which ShipX also takes [I]); None if it is neither."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _object(payload: dict[str, Any], name: str, problems: Problems, path: Path) -> dict[str, Any]:
    value = payload.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.add((*path, name), "invalid")
        return {}
    return value


def _receiver(payload: dict[str, Any], service: str, problems: Problems) -> dict[str, Any]:
    if not isinstance(payload.get("receiver"), dict):
        problems.add(("receiver",), "required" if payload.get("receiver") is None else "invalid")
        return {}
    raw = payload["receiver"]
    receiver = {
        k: _text(raw.get(k)) for k in ("name", "company_name", "first_name", "last_name", "email", "phone")
    }
    email, phone = receiver["email"], receiver["phone"]
    if email and not _EMAIL.match(email):
        problems.add(("receiver", "email"), "invalid")
    if phone and not _PHONE.match(phone):
        problems.add(("receiver", "phone"), "invalid")
    if not phone:
        problems.add(("receiver", "phone"), "required")
    address = _object(raw, "address", problems, ("receiver",))
    if is_locker(service):
        if not email:
            problems.add(("receiver", "email"), "required")
    else:
        has_name = (
            receiver["company_name"] or receiver["name"] or (receiver["first_name"] and receiver["last_name"])
        )
        if not has_name:
            problems.add(("receiver", "name"), "required")
        if not address:
            problems.add(("receiver", "address"), "required")
        for part in ("street", "building_number", "city", "post_code", "country_code"):
            if address and not _text(address.get(part)):
                problems.add(("receiver", "address", part), "required")
        post_code, country = _text(address.get("post_code")), _text(address.get("country_code"))
        if post_code and not _POST_CODE.match(post_code):
            problems.add(("receiver", "address", "post_code"), "invalid_format")
        if country and country.upper() != "PL":
            problems.add(("receiver", "address", "country_code"), "invalid")
    if address:
        receiver["address"] = {
            k: _text(address.get(k))
            for k in ("street", "building_number", "line1", "line2", "city", "post_code", "country_code")
        }
    return receiver


def _weight(raw: dict[str, Any], path: Path, problems: Problems, required: bool) -> dict[str, Any] | None:
    weight = raw.get("weight")
    if weight is None:
        if required:
            problems.add((*path, "weight"), "required")
        return None
    amount = _number(weight.get("amount")) if isinstance(weight, dict) else None
    unit = (_text(weight.get("unit")) or "kg") if isinstance(weight, dict) else ""
    if amount is None or amount <= 0 or unit != "kg":
        problems.add((*path, "weight"), "invalid")
        return None
    if amount > MAX_WEIGHT_KG:
        problems.add((*path, "weight"), "too_heavy")
    return {"amount": amount, "unit": "kg"}


def _dimensions(raw: dict[str, Any], path: Path, problems: Problems) -> dict[str, Any] | None:
    dims = raw.get("dimensions")
    if not isinstance(dims, dict):
        problems.add((*path, "dimensions"), "required" if dims is None else "invalid")
        return None
    values = {k: _number(dims.get(k)) for k in ("length", "width", "height")}
    if any(v is None or v <= 0 for v in values.values()) or (_text(dims.get("unit")) or "mm") != "mm":
        problems.add((*path, "dimensions"), "invalid")
        return None
    return {**values, "unit": "mm"}


def _fitting_template(dims: dict[str, Any]) -> str | None:
    """The smallest locker template the box fits in, turned any way round."""
    box = sorted((dims["height"], dims["width"], dims["length"]))
    for name, size in TEMPLATES.items():
        if all(a <= b for a, b in zip(box, sorted(size), strict=True)):
            return name
    return None


def _parcels(payload: dict[str, Any], service: str, problems: Problems) -> list[dict[str, Any]]:
    raw = payload.get("parcels")
    if isinstance(raw, dict):  # a single parcel object is accepted as a one-element list [I]
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        problems.add(("parcels",), "required" if not raw else "invalid")
        return []
    if len(raw) > MAX_PARCELS or (is_locker(service) and len(raw) > 1):
        problems.add(("parcels",), "too_many")
        return []
    parcels = []
    for index, item in enumerate(raw):
        path: Path = ("parcels", index)
        if not isinstance(item, dict):
            problems.add((*path, "template"), "invalid")
            continue
        template = _text(item.get("template")) or None
        parcel: dict[str, Any] = {
            "id": _text(item.get("id")) or None,
            "template": template,
            "dimensions": None,
        }
        if is_locker(service):
            if template and template not in TEMPLATES:
                problems.add((*path, "template"), "invalid")
            elif not template and item.get("dimensions") is None:
                problems.add((*path, "template"), "required")
            elif not template:
                dims = _dimensions(item, path, problems)
                parcel["dimensions"] = dims
                parcel["template"] = _fitting_template(dims) if dims else None
                if dims and parcel["template"] is None:
                    problems.add((*path, "dimensions"), "too_big")
            parcel["weight"] = _weight(item, path, problems, required=False)
        else:
            if template:
                problems.add((*path, "template"), "invalid")  # templates are for lockers only
            parcel["dimensions"] = _dimensions(item, path, problems)
            parcel["weight"] = _weight(item, path, problems, required=True)
        parcels.append(parcel)
    return parcels


def _amount(
    payload: dict[str, Any], name: str, problems: Problems, ceiling: Decimal | None
) -> dict[str, Any]:
    raw = payload.get(name)
    if raw is None:
        return {"amount": None, "currency": "PLN"}
    amount = _number(raw.get("amount")) if isinstance(raw, dict) else None
    currency = (_text(raw.get("currency")) or "PLN") if isinstance(raw, dict) else ""
    if amount is None or amount < 0 or (ceiling is not None and amount > ceiling):
        problems.add((name, "amount"), "invalid")
    if currency != "PLN":
        problems.add((name, "currency"), "invalid")
    return {"amount": amount, "currency": "PLN"}


def check_shipment(payload: Any) -> dict[str, Any]:
    """The accepted shipment's data, normalised; raises 400 ``validation_failed`` otherwise."""
    if not isinstance(payload, dict):
        raise ShipXError(400, "invalid_request", "Request body must be a JSON object.")
    problems = Problems()
    service = _text(payload.get("service"))
    if not service:
        problems.add(("service",), "required")
    elif service not in SERVICES:
        problems.add(("service",), "invalid")
    reference = payload.get("reference")
    if reference is not None and not isinstance(reference, str):
        problems.add(("reference",), "invalid")
        reference = None
    elif reference:
        if len(reference) < 3:
            problems.add(("reference",), "too_short")
        elif len(reference) > 100:
            problems.add(("reference",), "too_long")
    known = service if service in SERVICES else ""
    receiver = _receiver(payload, known, problems) if known else {}
    custom = _object(payload, "custom_attributes", problems, ())
    attributes = {k: _text(v) for k, v in custom.items() if isinstance(v, str)}
    effective = service
    if known and is_locker(known):
        point = attributes.get("target_point", "")
        if not point:
            problems.add(("custom_attributes", "target_point"), "required")
        elif _POP_POINT.match(point):
            effective = LOCKER_SERVICE_POINT
        elif not _LOCKER_POINT.match(point):
            problems.add(("custom_attributes", "target_point"), "does_not_exist")
    method = attributes.get("sending_method")
    if known and method and method not in SENDING_METHODS[known]:
        problems.add(("custom_attributes", "sending_method"), "invalid")
    parcels = _parcels(payload, known, problems) if known else []
    cod = _amount(payload, "cod", problems, MAX_COD)
    insurance = _amount(payload, "insurance", problems, None)
    if problems:
        raise validation_failed(problems.details())
    return {
        "service": effective,
        "reference": reference or None,
        "receiver": receiver,
        "sender": payload.get("sender") if isinstance(payload.get("sender"), dict) else None,
        "parcels": parcels,
        "custom_attributes": attributes,
        "cod": cod,
        "insurance": insurance,
        "additional_services": [s for s in payload.get("additional_services") or [] if isinstance(s, str)],
        "comments": _text(payload.get("comments")) or None,
        "is_return": payload.get("is_return") is True,
    }
