"""Mapping real WooCommerce answers (a WooCommerce 8.9 shop set up as a Polish shop) to orders."""

import copy
import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from linkoptima_gui.core.domain.order import BuyerKind, OrderLine, PaymentKind
from linkoptima_gui.core.domain.vat import VatRate
from linkoptima_gui.core.engine.corrections import NIP, corrected_payload
from linkoptima_gui.core.errors import PermanentError
from linkoptima_gui.core.woo.mapping import map_order, reconcile, vat_tolerance
from linkoptima_gui.core.woo.settings import ShopSettings

FIXTURES = Path(__file__).parents[1] / "fixtures" / "woo"


def sample(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))["body"]


SETTINGS = ShopSettings()


def test_paid_payu_company_order():
    order = map_order(sample("order-create-paid-payu"), SETTINGS)
    assert order.number == "15" and order.total == D("173.16")
    assert order.buyer.kind is BuyerKind.COMPANY and order.buyer.nip == "5260250274"
    assert order.buyer.display_name == "Żądło Sp. z o.o."
    assert order.payment.kind is PaymentKind.ONLINE and order.payment.confirmed
    assert order.settles_now and order.may_ship
    assert order.shipping.locker_id == "LOD01M"
    goods = [line for line in order.lines if not line.is_service]
    assert [(g.sku, g.rate) for g in goods] == [("KUB-001", VatRate.R23), ("KS-002", VatRate.R8), ("KOSZ-M", VatRate.R23)]
    services = [line for line in order.lines if line.is_service]
    assert [(s.sku, s.net, s.vat) for s in services] == [
        ("USL-TRANSPORT", D("13.00"), D("2.99")), ("USL-OPLATA", D("5.00"), D("1.15"))]
    assert sum(line.gross for line in order.lines) == order.total


def test_cod_is_shipped_but_not_settled():
    order = map_order(sample("order-create-cod"), SETTINGS)
    assert order.payment.kind is PaymentKind.COD and not order.payment.confirmed
    assert order.may_ship and not order.settles_now and order.cod_amount == order.total


def test_bank_transfer_on_hold_waits():
    raw = sample("order-create-bacs")
    order = map_order(raw, SETTINGS)
    assert order.payment.kind is PaymentKind.TRANSFER and not order.may_book
    paid = dict(raw, status="processing", date_paid_gmt="2026-11-28T06:00:00")
    assert map_order(paid, SETTINGS).may_book


def test_online_gateway_without_transaction_id_is_not_paid():
    raw = dict(sample("order-create-paid-payu"), transaction_id="")
    assert not map_order(raw, SETTINGS).payment.confirmed


def test_unknown_product_line_is_refused():
    with pytest.raises(PermanentError) as info:
        map_order(sample("order-create-unknown-product"), SETTINGS)
    assert info.value.code == "unknown_sku"


def test_invalid_nip_is_refused_with_the_nip():
    raw = copy.deepcopy(sample("order-create-paid-payu"))
    raw["meta_data"][0]["value"] = "1234567890"
    with pytest.raises(PermanentError) as info:
        map_order(raw, SETTINGS)
    assert info.value.code == "invalid_nip" and info.value.details["nip"] == "1234567890"


def test_totals_that_do_not_add_up_are_an_exception_with_both_figures():
    raw = dict(sample("order-create-paid-payu"), total="180.00")
    with pytest.raises(PermanentError) as info:
        map_order(raw, SETTINGS)
    assert info.value.code == "amount_mismatch"
    assert info.value.details == {"lines_gross": "173.16", "shop_total": "180.00"}


def test_vat_per_rate_off_by_more_than_a_grosz_is_an_exception():
    raw = copy.deepcopy(sample("order-create-paid-payu"))
    line = raw["line_items"][0]
    line["total"], line["total_tax"] = "58.34", "13.48"  # same gross, VAT moved by 0.05
    with pytest.raises(PermanentError) as info:
        map_order(raw, SETTINGS)
    assert info.value.code == "amount_mismatch" and info.value.details["rate"] == "23%"


def cheap_lines(count: int, vat: str) -> list[OrderLine]:
    """``count`` lines of one 0.99 zł item at 23 %, the tax rounded per line as the shop does."""
    return [OrderLine(f"NOT-{n:03d}", "Naklejka", D(1), D("0.99") - D(vat), D(vat),
                      VatRate.R23) for n in range(count)]


