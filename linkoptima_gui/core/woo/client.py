"""The shop over wc/v3 through the real ``woocommerce`` client, with our error taxonomy.

The client returns raw ``requests`` responses and never raises; this wrapper turns transport
failures, 429 and 5xx into ``RetryableError`` and other refusals into ``PermanentError`` with
the shop's own message, pages lists by ``X-WP-TotalPages`` in a stable order (``orderby=id``;
woocommerce.md §8), and rebuilds each page request instead of following ``Link`` verbatim.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

import requests
from woocommerce import API

from ..errors import PermanentError, RetryableError
from .settings import ShopSettings

PER_PAGE = 100
BATCH_SIZE = 100  # the shop refuses a bigger batch (413)
BATCH_TIMEOUT = 90.0


def gmt_param(moment: datetime) -> str:
    """``modified_after`` as the shop wants it: UTC, no offset, whole seconds."""
    return moment.replace(microsecond=0, tzinfo=None).isoformat()


def parse_gmt(text: str) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "")).replace(tzinfo=None)


class ShopClient:
    def __init__(self, settings: ShopSettings) -> None:
        self.settings = settings
        self._api = API(
            url=settings.url,
            consumer_key=settings.consumer_key,
            consumer_secret=settings.consumer_secret,
            version="wc/v3",
            timeout=settings.timeout,
        )
        # A 100-item batch takes 3-7 s on a real shop, and a timed-out write may still be applied
        # (woocommerce.md §8): batches get a longer timeout of their own.
        self._batch_api = API(
            url=settings.url,
            consumer_key=settings.consumer_key,
            consumer_secret=settings.consumer_secret,
            version="wc/v3",
            timeout=max(settings.timeout, BATCH_TIMEOUT),
        )

    # -- transport --------------------------------------------------------------------------

    def _call(self, method: str, endpoint: str, data: Any = None, params: dict | None = None,
              *, api: API | None = None) -> requests.Response:
        api = api or self._api
        try:
            if method in ("post", "put"):
                response = getattr(api, method)(endpoint, data, params=params or {})
            else:
                response = getattr(api, method)(endpoint, params=params or {})
        except requests.Timeout as exc:
            raise RetryableError("Sklep nie odpowiedział w czasie.", code="shop_unreachable",
                                 details={"endpoint": endpoint}) from exc
        except requests.RequestException as exc:
            raise RetryableError(f"Brak połączenia ze sklepem: {exc.__class__.__name__}.",
                                 code="shop_unreachable", details={"endpoint": endpoint}) from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise RetryableError(f"Sklep chwilowo odmawia ({response.status_code}).", code="shop_unreachable",
                                 details={"endpoint": endpoint, "status": response.status_code})
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = {"message": response.text[:200]}
            code = "shop_auth" if response.status_code == 401 else "shop_refused"
            raise PermanentError(
                f"Sklep odrzucił żądanie ({response.status_code}): {body.get('message', '')}",
                code=code,
                details={"endpoint": endpoint, "status": response.status_code, "shop_code": body.get("code")},
            )
        return response

    # -- orders -----------------------------------------------------------------------------

    def orders_modified_after(self, after: datetime | None) -> Iterator[dict[str, Any]]:
        """Every order modified strictly after ``after`` (all orders when None), page by page."""
        params: dict[str, Any] = {}
        if after is not None:
            params.update(modified_after=gmt_param(after), dates_are_gmt="true")
        return self._pages("orders", params)

    def _pages(self, endpoint: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Every item of a list, page by page, in id order (stable while the list changes)."""
        params = {"per_page": PER_PAGE, "orderby": "id", "order": "asc", **params}
        page = 1
        while True:
            response = self._call("get", endpoint, params={**params, "page": page})
            yield from response.json()
            total_pages = int(response.headers.get("X-WP-TotalPages") or 1)
            if page >= total_pages:
                return
            page += 1

    def get_order(self, order_id: int) -> dict[str, Any]:
        return self._call("get", f"orders/{order_id}").json()

    def update_order(self, order_id: int, data: dict[str, Any]) -> dict[str, Any]:
        return self._call("put", f"orders/{order_id}", data).json()

    def order_notes(self, order_id: int) -> list[dict[str, Any]]:
        return self._call("get", f"orders/{order_id}/notes").json()

    def add_order_note(self, order_id: int, note: str, customer_note: bool = False) -> dict[str, Any]:
        return self._call("post", f"orders/{order_id}/notes", {"note": note, "customer_note": customer_note}).json()

    # -- products (stock) --------------------------------------------------------------------

    def products(self, include: Sequence[int] | None = None) -> Iterator[dict[str, Any]]:
        """Every product (or the ones with these ids, ``PER_PAGE`` ids a request), with its stock."""
        if include is None:
            yield from self._pages("products", {})
            return
        ids = sorted(set(include))
        for start in range(0, len(ids), PER_PAGE):
            chunk = ids[start:start + PER_PAGE]
            yield from self._pages("products", {"include": ",".join(map(str, chunk))})

    def update_products(self, updates: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """One ``products/batch`` update of at most ``BATCH_SIZE`` products (each names its
        ``id``). Returns the shop's answer per item, in order: the product, or ``{"id", "error"}``
        for an item the shop refused inside the 200 answer."""
        if len(updates) > BATCH_SIZE:
            raise ValueError(f"a batch takes at most {BATCH_SIZE} items, got {len(updates)}")
        response = self._call("post", "products/batch", {"update": list(updates)}, api=self._batch_api)
        return list(response.json().get("update") or [])

    def check_connection(self) -> str:
        """A short Polish description of the shop's answer (for "Test connection")."""
        response = self._call("get", "orders", params={"per_page": 1})
        return f"Połączono ze sklepem: {response.headers.get('X-WP-Total', '?')} zamówień."

    # -- variations and catalogue ----------------------------------------------------------------

    def variations(self, parent_id: int, include: Sequence[int] | None = None) -> Iterator[dict[str, Any]]:
        """Every variation of a variable product (or the ones with these ids), with its stock as
        the shop shows it: ``manage_stock`` is ``"parent"`` when the parent holds the stock."""
        endpoint = f"products/{int(parent_id)}/variations"
        if include is None:
            yield from self._pages(endpoint, {})
            return
        ids = sorted(set(include))
        for start in range(0, len(ids), PER_PAGE):
            yield from self._pages(endpoint, {"include": ",".join(map(str, ids[start:start + PER_PAGE]))})

    def update_variations(self, parent_id: int, updates: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """One ``products/<parent>/variations/batch`` update (at most ``BATCH_SIZE`` variations of
        that parent, each naming its ``id``); the shop's answer per item, as ``update_products``."""
        if len(updates) > BATCH_SIZE:
            raise ValueError(f"a batch takes at most {BATCH_SIZE} items, got {len(updates)}")
        response = self._call("post", f"products/{int(parent_id)}/variations/batch", {"update": list(updates)},
                              api=self._batch_api)
        return list(response.json().get("update") or [])

    def create_products(self, products: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """One ``products/batch`` create of at most ``BATCH_SIZE`` products; the shop's answer per
        item, in order: the new product, or ``{"id": 0, "error"}`` (e.g. a duplicated SKU)."""
        if len(products) > BATCH_SIZE:
            raise ValueError(f"a batch takes at most {BATCH_SIZE} items, got {len(products)}")
        response = self._call("post", "products/batch", {"create": list(products)}, api=self._batch_api)
        return list(response.json().get("create") or [])


def watermark_after(last_seen: str, overlap_seconds: int) -> datetime | None:
    """The next ``modified_after``: the largest ``date_modified_gmt`` seen minus an overlap."""
    seen = parse_gmt(last_seen)
    return None if seen is None else seen - timedelta(seconds=overlap_seconds)
