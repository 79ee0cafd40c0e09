"""Line values, the VAT table and totals as Optima computes them, case by case.

Expected figures were worked out by hand (and checked with exact fractions), not with the code
under test: VAT per rate from the summed net (net method) or the summed gross (gross method,
VAT = gross x rate / (100 + rate)), each amount half-up to the grosz (art. 106e ust. 1 pkt 14,
ust. 7-8 and 11; reference/shipping_invoicing.md §3.1, §3.10).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from linkoptima_gui.core.domain.money import money, round_grosz
from linkoptima_gui.core.domain.vat import LineValues, VatRate, line_values, totals, vat_table

R23, R8, R5, R0, ZW = VatRate.R23, VatRate.R8, VatRate.R5, VatRate.R0, VatRate.ZW

# price, quantity, rate, from gross, discount % -> unit price after discount, net, VAT, gross
LINES = {
    "gross 29.99 x2 at 23": ("29.99", "2", R23, True, "0", ("29.99", "48.76", "11.22", "59.98")),
    "gross 0.99 at 23": ("0.99", "1", R23, True, "0", ("0.99", "0.80", "0.19", "0.99")),
    "net 1.50 at 23, VAT exactly half a grosz up": ("1.50", "1", R23, False, "0", ("1.50", "1.50", "0.35", "1.85")),
    "net 0.50 at 23, 0.115 -> 0.12": ("0.50", "1", R23, False, "0", ("0.50", "0.50", "0.12", "0.62")),
    "net 0.10 at 5, 0.005 -> 0.01 (not to even)": ("0.10", "1", R5, False, "0", ("0.10", "0.10", "0.01", "0.11")),
    "gross 19.90 x3 at 8": ("19.90", "3", R8, True, "0", ("19.90", "55.28", "4.42", "59.70")),
    "net 0.33 x3 at 8": ("0.33", "3", R8, False, "0", ("0.33", "0.99", "0.08", "1.07")),
    "net 2.5 kg at 5": ("19.99", "2.5", R5, False, "0", ("19.99", "49.98", "2.50", "52.48")),
    "net 100 at 0 %": ("100.00", "1", R0, False, "0", ("100.00", "100.00", "0.00", "100.00")),
    "gross 100 exempt": ("100.00", "1", ZW, True, "0", ("100.00", "100.00", "0.00", "100.00")),
    "gross 59.00 x3, 10 % off": ("59.00", "3", R23, True, "10", ("53.10", "129.51", "29.79", "159.30")),
    "gross 12.99 x3, 15 % off, price rounded": ("12.99", "3", R23, True, "15", ("11.04", "26.93", "6.19", "33.12")),
    # the discounted price is rounded first (0.495 -> 0.50), then multiplied: 5.00, not 4.95
    "gross 0.99 x10, 50 % off": ("0.99", "10", R23, True, "50", ("0.50", "4.07", "0.93", "5.00")),
    "gross 24.50, 100 % off": ("24.50", "1", R5, True, "100", ("0.00", "0.00", "0.00", "0.00")),
    "correction: net -0.50 at 23, rounded away from zero": (
        "-0.50", "1", R23, False, "0", ("-0.50", "-0.50", "-0.12", "-0.62"),
    ),
}


@pytest.mark.parametrize("case", LINES.values(), ids=LINES.keys())
def test_line_values(case: tuple) -> None:
    price, quantity, rate, from_gross, discount, expected = case
    values = line_values(D(price), D(quantity), rate, from_gross=from_gross, discount_percent=D(discount))
    assert values == LineValues(*(D(x) for x in expected))
    assert values.net + values.vat == values.gross


def test_line_price_precision_follows_the_setting() -> None:
    """Optima may keep prices to 4 places: 0.99 - 50 % is then 0.4950 and the value 4.95."""
    values = line_values(D("0.99"), D(10), R23, from_gross=True, discount_percent=D(50), price_step=D("0.0001"))
    assert (values.unit_price, values.gross) == (D("0.4950"), D("4.95"))


@pytest.mark.parametrize("discount", ["-1", "100.01"])
def test_a_discount_outside_0_to_100_is_refused(discount: str) -> None:
    with pytest.raises(ValueError):
        line_values(D("10.00"), D(1), R23, from_gross=True, discount_percent=D(discount))


# lines as (rate, value) with the document's method -> VAT table rows (rate, net, VAT), totals
DOCUMENTS = {
    "many cheap lines at 23 and 8, gross: VAT per rate, not per line": (
        [(R23, "0.99")] * 7 + [(R8, "1.09")] * 5,
        True,
        [(R23, "5.63", "1.30"), (R8, "5.05", "0.40")],
        ("10.68", "1.70", "12.38"),
    ),
    "books at 5 with shipping at 23, gross": (
        [(R5, "39.90"), (R5, "39.90"), (R23, "14.99")],
        True,
        [(R23, "12.19", "2.80"), (R5, "76.00", "3.80")],
        ("88.19", "6.60", "94.79"),
    ),
    "net: two halves of a half grosz make one grosz more": (
        [(R23, "0.75"), (R23, "0.75")],
        False,
        [(R23, "1.50", "0.35")],
        ("1.50", "0.35", "1.85"),
    ),
    "every rate at once, rows in Optima's order": (
        [(ZW, "10.00"), (R0, "20.00"), (R5, "21.00"), (R8, "10.80"), (R23, "12.30")],
        True,
        [(R23, "10.00", "2.30"), (R8, "10.00", "0.80"), (R5, "20.00", "1.00"), (R0, "20.00", "0.00"),
         (ZW, "10.00", "0.00")],
        ("70.00", "4.10", "74.10"),
    ),
    "net, 0 % and exempt carry no VAT": (
        [(R0, "15.55"), (ZW, "4.45"), (R8, "100.00")],
        False,
        [(R8, "100.00", "8.00"), (R0, "15.55", "0.00"), (ZW, "4.45", "0.00")],
        ("120.00", "8.00", "128.00"),
    ),
    "line values below the grosz are booked to the grosz first": (
        [(R23, "0.335")] * 3,
        False,
        [(R23, "1.02", "0.23")],
        ("1.02", "0.23", "1.25"),
    ),
}


@pytest.mark.parametrize("case", DOCUMENTS.values(), ids=DOCUMENTS.keys())
def test_vat_table_and_totals(case: tuple) -> None:
    lines, from_gross, expected_rows, expected_totals = case
    rows = vat_table([(rate, D(value)) for rate, value in lines], from_gross=from_gross)
    assert [(row.rate, row.net, row.vat) for row in rows] == [(r, D(n), D(v)) for r, n, v in expected_rows]
    assert totals(rows) == tuple(D(x) for x in expected_totals)
    summed = sum((round_grosz(D(value)) for _, value in lines), D(0))
    assert (totals(rows)[2] if from_gross else totals(rows)[0]) == summed  # the method's side is kept whole


def test_per_line_vat_differs_from_the_table_by_more_than_a_grosz() -> None:
    """Why the table is computed, never summed from lines: 7 x 0.19 = 1.33 against 1.30."""
    lines = [line_values(D("0.99"), D(1), R23, from_gross=True) for _ in range(7)]
    [row] = vat_table([(R23, line.gross) for line in lines], from_gross=True)
    assert sum(line.vat for line in lines) == D("1.33") and row.vat == D("1.30")
    assert sum(line.gross for line in lines) == row.gross == D("6.93")  # the buyer pays the same


def test_net_method_total_can_differ_from_the_sum_of_line_grosses() -> None:
    """Under the net method the document's gross comes from the table (1.85), the lines' own
    grosses add up to 1.84: the 0.01 a net-priced shop and Optima can disagree on."""
    lines = [line_values(D("0.75"), D(1), R23, from_gross=False) for _ in range(2)]
    assert sum(line.gross for line in lines) == D("1.84")
    assert totals(vat_table([(R23, line.net) for line in lines], from_gross=False))[2] == D("1.85")


def test_a_document_built_from_line_values_end_to_end() -> None:
    """A realistic basket, gross method: two mugs with 10 % off, three books, a magazine,
    shipping; line values first, then the table from their sums."""
    basket = [
        (D("29.99"), D(2), R23, D(10)),
        (D("39.90"), D(3), R5, D(0)),
        (D("19.90"), D(1), R8, D(0)),
        (D("14.99"), D(1), R23, D(0)),
    ]
    lines = [line_values(p, q, r, from_gross=True, discount_percent=d) for p, q, r, d in basket]
    assert [line.gross for line in lines] == [D("53.98"), D("119.70"), D("19.90"), D("14.99")]
    rows = vat_table([(r, line.gross) for (_, _, r, _), line in zip(basket, lines, strict=True)], from_gross=True)
    # 23 %: 68.97 x 23/123 = 12.8970 -> 12.90; 8 %: 19.90 x 8/108 = 1.4741 -> 1.47;
    # 5 %: 119.70 x 5/105 = 5.70
    assert [(row.rate, row.net, row.vat) for row in rows] == [
        (R23, D("56.07"), D("12.90")),
        (R8, D("18.43"), D("1.47")),
        (R5, D("114.00"), D("5.70")),
    ]
    assert totals(rows) == (D("188.50"), D("20.07"), D("208.57"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2.675", "2.68"),  # a float 2.675 is 2.67499..., the text is not
        (2.675, "2.68"),  # floats go through str, so the shop's 2.675 stays 2.675
        ("1,005", "1.01"),
        ("-2.675", "-2.68"),
        ("0.004", "0.00"),
        ("1e2", "100.00"),
    ],
)
def test_money_rounds_half_up_from_the_written_value(raw: object, expected: str) -> None:
    assert money(raw) == D(expected)


@pytest.mark.parametrize(
    ("stawka", "flaga", "rate"),
    [("23.00", 2, R23), ("8.00", 2, R8), ("5.00", 2, R5), ("0.00", 2, R0), ("0.00", 1, ZW), ("23.00", 1, ZW)],
)
def test_rates_read_back_from_optima_columns(stawka: str, flaga: int, rate: VatRate) -> None:
    assert VatRate.from_optima(D(stawka), flaga) is rate
    assert VatRate.from_optima(rate.percent, rate.optima_flag) is rate  # what the writer stores reads back
