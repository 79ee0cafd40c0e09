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

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from ...domain.money import round_grosz
from ...domain.order import Order
from .. import queries as q
from ..port import DocumentRef
from ..rules.columns import CURRENCY, day_of, fit, payment_description, payment_reference
from ..rules.master_data import Definition, cash_register, covering_report
from ..rules.refusals import check_payment, open_due
from ..schema import BnkRaporty, BnkRozKwoty, BnkZapisy, BnkZdarzenia, full_number
from ..settings import OptimaSettings
from .booking import new_guid, next_number, numer_string, stamps


def _report(
    conn: Connection, settings: OptimaSettings, register: Mapping[str, Any], now: datetime
) -> Mapping[str, Any]:
    """The register's report covering today; a monthly one is opened when there is none."""
    day = day_of(now)
    found = covering_report(conn, register, day)
    if found is not None:
        return found
    reports = BnkRaporty.c
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
    report_id = conn.execute(BnkRaporty.insert(), values).inserted_primary_key[0]
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
    register = cash_register(conn, check_payment(order, settings))
    due = open_due(conn, invoice)
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
        BnkZapisy.insert(), dict(
            BZp_BRpID=report["BRp_BRpID"],
            BZp_BRpLP=int(position) + 1,
            BZp_BRaID=register["BRa_BRaID"],
            BZp_Typ=1,
            BZp_DDfID=definition.id,
            BZp_NumerString=numer,
            BZp_NumerNr=number,
            BZp_NumerObcy=payment_reference(order),
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
            BZp_Opis=payment_description(invoice["TrN_NumerPelny"], order),
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
        BnkRozKwoty.insert(), dict(
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
