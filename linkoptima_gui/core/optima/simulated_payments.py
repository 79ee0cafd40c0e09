"""The rows Optima writes when money received settles an invoice.

Money in is a KP record (``BnkZapisy``, Kierunek +1) in the register the gateway pays into, inside
that register's open report (``BnkRaporty``; one a month, created when missing). The settlement
is a ``BnkRozKwoty`` row pairing the FA's due (left, type 1) with the KP (right, type 2); both
sides then carry the settled amount, the date and their state (Rozliczono 2 = settled, 1 = open).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import Connection

from ..domain.money import round_grosz
from ..domain.order import Order
from ..errors import PermanentError
from . import queries as q
from .port import DocumentRef
from .schema import BnkRachunki, BnkRaporty, BnkRozKwoty, BnkZapisy, BnkZdarzenia, full_number
from .settings import OptimaSettings
from .simulated_support import (
    CURRENCY,
    Definition,
    config_error,
    day_of,
    fit,
    new_guid,
    next_number,
    numer_string,
    stamps,
)


def check_payment(order: Order, settings: OptimaSettings) -> str:
    """The register this order's money is booked into; refuse what must not be settled now."""
    route = settings.route_for(order.payment.method_id)
    if route.register is None:
        raise PermanentError(
            f"Płatność „{order.payment.title or order.payment.method_id}” zamówienia {order.number} "
            "nie jest rozliczana automatycznie (brak rejestru kasowego/bankowego w ustawieniach)",
            code="no_register",
            details={"method_id": order.payment.method_id},
        )
    if not order.payment.confirmed:
        raise PermanentError(
            f"Płatność zamówienia {order.number} nie jest potwierdzona; nie rozliczam faktury",
            code="payment_not_confirmed",
            details={"method_id": order.payment.method_id},
        )
    return route.register


def _register(conn: Connection, akronim: str) -> Mapping[str, Any]:
    row = conn.execute(select(BnkRachunki).where(BnkRachunki.c.BRa_Akronim == akronim)).mappings().first()
    if row is None or row["BRa_Nieaktywny"]:
        raise config_error(
            f"Brak aktywnego rejestru kasowego/bankowego „{akronim}” w Optimie", register=akronim
        )
    return row


def _open_due(conn: Connection, invoice: Mapping[str, Any]) -> Mapping[str, Any]:
    dues = conn.execute(q.document_dues_query(invoice["TrN_TrNID"])).mappings().all()
    for due in dues:
        if due["BZd_Rozliczono"] == q.OPEN:
            return due
    number = invoice["TrN_NumerPelny"]
    if dues:
        raise PermanentError(
            f"Należność faktury {number} jest już rozliczona innym dokumentem w Optimie",
            code="already_settled",
            details={"invoice_id": invoice["TrN_TrNID"], "number": number},
        )
    raise PermanentError(
        f"Faktura {number} nie ma w Optimie należności do rozliczenia",
        code="no_due",
        details={"invoice_id": invoice["TrN_TrNID"], "number": number},
    )


def _report(
    conn: Connection, settings: OptimaSettings, register: Mapping[str, Any], now: datetime
) -> Mapping[str, Any]:
    """The register's report covering today; a monthly one is opened when there is none."""
    day = day_of(now)
    reports = BnkRaporty.c
    found = (
        conn.execute(
            select(BnkRaporty)
            .where(
                reports.BRp_BRaID == register["BRa_BRaID"],
                reports.BRp_DataDok <= day,
                or_(reports.BRp_DataZam.is_(None), reports.BRp_DataZam >= day),
            )
            .order_by(reports.BRp_DataDok.desc())
            .limit(1)
        )
        .mappings()
        .first()
    )
    if found is not None:
        if found["BRp_Zamkniety"]:
            raise PermanentError(
                f"Raport {found['BRp_NumerPelny']} rejestru {register['BRa_Akronim']} jest zamknięty",
                code="report_closed",
                details={"report": found["BRp_NumerPelny"], "register": register["BRa_Akronim"]},
            )
        return found
    first = day.replace(day=1)
    taken = conn.execute(
        select(func.count()).where(reports.BRp_BRaID == register["BRa_BRaID"], reports.BRp_DataDok == first)
    ).scalar_one()
    start = day if taken else first
    last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    numer = fit(f"RKB/@numerS/{day.year}/{register['BRa_Symbol']}", 31)
    values = {
        "BRp_BRaID": register["BRa_BRaID"],
        "BRp_NumerString": numer,
        "BRp_NumerNr": next_number(conn, reports.BRp_NumerString, reports.BRp_NumerNr, numer),
        "BRp_DataDok": start,
        "BRp_DataZam": last,
        "BRp_Zamkniety": 0,
        "BRp_ImportRowId": new_guid(),
        **stamps("BRp", now, settings.operator),
    }
    report_id = conn.execute(BnkRaporty.insert().values(values)).inserted_primary_key[0]
    return conn.execute(select(BnkRaporty).where(reports.BRp_BRpID == report_id)).mappings().one()


