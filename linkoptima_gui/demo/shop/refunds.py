"""Refunds of the emulated shop, as ``wc_create_refund`` and the wc/v3 refund routes make them.

What the real shop does and this module repeats (corrections.md §1, WooCommerce's
``wc-order-functions.php``, ``RestApiUtil`` and the v2/v3 refund controllers):
- the request names ORDER ITEM ids (a product, shipping or fee line) with ``quantity``,
  ``refund_total`` and ``refund_tax: [{id: <rate id>, refund_total}]``; a missing ``amount`` is
  the sum of the lines' totals and taxes, but only when every one of them is a number;
- ``amount`` is kept as given and never compared with the lines: it must be >= 0 (else 400) and
  at most what is left to refund (else WooCommerce's 500 "Invalid refund amount.");
- the refund's lines are copies of the order's items with negative quantity, totals and taxes,
  each with meta ``_refunded_item_id``; the order itself keeps its lines and lists the refund in
  ``refunds`` as ``{id, reason, total}`` with a negative total;
- ``api_refund`` (default true) asks the payment gateway; a gateway that cannot refund (here the
  shop's ``gateways_without_refunds`` setting, ``bacs,cheque,cod`` by default) fails the whole
  request with a 500 and no refund is left behind; ``api_restock`` (default true) puts back the
  goods of product lines given a quantity whose stock had been reduced;
- the order becomes ``refunded`` only when nothing is left to refund, otherwise its status
  stays; its ``date_modified`` moves on (WooCommerce >= 7.6), and deleting a refund reverses
  nothing and does not touch the order's date.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .common import ApiError, date_fields, fmt2, fmt_trim, to_money
from .lifecycle import OrderContext, line_stock_holder, set_status
from .products import adjust_stock

#: payment methods whose gateway cannot refund when the shop has no setting of its own
DEFAULT_NO_REFUNDS = ("bacs", "cheque", "cod")
CANNOT_CREATE = "woocommerce_rest_cannot_create_order_refund"
_ZERO = Decimal(0)
_INTERNAL_ITEM_META = ("_reduced_stock", "_restock_refunded_items", "_refunded_item_id")


@dataclass
class LineAsk:
    """One requested line, in WooCommerce's internal form (``qty``; taxes by rate id)."""

    qty: Decimal = _ZERO
    total: Decimal = _ZERO
    taxes: dict[int, Decimal] = field(default_factory=dict)


@dataclass
class RefundAsk:
    """A create request after ``RestApiUtil.adjust_create_refund_request_parameters``."""

    amount: Decimal
    reason: str | None
    lines: dict[int, LineAsk]
    api_refund: bool = True
    api_restock: bool = True
    meta: list[dict[str, Any]] = field(default_factory=list)


def _number(value: Any) -> Decimal | None:
    """PHP's ``is_numeric``: a number or a numeric string; anything else is None."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _flag(value: Any) -> bool:
    """``api_refund``/``api_restock``: WordPress casts the schema's boolean; anything else is true."""
    if isinstance(value, str) and value.strip().lower() in ("false", "0", "no"):
        return False
    return value is not False


def parse_request(body: dict[str, Any]) -> RefundAsk:
    """The request as WooCommerce reads it; a negative amount is its 400."""
    lines: dict[int, LineAsk] = {}
    summable = bool(body.get("line_items"))
    computed = _ZERO
    for item in body.get("line_items") or []:
        if not isinstance(item, dict) or not str(item.get("id", "")).isdigit():
            continue
        total = _number(item.get("refund_total"))
        summable = summable and total is not None
        computed += total or _ZERO
        taxes: dict[int, Decimal] = {}
        for tax in item.get("refund_tax") or []:
            value = _number(tax.get("refund_total")) if isinstance(tax, dict) else None
            summable = summable and value is not None
            if isinstance(tax, dict) and str(tax.get("id", "")).isdigit() and value:
                taxes[int(tax["id"])] = value
            computed += value or _ZERO
        qty = _number(item.get("quantity", item.get("qty"))) or _ZERO
        lines[int(item["id"])] = LineAsk(qty, total or _ZERO, taxes)
    if body.get("amount") is not None:
        amount = to_money(body["amount"], "amount")
    else:
        amount = computed if summable else _ZERO  # wc_create_refund's default amount is 0
    if amount < 0:
        raise ApiError(400, "woocommerce_rest_invalid_order_refund", "Refund amount must be greater than zero.")
    meta = [m for m in body.get("meta_data") or [] if isinstance(m, dict) and m.get("key")]
    return RefundAsk(amount, str(body["reason"]) if body.get("reason") else None, lines,
                     _flag(body.get("api_refund", True)), _flag(body.get("api_restock", True)), meta)


