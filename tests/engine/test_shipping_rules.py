"""The shop's shipping method picks the carrier service and parcel size from the settings."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

from woocommerce import API

from linkoptima_gui.core.config.app_settings import AppSettings
from linkoptima_gui.demo.world import DemoWorld

from .conftest import paid_order


def test_mapping_from_settings_reaches_the_carrier(tmp_path: Path) -> None:
    settings = AppSettings.from_document({"shipping_rules": {
        "flat_rate": {"service": "courier_standard", "parcel_size": "large"}}})
    with DemoWorld(tmp_path / "world", ksef_delay=0, settings=settings) as world:
        api = API(url=world.shop.url, consumer_key=world.shop.consumer_key,
                  consumer_secret=world.shop.consumer_secret, version="wc/v3", timeout=10)
        paid_order(api, 1)  # shipped by "flat_rate"
        assert asyncio.run(world.engine.run_until_idle(60))
        with sqlite3.connect(world.folder / "carrier" / "carrier.sqlite") as db:
            [request] = [json.loads(r[0]) for r in db.execute("SELECT request FROM shipments")]
    assert (request["service"], request["parcel_size"]) == ("courier_standard", "large")
