"""The plumbing of the emulator's routes: a request and an answer, WordPress' checks of list
arguments, paging headers, ``_fields``, and the batch rules (woocommerce.md section 8).

Kept apart from the routes themselves so that product, order and variation routes share one
reading of what a 400 is, what a page past the end answers, which headers a list carries and how
a batch reports per-item errors inside a 200 (at most 100 items in all, else 413).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from .common import ApiError, invalid_params, parse_query_date
from .store import ShopStore
from .tables import ListQuery

BATCH_LIMIT = 100
#: ``orderby`` values of the product and variation lists
PRODUCT_SORTS = ("date", "id", "include", "title", "slug", "modified", "price", "popularity", "rating", "menu_order")


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


def int_param(params: dict[str, str], name: str, default: int, low: int, high: int | None = None) -> int:
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


def id_list(request: Request, name: str) -> list[int]:
    try:
        return [int(v) for v in request.values(name)]
    except ValueError:
        raise invalid_params({name: ("rest_invalid_type", f"{name}[0] is not of type integer.")}) from None


def list_query(request: Request, sorts: tuple[str, ...]) -> ListQuery:
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
        page=int_param(p, "page", 1, 1),
        per_page=int_param(p, "per_page", 10, 1, 100),
        offset=int_param(p, "offset", 0, 0) if "offset" in p else None,
        orderby=orderby,
        descending=order == "desc",
        include=id_list(request, "include"),
        exclude=id_list(request, "exclude"),
        search=p.get("search", ""),
        **dates,
    )


def paged(
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
    return Response(200, [trim(item, fields) for item in items], headers)


def trim(item: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """``_fields=a,b`` keeps only those top-level fields (nested names keep their parent)."""
    if not fields:
        return item
    wanted = {name.split(".")[0] for name in fields}
    return {k: v for k, v in item.items() if k in wanted}


def json_body(request: Request) -> dict[str, Any]:
    body = request.body if request.body is not None else {}
    if not isinstance(body, dict):
        raise ApiError(400, "rest_invalid_json", "Invalid JSON body passed.")
    return body


def run_batch(
    request: Request,
    create: Callable[[dict], dict],
    update: Callable[[Any, dict], dict],
    delete: Callable[[Any], dict],
) -> Response:
    """Up to 100 items in all; each item succeeds or fails on its own (not atomic)."""
    body = json_body(request)
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
