"""ShipX's answers read as the project's errors, each said in Polish with the field it is about.

401/403 are ``carrier_auth`` and a validation refusal is ``carrier_refused`` (permanent: a person
must fix the settings or the order, and the reason names the field, with ShipX's path so support
can match it to the API); 429 and 5xx are ``carrier_unreachable`` (retried); a label asked for
too early is ``carrier_pending`` (asked again later).
"""

from __future__ import annotations

from typing import Any

import requests

from ...errors import PermanentError, RetryableError, StepError, WaitingError
from .settings import InPostSettings

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


def shipx_error(
    response: requests.Response, action: str, context: dict[str, Any], settings: InPostSettings
) -> StepError:
    """The error of an answer with status 400 or above; ``context`` names the order and call."""
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
    codes = [key] + [k for _, keys in flatten_details(details) for k in keys] if key else []
    info = {**context, "status": status, "error": key, "message": message[:300], "details": details,
            "carrier": "inpost", "carrier_codes": codes, "carrier_message": message[:300]}
    tag = f"HTTP {status}, {key}" if key else f"HTTP {status}"
    if status in (401, 403):
        return PermanentError(
            f"InPost odrzucił dane dostępowe ({tag}): sprawdź token API "
            "i numer organizacji w ustawieniach przewoźnika.",
            code="carrier_auth",
            details={**info, "organization_id": settings.organization_id},
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
            retry_after=settings.pending_retry_after,
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


def json_body(response: requests.Response, action: str) -> dict[str, Any]:
    """The answer's JSON object; anything else is a broken answer, worth another try."""
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
