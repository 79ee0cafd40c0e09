"""The shop emulator's tests talk to it through the real ``woocommerce`` client."""

from __future__ import annotations

import pytest
from woocommerce import API

from linkoptima_gui.demo.shop import ShopEmulator


@pytest.fixture
def api(shop: ShopEmulator) -> API:
    return API(url=shop.url, consumer_key=shop.consumer_key, consumer_secret=shop.consumer_secret, timeout=10)
