"""The packing button's benchmark per carrier keeps working (small sizes; the figures are ``make bench``'s)."""

from __future__ import annotations

from pathlib import Path

from linkoptima_gui.bench.carriers import bench_carrier


def test_the_button_prints_each_carriers_label_at_a_zpl_printer(tmp_path: Path) -> None:
    measured = bench_carrier("furgonetka", tmp_path / "world", orders=6, presses=3)
    assert measured["presses"] == 3 and 0 < measured["p50"] <= measured["p95"] < 5000
    assert measured["zpl_bytes"] > 200  # Furgonetka's own ZPL, kept in the store by the label step
