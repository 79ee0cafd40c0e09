"""A correction of an FA booked through COM, and its money back: the jobs ``ComOptimaWriter`` runs.

The correction follows the one public sample that makes one (Comarch's "Przykład 6. - Korekta FA",
reference/corrections.md §3.3): a new ``CDN.DokumentyHaMag`` document with ``Rodzaj`` 302001 or
302002, ``TypDokumentu`` 302, ``Korekta`` 1, ``Bufor`` and ``OryginalID`` = the FA's ``TrN_TrNID``;
Optima copies the FA's lines, and each line to change is fetched from ``Elementy`` by
``Tre_TwrKod='…'`` and given its ``Ilosc``. Unverified, and so checked after the save:

- whether ``Ilosc`` is the quantity after the correction (the sample's example) or the change:
  ``OptimaSettings.com_correction_quantity``, "after" by default; the correction is read back and
  a change other than the one asked for stops the order for a person, naming the setting;
- a value correction sets the line's value after it (``WartoscNetto``, or the unit gross ``CenaT``
  for prices with VAT, as the FA is booked); the sample shows none;
- the reason goes into ``Uwagi`` (the property for ``TrN_KorektaZTytulu`` is in no public code);
- an FA with the same item on two lines cannot be told apart by the sample's filter: refused, for
  a person to correct by hand.

The refund's reference goes into ``NumerObcy``, so a retry finds the correction instead of booking
another. Money back through COM exists only on the unverified KP-through-COM route (a KW in
``CDN.ZapisyKB`` with ``Kierunek`` -1, the settlement through ``CDN.Rozliczenia``, both as the KP
does); on Optima's own route a person settles it (``correction_settle_by_hand``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.engine import Connection

from ..domain.correction import CorrectionKind, CorrectionRequest, PayoutKind
from ..domain.money import round_grosz
from ..domain.order import Order
from ..errors import AmbiguousOutcomeError, PermanentError
from . import queries as q
from . import queries_corrections as qc
from .com_names import CASH_RECORDS, CONTRACTORS, DEFINITIONS, DOCUMENTS, REGISTERS, SETTLEMENTS
from .com_session import ComContext
from .com_settlement import _report as cash_report
from .port import DocumentRef
from .reader import SqlOptimaReader
from .rules.corrections import LineChange, invoice_to_correct, line_states, plan_correction
from .rules.master_data import cash_register, covering_report, find_definition
from .rules.refunds import KW_CLASS, correction_payable, payout_description, payout_register, unsettled_payout
from .settings import COM_QUANTITY_AFTER, OptimaSettings

Books = Callable[[], AbstractContextManager[Connection]]


def _refuse(code: str, reason: str, /, **details: Any) -> PermanentError:
    return PermanentError(reason, code=code, details={k: str(v) for k, v in details.items()})


def correct_through_com(
    com: ComContext, books: Books, reader: SqlOptimaReader, settings: OptimaSettings, invoice: DocumentRef,
    request: CorrectionRequest, day: datetime,
) -> DocumentRef:
    """The job on the COM thread: the correction of the FA, unless the refund has one already."""
    found = reader.find_correction(request.reference)
    if found is not None:
        return found
    with books() as conn:
        header = invoice_to_correct(conn, invoice)
        changes = plan_correction(line_states(conn, invoice.id), request, header)
    _check_codes(changes, header["TrN_NumerPelny"])
    from_gross = int(header["TrN_TypNB"]) == 2
    doc = com.create(DOCUMENTS).AddNew(None)
    doc.Rodzaj = request.kind.rodzaj
    doc.TypDokumentu = q.FA_TYPE
    doc.Korekta = 1
    doc.Bufor = 0 if request.confirm else 1
    doc.OryginalID = invoice.id
    doc.DataDok = day
    doc.NumerObcy = request.reference
    doc.Uwagi = request.reason[:1024]
    for change in changes:
        element = doc.Elementy.Item(f"Tre_TwrKod='{change.state.row['TrE_TwrKod']}'")
        if request.kind is CorrectionKind.QUANTITY:
            after = settings.com_correction_quantity == COM_QUANTITY_AFTER
            element.Ilosc = float(change.state.quantity + change.quantity if after else change.quantity)
        elif from_gross:
            element.CenaT = round_grosz((change.state.gross + change.gross) / change.state.quantity)
        else:
            element.WartoscNetto = change.state.net + change.net
    com.session.Save()
    found = reader.find_correction(request.reference)
    if found is None:
        raise AmbiguousOutcomeError(
            f"Optima przyjęła korektę {request.reference} faktury {invoice.number}, ale nie ma jej w bazie: "
            "sprawdź w Optimie, zanim ponowisz",
            code="optima_not_found_after_save", details={"kind": "korekta", "reference": request.reference})
    _check_read_back(reader, found, changes, request)
    return found


def _check_codes(changes: Sequence[LineChange], number: str) -> None:
    """The sample's filter finds a line by its item code: each must be there once and plain."""
    for change in changes:
        code = str(change.state.row["TrE_TwrKod"])
        if "'" in code:
            raise _refuse("correction_by_hand", f"Kod towaru „{code}” ma apostrof: skoryguj fakturę {number} w Optimie "
                          "ręcznie", invoice=number, code=code)


