"""The connector benchmark's stock push is the engine's own full pass (small size here)."""

from __future__ import annotations

from pathlib import Path

from linkoptima_gui.bench.stock_floor import bench_floor
from linkoptima_gui.bench.woo import Measured, bench_stock_push, rows_for


def test_the_stock_push_bench_runs_the_engines_pass_and_checks_the_shop(tmp_path: Path) -> None:
    push, batches, pages = bench_stock_push(tmp_path / "stock", products=300, changed=30)

    assert (push.items, batches) == (30, 1)  # 30 corrections in one products/batch call
    assert pages >= 3 and push.requests >= pages + batches
    rows = rows_for(Measured(1, 1.0, 1, 0.01), Measured(1, 1.0, 1, 0.01), push, batches, pages, 300)
    assert rows[-1][1].startswith("stock full pass: 300 SKUs read") and rows[-1][3].startswith("1 batch calls")


def test_the_floor_bench_sends_the_same_batches_as_the_pass(tmp_path: Path) -> None:
    """The stock pass beside the bare client, on a paced emulator in its own process (small)."""
    result = bench_floor(tmp_path, changed=200, pace=0.02)

    assert set(result.floor) == {1, 2, 4} and all(s > 0 for s in result.floor.values())
    assert (result.changed, result.batches) == (200, 2)  # the pass corrected every SKU in 2 batches of 100
    assert result.ratio == result.pass_seconds / min(result.floor.values())
    assert "emulator paced ×0.02" in result.where
