"""The rows Optima writes for a correction of an FA (302001 / 302002) and, on its confirmation, for
the WZ correction and the payable.

A correction is a ``TraNag`` of type 302 with ``TrN_Korekta`` 1 and ``TrN_ZwrId`` = the FA, its
own numbering series (the definitions ``FAKI`` and ``FAKW``: the COM sample's names for the two
kinds, reference/corrections.md §3.1), the buyer and payment form copied from the FA, and the
refund's reference in ``TrN_NumerObcy`` and reason in ``TrN_KorektaZTytulu``. Its lines carry the
changes (negative for a return) with ``TrE_ZwrId`` = the corrected FA line and the same ``TrE_Lp``;
its ``TraVat`` and totals are the per-rate differences (``rules/corrections.py``).

Only confirming moves anything (§3.4): a confirmed quantity correction of an FA with a WZ gets a
WZ correction (type 306, ``TrN_ZwrId`` = the WZ, ``TrN_FaId`` = the correction, lines with
``TrE_ZwrId`` = the WZ lines), and the stock comes back in ``TwrIlosci``. The WZ correction's
quantities are changes too, so negative: BI reads a warehouse document's quantity after its
corrections as the sum (§3.2), and the Pulpit's "sold" then counts what came back. A confirmed
correction also gets its payable in ``BnkZdarzenia`` (``BZd_Kierunek`` -1, the amount positive:
our reading of §3.5). A correction left in the buffer does none of that until ``confirm``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from ...domain.correction import CorrectionKind, CorrectionRequest
from ...domain.money import ZERO
from .. import queries as q
from .. import queries_corrections as qc
from ..port import DocumentRef
from ..rules.columns import CURRENCY, fit
from ..rules.corrections import LineChange, correction_vat, line_states, plan_correction
from ..rules.master_data import Definition, find_definition
from ..schema import BnkZdarzenia, TraNag
from ..settings import OptimaSettings
from .booking import confirmed_document, new_guid, next_number, numer_string, stamps
from .documents import insert_lines, insert_vat_table, totals_columns, vat_of_lines
from .wz import _NOT_COPIED, move_stock

_LINE_NOT_COPIED = {"TrE_TrEID", "TrE_TrNId", "TrE_TypDokumentu", "TrE_DataDok", "TrE_DataOpe", "TrE_ZwrId"}


def _stored_number(conn: Connection, document_id: int) -> str:
    return str(conn.execute(select(TraNag.c.TrN_NumerPelny).where(TraNag.c.TrN_TrNID == document_id)).scalar_one())


def _as_datetime(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())


def book_correction(
    conn: Connection,
    settings: OptimaSettings,
    definition: Definition,
    invoice: Mapping[str, Any],
    request: CorrectionRequest,
    now: datetime,
) -> DocumentRef:
    """Insert the correction (in the buffer or confirmed) and, when confirmed, what that moves.
    ``definition``: the kind's numbering series, locked by the caller before it looked for the
    reference (``correction_definition``), so two writers never book one refund twice."""
    states = line_states(conn, invoice["TrN_TrNID"])
    changes = plan_correction(states, request, invoice)
    from_gross = int(invoice["TrN_TypNB"]) == 2
    vat_rows = correction_vat(states, changes, from_gross)
    day = _as_datetime(request.issue_date)
    numer = numer_string(definition, day, warehouse=settings.warehouse)
    number = next_number(conn, TraNag.c.TrN_NumerString, TraNag.c.TrN_NumerNr, numer)
    header = {k: v for k, v in invoice.items() if k not in _NOT_COPIED}
    header.update(
        {
            "TrN_DDfId": definition.id,
            **confirmed_document(q.FA_TYPE, request.kind.rodzaj, numer, number, day),
            "TrN_Bufor": 0 if request.confirm else 1,
            "TrN_Korekta": 1,
            "TrN_ZwrId": invoice["TrN_TrNID"],
            "TrN_FaId": None,
            "TrN_Termin": day,
            "TrN_NumerObcy": request.reference,
            "TrN_KorektaZTytulu": fit(request.reason, 1024),
            "TrN_Opis": fit(f"Korekta faktury {invoice['TrN_NumerPelny']}: {request.reason}", 1024),
            "TrN_ImportRowId": new_guid(),
            **totals_columns(vat_rows),
            **stamps("TrN", now, settings.operator, confirmed=request.confirm),
        }
    )
    document_id = int(conn.execute(TraNag.insert(), header).inserted_primary_key[0])
    header["TrN_TrNID"] = document_id
    insert_lines(conn, header, [_line(change) for change in changes])
    insert_vat_table(conn, document_id, vat_rows)
    if request.confirm:
        on_confirm(conn, settings, header, now)
    return DocumentRef(id=document_id, number=_stored_number(conn, document_id))


def correction_definition(conn: Connection, settings: OptimaSettings, kind: CorrectionKind) -> Definition:
    """The kind's numbering series (``FAKI`` / ``FAKW`` by default), locked until the commit."""
    symbol = (settings.correction_quantity_definition if kind is CorrectionKind.QUANTITY
              else settings.correction_value_definition)
    return find_definition(conn, symbol, q.FA_TYPE, lock=True)