@dataclass(frozen=True)
class _Receipt:
    """The KP just inserted, as the settlement needs it."""

    id: int
    numer: str
    number: int
    amount: Decimal
    settled: Decimal

    @property
    def full(self) -> str:
        return full_number(self.numer, self.number)


def _state(settled: Decimal, amount: Decimal) -> int:
    return q.SETTLED if settled >= amount else q.OPEN


def book_payment(
    conn: Connection,
    settings: OptimaSettings,
    definition: Definition,
    invoice: Mapping[str, Any],
    order: Order,
    now: datetime,
) -> DocumentRef:
    """Insert the KP for the order's payment and settle the FA's due with it."""
    akronim = check_payment(order, settings)
    register = _register(conn, akronim)
    due = _open_due(conn, invoice)
    report = _report(conn, settings, register, now)
    day = day_of(now)
    amount = round_grosz(order.total)
    open_amount = Decimal(due["BZd_Kwota"]) - Decimal(due["BZd_KwotaRoz"])
    settled = min(amount, open_amount)
    numer = numer_string(definition, now, register=register["BRa_Symbol"])
    number = next_number(conn, BnkZapisy.c.BZp_NumerString, BnkZapisy.c.BZp_NumerNr, numer)
    position = conn.execute(
        select(func.coalesce(func.max(BnkZapisy.c.BZp_BRpLP), 0)).where(
            BnkZapisy.c.BZp_BRpID == report["BRp_BRpID"]
        )
    ).scalar_one()
    kp_state = _state(settled, amount)
    record_id = conn.execute(
        BnkZapisy.insert().values(
            BZp_BRpID=report["BRp_BRpID"],
            BZp_BRpLP=int(position) + 1,
            BZp_BRaID=register["BRa_BRaID"],
            BZp_Typ=1,
            BZp_DDfID=definition.id,
            BZp_NumerString=numer,
            BZp_NumerNr=number,
            BZp_NumerObcy=fit(order.payment.transaction_id or order.number, 256),
            BZp_PodmiotTyp=q.CONTRACTOR,
            BZp_PodmiotID=invoice["TrN_PodID"],
            BZp_Nazwa1=invoice["TrN_PodNazwa1"],
            BZp_Nazwa2=invoice["TrN_PodNazwa2"],
            BZp_Nazwa3=invoice["TrN_PodNazwa3"],
            BZp_Kraj=invoice["TrN_PodKraj"],
            BZp_Ulica=invoice["TrN_PodUlica"],
            BZp_NrDomu=invoice["TrN_PodNrDomu"],
            BZp_NrLokalu=invoice["TrN_PodNrLokalu"],
            BZp_Miasto=invoice["TrN_PodMiasto"],
            BZp_KodPocztowy=invoice["TrN_PodKodPocztowy"],
            BZp_DataDok=day,
            BZp_Kwota=amount,
            BZp_KwotaSys=amount,
            BZp_KwotaRoz=settled,
            BZp_KwotaRozSys=settled,
            BZp_DataRoz=day,
            BZp_Waluta=CURRENCY,
            BZp_WalutaDok=CURRENCY,
            BZp_KursL=Decimal(1),
            BZp_KursM=Decimal(1),
            BZp_Kierunek=1,
            BZp_Rozliczono=kp_state,
            BZp_Rozliczono2=kp_state,
            BZp_DataKur=day,
            BZp_Opis=fit(
                f"Zapłata za {invoice['TrN_NumerPelny']}, zamówienie {order.number} ({order.payment.title})",
                1024,
            ),
            BZp_ImportRowId=new_guid(),
            **stamps("BZp", now, settings.operator),
        )
    ).inserted_primary_key[0]
    receipt = _Receipt(int(record_id), numer, number, amount, settled)
    _settle(conn, settings, definition, due, register, report, receipt, now)
    stored = conn.execute(
        select(BnkZapisy.c.BZp_NumerPelny).where(BnkZapisy.c.BZp_BZpID == record_id)
    ).scalar_one()
    return DocumentRef(id=int(record_id), number=stored)


