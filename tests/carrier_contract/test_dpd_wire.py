"""DPD's wire facts the adapter meets (reference ``carriers.md`` §1.1): Basic + ``X-DPD-FID``,
401 ``{status}``, 400 ``{errors[], traceId}``, per-package statuses under ``generationPolicy``,
a method not switched on answering ``UNSPECIFIED_ERROR``. Against the emulator only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from linkoptima_gui.core.errors import PermanentError
from linkoptima_gui.core.shipping.dpd import DPDCarrier
from linkoptima_gui.demo.dpd import DPDEmulator
from tests.shipping.samples import SENDER, make_request

from .conftest import dpd_settings

NUMBERS = "/public/shipment/v1/generatePackagesNumbers"


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[DPDEmulator]:
    with DPDEmulator(tmp_path / "dpd") as running:
        yield running


def _carrier(emulator: DPDEmulator) -> DPDCarrier:
    return DPDCarrier(dpd_settings(emulator.url, emulator.credentials()), SENDER)


def test_basic_auth_and_the_fid_header_are_both_required(emulator: DPDEmulator) -> None:
    c = emulator.credentials()
    anonymous = requests.post(emulator.url + NUMBERS, json={}, timeout=5)
    assert anonymous.status_code == 401 and anonymous.json() == {"status": "UNAUTHORIZED"}
    wrong_fid = requests.post(emulator.url + NUMBERS, json={}, timeout=5, auth=(c["login"], c["password"]),
                              headers={"X-DPD-FID": "9999"})
    assert wrong_fid.status_code == 401
    with pytest.raises(PermanentError) as caught:
        DPDCarrier(dpd_settings(emulator.url, {**c, "password": "bad"}), SENDER).create_shipment(make_request())
    assert caught.value.code == "carrier_auth" and "FID" in caught.value.reason


def test_a_malformed_request_gets_errors_with_a_trace_id(emulator: DPDEmulator) -> None:
    c = emulator.credentials()
    bad = requests.post(emulator.url + NUMBERS, json={"generationPolicy": "MAYBE", "packages": [{}]}, timeout=5,
                        auth=(c["login"], c["password"]), headers={"X-DPD-FID": c["master_fid"]})
    body = bad.json()
    assert bad.status_code == 400 and body["traceId"]
    assert body["errors"][0]["field"] == "generationPolicy" and body["errors"][0]["rejectedValue"] == "MAYBE"


def test_all_or_nothing_numbers_no_package_when_one_is_wrong(emulator: DPDEmulator) -> None:
    carrier = _carrier(emulator)
    good = carrier.payload(make_request(reference="A1"))["packages"][0]
    wrong = {**good, "reference": "A2", "receiver": {**good["receiver"], "postalCode": "8O210"}}
    c = emulator.credentials()
    answer = requests.post(emulator.url + NUMBERS, timeout=5, auth=(c["login"], c["password"]),
                           headers={"X-DPD-FID": c["master_fid"]},
                           json={"generationPolicy": "ALL_OR_NOTHING", "packages": [good, wrong]}).json()
    assert answer["status"] == "INCORRECT_DATA" and emulator.generated() == []
    assert [p["status"] for p in answer["packages"]] == ["NOT_PROCESSED", "INCORRECT_DATA"]
    assert answer["packages"][1]["validationInfo"][0]["errorCode"] == "INVALID_POSTAL_CODE"
    ignoring = requests.post(emulator.url + NUMBERS, timeout=5, auth=(c["login"], c["password"]),
                             headers={"X-DPD-FID": c["master_fid"]},
                             json={"generationPolicy": "IGNORE_ERRORS", "packages": [wrong, good]}).json()
    assert [p["status"] for p in ignoring["packages"]] == ["INCORRECT_DATA", "OK"]
    assert [p["reference"] for p in emulator.generated()] == ["A1"]
    number = ignoring["packages"][1]["parcels"][0]["waybill"]
    assert len(number) == 14 and number[:13].isdigit() and number[13].isalpha()


def test_a_method_not_switched_on_for_the_fid_is_named(emulator: DPDEmulator) -> None:
    emulator.activated.discard("generatePackagesNumbers")
    with pytest.raises(PermanentError) as caught:
        _carrier(emulator).create_shipment(make_request(reference="X1"))
    assert "UNSPECIFIED_ERROR" in caught.value.reason and "nie być włączona" in caught.value.reason
    assert _carrier(emulator).find_by_reference("X1") is None


def test_the_ledger_survives_a_restart_so_a_retry_does_not_number_twice(emulator: DPDEmulator,
                                                                       tmp_path: Path) -> None:
    from linkoptima_gui.core.shipping.dpd import DPDLedger

    settings = dpd_settings(emulator.url, emulator.credentials())
    first = DPDCarrier(settings, SENDER, DPDLedger(tmp_path / "data")).create_shipment(make_request(reference="R1"))
    again = DPDCarrier(settings, SENDER, DPDLedger(tmp_path / "data"))  # a new process
    assert again.find_by_reference("R1") == first
    assert again.create_shipment(make_request(reference="R1")) == first and len(emulator.generated()) == 1


def test_a_courier_call_that_failed_is_retried_on_the_same_protocol_and_never_booked_twice(
        emulator: DPDEmulator, tmp_path) -> None:
    from datetime import date

    from linkoptima_gui.core.shipping.dpd import DPDLedger

    carrier = DPDCarrier(dpd_settings(emulator.url, emulator.credentials()), SENDER, DPDLedger(tmp_path / "ledger"))
    shipment = carrier.create_shipment(make_request(reference="P1"))
    emulator.activated.discard("packagesPickupCall")
    with pytest.raises(PermanentError) as refused:
        carrier.book_pickup([shipment], date(2026, 11, 4))
    assert "UNSPECIFIED_ERROR" in refused.value.reason and not emulator.pickups()
    emulator.activated.add("packagesPickupCall")
    again = DPDCarrier(dpd_settings(emulator.url, emulator.credentials()), SENDER, DPDLedger(tmp_path / "ledger"))
    booking = again.book_pickup([shipment], date(2026, 11, 4))  # a restarted console: the ledger's protocol
    assert booking.protocol_id == "PROT/00001" and len(emulator.state["protocols"]) == 1
    assert booking.protocol_pdf.startswith(b"%PDF-") and len(emulator.pickups()) == 1
    with pytest.raises(PermanentError) as twice:
        again.book_pickup([shipment], date(2026, 11, 4))
    assert "z zamówionym kurierem" in twice.value.reason and len(emulator.pickups()) == 1
