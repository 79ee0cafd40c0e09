"""The Pulpit's benchmark for ``make bench``: all its figures in a big shop.

    python -m linkoptima_gui.bench.dashboard [--orders 50000] [--items 50000]

The store gets ``--orders`` orders of history (``gui_seed``: two years, every stage) and an
audit log of ten rows per order with the exceptions among them; the simulated Optima gets
``--items`` item cards with their stock, 30 days of sales (WZ and counter sales over a few
thousand of the items, as a shop with that catalogue sells) and open receivables, all written
in bulk (today's settlements are read through their index, none are seeded). Then ``Dashboard.figures`` is timed, as the screen calls it,
off any GUI thread (goal <= 300 ms): the first read takes every day of the windows from the
store, the later ones only today's (the days that are over are kept), so the first is reported
on its own too.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select

from ..core.dashboard.optima_figures import OptimaFigures
from ..core.dashboard.service import Dashboard
from ..core.optima.schema import (
    BnkZdarzenia,
    Magazyny,
    Towary,
    TraElem,
    TraNag,
    TwrIlosci,
    create_schema,
    optima_engine,
)
from ..core.store.db import open_store, sqlite_url
from ..core.store.models import AuditEvent, OrderRow
from .common import Row, percentile, print_table
from .gui_seed import seed_store

SALE_DAYS = 30
DOCUMENTS_PER_DAY = 80
BATCH = 5000


def _bulk(conn, table, rows) -> None:  # noqa: ANN001 - Core table, list of dicts
    for i in range(0, len(rows), BATCH):
        conn.execute(insert(table), rows[i:i + BATCH])


def seed_optima(url: str, items: int, seed: int = 3) -> None:
    """A company with ``items`` cards, their stock, 30 days of sales, dues and settlements."""
    rng = random.Random(seed)
    engine = optima_engine(url)
    create_schema(engine)
    now = datetime.now().replace(microsecond=0)
    today = datetime.combine(now.date(), datetime.min.time())
    with engine.begin() as conn:
        mag = conn.execute(insert(Magazyny).values(Mag_Symbol="MAGAZYN", Mag_Nazwa="Magazyn", Mag_Typ=1,
                                                   Mag_TS_Zal=now, Mag_TS_Mod=now)).inserted_primary_key[0]
        _bulk(conn, Towary, [{"Twr_TwrId": n, "Twr_Typ": 1, "Twr_Kod": f"T{n:06d}", "Twr_Nazwa": f"Towar {n}",
                              "Twr_EAN": f"{n:013d}", "Twr_JM": "szt.", "Twr_TwGGIDNumer": n % 12,
                              "Twr_TS_Zal": now, "Twr_TS_Mod": now} for n in range(1, items + 1)])
        _bulk(conn, TwrIlosci, [{"TwI_TwrId": n, "TwI_MagId": mag, "TwI_Data": today - timedelta(days=60),
                                 "TwI_Ilosc": Decimal(rng.randint(0, 300)), "TwI_Wartosc": Decimal(100)}
                                for n in range(1, items + 1)])
        selling = rng.sample(range(1, items + 1), min(items, 4000))
        headers, lines, dues = [], [], []
        doc = 0
        for back in range(SALE_DAYS + 5):
            day = today - timedelta(days=back)
            for _ in range(DOCUMENTS_PER_DAY):
                doc += 1
                typ = 305 if doc % 10 == 0 else 306
                headers.append({"TrN_TrNID": doc, "TrN_TypDokumentu": typ, "TrN_Rodzaj": typ * 1000,
                                "TrN_NumerString": f"D/@numerS/{day:%Y%m%d}", "TrN_NumerNr": doc, "TrN_Bufor": 0,
                                "TrN_DataDok": day, "TrN_DataWys": day, "TrN_DataOpe": day, "TrN_DataKur": day,
                                "TrN_Termin": day, "TrN_NumerObcy": str(300_000 + doc), "TrN_TS_Zal": now,
                                "TrN_TS_Mod": now, "TrN_ImportRowId": f"B{doc:035d}"})
                for lp in range(1, 3):
                    lines.append({"TrE_TrNId": doc, "TrE_Lp": lp, "TrE_TypDokumentu": typ, "TrE_Aktywny": 1,
                                  "TrE_DataDok": day, "TrE_DataOpe": day, "TrE_TwrId": rng.choice(selling),
                                  "TrE_TwrTyp": 1, "TrE_Ilosc": Decimal(rng.randint(1, 3))})
                if back < 10 and doc % 3 == 0:
                    dues.append({"BZd_BZdID": doc, "BZd_DokumentTyp": 1, "BZd_DokumentID": doc,
                                 "BZd_NumerPelny": f"FA/{doc}", "BZd_NumerObcy": str(300_000 + doc),
                                 "BZd_PodmiotTyp": 1, "BZd_PodmiotID": 1, "BZd_DataDok": day, "BZd_Termin": day,
                                 "BZd_DataReal": day, "BZd_Kwota": Decimal("120.00"), "BZd_KwotaSys": Decimal("120.00"),
                                 "BZd_Waluta": "PLN", "BZd_WalutaDok": "PLN", "BZd_DataKur": day, "BZd_Kierunek": 1,
                                 "BZd_Rozliczono": 2 if back == 0 else 1, "BZd_Rozliczono2": 1,
                                 "BZd_ImportRowId": f"Z{doc:035d}", "BZd_TS_Zal": now, "BZd_TS_Mod": now})
        _bulk(conn, TraNag, headers)
        _bulk(conn, TraElem, lines)
        _bulk(conn, BnkZdarzenia, dues)
    engine.dispose()


def seed_audit(url: str, per_order: int = 10, seed: int = 5) -> int:
    """An audit log as long as a shop of that size has (exceptions among it)."""
    rng = random.Random(seed)
    sessions = open_store(url)
    engine = sessions.kw["bind"]
    with engine.begin() as conn:
        orders = conn.execute(select(OrderRow.id, OrderRow.created_at)).all()
        rows = []
        for order_id, at in orders:
            for n in range(per_order):
                failed = rng.random() < 0.01
                rows.append({"order_id": order_id, "at": at + timedelta(minutes=n), "step": "fa",
                             "kind": "step_failed" if failed else "step_done", "actor": "engine",
                             "message": "", "details": {"code": rng.choice(("unknown_sku", "invalid_nip"))} if failed else {},
                             "station": ""})
        _bulk(conn, AuditEvent, rows)
    engine.dispose()
    return len(rows)


def bench_dashboard(orders: int = 50_000, items: int = 50_000, rounds: int = 7) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="linkoptima-bench-pulpit-") as tmp:
        store_url, optima_url = sqlite_url(Path(tmp) / "console.sqlite"), sqlite_url(Path(tmp) / "optima.sqlite")
        started = time.perf_counter()
        seed_store(store_url, orders)
        audit = seed_audit(store_url)
        seed_optima(optima_url, items)
        seeding = time.perf_counter() - started
        sessions = open_store(store_url)
        optima = OptimaFigures(optima_engine(optima_url))
        dashboard = Dashboard(sessions, optima, clock=lambda: datetime.now(UTC).astimezone())
        times, figures = [], None
        for n in range(rounds):
            started = time.perf_counter()
            figures = dashboard.figures(1 if n % 2 else 30)  # the first: every day of every window
            times.append((time.perf_counter() - started) * 1000)
        sessions.kw["bind"].dispose()
        optima.engine.dispose()
    assert figures is not None
    return {"orders": orders, "items": items, "audit": audit, "p50_ms": percentile(times, 50),
            "max_ms": max(times), "first_ms": times[0], "store_ms": figures.timings["store_ms"], "selling": figures.stock.items_selling,
            "seed_s": seeding}


def table_rows(orders: int = 50_000, items: int = 50_000) -> list[Row]:
    r = bench_dashboard(orders, items)
    return [("pulpit", f"all figures, {r['orders']:,} orders / {r['items']:,} items in Optima",
             f"p50 {r['p50_ms']:.0f} ms", f"first {r.get('first_ms', r['max_ms']):.0f} ms, max {r['max_ms']:.0f} ms, "
             f"store {r['store_ms']:.0f} ms, "
             f"{r['selling']:,} items selling, {r['audit']:,} audit rows; goal <= 300 ms")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="LinkOptima Pulpit benchmark")
    parser.add_argument("--orders", type=int, default=50_000)
    parser.add_argument("--items", type=int, default=50_000)
    options = parser.parse_args(argv)
    print_table(table_rows(options.orders, options.items))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
