"""The label step's crash points hold for every carrier: ``demo-run --carrier X`` dies (exit 137,
as under kill -9) once the carrier has made the parcel and before it is recorded — inside the
adapter (``carrier:answered``: DPD numbered it, Furgonetka took the order command, ShipX bought
it) or in the engine (``label:created``: the adapter returned, the store has not recorded it) —
is run again on the same folder, and the carrier's own state must hold exactly one parcel per
labelled order.

For DPD, which has no lookup and no cancel, a number whose answer was lost with the process may
exist twice at DPD; what counts is what is handed over: the day is closed after the rerun and the
emulator's protocol must hold each order once (the lost number never goes on it).

Some two minutes of processes started and killed: in the ``multiprocess`` group (``make
test-multiprocess``, ``.ci/run``); ``tests/e2e/test_crash_points.py`` keeps every point of the
chain, with the demo's carrier mix, in ``make test``."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from linkoptima_gui.core.engine.end_of_day import CLOSED, EndOfDay
from linkoptima_gui.core.faults import CRASH_EXIT_STATUS
from linkoptima_gui.core.printing.factory import open_printer
from linkoptima_gui.core.shipping.dpd import DPDCarrier, DPDLedger, DPDSettings
from linkoptima_gui.core.store.db import open_store, sqlite_url
from linkoptima_gui.demo.dpd import DPDEmulator
from linkoptima_gui.demo.shipx.store import ShipXStore
from linkoptima_gui.demo.world import SENDER

pytestmark = pytest.mark.multiprocess

ORDERS = 6
CASES = [(carrier, point) for carrier in ("builtin", "inpost", "furgonetka", "dpd")
         for point in ("carrier:answered", "label:created") if (carrier, point) != ("builtin", "carrier:answered")]


def run(world: Path, carrier: str, crash_at: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LINKOPTIMA_CRASH_AT=crash_at)
    return subprocess.run(
        [sys.executable, "-m", "linkoptima_gui.cli", "demo-run", "--world", str(world), "--orders", str(ORDERS),
         "--ksef-delay", "0", "--carrier", carrier],
        capture_output=True, text=True, timeout=180, env=env,
    )


def labelled(world: Path) -> set[str]:
    """The orders the console recorded a label for."""
    with sqlite3.connect(world / "console.sqlite") as db:
        return {n for (n,) in db.execute("SELECT number FROM orders WHERE tracking_number != ''")}


def parcels_at_the_carrier(world: Path, carrier: str, point: str = "") -> Counter[str]:
    """Order number -> parcels the carrier holds for it, read from the carrier's own state."""
    if carrier == "builtin":
        with sqlite3.connect(world / "carrier" / "carrier.sqlite") as db:
            return Counter(r for (r,) in db.execute("SELECT reference FROM shipments WHERE status != 'canceled'"))
    if carrier == "inpost":
        store = ShipXStore(world / "shipx")
        try:
            return Counter(row.reference for row in store.rows() if row.status != "canceled")
        finally:
            store.close()
    if carrier == "furgonetka":
        state = json.loads((world / "furgonetka" / "furgonetka.json").read_text("utf-8"))
        return Counter(p["user_reference_number"] for p in state["packages"].values() if p["state"] == "ordered")
    return _handed_over_to_dpd(world, lost=1 if point == "carrier:answered" else 0)


def _handed_over_to_dpd(world: Path, lost: int) -> Counter[str]:
    """Close the day at DPD (its emulator on the world's state) and read its protocols."""
    with DPDEmulator(world / "dpd") as emulator:
        settings = DPDSettings(base_url=emulator.url, pudo_url=emulator.url + "/api/pudo", timeout=5,
                               **emulator.credentials())
        carrier = DPDCarrier(settings, SENDER, DPDLedger(world / "dpd"))
        store = open_store(sqlite_url(world / "console.sqlite"))
        try:
            [closing] = EndOfDay(store, [carrier]).close_day(open_printer((world / "protocols").as_uri()),
                                                            station="test", day=date.today())
        finally:
            store.kw["bind"].dispose()
        assert closing.outcome == CLOSED, closing.message
        generated, handed = emulator.generated(), emulator.handed_over()
        assert len(generated) == len(handed) + lost  # a number lost with the process is never handed over
        return Counter(p["reference"] for p in handed)


@pytest.mark.parametrize(("carrier", "point"), CASES)
def test_a_kill_between_the_carriers_create_and_the_record_leaves_one_parcel(
        carrier: str, point: str, tmp_path: Path) -> None:
    world = tmp_path / "world"
    crashed = run(world, carrier, point)
    assert crashed.returncode == CRASH_EXIT_STATUS, f"never reached {point}: {crashed.stderr[-1000:]}"
    again = run(world, carrier)
    assert again.returncode == 0, again.stderr[-2000:]
    counts = json.loads(again.stdout.strip().splitlines()[-1])
    assert counts["duplicates"] == 0 and counts["labels"] == counts["packed"] == counts["printed"] > 0
    with sqlite3.connect(world / "console.sqlite") as db:
        stuck = db.execute("SELECT COUNT(*) FROM jobs WHERE state = 'started'").fetchone()[0]
    assert stuck == 0
    at_carrier = parcels_at_the_carrier(world, carrier, point)
    assert set(at_carrier.values()) == {1}, at_carrier
    assert set(at_carrier) == labelled(world)
