"""Money, VAT, NIP and the step graph: the pure rules everything else relies on."""

from decimal import Decimal as D

import pytest

from linkoptima_gui.core.domain.money import MoneyFormatError, format_pln, money
from linkoptima_gui.core.domain.nip import InvalidNip, format_nip, is_valid_nip, validate_nip
from linkoptima_gui.core.domain.steps import Stage, Step, StepState, ready, stage_of
from linkoptima_gui.core.domain.vat import VatRate, totals, vat_table


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12.345", D("12.35")), ("12.344", D("12.34")), (3, D("3.00")), ("0.005", D("0.01")), ("-0.005", D("-0.01"))],
)
def test_money_rounds_half_up_to_the_grosz(raw, expected):
    assert money(raw) == expected


def test_money_rejects_non_amounts():
    for bad in ("abc", "NaN", "inf", True):
        with pytest.raises(MoneyFormatError):
            money(bad)


def test_float_input_goes_through_str():
    assert money(0.1) + money(0.2) == D("0.30")


def test_format_pln_polish_style():
    assert format_pln(D("1234567.5")) == "1\u00a0234\u00a0567,50 zł"
    assert format_pln(D("-3")) == "-3,00 zł"


def test_vat_rates_and_optima_flags():
    assert VatRate.from_code("23%") is VatRate.R23
    assert VatRate.from_code("zw") is VatRate.ZW
    assert VatRate.ZW.optima_flag == 1 and VatRate.R0.optima_flag == 2
    assert VatRate.from_optima(D("8.00"), 2) is VatRate.R8
    with pytest.raises(ValueError):
        VatRate.from_code("7")


def test_vat_from_summed_gross_differs_from_per_line_sum():
    # three lines of 0.99 gross at 23 %: per line VAT 0.19 each (0.57), per rate 0.56
    lines = [(VatRate.R23, D("0.99"))] * 3
    [row] = vat_table(lines, from_gross=True)
    assert row.vat == D("0.56") and row.net == D("2.41") and row.gross == D("2.97")


def test_vat_table_from_net_and_totals():
    rows = vat_table([(VatRate.R23, D("100")), (VatRate.R8, D("10.00")), (VatRate.R23, D("0.01"))], from_gross=False)
    assert [(r.rate, r.net, r.vat) for r in rows] == [(VatRate.R23, D("100.01"), D("23.00")), (VatRate.R8, D("10.00"), D("0.80"))]
    assert totals(rows) == (D("110.01"), D("23.80"), D("133.81"))


def test_nip_validation():
    assert validate_nip("PL 526-025-02-74") == "5260250274"
    assert format_nip("5260250274") == "526-025-02-74"
    assert not is_valid_nip("5260250275")
    with pytest.raises(InvalidNip):
        validate_nip("123")


def test_step_dependencies_and_stage():
    states = {Step.FA: StepState.DONE, Step.WZ: StepState.DONE, Step.LABEL: StepState.PENDING, Step.PACKED: StepState.PENDING}
    assert ready(Step.WZ, states) and not ready(Step.PACKED, states)
    assert stage_of(states, may_book=True) is Stage.PROCESSING
    states[Step.LABEL] = StepState.DONE
    assert stage_of(states, may_book=True) is Stage.READY_TO_PACK
    states[Step.EMAIL] = StepState.FAILED  # the parcel does not need the e-mail: it still ships
    assert stage_of(states, may_book=True) is Stage.READY_TO_PACK
    states[Step.LABEL] = StepState.FAILED  # but it needs its label
    assert stage_of(states, may_book=True) is Stage.EXCEPTION
    assert stage_of({}, may_book=False) is Stage.AWAITING_PAYMENT


def test_the_invoice_mail_follows_the_kp_where_there_is_one():
    online = {Step.FA: StepState.DONE, Step.KP: StepState.PENDING, Step.EMAIL: StepState.PENDING}
    assert not ready(Step.EMAIL, online)  # the PDF must already say "zapłacono"
    online[Step.KP] = StepState.DONE
    assert ready(Step.EMAIL, online)
    cod = {Step.FA: StepState.DONE, Step.EMAIL: StepState.PENDING}  # no KP planned: no waiting
    assert ready(Step.EMAIL, cod)
