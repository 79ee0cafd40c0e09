"""``make bench``: refunds made in the shop turned into corrections, money back and e-mails.

Runs in the world the pipeline and packing benchmarks leave behind: a share of its packed
orders is refunded through the shop's REST API (``demo.returns``, as the demo buyers do), then
the engine is timed until idle. Counted from Optima (corrections) and the store (what each
refund's steps did), so the rate is of finished work, not of jobs started.
"""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import select

from ..core.domain.steps import REFUND_STEPS, StepState
from ..core.store.models import JobRow, RefundRow
from ..demo.returns import return_some
from ..demo.world import DemoWorld
from .common import percentile


def bench_returns(world: DemoWorld, percent: float = 20.0) -> dict[str, float]:
    asyncio.run(world.engine.run_until_idle(600))  # the packed parcels' shop status (completed) first
    shop_orders = list(world.services.shop.orders_modified_after(None))
    refunded = return_some(world.services.shop, shop_orders, percent, world.seed)
    started = time.perf_counter()
    asyncio.run(world.engine.run_until_idle(1800))
    seconds = time.perf_counter() - started
    with world.sessions() as session:
        corrections = sum(len(r.corrections or []) for r in session.scalars(select(RefundRow)))
        done: dict[int, list] = {}
        for order_id, created, finished in session.execute(
            select(JobRow.order_id, JobRow.created_at, JobRow.finished_at)
            .where(JobRow.step.in_([s.value for s in REFUND_STEPS]), JobRow.state == StepState.DONE.value)
        ):
            done.setdefault(order_id, []).append((created, finished))
    # from the refund's correction job planned (the intake found it) to its last step finished
    latencies = [(max(f for _, f in jobs) - min(c for c, _ in jobs)).total_seconds()
                 for jobs in done.values() if len(jobs) == len(REFUND_STEPS)]
    return {"refunds": len(refunded), "corrections": corrections, "seconds": seconds,
            "p50": percentile(latencies, 50), "p95": percentile(latencies, 95)}


def table_rows(result: dict[str, float]) -> list[tuple[str, str, str, str]]:
    rate = result["corrections"] / result["seconds"] if result["seconds"] else 0.0
    return [
        ("returns", f"{result['refunds']} refunds -> {result['corrections']} corrections, paid back, e-mailed",
         f"{rate:.1f} corrections/s", f"{result['seconds']:.1f} s total"),
        ("returns", "refund found -> correction e-mailed", f"p50 {result['p50']:.2f} s", f"p95 {result['p95']:.2f} s"),
    ]
