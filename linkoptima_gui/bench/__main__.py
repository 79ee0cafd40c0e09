"""``make bench``: how fast the whole chain runs, printed as one table.

    python -m linkoptima_gui.bench [--orders 1000] [--presses 200]

Each part measures in a fresh demo world or a generated database of its own, in this order:

- ``world``: the pipeline of N orders (default 1,000) placed at once, the packing button with a
  ``zpl://`` printer on loopback, invoice PDFs from the books;
- ``returns``: a fifth of the packed orders refunded in the shop: corrections, money back, e-mails;
- ``carriers``: the packing button with each carrier's labels (built-in, InPost, Furgonetka, DPD),
  bought from its emulator beforehand;
- ``documents``: invoice PDFs by size and invoice e-mails to a loopback SMTP sink;
- ``stock``: from a delivery or counter sale in Optima to the new quantity in the shop, at the
  default stock interval;
- ``optima``: stock and price-list reads of a large company;
- ``woo``: intake of many orders and a large stock push through the real shop client;
- ``stock_floor``: the stock pass beside the best a bare client gets from the same shop (a paced
  emulator in its own process, or the shop of ``make contract``'s variables);
- ``gui``: the console's start, GUI stalls and memory with a big store;
- ``dashboard``: the Pulpit's figures with 50,000 orders in the store and 50,000 items in Optima;
- ``stations``: on PostgreSQL, the engine's failover after kill -9, packing with 1 and 3
  stations, and a change reaching another console.

Measurements, not assertions: the tests check correctness, this shows speed.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ..demo.world import DemoWorld
from .carriers import table_rows as carrier_table_rows
from .common import print_table
from .dashboard import table_rows as dashboard_table_rows
from .documents import bench_emails, bench_invoice_pdfs
from .documents import table_rows as document_table_rows
from .gui import table_rows as gui_table_rows
from .optima import stock_rows as optima_stock_rows
from .returns import bench_returns
from .returns import table_rows as returns_table_rows
from .stations import table_rows as station_table_rows
from .stock import bench_stock_latency
from .stock import table_row as stock_table_row
from .stock_floor import table_rows as floor_table_rows
from .woo import table_rows as woo_table_rows
from .world import bench_invoices, bench_packing, bench_pipeline

T = TypeVar("T")


def _timed(label: str, fn: Callable[[], T]) -> T:
    print(f"… {label}", flush=True)
    return fn()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m linkoptima_gui.bench", description="LinkOptima benchmarks")
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--presses", type=int, default=200)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="linkoptima-bench-") as tmp, DemoWorld(Path(tmp) / "world", undo_seconds=0) as world:
        pipe = _timed(f"pipeline: {args.orders} orders", lambda: bench_pipeline(world, args.orders))
        pack = _timed("packing: button -> zpl:// printer", lambda: bench_packing(world, args.presses))
        docs = _timed("invoice PDFs", lambda: bench_invoices(world))
        returns = _timed("returns: refunds -> corrections", lambda: bench_returns(world))
    pdf_rows = _timed("invoice PDFs by size", bench_invoice_pdfs)
    mail_row = _timed("invoice e-mails to loopback SMTP", bench_emails)
    with tempfile.TemporaryDirectory(prefix="linkoptima-bench-stock-") as tmp:
        stock = _timed("stock sync: Optima -> shop", lambda: bench_stock_latency(Path(tmp) / "world"))
    rows = [
        ("pipeline", f"{pipe['orders']} orders placed at once", f"{pipe['orders'] / pipe['seconds']:.1f} orders/s",
         f"{pipe['seconds']:.1f} s total"),
        ("pipeline", f"paid seen -> ready to pack ({pipe['ready']} orders)", f"p50 {pipe['p50']:.2f} s",
         f"p95 {pipe['p95']:.2f} s"),
        ("pipeline", "peak memory of the engine process", f"{pipe['peak_mb']:.0f} MB", "RSS"),
        ("packing", f"press -> label at zpl:// ({pack['presses']} presses)", f"p50 {pack['p50']:.1f} ms",
         f"p95 {pack['p95']:.1f} ms"),
        *_timed("packing per carrier: button -> zpl:// printer", carrier_table_rows),
        *returns_table_rows(returns),
        ("documents", f"invoice PDF from the books ({docs['invoices']})", f"{docs['per_second']:.1f} PDFs/s", ""),
        *document_table_rows(pdf_rows, mail_row),
        stock_table_row(stock),
        *optima_stock_rows(),
        *woo_table_rows(),
        *_timed("stock pass beside the shop's floor", floor_table_rows),
        *_timed("console: 50,000 orders", gui_table_rows),
        *_timed("Pulpit: 50,000 orders / 50,000 items", dashboard_table_rows),
        *station_table_rows(),
    ]
    print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
