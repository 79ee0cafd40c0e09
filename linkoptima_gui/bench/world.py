"""The demo world's own measures for ``make bench``: the whole chain, the packing button and
the invoice PDFs, all in one fresh world (``__main__`` opens it and prints the table).

- pipeline: N orders placed at once, the engine run until idle; orders per second, the time
  from "paid seen" to "ready to pack" (p50 / p95; all orders arrive at once, so this includes
  the time spent queued behind the others) and the peak memory of the process;
- packing: the button's service (print + mark packed) with a ``zpl://`` socket printer on
  loopback, p50 / p95 from the press until the printer has received the label bytes;
- documents: invoice PDFs rendered per second from the books (read back from Optima).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time

from sqlalchemy import select

from ..core.documents.invoice_pdf import render_invoice_pdf
from ..core.domain.steps import Step, StepState
from ..core.store.models import JobRow, OrderRow
from ..core.store.queries import ready_to_pack
from ..demo.world import DemoWorld
from .common import peak_rss_mb, percentile


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
