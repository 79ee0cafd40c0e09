"""The carrier contract (see ``conftest``): create, labels, COD, points, cancel, errors, and a
create whose answer was lost that must not buy twice. The real adapter talks HTTP to the target."""

from __future__ import annotations

import secrets
import threading
from datetime import date
from decimal import Decimal

import pytest
import requests

from linkoptima_gui.core.domain.order import Address
from linkoptima_gui.core.errors import PermanentError, RetryableError, WaitingError
from linkoptima_gui.core.shipping.port import (
    LabelSpec,
    OutcomeUnknownError,
    PointQuery,
    Shipment,
)
from tests.shipping.samples import make_locker_request, make_request

from .conftest import CarrierTarget


def only(target: CarrierTarget, name: str) -> None:
    if target.name != name:
        pytest.skip(f"{name} only")


@pytest.fixture
def ref() -> str:
    return f"LO-{secrets.token_hex(4)}"


def test_a_courier_parcel_is_bought_once_and_found_by_its_reference(target: CarrierTarget, ref: str) -> None:
    carrier = target.carrier
    shipment = carrier.create_shipment(make_request(reference=ref), "key-" + ref)
    assert shipment.tracking_number and shipment.reference == ref
    assert carrier.find_by_reference(ref) == shipment
    assert carrier.create_shipment(make_request(reference=ref), "key-" + ref) == shipment  # a replay
    assert carrier.find_by_reference(ref + "-other") is None
    if target.emulator is not None:
        assert target.bought() == [ref]
        assert shipment.tracking_number.endswith("U") and len(shipment.tracking_number) == 14  # DPD numbering


def test_the_network_comes_from_the_shipping_map(target: CarrierTarget, ref: str) -> None:
    only(target, "furgonetka")
    shipment = target.carrier.create_shipment(make_request(reference=ref, carrier_service="dhl"), ref)
    if target.emulator is not None:
        assert len(shipment.tracking_number) == 11 and shipment.tracking_number.isdigit()  # DHL's 11 digits


def test_labels_come_as_pdf_and_as_native_zpl(target: CarrierTarget, ref: str) -> None:
    carrier = target.carrier
    locker = {"dpd": "PL11033"}.get(target.name, "KRA010")
    shipment = carrier.create_shipment(make_locker_request(reference=ref, locker_id=locker), ref)
    pdf = carrier.fetch_label(shipment, LabelSpec("pdf", "100x150"))
    a4 = carrier.fetch_label(shipment, LabelSpec("pdf", "a4"))
    zpl = carrier.fetch_label(shipment, LabelSpec("zpl", "100x150", 203))
    assert pdf.startswith(b"%PDF-") and a4.startswith(b"%PDF-")
    assert zpl.lstrip().startswith(b"^XA") and shipment.tracking_number.encode() in zpl
    with pytest.raises(PermanentError) as caught:
        carrier.fetch_label(shipment, LabelSpec("zpl", "100x150", 300))
    assert caught.value.code == "carrier_label_kind"


def test_cash_on_delivery_goes_in_grosze_and_shows_on_the_label(target: CarrierTarget, ref: str) -> None:
    request = make_request(reference=ref, cod_amount=Decimal("1234.50"))
    assert request.cod_grosze == 123450
    payload = target.carrier.payload(request)
    if target.name == "furgonetka":
        assert payload["additional_services"]["cod"]["amount"] == "1234.50"
    else:
        cod = next(s for s in payload["packages"][0]["services"] if s["code"] == "COD")
        assert {a["code"]: a["value"] for a in cod["attributes"]} == {"AMOUNT": "1234.50", "CURRENCY": "PLN"}
    shipment = target.carrier.create_shipment(request, ref)
    zpl = target.carrier.fetch_label(shipment, "zpl").decode("utf-8")
    assert "POBRANIE" in zpl and "1234,50" in zpl.replace("\u00a0", "").replace(" ", "")


def test_dpd_pickup_points_with_their_cod_flag(target: CarrierTarget) -> None:
    only(target, "dpd")
    everything = target.carrier.points(PointQuery(limit=100))
    assert everything and {p.network for p in everything} == {"dpd"}
    krakow = target.carrier.points(PointQuery(city="Kraków"))
    assert krakow and all("Kraków" in p.address for p in krakow) and len(krakow) < len(everything)
    cod = target.carrier.points(PointQuery(cod_only=True, limit=100))
    assert cod and all(p.cod for p in cod) and len(cod) < len(everything)


def test_pickup_points_of_every_network_with_their_cod_flag(target: CarrierTarget) -> None:
    only(target, "furgonetka")
    everything = target.carrier.points(PointQuery(limit=100))
    assert {"inpost", "orlen", "dpd"} <= {p.network for p in everything}
    lockers = target.carrier.points(PointQuery(networks=("inpost",)))
    assert lockers and all(p.network == "inpost" for p in lockers)
    cod = target.carrier.points(PointQuery(networks=("orlen", "inpost"), cod_only=True))
    assert cod and all(p.cod for p in cod) and len(cod) < len(target.carrier.points(PointQuery(limit=100)))


