"""The Polish words the daily report prints (the screen translates its own through Qt): the
exception groups, the backlog's parts, money and the period.

The reason code -> group table lives here, in the core, because the report needs it without Qt;
the exceptions screen groups by the same table (``ui/texts.py`` translates the group names).
"""

from __future__ import annotations

from decimal import Decimal

from ..domain.steps import REFUND_STEPS
from .figures import Period

UNKNOWN_ITEM = "Nieznany towar"
INVALID_NIP = "Błędny NIP"
AMOUNTS = "Kwoty się nie zgadzają"
NO_STOCK = "Brak towaru w magazynie"
UNREACHABLE = "Sklep lub Optima nieosiągalne"
CARRIER = "Przewoźnik odmówił"
PRINTER = "Drukarka"
KSEF = "KSeF"
REPORT = "Raport kasowy/bankowy zamknięty"
BAD_ORDER = "Błędne dane zamówienia"
EMAIL = "E-mail"
REFUNDS = "Korekty i zwroty"
OTHER = "Inne"

#: the steps of a refund: whatever stops them is a refund's problem
_REFUND_STEPS = frozenset(step.value for step in REFUND_STEPS)

#: reason code -> the group an exception is listed under (codes not listed fall under "Inne")
EXCEPTION_GROUPS = {
    "unknown_sku": UNKNOWN_ITEM, "inactive_sku": UNKNOWN_ITEM, "no_goods": UNKNOWN_ITEM,
    "invalid_nip": INVALID_NIP, "contractor_not_found": INVALID_NIP, "ambiguous_contractor": INVALID_NIP,
    "amount_mismatch": AMOUNTS,
    "insufficient_stock": NO_STOCK, "stock_short": NO_STOCK,
    "shop_unreachable": UNREACHABLE, "optima_unavailable": UNREACHABLE, "unreachable": UNREACHABLE,
    "carrier_refused": CARRIER, "carrier_auth": CARRIER, "carrier_unreachable": CARRIER,
    "printer": PRINTER,
    "ksef_missing": KSEF,
    "report_closed": REPORT,
    "malformed": BAD_ORDER, "invalid_line": BAD_ORDER, "unsupported_currency": BAD_ORDER,
    "empty_order": BAD_ORDER, "unknown_tax_class": BAD_ORDER,
}

BACKLOG_LABELS = ("opłacone, nowe", "czekają na dokumenty", "do spakowania", "wyjątki")


def exception_group(code: str, step: str = "") -> str:
    """The group (Polish) of an exception's reason code; every problem of a refund's steps (and
    a refund's own codes, e.g. ``refunded_before_packing``) is under "Korekty i zwroty"."""
    if step in _REFUND_STEPS or code.startswith(("refund", "shop_refund")):
        return REFUNDS
    if code.startswith(("email", "smtp")):
        return EMAIL
    return EXCEPTION_GROUPS.get(code, OTHER)


def money_text(amount: Decimal) -> str:
    """``1 234,50 zł``: a space between thousands and a decimal comma, as Poles write money."""
    return f"{amount:,.2f} zł".replace(",", " ").replace(".", ",")


def period_text(period: Period) -> str:
    if period.days == 1:
        return f"Dzień {period.last.strftime('%d.%m.%Y')}"
    return f"Okres {period.first.strftime('%d.%m')}–{period.last.strftime('%d.%m.%Y')} ({period.days} dni)"
