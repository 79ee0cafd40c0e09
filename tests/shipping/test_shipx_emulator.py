"""The ShipX emulator itself, seen through plain HTTP: ShipX's error bodies, the asynchronous
status flow, the search, the label endpoint's rules and its state on disk."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from pypdf import PdfReader

from linkoptima_gui.core.shipping.builtin import check_digit
from linkoptima_gui.demo.shipx import ShipXEmulator

from .shipx_support import ManualClock, courier_body, locker_body, org_url, raw

ERROR_SHAPE = {"status", "error", "message", "details"}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def shipx(tmp_path: Path, clock: ManualClock) -> Iterator[ShipXEmulator]:
    emulator = ShipXEmulator(
        tmp_path / "shipx", confirm_after_polls=2, confirm_after_seconds=None, clock=clock
    )
    emulator.start()
    yield emulator
    emulator.stop()


def create(emulator: ShipXEmulator, body: dict) -> dict:
    answer = raw(emulator).post(f"{org_url(emulator)}/shipments", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def refusal(emulator: ShipXEmulator, body: dict) -> dict:
    answer = raw(emulator).post(f"{org_url(emulator)}/shipments", json=body)
    assert answer.status_code == 400
    data = answer.json()
    assert set(data) == ERROR_SHAPE and data["error"] == "validation_failed"
    return data["details"]


# --- authentication -------------------------------------------------------------------------------


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic abc", "Bearer "])
def test_requests_without_the_token_get_401_in_shipx_shape(shipx: ShipXEmulator, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    answer = requests.get(f"{org_url(shipx)}/shipments", headers=headers, timeout=10)
    assert answer.status_code == 401
    body = answer.json()
    assert set(body) == ERROR_SHAPE and body["status"] == 401 and body["details"] == {}


def test_another_organization_is_forbidden(shipx: ShipXEmulator) -> None:
    answer = raw(shipx).get(f"{shipx.url}/v1/organizations/{shipx.organization_id + 1}/shipments")
    assert answer.status_code == 403 and answer.json()["error"] == "access_forbidden"


def test_unknown_things_are_resource_not_found(shipx: ShipXEmulator) -> None:
    for url in (f"{shipx.url}/v1/shipments/42", f"{shipx.url}/v1/nothing"):
        answer = raw(shipx).get(url)
        assert answer.status_code == 404 and answer.json()["error"] == "resource_not_found"


def test_request_id_is_echoed(shipx: ShipXEmulator) -> None:
    answer = raw(shipx).get(org_url(shipx), headers={"X-Request-ID": "trace-1"})
    assert answer.headers["X-Request-ID"] == "trace-1"
    assert raw(shipx).get(org_url(shipx)).headers["X-Request-ID"]


# --- validation ---------------------------------------------------------------------------------------


def test_locker_needs_email_phone_and_target_point(shipx: ShipXEmulator) -> None:
    details = refusal(shipx, locker_body(receiver={"first_name": "Jan"}, custom_attributes={}))
    assert details == {
        "receiver": [{"phone": ["required"], "email": ["required"]}],
        "custom_attributes": [{"target_point": ["required"]}],
    }


def test_implausible_locker_does_not_exist(shipx: ShipXEmulator) -> None:
    details = refusal(shipx, locker_body(custom_attributes={"target_point": "krakow"}))
    assert details == {"custom_attributes": [{"target_point": ["does_not_exist"]}]}


def test_courier_needs_name_and_full_address(shipx: ShipXEmulator) -> None:
    body = courier_body(
        receiver={"phone": "600700800", "address": {"street": "Kwiatowa", "post_code": "80210"}}
    )
    details = refusal(shipx, body)
    assert details["receiver"] == [
        {
            "name": ["required"],
            "address": [
                {
                    "building_number": ["required"],
                    "city": ["required"],
                    "country_code": ["required"],
                    "post_code": ["invalid_format"],
                }
            ],
        }
    ]


def test_courier_parcels_have_dimensions_not_templates(shipx: ShipXEmulator) -> None:
    body = courier_body(
        parcels=[
            {"template": "small"},
            {"dimensions": {"length": 1, "width": 1, "height": 1}, "weight": {"amount": 30, "unit": "kg"}},
        ]
    )
    details = refusal(shipx, body)
    assert details == {
        "parcels": [
            {"template": ["invalid"], "dimensions": ["required"], "weight": ["required"]},
            {"weight": ["too_heavy"]},
        ]
    }


def test_other_documented_rules(shipx: ShipXEmulator) -> None:
    assert refusal(shipx, locker_body(reference="ab")) == {"reference": ["too_short"]}
    assert refusal(shipx, locker_body(service="inpost_teleport")) == {"service": ["invalid"]}
    assert refusal(shipx, locker_body(parcels=[{"template": "small"}] * 2)) == {"parcels": ["too_many"]}
    assert refusal(shipx, courier_body(custom_attributes={"sending_method": "parcel_locker"})) == {
        "custom_attributes": [{"sending_method": ["invalid"]}]
    }
    assert refusal(shipx, courier_body(cod={"amount": 9000, "currency": "EUR"})) == {
        "cod": [{"amount": ["invalid"], "currency": ["invalid"]}]
    }
    assert shipx.shipments() == []


def test_a_body_that_is_not_json(shipx: ShipXEmulator) -> None:
    answer = raw(shipx).post(
        f"{org_url(shipx)}/shipments", data=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_request"


def test_a_pop_target_becomes_a_service_point_shipment(shipx: ShipXEmulator) -> None:
    created = create(shipx, locker_body(custom_attributes={"target_point": "POP-WAW364"}))
    assert created["service"] == "inpost_locker_customer_service_point"


def test_a_locker_parcel_by_dimensions_gets_the_fitting_template(shipx: ShipXEmulator) -> None:
    created = create(
        shipx, locker_body(parcels=[{"dimensions": {"length": 300, "width": 150, "height": 200}}])
    )
    assert created["parcels"][0]["template"] == "medium"


# --- the asynchronous status flow ---------------------------------------------------------------------


def test_created_then_offers_prepared_then_confirmed_on_the_second_read(shipx: ShipXEmulator) -> None:
    created = create(shipx, courier_body())
    assert created["status"] == "created" and created["tracking_number"] is None
    assert created["cod"] == {"amount": 1234.5, "currency": "PLN"} and created["sender"]["name"]
    url = f"{shipx.url}/v1/shipments/{created['id']}"
    first = raw(shipx).get(url).json()
    assert first["status"] == "offers_prepared" and first["tracking_number"] is None
    second = raw(shipx).get(url).json()
    assert second["status"] == "confirmed"
    number = second["tracking_number"]
    assert len(number) == 24 and number.isdigit() and check_digit(number[:-1]) == number[-1]
    assert second["parcels"][0]["tracking_number"] == number
    assert second["selected_offer"]["status"] == "bought" and second["selected_offer"]["rate"] is None
    assert raw(shipx).get(url).json()["tracking_number"] == number  # stays put


def test_time_based_confirmation_follows_the_clock(shipx: ShipXEmulator, clock: ManualClock) -> None:
    shipx.confirm_after_polls = None
    shipx.confirm_after_seconds = 2.0
    created = create(shipx, locker_body())
    url = f"{shipx.url}/v1/shipments/{created['id']}"
    clock.advance(1.5)
    assert raw(shipx).get(url).json()["status"] == "offers_prepared"
    clock.advance(0.5)
    assert raw(shipx).get(url).json()["status"] == "confirmed"


def test_nothing_confirms_until_told_when_both_rules_are_off(
    shipx: ShipXEmulator, clock: ManualClock
) -> None:
    shipx.confirm_after_polls = None
    created = create(shipx, locker_body())
    clock.advance(3600)
    url = f"{shipx.url}/v1/shipments/{created['id']}"
    assert all(raw(shipx).get(url).json()["status"] == "offers_prepared" for _ in range(5))
    assert shipx.confirm_all() == 1 and shipx.confirm_all() == 0
    assert raw(shipx).get(url).json()["status"] == "confirmed"


# --- search --------------------------------------------------------------------------------------------


def test_search_by_reference_is_exact_and_keeps_duplicates(shipx: ShipXEmulator) -> None:
    one = create(shipx, locker_body(reference="ZAM-1"))
    create(shipx, locker_body(reference="ZAM-10"))
    twin = create(shipx, locker_body(reference="ZAM-1"))  # ShipX itself does not refuse a duplicate
    found = raw(shipx).get(f"{org_url(shipx)}/shipments", params={"reference": "ZAM-1"}).json()
    assert found["count"] == 2 and [i["id"] for i in found["items"]] == [twin["id"], one["id"]]
    assert set(found) == {"href", "count", "page", "per_page", "items"}


def test_search_pages_and_filters(shipx: ShipXEmulator) -> None:
    shipx.confirm_after_polls = None  # a search is a read too: keep them waiting for this test
    ids = [create(shipx, locker_body(reference=f"ZAM-{n}"))["id"] for n in range(5)]
    shipx.store.confirm(ids[0])
    page = raw(shipx).get(f"{org_url(shipx)}/shipments", params={"per_page": 2, "page": 3}).json()
    assert page["count"] == 5 and [i["id"] for i in page["items"]] == [ids[0]]
    confirmed = raw(shipx).get(f"{org_url(shipx)}/shipments", params={"status[]": "confirmed"}).json()
    assert [i["id"] for i in confirmed["items"]] == [ids[0]]
    by_id = raw(shipx).get(f"{org_url(shipx)}/shipments", params=[("id[]", ids[1]), ("id[]", ids[2])]).json()
    assert sorted(i["id"] for i in by_id["items"]) == ids[1:3]
    too_many = raw(shipx).get(f"{org_url(shipx)}/shipments", params={"per_page": 500})
    assert too_many.status_code == 400 and too_many.json()["details"] == {"per_page": ["invalid"]}


# --- labels --------------------------------------------------------------------------------------------


def test_label_rules(shipx: ShipXEmulator) -> None:
    created = create(shipx, courier_body())
    url = f"{shipx.url}/v1/shipments/{created['id']}/label"
    early = raw(shipx).get(url, params={"format": "Pdf", "type": "A6"})
    assert early.status_code == 400 and set(early.json()) == ERROR_SHAPE
    assert early.json()["error"] == "invalid_action"
    shipx.confirm_all()
    pdf = raw(shipx).get(url, params={"format": "Pdf", "type": "A6"})
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert created["reference"] in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert raw(shipx).get(url).content.startswith(b"%PDF-")  # Pdf is the default format
    zpl = raw(shipx).get(url, params={"format": "zpl"}).content
    assert zpl.startswith(b"^XA") and zpl.endswith(b"^XZ")
    assert raw(shipx).get(url, params={"format": "Gif"}).json()["details"] == {"format": ["invalid"]}
    assert raw(shipx).get(url, params={"format": "Zpl", "type": "dpi300"}).json()["details"] == {
        "type": ["invalid"]  # dpi300 is for locker services only
    }
    assert raw(shipx).get(url, params={"format": "Epl"}).json()["error"] == "label_generation_failed"


# --- state on disk -------------------------------------------------------------------------------------


def test_state_survives_a_restart_on_the_same_folder(tmp_path: Path, clock: ManualClock) -> None:
    folder = tmp_path / "shipx"
    first = ShipXEmulator(folder, confirm_after_polls=1, confirm_after_seconds=None, clock=clock)
    first.start()
    created = create(first, locker_body())
    confirmed = raw(first).get(f"{first.url}/v1/shipments/{created['id']}").json()
    waiting = create(first, locker_body(reference="ZAM-WAIT"))
    credentials = (first.token, first.organization_id)
    first.stop()

    second = ShipXEmulator(folder, confirm_after_polls=None, confirm_after_seconds=None, clock=clock)
    second.start()
    try:
        assert (second.token, second.organization_id) == credentials
        again = raw(second).get(f"{second.url}/v1/shipments/{created['id']}").json()
        assert again["tracking_number"] == confirmed["tracking_number"] and again["status"] == "confirmed"
        assert (
            raw(second).get(f"{second.url}/v1/shipments/{waiting['id']}").json()["status"]
            == "offers_prepared"
        )
        assert create(second, locker_body(reference="ZAM-NEXT"))["id"] == waiting["id"] + 1
    finally:
        second.stop()


def test_the_same_emulator_object_restarts(tmp_path: Path) -> None:
    emulator = ShipXEmulator(tmp_path / "shipx")
    emulator.start()
    created = create(emulator, locker_body())
    emulator.stop()
    emulator.start()
    try:
        assert raw(emulator).get(f"{emulator.url}/v1/shipments/{created['id']}").status_code == 200
    finally:
        emulator.stop()
