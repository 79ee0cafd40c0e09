"""The stations' benchmark keeps working (small sizes; the figures themselves are ``make bench``'s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkoptima_gui.bench.stations import bench_failover, bench_feed, bench_packing

pytestmark = pytest.mark.multiprocess


def test_the_stations_benchmark_measures_what_it_says(tmp_path: Path, pg_store: str) -> None:
    failover = bench_failover(pg_store, tmp_path / "world", kills=1)
    assert len(failover) == 1 and 0 < failover[0] < 30
    three = bench_packing(pg_store, tmp_path, 3, count=12)
    assert three["packed"] == 12 and three["twice"] == 0
    feed = bench_feed(pg_store, samples=3)
    assert len(feed) == 3 and all(0 < ms < 2000 for ms in feed)
