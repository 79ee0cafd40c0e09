"""The emulator's refund routes: ``orders/<id>/refunds[/<rid>]`` and ``refunds`` (WooCommerce >= 9.0).

Kept apart from ``routes.py`` (which registers them) so the refund controller's rules read in
one place: DELETE takes ``force`` (default true; ``force=false`` is 501, refunds cannot be
trashed), the lists page like every list and sort by date or id, and ``GET refunds`` adds
``parent_id`` to each refund; its filters are the orders' ones minus status, customer and
product (and, as issue #65488 says of the real shop, no modification date).
"""

from __future__ import annotations

import re

from .route_args import Request, Response, json_body, list_query, paged, trim
from .store import ShopStore

_SORTS = ("date", "id", "include")


def _force(request: Request) -> bool:
    return request.params.get("force", "true").lower() not in ("0", "false", "no")


def list_order_refunds(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    query = list_query(request, _SORTS)
    query.modified_after = query.modified_before = None
    items, total = store.query_refunds(query, order_id=int(match[1]))
    return paged(store, request, items, total, query.per_page, query.page)


def create_refund(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    return Response(201, store.create_refund(int(match[1]), json_body(request)))


def get_refund(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    return Response(200, trim(store.get_refund(int(match[1]), int(match[2])), request.values("_fields")))


def delete_refund(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    return Response(200, store.delete_refund(int(match[1]), int(match[2]), _force(request)))


def list_refunds(store: ShopStore, request: Request, _: re.Match[str]) -> Response:
    query = list_query(request, _SORTS)
    query.modified_after = query.modified_before = None
    if request.params.get("parent", "").isdigit():
        query.parent = int(request.params["parent"])
    items, total = store.query_refunds(query)
    return paged(store, request, items, total, query.per_page, query.page)


ROUTES = [
    (re.compile(r"^orders/(\d+)/refunds$"), {"GET": ("list", list_order_refunds), "POST": ("create", create_refund)}),
    (re.compile(r"^orders/(\d+)/refunds/(\d+)$"), {"GET": ("view", get_refund), "DELETE": ("delete", delete_refund)}),
    (re.compile(r"^refunds$"), {"GET": ("list", list_refunds)}),
]