def _settle(
    conn: Connection,
    settings: OptimaSettings,
    definition: Definition,
    due: Mapping[str, Any],
    register: Mapping[str, Any],
    report: Mapping[str, Any],
    receipt: _Receipt,
    now: datetime,
) -> None:
    """The settlement pair, the due marked (partly) settled, and the report's income."""
    day = day_of(now)
    settled = receipt.settled
    delay = max(0, (day - due["BZd_Termin"]).days)
    conn.execute(
        BnkRozKwoty.insert().values(
            BRK_Kwota=settled,
            BRK_KwotaSysL=settled,
            BRK_KwotaSysP=settled,
            BRK_DDfId=definition.id,
            BRK_NumerString=receipt.numer,
            BRK_NumerNr=receipt.number,
            BRK_DataDok=day,
            BRK_Zwloka=delay,
            BRK_LDokTyp=q.SETTLEMENT_DUE,
            BRK_LDokID=due["BZd_BZdID"],
            BRK_PDokTyp=q.SETTLEMENT_RECORD,
            BRK_PDokID=receipt.id,
            BRK_LPodTyp=due["BZd_PodmiotTyp"],
            BRK_LPodID=due["BZd_PodmiotID"],
            BRK_PPodTyp=due["BZd_PodmiotTyp"],
            BRK_PPodID=due["BZd_PodmiotID"],
            BRK_LBRaID=due["BZd_BRaID"],
            BRK_PBRaID=register["BRa_BRaID"],
            BRK_RozliczenieAutomatyczne=1,
            BRK_ZapisAutomatyczny=0,
            BRK_Waluta=CURRENCY,
            BRK_LNumer=due["BZd_NumerPelny"],
            BRK_PNumer=receipt.full,
            BRK_LKwota=due["BZd_Kwota"],
            BRK_PKwota=receipt.amount,
            BRK_ImportRowId=new_guid(),
            **stamps("BRK", now, settings.operator),
        )
    )
    settled_total = Decimal(due["BZd_KwotaRoz"]) + settled
    due_state = _state(settled_total, Decimal(due["BZd_Kwota"]))
    conn.execute(
        update(BnkZdarzenia)
        .where(BnkZdarzenia.c.BZd_BZdID == due["BZd_BZdID"])
        .values(
            BZd_KwotaRoz=settled_total,
            BZd_KwotaRozSys=settled_total,
            BZd_DataRoz=day,
            BZd_Rozliczono=due_state,
            BZd_Rozliczono2=due_state,
            BZd_Zwloka=delay,
            BZd_TS_Mod=now,
            BZd_OpeModKod=settings.operator,
        )
    )
    conn.execute(
        update(BnkRaporty)
        .where(BnkRaporty.c.BRp_BRpID == report["BRp_BRpID"])
        .values(
            BRp_Przychody=BnkRaporty.c.BRp_Przychody + receipt.amount,
            BRp_PrzychodySys=BnkRaporty.c.BRp_PrzychodySys + receipt.amount,
            BRp_TS_Mod=now,
        )
    )
