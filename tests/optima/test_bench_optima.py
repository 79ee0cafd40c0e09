"""The stock benchmark's generated company reads back as the sync would see it (small size)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from linkoptima_gui.bench.optima import (
    NOW,
    WAREHOUSES,
    bench_stock,
    build_company,
    record_changes,
    table_rows,
)
from linkoptima_gui.core.optima.reader import SqlOptimaReader
from linkoptima_gui.core.optima.schema import optima_engine
from linkoptima_gui.core.optima.settings import OptimaSettings


def test_the_generated_company_reads_back(tmp_path: Path) -> None:
    engine = optima_engine(f"sqlite:///{tmp_path / 'bench.sqlite'}")
    written = build_company(engine, items=20, snapshots=3)
    assert written == 20 * (len(WAREHOUSES) + 1) * 3 + 2  # + totals; + item 0's and 10's future rows
    reader = SqlOptimaReader(engine, OptimaSettings(warehouse=WAREHOUSES[0]), clock=lambda: NOW)
    levels = reader.stock_levels()
    assert len(levels) == 20 and "USL-TRANSPORT" not in levels
    # item 0: its last snapshot before today (k = 2: 0*7 + 2*3 + 0 = 6) minus 0 reserved; the
    # row dated tomorrow (9999) does not count
    assert levels["B-000000"] == Decimal(6)
    assert levels["B-000001"] == Decimal(1 * 7 + 2 * 3) - 1  # 1 reserved
    record_changes(engine, 4, NOW)
    codes, stamp = reader.stock_changes(NOW.replace(hour=0))
    assert codes == {f"B-{n:06d}" for n in range(4)} and stamp == NOW
    assert reader.stock_levels(codes) == dict.fromkeys(codes, Decimal(500))  # today's snapshot, none reserved
    engine.dispose()


def test_bench_stock_measures_a_tiny_company(tmp_path: Path) -> None:
    engine = optima_engine(f"sqlite:///{tmp_path / 'bench.sqlite'}")
    result = bench_stock(engine, "SQLite", items=30, snapshots=2, runs=2)
    engine.dispose()
    assert (result.full_rows, result.incremental_rows) == (30, 30)
    assert 0 < result.full_p50_ms <= result.full_p95_ms
    assert 0 < result.prices_p50_ms <= result.prices_p95_ms
    rows = table_rows([result])
    assert len(rows) == 4 and all(row[0] == "optima" for row in rows)
    assert "30 items" in rows[0][1] and rows[1][2].startswith("p50 ")
