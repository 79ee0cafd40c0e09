"""The shop over wc/v3, with our error taxonomy.

Requests go through one session with the shop's authentication, retries where they are safe and
a log line per request (``transport``); this client turns failures without an answer, 429 and
5xx into ``RetryableError`` and other refusals into ``PermanentError`` with the shop's own message, and a body that is not JSON into an error of
ours rather than a parser's traceback. It pages lists by ``X-WP-TotalPages`` in a stable order
(``orderby=id``; woocommerce.md §8) and rebuilds each page request instead of following
``Link`` verbatim. Listed orders pass ``order_guard`` first; a page of orders that is not JSON is
read again order by order, so one broken order becomes an exception of its own.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

import requests

from ..errors import PermanentError, RetryableError
from .order_guard import guard_order, order_id_of, unreadable_order
from .refunds import REFUND_KEY, carries_key, refund_refusal
from .settings import ShopSettings
from .transport import CallStats, RetryPolicy, Transport, shop_auth

PER_PAGE = 100
BATCH_SIZE = 100  # the shop refuses a bigger batch (413)
BATCH_TIMEOUT = 90.0
#: SKUs in one ``products?sku=`` request (the query stays a short URL)
SKU_CHUNK = 50
#: the error code of an answer whose body is not the JSON the shop should send
BAD_BODY = "shop_bad_json"
USER_AGENT = "LinkOptima (requests)"


def gmt_param(moment: datetime) -> str:
    """``modified_after`` as the shop wants it: UTC, no offset, whole seconds."""
    return moment.replace(microsecond=0, tzinfo=None).isoformat()


def parse_gmt(text: str) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "")).replace(tzinfo=None)


class ShopClient:
    #: the refund meta key holding the console's key of a return (``find_refund_with_key``)
    REFUND_KEY = REFUND_KEY

    def __init__(self, settings: ShopSettings, *, session: requests.Session | None = None,
                 sleep: Callable[[float], None] = time.sleep, rng: random.Random | None = None) -> None:
        """``sleep`` and ``rng`` pace the retries (a test passes its own to see the waits)."""
        self.settings = settings
        auth = shop_auth(settings.url, settings.consumer_key, settings.consumer_secret,
                         query_string_auth=settings.query_string_auth)
        self._transport = Transport(settings.url, RetryPolicy(retries=max(0, settings.retries)), auth,
                                    verify=settings.ca_bundle or True, user_agent=USER_AGENT, session=session,
                                    sleep=sleep, rng=rng)
        self.timeout = settings.timeout
        # A 100-item batch takes 3-7 s on a real shop, and a timed-out write may still be applied
        # (woocommerce.md §8): batches get a longer timeout of their own.
        self.batch_timeout = max(settings.timeout, BATCH_TIMEOUT)

    @property
    def session(self) -> requests.Session:
        """The session of the calls that may be repeated (reads, vouched writes)."""
        return self._transport.session

    @property
    def stats(self) -> CallStats:
        """Requests sent so far (every attempt), retries, and the client's own CPU time."""
        return self._transport.stats

    # -- transport --------------------------------------------------------------------------

    def _call(self, method: str, endpoint: str, data: Any = None, params: dict | None = None,
              *, timeout: float | None = None, retry: bool | None = None) -> requests.Response:
        """One call, its JSON body parsed once (``response.json()`` returns it).

        ``retry``: None repeats reads only; True when the caller vouches that its write is
        idempotent (a PUT of absolute values); False sends once."""
        cpu = time.thread_time()
        try:
            response = self._transport.send(method, endpoint, data, params or {}, timeout=timeout or self.timeout,
                                            retry=retry)
            self._check_status(response, endpoint)
            _parse_body(response, endpoint)
            return response
        finally:
            self._transport.stats.add_cpu(time.thread_time() - cpu)

    def read(self, endpoint: str, params: dict[str, Any] | None = None, *, retry: bool | None = None
             ) -> requests.Response:
        """A GET of any endpoint with the same handling as every call (the connection check
        reads ``system_status``, ``reports/...`` and the paging headers with it)."""
        return self._call("get", endpoint, params=params, retry=retry)

    @staticmethod
    def _check_status(response: requests.Response, endpoint: str) -> None:
        if response.status_code >= 500 and endpoint.endswith("/refunds"):
            refusal = refund_refusal(response.status_code, _json_or_none(response), endpoint)
            if refusal is not None:  # the shop's decision, not an outage (core/woo/refunds.py)
                raise refusal
        if response.status_code == 429 or response.status_code >= 500:
            raise RetryableError(f"Sklep chwilowo odmawia ({response.status_code}).", code="shop_unreachable",
                                 details={"endpoint": endpoint, "status": response.status_code})
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = None
            if not isinstance(body, dict):
                body = {"message": response.text[:200]}
            code = "shop_auth" if response.status_code == 401 else "shop_refused"
            raise PermanentError(
                f"Sklep odrzucił żądanie ({response.status_code}): {body.get('message', '')}",
                code=code,
                details={"endpoint": endpoint, "status": response.status_code, "shop_code": body.get("code")},
            )

    # -- orders -----------------------------------------------------------------------------

    def orders_modified_after(self, after: datetime | None) -> Iterator[dict[str, Any]]:
        """Every order modified strictly after ``after`` (all orders when None), page by page."""
        params: dict[str, Any] = {}
        if after is not None:
            params.update(modified_after=gmt_param(after), dates_are_gmt="true")
        return self._pages("orders", params, guard=guard_order)

    def _pages(self, endpoint: str, params: dict[str, Any], *,
               guard: Callable[[Any], dict[str, Any] | None] | None = None) -> Iterator[dict[str, Any]]:
        """Every item of a list, page by page, in id order (stable while the list changes).

        With a ``guard`` (orders), each item passes it, and a page whose body is not JSON is read
        again item by item, so that only the broken items fail."""
        params = {"per_page": PER_PAGE, "orderby": "id", "order": "asc", **params}
        page = 1
        while True:
            try:
                response = self._call("get", endpoint, params={**params, "page": page})
                items = response.json()
            except PermanentError as exc:
                if guard is None or exc.code != BAD_BODY:
                    raise
                response, items = self._page_item_by_item(endpoint, {**params, "page": page})
            if not isinstance(items, list):
                raise PermanentError(f"Sklep zwrócił zamiast listy ({endpoint}) coś innego: {str(items)[:120]}",
                                     code=BAD_BODY, details={"endpoint": endpoint, "page": page})
            for item in items:
                checked = guard(item) if guard is not None else item
                if checked is not None:
                    yield checked
            total_pages = int(response.headers.get("X-WP-TotalPages") or 1)
            if page >= total_pages:
                return
            page += 1

    def list_page(self, endpoint: str, params: dict[str, Any], page: int) -> tuple[list[dict[str, Any]], int]:
        """One page of a list in id order, and how many pages the list has (the first page says it,
        so a caller can ask for the rest several at once: ``shop_entries.entry_pages``)."""
        full = {"per_page": PER_PAGE, "orderby": "id", "order": "asc", **params, "page": page}
        response = self._call("get", endpoint, params=full)
        items = response.json()
        if not isinstance(items, list):
            raise PermanentError(f"Sklep zwrócił zamiast listy ({endpoint}) coś innego: {str(items)[:120]}",
                                 code=BAD_BODY, details={"endpoint": endpoint, "page": page})
        return items, int(response.headers.get("X-WP-TotalPages") or 1)

    def _page_item_by_item(self, endpoint: str, params: dict[str, Any]) -> tuple[requests.Response, list[Any]]:
        """The page's ids alone (``_fields=id``), then each item by itself; an item whose own body
        is not JSON becomes its stand-in. When even the ids are unreadable, the error stands."""
        response = self._call("get", endpoint, params={**params, "_fields": "id"})
        ids = response.json()
        items: list[Any] = []
        for entry in ids if isinstance(ids, list) else []:
            item_id = order_id_of(entry)
            if item_id is None:
                continue
            try:
                items.append(self._call("get", f"{endpoint}/{item_id}").json())
            except PermanentError as exc:
                if exc.code != BAD_BODY:
                    raise
                items.append(unreadable_order(item_id, exc.reason))
        return response, items

    def get_order(self, order_id: int) -> dict[str, Any]:
        return self._call("get", f"orders/{order_id}").json()

    def update_order(self, order_id: int, data: dict[str, Any]) -> dict[str, Any]:
        return self._call("put", f"orders/{order_id}", data, retry=True).json()  # absolute values

    def create_order(self, data: dict[str, Any]) -> dict[str, Any]:
        """``POST orders``, sent once: a repeat after a timeout could create the order twice."""
        return self._call("post", "orders", data, retry=False).json()

    def order_notes(self, order_id: int) -> list[dict[str, Any]]:
        return self._call("get", f"orders/{order_id}/notes").json()

    def add_order_note(self, order_id: int, note: str, customer_note: bool = False) -> dict[str, Any]:
        return self._call("post", f"orders/{order_id}/notes", {"note": note, "customer_note": customer_note}).json()

    # -- refunds (issue 18) -------------------------------------------------------------------

    def order_refunds(self, order_id: int) -> list[dict[str, Any]]:
        """Every refund of an order (``orders/<id>/refunds``, all pages, oldest first)."""
        return list(self._pages(f"orders/{int(order_id)}/refunds", {}))

    def get_refund(self, order_id: int, refund_id: int) -> dict[str, Any]:
        return self._call("get", f"orders/{int(order_id)}/refunds/{int(refund_id)}").json()

    def create_refund(self, order_id: int, body: dict[str, Any]) -> dict[str, Any]:
        """``POST orders/<id>/refunds``, sent once: a repeat after a timeout could refund twice
        (with ``api_refund`` even at the gateway). The caller puts its key in ``meta_data``
        (``REFUND_KEY``) and looks for it first (``find_refund_with_key``). A gateway call may
        take long, hence the batches' longer timeout. A refusal is a ``PermanentError``
        (``core/woo/refunds.py``)."""
        return self._call("post", f"orders/{int(order_id)}/refunds", body, timeout=self.batch_timeout,
                          retry=False).json()

    def find_refund_with_key(self, order_id: int, key: str) -> dict[str, Any] | None:
        """The order's refund whose ``meta_data`` carries ``REFUND_KEY`` = ``key``, if one exists."""
        return next((r for r in self.order_refunds(order_id) if carries_key(r, key)), None)

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

    def products_by_sku(self, skus: Sequence[str]) -> Iterator[dict[str, Any]]:
        """The products and variations with these SKUs (``products?sku=A,B``, ``SKU_CHUNK`` SKUs
        a request; WooCommerce splits the filter at commas, so a SKU must not hold one)."""
        for start in range(0, len(skus), SKU_CHUNK):
            yield from self._pages("products", {"sku": ",".join(skus[start:start + SKU_CHUNK])})

    def update_products(self, updates: Sequence[dict[str, Any]], *, idempotent: bool = False) -> list[dict[str, Any]]:
        """One ``products/batch`` update of at most ``BATCH_SIZE`` products (each names its
        ``id``). Returns the shop's answer per item, in order: the product, or ``{"id", "error"}``
        for an item the shop refused inside the 200 answer. ``idempotent``: the items carry only
        absolute values (a price, a name, a ``stock_quantity``), so a timed-out batch, which may
        have been applied, is sent again; an ``inventory_delta`` never is."""
        if len(updates) > BATCH_SIZE:
            raise ValueError(f"a batch takes at most {BATCH_SIZE} items, got {len(updates)}")
        response = self._call("post", "products/batch", {"update": list(updates)}, timeout=self.batch_timeout,
                              retry=idempotent)
        return list(response.json().get("update") or [])

    def check_connection(self) -> str:
        """A short Polish description of the shop's answer (for "Test connection")."""
        response = self._call("get", "orders", params={"per_page": 1}, retry=False)  # the first answer
        return f"Połączono ze sklepem: {response.headers.get('X-WP-Total', '?')} zamówień."

    # -- variations and catalogue ----------------------------------------------------------------

    def variations(self, parent_id: int, include: Sequence[int] | None = None,
                   params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every variation of a variable product (or the ones with these ids), with its stock as
        the shop shows it: ``manage_stock`` is ``"parent"`` when the parent holds the stock."""
        endpoint = f"products/{int(parent_id)}/variations"
        if include is None:
            yield from self._pages(endpoint, dict(params or {}))
            return
        ids = sorted(set(include))
        for start in range(0, len(ids), PER_PAGE):
            yield from self._pages(endpoint, {"include": ",".join(map(str, ids[start:start + PER_PAGE]))})

    def update_variations(self, parent_id: int, updates: Sequence[dict[str, Any]], *,
                          idempotent: bool = False) -> list[dict[str, Any]]:
        """One ``products/<parent>/variations/batch`` update (at most ``BATCH_SIZE`` variations of
        that parent, each naming its ``id``); the shop's answer per item, as ``update_products``."""
        if len(updates) > BATCH_SIZE:
            raise ValueError(f"a batch takes at most {BATCH_SIZE} items, got {len(updates)}")
        response = self._call("post", f"products/{int(parent_id)}/variations/batch", {"update": list(updates)},
                              timeout=self.batch_timeout, retry=idempotent)
        return list(response.json().get("update") or [])

    def create_products(self, products: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """One ``products/batch`` create of at most ``BATCH_SIZE`` products; the shop's answer per
        item, in order: the new product, or ``{"id": 0, "error"}`` (e.g. a duplicated SKU)."""
        if len(products) > BATCH_SIZE:
            raise ValueError(f"a batch takes at most {BATCH_SIZE} items, got {len(products)}")
        response = self._call("post", "products/batch", {"create": list(products)}, timeout=self.batch_timeout)
        return list(response.json().get("create") or [])


def _json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _parse_body(response: requests.Response, endpoint: str) -> None:
    """Parse the body once and keep it as ``response.json()``; not JSON -> ``PermanentError``."""
    try:
        parsed = json.loads(response.content) if response.content.strip() else None
    except (ValueError, UnicodeDecodeError) as exc:
        snippet = response.content[:80].decode("utf-8", "replace")
        raise PermanentError(
            f"Sklep odpowiedział treścią, która nie jest poprawnym JSON-em ({endpoint}: {exc}; początek: "
            f"{snippet!r}). Zwykle to wtyczka lub motyw dopisujący coś do odpowiedzi API.",
            code=BAD_BODY, details={"endpoint": endpoint, "status": response.status_code},
        ) from exc
    response.json = lambda **_: parsed  # type: ignore[method-assign]


def watermark_after(last_seen: str, overlap_seconds: int) -> datetime | None:
    """The next ``modified_after``: the largest ``date_modified_gmt`` seen minus an overlap."""
    seen = parse_gmt(last_seen)
    return None if seen is None else seen - timedelta(seconds=overlap_seconds)
