"""The emulated shop's whole state in one SQLite file, ``<folder>/shop.sqlite``.

Why this shape: every write runs in one ``BEGIN IMMEDIATE`` transaction on a WAL journal, so a
``kill -9`` at any moment and a restart on the same folder lose nothing that was committed and
never leave half an order (synchronous=NORMAL is enough for a killed process; only a power cut
could lose the last commits, never corrupt the file). One connection guarded by a re-entrant
lock makes the store safe for the threaded HTTP server; ``transaction()`` nests, which lets the
customer simulator place an order and its own bookkeeping in a single commit. Other processes
may open the same file: SQLite's locking (with a busy timeout) keeps them apart.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from . import lifecycle, orders, products, variations
from .common import ApiError, date_fields, utc_now
from .refund_store import REFUND_SCHEMA, RefundStore
from .tables import SCHEMA, ListQuery, ShopTables, select_page

Doc = dict[str, Any]


class ShopStore(RefundStore):
    """Persistent state of one emulated shop; every public method is one transaction.

    Documents come back in their API form, links built on ``base_url`` (the emulator sets it
    to its own URL when it starts). ``clock`` gives the shop's time as naive UTC.
    """

    def __init__(
        self, folder: Path, clock: Callable[[], datetime] | None = None, *, catalogue: bool = True
    ) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / "shop.sqlite"
        self.base_url = "http://127.0.0.1"
        self._clock = clock or utc_now
        self._lock = threading.RLock()
        self._depth = 0
        self._tables: ShopTables | None = None
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        with self.transaction() as db:
            for statement in SCHEMA + REFUND_SCHEMA:
                db.execute(statement)
            if self.setting("consumer_key") is None:
                self._initialise(catalogue)

    def _initialise(self, catalogue: bool) -> None:
        """A fresh shop: API keys (generated once, kept here), the demo catalogue, one coupon,
        then the variable products (last, so the simple products keep their ids). Without
        ``catalogue`` the shop starts empty (a shop the console publishes its catalogue to)."""
        self.set_setting("consumer_key", "ck_" + secrets.token_hex(20))
        self.set_setting("consumer_secret", "cs_" + secrets.token_hex(20))
        if not catalogue:
            return
        for payload in products.catalogue_payloads():
            self.create_product(payload)
        self.add_coupon("rabat10", "percent", "10")
        for parent, children in variations.catalogue_variables():
            parent_id = self.create_product(parent)["id"]
            for child in children:
                self.create_variation(parent_id, child)

    # --- plumbing ---------------------------------------------------------------------------

    def now(self) -> datetime:
        return self._clock().replace(microsecond=0)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; nested calls join the outer one and commit with it."""
        with self._lock:
            outer = self._depth == 0
            if outer:
                self._db.execute("BEGIN IMMEDIATE")
                self._tables = ShopTables(self._db, self.now())
            self._depth += 1
            try:
                yield self._db
            except BaseException:
                self._depth -= 1
                if outer:
                    self._tables = None
                    self._db.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self._tables = None
                self._db.execute("COMMIT")

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection for reads only, under the store's lock (no write transaction)."""
        with self._lock:
            yield self._db

    @property
    def _tx(self) -> ShopTables:
        assert self._tables is not None, "only inside transaction()"
        return self._tables

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def setting(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))

    @property
    def consumer_key(self) -> str:
        return self.setting("consumer_key") or ""

    @property
    def consumer_secret(self) -> str:
        return self.setting("consumer_secret") or ""

    def _read_doc(self, sql: str, *args: Any) -> Doc | None:
        with self._lock:
            row = self._db.execute(sql, args).fetchone()
        return json.loads(row[0]) if row else None

    # --- orders -----------------------------------------------------------------------------

    def checkout(self, payload: Doc) -> Doc | None:
        """A buyer's order through the shop's checkout. Unlike ``POST orders`` (which takes any
        quantity, woocommerce.md §8), checkout refuses more than a stock-managed product without
        backorders has: the buyer takes what is left, and a cart with nothing left is refused
        (``None``). Checking and taking the stock happen in one transaction."""
        with self.transaction():
            lines = []
            left: dict[int, int] = {}  # per stock holder: variations of one parent may share it
            for line in payload.get("line_items") or []:
                quantity = int(line.get("quantity") or 0)
                holder = self._tx.stock_holder_by_sku(str(line["sku"])) if line.get("sku") else None
                if holder and holder["manage_stock"] and holder["backorders"] == "no":
                    stock = left.setdefault(holder["id"], max(0, int(holder["stock_quantity"] or 0)))
                    quantity = min(quantity, stock)
                    left[holder["id"]] = stock - quantity
                if quantity > 0:
                    lines.append({**line, "quantity": quantity})
            if not lines:
                return None
            return self.create_order({**payload, "line_items": lines}, created_via="checkout")

    def create_order(self, payload: Doc, created_via: str = "rest-api") -> Doc:
        """Create an order as ``POST orders`` does (``created_via="checkout"`` = a buyer's order)."""
        with self.transaction():
            doc = orders.build_order(self._tx, payload, created_via)
            self._tx.save_order(doc)
        return orders.render_order(doc, self.base_url)

    def update_order(self, order_id: int, payload: Doc) -> Doc:
        with self.transaction():
            current = self._tx.order(order_id, missing_status=400)
            doc = lifecycle.update_order(self._tx, current, payload)
            if doc["status"] == "refunded" and current["status"] != "refunded":
                self.refund_remainder(doc)  # WooCommerce's wc_order_fully_refunded
            self._tx.save_order(doc)
        return orders.render_order(doc, self.base_url)

    def get_order(self, order_id: int) -> Doc | None:
        doc = self._read_doc("SELECT doc FROM orders WHERE id = ?", order_id)
        return orders.render_order(doc, self.base_url) if doc else None

    def delete_order(self, order_id: int, force: bool) -> Doc:
        """``force`` deletes for good (the batch does that); otherwise the order goes to the trash."""
        with self.transaction() as db:
            doc = self._tx.order(order_id)
            if force:
                db.execute("DELETE FROM orders WHERE id = ?", (order_id,))
                db.execute("DELETE FROM notes WHERE order_id = ?", (order_id,))
                db.execute("DELETE FROM refunds WHERE parent_id = ?", (order_id,))
            else:
                doc["status"] = "trash"
                doc.update(date_fields("date_modified", self._tx.now))
                self._tx.save_order(doc)
        return orders.render_order(doc, self.base_url)

    def add_note(
        self, order_id: int, note: str, customer_note: bool = False, added_by_user: bool = False
    ) -> Doc:
        """A note on an order; like WooCommerce, adding one does not change the order itself."""
        with self.transaction():
            if not self._read_doc("SELECT doc FROM orders WHERE id = ?", order_id):
                raise ApiError(404, "woocommerce_rest_order_invalid_id", "Invalid order ID.")
            if not str(note or "").strip():
                raise ApiError(400, "woocommerce_rest_missing_note", "Note is required.")
            return self._tx.add_note(order_id, str(note), customer_note, added_by_user)

    def notes(self, order_id: int, kind: str = "any") -> list[Doc]:
        """Notes of an order, newest first; ``kind`` = any | customer | internal."""
        where = {"customer": " AND customer_note = 1", "internal": " AND customer_note = 0"}.get(kind, "")
        with self._lock:
            if not self._db.execute("SELECT 1 FROM orders WHERE id = ?", (order_id,)).fetchone():
                raise ApiError(404, "woocommerce_rest_order_invalid_id", "Invalid order ID.")
            rows = self._db.execute(
                f"SELECT doc FROM notes WHERE order_id = ?{where} ORDER BY id DESC", (order_id,)
            )
            return [json.loads(row[0]) for row in rows.fetchall()]

    def order_totals(self) -> dict[str, int]:
        """Orders per status (the trash aside), for ``reports/orders/totals``."""
        with self._lock:
            rows = self._db.execute("SELECT status, COUNT(*) FROM orders GROUP BY status").fetchall()
        return {str(status): int(count) for status, count in rows}

    def query_orders(self, query: ListQuery) -> tuple[list[Doc], int]:
        with self._lock:
            docs, total = select_page(self._db, "orders", query)
        return [orders.render_order(doc, self.base_url) for doc in docs], total

    # --- products ---------------------------------------------------------------------------

    def create_product(self, payload: Doc, strict: bool = True) -> Doc:
        """``strict`` = a single request (schema checked); batches pass False, as in WooCommerce."""
        cleaned = products.clean_payload(payload, strict)
        with self.transaction():
            if cleaned.get("sku") and self._tx.sku_taken(cleaned["sku"]):
                raise ApiError(400, "product_invalid_sku", "Invalid or duplicated SKU.", resource_id=0)
            doc = products.new_product(self._tx.next_id("post"), cleaned, self._tx.now)
            self._tx.save_product(doc)
        return products.render_product(doc, self.base_url)

    def update_product(self, product_id: Any, payload: Doc, strict: bool = True) -> Doc:
        """Update by id; an unknown (or missing) id is WooCommerce's 400 "Invalid ID."."""
        with self.transaction():
            current = self._tx.product(int(product_id)) if str(product_id or "").isdigit() else None
            if current is None:
                raise products.invalid_id(400)
            cleaned = products.clean_payload(payload, strict)
            sku = cleaned.get("sku")
            if sku and sku != current["sku"] and self._tx.sku_taken(sku):
                raise ApiError(
                    400, "product_invalid_sku", "Invalid or duplicated SKU.", resource_id=current["id"]
                )
            doc = products.update_product(
                current, cleaned, self._tx.now, lambda: self._tx.next_id("post_meta")
            )
            self._tx.save_product(doc)
            if doc["type"] == "variable":
                self._tx.sync_parent(doc["id"])
                doc = self._tx.product(doc["id"]) or doc
        return products.render_product(doc, self.base_url)

    def get_product(self, product_id: int) -> Doc | None:
        doc = self._read_doc("SELECT doc FROM products WHERE id = ?", product_id)
        return products.render_product(doc, self.base_url) if doc else None

    def product_by_sku(self, sku: str) -> Doc | None:
        doc = self._read_doc("SELECT doc FROM products WHERE sku = ? AND sku <> ''", sku)
        return products.render_product(doc, self.base_url) if doc else None

    def delete_product(self, product_id: Any, force: bool) -> Doc:
        with self.transaction() as db:
            doc = self._tx.product(int(product_id)) if str(product_id or "").isdigit() else None
            if doc is None:
                raise products.invalid_id(404 if force else 400)
            if force:
                db.execute("DELETE FROM products WHERE id = ?", (doc["id"],))
                db.execute("DELETE FROM variations WHERE parent_id = ?", (doc["id"],))
            else:
                doc["status"] = "trash"
                self._tx.save_product(doc)
        return products.render_product(doc, self.base_url)

    def query_products(self, query: ListQuery) -> tuple[list[Doc], int]:
        """``GET products``. Filtered by ``sku``, the real shop searches variations too (the
        query's post types become product and product_variation), so the list can hold both."""
        if query.skus:
            return self._products_and_variations_by_sku(query)
        with self._lock:
            docs, total = select_page(self._db, "products", query)
        return [products.render_product(doc, self.base_url) for doc in docs], total

    def _products_and_variations_by_sku(self, query: ListQuery) -> tuple[list[Doc], int]:
        everything = replace(query, page=1, offset=0, per_page=1_000_000, orderby="id")
        with self._lock:
            found, _ = select_page(self._db, "products", everything)
            shown = [(doc["id"], products.render_product(doc, self.base_url)) for doc in found]
            found, _ = select_page(self._db, "variations", everything)
            for doc in found:  # the products route shows a variation with its type (a subset of fields here)
                parent = self._read_doc("SELECT doc FROM products WHERE id = ?", doc["parent_id"])
                shown.append((doc["id"], {"type": "variation", **variations.render_variation(doc, parent, self.base_url)}))
        shown.sort(key=lambda pair: pair[0], reverse=query.descending)
        start = query.offset if query.offset is not None else (query.page - 1) * query.per_page
        return [doc for _, doc in shown[start:start + query.per_page]], len(shown)

    # --- variations ---------------------------------------------------------------------------

    def _parent(self, parent_id: Any) -> Doc:
        parent = self._tx.product(int(parent_id)) if str(parent_id or "").isdigit() else None
        if parent is None:
            raise products.invalid_id(404)
        return parent

    def _variation(self, parent_id: int, variation_id: Any, missing_status: int) -> Doc:
        found = self._tx.variation(int(variation_id)) if str(variation_id or "").isdigit() else None
        if found is None or found["parent_id"] != parent_id:
            raise variations.invalid_id(missing_status)
        return found

    def create_variation(self, parent_id: int, payload: Doc, strict: bool = True) -> Doc:
        """``POST products/<parent>/variations``; the SKU must be free among products too."""
        cleaned = variations.clean_variation_payload(payload, strict)
        with self.transaction():
            parent = self._parent(parent_id)
            if cleaned.get("sku") and self._tx.sku_taken(cleaned["sku"]):
                raise ApiError(400, "product_invalid_sku", "Invalid or duplicated SKU.", resource_id=0)
            doc = variations.new_variation(self._tx.next_id("post"), parent, cleaned, self._tx.now)
            self._tx.save_variation(doc)
        return variations.render_variation(doc, parent, self.base_url)

    def update_variation(self, parent_id: int, variation_id: Any, payload: Doc, strict: bool = True) -> Doc:
        """Update by id under its own parent; anything else is "Invalid ID." (400)."""
        with self.transaction():
            parent = self._parent(parent_id)
            current = self._variation(parent["id"], variation_id, 400)
            cleaned = variations.clean_variation_payload(payload, strict)
            sku = cleaned.get("sku")
            if sku and sku != current["sku"] and self._tx.sku_taken(sku, but=current["id"]):
                raise ApiError(
                    400, "product_invalid_sku", "Invalid or duplicated SKU.", resource_id=current["id"]
                )
            doc = variations.update_variation(
                current, parent, cleaned, self._tx.now, lambda: self._tx.next_id("post_meta")
            )
            self._tx.save_variation(doc)
        return variations.render_variation(doc, parent, self.base_url)

    def get_variation(self, parent_id: int, variation_id: int) -> Doc:
        parent = self._stored_product(parent_id)
        doc = self._read_doc("SELECT doc FROM variations WHERE id = ?", variation_id)
        if parent is None:
            raise products.invalid_id(404)
        if doc is None or doc["parent_id"] != parent_id:
            raise variations.invalid_id(404)
        return variations.render_variation(doc, parent, self.base_url)

    def delete_variation(self, parent_id: int, variation_id: Any, force: bool) -> Doc:
        with self.transaction() as db:
            parent = self._parent(parent_id)
            doc = self._variation(parent["id"], variation_id, 404 if force else 400)
            if force:
                db.execute("DELETE FROM variations WHERE id = ?", (doc["id"],))
                self._tx.sync_parent(parent["id"])
            else:
                doc["status"] = "trash"
                self._tx.save_variation(doc)
            parent = self._tx.product(parent["id"]) or parent
        return variations.render_variation(doc, parent, self.base_url)

    def query_variations(self, parent_id: int, query: ListQuery) -> tuple[list[Doc], int]:
        query.parent = parent_id
        with self._lock:
            docs, total = select_page(self._db, "variations", query)
            parent = self._stored_product(parent_id)
        return [variations.render_variation(doc, parent, self.base_url) for doc in docs], total

    def variation_by_sku(self, sku: str) -> Doc | None:
        """A variation by its own SKU, in its API form."""
        doc = self._read_doc("SELECT doc FROM variations WHERE sku = ? AND sku <> ''", sku)
        if doc is None:
            return None
        return variations.render_variation(doc, self._stored_product(doc["parent_id"]), self.base_url)

    def _stored_product(self, product_id: int) -> Doc | None:
        return self._read_doc("SELECT doc FROM products WHERE id = ?", product_id)

    def add_coupon(self, code: str, discount_type: str, amount: str) -> Doc:
        """A coupon orders may name in ``coupon_lines`` (percent | fixed_cart | fixed_product)."""
        with self.transaction():
            doc = {
                "id": self._tx.next_id("post"),
                "code": code.lower(),
                "discount_type": discount_type,
                "amount": amount,
            }
            self._tx.save_coupon(doc)
        return doc
