"""Optima benchmark for ``make bench``: reading stock from a large company.

    python -m linkoptima_gui.bench.optima [--items 50000] [--snapshots 10] [--runs 5]

A company is generated straight into the CDN tables: ``--items`` goods (and two services),
three warehouses, and for every item and warehouse ``--snapshots`` dated ``TwrIlosci`` rows over
the last 30 days (plus the all-warehouses total rows Optima keeps, and a future-dated row for
every tenth item, which must not count). Then, through ``SqlOptimaReader`` as the stock sync
uses it:

- the whole-catalogue read (``queries.stock_query``, one statement): p50 / p95 over ``--runs``;
- the incremental read after 500 items moved (100 goods receipts of 5 lines, new snapshots):
  ``stock_changes`` then ``stock_levels`` of the changed codes;
- what every stock pass adds for prices (``CataloguePublisher.publish_changes`` when nothing
  changed): the price list's fingerprints read (one statement; Optima's prices carry no time
  stamp) and compared with what the shop was last brought to. No shop request.

On SQLite always, and on PostgreSQL when ``LINKOPTIMA_TEST_PG_URL`` names a database: there the
company lives in its own schema (``linkoptima_bench``), dropped afterwards; ``CDN`` is not
touched. Measurements, not assertions: the tests check correctness, this shows speed.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, select, text

from ..core.optima.price_list import OptimaPriceList
from ..core.optima.reader import SqlOptimaReader
from ..core.optima.schema import (
    CDN_SCHEMA,
    Magazyny,
    Towary,
    TraElem,
    TraNag,
    TwrCeny,
    TwrIlosci,
    create_schema,
    optima_engine,
)
from ..core.optima.settings import OptimaSettings
from ..core.woo.catalogue import CataloguePublisher, PublishSettings
from ..core.woo.client import ShopClient
from ..core.woo.settings import ShopSettings
from .common import Row, percentile, print_table

NOW = datetime(2026, 3, 16, 10, 30)
WAREHOUSES = ("MAGAZYN", "MAG2", "MAG3")
HISTORY_DAYS = 30
CHANGES = 500
LINES_PER_RECEIPT = 5
PG_SCHEMA = "linkoptima_bench"
PRICE_LIST = 2
_CHUNK = 20_000


@dataclass(frozen=True)
class StockBenchRow:
    backend: str
    items: int
    snapshot_rows: int  # TwrIlosci rows in the company
    build_seconds: float
    full_p50_ms: float
    full_p95_ms: float
    full_rows: int  # what one whole-catalogue read returned
    incremental_p50_ms: float
    incremental_p95_ms: float
    incremental_rows: int
    prices_p50_ms: float
    prices_p95_ms: float


def _chunks(rows: Iterator[dict], size: int = _CHUNK) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _items(count: int) -> Iterator[dict]:
    common = {
        "Twr_JM": "szt.",
        "Twr_Stawka": Decimal(23),
        "Twr_Flaga": 2,
        "Twr_TS_Zal": NOW - timedelta(days=90),
        "Twr_TS_Mod": NOW - timedelta(days=90),
    }
    for n in range(count):
        yield {
            "Twr_Typ": 1,
            "Twr_Kod": f"B-{n:06d}",
            "Twr_Nazwa": f"Towar {n}",
            "Twr_EAN": f"59{n:011d}",
            **common,
        }
    for code in ("USL-TRANSPORT", "USL-OPLATA"):
        yield {"Twr_Typ": 0, "Twr_Kod": code, "Twr_Nazwa": code, "Twr_EAN": "", **common}


def _snapshots(item_ids: list[int], warehouse_ids: list[int], per_item: int) -> Iterator[dict]:
    """Dated snapshots over the last 30 days per item and warehouse (and the NULL-warehouse total);
    every tenth item also has one dated tomorrow (a document dated ahead), which must not count."""
    first = datetime.combine(NOW.date() - timedelta(days=HISTORY_DAYS), datetime.min.time())
    spacing = max(1, HISTORY_DAYS // per_item)
    for n, item in enumerate(item_ids):
        for k in range(per_item):
            day = first + timedelta(days=k * spacing + n % spacing)
            quantities = [Decimal((n * 7 + k * 3 + w) % 200) for w in range(len(warehouse_ids))]
            for warehouse, quantity in zip(
                [*warehouse_ids, None], [*quantities, sum(quantities)], strict=True
            ):
                yield {
                    "TwI_TwrId": item,
                    "TwI_MagId": warehouse,
                    "TwI_Data": day,
                    "TwI_Ilosc": quantity,
                    "TwI_Rezerwacje": Decimal(n % 3),
                    "TwI_Wartosc": quantity * 10,
                }
        if n % 10 == 0:
            yield {
                "TwI_TwrId": item,
                "TwI_MagId": warehouse_ids[0],
                "TwI_Data": first + timedelta(days=HISTORY_DAYS + 1),
                "TwI_Ilosc": Decimal(9999),
                "TwI_Rezerwacje": Decimal(0),
                "TwI_Wartosc": Decimal(0),
            }


def build_company(engine: Engine, items: int, snapshots: int) -> int:
    """Create the tables and fill them; returns how many TwrIlosci rows were written."""
    create_schema(engine)
    with engine.begin() as conn:
        conn.execute(
            Magazyny.insert(),
            [
                {"Mag_Symbol": s, "Mag_Nazwa": s, "Mag_Typ": 1, "Mag_TS_Zal": NOW, "Mag_TS_Mod": NOW}
                for s in WAREHOUSES
            ],
        )
        for batch in _chunks(_items(items)):
            conn.execute(Towary.insert(), batch)
        warehouse_ids = list(
            conn.execute(select(Magazyny.c.Mag_MagId).order_by(Magazyny.c.Mag_MagId)).scalars()
        )
        item_ids = list(
            conn.execute(
                select(Towary.c.Twr_TwrId).where(Towary.c.Twr_Typ == 1).order_by(Towary.c.Twr_TwrId)
            ).scalars()
        )
        for batch in _chunks({"TwC_TwrID": item, "TwC_TwCNumer": PRICE_LIST, "TwC_Typ": 2, "TwC_Waluta": "PLN",
                              "TwC_Wartosc": Decimal(10 + item % 90) + Decimal("0.99")} for item in item_ids):
            conn.execute(TwrCeny.insert(), batch)
        written = 0
        for batch in _chunks(_snapshots(item_ids, warehouse_ids, snapshots)):
            conn.execute(TwrIlosci.insert(), batch)
            written += len(batch)
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:  # fresh statistics, as a live database would have
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                f'ANALYZE "{PG_SCHEMA}"."TwrIlosci"'
            )
    return written


def record_changes(engine: Engine, changes: int, when: datetime) -> None:
    """``changes`` items move: goods receipts (PZ) saved at ``when``, ``LINES_PER_RECEIPT`` items
    each, and the new stock snapshots they leave behind."""
    with engine.begin() as conn:
        magazyn = conn.execute(
            select(Magazyny.c.Mag_MagId).where(Magazyny.c.Mag_Symbol == WAREHOUSES[0])
        ).scalar_one()
        moved = list(
            conn.execute(
                select(Towary.c.Twr_TwrId)
                .where(Towary.c.Twr_Typ == 1)
                .order_by(Towary.c.Twr_TwrId)
                .limit(changes)
            ).scalars()
        )
        day = datetime.combine(when.date(), datetime.min.time())
        for r in range(0, len(moved), LINES_PER_RECEIPT):
            dated = {
                "TrN_DataDok": day,
                "TrN_DataWys": day,
                "TrN_DataOpe": day,
                "TrN_DataKur": day,
                "TrN_Termin": day,
            }
            receipt = conn.execute(
                TraNag.insert().values(
                    TrN_TypDokumentu=307,
                    TrN_Rodzaj=307000,
                    TrN_NumerString="PZ/@numerS/2026",
                    TrN_NumerNr=r + 1,
                    TrN_MagDocId=magazyn,
                    TrN_TS_Zal=when,
                    TrN_TS_Mod=when,
                    **dated,
                )
            ).inserted_primary_key[0]
            conn.execute(
                TraElem.insert(),
                [
                    {
                        "TrE_TrNId": receipt,
                        "TrE_Lp": lp,
                        "TrE_TypDokumentu": 307,
                        "TrE_TwrId": item,
                        "TrE_MagId": magazyn,
                        "TrE_Ilosc": Decimal(10),
                        "TrE_DataDok": day,
                        "TrE_DataOpe": day,
                    }
                    for lp, item in enumerate(moved[r : r + LINES_PER_RECEIPT], start=1)
                ],
            )
        conn.execute(
            TwrIlosci.insert(),
            [
                {
                    "TwI_TwrId": item,
                    "TwI_MagId": magazyn,
                    "TwI_Data": day,
                    "TwI_Ilosc": Decimal(500),
                    "TwI_Rezerwacje": Decimal(0),
                    "TwI_Wartosc": Decimal(5000),
                }
                for item in moved
            ],
        )


def _timed_runs(runs: int, read: Callable[[], int]) -> tuple[list[float], int]:
    times, rows = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        rows = read()
        times.append((time.perf_counter() - started) * 1000)
    return times, rows


def bench_stock(engine: Engine, backend: str, items: int, snapshots: int, runs: int) -> StockBenchRow:
    started = time.perf_counter()
    written = build_company(engine, items, snapshots)
    build_seconds = time.perf_counter() - started
    reader = SqlOptimaReader(engine, OptimaSettings(warehouse=WAREHOUSES[0]), clock=lambda: NOW)
    full, full_rows = _timed_runs(runs, lambda: len(reader.stock_levels()))
    if full_rows != items:
        raise RuntimeError(f"the stock read returned {full_rows} items, not {items}")
    since = NOW - timedelta(minutes=5)
    record_changes(engine, CHANGES, NOW - timedelta(minutes=1))

    def incremental() -> int:
        codes, _stamp = reader.stock_changes(since)
        return len(reader.stock_levels(codes))

    partial, partial_rows = _timed_runs(max(runs, 5), incremental)
    if partial_rows != min(CHANGES, items):
        raise RuntimeError(f"the incremental read returned {partial_rows} items, not {min(CHANGES, items)}")
    prices = _price_compare_runs(engine, items, max(runs, 5))
    return StockBenchRow(
        backend,
        items,
        written,
        build_seconds,
        percentile(full, 50),
        percentile(full, 95),
        full_rows,
        percentile(partial, 50),
        percentile(partial, 95),
        partial_rows,
        percentile(prices, 50),
        percentile(prices, 95),
    )


def _price_compare_runs(engine: Engine, items: int, runs: int) -> list[float]:
    """Milliseconds of ``publish_changes`` finding nothing changed (the shop is never asked: it
    was last brought to exactly this list, which is noted first as a complete publish does)."""
    prices = OptimaPriceList(engine, PRICE_LIST)
    publisher = CataloguePublisher(ShopClient(ShopSettings(url="http://127.0.0.1:9")), prices, lambda codes: {},
                                   ShopSettings().tax_classes, PublishSettings(price_list=PRICE_LIST))
    listed = prices.items()
    if len(listed) != items:
        raise RuntimeError(f"the price list read returned {len(listed)} items, not {items}")
    publisher._remember(listed, prices.fingerprints(), set(), complete=True)  # as after the full pass
    times, _ = _timed_runs(runs, lambda: len(publisher.publish_changes().changes))
    return times


def _postgres_engine(url: str) -> Engine:
    """An engine whose CDN tables live in the bench's own schema, emptied first."""
    engine = optima_engine(url).execution_options(schema_translate_map={CDN_SCHEMA: PG_SCHEMA})
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{PG_SCHEMA}"'))
    return engine


