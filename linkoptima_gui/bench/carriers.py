"""The packing button per carrier for ``make bench``: press -> the label's bytes at a ``zpl://``
printer, with the label bought beforehand from each carrier's emulator (the built-in carrier,
InPost ShipX, Furgonetka, DPD Polska).

    python -m linkoptima_gui.bench.carriers [--orders 60] [--presses 40]

Each carrier gets a fresh demo world whose only carrier it is; the shop's buyers order, the engine
runs until idle (so every label is bought and kept in the store, as the packer finds it), then
the button's service packs the ready parcels one by one to a raw 9100 printer on loopback and the
time until the printer has the whole job is taken. The goal is p95 <= 300 ms: the packer never
waits for a carrier at the press. (DPD refuses the demo's InPost locker codes, so its world packs
only its courier parcels.)
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from sqlalchemy import func, select

from ..core.config.app_settings import AppSettings
from ..core.shipping.catalogue import carrier_title
from ..core.store.documents import LABEL_ZPL
from ..core.store.models import StoredDocument
from ..demo.world import DemoWorld
from .common import Row, print_table
from .world import bench_packing

CARRIERS = ("builtin", "inpost", "furgonetka", "dpd")


def bench_carrier(carrier: str, folder: Path, orders: int = 60, presses: int = 40) -> dict[str, float]:
    """p50 / p95 in ms of ``presses`` presses with ``carrier``'s labels, and their mean ZPL size."""
    with DemoWorld(folder, settings=AppSettings(carrier=carrier), ksef_delay=0, undo_seconds=0) as world:
        while world.customers.orders_placed() < orders:
            world.customers.place_order()
        if not asyncio.run(world.engine.run_until_idle(600)):
            raise RuntimeError(f"the engine did not finish the orders for {carrier}")
        with world.sessions() as session:
            size = session.scalar(select(func.avg(func.length(StoredDocument.content)))
                                  .where(StoredDocument.kind == LABEL_ZPL)) or 0
        measured = bench_packing(world, presses)
    return {**measured, "zpl_bytes": float(size)}


def table_rows(orders: int = 60, presses: int = 40) -> list[Row]:
    rows = []
    for carrier in CARRIERS:
        with tempfile.TemporaryDirectory(prefix=f"linkoptima-bench-{carrier}-") as tmp:
            r = bench_carrier(carrier, Path(tmp) / "world", orders, presses)
        rows.append(("packing", f"press -> label at zpl://, {carrier_title(carrier)} ({r['presses']:.0f} presses)",
                     f"p50 {r['p50']:.1f} ms", f"p95 {r['p95']:.1f} ms, ZPL {r['zpl_bytes'] / 1024:.1f} KB; "
                     "goal p95 <= 300 ms"))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="LinkOptima: the packing button per carrier")
    parser.add_argument("--orders", type=int, default=60)
    parser.add_argument("--presses", type=int, default=40)
    options = parser.parse_args(argv)
    print_table(table_rows(options.orders, options.presses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
