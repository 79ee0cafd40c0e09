"""Shared pieces of the shop emulator: API errors, shop clock and date formats, money strings.

WooCommerce answers every failure with the same body, ``{"code", "message", "data": {"status"}}``;
raising ``ApiError`` anywhere below the HTTP layer keeps that shape in one place. Dates follow the
real shop: ``date_x`` is shop-local (Europe/Warsaw) and ``date_x_gmt`` is UTC, both without an
offset and in whole seconds. The Warsaw offset is computed from the EU summer-time rule instead of
``zoneinfo`` because Windows machines have no tz database unless ``tzdata`` is installed.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"
_CENT = Decimal("0.01")
_MICRO = Decimal("0.000001")


class ApiError(Exception):
    """A WooCommerce-shaped error: HTTP status, machine code, human message, extra data."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "data": {"status": self.status, **self.extra}}


def invalid_params(problems: dict[str, tuple[str, str]]) -> ApiError:
    """WordPress' answer to arguments failing the schema: one 400 naming every bad parameter.

    ``problems`` maps a parameter to (detail code, message), e.g. ``rest_invalid_type``.
    """
    names = ", ".join(problems)
    return ApiError(
        400,
        "rest_invalid_param",
        f"Invalid parameter(s): {names}",
        params={name: message for name, (_, message) in problems.items()},
        details={
            name: {"code": code, "message": message, "data": None}
            for name, (code, message) in problems.items()
        },
    )


# --- clock and dates ---------------------------------------------------------------------------


def utc_now() -> datetime:
    """Wall clock in naive UTC, whole seconds: the resolution WooCommerce stores dates with."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _last_sunday(year: int, month: int) -> datetime:
    day = datetime(year, month + 1, 1) - timedelta(days=1) if month < 12 else datetime(year, 12, 31)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def warsaw_offset(utc: datetime) -> timedelta:
    """CET/CEST offset at a UTC instant (summer time from the last Sunday of March 01:00 UTC
    to the last Sunday of October 01:00 UTC)."""
    start = _last_sunday(utc.year, 3).replace(hour=1)
    end = _last_sunday(utc.year, 10).replace(hour=1)
    return timedelta(hours=2) if start <= utc < end else timedelta(hours=1)


def to_local(utc: datetime) -> datetime:
    return utc + warsaw_offset(utc)


def local_to_utc(local: datetime) -> datetime:
    """Shop-local wall time to UTC; an ambiguous autumn hour resolves to summer time."""
    for hours in (2, 1):
        guess = local - timedelta(hours=hours)
        if warsaw_offset(guess) == timedelta(hours=hours):
            return guess
    return local - timedelta(hours=1)  # a wall time skipped in spring


def fmt_date(value: datetime | None) -> str | None:
    return value.strftime(DATE_FORMAT) if value else None


def date_fields(name: str, utc: datetime | None) -> dict[str, str | None]:
    """The ``name`` / ``name_gmt`` pair the API shows for one instant."""
    return {name: fmt_date(to_local(utc)) if utc else None, f"{name}_gmt": fmt_date(utc)}


def parse_stored(value: str) -> datetime:
    return datetime.strptime(value, DATE_FORMAT)


_RFC3339 = re.compile(r"^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$")


def parse_query_date(name: str, text: str, dates_are_gmt: bool) -> datetime:
    """A ``modified_after``-style argument as naive UTC, with the real shop's quirks.

    Observed on WooCommerce 8.9: only a full date-time passes (a date alone is a 400); with
    ``dates_are_gmt`` an explicit offset shifts the result by the shop's own UTC offset, and with
    fractional seconds the offset is ignored. The safe form (UTC, no offset, whole seconds, plus
    ``dates_are_gmt=true``) is the exact one.
    """
    match = _RFC3339.match(text or "")
    if not match:
        raise invalid_params({name: ("rest_invalid_date", "Invalid date.")})
    day, clock, fraction, offset = match.groups()
    wall = datetime.strptime(f"{day}T{clock}", DATE_FORMAT)
    if fraction:
        wall += timedelta(seconds=float(fraction))
    if fraction or not offset:
        return wall if dates_are_gmt else local_to_utc(wall)
    if offset in ("Z", "z"):
        delta = timedelta(0)
    else:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        delta = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
    utc = wall - delta
    return to_local(utc) if dates_are_gmt else utc


# --- money -------------------------------------------------------------------------------------


def q2(value: Decimal) -> Decimal:
    """Half-up to the grosz, as PHP's ``round`` does for the shop's 2 price decimals."""
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def q6(value: Decimal) -> Decimal:
    """WooCommerce keeps line amounts at 6 decimals (its rounding precision) before display."""
    return value.quantize(_MICRO, rounding=ROUND_HALF_UP)


def fmt2(value: Decimal) -> str:
    return f"{q2(value):.2f}"


def fmt_trim(value: Decimal, places: int = 6) -> str:
    """PHP-style decimal string without trailing zeros: ``11.032520`` -> ``11.03252``, 0 -> ``0``."""
    text = f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def to_money(value: Any, name: str) -> Decimal:
    """An amount sent by a client (string or number), or a 400 naming the field."""
    if isinstance(value, bool):
        raise invalid_params({name: ("rest_invalid_type", f"{name} is not of type string.")})
    try:
        return Decimal(str(value).strip() or "0")
    except ArithmeticError as exc:
        raise invalid_params({name: ("rest_invalid_type", f"{name} is not a number.")}) from exc