def refunded_so_far(order: dict[str, Any]) -> Decimal:
    return sum((-Decimal(r["total"]) for r in order.get("refunds") or []), _ZERO)


def remaining(order: dict[str, Any]) -> Decimal:
    """What is left to refund: the order's total minus every refund's amount."""
    return Decimal(order["total"]) - refunded_so_far(order)


def check_gateway(order: dict[str, Any], no_refunds: set[str]) -> None:
    """``wc_refund_payment``'s refusals, which the REST route turns into its 500."""
    method = order.get("payment_method") or ""
    if not method:
        raise ApiError(500, CANNOT_CREATE, "The payment gateway for this order does not exist.")
    if method in no_refunds:
        raise ApiError(500, CANNOT_CREATE, "The payment gateway for this order does not support automatic refunds.")


def _negated_taxes(ask: LineAsk) -> list[dict[str, Any]]:
    return [{"id": rate, "total": fmt_trim(-value), "subtotal": fmt_trim(-value)} for rate, value in ask.taxes.items()]


def _copied_meta(ctx: OrderContext, item: dict[str, Any]) -> list[dict[str, Any]]:
    """The item's visible meta (a variation's attributes), then ``_refunded_item_id``."""
    meta = [
        {**copy.deepcopy(m), "id": ctx.next_id("item_meta")}
        for m in item.get("meta_data") or [] if m["key"] not in _INTERNAL_ITEM_META
    ]
    meta.append({"id": ctx.next_id("item_meta"), "key": "_refunded_item_id", "value": str(item["id"]),
                 "display_key": "_refunded_item_id", "display_value": str(item["id"])})
    return meta


def _refund_item(ctx: OrderContext, kind: str, item: dict[str, Any], ask: LineAsk) -> dict[str, Any]:
    """A negative copy of one order item (``kind``: line_items, shipping_lines, fee_lines)."""
    tax = sum(ask.taxes.values(), _ZERO)
    common = {"id": ctx.next_id("order_item"), "total": fmt2(-ask.total), "total_tax": fmt2(-tax),
              "taxes": _negated_taxes(ask), "meta_data": _copied_meta(ctx, item)}
    if kind == "shipping_lines":
        keep = ("method_title", "method_id", "instance_id")
        return {"id": common["id"], **{k: item.get(k, "") for k in keep}, **common}
    if kind == "fee_lines":
        keep = ("name", "tax_class", "tax_status")
        return {"id": common["id"], **{k: item.get(k, "") for k in keep}, "amount": "", **common}
    quantity = -int(ask.qty)
    return {
        "id": common["id"], "name": item["name"], "product_id": item["product_id"],
        "variation_id": item["variation_id"], "quantity": quantity, "tax_class": item["tax_class"],
        "subtotal": fmt2(-ask.total), "subtotal_tax": fmt2(-tax), **common, "sku": item.get("sku"),
        "price": float(-ask.total) / quantity if quantity else 0, "image": copy.deepcopy(item.get("image")),
        "parent_name": item.get("parent_name"),
    }


def _tax_lines(ctx: OrderContext, order: dict[str, Any], refund: dict[str, Any]) -> list[dict[str, Any]]:
    """The refund's taxes per rate (``update_taxes``), named as on the order."""
    rates = {t["rate_id"]: t for t in order.get("tax_lines") or []}
    totals: dict[int, list[Decimal]] = {}
    for kind in ("line_items", "fee_lines", "shipping_lines"):
        for line in refund[kind]:
            for tax in line["taxes"]:
                pair = totals.setdefault(tax["id"], [_ZERO, _ZERO])
                pair[1 if kind == "shipping_lines" else 0] += Decimal(tax["total"])
    out = []
    for rate_id, (items, shipping) in totals.items():
        rate = rates.get(rate_id)
        if rate is None:
            continue
        out.append({"id": ctx.next_id("order_item"), "rate_code": rate["rate_code"], "rate_id": rate_id,
                    "label": rate["label"], "compound": False, "tax_total": fmt2(items),
                    "shipping_tax_total": fmt2(shipping), "rate_percent": rate["rate_percent"], "meta_data": []})
    return out


