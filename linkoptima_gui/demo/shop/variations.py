"""Variations of the emulated shop's variable products: documents, stock rules, the parent's sync.

What the real shop does and this module repeats (woocommerce.md §1.6, woo-samples/variation-*):
- a variation has its own SKU (in the products' SKU space), prices, tax class (``"parent"`` by
  default) and stock fields; ``name`` is its attribute values ("M");
- ``manage_stock`` on the variation is its own; when it is off and the parent manages stock, the
  stock is "managed by the parent": the API shows ``manage_stock: "parent"`` with the parent's
  quantity and status, and sales move the parent's stock. A quantity written to such a variation
  (``stock_quantity`` or ``inventory_delta``) is stored on the variation but never shown or used,
  which is why a stock push must go to the parent (WooCommerce's variations controller does the
  same: it writes the variation's own, hidden, value);
- a variation without a SKU of its own shows its parent's (WooCommerce's ``get_sku`` in view
  context), so its order lines carry the parent's SKU;
- a variable parent's ``variations``, ``price`` (the lowest) and, when it does not manage stock,
  ``stock_status`` follow its children.
"""

from __future__ import annotations

import copy
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from ..catalogue import VARIABLE_PRODUCTS
from .common import ApiError, date_fields, fmt2
from .products import apply_prices, clean_payload, refresh_stock_status, set_meta, slugify

_SIMPLE = (
    "sku",
    "tax_class",
    "tax_status",
    "description",
    "weight",
    "status",
    "backorders",
    "virtual",
    "downloadable",
    "low_stock_amount",
    "menu_order",
)


def invalid_id(status: int) -> ApiError:
    """An unknown variation (or one of another parent): 404 on read, 400 on write."""
    return ApiError(status, "woocommerce_rest_product_variation_invalid_id", "Invalid ID.")


def clean_variation_payload(payload: dict[str, Any], strict: bool) -> dict[str, Any]:
    """``manage_stock: "parent"`` is accepted and means "not on the variation" (WooCommerce turns
    it into false); the rest is checked as for products."""
    if payload.get("manage_stock") == "parent":
        payload = {**payload, "manage_stock": False}
    return clean_payload(payload, strict)


def stock_holder(variation: dict[str, Any], parent: dict[str, Any] | None) -> dict[str, Any] | None:
    """The document whose stock a sale of ``variation`` moves: itself, its parent ("managed by
    the parent"), or none when nobody counts it."""
    if variation["manage_stock"]:
        return variation
    if parent is not None and parent["manage_stock"]:
        return parent
    return None


def _by_parent(variation: dict[str, Any], parent: dict[str, Any] | None) -> bool:
    return not variation["manage_stock"] and parent is not None and bool(parent["manage_stock"])


def _options(doc: dict[str, Any]) -> list[str]:
    return [str(a.get("option", "")) for a in doc["attributes"] if a.get("option")]


def _attributes(given: Any, parent: dict[str, Any]) -> list[dict[str, Any]]:
    """Keep the attributes the parent varies by (by id or name), as WooCommerce does."""
    known = {a["slug"]: a for a in parent.get("attributes") or [] if a.get("variation")}
    by_id = {a["id"]: a for a in known.values() if a["id"]}
    out = []
    for item in given if isinstance(given, list) else []:
        if not isinstance(item, dict):
            continue
        attribute = by_id.get(int(item.get("id") or 0)) or known.get(slugify(str(item.get("name") or "")))
        if attribute is not None:
            option = str(item.get("option") or "")
            out.append({"id": attribute["id"], "name": attribute["name"], "slug": attribute["slug"], "option": option})
    return out


