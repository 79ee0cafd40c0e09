"""Order arithmetic the way the demo shop (WooCommerce, prices entered including VAT) does it.

Facts from the real shop's answers (woo-samples/order-create-*.json):
- a line's gross value is the product's gross price times the quantity, minus coupon discounts;
  its net value is gross / (1 + rate) kept at 6 decimals, its tax the difference; the API shows
  both rounded half-up to the grosz and the 6-decimal tax inside ``taxes``;
- shipping and fee amounts sent through the API are net, and VAT is added on top (13.00 -> 2.99);
- ``cart_tax`` is the rounded line taxes plus the fee taxes; the order total is what the buyer pays:
  line gross + shipping gross + fee gross;
- a percent coupon takes its share of every line's gross price, whole grosze per line, the
  grosze lost to flooring handed out one per line.

Shipping is always taxed at the standard 23 % here (the sample shop's setting for the carts seen).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from .common import q2, q6

ZERO = Decimal("0")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class TaxRate:
    """One row of the shop's tax table (WooCommerce > Settings > Tax)."""

    rate_id: int
    percent: Decimal
    tax_class: str

    @property
    def code(self) -> str:
        return f"PL-VAT {self.label_percent}-1"

    @property
    def label(self) -> str:
        return f"VAT {self.label_percent}"

    @property
    def label_percent(self) -> str:
        return f"{self.percent.normalize():f}%"

    def tax_in_gross(self, gross: Decimal) -> tuple[Decimal, Decimal]:
        """(net, tax) at 6 decimals for a gross amount."""
        net = q6(gross * HUNDRED / (HUNDRED + self.percent))
        return net, gross - net

    def tax_on_net(self, net: Decimal) -> Decimal:
        return q2(net * self.percent / HUNDRED)


TAX_RATES: dict[str, TaxRate] = {
    "": TaxRate(1, Decimal("23"), ""),
    "reduced-rate": TaxRate(2, Decimal("8"), "reduced-rate"),
    "super-reduced-rate": TaxRate(3, Decimal("5"), "super-reduced-rate"),
    "zero-rate": TaxRate(4, Decimal("0"), "zero-rate"),
}
STANDARD = TAX_RATES[""]


def rate_for_class(tax_class: str, taxable: bool = True) -> TaxRate | None:
    """The rate of a tax class; None for an unknown class or a non-taxable item (no tax at all)."""
    return TAX_RATES.get(tax_class or "") if taxable else None


@dataclass
class LineInput:
    gross_unit: Decimal
    quantity: int
    rate: TaxRate | None


@dataclass
class ChargeInput:
    """A shipping or fee line: its API total is net, VAT comes on top."""

    net: Decimal
    rate: TaxRate | None


@dataclass
class CouponInput:
    code: str
    discount_type: str  # percent | fixed_cart | fixed_product
    amount: Decimal


@dataclass
class LineAmounts:
    subtotal: Decimal  # net before discounts, 6 dp
    subtotal_tax: Decimal
    total: Decimal  # net after discounts, 6 dp
    total_tax: Decimal
    gross: Decimal  # what the buyer pays for the line
    rate: TaxRate | None


@dataclass
class ChargeAmounts:
    net: Decimal
    tax: Decimal
    rate: TaxRate | None


@dataclass
class CouponAmounts:
    code: str
    discount: Decimal  # gross discount minus its per-line rounded tax
    discount_tax: Decimal


@dataclass
class TaxLineAmounts:
    rate: TaxRate
    tax_total: Decimal = ZERO
    shipping_tax_total: Decimal = ZERO


@dataclass
class OrderAmounts:
    lines: list[LineAmounts]
    shipping: list[ChargeAmounts]
    fees: list[ChargeAmounts]
    coupons: list[CouponAmounts]
    tax_lines: list[TaxLineAmounts] = field(default_factory=list)
    discount_total: Decimal = ZERO
    discount_tax: Decimal = ZERO
    shipping_total: Decimal = ZERO
    shipping_tax: Decimal = ZERO
    cart_tax: Decimal = ZERO
    total: Decimal = ZERO
    total_tax: Decimal = ZERO


def _cents(value: Decimal) -> int:
    return int((value * HUNDRED).to_integral_value(rounding=ROUND_FLOOR))


