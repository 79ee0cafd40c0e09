"""Orders as the intake may store them: their structure checked before anything reads it.

Why before the mapping: the intake stores an order before it maps it, keys it by ``id``, moves
its watermark by ``date_modified_gmt``, and the stock sync sums the stored lines' quantities. One
order with a broken structure (a field of the wrong type, a body that is not JSON, a date in the
far future) would stop the whole intake there, or push the watermark past every later order,
instead of failing alone. So the client passes each listed order through ``guard_order``: a
sound one comes back unchanged; a broken one is replaced by a stand-in that keeps its id, number,
status and the reason, and the mapping turns the stand-in into an exception on that order
(``unreadable_reason``). When the shop corrects the order its modification date changes, the
next poll reads it again and it flows on. An item without an id cannot be pinned on any order:
it is logged and skipped.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

log = logging.getLogger(__name__)

#: the key that marks a stand-in (never a WooCommerce field: those have no such prefix)
UNREADABLE = "_linkoptima_unreadable"
#: a modification date further ahead than this is a broken clock, not an order
FUTURE_TOLERANCE = timedelta(days=1)

_OBJECTS = ("billing", "shipping")
_LISTS = ("meta_data", "line_items", "shipping_lines", "fee_lines", "coupon_lines", "tax_lines", "refunds")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
_INTEGER = re.compile(r"^\s*-?\d+\s*$")
_TYPE_NAMES = {dict: "obiekt", list: "lista", str: "tekst", int: "liczba", float: "liczba", bool: "wartość logiczna"}


def _kind(value: Any) -> str:
    return "null" if value is None else _TYPE_NAMES.get(type(value), type(value).__name__)


def order_id_of(item: Any) -> int | None:
    """The order's id when it has a usable one (a positive integer, or its digits as text)."""
    if not isinstance(item, Mapping):
        return None
    value = item.get("id")
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.strip().isdigit() and int(value) > 0:
        return int(value)
    return None


def _valid_date(value: Any) -> bool:
    if not isinstance(value, str) or not _DATE.match(value):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def shape_problem(order: Mapping[str, Any], now: datetime | None = None) -> str | None:
    """Why this order cannot be stored as it is (Polish), or None when its structure is sound."""
    for name in _OBJECTS:
        if order.get(name) is not None and not isinstance(order[name], Mapping):
            return f"pole „{name}” ma typ {_kind(order[name])} zamiast obiektu"
    for name in _LISTS:
        value = order.get(name)
        if value is None:
            continue
        if not isinstance(value, list):
            return f"pole „{name}” ma typ {_kind(value)} zamiast listy"
        if any(not isinstance(entry, Mapping) for entry in value):
            return f"lista „{name}” zawiera element, który nie jest obiektem"
    for position, line in enumerate(order.get("line_items") or [], start=1):
        quantity = line.get("quantity")
        if not (quantity in (None, "") or (isinstance(quantity, int | float) and not isinstance(quantity, bool))
                or (isinstance(quantity, str) and _INTEGER.match(quantity))):
            return f"pozycja {position} ma ilość {quantity!r}, która nie jest liczbą całkowitą"
        meta = line.get("meta_data")
        if meta is not None and (not isinstance(meta, list) or any(not isinstance(m, Mapping) for m in meta)):
            return f"pozycja {position} ma niepoprawne pole „meta_data”"
    for name in ("status", "number"):
        if order.get(name) is not None and not isinstance(order[name], str | int):
            return f"pole „{name}” ma typ {_kind(order[name])}"
    for name in ("date_created_gmt", "date_modified_gmt"):
        value = order.get(name)
        if value not in (None, "") and not _valid_date(value):
            return f"pole „{name}” ma niepoprawną datę {str(value)[:40]!r}"
    modified = order.get("date_modified_gmt")
    if _valid_date(modified):
        clock = now or datetime.now(UTC).replace(tzinfo=None)
        if datetime.fromisoformat(modified) > clock + FUTURE_TOLERANCE:
            return (f"data modyfikacji {modified} (UTC) jest w przyszłości; sprawdź zegar i strefę czasową "
                    "serwera sklepu")
    return None


def unreadable_order(order_id: int, reason: str, source: Any = None) -> dict[str, Any]:
    """The stand-in for an order that cannot be read: what is safe to keep of it, and why."""
    source = source if isinstance(source, Mapping) else {}
    number = source.get("number")
    status = source.get("status")
    stand_in: dict[str, Any] = {
        "id": order_id,
        "number": str(number) if isinstance(number, str | int) and str(number).strip() else str(order_id),
        "status": status if isinstance(status, str) else "",
        "date_created_gmt": source.get("date_created_gmt") if _valid_date(source.get("date_created_gmt")) else "",
        # never a date that could move the watermark wrongly: the order is read again when it changes
        "date_modified_gmt": "",
        UNREADABLE: reason,
    }
    if isinstance(source.get("billing"), Mapping):
        stand_in["billing"] = {k: v for k, v in source["billing"].items() if isinstance(v, str)}
    return stand_in


def guard_order(item: Any, now: datetime | None = None) -> dict[str, Any] | None:
    """The order as the intake may store it: itself, its stand-in, or None (no id: skipped)."""
    order_id = order_id_of(item)
    if order_id is None:
        log.warning("the shop listed an order without a usable id, skipped: %.200r", item)
        return None
    problem = shape_problem(item, now)
    if problem is None:
        return item
    log.warning("order %s from the shop is malformed: %s", order_id, problem)
    return unreadable_order(order_id, f"Zamówienia nie da się odczytać: {problem}. Popraw je w sklepie "
                                      "(albo wyłącz wtyczkę, która je psuje); po zmianie wróci samo.", item)


def unreadable_reason(order: Mapping[str, Any]) -> str:
    """The reason a stand-in carries ("" for a real order)."""
    return str(order.get(UNREADABLE) or "")
