"""``make bench``: how fast the whole chain runs in the demo world, printed as a table.

    python -m linkoptima_gui.bench [--orders 1000] [--presses 200]

- pipeline: N orders (default 1,000) placed at once in a fresh world, the engine run until
  idle; orders per second, the time from "paid seen" to "ready to pack" (p50 / p95; all orders
  arrive at once, so this includes the time spent queued behind the others) and the peak
  memory of the process;
- packing: the button's service (print + mark packed) with a ``zpl://`` socket printer on
  loopback, p50 / p95 from the press until the printer has received the label bytes;
- documents: invoice PDFs rendered per second from the books (read back from Optima);
- stock: from a delivery or counter sale in Optima to the new quantity in the shop, at the
  default stock interval (bench_stock.py).

Measurements, not assertions: the tests check correctness, this shows speed.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select

from .bench_common import peak_rss_mb, percentile, print_table
from .bench_documents import bench_emails, bench_invoice_pdfs
from .bench_documents import table_rows as document_table_rows
from .bench_gui import table_rows as gui_table_rows
from .bench_optima import stock_rows as optima_stock_rows
from .bench_stock import bench_stock_latency
from .bench_stock import table_row as stock_table_row
from .bench_woo import table_rows as woo_table_rows
from .core.documents.invoice_pdf import render_invoice_pdf
from .core.domain.steps import Step, StepState
from .core.store.models import JobRow, OrderRow
from .core.store.queries import ready_to_pack
from .demo.world import DemoWorld

T = TypeVar("T")


class LoopbackZplPrinter:
    """A raw 9100-style printer on loopback that signals each complete job it receives."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self.jobs_received = 0
        self._cond = threading.Condition()
        threading.Thread(target=self._serve, name="bench-zpl-printer", daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            with conn:
                data = b""
                while chunk := conn.recv(65536):
                    data += chunk
            if b"^XZ" in data:
                with self._cond:
                    self.jobs_received += 1
                    self._cond.notify_all()

    def wait_for(self, count: int, timeout: float = 10.0) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self.jobs_received >= count, timeout)

    def close(self) -> None:
        self._server.close()


def bench_pipeline(world: DemoWorld, orders: int) -> dict[str, float]:
    while world.customers.orders_placed() < orders:
        world.customers.place_order()
    started = time.perf_counter()
    asyncio.run(world.engine.run_until_idle(1800))
    seconds = time.perf_counter() - started
    latencies = []
    with world.sessions() as session:
        seen = dict(session.execute(select(OrderRow.id, OrderRow.paid_seen_at).where(OrderRow.paid_seen_at.is_not(None))).all())
        finished: dict[int, list] = {}
        for order_id, at in session.execute(
            select(JobRow.order_id, JobRow.finished_at)
            .where(JobRow.step.in_([Step.FA.value, Step.WZ.value, Step.LABEL.value]), JobRow.state == StepState.DONE.value)
        ):
            finished.setdefault(order_id, []).append(at)
    for order_id, times in finished.items():
        if len(times) == 3 and order_id in seen:
            latencies.append((max(times) - seen[order_id]).total_seconds())
    return {"orders": orders, "seconds": seconds, "ready": len(latencies),
            "p50": percentile(latencies, 50), "p95": percentile(latencies, 95), "peak_mb": peak_rss_mb()}


def bench_packing(world: DemoWorld, presses: int) -> dict[str, float]:
    printer_sink = LoopbackZplPrinter()
    try:
        world.printer_url = f"zpl://127.0.0.1:{printer_sink.port}"
        printer = world.printer()
        with world.sessions() as session:
            ready = ready_to_pack(session, limit=presses)
        times = []
        for n, order_id in enumerate(ready, start=1):
            started = time.perf_counter()
            world.packing.pack(order_id, printer, station="bench", operator="bench")
            if not printer_sink.wait_for(n):
                raise RuntimeError("the loopback printer did not receive the label")
            times.append((time.perf_counter() - started) * 1000)
        return {"presses": len(times), "p50": percentile(times, 50), "p95": percentile(times, 95)}
    finally:
        printer_sink.close()


def bench_invoices(world: DemoWorld, count: int = 100) -> dict[str, float]:
    with world.sessions() as session:
        fa_ids = [i for i in session.scalars(select(OrderRow.fa_id).where(OrderRow.fa_id.is_not(None)).limit(count))]
    reader = world.services.optima_reader
    started = time.perf_counter()
    for fa_id in fa_ids:
        render_invoice_pdf(reader.read_invoice(fa_id))
    seconds = time.perf_counter() - started
    return {"invoices": len(fa_ids), "per_second": len(fa_ids) / seconds if seconds else float("nan")}


def _timed(label: str, fn: Callable[[], T]) -> T:
    print(f"… {label}", flush=True)
    return fn()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="LinkOptima benchmarks (demo world)")
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--presses", type=int, default=200)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="linkoptima-bench-") as tmp, DemoWorld(Path(tmp) / "world", undo_seconds=0) as world:
        pipe = _timed(f"pipeline: {args.orders} orders", lambda: bench_pipeline(world, args.orders))
        pack = _timed("packing: button -> zpl:// printer", lambda: bench_packing(world, args.presses))
        docs = _timed("invoice PDFs", lambda: bench_invoices(world))
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
        ("documents", f"invoice PDF from the books ({docs['invoices']})", f"{docs['per_second']:.1f} PDFs/s", ""),
        *document_table_rows(pdf_rows, mail_row),
        stock_table_row(stock),
        *optima_stock_rows(),
        *woo_table_rows(),
        *_timed("console: 50,000 orders", gui_table_rows),
    ]
    print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