def test_many_cheap_lines_rounded_per_line_are_not_a_mismatch():
    """Seven lines at 0.99 zł: the shop's VAT is 7 x 0.19 = 1.33 zł, Optima's from the rate's
    total 6.93 zł is 1.30 zł. Both are right; the gross agrees to the grosz."""
    reconcile(cheap_lines(7, "0.19"), D("6.93"), from_gross=True)


def test_a_vat_difference_beyond_the_rounding_of_each_line_is_a_mismatch():
    with pytest.raises(PermanentError) as info:  # 7 x 0.20: 0.07 off, more than 7 roundings explain
        reconcile(cheap_lines(7, "0.20"), D("6.93"), from_gross=True)
    assert info.value.details == {"rate": "23%", "shop_vat": "1.40", "optima_vat": "1.30"}
    assert vat_tolerance(1) == D("0.01")


def test_malformed_field_is_refused_not_crashing():
    raw = copy.deepcopy(sample("order-create-paid-payu"))
    raw["line_items"][0]["total"] = "dwanaście"
    with pytest.raises(PermanentError) as info:
        map_order(raw, SETTINGS)
    assert info.value.code == "malformed"


def test_private_person_without_nip():
    raw = copy.deepcopy(sample("order-create-paid-payu"))
    raw["meta_data"] = [m for m in raw["meta_data"] if m["key"] != "_billing_nip"]
    raw["billing"]["company"] = ""
    order = map_order(raw, SETTINGS)
    assert order.buyer.kind is BuyerKind.PERSON and order.buyer.display_name == "Łucja Wąsowska-Żądło"


def with_meta(**meta: str) -> dict:
    raw = copy.deepcopy(sample("order-create-paid-payu"))
    raw["meta_data"] = [m for m in raw["meta_data"] if m["key"] not in ("_billing_nip", *meta)]
    raw["meta_data"] += [{"key": key, "value": value} for key, value in meta.items()]
    return raw


def test_the_invoice_checkbox_decides_whether_a_nip_goes_on_the_invoice():
    unticked = map_order(with_meta(_billing_nip="526-025-02-74", _billing_invoice_ask="0"), SETTINGS)
    ticked = map_order(with_meta(_billing_nip="526-025-02-74", _billing_invoice_ask="tak"), SETTINGS)
    no_box = map_order(with_meta(_billing_nip="5260250274"), SETTINGS)
    assert unticked.buyer.kind is BuyerKind.PERSON and unticked.buyer.nip == ""
    assert (ticked.buyer.kind, ticked.buyer.nip) == (BuyerKind.COMPANY, "5260250274")
    assert no_box.buyer.kind is BuyerKind.COMPANY  # a shop without the checkbox: the NIP decides

    with pytest.raises(PermanentError) as info:  # a company invoice asked for, but no NIP
        map_order(with_meta(_billing_invoice_ask="1"), SETTINGS)
    assert info.value.code == "invalid_nip" and "nie podał NIP" in info.value.reason
    person = with_meta(_billing_invoice_ask="1")
    person["billing"]["company"] = ""
    assert map_order(person, SETTINGS).buyer.kind is BuyerKind.PERSON  # a person may want an invoice too


def test_a_nip_given_by_a_person_overrides_the_checkbox():
    raw = with_meta(_billing_invoice_ask="1")
    private = corrected_payload(raw, {NIP: ""}, {}, SETTINGS)
    company = corrected_payload(with_meta(_billing_invoice_ask="0"), {NIP: "5260250274"}, {}, SETTINGS)
    assert map_order(private, SETTINGS).buyer.kind is BuyerKind.PERSON
    assert map_order(company, SETTINGS).buyer.nip == "5260250274"


def test_an_empty_billing_address_is_taken_from_the_shipping_address():
    raw = copy.deepcopy(sample("order-create-paid-payu"))
    raw["billing"].update(address_1="", city="", postcode="")
    order = map_order(raw, SETTINGS)
    assert order.buyer.address.street.startswith(raw["shipping"]["address_1"])
    assert order.buyer.address.city == raw["shipping"]["city"]
