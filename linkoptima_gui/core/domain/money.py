"""Money as Decimal, rounded the way Polish invoices round (half-up to the grosz).

Floats never carry money here: WooCommerce sends amounts as strings (and sometimes as JSON
numbers), both are converted through ``str`` so that 0.1 stays 0.1.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

GROSZ = Decimal("0.01")
ZERO = Decimal("0.00")


class MoneyFormatError(ValueError):
    """A value that should be an amount is not one."""


def to_decimal(value: object) -> Decimal:
    """Parse an amount or quantity from the shop (str, int, float, Decimal or None)."""
    if value is None or value == "":
        return Decimal("0")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise MoneyFormatError(f"not an amount: {value!r}")
    try:
        result = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise MoneyFormatError(f"not an amount: {value!r}") from exc
    if not result.is_finite():
        raise MoneyFormatError(f"not an amount: {value!r}")
    return result


def round_grosz(value: Decimal) -> Decimal:
    """Round half-up to 0.01 (art. 106e ust. 11 VAT Act)."""
    return value.quantize(GROSZ, rounding=ROUND_HALF_UP)


def money(value: object) -> Decimal:
    """Parse and round to the grosz."""
    return round_grosz(to_decimal(value))


def format_pln(value: Decimal, currency: str = "zł") -> str:
    """Polish formatting: ``1 234,56 zł`` (non-breaking space between thousands)."""
    amount = round_grosz(value)
    sign = "-" if amount < 0 else ""
    whole, _, frac = f"{abs(amount):.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = "\u00a0".join(groups) + "," + frac
    return f"{sign}{text} {currency}".strip()


def format_money(value: Decimal, currency: str = "PLN") -> str:
    """An amount in its own currency, Polish style: ``47,40 zł`` for złoty, ``47,40 EUR`` for
    another (an order in a currency the books do not take still shows what the buyer paid)."""
    code = (currency or "PLN").upper()
    return format_pln(value, currency="zł" if code == "PLN" else code)
