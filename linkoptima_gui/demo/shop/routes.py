"""The wc/v3 routes the emulator answers, with WordPress' argument checks and paging headers.

Kept apart from the socket code so the behaviour (what is a 400, what a page past the end
answers, which headers a list carries) reads in one place. Facts from woocommerce.md section 8:
``per_page`` at most 100; a page past the end is 200 ``[]``; the ``Link`` header carries only
prev/next and repeats the request's own parameters; batches take at most 100 items in all and
report per-item errors inside a 200; an unknown route or method is 404 ``rest_no_route``.
``GET orders/statuses`` is ``rest_no_route`` too, as on the recorded WooCommerce 8.9.1 shop.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from .common import ApiError, invalid_params, parse_query_date
from .lifecycle import STATUS_NAMES
from .store import ShopStore
from .tables import ListQuery

BATCH_LIMIT = 100
_ORDER_SORTS = ("date", "id", "include", "title", "slug", "modified")
_PRODUCT_SORTS = (
    "date",
    "id",
    "include",
    "title",
    "slug",
    "modified",
    "price",
    "popularity",
    "rating",
    "menu_order",
)
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


@dataclass
class Request:
    method: str
    route: str  # the part after /wp-json/wc/v3/
    pairs: list[tuple[str, str]]  # query parameters as sent, repeated names kept
    body: Any
    authenticated: bool

    @property
    def params(self) -> dict[str, str]:
        """Last value wins for a repeated name, as PHP's ``$_GET`` does."""
        return dict(self.pairs)

    def values(self, name: str) -> list[str]:
        """A list argument: ``a,b`` or ``name[]=a&name[]=b`` (or ``name[0]=a``)."""
        found = [v for k, v in self.pairs if k == name or k.startswith(f"{name}[")]
        return [part.strip() for value in found for part in value.split(",") if part.strip()]


@dataclass
class Response:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[ShopStore, Request, re.Match[str]], Response]


def _int_param(params: dict[str, str], name: str, default: int, low: int, high: int | None = None) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid_params({name: ("rest_invalid_type", f"{name} is not of type integer.")}) from None
    if value < low or (high is not None and value > high):
        bounds = (
            f"between {low} (inclusive) and {high} (inclusive)" if high else f"greater than or equal to {low}"
        )
        raise invalid_params({name: ("rest_out_of_bounds", f"{name} must be {bounds}")})
    return value


def _ids(request: Request, name: str) -> list[int]:
    try:
        return [int(v) for v in request.values(name)]
    except ValueError:
        raise invalid_params({name: ("rest_invalid_type", f"{name}[0] is not of type integer.")}) from None


def _list_query(request: Request, sorts: tuple[str, ...]) -> ListQuery:
    p = request.params
    order = p.get("order", "desc")
    if order not in ("asc", "desc"):
        raise invalid_params({"order": ("rest_not_in_enum", "order is not one of asc and desc.")})
    orderby = p.get("orderby", "date")
    if orderby not in sorts:
        raise invalid_params({"orderby": ("rest_not_in_enum", f"orderby is not one of {', '.join(sorts)}.")})
    gmt = p.get("dates_are_gmt", "").lower() in ("1", "true", "yes")
    dates = {
        name: parse_query_date(name, p[name], gmt)
        for name in ("after", "before", "modified_after", "modified_before")
        if name in p
    }
    return ListQuery(
        page=_int_param(p, "page", 1, 1),
        per_page=_int_param(p, "per_page", 10, 1, 100),
        offset=_int_param(p, "offset", 0, 0) if "offset" in p else None,
        orderby=orderby,
        descending=order == "desc",
        include=_ids(request, "include"),
        exclude=_ids(request, "exclude"),
        search=p.get("search", ""),
        **dates,
    )


def _paged(
    store: ShopStore, request: Request, items: list[dict[str, Any]], total: int, per_page: int, page: int
) -> Response:
    pages = math.ceil(total / per_page)
    headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
    links = []
    base = f"{store.base_url}/wp-json/wc/v3/{request.route}"

    def link(number: int, rel: str) -> str:
        params = dict(request.pairs)  # the request's own parameters, OAuth ones included
        params["page"] = str(number)
        return f'<{base}?{urlencode(params)}>; rel="{rel}"'

    if page > 1:
        links.append(link(min(page - 1, pages), "prev"))
    if page < pages:
        links.append(link(page + 1, "next"))
    if links:
        headers["Link"] = ", ".join(links)
    fields = request.values("_fields")
    return Response(200, [_trim(item, fields) for item in items], headers)


