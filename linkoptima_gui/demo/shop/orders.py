"""New orders of the emulated shop: a REST create payload turned into WooCommerce's order JSON.

What the real shop does and this module repeats (woocommerce.md section 8, woo-samples/):
- an order posted with a status keeps it and gets no ``date_paid`` unless ``set_paid`` is sent
  (a buyer's checkout, ``created_via="checkout"``, is a real transition out of pending instead);
- amounts follow ``totals`` (prices include VAT; shipping and fees are net);
- a line for an unknown product is kept as an empty line (product 0, 0.00), not refused;
- a line for a variation names the parent as ``product_id`` and the variation as ``variation_id``,
  is called "Parent - option", carries the variation's SKU and its attributes as line meta;
- ids of lines, meta entries and notes come from the shop's counters, like WooCommerce's tables.
"""

from __future__ import annotations

import copy
import hashlib
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from .common import ApiError, date_fields, fmt2, fmt_trim, invalid_params, to_money
from .lifecycle import OrderContext, address, check_status, needs_processing, payment_complete, set_status
from .totals import STANDARD, ChargeInput, CouponInput, LineInput, compute_order, rate_for_class
from .variations import line_product


def _item_meta(ctx: OrderContext, meta: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [
        {
            "id": ctx.next_id("item_meta"),
            "key": m.get("key", ""),
            "value": m.get("value"),
            "display_key": m.get("key", ""),
            "display_value": m.get("value"),
        }
        for m in meta or []
    ]


def _attribute_meta(ctx: OrderContext, product: dict[str, Any] | None) -> list[dict[str, Any]]:
    """A variation's attributes, which WooCommerce copies onto its order line ("rozmiar": "M")."""
    return [
        {"id": ctx.next_id("item_meta"), "key": key, "value": value, "display_key": label, "display_value": value}
        for key, value, label in (product or {}).get("attribute_meta", [])
    ]


def _quantity(item: dict[str, Any]) -> int:
    try:
        quantity = Decimal(str(item.get("quantity", 1)))
    except InvalidOperation:
        quantity = Decimal(0)
    if quantity <= 0:
        raise ApiError(
            400, "woocommerce_rest_invalid_product_quantity", "Product quantity must be a positive float."
        )
    return int(quantity)


def _resolve_lines(
    ctx: OrderContext, items: list[dict[str, Any]]
) -> list[tuple[dict[str, Any] | None, int, dict]]:
    resolved = []
    for item in items:
        if not item.get("product_id") and not item.get("variation_id") and not item.get("sku"):
            raise ApiError(
                400, "woocommerce_rest_required_product_reference", "Product ID or SKU is required."
            )
        wanted = item.get("variation_id") or item.get("product_id")
        if wanted and not str(wanted).isdigit():
            raise invalid_params(
                {"line_items": ("rest_invalid_type", "line_items[0][product_id] is not of type integer.")}
            )
        product = _sellable(ctx, int(wanted) if wanted else None, str(item.get("sku") or ""))
        resolved.append((product, _quantity(item), item))
    return resolved


def _sellable(ctx: OrderContext, wanted: int | None, sku: str) -> dict[str, Any] | None:
    """What a line names (by id, or by SKU as ``wc_get_product_id_by_sku`` finds it): a product,
    or a variation seen as its order line shows it (``variations.line_product``)."""
    variation = ctx.variation(wanted) if wanted else ctx.variation_by_sku(sku) if sku else None
    if variation is None:
        if wanted:
            return ctx.product(wanted)
        return ctx.product_by_sku(sku)
    parent = ctx.product(variation["parent_id"])
    return line_product(variation, parent) if parent else None


def build_order(ctx: OrderContext, payload: dict[str, Any], created_via: str) -> dict[str, Any]:
    """A new order document from a REST create payload (``created_via`` = rest-api or checkout)."""
    status = check_status(payload.get("status", "pending"))
    lines = _resolve_lines(ctx, payload.get("line_items") or [])
    coupons = []
    for entry in payload.get("coupon_lines") or []:
        coupon = ctx.coupon(str(entry.get("code", "")).lower())
        if coupon is None:
            raise ApiError(
                400, "woocommerce_rest_invalid_coupon", f'Coupon "{entry.get("code", "")}" does not exist!'
            )
        coupons.append(coupon)
    shipping = payload.get("shipping_lines") or []
    fees = payload.get("fee_lines") or []
    amounts = compute_order(
        [
            LineInput(
                Decimal(p["price"] or "0") if p else Decimal(0),
                q,
                rate_for_class(p["tax_class"], p["tax_status"] != "none") if p else STANDARD,
            )
            for p, q, _ in lines
        ],
        [ChargeInput(to_money(s.get("total", "0"), "total"), STANDARD) for s in shipping],
        [
            ChargeInput(
                to_money(f.get("total", "0"), "total"),
                rate_for_class(f.get("tax_class", ""), f.get("tax_status", "taxable") != "none"),
            )
            for f in fees
        ],
        [CouponInput(c["code"], c["discount_type"], Decimal(c["amount"])) for c in coupons],
    )
    order_id = ctx.next_id("post")
    now = ctx.now
    doc: dict[str, Any] = {
        "id": order_id,
        "parent_id": int(payload.get("parent_id") or 0),
        "status": "pending",
        "currency": "PLN",
        "version": "8.9.1",
        "prices_include_tax": True,
        **date_fields("date_created", now),
        **date_fields("date_modified", now),
        "discount_total": fmt2(amounts.discount_total),
        "discount_tax": fmt2(amounts.discount_tax),
        "shipping_total": fmt2(amounts.shipping_total),
        "shipping_tax": fmt2(amounts.shipping_tax),
        "cart_tax": fmt2(amounts.cart_tax),
        "total": fmt2(amounts.total),
        "total_tax": fmt2(amounts.total_tax),
        "customer_id": int(payload.get("customer_id") or 0),
        "order_key": "wc_order_" + hashlib.sha256(f"order-key:{order_id}".encode()).hexdigest()[:13],
        "billing": address(payload.get("billing"), ("email", "phone")),
        "shipping": address(payload.get("shipping"), ("phone",)),
        "payment_method": str(payload.get("payment_method", "")),
        "payment_method_title": str(payload.get("payment_method_title", "")),
        "transaction_id": str(payload.get("transaction_id", "")),
        "customer_ip_address": "",
        "customer_user_agent": "",
        "created_via": created_via,
        "customer_note": str(payload.get("customer_note", "")),
        **date_fields("date_completed", None),
        **date_fields("date_paid", None),
        "cart_hash": "",
        "number": str(order_id),
        "meta_data": [
            {"id": ctx.next_id("order_meta"), "key": m.get("key", ""), "value": m.get("value")}
            for m in payload.get("meta_data") or []
        ],
        "line_items": [],
        "tax_lines": [],
        "shipping_lines": [],
        "fee_lines": [],
        "coupon_lines": [],
        "refunds": [],
        "currency_symbol": "zł",
        "_private": {"stock_reduced": False},
    }
    for (product, quantity, item), line in zip(lines, amounts.lines, strict=True):
        rate = line.rate
        doc["line_items"].append(
            {
                "id": ctx.next_id("order_item"),
                "name": product["name"] if product else "",
                "product_id": product["id"] if product else 0,
                "variation_id": product.get("variation_id", 0) if product else 0,
                "quantity": quantity,
                "tax_class": product["tax_class"] if product else "",
                "subtotal": fmt2(line.subtotal),
                "subtotal_tax": fmt2(line.subtotal_tax),
                "total": fmt2(line.total),
                "total_tax": fmt2(line.total_tax),
                "taxes": [
                    {
                        "id": rate.rate_id,
                        "total": fmt_trim(line.total_tax),
                        "subtotal": fmt_trim(line.subtotal_tax),
                    }
                ]
                if rate
                else [],
                "meta_data": _attribute_meta(ctx, product) + _item_meta(ctx, item.get("meta_data")),
                "sku": product["sku"] if product else None,
                "price": float(line.total) / quantity if line.total else 0,
                "image": {"id": "" if product and "variation_id" not in product else 0, "src": ""},
                "parent_name": product.get("parent_name") if product else None,
            }
        )
    for entry, charge in zip(shipping, amounts.shipping, strict=True):
        doc["shipping_lines"].append(
            {
                "id": ctx.next_id("order_item"),
                "method_title": str(entry.get("method_title", "")),
                "method_id": str(entry.get("method_id", "")),
                "instance_id": str(entry.get("instance_id", "")),
                "total": fmt2(charge.net),
                "total_tax": fmt2(charge.tax),
                "taxes": [{"id": charge.rate.rate_id, "total": fmt2(charge.tax), "subtotal": ""}]
                if charge.rate
                else [],
                "meta_data": _item_meta(ctx, entry.get("meta_data")),
            }
        )
    for entry, charge in zip(fees, amounts.fees, strict=True):
        doc["fee_lines"].append(
            {
                "id": ctx.next_id("order_item"),
                "name": str(entry.get("name", "")),
                "tax_class": str(entry.get("tax_class", "")),
                "tax_status": str(entry.get("tax_status", "taxable")),
                "amount": "",
                "total": fmt2(charge.net),
                "total_tax": fmt2(charge.tax),
                "taxes": [{"id": charge.rate.rate_id, "total": fmt2(charge.tax), "subtotal": ""}]
                if charge.rate
                else [],
                "meta_data": _item_meta(ctx, entry.get("meta_data")),
            }
        )
    for tax in amounts.tax_lines:
        doc["tax_lines"].append(
            {
                "id": ctx.next_id("order_item"),
                "rate_code": tax.rate.code,
                "rate_id": tax.rate.rate_id,
                "label": tax.rate.label,
                "compound": False,
                "tax_total": fmt2(tax.tax_total),
                "shipping_tax_total": fmt2(tax.shipping_tax_total),
                "rate_percent": int(tax.rate.percent),
                "meta_data": [],
            }
        )
    for coupon, row in zip(coupons, amounts.coupons, strict=True):
        nominal = Decimal(coupon["amount"])
        nominal_json: int | float = int(nominal) if nominal == nominal.to_integral_value() else float(nominal)
        info = json.dumps(
            [coupon["id"], coupon["code"], coupon["discount_type"], nominal_json], separators=(",", ":")
        )
        doc["coupon_lines"].append(
            {
                "id": ctx.next_id("order_item"),
                "code": coupon["code"],
                "discount": fmt_trim(row.discount, 2),
                "discount_tax": fmt_trim(row.discount_tax, 2),
                "meta_data": [
                    {
                        "id": ctx.next_id("item_meta"),
                        "key": "coupon_info",
                        "value": info,
                        "display_key": "coupon_info",
                        "display_value": info,
                    }
                ],
                "discount_type": coupon["discount_type"],
                "nominal_amount": nominal_json,
                "free_shipping": False,
            }
        )
    if created_via == "checkout":
        set_status(ctx, doc, status)  # checkout moves the order out of pending: a real transition
    else:
        set_status(ctx, doc, status, record_payment=False)
    if payload.get("set_paid") is True:
        payment_complete(ctx, doc, str(payload.get("transaction_id", "")))
    return doc


def render_order(doc: dict[str, Any], base_url: str) -> dict[str, Any]:
    """The API view: stored fields plus the derived and URL-dependent ones, in the shop's order."""
    out = {k: copy.deepcopy(v) for k, v in doc.items() if k != "_private"}
    api = f"{base_url}/wp-json/wc/v3"
    out["payment_url"] = (
        f"{base_url}/checkout/order-pay/{doc['id']}/?pay_for_order=true&key={doc['order_key']}"
    )
    out["is_editable"] = doc["status"] in ("pending", "on-hold", "checkout-draft")
    out["needs_payment"] = doc["status"] in ("pending", "failed") and Decimal(doc["total"]) > 0
    out["needs_processing"] = needs_processing(doc)
    for name in ("date_created", "date_modified", "date_completed", "date_paid"):
        out[f"{name}_gmt"] = out.pop(f"{name}_gmt")
    out["currency_symbol"] = out.pop("currency_symbol")
    out["_links"] = {
        "self": [{"href": f"{api}/orders/{doc['id']}"}],
        "collection": [{"href": f"{api}/orders"}],
    }
    if doc["customer_id"]:
        out["_links"]["customer"] = [{"href": f"{api}/customers/{doc['customer_id']}"}]
    return out
