"""The SQL side of the emulated shop: schema, row access inside a transaction, list queries.

Orders, products, notes and coupons are stored as the JSON documents the API shows, next to
the few indexed columns that list filters need (status, SKU, dates). Ids come from counters
kept in the same database and advanced in the writing transaction, so an id is never handed
out twice, even across a crash; like WooCommerce, products, variations, orders and coupons share
one id space ("posts"), while line items, meta entries and notes have their own. Variations live
in their own table (a product list never shows them) but share the SKU space with products: a
SKU is unique across both, as in WooCommerce.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .common import ApiError, date_fields, fmt_date
from .variations import stock_holder, sync_variable

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS products (id INTEGER PRIMARY KEY, sku TEXT NOT NULL, name TEXT NOT NULL, "
    "status TEXT NOT NULL, stock_status TEXT NOT NULL, created_gmt TEXT NOT NULL, "
    "modified_gmt TEXT NOT NULL, doc TEXT NOT NULL)",
    "CREATE UNIQUE INDEX IF NOT EXISTS products_sku ON products (sku) WHERE sku <> ''",
    "CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, status TEXT NOT NULL, "
    "customer_id INTEGER NOT NULL, created_gmt TEXT NOT NULL, modified_gmt TEXT NOT NULL, doc TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS orders_modified ON orders (modified_gmt, id)",
    "CREATE INDEX IF NOT EXISTS orders_created ON orders (created_gmt, id)",
    "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, "
    "customer_note INTEGER NOT NULL, doc TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS notes_order ON notes (order_id, id)",
    "CREATE TABLE IF NOT EXISTS coupons (code TEXT PRIMARY KEY, doc TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS variations (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL, "
    "sku TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL, stock_status TEXT NOT NULL, "
    "created_gmt TEXT NOT NULL, modified_gmt TEXT NOT NULL, doc TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS variations_parent ON variations (parent_id, id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS variations_sku ON variations (sku) WHERE sku <> ''",
)


def _dump(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False)


class ShopTables:
    """Row access for one open transaction; also the ``OrderContext`` the order logic uses.

    ``now`` is fixed for the transaction, so every date one change writes is the same instant.
    """

    def __init__(self, db: sqlite3.Connection, now: datetime) -> None:
        self.db = db
        self.now = now

    def next_id(self, sequence: str) -> int:
        row = self.db.execute(
            "INSERT INTO sequences (name, value) VALUES (?, 1) "
            "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
            (sequence,),
        ).fetchone()
        return int(row[0])

    def product(self, product_id: int) -> dict[str, Any] | None:
        row = self.db.execute("SELECT doc FROM products WHERE id = ?", (product_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def product_by_sku(self, sku: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT doc FROM products WHERE sku = ? AND sku <> ''", (sku,)).fetchone()
        return json.loads(row[0]) if row else None

    def save_product(self, doc: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO products (id, sku, name, status, stock_status, created_gmt, "
            "modified_gmt, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc["id"],
                doc["sku"],
                doc["name"],
                doc["status"],
                doc["stock_status"],
                doc["date_created_gmt"],
                doc["date_modified_gmt"],
                _dump(doc),
            ),
        )

    def variation(self, variation_id: int) -> dict[str, Any] | None:
        row = self.db.execute("SELECT doc FROM variations WHERE id = ?", (variation_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def variation_by_sku(self, sku: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT doc FROM variations WHERE sku = ? AND sku <> ''", (sku,)).fetchone()
        return json.loads(row[0]) if row else None

    def sku_taken(self, sku: str, but: int = 0) -> bool:
        """Whether a product or variation other than ``but`` carries ``sku`` (one SKU space)."""
        for table in ("products", "variations"):
            row = self.db.execute(f"SELECT id FROM {table} WHERE sku = ? AND sku <> '' AND id <> ?", (sku, but))
            if row.fetchone():
                return True
        return False

    def stock_holder_by_sku(self, sku: str) -> dict[str, Any] | None:
        """The document whose stock a sale of ``sku`` moves: the product, or for a variation the
        variation itself or its parent (stock "managed by the parent")."""
        product = self.product_by_sku(sku)
        if product is not None:
            return product
        variation = self.variation_by_sku(sku)
        if variation is None:
            return None
        return stock_holder(variation, self.product(variation["parent_id"]))

    def variations_of(self, parent_id: int) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT doc FROM variations WHERE parent_id = ? ORDER BY id", (parent_id,))
        return [json.loads(row[0]) for row in rows.fetchall()]

    def save_variation(self, doc: dict[str, Any]) -> None:
        """Save a variation and bring its parent's derived fields (children, price, stock
        status) up to date, as WooCommerce syncs a variable product when a child changes."""
        self.db.execute(
            "INSERT OR REPLACE INTO variations (id, parent_id, sku, name, status, stock_status, created_gmt, "
            "modified_gmt, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc["id"],
                doc["parent_id"],
                doc["sku"],
                doc["name"],
                doc["status"],
                doc["stock_status"],
                doc["date_created_gmt"],
                doc["date_modified_gmt"],
                _dump(doc),
            ),
        )
        self.sync_parent(int(doc["parent_id"]))

    def sync_parent(self, parent_id: int) -> None:
        parent = self.product(parent_id)
        if parent is not None and sync_variable(parent, self.variations_of(parent_id)):
            self.save_product(parent)

    def order(self, order_id: int, missing_status: int = 404) -> dict[str, Any]:
        """An order by id; WooCommerce answers an unknown id with 404 on read, 400 on update."""
        row = self.db.execute("SELECT doc FROM orders WHERE id = ?", (order_id,)).fetchone()
        if not row:
            raise ApiError(missing_status, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
        return json.loads(row[0])

    def save_order(self, doc: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO orders (id, status, customer_id, created_gmt, modified_gmt, doc) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                doc["id"],
                doc["status"],
                doc["customer_id"],
                doc["date_created_gmt"],
                doc["date_modified_gmt"],
                _dump(doc),
            ),
        )

    def coupon(self, code: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT doc FROM coupons WHERE code = ?", (code,)).fetchone()
        return json.loads(row[0]) if row else None

    def save_coupon(self, doc: dict[str, Any]) -> None:
        self.db.execute("INSERT OR REPLACE INTO coupons (code, doc) VALUES (?, ?)", (doc["code"], _dump(doc)))

    def add_note(
        self, order_id: int, note: str, customer_note: bool = False, by_user: bool = False
    ) -> dict[str, Any]:
        """A note as WooCommerce shows it: system and API notes are signed "WooCommerce"."""
        doc = {
            "id": self.next_id("comment"),
            "author": "admin" if by_user else "WooCommerce",
            **date_fields("date_created", self.now),
            "note": note,
            "customer_note": customer_note,
        }
        self.db.execute(
            "INSERT INTO notes (id, order_id, customer_note, doc) VALUES (?, ?, ?, ?)",
            (doc["id"], order_id, int(customer_note), _dump(doc)),
        )
        return doc


@dataclass
class ListQuery:
    """A list request's filters, already validated by the HTTP layer."""

    page: int = 1
    per_page: int = 10
    offset: int | None = None
    orderby: str = "date"
    descending: bool = True
    statuses: list[str] = field(default_factory=list)
    after: datetime | None = None
    before: datetime | None = None
    modified_after: datetime | None = None
    modified_before: datetime | None = None
    include: list[int] = field(default_factory=list)
    exclude: list[int] = field(default_factory=list)
    skus: list[str] = field(default_factory=list)
    search: str = ""
    customer: int | None = None
    stock_status: str = ""
    parent: int | None = None  # variations of this product (the variations table only)