def _check_read_back(reader: SqlOptimaReader, found: DocumentRef, changes: Sequence[LineChange],
                     request: CorrectionRequest) -> None:
    """The books must show the change asked for; anything else is for a person to undo."""
    booked = {line.position: line for line in reader.read_correction(found.id).lines}
    for change in changes:
        line = booked.get(change.state.position)
        wanted = change.quantity if request.kind is CorrectionKind.QUANTITY else change.gross
        got = None if line is None else (line.quantity if request.kind is CorrectionKind.QUANTITY else line.gross)
        if got is None or Decimal(got) != wanted:
            raise _refuse(
                "correction_mismatch",
                f"Optima zapisała korektę {found.number} ze zmianą pozycji {change.state.position} o {got} zamiast "
                f"{wanted}: usuń ją w Optimie i sprawdź ustawienie „com_correction_quantity” (znaczenie ilości w "
                "korekcie przez COM), zanim ponowisz",
                correction=found.number, position=change.state.position, booked=got, wanted=wanted)


def settle_correction_through_com(
    com: ComContext, books: Books, reader: SqlOptimaReader, settings: OptimaSettings, correction: DocumentRef,
    invoice: DocumentRef, order: Order, payout: PayoutKind, day: datetime,
) -> DocumentRef | None:
    """The job on the COM thread: the correction's payable netted against the FA's open due, and
    what is left paid out with a KW / bank "wypłata" (only on the KP-through-COM route)."""
    found = reader.find_correction_payout(correction.id)
    if found is not None:
        return found
    with books() as conn:
        payable = correction_payable(conn, correction, invoice)
        left = Decimal(payable["BZd_Kwota"]) - Decimal(payable["BZd_KwotaRoz"])
        if left <= 0:
            return None
        receivable = next((d for d in conn.execute(q.document_dues_query(invoice.id)).mappings()
                           if d["BZd_Rozliczono"] == q.OPEN), None)
        definition = find_definition(conn, settings.kw_definition, KW_CLASS).id
        register = cash_register(conn, payout_register(settings, order, payout))
        covering = covering_report(conn, register, day)
    if not settings.settles_through_com:
        raise _refuse(
            "correction_settle_by_hand",
            f"Zwrot {left} zł do korekty {correction.number} rozlicz w Optimie ręcznie (Kasa/Bank, Rozrachunki): "
            "rozliczania korekt przez COM nie ma w żadnym publicznym kodzie, a ustawienia nie wybrały rozliczeń "
            "przez KP z API COM", correction=correction.number, amount=left, invoice=invoice.number)
    if receivable is not None:
        netted = min(left, Decimal(receivable["BZd_Kwota"]) - Decimal(receivable["BZd_KwotaRoz"]))
        _pair(com, int(receivable["BZd_BZdID"]), (q.SETTLEMENT_DUE, int(payable["BZd_BZdID"])), netted, day)
        left -= netted
    if left <= 0:
        return None
    report = cash_report(com, register, covering, day)  # saved before the record, as for a KP
    record = com.create(CASH_RECORDS).AddNew(None)
    record.Numerator.DefinicjaDokumentu = com.create(DEFINITIONS).Item(f"DDf_DDfID={definition}")
    record.Rachunek = com.create(REGISTERS).Item(f"BRa_BRaID={register['BRa_BRaID']}")
    record.RaportKB = report
    record.DataDok = day
    record.Kierunek = qc.PAYABLE
    record.Kwota = left
    record.Podmiot = com.create(CONTRACTORS).Item(f"Knt_KntId={payable['BZd_PodmiotID']}")
    record.Opis = payout_description(correction.number)
    com.session.Save()
    return _settle_payout(com, books, reader, correction, payable, register, left, day)


def _pair(com: ComContext, due_id: int, right: tuple[int, int], amount: Decimal, day: datetime) -> None:
    pair = com.create(SETTLEMENTS).AddNew(None)
    pair.LDokTyp, pair.LDokID = q.SETTLEMENT_DUE, due_id
    pair.PDokTyp, pair.PDokID = right
    pair.Kwota = amount
    pair.DataDok = day
    com.session.Save()


def _settle_payout(com: ComContext, books: Books, reader: SqlOptimaReader, correction: DocumentRef,
                   payable: Mapping[str, Any], register: Mapping[str, Any], amount: Decimal,
                   day: datetime) -> DocumentRef:
    with books() as conn:
        record_id = unsettled_payout(conn, payout_description(correction.number), payable, register)
    if record_id is None:
        raise AmbiguousOutcomeError(
            f"Optima przyjęła wypłatę do korekty {correction.number}, ale nie ma jej w bazie: sprawdź w Optimie, "
            "zanim ponowisz", code="optima_not_found_after_save",
            details={"kind": "KW", "reference": correction.number})
    _pair(com, int(payable["BZd_BZdID"]), (q.SETTLEMENT_RECORD, record_id), amount, day)
    found = reader.find_correction_payout(correction.id)
    if found is None:
        raise AmbiguousOutcomeError(
            f"Wypłatę zapisano w Optimie, ale nie widać jej rozliczenia z korektą {correction.number}: rozlicz ją "
            "ręcznie (Kasa/Bank, Rozrachunki) i oznacz krok jako wykonany",
            code="settlement_unverified", details={"record_id": record_id, "correction": correction.number})
    return found