def new_variation(
    variation_id: int, parent: dict[str, Any], payload: dict[str, Any], now: datetime
) -> dict[str, Any]:
    """A variation document from a (cleaned) create payload."""
    doc: dict[str, Any] = {
        "id": variation_id,
        "parent_id": parent["id"],
        "name": "",
        **date_fields("date_created", now),
        **date_fields("date_modified", now),
        "description": "",
        "sku": "",
        "price": "",
        "regular_price": "",
        "sale_price": "",
        "date_on_sale_from": None,
        "date_on_sale_from_gmt": None,
        "date_on_sale_to": None,
        "date_on_sale_to_gmt": None,
        "on_sale": False,
        "status": "publish",
        "virtual": False,
        "downloadable": False,
        "downloads": [],
        "download_limit": -1,
        "download_expiry": -1,
        "tax_status": "taxable",
        "tax_class": "parent",
        "manage_stock": False,
        "stock_quantity": None,
        "stock_status": "instock",
        "backorders": "no",
        "backorders_allowed": False,
        "backordered": False,
        "low_stock_amount": None,
        "weight": "",
        "dimensions": {"length": "", "width": "", "height": ""},
        "shipping_class": "",
        "shipping_class_id": 0,
        "image": None,
        "attributes": [],
        "menu_order": 0,
        "meta_data": [],
    }
    _apply(doc, parent, payload, now, meta_ids=None)
    doc["date_modified"], doc["date_modified_gmt"] = doc["date_created"], doc["date_created_gmt"]
    return doc


def update_variation(
    doc: dict[str, Any], parent: dict[str, Any], payload: dict[str, Any], now: datetime, meta_ids: Any
) -> dict[str, Any]:
    """Apply a (cleaned) update payload to a copy of ``doc``."""
    updated = copy.deepcopy(doc)
    _apply(updated, parent, payload, now, meta_ids)
    return updated


def _apply(
    doc: dict[str, Any], parent: dict[str, Any], payload: dict[str, Any], now: datetime, meta_ids: Any
) -> None:
    for key in _SIMPLE:
        if key in payload and payload[key] is not None:
            doc[key] = payload[key]
    apply_prices(doc, payload)
    if "manage_stock" in payload:
        doc["manage_stock"] = payload["manage_stock"]
    counted = doc["manage_stock"] or _by_parent(doc, parent)
    if counted:
        if "stock_quantity" in payload:
            doc["stock_quantity"] = payload["stock_quantity"]
        elif "inventory_delta" in payload:
            shown = parent["stock_quantity"] if _by_parent(doc, parent) else doc["stock_quantity"]
            doc["stock_quantity"] = (shown or 0) + payload["inventory_delta"]
    else:
        doc["backorders"], doc["stock_quantity"], doc["low_stock_amount"] = "no", None, None
        if "stock_status" in payload:
            doc["stock_status"] = payload["stock_status"]
    if "attributes" in payload:
        doc["attributes"] = _attributes(payload["attributes"], parent)
        doc["name"] = ", ".join(_options(doc))
    for item in payload.get("meta_data") or []:
        set_meta(doc, item, meta_ids)
    refresh_stock_status(doc)
    doc.update(date_fields("date_modified", now))


def _shown_stock(doc: dict[str, Any], parent: dict[str, Any] | None) -> dict[str, Any]:
    """The stock fields as the API shows them (the parent's when it manages the stock)."""
    if _by_parent(doc, parent):
        assert parent is not None
        return {
            "manage_stock": "parent",
            "stock_quantity": parent["stock_quantity"],
            "stock_status": parent["stock_status"],
            "backorders": parent["backorders"],
            "backorders_allowed": parent["backorders"] != "no",
            "backordered": bool(parent.get("backordered")),
        }
    return {
        "manage_stock": doc["manage_stock"],
        "stock_quantity": doc["stock_quantity"] if doc["manage_stock"] else None,
        "stock_status": doc["stock_status"],
        "backorders": doc["backorders"],
        "backorders_allowed": doc["backorders"] != "no",
        "backordered": doc["backordered"],
    }


def shown_sku(doc: dict[str, Any], parent: dict[str, Any] | None) -> str:
    """The variation's SKU, or its parent's when it has none of its own."""
    return doc["sku"] or (parent or {}).get("sku") or ""