def _share_out(weights: list[int], target: int, caps: list[int]) -> list[int]:
    """Split ``target`` grosze over lines in proportion to ``weights``, floored, capped at each
    line's value, the remainder handed out one grosz per line in order."""
    total_weight = sum(weights)
    if total_weight <= 0 or target <= 0:
        return [0] * len(weights)
    shares = [min(cap, target * w // total_weight) for w, cap in zip(weights, caps, strict=True)]
    left = min(target, sum(caps)) - sum(shares)
    while left > 0:
        progressed = False
        for i, cap in enumerate(caps):
            if left and shares[i] < cap:
                shares[i] += 1
                left -= 1
                progressed = True
        if not progressed:
            break
    return shares


def coupon_discounts(lines: list[LineInput], coupon: CouponInput) -> list[int]:
    """Gross discount per line, in grosze, for one coupon applied to the undiscounted prices."""
    gross = [_cents(line.gross_unit * line.quantity) for line in lines]
    if coupon.discount_type == "percent":
        floors = [g * int(coupon.amount * 100) // 10000 for g in gross]
        target = int(q2(Decimal(sum(gross)) * coupon.amount / HUNDRED).to_integral_value())
        return _share_out(floors, target, gross) if sum(floors) else [0] * len(lines)
    if coupon.discount_type == "fixed_product":
        return [min(g, _cents(coupon.amount) * line.quantity) for g, line in zip(gross, lines, strict=True)]
    return _share_out(gross, _cents(coupon.amount), gross)


def compute_order(
    lines: list[LineInput],
    shipping: list[ChargeInput],
    fees: list[ChargeInput],
    coupons: list[CouponInput],
) -> OrderAmounts:
    """Every amount of an order from its inputs; see the module docstring for the rules."""
    discounts = [0] * len(lines)
    coupon_rows: list[CouponAmounts] = []
    for coupon in coupons:
        per_line = coupon_discounts(lines, coupon)
        per_line = [
            min(d, _cents(ln.gross_unit * ln.quantity) - done)
            for d, ln, done in zip(per_line, lines, discounts, strict=True)
        ]
        discounts = [a + b for a, b in zip(discounts, per_line, strict=True)]
        gross_off = Decimal(sum(per_line)) / HUNDRED
        tax_off = sum(
            (
                q2(ln.rate.tax_in_gross(Decimal(d) / HUNDRED)[1])
                for d, ln in zip(per_line, lines, strict=True)
                if ln.rate
            ),
            ZERO,
        )
        coupon_rows.append(CouponAmounts(coupon.code, gross_off - tax_off, tax_off))

    result = OrderAmounts(lines=[], shipping=[], fees=[], coupons=coupon_rows)
    taxes: dict[int, TaxLineAmounts] = {}

    def bucket(rate: TaxRate) -> TaxLineAmounts:
        return taxes.setdefault(rate.rate_id, TaxLineAmounts(rate))

    for line, off in zip(lines, discounts, strict=True):
        sub_gross = line.gross_unit * line.quantity
        gross = sub_gross - Decimal(off) / HUNDRED
        if line.rate:
            sub_net, sub_tax = line.rate.tax_in_gross(sub_gross)
            net, tax = line.rate.tax_in_gross(gross)
            bucket(line.rate).tax_total += q2(tax)
        else:
            sub_net, sub_tax, net, tax = sub_gross, ZERO, gross, ZERO
        result.lines.append(LineAmounts(sub_net, sub_tax, net, tax, gross, line.rate))
    for charge in shipping:
        tax = charge.rate.tax_on_net(charge.net) if charge.rate else ZERO
        if charge.rate:
            bucket(charge.rate).shipping_tax_total += tax
        result.shipping.append(ChargeAmounts(q2(charge.net), tax, charge.rate))
    for charge in fees:
        tax = charge.rate.tax_on_net(charge.net) if charge.rate else ZERO
        if charge.rate:
            bucket(charge.rate).tax_total += tax
        result.fees.append(ChargeAmounts(q2(charge.net), tax, charge.rate))

    result.tax_lines = [taxes[key] for key in sorted(taxes)]
    result.discount_total = q2(sum((a.subtotal - a.total for a in result.lines), ZERO))
    result.discount_tax = q2(sum((a.subtotal_tax - a.total_tax for a in result.lines), ZERO))
    result.shipping_total = sum((s.net for s in result.shipping), ZERO)
    result.shipping_tax = sum((s.tax for s in result.shipping), ZERO)
    result.cart_tax = sum((q2(a.total_tax) for a in result.lines), ZERO) + sum(
        (f.tax for f in result.fees), ZERO
    )
    result.total_tax = result.cart_tax + result.shipping_tax
    result.total = (
        sum((a.gross for a in result.lines), ZERO)
        + sum((s.net + s.tax for s in result.shipping), ZERO)
        + sum((f.net + f.tax for f in result.fees), ZERO)
    )
    return result
