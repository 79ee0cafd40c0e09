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

from collections.abc import Iterable, Iterator
from typing import Any

from .client import ShopClient

#: (SKU, the document it was seen on, that document's parent when it is a variation)
Entry = tuple[str, dict[str, Any], dict[str, Any] | None]


def read_entries(shop: ShopClient, include: Iterable[int] | None = None) -> Iterator[Entry]:
    """Every product with a SKU (or the products ``include``) and, for the variable ones, every
    variation with a SKU (one paged list per parent)."""
    products = shop.products() if include is None else shop.products(include=list(include))
    for product in products:
        yield from _with_variations(shop, product)


def _with_variations(shop: ShopClient, product: dict[str, Any]) -> Iterator[Entry]:
    if product.get("sku"):
        yield str(product["sku"]), product, None
    if product.get("type") == "variable":
        for variation in shop.variations(int(product["id"])):
            if variation.get("sku"):
                yield str(variation["sku"]), variation, product


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
