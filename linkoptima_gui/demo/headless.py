"""``linkoptima demo-run``: the whole chain, headless, counted from the outside systems.

Creates (or continues) the world, has the shop place N orders in total, runs the engine until
each order is ready to pack, waiting for payment or an exception, packs every ready parcel
through the same service as the packing button, and counts what the shop, Optima, the SMTP
sink, the carrier and the printer hold. Safe to kill at any moment and rerun on the same folder.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from decimal import Decimal
from email import message_from_bytes
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from ..core.config.app_settings import AppSettings
from ..core.domain.steps import Stage
from ..core.optima.schema import BnkZapisy, TraNag
from ..core.store.models import RefundRow
from ..core.store.queries import ready_to_pack
from ..core.woo.settings import ShopSettings
from .rest_customers import is_demo_order
from .returns import return_some
from .world import DemoWorld


def demo_run(folder: Path, orders: int, *, seed: int = 1, printer_url: str = "", store_url: str = "",
             ksef_delay: float = 3.0, carrier: str = "mixed", max_seconds: float = 1800,
             shop: ShopSettings | None = None, station: str = "demo-run", returns: float = 0.0) -> dict:
    """``shop``: a real WooCommerce instead of the emulator (the counts are of the demo's orders);
    ``returns``: the percent of packed orders the buyers send back (refunded in the shop)."""
    started = time.monotonic()
    with DemoWorld(folder, seed=seed, printer_url=printer_url, store_url=store_url, undo_seconds=0,
                   ksef_delay=ksef_delay, settings=AppSettings(carrier=carrier), shop=shop,
                   station=station) as world:
        while world.customers.orders_placed() < orders:
            world.customers.place_order()
        printer = world.printer()
        deadline = time.monotonic() + max_seconds
        # the engine runs here, in this thread, as the store's active engine (a run cut off by a
        # crash left its lease behind: its process is gone, so it is taken over at once)
        with world.supervisor.holding(wait_seconds=3 * world.lease_timeout):
            while time.monotonic() < deadline:
                asyncio.run(world.engine.run_until_idle(max(1.0, deadline - time.monotonic())))
                with world.sessions() as session:
                    ready = ready_to_pack(session, limit=100_000)
                if not ready:
                    break
                for order_id in ready:
                    world.packing.pack(order_id, printer, station=station, operator=station)
            if returns > 0:
                return_some(world.services.shop, _demo_orders(world), returns, seed)
                asyncio.run(world.engine.run_until_idle(max(1.0, deadline - time.monotonic())))
            counts = count_outside(world)
            if world.engine.stock is not None:  # the shop's quantities against the formula, repaired
                stock = world.engine.stock.run_pass(full=True)
                counts["stock_checked"], counts["stock_corrected"] = stock.checked, stock.changed
    counts["seconds"] = round(time.monotonic() - started, 2)
    return counts


def count_outside(world: DemoWorld) -> dict[str, Any]:
    """The JSON line's figures, from the shop, Optima, the mail folder, carrier and printer."""
    shop_orders = _demo_orders(world)
    statuses = Counter(o["status"] for o in shop_orders)
    awaiting = sum(1 for o in shop_orders if o["status"] in ("on-hold", "pending") and o["payment_method"] == "bacs")
    packed = statuses.get("completed", 0) + statuses.get("refunded", 0)
    docs = world.services.optima_reader.count_documents()
    mails = [message_from_bytes(p.read_bytes()) for p in sorted((world.folder / "mail").glob("*.eml"))]
    mail_per_invoice = Counter(str(m.get("Message-ID", "")) for m in mails)
    carrier = world.count_shipments()
    printed = Counter(_label_order(p) for p in _printed_labels(world))
    duplicates = (
        docs["fa_duplicates"] + docs["wz_duplicates"] + docs["kp_duplicates"]
        + sum(n - 1 for n in mail_per_invoice.values() if n > 1)
        + carrier["duplicates"]
        + sum(n - 1 for n in printed.values() if n > 1)
    )
    returns = count_returns(world, mails)
    return {
        "orders": len(shop_orders),
        "packed": packed,
        "awaiting_payment": awaiting,
        "exceptions": len(shop_orders) - packed - awaiting,
        "fa": docs["fa"],
        "wz": docs["wz"],
        "kp": docs["kp"],
        "emails": len(mails),
        "labels": carrier["total"],
        "printed": sum(printed.values()),
        "duplicates": duplicates + returns.pop("return_duplicates"),
        **returns,
    }


def count_returns(world: DemoWorld, mails: list[Any]) -> dict[str, Any]:
    """Corrections booked in Optima for the shop's refunds, their e-mails and the goods back."""
    with world.sessions() as session:
        refunds = session.scalars(select(RefundRow)).all()
        booked = [c for r in refunds for c in r.corrections or []]
        returned = sum((Decimal(q) for r in refunds for q in (r.returned_items or {}).values()), Decimal(0))
    payouts = {n.strip() for r in refunds for n in r.payout_number.split(",") if n.strip()}
    numbers = {c["number"] for c in booked}
    emailed = Counter(n for m in mails for n in numbers if n in str(m.get("Subject", "")))
    with world.optima_engine.connect() as conn:  # what Optima holds, duplicates included
        per_key = conn.execute(select(TraNag.c.TrN_NumerObcy, func.count()).where(TraNag.c.TrN_Korekta == 1,
                                                                                  TraNag.c.TrN_TypDokumentu == 302)
                               .group_by(TraNag.c.TrN_NumerObcy)).all()
        paid_out = conn.execute(select(func.count()).select_from(BnkZapisy).where(BnkZapisy.c.BZp_Kierunek == -1)).scalar_one()
    duplicates = (sum(n - 1 for _, n in per_key) + max(0, paid_out - len(payouts))
                  + sum(n - 1 for n in emailed.values()))
    return {"refunds": len(refunds), "corrections": sum(n for _, n in per_key), "corrections_emailed": len(emailed),
            "returned_items": int(returned), "payouts": paid_out, "return_duplicates": duplicates}


def _demo_orders(world: DemoWorld) -> list[dict[str, Any]]:
    """The demo's orders as the shop has them (a real shop has orders of its own)."""
    return [order for order in world.services.shop.orders_modified_after(None)
            if world.shop is not None or is_demo_order(order)]


def _printed_labels(world: DemoWorld) -> list[Path]:
    folder = Path(world.printer_url.removeprefix("file://")) if world.printer_url.startswith("file:") else None
    if folder is None or not folder.exists():
        return []
    return [p for p in folder.iterdir() if p.is_file() and p.name.startswith("etykieta-") and not p.name.endswith(".tmp")]


def _label_order(path: Path) -> str:
    """``etykieta-<number>-<token>.pdf`` -> the order number."""
    return path.stem.removeprefix("etykieta-").rsplit("-", 1)[0]


__all__ = ["Stage", "count_outside", "demo_run"]
