"""Order life after creation: status transitions, payment, stock moves and REST updates.

What the real shop does and this module repeats (woocommerce.md section 8, woo-samples/):
- a status *change* to processing or completed sets ``date_paid`` if it is empty (that is how
  checkout leaves cash-on-delivery orders "paid"), and completed sets ``date_completed``;
- entering processing, completed or on-hold takes the goods from stock once, recording
  ``_reduced_stock`` on each line; going back to pending or cancelled returns them; a variation's
  goods come from the variation, or from its parent when the parent manages the stock;
- ``set_paid`` (WooCommerce's ``payment_complete``) records the payment and moves a payable
  order on to processing;
- every status change leaves a system note, and every change bumps ``date_modified``.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any, Protocol

from .common import ApiError, date_fields, invalid_params
from .products import adjust_stock
from .variations import stock_holder

STATUS_NAMES = {
    "pending": "Pending payment",
    "processing": "Processing",
    "on-hold": "On hold",
    "completed": "Completed",
    "cancelled": "Cancelled",
    "refunded": "Refunded",
    "failed": "Failed",
    "checkout-draft": "Draft",
}
TAKES_STOCK = ("processing", "completed", "on-hold")
RETURNS_STOCK = ("pending", "cancelled")
PAYABLE = ("pending", "on-hold", "failed", "cancelled")
ADDRESS_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "address_1",
    "address_2",
    "city",
    "state",
    "postcode",
    "country",
)
UNSUPPORTED_UPDATES = ("line_items", "shipping_lines", "fee_lines", "coupon_lines")


class OrderContext(Protocol):
    """What order logic needs from the store, inside the store's open transaction."""

    now: datetime

    def next_id(self, sequence: str) -> int: ...
    def product(self, product_id: int) -> dict[str, Any] | None: ...
    def product_by_sku(self, sku: str) -> dict[str, Any] | None: ...
    def save_product(self, doc: dict[str, Any]) -> None: ...
    def variation(self, variation_id: int) -> dict[str, Any] | None: ...
    def variation_by_sku(self, sku: str) -> dict[str, Any] | None: ...
    def save_variation(self, doc: dict[str, Any]) -> None: ...
    def coupon(self, code: str) -> dict[str, Any] | None: ...
    def add_note(
        self, order_id: int, note: str, customer_note: bool = False, by_user: bool = False
    ) -> dict[str, Any]: ...


def check_status(status: Any) -> str:
    if status not in STATUS_NAMES:
        raise invalid_params(
            {"status": ("rest_not_in_enum", f"status is not one of {', '.join(STATUS_NAMES)}.")}
        )
    return status


def address(given: dict[str, Any] | None, extra: tuple[str, ...]) -> dict[str, str]:
    base = {name: "" for name in ADDRESS_FIELDS + extra}
    base.update({k: "" if v is None else str(v) for k, v in (given or {}).items() if k in base})
    return base


def set_status(ctx: OrderContext, doc: dict[str, Any], new: str, record_payment: bool = True) -> None:
    """Move an order to ``new`` with WooCommerce's side effects (dates, stock, a system note)."""
    old = doc["status"]
    if old == new:
        return
    doc["status"] = new
    if record_payment and new in ("processing", "completed") and not doc["date_paid_gmt"]:
        doc.update(date_fields("date_paid", ctx.now))
    if new == "completed" and not doc["date_completed_gmt"]:
        doc.update(date_fields("date_completed", ctx.now))
    ctx.add_note(doc["id"], f"Order status changed from {STATUS_NAMES[old]} to {STATUS_NAMES[new]}.")
    if new in TAKES_STOCK and not doc["_private"]["stock_reduced"]:
        _move_stock(ctx, doc, reduce=True)
    elif new in RETURNS_STOCK and doc["_private"]["stock_reduced"]:
        _move_stock(ctx, doc, reduce=False)
    doc.update(date_fields("date_modified", ctx.now))


def payment_complete(ctx: OrderContext, doc: dict[str, Any], transaction_id: str) -> None:
    """``set_paid``: record the payment and move a payable order on to processing."""
    if transaction_id:
        doc["transaction_id"] = transaction_id
    if not doc["date_paid_gmt"]:
        doc.update(date_fields("date_paid", ctx.now))
    if doc["status"] in PAYABLE:
        set_status(ctx, doc, "processing" if needs_processing(doc) else "completed")
    doc.update(date_fields("date_modified", ctx.now))


