"""The demo world's carrier mix, end to end with the real adapters against their emulators: the
shipping map routes lockers to InPost ShipX, ``flat_rate`` couriers to DPD and the others through
Furgonetka (DHL), every order
gets exactly one parcel at the carrier its method names, and the label step records which."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine, text

from linkoptima_gui.demo.headless import demo_run
from linkoptima_gui.demo.shipx.store import ShipXStore


def test_the_mix_buys_each_label_once_at_the_carrier_the_map_names(tmp_path: Path) -> None:
    world = tmp_path / "world"
    counts = demo_run(world, 8, carrier="mixed", ksef_delay=0.2, max_seconds=120)
    assert counts["exceptions"] == 0 and counts["duplicates"] == 0
    assert counts["labels"] == counts["packed"] == counts["printed"] > 0
    furgonetka = json.loads((world / "furgonetka" / "furgonetka.json").read_text("utf-8"))
    dhl = {p["user_reference_number"] for p in furgonetka["packages"].values() if p["state"] == "ordered"}
    assert dhl and all(p["service"] == "dhl" for p in furgonetka["packages"].values())
    store = ShipXStore(world / "shipx")
    try:
        lockers = {row.reference for row in store.rows() if row.status != "canceled"}
    finally:
        store.close()
    dpd_state = json.loads((world / "dpd" / "dpd.json").read_text("utf-8"))
    dpd = {p["reference"] for p in dpd_state["packages"].values() if p["status"] == "OK"}
    assert dpd and len(dpd) == len([p for p in dpd_state["packages"].values() if p["status"] == "OK"])
    assert lockers and not (lockers & dhl) and not (dpd & (lockers | dhl))
    engine = create_engine(f"sqlite:///{world / 'console.sqlite'}")
    with engine.connect() as conn:
        by_carrier = dict(conn.execute(text(
            "SELECT carrier, COUNT(*) FROM orders WHERE tracking_number != '' GROUP BY carrier")).all())
    engine.dispose()
    assert by_carrier == {"inpost": len(lockers), "furgonetka": len(dhl), "dpd": len(dpd)}
