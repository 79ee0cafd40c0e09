"""The client's transport over real HTTP: a plain ``requests`` session with urllib3's ``Retry``,
retries only where repeating is safe, ``Retry-After`` honoured, OAuth 1.0a over http that the
shop accepts, and a log line per request that never shows a key or a signature."""

from __future__ import annotations

import logging
import random
import re
import threading

import pytest
import requests

from linkoptima_gui.core.errors import RetryableError
from linkoptima_gui.core.woo.client import ShopClient
from linkoptima_gui.core.woo.settings import ShopSettings
from linkoptima_gui.core.woo.transport import RetryPolicy
from linkoptima_gui.demo.shop import ShopEmulator

from .scripted_server import Answer, ScriptedServer, Seen

LIST_HEADERS = {"X-WP-Total": "0", "X-WP-TotalPages": "1"}


def emulator_client(shop: ShopEmulator, **kwargs) -> ShopClient:
    return ShopClient(ShopSettings(url=shop.url, consumer_key=shop.consumer_key,
                                   consumer_secret=shop.consumer_secret, timeout=10), **kwargs)


class Waits:
    """Stands in for ``time.sleep``: records each wait instead of waiting it out."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


def scripted_client(server: ScriptedServer, waits: Waits, **settings) -> ShopClient:
    values = {"url": server.url, "consumer_key": "ck_test", "consumer_secret": "cs_test", "timeout": 5, **settings}
    return ShopClient(ShopSettings(**values), sleep=waits, rng=random.Random(7))


def sequence(*answers: Answer):
    """A script answering each request with the next answer (the last one repeats)."""
    queue = list(answers)

    def script(_: Seen) -> Answer:
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return script


def test_a_read_is_asked_again_after_503_and_429_honouring_retry_after() -> None:
    waits = Waits()
    script = sequence(Answer(503, {"code": "busy"}, {"Retry-After": "2"}), Answer(429, {"code": "slow"}),
                      Answer(200, [], LIST_HEADERS))
    with ScriptedServer(script) as server:
        client = scripted_client(server, waits)
        assert list(client.orders_modified_after(None)) == []
        assert len(server.requests_to("/orders")) == 3
    assert waits.seconds[0] >= 2.0  # Retry-After: 2
    assert 0.5 <= waits.seconds[1] <= 1.0  # the second backoff: ceiling 1 s, jittered in its upper half
    assert (client.stats.requests, client.stats.retries) == (3, 2)


def test_a_read_gives_up_after_the_configured_retries_with_growing_waits() -> None:
    waits = Waits()
    with ScriptedServer(sequence(Answer(500, {"code": "boom"}))) as server:
        client = scripted_client(server, waits, retries=3)
        with pytest.raises(RetryableError, match=r"Sklep chwilowo odmawia \(500\)"):
            client.get_order(5)
        assert len(server.requests_to("/orders/5")) == 4
    assert len(waits.seconds) == 3
    ceilings = [0.5, 1.0, 2.0]
    assert all(ceiling / 2 <= wait <= ceiling for wait, ceiling in zip(waits.seconds, ceilings, strict=True))


def test_a_retry_after_longer_than_the_limit_gives_up_at_once() -> None:
    waits = Waits()
    later = Answer(503, {"code": "maintenance"}, {"Retry-After": str(int(RetryPolicy().max_retry_after) + 1)})
    with ScriptedServer(sequence(later)) as server:
        with pytest.raises(RetryableError):
            scripted_client(server, waits).get_order(1)
        assert len(server.requests_to("/orders/1")) == 1
    assert waits.seconds == []


def test_posts_are_sent_once_whatever_the_answer() -> None:
    waits = Waits()
    with ScriptedServer(sequence(Answer(503, {"code": "busy"}))) as server:
        client = scripted_client(server, waits)
        with pytest.raises(RetryableError):
            client.update_products([{"id": 1, "inventory_delta": -2}])
        with pytest.raises(RetryableError):
            client.add_order_note(3, "Faktura FA/1/2026")
        assert len(server.requests_to("/products/batch", "POST")) == 1
        assert len(server.requests_to("/orders/3/notes", "POST")) == 1
    assert waits.seconds == [] and client.stats.retries == 0


def test_an_idempotent_put_is_repeated() -> None:
    waits = Waits()
    script = sequence(Answer(502, "<html>Bad gateway</html>"), Answer(200, {"id": 3, "status": "completed"}))
    with ScriptedServer(script) as server:
        answer = scripted_client(server, waits).update_order(3, {"status": "completed"})
        assert len(server.requests_to("/orders/3", "PUT")) == 2
    assert answer["status"] == "completed" and len(waits.seconds) == 1


def test_a_batch_of_absolute_values_is_repeated() -> None:
    waits = Waits()
    script = sequence(Answer(503, {"code": "busy"}), Answer(200, {"update": [{"id": 1, "regular_price": "9.99"}]}))
    with ScriptedServer(script) as server:
        answers = scripted_client(server, waits).update_products([{"id": 1, "regular_price": "9.99"}], idempotent=True)
        assert len(server.requests_to("/products/batch", "POST")) == 2
    assert answers == [{"id": 1, "regular_price": "9.99"}] and len(waits.seconds) == 1


def test_a_read_that_times_out_is_asked_again() -> None:
    waits = Waits()
    release = threading.Event()
    calls: list[int] = []

    def script(_: Seen) -> Answer:
        calls.append(1)
        if len(calls) == 1:
            release.wait(10)  # the first answer comes far too late
        return Answer(200, {"id": 9, "status": "processing"})

    with ScriptedServer(script) as server:
        try:
            order = scripted_client(server, waits, timeout=0.3).get_order(9)
        finally:
            release.set()
    assert order["id"] == 9 and len(calls) == 2 and len(waits.seconds) == 1


def test_requests_go_through_the_clients_session(shop: ShopEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_module_request(*args, **kwargs):
        raise AssertionError("sent through requests.request instead of the session")

    monkeypatch.setattr(requests, "request", no_module_request)
    sent: list[str] = []

    class CountingSession(requests.Session):
        def request(self, method, url, *args, **kwargs):  # type: ignore[override]
            sent.append(method)
            return super().request(method, url, *args, **kwargs)

    client = emulator_client(shop, session=CountingSession())
    products = list(client.products())
    assert len(products) > 100  # more than one page, signed with OAuth 1.0a over http and accepted
    assert len(sent) == client.stats.requests >= 2
    assert client.batch_timeout == 90 and client.timeout == 10  # batches keep their long timeout


def test_every_call_is_logged_without_keys_or_signatures(shop: ShopEmulator,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client = emulator_client(shop)
    product = next(iter(client.products()))
    client.update_products([{"id": product["id"], "stock_quantity": 7}])
    wrong = ShopClient(ShopSettings(url=shop.url, consumer_key=shop.consumer_key, consumer_secret="cs_zly"))
    with pytest.raises(Exception, match="401"):
        wrong.get_order(1)

    ours = [r.getMessage() for r in caplog.records if not r.name.startswith("linkoptima_gui.demo")]
    http = [r.getMessage() for r in caplog.records if r.name == "linkoptima_gui.core.woo.http"]
    assert any(re.fullmatch(r"GET /wp-json/wc/v3/products page=1 -> 200 in \d+ ms", line) for line in http)
    assert any(re.fullmatch(r"POST /wp-json/wc/v3/products/batch -> 200 in \d+ ms", line) for line in http)
    assert any(re.fullmatch(r"GET /wp-json/wc/v3/orders/1 -> 401 in \d+ ms", line) for line in http)
    assert any("urllib3" in r.name for r in caplog.records)  # its debug lines were there, and were masked
    text = "\n".join(ours)
    assert shop.consumer_key not in text and shop.consumer_secret not in text and "cs_zly" not in text
    assert not re.search(r"oauth_signature=(?!\*\*\*)", text)


def test_a_retry_after_as_an_http_date_is_honoured() -> None:
    from email.utils import formatdate

    waits = Waits()
    later = formatdate(__import__("time").time() + 3, usegmt=True)
    script = sequence(Answer(503, {"code": "busy"}, {"Retry-After": later}), Answer(200, {"id": 1}))
    with ScriptedServer(script) as server:
        assert scripted_client(server, waits).get_order(1) == {"id": 1}
    assert len(waits.seconds) == 1 and 1.0 <= waits.seconds[0] <= 3.5