def build_refund(ctx: OrderContext, order: dict[str, Any], ask: RefundAsk, refund_id: int,
                 refunded_payment: bool) -> dict[str, Any]:
    """The refund document (stored with its ``parent_id``; the order routes hide it)."""
    doc: dict[str, Any] = {
        "id": refund_id, "parent_id": order["id"], **date_fields("date_created", ctx.now),
        "amount": fmt2(ask.amount), "reason": ask.reason or "", "refunded_by": 1,
        "refunded_payment": refunded_payment,
        "meta_data": [{"id": ctx.next_id("order_meta"), "key": str(m["key"]), "value": m.get("value")}
                      for m in ask.meta],
        "line_items": [], "shipping_lines": [], "tax_lines": [], "fee_lines": [],
    }
    for kind in ("line_items", "fee_lines", "shipping_lines"):
        for item in order.get(kind) or []:
            line = ask.lines.get(int(item["id"]))
            if line is None or (not line.qty and not line.total and not line.taxes):
                continue
            doc[kind].append(_refund_item(ctx, kind, item, line))
    doc["tax_lines"] = _tax_lines(ctx, order, doc)
    return doc


def _set_item_meta(ctx: OrderContext, item: dict[str, Any], key: str, value: int) -> None:
    for entry in item["meta_data"]:
        if entry["key"] == key:
            entry["value"] = entry["display_value"] = str(value)
            return
    item["meta_data"].append({"id": ctx.next_id("item_meta"), "key": key, "value": str(value),
                              "display_key": key, "display_value": str(value)})


def restock(ctx: OrderContext, order: dict[str, Any], ask: RefundAsk) -> None:
    """``wc_restock_refunded_items``: goods back for product lines given a quantity whose stock
    was reduced and is managed; ``_reduced_stock`` goes down by what came back."""
    for item in order["line_items"]:
        line = ask.lines.get(int(item["id"]))
        reduced = next((int(m["value"]) for m in item["meta_data"] if m["key"] == "_reduced_stock"), 0)
        if line is None or not int(line.qty) or not reduced:
            continue
        found = line_stock_holder(ctx, item)
        if found is None:
            continue
        holder, _ = found
        old, new = adjust_stock(holder, int(line.qty), ctx.now)
        if "type" not in holder:  # a variation (only products have a type)
            ctx.save_variation(holder)
        else:
            ctx.save_product(holder)
        _set_item_meta(ctx, item, "_reduced_stock", reduced - int(line.qty))
        earlier = next((int(m["value"]) for m in item["meta_data"] if m["key"] == "_restock_refunded_items"), 0)
        _set_item_meta(ctx, item, "_restock_refunded_items", earlier + int(line.qty))
        ctx.add_note(order["id"], f"Item #{holder['id']} stock increased from {old} to {new}.")


def apply_refund(ctx: OrderContext, order: dict[str, Any], ask: RefundAsk, refund_id: int,
                 no_refunds: set[str]) -> dict[str, Any]:
    """Create one refund on ``order`` (changed in place): checks, gateway, restock, status, date.
    Returns the refund document; raises ``ApiError`` before anything changed."""
    left = remaining(order)
    if ask.amount > left:
        raise ApiError(500, CANNOT_CREATE, "Invalid refund amount.")
    if ask.api_refund:
        check_gateway(order, no_refunds)
    refund = build_refund(ctx, order, ask, refund_id, refunded_payment=ask.api_refund)
    if ask.api_restock:
        restock(ctx, order, ask)
    order.setdefault("refunds", []).insert(
        0, {"id": refund_id, "reason": ask.reason or "", "total": "-" + fmt2(ask.amount)}
    )
    if left - ask.amount <= 0:
        set_status(ctx, order, "refunded")
    order.update(date_fields("date_modified", ctx.now))
    return refund


def fully_refunded(ctx: OrderContext, order: dict[str, Any], refund_id: Any) -> dict[str, Any] | None:
    """``wc_order_fully_refunded``: status ``refunded`` set by hand refunds what is left, as an
    amount with no lines, no restock and no gateway call. ``refund_id`` is called for the new
    id only when there is something to refund."""
    left = remaining(order)
    if left <= 0:
        return None
    ask = RefundAsk(left, "Order fully refunded.", {}, api_refund=False, api_restock=False)
    refund = apply_refund(ctx, order, ask, refund_id(), set())
    ctx.add_note(order["id"], "Order status set to refunded. To return funds to the customer you will need "
                              "to issue a refund through your payment gateway.")
    return refund


def render_refund(doc: dict[str, Any], base_url: str, with_parent: bool = False) -> dict[str, Any]:
    """The API view; ``with_parent`` for ``GET refunds``, which adds ``parent_id``."""
    out = {k: copy.deepcopy(v) for k, v in doc.items() if k != "parent_id"}
    if with_parent:
        out["parent_id"] = doc["parent_id"]
    base = f"{base_url}/wp-json/wc/v3/orders/{doc['parent_id']}"
    out["_links"] = {"self": [{"href": f"{base}/refunds/{doc['id']}"}],
                     "collection": [{"href": f"{base}/refunds"}], "up": [{"href": base}]}
    return out
