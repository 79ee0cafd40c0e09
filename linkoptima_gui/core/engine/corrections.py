"""A person's fixes to what the shop sent, applied every time an order is mapped.

The shop's payload stays as the shop sent it (the intake compares new versions against it); the
fixes live beside it: a corrected NIP on the order (``OrderRow.corrections``) and shop SKUs
mapped to Optima item codes for good (``SkuAlias``). Mapping always goes through
``map_corrected``, so the intake, the steps and a retry all see the same corrected order.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.order import Order
from ..store.models import SkuAlias
from ..woo.mapping import map_order
from ..woo.settings import ShopSettings

#: the correction key of the buyer's NIP ("" = the buyer is a private person after all)
NIP = "nip"


def sku_aliases(session: Session, shop: str) -> dict[str, str]:
    return dict(session.execute(select(SkuAlias.shop_sku, SkuAlias.optima_code).where(SkuAlias.shop == shop)).all())


def corrected_payload(raw: Mapping[str, Any], corrections: Mapping[str, Any], aliases: Mapping[str, str],
                      settings: ShopSettings) -> dict[str, Any]:
    """A copy of the shop's order with the fixes applied (the original is not touched)."""
    fixed = copy.deepcopy(dict(raw))
    if NIP in corrections:
        nip = str(corrections[NIP] or "")
        # the person's NIP (or none: a private buyer) decides, not the buyer's invoice checkbox
        dropped = {*settings.nip_keys, *settings.invoice_flag_keys}
        meta = [m for m in fixed.get("meta_data") or [] if m.get("key") not in dropped]
        if nip:
            meta.append({"key": settings.nip_keys[0], "value": nip})
        fixed["meta_data"] = meta
    if aliases:
        for line in fixed.get("line_items") or []:
            sku = str(line.get("sku") or "")
            if sku in aliases:
                line["sku"] = aliases[sku]
    return fixed


def map_corrected(session: Session, raw: Mapping[str, Any], corrections: Mapping[str, Any],
                  settings: ShopSettings) -> Order:
    """``map_order`` of the corrected order (raises the mapping's ``StepError`` as it does)."""
    aliases = sku_aliases(session, settings.shop_id)
    if not corrections and not aliases:
        return map_order(raw, settings)
    return map_order(corrected_payload(raw, corrections, aliases, settings), settings)
