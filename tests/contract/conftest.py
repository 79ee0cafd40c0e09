"""The shop contract: what the console relies on in any WooCommerce, as tests that take a shop's
address and keys.

By default the target is the emulator, started empty on loopback. To check a real shop (a
staging copy: the tests create products and orders and delete them afterwards):

    LINKOPTIMA_CONTRACT_URL=https://staging.sklep.pl LINKOPTIMA_CONTRACT_KEY=ck_... \\
    LINKOPTIMA_CONTRACT_SECRET=cs_... make contract

Every test makes its own data under a SKU prefix of its own, so the shop's other products and
orders do not matter.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from woocommerce import API

from linkoptima_gui.demo.shop import ShopEmulator


class SteppedClock:
    """The emulator's clock: real time plus what the test moved it on by (naive UTC)."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC).replace(tzinfo=None) + self.offset


@dataclass
class ShopTarget:
    """The shop under test: its address and keys, and what a test made there."""

    url: str
    key: str
    secret: str
    is_emulator: bool
    made_products: list[int] = field(default_factory=list)
    made_orders: list[int] = field(default_factory=list)
    clock: SteppedClock | None = None

    def advance(self, seconds: int) -> None:
        """Let the shop's time move on (the emulator's clock; a real shop's time passes by itself,
        so there a test's later call is merely no earlier)."""
        if self.clock is not None:
            self.clock.offset += timedelta(seconds=seconds)

    def api(self, secret: str = "") -> API:
        return API(url=self.url, consumer_key=self.key, consumer_secret=secret or self.secret, timeout=60)

    @property
    def over_http(self) -> bool:
        return self.url.startswith("http://")


@pytest.fixture
def target(tmp_path: Path) -> Iterator[ShopTarget]:
    url = os.environ.get("LINKOPTIMA_CONTRACT_URL", "")
    if url:
        shop = ShopTarget(url.rstrip("/"), os.environ["LINKOPTIMA_CONTRACT_KEY"],
                          os.environ["LINKOPTIMA_CONTRACT_SECRET"], is_emulator=False)
        yield shop
        _clean_up(shop)
        return
    clock = SteppedClock()
    emulator = ShopEmulator(tmp_path / "contract-shop", clock=clock, catalogue=False)
    emulator.start()
    yield ShopTarget(emulator.url, emulator.consumer_key, emulator.consumer_secret, is_emulator=True, clock=clock)
    emulator.stop()


def _clean_up(shop: ShopTarget) -> None:
    """Delete for good what the test made (orders first: they name the products)."""
    api = shop.api()
    for start in range(0, len(shop.made_orders), 100):
        api.post("orders/batch", {"delete": shop.made_orders[start:start + 100]}, params={"force": "true"})
    for start in range(0, len(shop.made_products), 100):
        api.post("products/batch", {"delete": shop.made_products[start:start + 100]}, params={"force": "true"})


@pytest.fixture
def api(target: ShopTarget) -> API:
    return target.api()


@pytest.fixture
def prefix() -> str:
    """A SKU prefix no other test run uses."""
    return f"LOCT-{secrets.token_hex(3).upper()}-"


@pytest.fixture
def make_product(api: API, target: ShopTarget, prefix: str) -> Callable[..., dict[str, Any]]:
    """Create a simple product (``sku`` is the part after the prefix); returns the shop's answer."""

    def make(sku: str, **fields: Any) -> dict[str, Any]:
        body = {"name": f"Test kontraktu {sku}", "sku": prefix + sku, "regular_price": "10.00", "type": "simple",
                **fields}
        answer = api.post("products", body)
        assert answer.status_code == 201, answer.text
        target.made_products.append(answer.json()["id"])
        return answer.json()

    return make


@pytest.fixture
def make_order(api: API, target: ShopTarget) -> Callable[..., dict[str, Any]]:
    def make(**body: Any) -> dict[str, Any]:
        answer = api.post("orders", body)
        assert answer.status_code == 201, answer.text
        target.made_orders.append(answer.json()["id"])
        return answer.json()

    return make