def _iso(value: datetime) -> str:
    """Stored dates are whole seconds; a fractional bound keeps its fraction so that
    ``> 10:00:00.5`` still excludes 10:00:00 (text comparison of ISO strings)."""
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f") if value.microsecond else fmt_date(value) or ""


def _placeholders(values: list[Any]) -> str:
    return ",".join("?" * len(values))


def select_page(db: sqlite3.Connection, table: str, q: ListQuery) -> tuple[list[dict[str, Any]], int]:
    """Filter on indexed columns and fetch one page: (documents, total matching).

    Ordering by date (or modified) sorts rows of the same second in an order that depends on
    the page asked for, as MySQL does for the real shop: paging such a list may show a row
    twice and another never (woocommerce.md section 8). Ordering by id is stable.
    """
    where, args = ["status <> 'trash'"], []
    if table == "orders" and q.statuses:
        where = [f"status IN ({_placeholders(q.statuses)})"]
        args += q.statuses
    if q.customer is not None:
        where.append("customer_id = ?")
        args.append(q.customer)
    if q.parent is not None:
        where.append("parent_id = ?")
        args.append(q.parent)
    if q.skus:
        where.append(f"sku IN ({_placeholders(q.skus)})")
        args += q.skus
    if q.search:  # products by name; orders anywhere in the document (names, e-mail, address)
        where.append("doc LIKE ?" if table == "orders" else "name LIKE ?")
        args.append(f"%{q.search}%")
    if q.stock_status:
        where.append("stock_status = ?")
        args.append(q.stock_status)
    bounds = (
        ("created_gmt", ">", q.after),
        ("created_gmt", "<", q.before),
        ("modified_gmt", ">", q.modified_after),
        ("modified_gmt", "<", q.modified_before),
    )
    for column, op, value in bounds:
        if value is not None:
            where.append(f"{column} {op} ?")
            args.append(_iso(value))
    for ids, op in ((q.include, "IN"), (q.exclude, "NOT IN")):
        if ids:
            where.append(f"id {op} ({_placeholders(ids)})")
            args += ids
    direction = "DESC" if q.descending else "ASC"
    title = "created_gmt" if table == "orders" else "name"
    column = {"id": "id", "include": "id", "modified": "modified_gmt", "title": title}.get(
        q.orderby, "created_gmt"
    )
    order = f"{column} {direction}"
    if column != "id":
        order += f", ((id * 7919 + {int(q.page)} * 104729) % 1009) {direction}, id {direction}"
    start = q.offset if q.offset is not None else (q.page - 1) * q.per_page
    condition = " AND ".join(where)
    total = db.execute(f"SELECT COUNT(*) FROM {table} WHERE {condition}", args).fetchone()[0]
    rows = db.execute(
        f"SELECT doc FROM {table} WHERE {condition} ORDER BY {order} LIMIT ? OFFSET ?",
        [*args, q.per_page, start],
    ).fetchall()
    return [json.loads(row[0]) for row in rows], int(total)