def line_stock_holder(ctx: OrderContext, line: dict[str, Any]) -> tuple[dict[str, Any], str] | None:
    """The document a line's goods come from, and how the stock note names them: the product,
    or for a variation the variation itself or its parent when that manages the stock."""
    if line.get("variation_id"):
        variation = ctx.variation(line["variation_id"])
        if variation is not None:
            holder = stock_holder(variation, ctx.product(variation["parent_id"]))
            return (holder, f"{line['name']} ({line['sku']})") if holder else None
    product = ctx.product(line["product_id"]) if line["product_id"] else None
    if not product or not product["manage_stock"]:
        return None
    return product, f"{product['name']} ({product['sku']})"


def _move_stock(ctx: OrderContext, doc: dict[str, Any], reduce: bool) -> None:
    changes = []
    for line in doc["line_items"]:
        if reduce:
            found = line_stock_holder(ctx, line)
            if found is None:
                continue
            quantity = line["quantity"]
            line["meta_data"].append(
                {
                    "id": ctx.next_id("item_meta"),
                    "key": "_reduced_stock",
                    "value": str(quantity),
                    "display_key": "_reduced_stock",
                    "display_value": str(quantity),
                }
            )
        else:
            reduced = [m for m in line["meta_data"] if m["key"] == "_reduced_stock"]
            found = line_stock_holder(ctx, line) if reduced and line["product_id"] else None
            line["meta_data"] = [m for m in line["meta_data"] if m["key"] != "_reduced_stock"]
            quantity = -int(reduced[0]["value"]) if reduced else 0
            if found is None or not quantity:  # a refund's restock may have brought it all back
                continue
        holder, label = found
        old, new = adjust_stock(holder, -quantity, ctx.now)
        if "type" not in holder:  # a variation (only products have a type): its own table
            ctx.save_variation(holder)
        else:
            holder["total_sales"] = max(0, holder["total_sales"] + quantity)
            ctx.save_product(holder)
        changes.append(f"{label} {old}&rarr;{new}")
    doc["_private"]["stock_reduced"] = reduce
    if changes:
        verb = "reduced" if reduce else "increased"
        ctx.add_note(doc["id"], f"Stock levels {verb}: {', '.join(changes)}")


def update_order(ctx: OrderContext, doc: dict[str, Any], payload: dict[str, Any]) -> dict[str, Any]:
    """Apply a REST update (status, payment fields, addresses, meta, ``set_paid``) to a copy."""
    unsupported = [key for key in UNSUPPORTED_UPDATES if payload.get(key)]
    if unsupported:
        raise ApiError(
            400,
            "linkoptima_emulator_unsupported",
            f"The shop emulator does not edit {', '.join(unsupported)} of an existing order.",
        )
    status = check_status(payload["status"]) if "status" in payload else None
    doc = copy.deepcopy(doc)
    for key in ("transaction_id", "payment_method", "payment_method_title", "customer_note"):
        if key in payload and payload[key] is not None:
            doc[key] = str(payload[key])
    for key, extra in (("billing", ("email", "phone")), ("shipping", ("phone",))):
        if isinstance(payload.get(key), dict):
            doc[key] = address({**doc[key], **payload[key]}, extra)
    for item in payload.get("meta_data") or []:
        _update_meta(ctx, doc["meta_data"], item)
    if status:
        set_status(ctx, doc, status)
    if payload.get("set_paid") is True:
        payment_complete(ctx, doc, str(payload.get("transaction_id", "")))
    doc.update(date_fields("date_modified", ctx.now))
    return doc


def _update_meta(ctx: OrderContext, meta: list[dict[str, Any]], item: dict[str, Any]) -> None:
    """WooCommerce's rule: an entry with ``id`` edits that entry, one with only ``key`` edits the
    first entry of that key or adds it; a null value deletes."""
    match = next((m for m in meta if item.get("id") and m["id"] == item["id"]), None)
    if match is None and not item.get("id"):
        match = next((m for m in meta if m["key"] == item.get("key")), None)
    if item.get("value") is None:
        if match:
            meta.remove(match)
        return
    if match:
        match["key"] = item.get("key", match["key"])
        match["value"] = item["value"]
    else:
        meta.append({"id": ctx.next_id("order_meta"), "key": item.get("key", ""), "value": item["value"]})


def needs_processing(doc: dict[str, Any]) -> bool:
    return any(line["product_id"] for line in doc["line_items"])
