"""Numbering under concurrency: several writers on one SQLite file, like several processes."""

from __future__ import annotations

import threading
from pathlib import Path

from linkoptima_gui.core.optima.port import DocumentRef
from linkoptima_gui.core.optima.schema import TraNag, optima_engine
from linkoptima_gui.core.optima.simulated import SimulatedOptimaWriter

from . import factories as f
from .conftest import clock, count, rows

THREADS = 6
PER_THREAD = 5


def _run(workers: list[threading.Thread]) -> None:
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
        assert not worker.is_alive()


def test_parallel_writers_get_consecutive_unique_numbers(optima_file: Path, engine, writer) -> None:
    contractor = writer.ensure_contractor(f.company_buyer())
    booked: list[DocumentRef] = []
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def book(thread: int) -> None:
        own_engine = optima_engine(f"sqlite:///{optima_file}")  # its own pool, as another process has
        own = SimulatedOptimaWriter(own_engine, clock=clock)
        start.wait()
        try:
            for i in range(PER_THREAD):
                number = f"{thread + 1}{i:03d}"
                booked.append(own.create_invoice(f.order(number, [f.line("KUB-001", 1)]), contractor))
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            own_engine.dispose()

    _run([threading.Thread(target=book, args=(t,)) for t in range(THREADS)])
    assert errors == []
    total = THREADS * PER_THREAD
    numbers = sorted(int(ref.number.split("/")[1]) for ref in booked)
    assert numbers == list(range(1, total + 1))
    assert len({ref.id for ref in booked}) == total
    assert sorted(r["TrN_NumerNr"] for r in rows(engine, TraNag)) == list(range(1, total + 1))


def test_the_same_order_booked_from_several_threads_gives_one_invoice(
    optima_file: Path, engine, writer
) -> None:
    contractor = writer.ensure_contractor(f.company_buyer())
    order = f.order("5001")
    results: list[DocumentRef] = []
    start = threading.Barrier(THREADS)

    def book() -> None:
        own_engine = optima_engine(f"sqlite:///{optima_file}")
        start.wait()
        results.append(SimulatedOptimaWriter(own_engine, clock=clock).create_invoice(order, contractor))
        own_engine.dispose()

    _run([threading.Thread(target=book) for _ in range(THREADS)])
    assert len(results) == THREADS and len(set(results)) == 1
    assert count(engine, TraNag) == 1
