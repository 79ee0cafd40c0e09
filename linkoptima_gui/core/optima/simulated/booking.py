"""How the simulated Optima books a row: in a locked transaction, numbered, stamped.

Numbering is Optima's: the definition (``DokDefinicje``) gives a template such as
``@symbol/@numerS/@rok_kal``; the document keeps the template with the year filled in
(``FA/@numerS/2026``) in ``*_NumerString`` and its sequence number in ``*_NumerNr``, and the
database computes the printed number. The next number is taken under a lock held until the
document is committed, so two writers can never pick the same one (the unique indexes would
refuse it anyway).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Engine, func, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection

from ...errors import RetryableError, StepError
from ..rules.master_data import Definition
from ..rules.refusals import config_error
from ..schema import NUMBER_PLACEHOLDER, WRITE_LOCK


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


def new_guid() -> str:
    """``*_ImportRowId`` value: Optima gives every row a GUID (the columns are unique)."""
    return str(uuid.uuid4()).upper()


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