def render_variation(doc: dict[str, Any], parent: dict[str, Any] | None, base_url: str) -> dict[str, Any]:
    """The API view, fields in the real shop's order (woo-samples/variation-create.json)."""
    stock = _shown_stock(doc, parent)
    slug = (parent or {}).get("slug") or "produkt"
    query = "&".join(f"attribute_{a['slug']}={quote(a['option'])}" for a in doc["attributes"] if a["option"])
    api = f"{base_url}/wp-json/wc/v3/products/{doc['parent_id']}"
    out: dict[str, Any] = {
        "id": doc["id"],
        "date_created": doc["date_created"],
        "date_created_gmt": doc["date_created_gmt"],
        "date_modified": doc["date_modified"],
        "date_modified_gmt": doc["date_modified_gmt"],
        "description": doc["description"],
        "permalink": f"{base_url}/product/{slug}/" + (f"?{query}" if query else ""),
        "sku": shown_sku(doc, parent),
        "price": doc["price"],
        "regular_price": doc["regular_price"],
        "sale_price": doc["sale_price"],
        **{k: doc[k] for k in ("date_on_sale_from", "date_on_sale_from_gmt", "date_on_sale_to")},
        "date_on_sale_to_gmt": doc["date_on_sale_to_gmt"],
        "on_sale": doc["on_sale"],
        "status": doc["status"],
        "purchasable": bool(doc["price"]) and doc["status"] == "publish",
        **{k: doc[k] for k in ("virtual", "downloadable", "downloads", "download_limit", "download_expiry")},
        "tax_status": doc["tax_status"],
        "tax_class": doc["tax_class"],
        **stock,
        "low_stock_amount": doc["low_stock_amount"],
        "weight": doc["weight"],
        "dimensions": doc["dimensions"],
        "shipping_class": doc["shipping_class"],
        "shipping_class_id": doc["shipping_class_id"],
        "image": doc["image"],
        "attributes": doc["attributes"],
        "menu_order": doc["menu_order"],
        "meta_data": doc["meta_data"],
        "name": doc["name"],
        "parent_id": doc["parent_id"],
        "_links": {
            "self": [{"href": f"{api}/variations/{doc['id']}"}],
            "collection": [{"href": f"{api}/variations"}],
            "up": [{"href": api}],
        },
    }
    return copy.deepcopy(out)


def line_product(variation: dict[str, Any], parent: dict[str, Any]) -> dict[str, Any]:
    """What an order line for ``variation`` is built from (the same keys a product has, plus the
    variation's own): "Koszulka - M", the parent's id, the variation's SKU, its tax class with
    ``"parent"`` resolved, the attributes as line meta."""
    options = _options(variation)
    return {
        "id": parent["id"],
        "variation_id": variation["id"],
        "name": f"{parent['name']} - {', '.join(options)}" if options else parent["name"],
        "parent_name": parent["name"],
        "sku": shown_sku(variation, parent),
        "price": variation["price"],
        "tax_class": parent["tax_class"] if variation["tax_class"] == "parent" else variation["tax_class"],
        "tax_status": variation["tax_status"],
        "attribute_meta": [(a["slug"], a["option"], a["name"]) for a in variation["attributes"] if a["option"]],
    }


def sync_variable(parent: dict[str, Any], children: list[dict[str, Any]]) -> bool:
    """Bring a variable parent's derived fields up to date; True when something changed."""
    if parent.get("type") != "variable":
        return False
    before = (parent["variations"], parent["price"], parent["stock_status"])
    live = [child for child in children if child["status"] != "trash"]
    parent["variations"] = [child["id"] for child in live]
    prices = [Decimal(c["price"]) for c in live if c["status"] == "publish" and c["price"]]
    parent["price"] = fmt2(min(prices)) if prices else ""
    if not parent["manage_stock"]:
        shown = {child["stock_status"] for child in live}
        parent["stock_status"] = next(
            (status for status in ("instock", "onbackorder") if status in shown), "outofstock"
        )
    return (parent["variations"], parent["price"], parent["stock_status"]) != before


def catalogue_variables() -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Create payloads of the demo's variable products: (parent, its variations)."""
    out = []
    for product in VARIABLE_PRODUCTS:
        first = product.items[0]
        parent: dict[str, Any] = {
            "name": product.name,
            "type": "variable",
            "tax_class": first.tax_class,
            "weight": f"{first.weight_kg.normalize():f}",
            "attributes": [{"name": product.attribute, "variation": True, "options": list(product.options)}],
        }
        if product.stock_on_parent:
            parent.update(sku=first.code, manage_stock=True, stock_quantity=first.stock)
        children = []
        for n, option in enumerate(product.options):
            item = first if product.stock_on_parent else product.items[n]
            child: dict[str, Any] = {
                "regular_price": fmt2(item.price_gross),
                "attributes": [{"name": product.attribute, "option": option}],
                "manage_stock": not product.stock_on_parent,
            }
            if not product.stock_on_parent:
                child.update(sku=item.code, stock_quantity=item.stock)
            children.append(child)
        out.append((parent, children))
    return out
