"""The demo's buyers at a real WooCommerce shop (``--shop-url``), through its REST API.

The same stream of orders as at the emulator (``BuyerPlanner``), placed with ``POST orders``.
Two things the emulator's checkout does by itself are done here, as a buyer at the real checkout
would meet them:

- stock: the REST API takes any quantity (woocommerce.md §8) while checkout sells only what is
  in stock, so each order first reads its products' stock (``GET products?sku=``, which finds
  variations too) and asks for no more than that; a buyer whose cart is sold out goes away;
- products Optima does not know (the broken orders): created in the shop the first time.

The ledger (what was placed, which transfers are paid) is a SQLite file in the demo world. A
``POST orders`` is not idempotent, so the ledger notes the buyer before sending; after a crash
in between, the shop's newest orders are searched for the buyer's mark (``DEMO_META_KEY``)
before the order is placed again.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from ..core.woo.client import ShopClient
from .buyer_plans import (
    UNKNOWN_PREFIX,
    BuyerPlan,
    BuyerPlanner,
    ledger_seed,
    next_buyer,
    orders_placed,
    record_buyer,
    transfer_settled,
    transfers_due,
    unknown_product,
)
from .sqlite_tx import immediate_transaction

#: order meta naming the demo buyer behind an order ("<seed>:<k>")
DEMO_META_KEY = "_linkoptima_demo_buyer"
#: how many of the shop's newest orders are searched for an order placed before a crash
_RECENT = 50


def demo_mark(order: dict[str, Any]) -> str | None:
    """The demo buyer behind an order in a real shop ("<seed>:<k>"), None for the shop's own."""
    return next((str(m.get("value")) for m in order.get("meta_data") or [] if m.get("key") == DEMO_META_KEY), None)


def is_demo_order(order: dict[str, Any]) -> bool:
    """Whether an order in a real shop was placed by the demo's buyers."""
    return demo_mark(order) is not None


class RestCustomers:
    """The demo's buyers placing orders at a WooCommerce shop over its REST API."""

    def __init__(self, shop: ShopClient, ledger: Path, seed: int = 1) -> None:
        self.shop = shop
        self._db = sqlite3.connect(ledger, isolation_level=None, check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._lock = threading.RLock()
        with self._transaction() as db:
            self.seed = ledger_seed(db, seed)
            db.execute("CREATE TABLE IF NOT EXISTS placing (k INTEGER PRIMARY KEY)")
        self._planner = BuyerPlanner(self.seed)

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return immediate_transaction(self._db, self._lock)

    def orders_placed(self) -> int:
        with self._lock:
            return orders_placed(self._db)

    def close(self) -> None:
        self._db.close()

    def place_order(self) -> int:
        """Place the next buyer's order (and pay the transfers now due); returns its id."""
        with self._lock:
            while True:
                k = next_buyer(self._db)
                plan = self._planner.plan(k)
                order_id = self._placed_before(k)
                if order_id is None:
                    body = self._order_body(plan, k)
                    order_id = 0
                    if body is not None:
                        self._db.execute("INSERT OR IGNORE INTO placing VALUES (?)", (k,))
                        order_id = int(self.shop.create_order(body)["id"])
                with self._transaction() as db:
                    record_buyer(db, k, plan, order_id)
                    db.execute("DELETE FROM placing WHERE k = ?", (k,))
                self._pay_transfers_due(k)
                if order_id:
                    return order_id

    def _placed_before(self, k: int) -> int | None:
        """The id of buyer k's order when a crash came between sending it and noting it."""
        if self._db.execute("SELECT 1 FROM placing WHERE k = ?", (k,)).fetchone() is None:
            return None
        mark = f"{self.seed}:{k}"
        recent = self.shop.read("orders", {"per_page": _RECENT, "orderby": "id", "order": "desc"}).json()
        return next((int(order["id"]) for order in (recent if isinstance(recent, list) else [])
                     if demo_mark(order) == mark), None)

    # -- one order --------------------------------------------------------------------------

    def _order_body(self, plan: BuyerPlan, k: int) -> dict[str, Any] | None:
        """The plan as a ``POST orders`` body, quantities cut to the stock (None: sold out)."""
        wanted = list(plan.payload["line_items"])
        found = self._products_by_sku(sorted({line["sku"] for line in wanted}))
        left: dict[int, int] = {}  # per stock holder: variations of one parent may share it
        lines = []
        for line in wanted:
            product = found.get(line["sku"])
            if product is None:
                raise LookupError(f"Sklep nie ma produktu o SKU {line['sku']}: opublikuj katalog (linkoptima publish).")
            quantity = int(line["quantity"])
            holder = self._stock_holder(product)
            if holder is not None:
                stock = left.setdefault(int(holder["id"]), max(0, int(holder.get("stock_quantity") or 0)))
                quantity = min(quantity, stock)
                left[int(holder["id"])] = stock - quantity
            if quantity > 0:
                lines.append(self._line(product, quantity))
        if not lines:
            return None
        meta = [*plan.payload["meta_data"], {"key": DEMO_META_KEY, "value": f"{self.seed}:{k}"}]
        return {**plan.payload, "line_items": lines, "meta_data": meta}

    def _products_by_sku(self, skus: list[str]) -> dict[str, dict[str, Any]]:
        """The shop's products and variations with these SKUs (products Optima does not know are
        created first, as the demo's broken orders need them)."""
        found = self._read_by_sku(skus)
        missing = [sku for sku in skus if sku.startswith(UNKNOWN_PREFIX) and sku not in found]
        if missing:
            for answer in self.shop.create_products([unknown_product(sku) for sku in missing]):
                if answer.get("error"):
                    raise RuntimeError(f"Sklep nie utworzył produktu spoza katalogu: {answer['error']}")
            found = self._read_by_sku(skus)
        return found

    def _read_by_sku(self, skus: list[str]) -> dict[str, dict[str, Any]]:
        answer = self.shop.read("products", {"sku": ",".join(skus), "per_page": 100}).json()
        return {doc["sku"]: doc for doc in answer if isinstance(doc, dict) and doc.get("sku") in skus}

    def _stock_holder(self, product: dict[str, Any]) -> dict[str, Any] | None:
        """Where the product's stock is kept when checkout would limit it: the product itself,
        its parent ("managed by the parent"), or None when anything may be ordered."""
        holder = product
        if product.get("manage_stock") == "parent":
            holder = self.shop.read(f"products/{int(product['parent_id'])}").json()
        if holder.get("manage_stock") is not True or holder.get("backorders", "no") != "no":
            return None
        return holder

    @staticmethod
    def _line(product: dict[str, Any], quantity: int) -> dict[str, Any]:
        if product.get("type") == "variation":
            return {"product_id": int(product["parent_id"]), "variation_id": int(product["id"]), "quantity": quantity}
        return {"product_id": int(product["id"]), "quantity": quantity}

    def _pay_transfers_due(self, k: int) -> None:
        """The money of a transfer arrives: the shop owner moves the order to processing."""
        for due_k, order_id in transfers_due(self._db, k):
            if self.shop.get_order(order_id).get("status") == "on-hold":
                self.shop.update_order(order_id, {"status": "processing"})
            with self._transaction() as db:
                transfer_settled(db, due_k)
