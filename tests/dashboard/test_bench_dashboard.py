"""The Pulpit's benchmark at a tiny size, so it cannot rot between ``make bench`` runs (it asserts
that the numbers and the row come out, never how fast)."""

from __future__ import annotations

import math

from linkoptima_gui.bench.dashboard import bench_dashboard, table_rows


def test_a_tiny_run_produces_its_row() -> None:
    result = bench_dashboard(orders=300, items=500, rounds=2)
    assert result["orders"] == 300 and result["audit"] == 3000 and result["selling"] > 0
    assert math.isfinite(result["p50_ms"]) and result["p50_ms"] > 0


def test_the_table_row(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr("linkoptima_gui.bench.dashboard.bench_dashboard", lambda *a, **k: {
        "orders": 50_000, "items": 50_000, "audit": 500_000, "p50_ms": 120.0, "max_ms": 150.0, "store_ms": 20.0,
        "selling": 2767, "seed_s": 1.0})
    (row,) = table_rows()
    assert row[0] == "pulpit" and "50,000 orders / 50,000 items" in row[1] and row[2] == "p50 120 ms"
