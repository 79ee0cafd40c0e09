"""Which shop document holds the stock a SKU sells from: the product, the variation, or the parent.

Why this is not simply "the document with that SKU" (woocommerce.md §1.6): a variation can leave
its stock to its parent ("managed by the parent", ``manage_stock: "parent"`` in the API). Sales of
such a variation move the parent's stock, and a quantity written to the variation is kept but
never used, so the stock push must write to the parent, once, however many variations share it.
A variation without a SKU of its own shows its parent's, so one SKU may be seen on a parent and
on its variations; they are one holder when the parent keeps the stock. When two documents that
each keep their own stock carry one SKU (variations without SKUs of their own but with stock of
their own), no single shop quantity can stand for the Optima item: that SKU is left out and named.

When several Optima items sell from one holder (variations with SKUs of their own, stock on the
parent), the holder's quantity is the sum of their quantities: the shop cannot tell them apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..woo.shop_entries import Entry


@dataclass
class Holder:
    """A shop document whose stock the pass writes, and the SKUs sold from it."""

    parent_id: int  # the variable product of a variation; 0 for a product
    doc: dict[str, Any]  # as read from the shop (its ``stock_quantity`` is what the pass saw)
    skus: set[str] = field(default_factory=set)

    @property
    def id(self) -> int:
        return int(self.doc["id"])

    @property
    def managed(self) -> bool:
        return self.doc.get("manage_stock") is True

    @property
    def quantity(self) -> int:
        return int(self.doc.get("stock_quantity") or 0)


@dataclass
class StockMap:
    """Per SKU: its holder, and where the SKU itself was seen (product or variation id, parent
    id), which is what the SKU -> id map keeps for the next incremental pass."""

    holders: dict[str, Holder]
    sources: dict[str, tuple[int, int]]
    ambiguous: list[str]

    def distinct(self) -> list[Holder]:
        unique = {id(holder): holder for holder in self.holders.values()}
        return sorted(unique.values(), key=lambda h: (h.parent_id, h.id))


def build_map(entries: Iterable[Entry]) -> StockMap:
    """Resolve each SKU to its holder; a product is preferred as the source of a SKU it shares
    with its variations (entries list a product before its variations)."""
    holders: dict[tuple[int, int], Holder] = {}
    chosen: dict[str, Holder] = {}
    sources: dict[str, tuple[int, int]] = {}
    clashes: set[str] = set()
    for sku, doc, parent in entries:
        if parent is not None and doc.get("manage_stock") == "parent":
            key, holder_doc = (0, int(parent["id"])), parent
        else:
            key, holder_doc = (int(parent["id"]) if parent else 0, int(doc["id"])), doc
        holder = holders.setdefault(key, Holder(key[0], holder_doc))
        source = (int(doc["id"]), int(parent["id"]) if parent else 0)
        current = chosen.get(sku)
        if current is None or current is holder:
            chosen[sku] = holder
            sources.setdefault(sku, source)
        elif current.managed and holder.managed:
            clashes.add(sku)
        elif holder.managed:
            chosen[sku], sources[sku] = holder, source
    for sku in clashes:
        chosen.pop(sku)
        sources.pop(sku)
    for sku, holder in chosen.items():
        holder.skus.add(sku)
    return StockMap(chosen, sources, sorted(clashes))
