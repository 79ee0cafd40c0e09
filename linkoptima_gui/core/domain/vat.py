"""VAT rates and the per-rate VAT table computed the way Optima computes it.

The statute (art. 106e ust. 1 pkt 14, ust. 7-8) computes VAT per rate from the summed net
(or, under the gross method, from the summed gross), rounded half-up to the grosz. The shop
computes VAT per line, so the two can differ by a grosz or two; we compute ours and reconcile
against the shop's figures explicitly (see ``reconcile``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from .money import ZERO, round_grosz


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


def vat_table(amounts: Iterable[tuple[VatRate, Decimal]], from_gross: bool) -> list[VatRow]:
    """Per-rate table from line values (gross values when ``from_gross``, else net).

    Rates come out in a fixed order (23, 8, 5, 0, zw) so documents and tests are stable.
    """
    sums: dict[VatRate, Decimal] = {}
    for rate, value in amounts:
        sums[rate] = sums.get(rate, ZERO) + value
    rows = []
    for rate in VatRate:
        if rate not in sums:
            continue
        total = round_grosz(sums[rate])
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
