"""Money back for a correction, the parts both writers share: the correction's payable (refused
when it is not there to settle), the register the payout goes out of, and a payout saved by an
earlier attempt whose settlement never came (so a retry settles it instead of paying twice).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.engine import Connection

from ...domain.correction import PayoutKind
from ...domain.order import Order
from ...errors import PermanentError
from .. import queries as q
from .. import queries_corrections as qc
from ..port import DocumentRef
from ..schema import BnkRozKwoty, BnkZapisy, TraNag
from ..settings import OptimaSettings

KW_CLASS = 201  # DDf_Klasa of money paid out ("kasa wypłaci"); DDf_KierunekOrg gives -1 for it


def _refuse(code: str, reason: str, /, **details: Any) -> PermanentError:
    return PermanentError(reason, code=code, details={k: str(v) for k, v in details.items()})


def payout_description(correction_number: str) -> str:
    """The payout's description (``BZp_Opis``), by which the COM route finds its record again."""
    return f"Zwrot pieniędzy do korekty {correction_number}"


def correction_payable(conn: Connection, correction: DocumentRef, invoice: DocumentRef, *,
                       lock: bool = False) -> Mapping[str, Any]:
    """The correction's payable; a correction of another FA, in the buffer or owing nothing is
    refused. ``lock``: held until the commit, so a second writer settling it waits, then finds it."""
    header = conn.execute(select(TraNag).where(TraNag.c.TrN_TrNID == correction.id)).mappings().first()
    if header is None or not header["TrN_Korekta"] or header["TrN_ZwrId"] != invoice.id:
        raise _refuse("correction_not_found", f"Nie ma w Optimie korekty {correction.number} faktury {invoice.number}",
                      correction=correction.number, invoice=invoice.number)
    if header["TrN_Bufor"] != 0 or header["TrN_Anulowany"]:
        raise _refuse("correction_not_confirmed",
                      f"Korekta {correction.number} jest w buforze lub anulowana: zatwierdź ją w Optimie, "
                      "zanim zwrot pieniędzy zostanie rozliczony", correction=correction.number)
    query = qc.correction_due_query(correction.id)
    due = conn.execute(query.with_for_update() if lock else query).mappings().first()
    if due is None:
        raise _refuse("no_due", f"Korekta {correction.number} nie ma w Optimie zobowiązania do rozliczenia",
                      correction=correction.number)
    return due


def payout_register(settings: OptimaSettings, order: Order, payout: PayoutKind) -> str:
    """The register money goes back from: the cash register for a KW, else the gateway's."""
    if payout is PayoutKind.KW:
        return settings.payout_cash_register
    register = settings.route_for(order.payment.method_id).register
    if register is None:
        raise _refuse("no_register",
                      f"Płatność „{order.payment.title or order.payment.method_id}” zamówienia {order.number} nie ma "
                      "rejestru bankowego w ustawieniach: zwrot pieniędzy zaksięguj ręcznie albo wybierz wypłatę KW",
                      method_id=order.payment.method_id)
    return register


def unsettled_payout(conn: Connection, description: str, payable: Mapping[str, Any],
                     register: Mapping[str, Any]) -> int | None:
    """Our payout for this correction (description, buyer, register) that settles nothing yet."""
    z, k = BnkZapisy.c, BnkRozKwoty.c
    settles = exists().where(k.BRK_PDokTyp == q.SETTLEMENT_RECORD, k.BRK_PDokID == z.BZp_BZpID)
    found = conn.execute(
        select(z.BZp_BZpID)
        .where(z.BZp_Kierunek == qc.PAYABLE, z.BZp_Opis == description, z.BZp_PodmiotID == payable["BZd_PodmiotID"],
               z.BZp_BRaID == register["BRa_BRaID"], ~settles)
        .order_by(z.BZp_BZpID)
        .limit(1)
    ).scalar()
    return None if found is None else int(found)
