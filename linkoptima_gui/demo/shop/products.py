"""Simple products of the emulated shop: validation, documents, stock rules, seeding.

Validation follows what WordPress' REST schema does for a single request and what WooCommerce
does without it inside a batch (batch items skip the schema, so there ``stock_quantity`` 5.5 is
silently truncated to 5 by ``intval``, while a single ``PUT`` with 5.5 is a 400). Stock may go
negative; with ``manage_stock`` the stock status follows the quantity (``backorders`` = no).
"""

from __future__ import annotations

import copy
import math
import re
import unicodedata
from datetime import datetime
from decimal import Decimal
from typing import Any

from ..catalogue import CATALOGUE
from .common import ApiError, date_fields, fmt2, invalid_params

_PL = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")
_STATUSES = ("draft", "pending", "private", "publish", "future")
_STRING_FIELDS = (
    "name",
    "sku",
    "regular_price",
    "sale_price",
    "tax_class",
    "description",
    "short_description",
    "weight",
)
_BOOL_FIELDS = ("manage_stock", "virtual", "downloadable", "featured")
_TRUE = ("1", "true", "yes")
_FALSE = ("0", "false", "no", "")


def slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.translate(_PL)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "produkt"


def _is_integer(value: Any) -> bool:
    """WordPress' ``rest_is_integer``: a number or numeric string with no fractional part."""
    if isinstance(value, bool):
        return False
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return math.isfinite(number) and number == round(number)


def _php_intval(value: Any) -> int:
    """PHP ``intval`` as WooCommerce's ``wc_stock_amount`` applies it: truncate, junk -> 0."""
    try:
        return int(float(value))
    except (TypeError, ValueError):
        match = re.match(r"\s*[-+]?\d+", str(value))
        return int(match.group()) if match else 0


def _to_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    return True if text in _TRUE else False if text in _FALSE else None


def clean_payload(payload: dict[str, Any], strict: bool) -> dict[str, Any]:
    """Check and normalise writable product fields; ``strict`` = a single request (schema on)."""
    problems: dict[str, tuple[str, str]] = {}
    out = dict(payload)
    for name in _STRING_FIELDS:
        if name in payload and payload[name] is not None and not isinstance(payload[name], str):
            if strict:
                problems[name] = ("rest_invalid_type", f"{name} is not of type string.")
            else:
                out[name] = str(payload[name])
    for name in ("stock_quantity", "inventory_delta"):
        if name in payload:
            if _is_integer(payload[name]):
                out[name] = int(float(payload[name]))
            elif strict:
                problems[name] = ("rest_invalid_type", f"{name} is not of type integer.")
            else:
                out[name] = _php_intval(payload[name])
    for name in _BOOL_FIELDS:
        if name in payload:
            flag = _to_bool(payload[name])
            if flag is None and strict:
                problems[name] = ("rest_invalid_type", f"{name} is not of type boolean.")
            out[name] = bool(flag)
    if strict and "status" in payload and payload["status"] not in _STATUSES:
        problems["status"] = ("rest_not_in_enum", f"status is not one of {', '.join(_STATUSES)}.")
    if strict and payload.get("backorders", "no") not in ("no", "notify", "yes"):
        problems["backorders"] = ("rest_not_in_enum", "backorders is not one of no, notify and yes.")
    if problems:
        raise invalid_params(problems)
    return out


def refresh_stock_status(doc: dict[str, Any]) -> None:
    """Stock status follows the quantity when stock is managed (no backorders in the demo)."""
    if doc["manage_stock"]:
        quantity = doc["stock_quantity"] or 0
        if quantity > 0:
            doc["stock_status"] = "instock"
        else:
            doc["stock_status"] = "onbackorder" if doc["backorders"] != "no" else "outofstock"
        doc["backordered"] = quantity < 0 and doc["backorders"] != "no"
    doc["backorders_allowed"] = doc["backorders"] != "no"


