"""The webhook receiver over real HTTP, with deliveries signed the way WooCommerce signs them:
base64(HMAC-SHA256(raw body, secret)); and, in a demo world, a delivery that makes the engine
poll the shop long before its interval."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from linkoptima_gui.core.engine.events import EngineEvent, EventKind
from linkoptima_gui.core.engine.stock_sync import StockSyncSettings
from linkoptima_gui.core.store.models import OrderRow
from linkoptima_gui.core.woo.webhooks import WebhookReceiver
from linkoptima_gui.demo.world import DemoWorld

from ..waiting import wait_until

SECRET = "tajny-sekret-webhooka-Żółw"
ORDER = json.loads((Path(__file__).parents[1] / "fixtures" / "woo" / "order-create-paid-payu.json")
                   .read_text(encoding="utf-8"))["body"]


class Wakes:
    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def __call__(self) -> None:
        with self._lock:
            self.count += 1


@pytest.fixture
def wakes() -> Wakes:
    return Wakes()


@pytest.fixture
def receiver(wakes: Wakes) -> Iterator[WebhookReceiver]:
    with WebhookReceiver(SECRET, wakes) as started:
        yield started


def wc_signature(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def deliver(url: str, body: bytes, *, topic: str = "order.updated", delivery: str = "d41d8cd98f00b204",
            signature: str | None = None) -> requests.Response:
    """POST a delivery with the headers WooCommerce 8.9 sends."""
    resource, _, event = topic.partition(".")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "WooCommerce/8.9.1 Hookshot (WordPress/6.5.3)",
        "X-WC-Webhook-Source": "http://127.0.0.1:8089/",
        "X-WC-Webhook-Topic": topic,
        "X-WC-Webhook-Resource": resource,
        "X-WC-Webhook-Event": event,
        "X-WC-Webhook-Signature": wc_signature(body) if signature is None else signature,
        "X-WC-Webhook-ID": "3",
        "X-WC-Webhook-Delivery-ID": delivery,
    }
    return requests.post(url, data=body, headers=headers, timeout=10)


def order_body(order: dict | None = None) -> bytes:
    return json.dumps(order or ORDER, ensure_ascii=False).encode("utf-8")  # Polish letters as UTF-8


def test_the_ping_gets_200_and_wakes_nothing(receiver: WebhookReceiver, wakes: Wakes) -> None:
    answer = requests.post(receiver.url, data={"webhook_id": "3"}, timeout=10)
    assert answer.status_code == 200
    assert (receiver.counts.pings, wakes.count) == (1, 0)


def test_a_signed_order_delivery_wakes_the_engine_once(receiver: WebhookReceiver, wakes: Wakes) -> None:
    body = order_body()
    assert deliver(receiver.url, body, topic="order.created", delivery="first").status_code == 200
    assert wakes.count == 1
    assert deliver(receiver.url, body, topic="order.updated", delivery="second").status_code == 200
    assert wakes.count == 2
    again = deliver(receiver.url, body, topic="order.updated", delivery="second")  # a replay
    assert again.status_code == 200
    assert (wakes.count, receiver.counts.duplicates) == (2, 1)


def test_a_bad_signature_is_refused_without_calling_anything(receiver: WebhookReceiver, wakes: Wakes) -> None:
    body = order_body()
    assert deliver(receiver.url, body, signature=wc_signature(body, "inny-sekret")).status_code == 401
    # the same JSON sent with other spacing: the signature covers the raw bytes, not the parsed order
    respaced = json.dumps(ORDER, ensure_ascii=False, indent=1).encode("utf-8")
    assert deliver(receiver.url, respaced, signature=wc_signature(body)).status_code == 401
    assert deliver(receiver.url, body, signature="").status_code == 401  # topic headers, no signature
    assert wakes.count == 0 and receiver.counts.rejected == 3
    # a rejected delivery id is not remembered: the genuine delivery with it still counts
    assert deliver(receiver.url, body, delivery="d41d8cd98f00b204").status_code == 200 and wakes.count == 1


def test_other_topics_and_methods_wake_nothing(receiver: WebhookReceiver, wakes: Wakes) -> None:
    product = json.dumps({"id": 22, "sku": "KUB-001", "stock_quantity": 4}).encode()
    assert deliver(receiver.url, product, topic="product.updated", delivery="p1").status_code == 200
    assert requests.get(receiver.url, timeout=10).status_code == 405
    assert requests.post(receiver.url, data={"webhook_id": "x"}, timeout=10).status_code == 401
    assert wakes.count == 0 and receiver.counts.ignored == 1


def test_a_receiver_needs_the_secret() -> None:
    with pytest.raises(ValueError, match="secret"):
        WebhookReceiver("", lambda: None)


def test_a_delivery_makes_the_engine_poll_before_its_interval(tmp_path: Path) -> None:
    hour = 3600.0
    with DemoWorld(tmp_path / "world", poll_interval=hour, stock=StockSyncSettings(interval_seconds=hour)) as world:
        seen: list[EventKind] = []
        world.bus.subscribe(lambda event: seen.append(event.kind) if isinstance(event, EngineEvent) else None)
        world.engine.start()
        try:
            # the start's own poll and stock pass are done: the next ones are an hour away
            assert wait_until(lambda: EventKind.POLL_DONE in seen and EventKind.STOCK_SYNC in seen, 30)
            order_id = world.customers.place_order()
            with WebhookReceiver(SECRET, world.engine.wake) as receiver:
                body = order_body(world.shop.store.get_order(order_id))
                assert deliver(receiver.url, body, topic="order.created").status_code == 200

                def stored() -> bool:
                    with world.sessions() as session:
                        return session.scalar(select(OrderRow.id).where(OrderRow.shop_order_id == order_id)) is not None

                assert wait_until(stored, 20)
        finally:
            world.engine.stop()
