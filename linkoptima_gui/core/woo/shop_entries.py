"""The shop's products and variations by SKU: the one way the stock sync and the catalogue
publisher read what the shop sells.

Why an entry carries the parent: a variation's stock may be kept by its parent, its tax class
may be "parent", and a variation without a SKU of its own shows its parent's (woocommerce.md
§1.6). Whoever reads an entry needs the parent document next to the variation.

Two ways to read: everything (a full pass: every product, and the variations of each variable
one), or only some SKUs (``products?sku=A,B``, which WooCommerce answers with products *and*
variations, since its product query takes both post types when a SKU is given). The second is
what a pass that knows what changed uses: a few requests instead of the whole catalogue.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any

from .client import ShopClient

#: what a full pass needs of a product or variation: the stock's fields, and the catalogue's
#: (name, price, tax class, EAN) so the publisher does not read the shop a second time
PASS_FIELDS = ("id,sku,type,parent_id,manage_stock,stock_quantity,name,regular_price,tax_class,"
               "global_unique_id,meta_data")

#: (SKU, the document it was seen on, that document's parent when it is a variation)
Entry = tuple[str, dict[str, Any], dict[str, Any] | None]


def read_entries(shop: ShopClient, include: Iterable[int] | None = None) -> Iterator[Entry]:
    """Every product with a SKU (or the products ``include``) and, for the variable ones, every
    variation with a SKU (one paged list per parent)."""
    products = shop.products() if include is None else shop.products(include=list(include))
    for product in products:
        yield from _with_variations(shop, product)


def _with_variations(shop: ShopClient, product: dict[str, Any],
                     params: dict[str, Any] | None = None) -> Iterator[Entry]:
    if product.get("sku"):
        yield str(product["sku"]), product, None
    if product.get("type") == "variable":
        for variation in shop.variations(int(product["id"]), params=params):
            if variation.get("sku"):
                yield str(variation["sku"]), variation, product


def entry_pages(shop: ShopClient, *, readers: int = 3, fields: str = PASS_FIELDS) -> Iterator[list[Entry]]:
    """Every product with a SKU, and every variation of the variable ones, a page of products at
    a time as the pages arrive (not in order): the first page says how many there are, the rest
    are read ``readers`` at a time, each with its products' variations. Only ``fields`` travel."""
    params = {"_fields": fields}

    def page(number: int) -> tuple[list[Entry], int]:
        products, total = shop.list_page("products", params, number)
        return [entry for product in products for entry in _with_variations(shop, product, params)], total

    first, total = page(1)
    yield first
    if total <= 1:
        return
    with ThreadPoolExecutor(max_workers=max(1, readers), thread_name_prefix="shop-pages") as pool:
        for done in as_completed([pool.submit(page, n) for n in range(2, total + 1)]):
            yield done.result()[0]


def entry_waves(pages: Iterator[list[Entry]]) -> Iterator[list[Entry]]:
    """The pages read on a thread of their own, handed on in waves: each wave is every page that
    arrived while the caller worked on the last one (so the caller's per-wave cost, an order poll
    and an Optima query, is paid a few times a pass, not once a page, and reading never waits
    for it). A reading error is raised here, in the caller's thread."""
    arrived: queue.Queue[list[Entry] | BaseException | None] = queue.Queue()

    def read() -> None:
        try:
            for page in pages:
                arrived.put(page)
            arrived.put(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            arrived.put(exc)

    threading.Thread(target=read, name="shop-read", daemon=True).start()
    finished = False
    while not finished:
        wave: list[Entry] = []
        item = arrived.get()
        while True:
            if item is None:
                finished = True
                break
            if isinstance(item, BaseException):
                raise item
            wave.extend(item)
            try:
                item = arrived.get_nowait()
            except queue.Empty:
                break
        if wave:
            yield wave


def readable_by_sku(sku: str) -> bool:
    """WooCommerce splits the ``sku`` filter at commas: a SKU with one is found only by a full read."""
    return "," not in sku and sku.strip() == sku and bool(sku)


def read_entries_by_sku(shop: ShopClient, skus: Iterable[str]) -> list[Entry]:
    """The entries of these SKUs: the products and variations that carry them, a variation with
    its parent, and a variable product with all its variations (those without a SKU of their
    own show the parent's and are priced as it is). The shop's SKU filter may ignore letter case,
    so what it answers is kept as it is: a near miss is the caller's to judge."""
    docs = list(shop.products_by_sku(sorted(set(skus))))
    parent_ids = sorted({int(d.get("parent_id") or 0) for d in docs if d.get("type") == "variation"} - {0})
    parents = {int(p["id"]): p for p in shop.products(include=parent_ids)} if parent_ids else {}
    entries: list[Entry] = []
    for doc in docs:
        if doc.get("type") != "variation":
            entries.extend(_with_variations(shop, doc))
            continue
        parent = parents.get(int(doc.get("parent_id") or 0))
        if parent is not None and doc.get("sku"):
            entries.append((str(doc["sku"]), doc, parent))
    return entries
