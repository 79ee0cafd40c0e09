"""How values go into Optima's columns: free text cut to the column, names over three columns,
the street apart from its numbers, codes in ASCII, countries, dates, and the texts both writers
put on every document.

Codes and numbers are checked elsewhere and never cut; free text is cut, because an order with
a long street name must still be booked, and Optima's columns are as wide as they are.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from ...domain.order import Order

#: The one currency the console books in.
CURRENCY = "PLN"


def fit(value: str | None, length: int) -> str:
    """Cut free text (names, streets) to the column; codes and numbers are checked, never cut."""
    return (value or "").strip()[:length]


#: Optima's unit prices have four decimals (``TrE_CenaT``).
UNIT_PRICE = Decimal("0.0001")


def unit_price(value: Decimal, quantity: Decimal) -> Decimal:
    """A line's unit price from its value, to Optima's four decimals (half up)."""
    return (value / quantity).quantize(UNIT_PRICE, rounding=ROUND_HALF_UP)


def day_of(moment: datetime) -> datetime:
    """Optima's date columns hold midnight of the day."""
    return datetime.combine(moment.date(), datetime.min.time())


def split_name(name: str) -> tuple[str, str, str]:
    """A long name over Optima's three name columns (50, 50, 250), broken between words."""
    limits = (50, 50, 250)
    parts = ["", "", ""]
    index = 0
    for word in (name or "").split():
        while index < 3:
            candidate = f"{parts[index]} {word}" if parts[index] else word
            if len(candidate) <= limits[index]:
                parts[index] = candidate
                break
            if not parts[index]:  # one word longer than the column: cut it there
                parts[index], word = word[: limits[index]], word[limits[index] :]
            index += 1
        if index >= 3:
            break
    return parts[0], parts[1], parts[2]


_STREET = re.compile(r"^(?P<street>.*?\S)\s+(?P<house>\d+[A-Za-z]?)(?:\s*/\s*(?P<flat>\w+))?$")


def split_street(street: str) -> tuple[str, str, str]:
    """``ul. Długa 12/3`` -> (``ul. Długa``, ``12``, ``3``): Optima keeps the numbers apart."""
    text = (street or "").strip()
    match = _STREET.match(text)
    if not match:
        return fit(text, 40), "", ""
    return fit(match["street"], 40), fit(match["house"], 10), fit(match["flat"], 10)


_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss"})


def ascii_code(text: str, length: int) -> str:
    """An uppercase ASCII code (Optima's codes are varchar in the server's code page)."""
    plain = unicodedata.normalize("NFKD", (text or "").translate(_LETTERS))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).upper()
    plain = re.sub(r"[^A-Z0-9._-]+", "", plain)
    return plain[:length]


COUNTRY_NAMES = {"PL": "Polska"}
EU_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)


def country_name(iso: str) -> str:
    code = (iso or "PL").upper()
    return COUNTRY_NAMES.get(code, code)


def export_kind(iso: str) -> int:
    """``Knt_Export`` / ``TrN_Export``: 0 domestic, 3 another EU state, 1 outside the EU."""
    code = (iso or "PL").upper()
    if code == "PL":
        return 0
    return 3 if code in EU_COUNTRIES else 1


# --- the texts both writers put on documents ---------------------------------------------------


def invoice_description(order_number: str) -> str:
    """The FA's description (``TrN_Opis``): which shop order it is."""
    return fit(f"Zamówienie sklepu nr {order_number}", 1024)


def payment_description(invoice_number: str, order: Order) -> str:
    """The KP's description (``BZp_Opis``): what it pays, for which order, through which gateway
    and transaction. The transaction goes here, not into the KP's foreign number: no public code
    sets that one through COM, and the description is how a KP is found again (one per FA)."""
    transaction = f", transakcja {order.payment.transaction_id}" if order.payment.transaction_id else ""
    return fit(f"Zapłata za {invoice_number}, zamówienie {order.number} ({order.payment.title}{transaction})", 1024)
