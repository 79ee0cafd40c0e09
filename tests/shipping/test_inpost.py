"""The InPost ShipX adapter, over real HTTP against the ShipX emulator on loopback.

The emulator confirms a shipment after a number of status reads, so every wait here is a count
of requests, never a pause; a timeout is provoked by holding an answer until the test releases it.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from linkoptima_gui.core.domain.order import Address
from linkoptima_gui.core.errors import PermanentError, RetryableError, WaitingError
from linkoptima_gui.core.shipping.builtin import check_digit
from linkoptima_gui.core.shipping.inpost import InPostShipX, describe_details, normalize_phone, split_street
from linkoptima_gui.core.shipping.port import Carrier, Shipment
from linkoptima_gui.demo.shipx import ShipXEmulator

from .samples import make_locker_request, make_request
from .shipx_support import adapter_for, raw

CONFIRM_AFTER = 3


@pytest.fixture
def shipx(tmp_path: Path) -> Iterator[ShipXEmulator]:
    emulator = ShipXEmulator(
        tmp_path / "shipx", confirm_after_polls=CONFIRM_AFTER, confirm_after_seconds=None
    )
    emulator.start()
    yield emulator
    emulator.stop()


@pytest.fixture
def inpost(shipx: ShipXEmulator) -> InPostShipX:
    return adapter_for(shipx)


def posts(emulator: ShipXEmulator) -> int:
    return sum(1 for method, _ in emulator.requests if method == "POST")


# --- mapping to ShipX's fields -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("street", "expected"),
    [
        ("ul. Źródlana 5 m. 7", ("ul. Źródlana", "5 m. 7")),
        ("ul. Świętokrzyska 12/4", ("ul. Świętokrzyska", "12/4")),
        ("ul. 3 Maja 15A", ("ul. 3 Maja", "15A")),
        ("Aleje Jerozolimskie 123 lok. 45", ("Aleje Jerozolimskie", "123 lok. 45")),
        ("Rynek, 1", ("Rynek", "1")),
        ("Kwiatowa", ("Kwiatowa", "")),
    ],
)
def test_street_and_building_number_are_split(street: str, expected: tuple[str, str]) -> None:
    assert split_street(street) == expected


@pytest.mark.parametrize(
    ("phone", "expected"),
    [("+48 600 700 800", "600700800"), ("0048-600-700-800", "600700800"), ("600 700 800", "600700800"),
     ("48600700800", "600700800"), ("(42) 123-45-67", "421234567"),
     ("+49 30 1234567", "49301234567"),  # abroad: the country code stays
     ("brak", "brak")],  # no number at all: as typed, for ShipX to refuse by name
)
def test_phones_become_nine_digits(phone: str, expected: str) -> None:
    assert normalize_phone(phone) == expected


def test_nested_details_read_in_polish() -> None:
    details = {"receiver": [{"phone": ["invalid"]}], "parcels": [{}, {"weight": ["too_heavy"]}]}
    assert describe_details(details) == (
        "telefon odbiorcy (receiver.phone): nieprawidłowa wartość; "
        "waga paczki nr 2 (parcels.1.weight): za ciężka (najwyżej 25 kg)"
    )


# --- creating ---------------------------------------------------------------------------------------


def test_implements_the_carrier_port(inpost: InPostShipX) -> None:
    port: Carrier = inpost
    assert port.name == "inpost"


def test_locker_shipment_is_created_and_confirmed(shipx: ShipXEmulator, inpost: InPostShipX) -> None:
    shipment = inpost.create_shipment(make_locker_request())
    assert shipment.status == "confirmed"
    assert shipment.reference == "1002"
    number = shipment.tracking_number
    assert len(number) == 24 and number.isdigit() and check_digit(number[:-1]) == number[-1]
    (row,) = shipx.shipments()
    assert str(row.id) == shipment.shipment_id
    assert row.doc["service"] == "inpost_locker_standard"
    assert row.doc["custom_attributes"] == {"target_point": "KRA010", "sending_method": "dispatch_order"}
    assert row.doc["parcels"][0]["template"] == "small"
    assert row.doc["receiver"]["phone"] == "600700800"  # "+48 600 700 800" as ShipX wants it
    assert row.doc["cod"]["amount"] is None


def test_courier_shipment_with_cash_on_delivery(shipx: ShipXEmulator, inpost: InPostShipX) -> None:
    shipment = inpost.create_shipment(make_request())
    (row,) = shipx.shipments()
    assert row.tracking_number == shipment.tracking_number
    assert row.doc["service"] == "inpost_courier_standard"
    assert row.doc["cod"] == {"amount": Decimal("1234.5"), "currency": "PLN"}
    assert row.doc["insurance"]["amount"] == Decimal("1234.5")
    assert row.doc["receiver"]["address"] == {
        "street": "ul. Źródlana",
        "building_number": "5 m. 7",
        "line1": "",
        "line2": "",
        "city": "Gdańsk",
        "post_code": "80-210",
        "country_code": "PL",
    }
    parcel = row.doc["parcels"][0]
    assert parcel["template"] is None
    assert parcel["dimensions"] == {"length": 640, "width": 380, "height": 190, "unit": "mm"}
    assert parcel["weight"] == {"amount": Decimal("2.5"), "unit": "kg"}


def test_create_polls_until_confirmed(shipx: ShipXEmulator, inpost: InPostShipX) -> None:
    inpost.create_shipment(make_locker_request())
    polls = [path for method, path in shipx.requests if method == "GET" and path.startswith("/v1/shipments/")]
    assert len(polls) == CONFIRM_AFTER
    assert shipx.requests[:2] == [
        ("GET", f"/v1/organizations/{shipx.organization_id}/shipments"),  # looked up before buying
        ("POST", f"/v1/organizations/{shipx.organization_id}/shipments"),
    ]


def test_a_short_order_number_is_padded_to_shipx_minimum(shipx: ShipXEmulator, inpost: InPostShipX) -> None:
    shipment = inpost.create_shipment(make_locker_request(reference="7"))
    assert shipx.shipments()[0].reference == "##7"
    assert inpost.find_by_reference("7") == shipment


# --- idempotency --------------------------------------------------------------------------------------


def test_create_twice_makes_one_shipment(shipx: ShipXEmulator, inpost: InPostShipX) -> None:
    first = inpost.create_shipment(make_request())
    again = inpost.create_shipment(make_request(phone="+48 111 222 333"))  # a retry with changed data
    assert again == first
    assert len(shipx.shipments()) == 1 and posts(shipx) == 1
    assert inpost.find_by_reference("1001") == first
    assert inpost.find_by_reference("9999") is None


def test_a_new_adapter_finds_the_shipment_instead_of_buying_again(shipx: ShipXEmulator) -> None:
    first = adapter_for(shipx).create_shipment(make_request())
    assert adapter_for(shipx).create_shipment(make_request()) == first
    assert posts(shipx) == 1


def test_a_lost_answer_to_the_create_is_retried_without_a_second_shipment(shipx: ShipXEmulator) -> None:
    impatient = adapter_for(shipx, timeout=0.3)
    shipx.pause("POST")  # the shipment is created, but the reply never reaches us in time
    try:
        with pytest.raises(RetryableError) as caught:
            impatient.create_shipment(make_request())
        assert caught.value.code == "carrier_outcome_unknown"
        assert shipx.held.wait(10)
    finally:
        shipx.resume()
    assert len(shipx.shipments()) == 1
    shipment = impatient.create_shipment(make_request())
    assert shipment.status == "confirmed"
    assert len(shipx.shipments()) == 1 and posts(shipx) == 1


def test_concurrent_creates_for_one_order_buy_once(shipx: ShipXEmulator, inpost: InPostShipX) -> None:
    barrier = threading.Barrier(4)
    results: list[Shipment] = []

    def worker() -> None:
        barrier.wait()
        results.append(inpost.create_shipment(make_request()))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(results) == 4 and len(set(results)) == 1
    assert len(shipx.shipments()) == 1


def test_a_canceled_shipment_no_longer_counts_for_its_order(
    shipx: ShipXEmulator, inpost: InPostShipX
) -> None:
    first = inpost.create_shipment(make_request())
    shipx.store.set_status(int(first.shipment_id), "canceled")
    assert inpost.find_by_reference("1001") is None
    second = inpost.create_shipment(make_request())
    assert second.shipment_id != first.shipment_id


def test_a_shipment_not_yet_handed_over_is_canceled_and_a_dispatched_one_is_refused(
    shipx: ShipXEmulator, inpost: InPostShipX
) -> None:
    first = inpost.create_shipment(make_request())
    inpost.cancel_shipment(first)
    assert shipx.store.read(int(first.shipment_id), poll=False).status == "canceled"
    assert inpost.find_by_reference("1001") is None
    inpost.cancel_shipment(first)  # asked twice (a retry after a crash): nothing more happens
    second = inpost.create_shipment(make_request())
    shipx.store.set_status(int(second.shipment_id), "dispatched_by_sender")
    with pytest.raises(PermanentError) as refused:
        inpost.cancel_shipment(second)
    assert refused.value.reason.startswith(f"InPost nie anulował przesyłki {second.tracking_number}")
    assert "dispatched_by_sender" in refused.value.reason


# --- waiting for confirmation ----------------------------------------------------------------------------


def test_unconfirmed_shipment_waits_and_its_label_is_not_ready(shipx: ShipXEmulator) -> None:
    shipx.confirm_after_polls = None  # InPost is slow today: nothing confirms on its own
    inpost = adapter_for(shipx, poll_limit=2, pending_retry_after=45)
    with pytest.raises(WaitingError) as caught:
        inpost.create_shipment(make_locker_request())
    assert caught.value.code == "carrier_pending" and caught.value.retry_after == 45
    assert "nie potwierdził" in caught.value.reason
    pending = inpost.find_by_reference("1002")
    assert pending is not None and pending.status == "offers_prepared" and pending.tracking_number == ""
    with pytest.raises(WaitingError):
        inpost.fetch_label(pending, "pdf")

    # ShipX's own answer for a label of a shipment not bought yet
    answer = raw(shipx).get(f"{shipx.url}/v1/shipments/{pending.shipment_id}/label", params={"format": "Pdf"})
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_action"
    stale = Shipment(pending.shipment_id, "1002", "520000000000000000000000", "confirmed")
    with pytest.raises(WaitingError) as from_server:
        inpost.fetch_label(stale, "zpl")
    assert from_server.value.details["error"] == "invalid_action"

    assert shipx.confirm_all() == 1
    ready = inpost.find_by_reference("1002")
    assert ready is not None and ready.status == "confirmed" and len(ready.tracking_number) == 24
    assert inpost.fetch_label(ready, "zpl").startswith(b"^XA")
    assert inpost.create_shipment(make_locker_request()) == ready
    assert posts(shipx) == 1


def test_the_wait_is_bounded_in_time(shipx: ShipXEmulator) -> None:
    shipx.confirm_after_polls = None
    ticks = iter(range(0, 1000, 2))  # every look at the clock is two seconds later
    inpost = InPostShipX(
        adapter_for(shipx, poll_limit=1000, max_wait=10).settings, monotonic=lambda: float(next(ticks))
    )
    with pytest.raises(WaitingError):
        inpost.create_shipment(make_locker_request())
    polls = [p for m, p in shipx.requests if m == "GET" and p.startswith("/v1/shipments/")]
    assert 1 <= len(polls) <= 5


# --- refusals and failures -------------------------------------------------------------------------------


def test_wrong_token_is_an_auth_error(shipx: ShipXEmulator) -> None:
    with pytest.raises(PermanentError) as caught:
        adapter_for(shipx, token="not-the-token").create_shipment(make_request())
    assert caught.value.code == "carrier_auth"
    assert "token" in caught.value.reason and "HTTP 401" in caught.value.reason
    assert "not-the-token" not in caught.value.reason + repr(caught.value.details)
    assert shipx.shipments() == []


def test_another_organization_is_an_auth_error(shipx: ShipXEmulator) -> None:
    with pytest.raises(PermanentError) as caught:
        adapter_for(shipx, organization_id="1").find_by_reference("1001")
    assert caught.value.code == "carrier_auth" and "HTTP 403" in caught.value.reason


def test_unknown_locker_is_refused_naming_the_field(shipx: ShipXEmulator, inpost: InPostShipX) -> None:
    with pytest.raises(PermanentError) as caught:
        inpost.create_shipment(make_locker_request(locker_id="nie-ma"))
    error = caught.value
    assert error.code == "carrier_refused"
    assert "zamówienia 1002" in error.reason
    assert "paczkomat docelowy (custom_attributes.target_point): nie istnieje" in error.reason
    assert error.details["fields"] == {"custom_attributes.target_point": ["does_not_exist"]}
    assert shipx.shipments() == []


def test_every_wrong_field_is_named(inpost: InPostShipX) -> None:
    request = make_request(
        phone="12",
        address=Address(street="Kwiatowa", city="Gdańsk", postcode="8021"),
        weight_kg=Decimal("30"),
    )
    with pytest.raises(PermanentError) as caught:
        inpost.create_shipment(request)
    reason = caught.value.reason
    assert "telefon odbiorcy (receiver.phone): nieprawidłowa wartość" in reason
    assert "numer domu odbiorcy (receiver.address.building_number): brak wartości" in reason
    assert "kod pocztowy odbiorcy (receiver.address.post_code): zły format" in reason
    assert "waga paczki (parcels.weight): za ciężka" in reason


def test_missing_locker_id_is_refused(inpost: InPostShipX) -> None:
    with pytest.raises(PermanentError) as caught:
        inpost.create_shipment(make_locker_request(locker_id=""))
    assert caught.value.details["fields"] == {"custom_attributes.target_point": ["required"]}


def test_a_service_without_an_inpost_mapping_is_refused_before_any_request(shipx: ShipXEmulator) -> None:
    inpost = adapter_for(shipx, services={"locker_standard": "inpost_locker_standard"})
    with pytest.raises(PermanentError) as caught:
        inpost.create_shipment(make_request(service="courier_standard"))
    assert caught.value.code == "carrier_refused" and "courier_standard" in caught.value.reason
    assert posts(shipx) == 0


def test_server_down_is_retryable(tmp_path: Path) -> None:
    emulator = ShipXEmulator(tmp_path / "shipx")
    emulator.start()
    inpost = adapter_for(emulator)
    emulator.stop()
    with pytest.raises(RetryableError) as caught:
        inpost.create_shipment(make_request())
    assert caught.value.code == "carrier_unreachable" and "InPost" in caught.value.reason


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_overload_and_server_errors_are_retryable(
    shipx: ShipXEmulator, inpost: InPostShipX, status: int
) -> None:
    shipx.fail_next(status, retry_after=7)
    with pytest.raises(RetryableError) as caught:
        inpost.find_by_reference("1001")
    assert caught.value.code == "carrier_unreachable" and f"HTTP {status}" in caught.value.reason
    assert caught.value.details["retry_after"] == "7"
    assert inpost.find_by_reference("1001") is None  # the next call goes through


def test_a_proxy_error_page_is_retryable(shipx: ShipXEmulator, inpost: InPostShipX) -> None:
    shipx.fail_next(502, body=b"<html><body>Bad Gateway</body></html>")
    with pytest.raises(RetryableError):
        inpost.create_shipment(make_request())
    assert shipx.shipments() == []


def test_a_timeout_is_retryable(shipx: ShipXEmulator) -> None:
    shipx.pause("GET")
    try:
        with pytest.raises(RetryableError) as caught:
            adapter_for(shipx, timeout=0.3).find_by_reference("1001")
        assert caught.value.code == "carrier_unreachable" and "0.3 s" in caught.value.reason
    finally:
        shipx.resume()


# --- labels ---------------------------------------------------------------------------------------------


def test_pdf_label_is_a_real_a6_class_pdf(shipx: ShipXEmulator, inpost: InPostShipX) -> None:
    shipment = inpost.create_shipment(make_request())
    pdf = inpost.fetch_label(shipment, "pdf")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(283.46, abs=0.01)  # 100 x 150 mm
    text = reader.pages[0].extract_text().replace("\u00a0", " ")
    for expected in (
        shipment.tracking_number,
        "Grzegorz Brzęczyszczykiewicz",
        "80-210 Gdańsk",
        "POBRANIE: 1 234,50 zł",
        "Sklep Demo LinkOptima",
        "1001",
    ):
        assert expected in text
    assert ("GET", f"/v1/shipments/{shipment.shipment_id}/label") in shipx.requests


def test_zpl_label_for_a_locker(inpost: InPostShipX) -> None:
    shipment = inpost.create_shipment(make_locker_request())
    zpl = inpost.fetch_label(shipment, "zpl")
    assert zpl.startswith(b"^XA") and zpl.rstrip().endswith(b"^XZ")
    text = zpl.decode("utf-8")
    assert shipment.tracking_number in text and "KRA010" in text
    assert inpost.fetch_label(shipment, "zpl") == zpl  # a reprint is the same label


def test_unknown_label_format_is_a_programming_error(inpost: InPostShipX) -> None:
    shipment = inpost.create_shipment(make_locker_request())
    with pytest.raises(ValueError):
        inpost.fetch_label(shipment, "epl")  # type: ignore[arg-type]


def test_check_connection_names_the_organization(inpost: InPostShipX) -> None:
    assert inpost.check_connection() == "Sklep Demo LinkOptima"


# --- restarts ---------------------------------------------------------------------------------------------


def test_shipments_survive_an_emulator_restart(tmp_path: Path) -> None:
    folder = tmp_path / "shipx"
    first = ShipXEmulator(folder, confirm_after_polls=1, confirm_after_seconds=None)
    first.start()
    token, organization = first.token, first.organization_id
    shipment = adapter_for(first).create_shipment(make_request())
    first.stop()

    second = ShipXEmulator(folder, confirm_after_polls=1, confirm_after_seconds=None)
    second.start()
    try:
        assert (second.token, second.organization_id) == (token, organization)
        inpost = adapter_for(second)  # same account, new port
        assert inpost.find_by_reference("1001") == shipment
        assert inpost.create_shipment(make_request()) == shipment
        assert posts(second) == 0
        assert (
            shipment.tracking_number
            in PdfReader(io.BytesIO(inpost.fetch_label(shipment, "pdf"))).pages[0].extract_text()
        )
        newer = inpost.create_shipment(make_request(reference="1003"))
        assert int(newer.shipment_id) > int(shipment.shipment_id)
    finally:
        second.stop()
