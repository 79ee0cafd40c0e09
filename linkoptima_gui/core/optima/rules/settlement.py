"""How an online payment settles its FA, the same on both writers.

Two routes (``OptimaSettings.settlement``):

- Optima's own (the default). The gateway's payment form is set up in Optima so that confirming
  an FA with it adds the KP in the form's register and settles the invoice: Comarch's help says
  Optima adds the settling KP/KW by itself for a cash-type payment form, asking for a cash/bank
  report when none is open (help message 23359). The console writes nothing for the payment; it
  finds the KP through the FA's settlement, and when there is none says why.
- The KP and the settlement booked by the console through COM: kept for an Optima that cannot be
  set up that way, and unverified (no public code settles through COM; docs/optima-setup.md).

Which ``FPl_Typ`` is the cash type is our reading of Optima's payment form types (gotówka,
przelew, karta...); the probe shows each form's type and register so an installer can check it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ...domain.order import Order
from ...errors import PermanentError
from ..schema import BnkRachunki, FormyPlatnosci
from ..settings import OptimaSettings
from .refusals import check_payment, open_due

#: ``FPl_Typ`` of a cash-type payment form ("gotówka"): Optima settles its documents by itself.
CASH_FORM = 1


def settles_itself(form: Mapping[str, Any]) -> bool:
    """Whether Optima adds and settles the KP of a document with this payment form on its own."""
    return int(form["FPl_Typ"]) == CASH_FORM and form["FPl_BRaId"] is not None


def invoice_form(conn: Connection, invoice: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The FA's payment form (``TrN_FPlId``) with the acronym of the register it books to."""
    return (
        conn.execute(
            select(FormyPlatnosci, BnkRachunki.c.BRa_Akronim)
            .select_from(FormyPlatnosci)
            .outerjoin(BnkRachunki, BnkRachunki.c.BRa_BRaID == FormyPlatnosci.c.FPl_BRaId)
            .where(FormyPlatnosci.c.FPl_FPlId == invoice["TrN_FPlId"])
        )
        .mappings()
        .first()
    )


def not_settled_by_optima(
    conn: Connection, invoice: Mapping[str, Any], order: Order, settings: OptimaSettings
) -> NoReturn:
    """Why Optima's own route left the FA without a KP (call it when none was found)."""
    check_payment(order, settings)  # cash on delivery, an unconfirmed payment: refused as ever
    number = invoice["TrN_NumerPelny"]
    form = invoice_form(conn, invoice)
    name = form["FPl_Nazwa"] if form is not None else ""
    details = {"invoice": number, "payment_form": name}
    if form is None or not settles_itself(form):
        raise PermanentError(
            f"Forma płatności „{name}” faktury {number} nie rozlicza się w Optimie sama: ustaw ją w Optimie "
            "jako formę typu gotówka z rejestrem bramki (Konfiguracja firmy → Kasa/Bank → Formy płatności) "
            "albo wybierz w ustawieniach rozliczanie przez KP z API COM",
            code="form_not_settling",
            details={**details, "type": None if form is None else int(form["FPl_Typ"])},
        )
    open_due(conn, invoice)  # settled by another document, or no due at all: says so
    raise PermanentError(
        f"Optima nie rozliczyła faktury {number}, choć jej forma płatności „{name}” powinna: sprawdź, czy "
        f"rejestr {form['BRa_Akronim']} ma otwarty raport kasowy/bankowy na ten dzień, rozlicz fakturę w "
        "Optimie i ponów krok",
        code="not_settled",
        details={**details, "register": form["BRa_Akronim"]},
    )
