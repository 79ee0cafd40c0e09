"""The wc/v3 routes the emulator answers, with WordPress' argument checks and paging headers.

Kept apart from the socket code so the behaviour (what is a 400, what a page past the end
answers, which headers a list carries) reads in one place. Facts from woocommerce.md section 8:
``per_page`` at most 100; a page past the end is 200 ``[]``; the ``Link`` header carries only
prev/next and repeats the request's own parameters; batches take at most 100 items in all and
report per-item errors inside a 200 (a variable product's variations have their own list, item
and batch routes under ``products/<parent>/variations``); an unknown route or method is 404
``rest_no_route``.
``GET orders/statuses`` is ``rest_no_route`` too, as on the recorded WooCommerce 8.9.1 shop.
"""

from __future__ import annotations

import re
from typing import Any

from . import refund_routes
from . import variation_routes as variations
from .common import ApiError, invalid_params
from .lifecycle import STATUS_NAMES
from .route_args import (
    PRODUCT_SORTS,
    Handler,
    Request,
    Response,
    int_param,
    json_body,
    list_query,
    paged,
    run_batch,
    trim,
)
from .store import ShopStore

_ORDER_SORTS = ("date", "id", "include", "title", "slug", "modified")
_DENIED = {
    "list": ("woocommerce_rest_cannot_view", "Sorry, you cannot list resources."),
    "view": ("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource."),
    "create": ("woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources."),
    "edit": ("woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource."),
    "delete": ("woocommerce_rest_cannot_delete", "Sorry, you are not allowed to delete this resource."),
    "batch": (
        "woocommerce_rest_cannot_batch",
        "Sorry, you are not allowed to batch manipulate this resource.",
    ),
}


# --- orders ------------------------------------------------------------------------------------


def list_orders(store: ShopStore, request: Request, _: re.Match[str]) -> Response:
    query = list_query(request, _ORDER_SORTS)
    statuses = request.values("status") or ["any"]
    allowed = ("any", "trash", *STATUS_NAMES)
    bad = [s for s in statuses if s not in allowed]
    if bad:
        raise invalid_params(
            {"status": ("rest_not_in_enum", f"status[0] is not one of {', '.join(allowed)}.")}
        )
    query.statuses = [] if "any" in statuses else statuses
    if "customer" in request.params:
        query.customer = int_param(request.params, "customer", 0, 0)
    items, total = store.query_orders(query)
    return paged(store, request, items, total, query.per_page, query.page)


