"""The corrections a shop refund calls for (reference/corrections.md §5, edge cases B–I), decided
from the refund as WooCommerce keeps it and the FA as Optima booked it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from linkoptima_gui.core.domain.correction import CorrectionKind
from linkoptima_gui.core.domain.invoice import InvoiceLine
from linkoptima_gui.core.domain.order import (
    Buyer,
    BuyerKind,
    Order,
    OrderLine,
    Payment,
    PaymentKind,
    Shipping,
)
from linkoptima_gui.core.domain.refund import (
    REFUNDED_ITEM_META,
    lines_left,
    parse_refund,
    plan_corrections,
)
from linkoptima_gui.core.domain.vat import VatRate
from linkoptima_gui.core.errors import PermanentError

D = Decimal
# two mugs at 30.00 zł gross, one book at 42.00 zł (5 %), shipping 15.00 zł: shop item ids 11, 12, 13
ORDER = Order(
    shop_order_id=7, number="7", status="completed", currency="PLN", prices_include_tax=True,
    buyer=Buyer(BuyerKind.PERSON, "Jan", "Kowalski", "jan@example.com"),
    lines=(OrderLine("KUBEK", "Kubek", D(2), D("48.78"), D("11.22"), VatRate.R23, item_id=11),
           OrderLine("KSIAZKA", "Książka", D(1), D("40.00"), D("2.00"), VatRate.R5, item_id=12),
           OrderLine("USL-DOSTAWA", "Kurier", D(1), D("12.20"), D("2.80"), VatRate.R23, is_service=True, item_id=13)),
    payment=Payment("payustandard", "PayU", PaymentKind.ONLINE, "T1", True),
    shipping=Shipping("flat_rate", "Kurier"), total=D("117.00"),
)


def fa_line(position: int, code: str, quantity: str, unit_gross: str) -> InvoiceLine:
    gross = D(unit_gross) * D(quantity)
    return InvoiceLine(position, code, code, "szt.", D(quantity), D(0), D(unit_gross), VatRate.R23, D(0), D(0), gross)


FA = (fa_line(1, "KUBEK", "2", "30.00"), fa_line(2, "KSIAZKA", "1", "42.00"), fa_line(3, "USL-DOSTAWA", "1", "15.00"))


def refund(refund_id: int, amount: str, *items: tuple[str, int, int, str], reason: str = "") -> dict:
    """A refund as the shop's REST API returns it: negative copies of the order's items."""
    lines: dict[str, list] = {"line_items": [], "shipping_lines": []}
    for kind, item_id, quantity, gross in items:
        line = {"total": f"-{D(gross) / D('1.23'):.2f}", "total_tax": f"-{D(gross) - D(gross) / D('1.23'):.2f}",
                "meta_data": [{"key": REFUNDED_ITEM_META, "value": str(item_id)}]}
        if kind == "line_items":
            line["quantity"] = -quantity
        lines[kind].append(line)
    return {"id": refund_id, "amount": amount, "reason": reason, "date_created_gmt": "2026-12-01T10:00:00",
            "refunded_payment": True, **lines}


def plan(raw: dict, earlier: tuple = ()):
    return plan_corrections(parse_refund(raw), ORDER, lines_left(ORDER, FA, earlier))


def test_returned_goods_are_a_quantity_correction_of_their_fa_line_keyed_by_the_refund():
    (only,) = plan(refund(501, "30.00", ("line_items", 11, 1, "30.00"), reason="Odstąpienie"))
    assert only.kind is CorrectionKind.QUANTITY and only.reference == "ZW-501" and only.reason == "Odstąpienie"
    assert [(c.position, c.code, c.quantity) for c in only.lines] == [(1, "KUBEK", D(-1))]


def test_shipping_only_is_a_value_correction_of_the_service_line():  # case B
    (only,) = plan(refund(502, "15.00", ("shipping_lines", 13, 0, "15.00")))
    assert only.kind is CorrectionKind.VALUE
    assert [(c.position, c.gross, c.quantity) for c in only.lines] == [(3, D("-15.00"), D(0))]


def test_goods_and_shipping_give_two_corrections_with_their_own_keys():
    quantity, value = plan(refund(503, "45.00", ("line_items", 11, 1, "30.00"), ("shipping_lines", 13, 0, "15.00")))
    assert (quantity.kind, quantity.reference) == (CorrectionKind.QUANTITY, "ZW-503")
    assert (value.kind, value.reference) == (CorrectionKind.VALUE, "ZW-503-W")


def test_a_second_refund_sees_what_the_first_left_and_may_not_take_more():  # cases C and E
    first = plan(refund(504, "30.00", ("line_items", 11, 1, "30.00")))
    booked = [InvoiceLine(1, "KUBEK", "", "", D(-1), D(0), D("30.00"), VatRate.R23, D(0), D(0), D("-30.00"))]
    assert first[0].lines[0].quantity == D(-1)
    with pytest.raises(PermanentError) as refused:
        plan(refund(505, "60.00", ("line_items", 11, 2, "60.00")), (booked,))
    assert refused.value.code == "refund_too_large" and "zostało 1" in refused.value.reason


def test_an_amount_that_does_not_match_the_lines_goes_to_a_person():  # case G
    with pytest.raises(PermanentError) as refused:
        plan(refund(506, "20.00", ("line_items", 11, 1, "30.00")))
    assert refused.value.code == "refund_amount_mismatch"
    assert refused.value.details["expected"] == "30.00" and refused.value.details["amount"] == "20.00"


def test_an_amount_only_refund_of_everything_is_a_full_return():  # case I (status "refunded" by hand)
    quantity, value = plan(refund(507, "117.00"))
    assert sorted((c.code, c.quantity) for c in quantity.lines) == [("KSIAZKA", D(-1)), ("KUBEK", D(-2))]
    assert [(c.code, c.gross) for c in value.lines] == [("USL-DOSTAWA", D("-15.00"))]


def test_an_amount_only_refund_of_a_part_cannot_be_allocated():
    with pytest.raises(PermanentError) as refused:
        plan(refund(508, "10.00"))
    assert refused.value.code == "refund_amount_only"


def test_a_refund_of_an_item_the_invoice_does_not_have_is_refused():
    with pytest.raises(PermanentError) as refused:
        plan(refund(509, "5.00", ("line_items", 99, 1, "5.00")))
    assert refused.value.code == "refund_unknown_line"


def test_a_refund_in_a_later_month_is_corrected_on_its_own_date():  # case K
    raw = refund(510, "30.00", ("line_items", 11, 1, "30.00"))
    raw["date_created_gmt"] = "2027-01-04T09:30:00"
    (only,) = plan(raw)
    assert only.issue_date.isoformat() == "2027-01-04"


def test_part_of_a_line_comes_back_and_the_rest_stays_on_the_invoice():  # case C
    (only,) = plan(refund(511, "30.00", ("line_items", 11, 1, "30.00")))
    left = lines_left(ORDER, FA, [[InvoiceLine(1, "KUBEK", "", "", D(-1), D(0), D("30.00"), VatRate.R23, D(0), D(0),
                                                D("-30.00"))]])
    assert only.lines[0].quantity == D(-1) and left[1].quantity == D(1) and left[1].gross == D("30.00")