def bench_stock_reads(items: int = 50_000, snapshots: int = 10, runs: int = 5) -> list[StockBenchRow]:
    """SQLite always; PostgreSQL when ``LINKOPTIMA_TEST_PG_URL`` is set."""
    results = []
    with tempfile.TemporaryDirectory(prefix="linkoptima-bench-optima-") as tmp:
        engine = optima_engine(f"sqlite:///{Path(tmp) / 'optima.sqlite'}")
        try:
            results.append(bench_stock(engine, "SQLite", items, snapshots, runs))
        finally:
            engine.dispose()
    url = os.environ.get("LINKOPTIMA_TEST_PG_URL", "")
    if url:
        engine = _postgres_engine(url)
        try:
            results.append(bench_stock(engine, "PostgreSQL", items, snapshots, runs))
        finally:
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE'))
            engine.dispose()
    return results


def table_rows(results: list[StockBenchRow]) -> list[Row]:
    """(area, measure, result, detail) rows in the shape the ``make bench`` table prints."""
    rows: list[Row] = []
    for r in results:
        size = f"{r.items:,} items x {len(WAREHOUSES)} warehouses, {r.snapshot_rows:,} snapshots"
        rows.append(("optima", f"{r.backend}: build {size}", f"{r.build_seconds:.1f} s", ""))
        rows.append(
            (
                "optima",
                f"{r.backend}: whole-catalogue stock read ({r.full_rows:,} rows)",
                f"p50 {r.full_p50_ms:.0f} ms",
                f"p95 {r.full_p95_ms:.0f} ms",
            )
        )
        rows.append(
            (
                "optima",
                f"{r.backend}: incremental read after {CHANGES} changes ({r.incremental_rows} rows)",
                f"p50 {r.incremental_p50_ms:.1f} ms",
                f"p95 {r.incremental_p95_ms:.1f} ms",
            )
        )
        rows.append(("optima", f"{r.backend}: price list read and compared, nothing changed (every pass)",
                     f"p50 {r.prices_p50_ms:.0f} ms", f"p95 {r.prices_p95_ms:.0f} ms"))
    return rows


def stock_rows() -> list[Row]:
    """What the ``make bench`` table gets from here: the default-sized company on every backend here."""
    print("… Optima stock reads (50,000 items x 3 warehouses)", flush=True)
    return table_rows(bench_stock_reads())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="LinkOptima benchmark: Optima stock reads")
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument(
        "--snapshots", type=int, default=10, help="dated TwrIlosci rows per item and warehouse"
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    print_table(table_rows(bench_stock_reads(args.items, args.snapshots, args.runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