def get_order(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    order = store.get_order(int(match[1]))
    if order is None:
        raise ApiError(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
    return Response(200, trim(order, request.values("_fields")))


def create_order(store: ShopStore, request: Request, _: re.Match[str]) -> Response:
    return Response(201, store.create_order(json_body(request)))


def update_order(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    return Response(200, store.update_order(int(match[1]), json_body(request)))


def delete_order(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    force = request.params.get("force", "").lower() in ("1", "true")
    return Response(200, store.delete_order(int(match[1]), force))


def list_notes(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    kind = request.params.get("type", "any")
    notes = [_note_links(store, int(match[1]), n) for n in store.notes(int(match[1]), kind)]
    return Response(200, notes)


def create_note(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    body = json_body(request)
    note = store.add_note(
        int(match[1]),
        body.get("note", ""),
        body.get("customer_note") is True,
        body.get("added_by_user") is True,
    )
    return Response(201, _note_links(store, int(match[1]), note))


def _note_links(store: ShopStore, order_id: int, note: dict[str, Any]) -> dict[str, Any]:
    api = f"{store.base_url}/wp-json/wc/v3/orders/{order_id}"
    return {
        **note,
        "_links": {
            "self": [{"href": f"{api}/notes/{note['id']}"}],
            "collection": [{"href": f"{api}/notes"}],
            "up": [{"href": api}],
        },
    }


# --- products ----------------------------------------------------------------------------------


def list_products(store: ShopStore, request: Request, _: re.Match[str]) -> Response:
    query = list_query(request, PRODUCT_SORTS)
    query.skus = request.values("sku")
    query.stock_status = request.params.get("stock_status", "")
    items, total = store.query_products(query)
    return paged(store, request, items, total, query.per_page, query.page)


def get_product(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    product = store.get_product(int(match[1]))
    if product is None:
        raise ApiError(404, "woocommerce_rest_product_invalid_id", "Invalid ID.")
    return Response(200, trim(product, request.values("_fields")))


def create_product(store: ShopStore, request: Request, _: re.Match[str]) -> Response:
    return Response(201, store.create_product(json_body(request)))


def update_product(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    return Response(200, store.update_product(int(match[1]), json_body(request)))


def delete_product(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    force = request.params.get("force", "").lower() in ("1", "true")
    return Response(200, store.delete_product(int(match[1]), force))


def order_totals(store: ShopStore, request: Request, _: re.Match[str]) -> Response:
    """``reports/orders/totals``: every order status the shop knows, with its count (none: 0)."""
    counts = store.order_totals()
    return Response(200, [{"slug": slug, "name": name, "total": counts.get(slug, 0)}
                          for slug, name in STATUS_NAMES.items()])


# --- batches -----------------------------------------------------------------------------------


def batch_orders(store: ShopStore, request: Request, _: re.Match[str]) -> Response:
    def update(order_id: Any, item: dict) -> dict:
        if not str(order_id or "").isdigit():
            raise ApiError(400, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
        return store.update_order(int(order_id), item)

    def delete(order_id: Any) -> dict:
        if not str(order_id or "").isdigit():
            raise ApiError(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
        return store.delete_order(int(order_id), force=True)

    return run_batch(request, store.create_order, update, delete)


def batch_products(store: ShopStore, request: Request, _: re.Match[str]) -> Response:
    return run_batch(
        request,
        lambda item: store.create_product(item, strict=False),
        lambda product_id, item: store.update_product(product_id, item, strict=False),
        lambda product_id: store.delete_product(product_id, force=True),
    )


# --- dispatch ----------------------------------------------------------------------------------

_ROUTES: list[tuple[re.Pattern[str], dict[str, tuple[str, Handler]]]] = [
    (re.compile(r"^orders$"), {"GET": ("list", list_orders), "POST": ("create", create_order)}),
    (re.compile(r"^orders/batch$"), {m: ("batch", batch_orders) for m in ("POST", "PUT", "PATCH")}),
    (
        re.compile(r"^orders/(\d+)$"),
        {
            "GET": ("view", get_order),
            "DELETE": ("delete", delete_order),
            **{m: ("edit", update_order) for m in ("POST", "PUT", "PATCH")},
        },
    ),
    (re.compile(r"^orders/(\d+)/notes$"), {"GET": ("list", list_notes), "POST": ("create", create_note)}),
    *refund_routes.ROUTES,
    (re.compile(r"^reports/orders/totals$"), {"GET": ("list", order_totals)}),
    (re.compile(r"^products$"), {"GET": ("list", list_products), "POST": ("create", create_product)}),
    (re.compile(r"^products/batch$"), {m: ("batch", batch_products) for m in ("POST", "PUT", "PATCH")}),
    (
        re.compile(r"^products/(\d+)$"),
        {
            "GET": ("view", get_product),
            "DELETE": ("delete", delete_product),
            **{m: ("edit", update_product) for m in ("POST", "PUT", "PATCH")},
        },
    ),
    (
        re.compile(r"^products/(\d+)/variations$"),
        {"GET": ("list", variations.list_variations), "POST": ("create", variations.create_variation)},
    ),
    (
        re.compile(r"^products/(\d+)/variations/batch$"),
        {m: ("batch", variations.batch_variations) for m in ("POST", "PUT", "PATCH")},
    ),
    (
        re.compile(r"^products/(\d+)/variations/(\d+)$"),
        {
            "GET": ("view", variations.get_variation),
            "DELETE": ("delete", variations.delete_variation),
            **{m: ("edit", variations.update_variation) for m in ("POST", "PUT", "PATCH")},
        },
    ),
]


def dispatch(store: ShopStore, request: Request) -> Response:
    """Route a request; raises ``ApiError`` for every WooCommerce-shaped failure."""
    for pattern, methods in _ROUTES:
        match = pattern.match(request.route.rstrip("/"))
        if not match or request.method not in methods:
            continue
        permission, handler = methods[request.method]
        if not request.authenticated:
            code, message = _DENIED[permission]
            raise ApiError(401, code, message)
        response = handler(store, request, match)
        allow = ", ".join(m for m in ("GET", "POST", "PUT", "PATCH", "DELETE") if m in methods)
        response.headers.setdefault("Allow", allow)
        return response
    raise ApiError(404, "rest_no_route", "No route was found matching the URL and request method.")
