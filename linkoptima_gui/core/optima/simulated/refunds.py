"""Money back for a correction, as Optima settles it: netted against the FA's open due, or paid
out and settled with the payout (reference/corrections.md §3.5).

- The FA's receivable is still open (cash on delivery not collected, a transfer not paid): the
  correction's payable is netted against it, a ``BnkRozKwoty`` pair of two dues (both type 1),
  and no money moves.
- The FA was paid: the money goes back from the register it came into (a bank "wypłata" in the
  gateway's register) or from the cash register (a KW), as a ``BnkZapisy`` record with
  ``BZp_Kierunek`` -1 in the register's open report, settled with the payable.
- Part paid, part open: both, the open part netted first.

Settling twice finds the first settlement (the payable is settled, the payout is found through
it), so a retry after a crash never pays twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from ...domain.correction import PayoutKind
from ...domain.order import Order
from .. import queries as q
from .. import queries_corrections as qc
from ..port import DocumentRef
from ..rules.columns import CURRENCY, day_of, fit
from ..rules.master_data import Definition, cash_register, find_definition
from ..rules.refunds import KW_CLASS, correction_payable, payout_description, payout_register
from ..schema import BnkRaporty, BnkRozKwoty, BnkZapisy, BnkZdarzenia, TraNag, full_number
from ..settings import OptimaSettings
from .booking import new_guid, next_number, numer_string, stamps
from .payments import _report


def settle(
    conn: Connection,
    settings: OptimaSettings,
    correction: DocumentRef,
    invoice: DocumentRef,
    order: Order,
    payout: PayoutKind,
    now: datetime,
) -> DocumentRef | None:
    """Close the correction's payable once: netting first, then the payout of what is left."""
    payable = correction_payable(conn, correction, invoice, lock=True)
    found = conn.execute(qc.correction_payout_query(correction.id)).first()
    if found is not None:
        return DocumentRef(id=int(found[0]), number=str(found[1]))
    left = _open(payable)
    if left <= 0:
        return None  # netted in full earlier
    receivable = next((d for d in conn.execute(q.document_dues_query(invoice.id)).mappings()
                       if d["BZd_Rozliczono"] == q.OPEN), None)
    if receivable is not None:
        netted = min(left, _open(receivable))
        _pair(conn, settings, receivable, (q.SETTLEMENT_DUE, payable["BZd_BZdID"], payable["BZd_NumerPelny"]),
              netted, now)
        _mark(conn, settings, payable, netted, now)
        left -= netted
    if left <= 0:
        return None
    register = cash_register(conn, payout_register(settings, order, payout))
    definition = find_definition(conn, settings.kw_definition, KW_CLASS, lock=True)
    return _pay_out(conn, settings, definition, register, payable, left, now)


def _open(due: Mapping[str, Any]) -> Decimal:
    return Decimal(due["BZd_Kwota"]) - Decimal(due["BZd_KwotaRoz"])


def _mark(conn: Connection, settings: OptimaSettings, due: Mapping[str, Any], amount: Decimal, now: datetime) -> None:
    settled = Decimal(due["BZd_KwotaRoz"]) + amount
    state = q.SETTLED if settled >= Decimal(due["BZd_Kwota"]) else q.OPEN
    conn.execute(update(BnkZdarzenia).where(BnkZdarzenia.c.BZd_BZdID == due["BZd_BZdID"]).values(
        BZd_KwotaRoz=settled, BZd_KwotaRozSys=settled, BZd_DataRoz=day_of(now), BZd_Rozliczono=state,
        BZd_Rozliczono2=state, BZd_TS_Mod=now, BZd_OpeModKod=settings.operator))


def _pair(conn: Connection, settings: OptimaSettings, left: Mapping[str, Any], right: tuple[int, int, str],
          amount: Decimal, now: datetime, *, right_amount: Decimal | None = None) -> None:
    """A settlement row: ``left`` is a due; ``right`` (type, id, number) a due or a record."""
    day = day_of(now)
    right_type, right_id, right_number = right
    conn.execute(BnkRozKwoty.insert(), dict(
        BRK_Kwota=amount, BRK_KwotaSysL=amount, BRK_KwotaSysP=amount, BRK_DDfId=left["BZd_DDfID"],
        BRK_DataDok=day, BRK_Zwloka=0, BRK_LDokTyp=q.SETTLEMENT_DUE, BRK_LDokID=left["BZd_BZdID"],
        BRK_PDokTyp=right_type, BRK_PDokID=right_id, BRK_LPodTyp=left["BZd_PodmiotTyp"],
        BRK_LPodID=left["BZd_PodmiotID"], BRK_PPodTyp=left["BZd_PodmiotTyp"], BRK_PPodID=left["BZd_PodmiotID"],
        BRK_LBRaID=left["BZd_BRaID"], BRK_RozliczenieAutomatyczne=1, BRK_ZapisAutomatyczny=0,
        BRK_Waluta=CURRENCY, BRK_LNumer=left["BZd_NumerPelny"], BRK_PNumer=right_number,
        BRK_LKwota=left["BZd_Kwota"], BRK_PKwota=right_amount if right_amount is not None else amount,
        BRK_ImportRowId=new_guid(), **stamps("BRK", now, settings.operator),
    ))
    _mark(conn, settings, left, amount, now)