def _line(change: LineChange) -> dict[str, Any]:
    row = {k: v for k, v in change.state.row.items() if k not in _LINE_NOT_COPIED}
    return {
        **row,
        "TrE_ZwrId": change.state.row["TrE_TrEID"],
        "TrE_Ilosc": change.quantity,
        "TrE_IloscJM": change.quantity,
        "TrE_WartoscNetto": change.net,
        "TrE_WartoscBrutto": change.gross,
        "TrE_WartoscNettoWal": change.net,
        "TrE_WartoscBruttoWal": change.gross,
    }


def confirm(conn: Connection, settings: OptimaSettings, correction: Mapping[str, Any], now: datetime) -> None:
    """Take a correction out of the buffer, as a person does in Optima, and book what that moves."""
    values = {"TrN_Bufor": 0, **stamps("TrN", now, settings.operator, confirmed=True)}
    values.pop("TrN_TS_Zal"), values.pop("TrN_OpeZalKod")
    conn.execute(update(TraNag).where(TraNag.c.TrN_TrNID == correction["TrN_TrNID"]).values(values))
    on_confirm(conn, settings, {**correction, **values}, now)


def on_confirm(conn: Connection, settings: OptimaSettings, header: Mapping[str, Any], now: datetime) -> None:
    """The payable, and for a quantity correction of an FA with a WZ, the WZ correction."""
    _insert_payable(conn, settings, header, now)
    if header["TrN_Rodzaj"] != qc.QUANTITY_KIND:
        return
    wz = conn.execute(q.wz_by_invoice_query(header["TrN_ZwrId"])).first()
    if wz is not None:
        _book_wz_correction(conn, settings, header, int(wz[0]), now)


def _insert_payable(conn: Connection, settings: OptimaSettings, header: Mapping[str, Any], now: datetime) -> None:
    """What the seller owes the buyer back: the correction's gross, due on the correction's date."""
    amount = -Decimal(header["TrN_RazemBrutto"])
    if amount <= 0:
        return  # nothing owed (a correction that changes no money)
    full = _stored_number(conn, header["TrN_TrNID"])
    conn.execute(
        BnkZdarzenia.insert(), dict(
            BZd_BRaID=None, BZd_DDfID=header["TrN_DDfId"], BZd_DokumentTyp=q.DUE_OF_TRADE_DOCUMENT,
            BZd_DokumentID=header["TrN_TrNID"], BZd_NumerPelny=full, BZd_NumerObcy=header["TrN_NumerObcy"],
            BZd_PodmiotTyp=q.CONTRACTOR, BZd_PodmiotID=header["TrN_PodID"], BZd_FPlId=header["TrN_FPlId"],
            BZd_DataDok=header["TrN_DataDok"], BZd_Termin=header["TrN_Termin"], BZd_DataReal=header["TrN_Termin"],
            BZd_Kwota=amount, BZd_KwotaSys=amount, BZd_KwotaRoz=ZERO, BZd_KwotaRozSys=ZERO,
            BZd_Waluta=CURRENCY, BZd_WalutaDok=CURRENCY, BZd_KursL=Decimal(1), BZd_KursM=Decimal(1),
            BZd_DataKur=header["TrN_DataDok"], BZd_Kierunek=qc.PAYABLE, BZd_Rozliczono=q.OPEN,
            BZd_Rozliczono2=q.OPEN, BZd_Opis=fit(f"Zwrot do korekty {full}", 254), BZd_ImportRowId=new_guid(),
            **stamps("BZd", now, settings.operator),
        )
    )


