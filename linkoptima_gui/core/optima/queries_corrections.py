"""The SELECTs about corrections of an FA: found by the refund's reference, listed per FA, their
payout found through the settlement of their due.

Apart from ``queries.py`` (which is near its size limit) but built the same way, so the simulated
writer decides with the reader's own statements and a test compiles each for SQL Server.

Facts they rest on (reference/corrections.md §3.2, §3.5): a correction is a ``TraNag`` of the
original's type with ``TrN_Korekta`` = 1 and ``TrN_ZwrId`` = the original (every correction of one
FA points at the FA itself); its due in ``BnkZdarzenia`` has ``BZd_Kierunek`` -1 (a payable); the
money paid back is a ``BnkZapisy`` record with ``BZp_Kierunek`` -1 settled with that due.
"""

from __future__ import annotations

from sqlalchemy import Select, and_, select

from .queries import DUE_OF_TRADE_DOCUMENT, FA_TYPE, SETTLEMENT_DUE, SETTLEMENT_RECORD
from .schema import BnkRozKwoty, BnkZapisy, BnkZdarzenia, TraElem, TraNag

QUANTITY_KIND, VALUE_KIND = 302001, 302002  # TrN_Rodzaj of an FA correction (FAKI, FAKW)
#: ``TrN_Rodzaj`` of the WZ correction a quantity correction makes: 306001 is our reading (after
#: 302001 and the PZ corrections 307001-307004), not seen in a source
WZ_CORRECTION_KIND = 306001
PAYABLE = -1  # BZd_Kierunek of a reducing correction's due; BZp_Kierunek of money paid out


def _corrections_of_type(typ: int = FA_TYPE) -> Select:
    n = TraNag.c
    return (
        select(n.TrN_TrNID, n.TrN_NumerPelny)
        .where(n.TrN_TypDokumentu == typ, n.TrN_Korekta == 1, n.TrN_Anulowany == 0)
        .order_by(n.TrN_TrNID)
    )


def correction_by_reference_query(reference: str) -> Select:
    """The FA correction carrying the refund's reference (``TrN_NumerObcy``), in the buffer or not."""
    return _corrections_of_type().where(TraNag.c.TrN_NumerObcy == reference).limit(1)


def corrections_of_query(invoice_id: int) -> Select:
    """Every not cancelled correction of the FA, oldest first (index ``TraNagZwrIdBufor``)."""
    return _corrections_of_type().where(TraNag.c.TrN_ZwrId == invoice_id)


def wz_correction_query(correction_id: int) -> Select:
    """The WZ correction made when the FA correction was confirmed (its ``TrN_FaId``)."""
    return _corrections_of_type(306).where(TraNag.c.TrN_FaId == correction_id).limit(1)


def corrected_lines_query(invoice_id: int) -> Select:
    """The lines of every not cancelled correction of the document, in the buffer or not: what
    the document's lines are after them (``TrE_ZwrId`` = the corrected line)."""
    return (
        select(TraElem)
        .select_from(TraElem)
        .join(TraNag, TraNag.c.TrN_TrNID == TraElem.c.TrE_TrNId)
        .where(TraNag.c.TrN_ZwrId == invoice_id, TraNag.c.TrN_Korekta == 1, TraNag.c.TrN_Anulowany == 0)
        .order_by(TraElem.c.TrE_TrEID)
    )


def correction_due_query(correction_id: int) -> Select:
    """The correction's payable in the payment schedule."""
    z = BnkZdarzenia.c
    return (
        select(BnkZdarzenia)
        .where(z.BZd_DokumentTyp == DUE_OF_TRADE_DOCUMENT, z.BZd_DokumentID == correction_id,
               z.BZd_Kierunek == PAYABLE)
        .order_by(z.BZd_BZdID)
    )


def correction_payout_query(correction_id: int) -> Select:
    """The money-out record (KW / bank "wypłata") settled with the correction's payable."""
    z, k, p = BnkZdarzenia.c, BnkRozKwoty.c, BnkZapisy.c
    return (
        select(p.BZp_BZpID, p.BZp_NumerPelny)
        .select_from(BnkZapisy)
        .join(BnkRozKwoty, and_(k.BRK_PDokTyp == SETTLEMENT_RECORD, k.BRK_PDokID == p.BZp_BZpID))
        .join(BnkZdarzenia, and_(k.BRK_LDokTyp == SETTLEMENT_DUE, k.BRK_LDokID == z.BZd_BZdID))
        .where(p.BZp_Kierunek == PAYABLE, z.BZd_DokumentTyp == DUE_OF_TRADE_DOCUMENT,
               z.BZd_DokumentID == correction_id, z.BZd_Kierunek == PAYABLE)
        .order_by(p.BZp_BZpID)
        .limit(1)
    )


#: Every builder with example arguments, for the test that compiles them for SQL Server.
ALL_QUERIES = {
    "correction_by_reference": lambda: correction_by_reference_query("ZW-1"),
    "corrections_of": lambda: corrections_of_query(1),
    "wz_correction": lambda: wz_correction_query(1),
    "corrected_lines": lambda: corrected_lines_query(1),
    "correction_due": lambda: correction_due_query(1),
    "correction_payout": lambda: correction_payout_query(1),
}
