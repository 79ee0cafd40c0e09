"""The routes of a variable product's variations: ``products/<parent>/variations`` (list,
create), ``.../variations/<id>`` (read, update, delete) and ``.../variations/batch``.

As in WooCommerce, a variation is only reachable under its own parent: another parent's
variation id is "Invalid ID." (404 on read, 400 on write, per item inside a batch).
"""

from __future__ import annotations

import re

from .route_args import PRODUCT_SORTS, Request, Response, json_body, list_query, paged, run_batch, trim
from .store import ShopStore


def list_variations(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    query = list_query(request, PRODUCT_SORTS)
    query.skus = request.values("sku")
    query.stock_status = request.params.get("stock_status", "")
    items, total = store.query_variations(int(match[1]), query)
    return paged(store, request, items, total, query.per_page, query.page)


def get_variation(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    return Response(200, trim(store.get_variation(int(match[1]), int(match[2])), request.values("_fields")))


def create_variation(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    return Response(201, store.create_variation(int(match[1]), json_body(request)))


def update_variation(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    return Response(200, store.update_variation(int(match[1]), int(match[2]), json_body(request)))


def delete_variation(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    force = request.params.get("force", "").lower() in ("1", "true")
    return Response(200, store.delete_variation(int(match[1]), int(match[2]), force))


def batch_variations(store: ShopStore, request: Request, match: re.Match[str]) -> Response:
    """One parent's variations; an id of another parent's variation is "Invalid ID."."""
    parent = int(match[1])
    return run_batch(
        request,
        lambda item: store.create_variation(parent, item, strict=False),
        lambda variation_id, item: store.update_variation(parent, variation_id, item, strict=False),
        lambda variation_id: store.delete_variation(parent, variation_id, force=True),
    )