def _pairs(fa_lines: Sequence[Mapping[str, Any]], wz_lines: Sequence[Mapping[str, Any]]) -> dict[int, Mapping]:
    """FA line id -> its WZ line: the WZ took the FA's goods lines over in their order."""
    goods = [row for row in fa_lines if row["TrE_TwrTyp"] == q.GOODS and row["TrE_Aktywny"]]
    return {fa["TrE_TrEID"]: wz for fa, wz in zip(goods, wz_lines, strict=False) if fa["TrE_TwrId"] == wz["TrE_TwrId"]}


def _book_wz_correction(
    conn: Connection, settings: OptimaSettings, correction: Mapping[str, Any], wz_id: int, now: datetime
) -> None:
    changes = conn.execute(q.document_lines_query(correction["TrN_TrNID"])).mappings().all()
    pairs = _pairs(conn.execute(q.document_lines_query(correction["TrN_ZwrId"])).mappings().all(),
                   conn.execute(q.document_lines_query(wz_id)).mappings().all())
    moved = [(change, pairs[change["TrE_ZwrId"]]) for change in changes
             if change["TrE_ZwrId"] in pairs and Decimal(change["TrE_Ilosc"]) != 0]
    if not moved:
        return  # services only: nothing went out of the warehouse
    wz = conn.execute(select(TraNag).where(TraNag.c.TrN_TrNID == wz_id)).mappings().one()
    definition: Definition = find_definition(conn, settings.wz_correction_definition, q.WZ_TYPE, lock=True)
    day = correction["TrN_DataDok"]
    correction_number = _stored_number(conn, correction["TrN_TrNID"])
    numer = numer_string(definition, day, warehouse=settings.warehouse)
    number = next_number(conn, TraNag.c.TrN_NumerString, TraNag.c.TrN_NumerNr, numer)
    header = {k: v for k, v in wz.items() if k not in _NOT_COPIED}
    header.update({
        "TrN_DDfId": definition.id,
        **confirmed_document(q.WZ_TYPE, qc.WZ_CORRECTION_KIND, numer, number, day),
        "TrN_Korekta": 1, "TrN_ZwrId": wz_id, "TrN_FaId": correction["TrN_TrNID"],
        "TrN_NumerObcy": correction["TrN_NumerObcy"], "TrN_KorektaZTytulu": correction["TrN_KorektaZTytulu"],
        "TrN_Opis": fit(f"Korekta wydania {wz['TrN_NumerPelny']} do korekty {correction_number}", 1024),
        "TrN_ImportRowId": new_guid(),
        **stamps("TrN", now, settings.operator, confirmed=True),
    })
    lines = []
    for change, wz_line in moved:
        row = {k: v for k, v in wz_line.items() if k not in _LINE_NOT_COPIED}
        lines.append({**row, "TrE_ZwrId": wz_line["TrE_TrEID"], "TrE_Ilosc": change["TrE_Ilosc"],
                      "TrE_IloscJM": change["TrE_Ilosc"], "TrE_WartoscNetto": change["TrE_WartoscNetto"],
                      "TrE_WartoscBrutto": change["TrE_WartoscBrutto"],
                      "TrE_WartoscNettoWal": change["TrE_WartoscNetto"],
                      "TrE_WartoscBruttoWal": change["TrE_WartoscBrutto"]})
    vat_rows = vat_of_lines(lines, int(wz["TrN_TypNB"]) == 2)
    header.update(totals_columns(vat_rows))
    document_id = int(conn.execute(TraNag.insert(), header).inserted_primary_key[0])
    header["TrN_TrNID"] = document_id
    insert_lines(conn, header, lines)
    insert_vat_table(conn, document_id, vat_rows)
    for change, wz_line in moved:
        back = -Decimal(change["TrE_Ilosc"])
        move_stock(conn, wz_line["TrE_TwrId"], wz_line["TrE_MagId"], back, day)
        move_stock(conn, wz_line["TrE_TwrId"], None, back, day)

