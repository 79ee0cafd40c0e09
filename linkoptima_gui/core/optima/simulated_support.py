"""What every simulated Optima write shares: the locked transaction, numbering, text fitting.

Numbering is Optima's: the definition (``DokDefinicje``) gives a template such as
``@symbol/@numerS/@rok_kal``; the document keeps the template with the year filled in
(``FA/@numerS/2026``) in ``*_NumerString`` and its sequence number in ``*_NumerNr``, and the
database computes the printed number. The next number is taken under a lock held until the
document is committed, so two writers can never pick the same one (the unique indexes would
refuse it anyway).
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Engine, func, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection

from ..errors import PermanentError, RetryableError, StepError
from .schema import NUMBER_PLACEHOLDER, WRITE_LOCK, DokDefinicje

CURRENCY = "PLN"


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction per document, holding the writer lock; database trouble -> RetryableError.

    Everything written inside either commits together or not at all, which is what makes a
    failure leave nothing half-done.
    """
    try:
        with engine.connect() as conn:
            conn.execution_options(**{WRITE_LOCK: True})
            with conn.begin():
                yield conn
    except StepError:
        raise
    except sa_exc.IntegrityError as exc:
        raise RetryableError(
            "Optima odrzuciła zapis (numer lub kod jest już zajęty); spróbuję ponownie",
            code="optima_conflict",
            details={"error": str(exc.orig)},
        ) from exc
    except sa_exc.DBAPIError as exc:
        raise RetryableError(
            "Baza Optimy jest zajęta lub niedostępna",
            code="optima_unavailable",
            details={"error": str(exc.orig)},
        ) from exc


@dataclass(frozen=True)
class Definition:
    """A locked ``DokDefinicje`` row."""

    id: int
    symbol: str
    template: str


def lock_definition(conn: Connection, symbol: str, klasa: int) -> Definition:
    """Lock the definition row (``SELECT ... FOR UPDATE``; on SQLite the write lock is held already)."""
    row = conn.execute(
        select(DokDefinicje.c.DDf_DDfID, DokDefinicje.c.DDf_Symbol, DokDefinicje.c.DDf_Numeracja)
        .where(
            DokDefinicje.c.DDf_Symbol == symbol,
            DokDefinicje.c.DDf_Klasa == klasa,
            DokDefinicje.c.DDf_Nieaktywna == 0,
        )
        .order_by(DokDefinicje.c.DDf_DDfID)
        .limit(1)
        .with_for_update()
    ).first()
    if row is None:
        raise config_error(
            f"Brak aktywnej definicji dokumentu „{symbol}” (klasa {klasa}) w Optimie", symbol=symbol
        )
    return Definition(int(row[0]), row[1], row[2])


def numer_string(definition: Definition, when: datetime, *, warehouse: str = "", register: str = "") -> str:
    """The document's number template with everything but the sequence number filled in."""
    text = definition.template or "@symbol/@numerS/@rok_kal"
    if NUMBER_PLACEHOLDER not in text:
        raise config_error(
            f"Numeracja „{text}” definicji {definition.symbol} nie zawiera @numerS", symbol=definition.symbol
        )
    for token, value in (
        ("@symbol", definition.symbol),
        ("@rok_kal", f"{when.year:04d}"),
        ("@miesiac", f"{when.month:02d}"),
        ("@magazyn", warehouse),
        ("@rejestr", register),
        ("@brak", ""),
    ):
        text = text.replace(token, value)
    text = re.sub(r"/{2,}", "/", text).strip("/")
    if len(text) > 31:
        raise config_error(f"Numeracja „{text}” jest dłuższa niż 31 znaków", symbol=definition.symbol)
    return text


def next_number(conn: Connection, string_column: Column[Any], nr_column: Column[Any], numer: str) -> int:
    """One more than the highest number used in this series (cancelled documents keep theirs)."""
    highest = conn.execute(select(func.max(nr_column)).where(string_column == numer)).scalar()
    return int(highest or 0) + 1


def config_error(reason: str, **details: Any) -> PermanentError:
    """Optima lacks something the settings name (a warehouse, a definition, a register...)."""
    return PermanentError(reason, code="optima_config", details=details)


def new_guid() -> str:
    """``*_ImportRowId`` value: Optima gives every row a GUID (the columns are unique)."""
    return str(uuid.uuid4()).upper()


def day_of(moment: datetime) -> datetime:
    """Optima's date columns hold midnight of the day."""
    return datetime.combine(moment.date(), datetime.min.time())


def confirmed_document(typ: int, rodzaj: int, numer: str, number: int, day: datetime) -> dict[str, Any]:
    """The ``TraNag`` columns every confirmed document of the day shares: type and kind, number,
    out of the buffer, not cancelled, dated ``day`` (issue, sale, operation, exchange rate)."""
    return {
        "TrN_TypDokumentu": typ,
        "TrN_Rodzaj": rodzaj,
        "TrN_NumerString": numer,
        "TrN_NumerNr": number,
        "TrN_Bufor": 0,
        "TrN_Anulowany": 0,
        "TrN_DataDok": day,
        "TrN_DataWys": day,
        "TrN_DataOpe": day,
        "TrN_DataKur": day,
    }


def stamps(prefix: str, now: datetime, operator: str, *, confirmed: bool = False) -> dict[str, Any]:
    """Created/modified (and confirmed) timestamps and operator codes of a row."""
    values: dict[str, Any] = {
        f"{prefix}_TS_Zal": now,
        f"{prefix}_TS_Mod": now,
        f"{prefix}_OpeZalKod": operator,
        f"{prefix}_OpeModKod": operator,
    }
    if confirmed:
        values[f"{prefix}_TS_Zatw"] = now
        values[f"{prefix}_OpeZatwKod"] = operator
    return values


def fit(value: str | None, length: int) -> str:
    """Cut free text (names, streets) to the column; codes and numbers are checked, never cut."""
    return (value or "").strip()[:length]


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
