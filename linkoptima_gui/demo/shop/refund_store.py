"""The refunds part of ``ShopStore``: create, read, list and delete, each one transaction.

Kept out of ``store.py`` so that the store stays readable; ``ShopStore`` inherits it. Refunds are
stored in their own table next to the orders (``parent_id`` = the order), with the columns
``select_page`` filters on, and take their ids from the orders' sequence ("posts"), as a
WooCommerce refund is a post (or an orders-table row) of its own. The order's ``refunds`` list
and status live in the order's document, changed in the same transaction.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from . import refunds
from .common import ApiError
from .tables import ListQuery, ShopTables, select_page

Doc = dict[str, Any]
REFUND_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS refunds (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL, "
    "status TEXT NOT NULL, created_gmt TEXT NOT NULL, modified_gmt TEXT NOT NULL, doc TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS refunds_parent ON refunds (parent_id, id)",
    "CREATE INDEX IF NOT EXISTS refunds_created ON refunds (created_gmt, id)",
)
#: the shop setting naming the payment methods whose gateway cannot refund (comma-separated)
NO_REFUNDS_SETTING = "gateways_without_refunds"


def save_refund(db: sqlite3.Connection, doc: Doc) -> None:
    db.execute(
        "INSERT INTO refunds (id, parent_id, status, created_gmt, modified_gmt, doc) VALUES (?, ?, ?, ?, ?, ?)",
        (doc["id"], doc["parent_id"], "completed", doc["date_created_gmt"], doc["date_created_gmt"],
         json.dumps(doc, ensure_ascii=False)),
    )


class RefundStore:
    """Mixed into ``ShopStore``: what it provides (``transaction``, ``_tx``, ``_lock``, ``_db``,
    ``base_url``, ``setting``) is named here for the type checker only."""

    if TYPE_CHECKING:
        base_url: str
        _lock: threading.RLock
        _db: sqlite3.Connection

        def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...
        @property
        def _tx(self) -> ShopTables: ...
        def setting(self, key: str) -> str | None: ...
        def set_setting(self, key: str, value: str) -> None: ...

    def gateways_without_refunds(self) -> set[str]:
        """Payment methods whose gateway cannot refund (``api_refund: true`` fails on them)."""
        text = self.setting(NO_REFUNDS_SETTING)
        names = refunds.DEFAULT_NO_REFUNDS if text is None else text.split(",")
        return {name.strip() for name in names if name.strip()}

    def set_gateways_without_refunds(self, methods: list[str] | tuple[str, ...] | set[str]) -> None:
        self.set_setting(NO_REFUNDS_SETTING, ",".join(sorted(methods)))

    def create_refund(self, order_id: int, body: Doc) -> Doc:
        """``POST orders/<id>/refunds``: the new refund in its API form."""
        ask = refunds.parse_request(body)
        no_refunds = self.gateways_without_refunds()
        with self.transaction() as db:
            order = self._order_or_404(order_id)
            doc = refunds.apply_refund(self._tx, order, ask, self._tx.next_id("post"), no_refunds)
            save_refund(db, doc)
            self._tx.save_order(order)
        return refunds.render_refund(doc, self.base_url)

    def refund_remainder(self, order: Doc) -> None:
        """Status ``refunded`` set by hand: an amount-only refund of what is left (in the caller's
        transaction, on the order document it is about to save)."""
        doc = refunds.fully_refunded(self._tx, order, lambda: self._tx.next_id("post"))
        if doc is not None:
            save_refund(self._tx.db, doc)

    def _order_or_404(self, order_id: int) -> Doc:
        row = self._tx.db.execute("SELECT doc FROM orders WHERE id = ?", (order_id,)).fetchone()
        if not row:
            raise ApiError(404, "woocommerce_rest_invalid_order_id", "Invalid order ID.")
        return json.loads(row[0])

    def _refund_doc(self, refund_id: int) -> Doc | None:
        with self._lock:
            row = self._db.execute("SELECT doc FROM refunds WHERE id = ?", (refund_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def _refund_of(self, order_id: int, refund_id: int) -> Doc:
        """WooCommerce's checks for one refund under an order: unknown refund, unknown order, or
        a refund of another order, each its own 404."""
        doc = self._refund_doc(refund_id)
        if doc is None:
            raise ApiError(404, "woocommerce_rest_shop_order_refund_invalid_id", "Invalid ID.")
        with self._lock:
            exists = self._db.execute("SELECT 1 FROM orders WHERE id = ?", (order_id,)).fetchone()
        if not exists:
            raise ApiError(404, "woocommerce_rest_invalid_order_id", "Invalid order ID.")
        if doc["parent_id"] != order_id:
            raise ApiError(404, "woocommerce_rest_invalid_order_refund_id", "Invalid order refund ID.")
        return doc

    def get_refund(self, order_id: int, refund_id: int) -> Doc:
        return refunds.render_refund(self._refund_of(order_id, refund_id), self.base_url)

    def delete_refund(self, order_id: int, refund_id: int, force: bool) -> Doc:
        """``DELETE orders/<id>/refunds/<rid>``: gone from the order's list, nothing reversed
        (stock, status, gateway), and the order's ``date_modified`` stays (corrections.md §1.4)."""
        if not force:
            raise ApiError(501, "woocommerce_rest_trash_not_supported",
                           "The refund does not support trashing.")
        with self.transaction() as db:
            doc = self._refund_of(order_id, refund_id)
            order = self._order_or_404(order_id)
            order["refunds"] = [r for r in order.get("refunds") or [] if r["id"] != refund_id]
            self._tx.save_order(order)
            db.execute("DELETE FROM refunds WHERE id = ?", (refund_id,))
        return refunds.render_refund(doc, self.base_url)

    def query_refunds(self, query: ListQuery, order_id: int | None = None) -> tuple[list[Doc], int]:
        """``GET orders/<id>/refunds`` (``order_id``) or ``GET refunds`` (every order, with
        ``parent_id``; ``query.parent`` may name orders)."""
        if order_id is not None:
            query.parent = order_id
        query.search = ""
        with self._lock:
            docs, total = select_page(self._db, "refunds", query)
        return [refunds.render_refund(doc, self.base_url, with_parent=order_id is None) for doc in docs], total

    def refunds_of(self, order_id: int) -> Iterator[Doc]:
        """Every refund of an order, newest first, in its API form (for the demo and tests)."""
        with self._lock:
            rows = self._db.execute("SELECT doc FROM refunds WHERE parent_id = ? ORDER BY id DESC", (order_id,))
            docs = [json.loads(row[0]) for row in rows.fetchall()]
        return iter([refunds.render_refund(doc, self.base_url) for doc in docs])

