"""The rows the settings name, found as both writers need them: the warehouse, a payment form,
a cash/bank register, a document definition; and the cash report that covers a day.

Each is looked up by the name an operator typed in the settings, and a missing one is an
``optima_config`` error naming it: the books are fine, the settings (or the company's setup)
are not, and no document is written until a person puts that right.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from ...errors import PermanentError
from ..schema import BnkRachunki, BnkRaporty, DokDefinicje, FormyPlatnosci, Magazyny
from .refusals import config_error

#: ``DDf_Klasa`` of a KP ("kasa przyjmie"); ``DDf_KierunekOrg`` gives +1 for it.
KP_CLASS = 202


@dataclass(frozen=True)
class Definition:
    """A document definition (``DokDefinicje``): its id, symbol and numbering template."""

    id: int
    symbol: str
    template: str


def find_definition(conn: Connection, symbol: str, klasa: int, *, lock: bool = False) -> Definition:
    """The active definition of that symbol and class. ``lock``: ``SELECT ... FOR UPDATE``, held
    until the document is committed, so two writers never take the same number (the simulated
    Optima numbers its documents itself; on SQLite its write lock is held already)."""
    d = DokDefinicje.c
    query = (
        select(d.DDf_DDfID, d.DDf_Symbol, d.DDf_Numeracja)
        .where(d.DDf_Symbol == symbol, d.DDf_Klasa == klasa, d.DDf_Nieaktywna == 0)
        .order_by(d.DDf_DDfID)
        .limit(1)
    )
    row = conn.execute(query.with_for_update() if lock else query).first()
    if row is None:
        raise config_error(
            f"Brak aktywnej definicji dokumentu „{symbol}” (klasa {klasa}) w Optimie", symbol=symbol
        )
    return Definition(int(row[0]), row[1], row[2])


def warehouse_id(conn: Connection, symbol: str) -> int:
    found = conn.execute(select(Magazyny.c.Mag_MagId).where(Magazyny.c.Mag_Symbol == symbol)).scalar()
    if found is None:
        raise config_error(f"Brak magazynu „{symbol}” w Optimie", warehouse=symbol)
    return int(found)


def payment_form(conn: Connection, name: str) -> Mapping[str, Any]:
    row = conn.execute(select(FormyPlatnosci).where(FormyPlatnosci.c.FPl_Nazwa == name)).mappings().first()
    if row is None:
        raise config_error(f"Brak formy płatności „{name}” w Optimie", payment_form=name)
    return row


def cash_register(conn: Connection, akronim: str) -> Mapping[str, Any]:
    """The active cash/bank register (``BnkRachunki``) a payment is booked into."""
    row = conn.execute(select(BnkRachunki).where(BnkRachunki.c.BRa_Akronim == akronim)).mappings().first()
    if row is None or row["BRa_Nieaktywny"]:
        raise config_error(
            f"Brak aktywnego rejestru kasowego/bankowego „{akronim}” w Optimie", register=akronim
        )
    return row


def covering_report(conn: Connection, register: Mapping[str, Any], day: datetime) -> Mapping[str, Any] | None:
    """The register's report covering the day (id, number, closed); ``None`` when there is none
    yet (the writer opens a monthly one). A closed report refuses the KP: a person reopens it."""
    r = BnkRaporty.c
    row = (
        conn.execute(
            select(r.BRp_BRpID, r.BRp_NumerPelny, r.BRp_Zamkniety)
            .where(
                r.BRp_BRaID == register["BRa_BRaID"],
                r.BRp_DataDok <= day,
                or_(r.BRp_DataZam.is_(None), r.BRp_DataZam >= day),
            )
            .order_by(r.BRp_DataDok.desc())
            .limit(1)
        )
        .mappings()
        .first()
    )
    if row is not None and row["BRp_Zamkniety"]:
        raise PermanentError(
            f"Raport {row['BRp_NumerPelny']} rejestru {register['BRa_Akronim']} jest zamknięty",
            code="report_closed",
            details={"report": row["BRp_NumerPelny"], "register": register["BRa_Akronim"]},
        )
    return row