def _trim(item: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """``_fields=a,b`` keeps only those top-level fields (nested names keep their parent)."""
    if not fields:
        return item
    wanted = {name.split(".")[0] for name in fields}
    return {k: v for k, v in item.items() if k in wanted}


def _body(request: Request) -> dict[str, Any]:
    body = request.body if request.body is not None else {}
    if not isinstance(body, dict):
        raise ApiError(400, "rest_invalid_json", "Invalid JSON body passed.")
    return body


# --- orders ------------------------------------------------------------------------------------


def list_orders(store: ShopStore, request: Request, _: re.Match[str]) -> Response:
    query = _list_query(request, _ORDER_SORTS)
    statuses = request.values("status") or ["any"]
    allowed = ("any", "trash", *STATUS_NAMES)
    bad = [s for s in statuses if s not in allowed]
    if bad:
        raise invalid_params(
            {"status": ("rest_not_in_enum", f"status[0] is not one of {', '.join(allowed)}.")}
        )
    query.statuses = [] if "any" in statuses else statuses
    if "customer" in request.params:
        query.customer = _int_param(request.params, "customer", 0, 0)
    items, total = store.query_orders(query)
    return _paged(store, request, items, total, query.per_page, query.page)


def get_order(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    order = store.get_order(int(match[1]))
    if order is None:
        raise ApiError(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
    return Response(200, _trim(order, request.values("_fields")))


def create_order(store: ShopStore, request: Request, _: re.Match[str]) -> Response:
    return Response(201, store.create_order(_body(request)))


def update_order(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    return Response(200, store.update_order(int(match[1]), _body(request)))


def delete_order(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    force = request.params.get("force", "").lower() in ("1", "true")
    return Response(200, store.delete_order(int(match[1]), force))


def list_notes(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    kind = request.params.get("type", "any")
    notes = [_note_links(store, int(match[1]), n) for n in store.notes(int(match[1]), kind)]
    return Response(200, notes)


def create_note(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    body = _body(request)
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
    query = _list_query(request, _PRODUCT_SORTS)
    query.skus = request.values("sku")
    query.stock_status = request.params.get("stock_status", "")
    items, total = store.query_products(query)
    return _paged(store, request, items, total, query.per_page, query.page)


def get_product(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    product = store.get_product(int(match[1]))
    if product is None:
        raise ApiError(404, "woocommerce_rest_product_invalid_id", "Invalid ID.")
    return Response(200, _trim(product, request.values("_fields")))


def create_product(store: ShopStore, request: Request, _: re.Match[str]) -> Response:
    return Response(201, store.create_product(_body(request)))


def update_product(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    return Response(200, store.update_product(int(match[1]), _body(request)))


def delete_product(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    force = request.params.get("force", "").lower() in ("1", "true")
    return Response(200, store.delete_product(int(match[1]), force))


# --- batches -----------------------------------------------------------------------------------


def _batch(
    request: Request,
    create: Callable[[dict], dict],
    update: Callable[[Any, dict], dict],
    delete: Callable[[Any], dict],
) -> Response:
    """Up to 100 items in all; each item succeeds or fails on its own (not atomic)."""
    body = _body(request)
    groups = {name: body.get(name) or [] for name in ("create", "update", "delete")}
    if sum(len(items) for items in groups.values()) > BATCH_LIMIT:
        raise ApiError(
            413,
            "woocommerce_rest_request_entity_too_large",
            f"Unable to accept more than {BATCH_LIMIT} items for this request.",
        )
    result: dict[str, list[Any]] = {}
    for name, items in groups.items():
        if not items:
            continue
        out = result.setdefault(name, [])
        for item in items:
            try:
                if name == "create":
                    out.append(create(item))
                elif name == "update":
                    out.append(update(item.get("id") if isinstance(item, dict) else None, item))
                else:
                    out.append(delete(item))
            except ApiError as error:
                item_id = 0 if name == "create" else item.get("id") if isinstance(item, dict) else item
                out.append(
                    {
                        "id": item_id,
                        "error": {
                            "code": error.code,
                            "message": error.message,
                            "data": {"status": error.status, **error.extra},
                        },
                    }
                )
    return Response(200, result)


def batch_orders(store: ShopStore, request: Request, _: re.Match[str]) -> Response:
    def update(order_id: Any, item: dict) -> dict:
        if not str(order_id or "").isdigit():
            raise ApiError(400, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
        return store.update_order(int(order_id), item)

    def delete(order_id: Any) -> dict:
        if not str(order_id or "").isdigit():
            raise ApiError(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
        return store.delete_order(int(order_id), force=True)

    return _batch(request, store.create_order, update, delete)


def batch_products(store: ShopStore, request: Request, _: re.Match[str]) -> Response:
    return _batch(
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
