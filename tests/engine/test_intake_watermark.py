"""The intake's watermark across a long poll: an order that changes while later pages are still
being read is read again by the next poll, however new the dates on those later pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from woocommerce import API

from linkoptima_gui.core.store.models import utcnow
from linkoptima_gui.demo.world import DemoWorld

from .conftest import orders_by_shop_id, paid_order


def test_an_order_changed_during_a_long_poll_is_read_by_the_next_one(world: DemoWorld, api: API) -> None:
    early, late = paid_order(api, 1), paid_order(api, 2)
    shop = world.services.shop
    listed = shop.orders_modified_after

    def long_poll(after: datetime | None) -> Iterator[dict[str, Any]]:
        """The shop's answers as a poll of many pages would meet them: the buyer edits the first
        order once it has been read, and the last page shows an order saved minutes later."""
        for raw in listed(after):
            if raw["id"] == late:
                raw = {**raw, "date_modified_gmt": (utcnow() + timedelta(minutes=5)).isoformat(timespec="seconds")}
            yield raw
            if raw["id"] == early:
                assert api.put(f"orders/{early}", {"customer_note": "Proszę dzwonić przed dostawą"}).status_code == 200

    shop.orders_modified_after = long_poll  # type: ignore[method-assign]
    world.engine.intake.poll()
    shop.orders_modified_after = listed  # type: ignore[method-assign]
    world.engine.intake.poll()

    assert orders_by_shop_id(world)[early].payload["customer_note"] == "Proszę dzwonić przed dostawą"
    assert world.engine.intake.watermark() <= utcnow().isoformat(timespec="seconds")  # never ahead of the poll