def new_product(product_id: int, payload: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A product document from a (cleaned) create payload."""
    name = payload.get("name") or "Produkt"
    doc: dict[str, Any] = {
        "id": product_id,
        "name": name,
        "slug": payload.get("slug") or slugify(name),
        **date_fields("date_created", now),
        **date_fields("date_modified", now),
        "type": payload.get("type", "simple"),
        "status": payload.get("status", "publish"),
        "featured": False,
        "catalog_visibility": "visible",
        "description": "",
        "short_description": "",
        "sku": "",
        "price": "",
        "regular_price": "",
        "sale_price": "",
        "date_on_sale_from": None,
        "date_on_sale_from_gmt": None,
        "date_on_sale_to": None,
        "date_on_sale_to_gmt": None,
        "on_sale": False,
        "purchasable": True,
        "total_sales": 0,
        "virtual": False,
        "downloadable": False,
        "downloads": [],
        "download_limit": -1,
        "download_expiry": -1,
        "external_url": "",
        "button_text": "",
        "tax_status": "taxable",
        "tax_class": "",
        "manage_stock": False,
        "stock_quantity": None,
        "backorders": "no",
        "backorders_allowed": False,
        "backordered": False,
        "low_stock_amount": None,
        "sold_individually": False,
        "weight": "",
        "dimensions": {"length": "", "width": "", "height": ""},
        "shipping_required": True,
        "shipping_taxable": True,
        "shipping_class": "",
        "shipping_class_id": 0,
        "reviews_allowed": True,
        "average_rating": "0",
        "rating_count": 0,
        "upsell_ids": [],
        "cross_sell_ids": [],
        "parent_id": 0,
        "purchase_note": "",
        "categories": [{"id": 15, "name": "Uncategorized", "slug": "uncategorized"}],
        "tags": [],
        "images": [],
        "attributes": [],
        "default_attributes": [],
        "variations": [],
        "grouped_products": [],
        "menu_order": 0,
        "related_ids": [],
        "meta_data": [],
        "stock_status": "instock",
        "has_options": False,
        "post_password": "",
    }
    _apply(
        doc,
        {k: v for k, v in payload.items() if k not in ("name", "slug", "type", "status")},
        now,
        meta_ids=None,
    )
    doc["date_modified"], doc["date_modified_gmt"] = doc["date_created"], doc["date_created_gmt"]
    return doc


def update_product(
    doc: dict[str, Any], payload: dict[str, Any], now: datetime, meta_ids: Any = None
) -> dict[str, Any]:
    """Apply a (cleaned) update payload to a copy of ``doc``."""
    updated = copy.deepcopy(doc)
    _apply(updated, payload, now, meta_ids)
    return updated


def _apply(doc: dict[str, Any], payload: dict[str, Any], now: datetime, meta_ids: Any) -> None:
    simple = (
        "name",
        "sku",
        "regular_price",
        "sale_price",
        "tax_class",
        "tax_status",
        "description",
        "short_description",
        "weight",
        "status",
        "backorders",
        "catalog_visibility",
        "virtual",
        "downloadable",
        "featured",
        "low_stock_amount",
        "menu_order",
    )
    for key in simple:
        if key in payload and payload[key] is not None:
            doc[key] = payload[key]
    apply_prices(doc, payload)
    if "manage_stock" in payload:
        doc["manage_stock"] = payload["manage_stock"]
        if not doc["manage_stock"]:
            doc["stock_quantity"] = None
    if "stock_quantity" in payload and doc["manage_stock"]:
        doc["stock_quantity"] = payload["stock_quantity"]
    if "inventory_delta" in payload and doc["manage_stock"]:
        doc["stock_quantity"] = (doc["stock_quantity"] or 0) + payload["inventory_delta"]
    if "stock_status" in payload and not doc["manage_stock"]:
        doc["stock_status"] = payload["stock_status"]
    if isinstance(payload.get("attributes"), list):
        doc["attributes"] = product_attributes(payload["attributes"])
    for item in payload.get("meta_data") or []:
        set_meta(doc, item, meta_ids)
    refresh_stock_status(doc)
    doc.update(date_fields("date_modified", now))


def product_attributes(given: list[Any]) -> list[dict[str, Any]]:
    """A product's attributes as stored (custom ones: id 0); ``variation`` marks those the
    variations of a variable product are told apart by."""
    out = []
    for position, item in enumerate(a for a in given if isinstance(a, dict) and a.get("name")):
        options = item.get("options") or []
        out.append(
            {
                "id": int(item.get("id") or 0),
                "name": str(item["name"]),
                "slug": slugify(str(item["name"])),
                "position": int(item.get("position", position) or 0),
                "visible": _to_bool(item.get("visible", True)) is not False,
                "variation": _to_bool(item.get("variation", False)) is True,
                "options": [str(o) for o in options] if isinstance(options, list) else [],
            }
        )
    return out


def apply_prices(doc: dict[str, Any], payload: dict[str, Any]) -> None:
    """Regular and sale price as ``wc_format_decimal`` keeps them; ``price`` is what applies."""
    for key in ("regular_price", "sale_price"):
        if key in payload and payload[key] is not None:
            doc[key] = payload[key]
    if "regular_price" in payload or "sale_price" in payload:
        for key in ("regular_price", "sale_price"):
            if doc[key]:
                try:
                    doc[key] = fmt2(Decimal(str(doc[key]).replace(",", ".")))
                except ArithmeticError:  # wc_format_decimal leaves junk as an empty price
                    doc[key] = ""
        doc["price"] = doc["sale_price"] or doc["regular_price"]
        doc["on_sale"] = bool(doc["sale_price"])


def set_meta(doc: dict[str, Any], item: dict[str, Any], meta_ids: Any) -> None:
    for existing in doc["meta_data"]:
        if existing["id"] == item.get("id") or (not item.get("id") and existing["key"] == item.get("key")):
            existing["value"] = item.get("value")
            return
    next_id = meta_ids() if meta_ids else len(doc["meta_data"]) + 1
    doc["meta_data"].append({"id": next_id, "key": item.get("key", ""), "value": item.get("value")})


def adjust_stock(doc: dict[str, Any], delta: int, now: datetime) -> tuple[int, int]:
    """Change a managed stock by ``delta`` (orders taking or returning goods); returns (old, new)."""
    old = doc["stock_quantity"] or 0
    doc["stock_quantity"] = old + delta
    refresh_stock_status(doc)
    doc.update(date_fields("date_modified", now))
    return old, doc["stock_quantity"]


def render_product(doc: dict[str, Any], base_url: str) -> dict[str, Any]:
    """The API view: stored fields plus the URL-dependent ones (the port changes per run)."""
    out = copy.deepcopy(doc)
    price = out["price"].replace(".", ",") if out["price"] else ""
    out["permalink"] = f"{base_url}/product/{out['slug']}/"
    out["price_html"] = (
        f'<span class="woocommerce-Price-amount amount"><bdi>{price}&nbsp;<span class="woocommerce-Price-'
        'currencySymbol">&#122;&#322;</span></bdi></span>'
        if price
        else ""
    )
    out["permalink_template"] = f"{base_url}/product/%pagename%/"
    out["generated_slug"] = out["slug"]
    out["_links"] = {
        "self": [{"href": f"{base_url}/wp-json/wc/v3/products/{out['id']}"}],
        "collection": [{"href": f"{base_url}/wp-json/wc/v3/products"}],
    }
    return out


def invalid_id(status: int) -> ApiError:
    return ApiError(status, "woocommerce_rest_product_invalid_id", "Invalid ID.")


def catalogue_payloads() -> list[dict[str, Any]]:
    """Create payloads for the demo catalogue: SKU = Optima code, gross price, tax class, stock."""
    return [
        {
            "name": item.name,
            "sku": item.code,
            "regular_price": fmt2(item.price_gross),
            "tax_class": item.tax_class,
            "manage_stock": True,
            "stock_quantity": item.stock,
            "weight": f"{item.weight_kg.normalize():f}",
        }
        for item in CATALOGUE
    ]
