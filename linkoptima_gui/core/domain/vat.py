"""VAT rates and the per-rate VAT table computed the way Optima computes it.

The statute (art. 106e ust. 1 pkt 14, ust. 7-8) computes VAT per rate from the summed net
(or, under the gross method, from the summed gross), rounded half-up to the grosz. The shop
computes VAT per line, so the two can differ by a grosz or two; we compute ours and reconcile
against the shop's figures explicitly (see ``reconcile``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from .money import GROSZ, ZERO, round_grosz


class VatRate(Enum):
    """Polish VAT rates we book. ``optima_flag``: 2 = taxable at the rate, 1 = exempt (zw)."""

    R23 = ("23", Decimal("23"), 2)
    R8 = ("8", Decimal("8"), 2)
    R5 = ("5", Decimal("5"), 2)
    R0 = ("0", Decimal("0"), 2)
    ZW = ("zw", Decimal("0"), 1)

    def __init__(self, code: str, percent: Decimal, optima_flag: int) -> None:
        self.code = code
        self.percent = percent
        self.optima_flag = optima_flag

    @property
    def label(self) -> str:
        return "zw" if self is VatRate.ZW else f"{self.code}%"

    @classmethod
    def from_code(cls, code: str | int | Decimal) -> VatRate:
        text = str(code).strip().lower().rstrip("%")
        if text in ("zw", "exempt"):
            return cls.ZW
        try:
            number = Decimal(text)
        except Exception as exc:  # noqa: BLE001 - any parse failure is the same error
            raise ValueError(f"unknown VAT rate: {code!r}") from exc
        for rate in (cls.R23, cls.R8, cls.R5, cls.R0):
            if rate.percent == number:
                return rate
        raise ValueError(f"unknown VAT rate: {code!r}")

    @classmethod
    def from_optima(cls, stawka: Decimal, flaga: int) -> VatRate:
        if int(flaga) == 1:
            return cls.ZW
        return cls.from_code(Decimal(stawka).normalize())

    def vat_from_net(self, net: Decimal) -> Decimal:
        return round_grosz(net * self.percent / Decimal(100))

    def vat_from_gross(self, gross: Decimal) -> Decimal:
        return round_grosz(gross * self.percent / (Decimal(100) + self.percent))


@dataclass(frozen=True)
class VatRow:
    """One row of an invoice's VAT table."""

    rate: VatRate
    net: Decimal
    vat: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat


@dataclass(frozen=True)
class LineValues:
    """One line as Optima books it: the unit price after the discount and the line's values."""

    unit_price: Decimal  # net or gross, as the document's method prices
    net: Decimal
    vat: Decimal
    gross: Decimal


def line_values(
    price: Decimal,
    quantity: Decimal,
    rate: VatRate,
    *,
    from_gross: bool,
    discount_percent: Decimal = ZERO,
    price_step: Decimal = GROSZ,
) -> LineValues:
    """A line's values the way Optima computes them.

    The discount makes the price after discount (``TrE_CenaT``), rounded half-up to the price
    precision (``price_step``: Optima's default 2 places, configurable up to 4); the value is
    that price times the quantity, half-up to the grosz, and it is what the document's method
    starts from: the net value under the net method, the gross value under the gross method.
    The line's VAT is only what the line shows; the document's VAT is ``vat_table``'s, from
    the summed values.
    """
    if not ZERO <= discount_percent <= 100:
        raise ValueError(f"discount must be 0-100 %, not {discount_percent}")
    unit = (price * (100 - discount_percent) / 100).quantize(price_step, rounding=ROUND_HALF_UP)
    value = round_grosz(unit * quantity)
    if from_gross:
        vat = rate.vat_from_gross(value)
        return LineValues(unit, value - vat, vat, value)
    vat = rate.vat_from_net(value)
    return LineValues(unit, value, vat, value + vat)


def vat_table(amounts: Iterable[tuple[VatRate, Decimal]], from_gross: bool) -> list[VatRow]:
    """Per-rate table from line values (gross values when ``from_gross``, else net).

    Each value is a booked line value, so it is taken to the grosz before it is summed (Optima
    stores line values at the grosz); VAT is then computed once per rate from the sum.
    Rates come out in a fixed order (23, 8, 5, 0, zw) so documents and tests are stable.
    """
    sums: dict[VatRate, Decimal] = {}
    for rate, value in amounts:
        sums[rate] = sums.get(rate, ZERO) + round_grosz(value)
    rows = []
    for rate in VatRate:
        if rate not in sums:
            continue
        total = sums[rate]
        if from_gross:
            vat = rate.vat_from_gross(total)
            rows.append(VatRow(rate, total - vat, vat))
        else:
            rows.append(VatRow(rate, total, rate.vat_from_net(total)))
    return rows


def totals(rows: Iterable[VatRow]) -> tuple[Decimal, Decimal, Decimal]:
    """(net, vat, gross) of a VAT table."""
    net = vat = ZERO
    for row in rows:
        net += row.net
        vat += row.vat
    return net, vat, net + vat
