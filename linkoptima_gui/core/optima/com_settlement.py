"""The KP and its settlement booked through COM: the settlement route a person must choose, and
the least certain thing the writer can do (docs/optima-setup.md, "to check on a test company").

The KP follows the two public clients that book one (a C# bank-statement import and a script
inside Optima): a new record in ``CDN.ZapisyKB`` with its definition through the numerator, the
register, the cash/bank report, the date, the amount with ``Kierunek`` 1 (money in), the buyer
and a description; a report is opened with ``Rachunek``, ``DataOtw`` and ``DataZam`` when the
register has none for the day. The new KP is found again by SQL, by its description, as the
script does, not by reading an ID nobody is seen reading.

The settlement itself is in no public code: ``CDN.Rozliczenia`` with properties named after
``BnkRozKwoty``'s columns is our guess. A KP saved by an earlier attempt whose settlement failed
is settled, never booked twice; a settlement the books do not show afterwards goes to a person.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.engine import Connection

from ..domain.money import round_grosz
from ..domain.order import Order
from ..errors import AmbiguousOutcomeError
from . import queries as q
from .com_names import CASH_RECORDS, CASH_REPORTS, CONTRACTORS, DEFINITIONS, REGISTERS, SETTLEMENTS
from .com_session import ComContext
from .port import DocumentRef
from .reader import SqlOptimaReader
from .rules.columns import payment_description
from .rules.master_data import KP_CLASS, cash_register, covering_report, find_definition
from .rules.refusals import check_invoice_of_order, check_payment, load_invoice, open_due
from .schema import BnkRozKwoty, BnkZapisy
from .settings import OptimaSettings

#: a short read of the books that decides (``ComOptimaWriter._books``)
Books = Callable[[], AbstractContextManager[Connection]]


def settle_through_com(
    com: ComContext,
    books: Books,
    reader: SqlOptimaReader,
    settings: OptimaSettings,
    invoice: DocumentRef,
    order: Order,
    day: datetime,
) -> DocumentRef:
    """The job on the COM thread: the KP of the order's payment and the settlement of the FA's due."""
    found = reader.find_payment(order.number)
    if found is not None:
        return found
    with books() as conn:
        header = load_invoice(conn, invoice)
        fa_number = header["TrN_NumerPelny"]
        check_invoice_of_order(header, order.number)
        register = cash_register(conn, check_payment(order, settings))
        due = open_due(conn, header)
        description = payment_description(fa_number, order)
        # a KP saved by an earlier attempt whose settlement failed is settled, not booked again
        receipt_id = unsettled_receipt(conn, description, header, register)
        covering = covering_report(conn, register, day) if receipt_id is None else None
        definition = find_definition(conn, settings.kp_definition, KP_CLASS).id
    amount = round_grosz(order.total)
    if receipt_id is None:
        # the report first: Save() stores everything pending in the session, and a KP must
        # not be half-filled when the new report is saved
        report = _report(com, register, covering, day)
        kp = com.create(CASH_RECORDS).AddNew(None)
        kp.Numerator.DefinicjaDokumentu = com.create(DEFINITIONS).Item(f"DDf_DDfID={definition}")
        kp.Rachunek = com.create(REGISTERS).Item(f"BRa_BRaID={register['BRa_BRaID']}")
        kp.RaportKB = report
        kp.DataDok = day
        kp.Kierunek = 1
        kp.Kwota = amount
        kp.Podmiot = com.create(CONTRACTORS).Item(f"Knt_KntId={header['TrN_PodID']}")
        kp.Opis = description
        com.session.Save()
        with books() as conn:
            receipt_id = unsettled_receipt(conn, description, header, register)
        if receipt_id is None:
            raise AmbiguousOutcomeError(
                f"Optima przyjęła KP do faktury {fa_number}, ale nie ma go w bazie: sprawdź w Optimie, zanim ponowisz",
                code="optima_not_found_after_save",
                details={"kind": "KP", "reference": fa_number},
            )
    pair = com.create(SETTLEMENTS).AddNew(None)
    pair.LDokTyp, pair.LDokID = q.SETTLEMENT_DUE, int(due["BZd_BZdID"])
    pair.PDokTyp, pair.PDokID = q.SETTLEMENT_RECORD, receipt_id
    pair.Kwota = min(amount, Decimal(due["BZd_Kwota"]) - Decimal(due["BZd_KwotaRoz"]))
    pair.DataDok = day
    com.session.Save()
    found = reader.find_payment(order.number)
    if found is None:
        raise AmbiguousOutcomeError(
            f"KP zapisano w Optimie, ale nie widać rozliczenia należności faktury {fa_number}: rozlicz "
            "ją ręcznie (Kasa/Bank, Rozrachunki) i oznacz krok jako wykonany",
            code="settlement_unverified",
            details={"kp_id": receipt_id, "invoice": fa_number},
        )
    return found


def unsettled_receipt(
    conn: Connection, description: str, header: Mapping[str, Any], register: Mapping[str, Any]
) -> int | None:
    """Our KP of this payment (its description, buyer and register) that settles nothing yet."""
    z, k = BnkZapisy.c, BnkRozKwoty.c
    settles = exists().where(k.BRK_PDokTyp == q.SETTLEMENT_RECORD, k.BRK_PDokID == z.BZp_BZpID)
    found = conn.execute(
        select(z.BZp_BZpID)
        .where(
            z.BZp_Kierunek == 1,
            z.BZp_Opis == description,
            z.BZp_PodmiotID == header["TrN_PodID"],
            z.BZp_BRaID == register["BRa_BRaID"],
            ~settles,
        )
        .order_by(z.BZp_BZpID)
        .limit(1)
    ).scalar()
    return None if found is None else int(found)


def _report(com: ComContext, register: Mapping[str, Any], covering: Mapping[str, Any] | None, day: datetime) -> Any:
    """The report as a COM object; a monthly one is opened when the register has none for the day."""
    if covering is not None:
        return com.create(CASH_REPORTS).Item(f"BRp_BRpID={int(covering['BRp_BRpID'])}")
    report = com.create(CASH_REPORTS).AddNew(None)
    report.Rachunek = com.create(REGISTERS).Item(f"BRa_BRaID={register['BRa_BRaID']}")
    report.DataOtw = day.replace(day=1)
    report.DataZam = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    com.session.Save()
    return report