def _pay_out(conn: Connection, settings: OptimaSettings, definition: Definition, register: Mapping[str, Any],
             payable: Mapping[str, Any], amount: Decimal, now: datetime) -> DocumentRef:
    """The money-out record in the register's open report, settled with the payable."""
    report = _report(conn, settings, register, now)
    day = day_of(now)
    numer = numer_string(definition, now, register=register["BRa_Symbol"])
    number = next_number(conn, BnkZapisy.c.BZp_NumerString, BnkZapisy.c.BZp_NumerNr, numer)
    position = conn.execute(select(func.coalesce(func.max(BnkZapisy.c.BZp_BRpLP), 0))
                            .where(BnkZapisy.c.BZp_BRpID == report["BRp_BRpID"])).scalar_one()
    buyer = conn.execute(select(TraNag).where(TraNag.c.TrN_TrNID == payable["BZd_DokumentID"])).mappings().one()
    record_id = int(conn.execute(BnkZapisy.insert(), dict(
        BZp_BRpID=report["BRp_BRpID"], BZp_BRpLP=int(position) + 1, BZp_BRaID=register["BRa_BRaID"], BZp_Typ=1,
        BZp_DDfID=definition.id, BZp_NumerString=numer, BZp_NumerNr=number,
        BZp_NumerObcy=fit(payable["BZd_NumerObcy"], 256), BZp_PodmiotTyp=q.CONTRACTOR,
        BZp_PodmiotID=payable["BZd_PodmiotID"], BZp_Nazwa1=buyer["TrN_PodNazwa1"], BZp_Nazwa2=buyer["TrN_PodNazwa2"],
        BZp_Nazwa3=buyer["TrN_PodNazwa3"], BZp_Kraj=buyer["TrN_PodKraj"], BZp_Ulica=buyer["TrN_PodUlica"],
        BZp_NrDomu=buyer["TrN_PodNrDomu"], BZp_NrLokalu=buyer["TrN_PodNrLokalu"], BZp_Miasto=buyer["TrN_PodMiasto"],
        BZp_KodPocztowy=buyer["TrN_PodKodPocztowy"], BZp_DataDok=day, BZp_Kwota=amount, BZp_KwotaSys=amount,
        BZp_KwotaRoz=amount, BZp_KwotaRozSys=amount, BZp_DataRoz=day, BZp_Waluta=CURRENCY, BZp_WalutaDok=CURRENCY,
        BZp_KursL=Decimal(1), BZp_KursM=Decimal(1), BZp_Kierunek=qc.PAYABLE, BZp_Rozliczono=q.SETTLED,
        BZp_Rozliczono2=q.SETTLED, BZp_DataKur=day,
        BZp_Opis=fit(payout_description(payable["BZd_NumerPelny"]), 1024), BZp_ZapisAutomatyczny=0,
        BZp_ImportRowId=new_guid(), **stamps("BZp", now, settings.operator),
    )).inserted_primary_key[0])
    full = full_number(numer, number)
    _pair(conn, settings, payable, (q.SETTLEMENT_RECORD, record_id, full), amount, now)
    conn.execute(update(BnkRaporty).where(BnkRaporty.c.BRp_BRpID == report["BRp_BRpID"]).values(
        BRp_Rozchody=BnkRaporty.c.BRp_Rozchody + amount, BRp_RozchodySys=BnkRaporty.c.BRp_RozchodySys + amount,
        BRp_TS_Mod=now))
    stored = conn.execute(select(BnkZapisy.c.BZp_NumerPelny).where(BnkZapisy.c.BZp_BZpID == record_id)).scalar_one()
    return DocumentRef(id=record_id, number=str(stored))
