"""The console benchmark's machinery at a tiny size, so it cannot rot between ``make bench`` runs.

Asserts that it produces its numbers and table rows, never how fast anything was.
"""

from __future__ import annotations

import math
from pathlib import Path

from sqlalchemy import func, select

from linkoptima_gui.bench.gui import bench_gui, rows_of
from linkoptima_gui.bench.gui_seed import seed_store
from linkoptima_gui.core.domain.steps import Stage, StepState
from linkoptima_gui.core.store.db import open_store, sqlite_url
from linkoptima_gui.core.store.models import JobRow, OrderRow


def test_seeded_history_has_every_stage_and_leaves_the_engine_nothing_to_do(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "console.sqlite")
    seed_store(url, 600)
    sessions = open_store(url)
    try:
        with sessions() as session:
            stages = dict(session.execute(select(OrderRow.stage, func.count()).group_by(OrderRow.stage)).all())
            runnable = session.scalar(select(func.count()).select_from(JobRow).where(
                JobRow.state.in_([StepState.PENDING.value, StepState.STARTED.value]), JobRow.step != "packed"))
            skus = {line["sku"][:5] for payload in session.scalars(select(OrderRow.payload).limit(50))
                    for line in payload["line_items"]}
    finally:
        sessions.kw["bind"].dispose()
    assert sum(stages.values()) == 600
    assert {Stage.PACKED, Stage.READY_TO_PACK, Stage.EXCEPTION, Stage.CANCELLED} <= set(stages)
    assert runnable == 0  # the engine must not pick up old work during the benchmark
    assert skus == {"ARCH-"}  # archived goods: the stock sync never counts them


def test_a_tiny_run_produces_the_three_table_rows() -> None:
    result = bench_gui(orders=200, more=20, timeout=300)
    assert result["stored"] >= 200 + 20 and result["rows"] == result["stored"]
    assert result["ticks"] > 0
    for key in ("start_s", "window_s", "p50_ms", "p99_ms", "max_ms", "rss_mb", "rss_window_mb"):
        assert math.isfinite(result[key]) and result[key] > 0
    rows = rows_of(result)[-3:]  # (a first line warns of a broken PySide6)
    assert [row[0] for row in rows] == ["console"] * 3
    assert all(len(row) == 4 and all(isinstance(cell, str) for cell in row) for row in rows)
    assert "200 orders" in rows[0][1] and "20 orders" in rows[1][1]
