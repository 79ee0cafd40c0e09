"""The built-in carrier: one shipment per order reference, whatever retries, threads, restarts
or a kill -9 do, and the refusals a real carrier would make."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from linkoptima_gui.core.domain.order import Address
from linkoptima_gui.core.errors import PermanentError
from linkoptima_gui.core.shipping.builtin import DB_NAME, BuiltinCarrier, check_digit
from linkoptima_gui.core.shipping.port import Carrier, Shipment

from .samples import SENDER, make_locker_request, make_request


def _rows(carrier: BuiltinCarrier) -> list[tuple[str, str]]:
    with sqlite3.connect(carrier.db_path) as conn:
        return conn.execute("SELECT reference, tracking_number FROM shipments ORDER BY seq").fetchall()


def test_implements_the_carrier_port(carrier: BuiltinCarrier) -> None:
    port: Carrier = carrier
    assert port.name == "builtin"


def test_create_assigns_a_confirmed_24_digit_tracking_number(carrier: BuiltinCarrier) -> None:
    shipment = carrier.create_shipment(make_request())
    assert shipment.status == "confirmed"
    assert shipment.reference == "1001"
    number = shipment.tracking_number
    assert len(number) == 24 and number.isdigit()
    assert check_digit(number[:-1]) == number[-1]


def test_tracking_numbers_are_unique(carrier: BuiltinCarrier) -> None:
    numbers = {carrier.create_shipment(make_request(reference=f"R{i}")).tracking_number for i in range(20)}
    assert len(numbers) == 20


def test_create_twice_with_the_same_reference_returns_the_same_shipment(carrier: BuiltinCarrier) -> None:
    first = carrier.create_shipment(make_request())
    # a retry may carry slightly different data; the first shipment still stands
    second = carrier.create_shipment(make_request(phone="+48 111 222 333"))
    assert second == first
    assert _rows(carrier) == [("1001", first.tracking_number)]
    assert carrier.find_by_reference("1001") == first


def test_idempotent_across_a_restart(tmp_path: Path) -> None:
    first = BuiltinCarrier(tmp_path, SENDER).create_shipment(make_request())
    restarted = BuiltinCarrier(tmp_path, SENDER)
    assert restarted.find_by_reference("1001") == first
    assert restarted.create_shipment(make_request()) == first
    assert restarted.count_shipments()["total"] == 1
    # numbering goes on after the restart instead of starting over
    other = restarted.create_shipment(make_request(reference="1002"))
    assert other.tracking_number != first.tracking_number


def test_the_database_itself_refuses_a_second_row_for_a_reference(carrier: BuiltinCarrier) -> None:
    carrier.create_shipment(make_request())
    with sqlite3.connect(carrier.db_path) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO shipments(seq, reference, tracking_number, status, request, sender, created_at)"
            " VALUES (999, '1001', 'x', 'confirmed', '{}', '{}', '')"
        )


def test_concurrent_creates_of_one_reference_make_one_shipment(carrier: BuiltinCarrier) -> None:
    threads_n = 8
    barrier = threading.Barrier(threads_n)
    results: list[Shipment] = []
    errors: list[BaseException] = []

    def create() -> None:
        try:
            barrier.wait(timeout=5)
            results.append(BuiltinCarrier(carrier.folder, SENDER).create_shipment(make_request()))
        except BaseException as exc:  # reported below, a thread cannot fail the test itself
            errors.append(exc)

    threads = [threading.Thread(target=create) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert not errors
    assert len(results) == threads_n and len(set(results)) == 1
    assert carrier.count_shipments() == {
        "total": 1,
        "distinct_references": 1,
        "duplicates": 0,
        "labels_fetched": 0,
    }


def test_find_by_reference_of_an_unknown_order(carrier: BuiltinCarrier) -> None:
    assert carrier.find_by_reference("nope") is None


@pytest.mark.parametrize(
    ("request_", "fragment"),
    [
        (make_request(reference=" "), "numeru zamówienia"),
        (make_request(receiver_name="", receiver_company=""), "nazwy odbiorcy"),
        (make_locker_request(locker_id=""), "kodu paczkomatu"),
        (make_request(address=Address(city="Gdańsk")), "niepełny adres"),
        (make_request(cod_amount=Decimal("-1")), "ujemna kwota"),
        (make_request(weight_kg=Decimal("30")), "waga"),
    ],
)
def test_refuses_what_a_carrier_would_refuse(carrier: BuiltinCarrier, request_, fragment: str) -> None:
    with pytest.raises(PermanentError) as info:
        carrier.create_shipment(request_)
    assert fragment in info.value.reason
    assert info.value.code == "carrier_refused"
    assert carrier.count_shipments()["total"] == 0


def test_locker_parcel_needs_no_street_address(carrier: BuiltinCarrier) -> None:
    assert carrier.create_shipment(make_locker_request()).status == "confirmed"


def test_count_shipments_counts_shipments_and_label_fetches(carrier: BuiltinCarrier) -> None:
    a = carrier.create_shipment(make_request(reference="A"))
    carrier.create_shipment(make_request(reference="A"))
    carrier.create_shipment(make_request(reference="B"))
    carrier.fetch_label(a, "zpl")
    carrier.fetch_label(a, "pdf")
    assert carrier.count_shipments() == {
        "total": 2,
        "distinct_references": 2,
        "duplicates": 0,
        "labels_fetched": 2,
    }


def test_labels_are_the_same_bytes_on_every_fetch(carrier: BuiltinCarrier) -> None:
    shipment = carrier.create_shipment(make_request())
    assert carrier.fetch_label(shipment, "pdf") == carrier.fetch_label(shipment, "pdf")
    assert carrier.fetch_label(shipment, "zpl") == carrier.fetch_label(shipment, "zpl")


def test_fetch_label_of_an_unknown_shipment(carrier: BuiltinCarrier) -> None:
    ghost = Shipment("B00000099", "ghost", "600000000000000000000000", "confirmed")
    with pytest.raises(PermanentError) as info:
        carrier.fetch_label(ghost, "pdf")
    assert info.value.code == "shipment_not_found"
    assert "nie istnieje" in info.value.reason


def test_fetch_label_in_an_unknown_format(carrier: BuiltinCarrier) -> None:
    shipment = carrier.create_shipment(make_request())
    with pytest.raises(ValueError, match="epl"):
        carrier.fetch_label(shipment, "epl")  # type: ignore[arg-type]


_CHILD = """
import sys
from pathlib import Path
from tests.shipping.samples import SENDER, make_request
from linkoptima_gui.core.shipping.builtin import BuiltinCarrier
carrier = BuiltinCarrier(Path(sys.argv[1]), SENDER)
i = 0
while True:
    s = carrier.create_shipment(make_request(reference=f"K{i}"))
    print(s.reference, s.tracking_number, flush=True)
    i += 1
"""


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_survives_kill_9_in_the_middle_of_creating(tmp_path: Path) -> None:
    """A process killed while creating leaves only complete shipments, all found again."""
    root = Path(__file__).resolve().parents[2]
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(tmp_path)], cwd=root, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        reported = [child.stdout.readline().split() for _ in range(30)]
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    assert all(len(r) == 2 for r in reported), reported

    restarted = BuiltinCarrier(tmp_path, SENDER)
    with sqlite3.connect(tmp_path / DB_NAME) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    for reference, tracking in reported:  # every shipment the child reported is there, unchanged
        assert restarted.create_shipment(make_request(reference=reference)).tracking_number == tracking
    counts = restarted.count_shipments()
    assert counts["total"] >= 30 and counts["duplicates"] == 0
    rows = _rows(restarted)
    assert len({t for _, t in rows}) == len(rows)
