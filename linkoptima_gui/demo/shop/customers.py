"""Simulated buyers placing orders straight into the emulator's store (not through HTTP).

What they order comes from ``BuyerPlanner`` (the demo's one stream of orders per seed). Placing an
order, recording it in the ledger and paying the bank transfers that fall due happen in one
transaction of the shop's own database, so a kill -9 never places an order twice or loses one.
"""

from __future__ import annotations

import sqlite3

from ..buyer_plans import (
    LEDGER_SCHEMA,
    UNKNOWN_PREFIX,
    BuyerPlanner,
    make_nip,
    next_buyer,
    orders_placed,
    record_buyer,
    transfer_settled,
    transfers_due,
    unknown_product,
)
from .store import ShopStore

__all__ = ["ShopCustomers", "make_nip"]


class ShopCustomers:
    """The demo's buyers at the emulated shop's checkout."""

    def __init__(self, store: ShopStore, seed: int = 1) -> None:
        self.store = store
        with store.transaction() as db:
            db.execute(LEDGER_SCHEMA)
            stored = store.setting("customers_seed")
            if stored is None:
                store.set_setting("customers_seed", str(seed))
                stored = str(seed)
        self.seed = int(stored)
        self._planner = BuyerPlanner(self.seed)

    def orders_placed(self) -> int:
        with self.store.reading() as db:
            return orders_placed(db)

    def place_order(self) -> int:
        """Place the next buyer's order (and pay the transfers now due); returns its id.

        Buyers go through the shop's checkout, which sells only what is in stock: a buyer whose
        whole cart is sold out goes away (recorded, so the sequence stays reproducible) and the
        next buyer comes."""
        while True:
            with self.store.transaction() as db:
                k = next_buyer(db)
                plan = self._planner.plan(k)
                for line in plan.payload["line_items"]:
                    if line["sku"].startswith(UNKNOWN_PREFIX) and self.store.product_by_sku(line["sku"]) is None:
                        self.store.create_product(unknown_product(line["sku"]))
                order = self.store.checkout(plan.payload)
                record_buyer(db, k, plan, int(order["id"]) if order else 0)
                self._pay_transfers_due(db, k)
            if order is not None:
                return int(order["id"])

    def _pay_transfers_due(self, db: sqlite3.Connection, k: int) -> None:
        """The money of a transfer arrives; the shop owner moves the order to processing
        (date_paid set, no transaction id)."""
        for due_k, order_id in transfers_due(db, k):
            order = self.store.get_order(order_id)
            if order is not None and order["status"] == "on-hold":
                self.store.update_order(order_id, {"status": "processing"})
            transfer_settled(db, due_k)