def test_a_cancelled_parcel_no_longer_counts_and_a_collected_one_cannot_be_cancelled(
        target: CarrierTarget, ref: str) -> None:
    carrier = target.carrier
    first = carrier.create_shipment(make_request(reference=ref), ref + "-1")
    if not carrier.capabilities().cancel:  # DPD: no cancel call; the waybill is voided, never handed over
        carrier.cancel_shipment(first)
        assert carrier.find_by_reference(ref) is None
        second = carrier.create_shipment(make_request(reference=ref), ref + "-2")
        assert second.tracking_number != first.tracking_number
        booking = carrier.book_pickup([second], date(2026, 11, 4))
        assert booking.tracking_numbers == (second.tracking_number,)
        with pytest.raises(PermanentError) as refused:  # on a protocol: the courier takes it
            carrier.cancel_shipment(second)
        assert "protokole" in refused.value.reason and carrier.find_by_reference(ref) == second
        if target.emulator is not None:
            assert [p["waybill"] for p in target.emulator.handed_over()] == [second.tracking_number]
        return
    carrier.cancel_shipment(first)
    assert carrier.find_by_reference(ref) is None
    second = carrier.create_shipment(make_request(reference=ref), ref + "-2")
    assert second.tracking_number != first.tracking_number
    emulator = target.need_emulator()
    emulator.hand_over(second.shipment_id)
    with pytest.raises(PermanentError) as caught:
        carrier.cancel_shipment(second)
    assert "odebrana przez kuriera" in caught.value.reason
    assert carrier.find_by_reference(ref) == second


def test_refusals_name_the_wrong_field_in_polish_and_keep_the_carriers_words(target: CarrierTarget, ref: str) -> None:
    bad = make_request(reference=ref, address=Address(street="ul. Długa 1", city="Gdańsk", postcode="8O-210"))
    with pytest.raises(PermanentError) as caught:
        target.carrier.create_shipment(bad, ref)
    assert "kod pocztowy" in caught.value.reason and caught.value.code == "carrier_refused"
    said = caught.value.details  # the carrier's own code and words, kept beside the Polish
    assert said["carrier"] == target.name and said["carrier_codes"] and said["carrier_message"]
    assert f"Odpowiedź przewoźnika: {said['carrier_codes'][0]}" in caught.value.reason
    assert said["carrier_message"] in caught.value.reason
    with pytest.raises(PermanentError) as caught:
        target.carrier.create_shipment(make_locker_request(reference=ref, locker_id="NOPE01"), ref)
    assert "punkt odbioru" in caught.value.reason
    assert target.carrier.find_by_reference(ref) is None


def test_a_lost_answer_to_the_order_does_not_buy_twice(target: CarrierTarget, ref: str) -> None:
    emulator = target.need_emulator()
    impatient = target.impatient
    emulator.http.pause(*target.create_route)
    try:
        with pytest.raises(RetryableError) as lost:
            impatient.create_shipment(make_request(reference=ref), "key-" + ref)
        assert emulator.http.held.wait(10)
    finally:
        emulator.http.resume()
    shipment = impatient.create_shipment(make_request(reference=ref), "key-" + ref)  # the retry: same key
    assert impatient.find_by_reference(ref) == shipment
    if target.name == "furgonetka":
        assert [p["package_id"] for p in emulator.ordered()] == [shipment.shipment_id]
        assert emulator.http.count("POST", "/packages") == 1  # the draft was reused, not made again
        return
    # DPD cannot be asked: the lost number exists, but only the recorded one is handed over and paid
    assert isinstance(lost.value, OutcomeUnknownError)
    assert len(emulator.generated()) == 2 and impatient.find_by_reference(ref) == shipment
    impatient.book_pickup([shipment], date(2026, 11, 4))
    assert [(p["reference"], p["waybill"]) for p in emulator.handed_over()] == [(ref, shipment.tracking_number)]


def test_an_order_still_in_progress_waits_and_finishes_later_with_the_same_key(
        target: CarrierTarget, ref: str) -> None:
    only(target, "furgonetka")
    emulator = target.need_emulator()
    emulator.ready_after_polls = 15  # more than the adapter's poll limit (10)
    with pytest.raises(WaitingError):
        target.carrier.create_shipment(make_request(reference=ref), ref)
    assert target.carrier.find_by_reference(ref) is None
    shipment = target.carrier.create_shipment(make_request(reference=ref), ref)
    assert shipment.tracking_number and len(emulator.ordered()) == 1


def test_concurrent_creates_with_one_key_buy_once(target: CarrierTarget, ref: str) -> None:
    results: list[Shipment] = []
    barrier = threading.Barrier(3)

    def worker() -> None:
        barrier.wait()
        results.append(target.carrier.create_shipment(make_request(reference=ref), "key-" + ref))

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(results) == 3 and len({r.shipment_id for r in results}) == 1


def test_one_pickup_per_day_and_tracking(target: CarrierTarget, ref: str) -> None:
    shipment = target.carrier.create_shipment(make_request(reference=ref), ref)
    day = date(2026, 11, 4)
    booking = target.carrier.book_pickup([shipment], day)
    assert booking.booking_id and booking.tracking_numbers == (shipment.tracking_number,)
    if target.name == "dpd":  # once per day is the console's store: DPD refuses a waybill twice
        assert booking.protocol_pdf.startswith(b"%PDF-")
        with pytest.raises(PermanentError) as twice:
            target.carrier.book_pickup([shipment], day)
        assert "numery przesyłek" in twice.value.reason
        return
    assert target.carrier.book_pickup([shipment], day).booking_id == booking.booking_id
    assert target.carrier.track(shipment)[0].code


def test_the_api_wants_its_versioned_accept_header_and_a_token(target: CarrierTarget) -> None:
    only(target, "furgonetka")
    emulator = target.need_emulator()
    plain = requests.get(emulator.url + "/points/map", timeout=5)
    assert plain.status_code == 406 and plain.json()["errors"][0]["path"] == "headers.accept"
    anonymous = requests.get(emulator.url + "/points/map", timeout=5,
                             headers={"Accept": "application/vnd.furgonetka.v1+json"})
    assert anonymous.status_code == 401
