"""Order lines for variations (the recorded order's "Koszulka - M"): booked by the variation's SKU."""

import copy
import json
from pathlib import Path

import pytest

from linkoptima_gui.core.errors import PermanentError
from linkoptima_gui.core.woo.mapping import map_order
from linkoptima_gui.core.woo.settings import ShopSettings

FIXTURES = Path(__file__).parents[1] / "fixtures" / "woo"


def paid_order() -> dict:
    return json.loads((FIXTURES / "order-create-paid-payu.json").read_text(encoding="utf-8"))["body"]


def test_a_variation_line_is_booked_by_the_variations_sku_not_the_parent():
    raw = paid_order()
    line = next(item for item in raw["line_items"] if item["variation_id"])
    assert (line["product_id"], line["variation_id"], line["sku"]) == (12, 13, "KOSZ-M")

    order = map_order(raw, ShopSettings())

    booked = next(item for item in order.lines if item.name == "Koszulka - M")
    assert (booked.sku, booked.quantity) == ("KOSZ-M", 1)


def test_a_variation_without_a_sku_is_refused_naming_the_variation():
    raw = copy.deepcopy(paid_order())
    line = next(item for item in raw["line_items"] if item["variation_id"])
    line["sku"] = ""

    with pytest.raises(PermanentError) as info:
        map_order(raw, ShopSettings())

    assert info.value.code == "unknown_sku"
    assert info.value.details["variation_id"] == 13 and "Wariant „Koszulka - M”" in info.value.reason
