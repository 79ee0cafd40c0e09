"""The rows Optima writes when money received settles an invoice.

Money in is a KP record (``BnkZapisy``, Kierunek +1) in the register the gateway pays into, inside
that register's open report (``BnkRaporty``; one a month, created when missing). The settlement
is a ``BnkRozKwoty`` row pairing the FA's due (left, type 1) with the KP (right, type 2); both
sides then carry the settled amount, the date and their state (Rozliczono 2 = settled, 1 = open).

Two ways a KP comes to be: Optima adds it by itself when it confirms an FA whose payment form
settles (``book_automatic_payment``, the default route), or the console books it through COM
(``book_payment``, the KP-through-COM route). The rows are the same; the automatic one is marked
``ZapisAutomatyczny`` and carries no order text, which Optima does not know.
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
from ..rules.columns import CURRENCY, day_of, fit, payment_description
from ..rules.master_data import Definition, cash_register, covering_report
from ..rules.refusals import check_payment, open_due
from ..schema import BnkRachunki, BnkRaporty, BnkRozKwoty, BnkZapisy, BnkZdarzenia, full_number
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
    """The KP the console books through COM for the order's payment, settling the FA's due."""
    register = cash_register(conn, check_payment(order, settings))
    description = payment_description(invoice["TrN_NumerPelny"], order)
    return _book_receipt(conn, settings, definition, invoice, register, round_grosz(order.total), description, now)


def book_automatic_payment(
    conn: Connection,
    settings: OptimaSettings,
    definition: Definition,
    invoice: Mapping[str, Any],
    form: Mapping[str, Any],
    now: datetime,
) -> DocumentRef:
    """The KP Optima adds by itself when it confirms an FA whose payment form settles (a cash-type
    form with a register, ``rules/settlement.py``): the whole gross, in the form's register, in the
    open report for the day (Optima asks for one when there is none; the simulation opens it)."""
    register = conn.execute(select(BnkRachunki).where(BnkRachunki.c.BRa_BRaID == form["FPl_BRaId"])).mappings().one()
    description = fit(f"Zapłata za {invoice['TrN_NumerPelny']}", 1024)
    return _book_receipt(conn, settings, definition, invoice, register, Decimal(invoice["TrN_RazemBrutto"]),
                         description, now, automatic=True)


def _book_receipt(
    conn: Connection,
    settings: OptimaSettings,
    definition: Definition,
    invoice: Mapping[str, Any],
    register: Mapping[str, Any],
    amount: Decimal,
    description: str,
    now: datetime,
    *,
    automatic: bool = False,
) -> DocumentRef:
    """Insert a KP of ``amount`` into the register's report and settle the FA's open due with it."""
    due = open_due(conn, invoice)
    report = _report(conn, settings, register, now)
    day = day_of(now)
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
            BZp_Opis=description,
            BZp_ZapisAutomatyczny=1 if automatic else 0,
            BZp_ImportRowId=new_guid(),
            **stamps("BZp", now, settings.operator),
        )
    ).inserted_primary_key[0]
    receipt = _Receipt(int(record_id), numer, number, amount, settled)
    _settle(conn, settings, definition, due, register, report, receipt, now, automatic)
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
    automatic: bool,
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
            BRK_ZapisAutomatyczny=1 if automatic else 0,
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
