"""``linkoptima woo-check`` against the shop emulator (http and https) and against servers that are
not a usable WooCommerce: every failure a readable Polish sentence, exit code 1."""

from __future__ import annotations

import dataclasses
import json
import socket
import time
from pathlib import Path

import pytest

from linkoptima_gui import cli
from linkoptima_gui.core.woo.check import check_shop_connection
from linkoptima_gui.core.woo.settings import ShopSettings
from linkoptima_gui.demo.shop import ListQuery, ShopCustomers, ShopEmulator
from linkoptima_gui.demo.shop.common import ApiError

from ..silent_server import SilentServer
from .scripted_server import Answer, ScriptedServer, Seen


def keys(shop: ShopEmulator, **changes) -> ShopSettings:
    values = {"url": shop.url, "consumer_key": shop.consumer_key, "consumer_secret": shop.consumer_secret, **changes}
    return ShopSettings(**values)


def place_orders(shop: ShopEmulator, count: int) -> None:
    customers = ShopCustomers(shop.store, seed=3)
    for _ in range(count):
        customers.place_order()


def closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as server:
        return server.getsockname()[1]


def test_a_working_shop_is_described(shop: ShopEmulator) -> None:
    place_orders(shop, 6)
    products = shop.store.query_products(ListQuery(per_page=1))[1]

    result = check_shop_connection(keys(shop))

    assert (result.ok, result.reachable, result.auth_ok, result.error) == (True, True, True, None)
    assert result.woocommerce_version == "8.9.1"  # the version the newest order was saved with
    assert result.modified_after_honoured is True
    assert result.order_count == 6 and sum(result.order_statuses.values()) == 6
    assert result.order_statuses_source == "reports"  # every status, those with no orders too
    assert {"pending", "on-hold", "completed", "cancelled"} <= set(result.order_statuses)
    assert result.product_count == products
    assert result.message.startswith(f"Połączono ze sklepem WooCommerce 8.9.1: 6 zamówień, {products} produkt")


def test_without_the_totals_report_the_newest_orders_are_counted(shop: ShopEmulator,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    place_orders(shop, 6)
    def refuse() -> dict[str, int]:  # a key without the right to read reports
        raise ApiError(403, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")

    monkeypatch.setattr(shop.store, "order_totals", refuse)

    result = check_shop_connection(keys(shop))

    assert result.ok and result.order_statuses_source == "latest 6 orders"
    assert sum(result.order_statuses.values()) == 6 and 0 not in result.order_statuses.values()


def test_a_shop_that_ignores_modified_after_is_usable_with_a_warning(shop: ShopEmulator,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    place_orders(shop, 3)
    query_orders = shop.store.query_orders
    monkeypatch.setattr(shop.store, "query_orders",
                        lambda query: query_orders(dataclasses.replace(query, modified_after=None)))

    result = check_shop_connection(keys(shop))

    assert result.ok and result.modified_after_honoured is False
    assert "nie uwzględnia parametru modified_after" in result.message and result.warnings


def test_an_empty_shop_leaves_what_it_cannot_tell_unknown(shop: ShopEmulator) -> None:
    result = check_shop_connection(keys(shop))
    assert result.ok and result.order_count == 0
    assert (result.woocommerce_version, result.modified_after_honoured) == (None, None)


def test_wrong_keys_and_a_wrong_address_variant_are_named(shop: ShopEmulator) -> None:
    wrong_secret = check_shop_connection(keys(shop, consumer_secret="cs_zly"))
    wrong_key = check_shop_connection(keys(shop, consumer_key="ck_nieznany"))
    other_name = check_shop_connection(keys(shop, url=shop.url.replace("127.0.0.1", "localhost")))
    with_api_path = check_shop_connection(keys(shop, url=f"{shop.url}/wp-json/wc/v3"))

    assert (wrong_secret.ok, wrong_secret.reachable, wrong_secret.auth_ok, wrong_secret.error) == (
        False, True, False, "auth")
    assert wrong_secret.message.startswith("Sklep odrzucił podpis żądania (401)")
    assert wrong_key.message.startswith("Sklep nie zna tego klucza klienta")
    assert other_name.error == "auth" and "www, http/https, port" in other_name.message
    assert with_api_path.error == "url"
    assert with_api_path.message == f"Podaj adres sklepu bez „/wp-json…”, konsola dopisuje go sama: {shop.url}."


def test_http_and_https_mixed_up_and_an_untrusted_certificate(shop: ShopEmulator, tls_shop: ShopEmulator,
                                                              pki: dict[str, Path]) -> None:
    https_to_http = check_shop_connection(keys(shop, url=shop.url.replace("http://", "https://")))
    http_to_https = check_shop_connection(keys(tls_shop, url=tls_shop.url.replace("https://", "http://")))
    untrusted = check_shop_connection(keys(tls_shop))
    trusted = check_shop_connection(keys(tls_shop, ca_bundle=str(pki["ca"])))

    assert https_to_http.error == "tls" and "nie mówi HTTPS" in https_to_http.message
    assert not http_to_https.ok and "może sklep działa tylko przez https://" in http_to_https.message
    assert untrusted.error == "tls" and "certyfikat sklepu nie jest zaufany" in untrusted.message
    assert trusted.ok and trusted.auth_ok  # Basic auth over TLS


def test_no_server_a_silent_server_and_a_name_that_does_not_resolve() -> None:
    port = closed_port()
    refused = check_shop_connection(ShopSettings(url=f"http://127.0.0.1:{port}", consumer_key="ck", consumer_secret="cs"))
    assert (refused.reachable, refused.error) == (False, "connection_refused")
    assert refused.message.startswith(f"Serwer 127.0.0.1:{port} odmówił połączenia")
    with SilentServer() as server:
        started = time.monotonic()
        silent = check_shop_connection(ShopSettings(url=f"http://127.0.0.1:{server.port}", consumer_key="ck",
                                                    consumer_secret="cs"), timeout=0.5)
        assert time.monotonic() - started < 3
    assert silent.error == "timeout" and silent.message.startswith("Sklep nie odpowiedział w ciągu 0.5 s")
    unknown = check_shop_connection(ShopSettings(url="http://sklep.invalid", consumer_key="ck", consumer_secret="cs"))
    assert unknown.error in ("dns", "unreachable") and not unknown.ok


def _site(seen: Seen) -> Answer:
    return Answer(200, "<!doctype html><html><body>Strona firmowa</body></html>", {"Content-Type": "text/html"})


def _wordpress_without_woocommerce(seen: Seen) -> Answer:
    if seen.path == "/wp-json/":
        return Answer(200, {"namespaces": ["oembed/1.0", "wp/v2"]})
    return Answer(404, {"code": "rest_no_route", "message": "No route was found.", "data": {"status": 404}})


def _redirecting(seen: Seen) -> Answer:
    return Answer(301, "", {"Location": f"https://www.sklep.example{seen.path}"})


@pytest.mark.parametrize(("script", "error", "words"), [
    (_site, "not_woocommerce", "nie jest API WooCommerce"),
    (_wordpress_without_woocommerce, "not_woocommerce", "jest WordPress, ale bez API WooCommerce"),
    (_redirecting, "redirect", "przekierowuje"),
], ids=["web-page", "wordpress-only", "redirect"])
def test_servers_that_are_not_a_usable_woocommerce(script, error: str, words: str) -> None:
    with ScriptedServer(script) as server:
        result = check_shop_connection(ShopSettings(url=server.url, consumer_key="ck", consumer_secret="cs"))
    assert (result.ok, result.reachable, result.error) == (False, True, error)
    assert words in result.message
    if error == "redirect":
        assert "wpisz w ustawieniach adres https://www.sklep.example" in result.message


def test_version_and_statuses_from_a_shop_that_reports_them() -> None:
    """A key with admin rights on a newer shop: ``system_status`` and ``reports/orders/totals``."""
    orders = [{"id": 2, "status": "processing", "version": "9.0.0", "date_modified_gmt": "2026-11-20T10:00:00"}]

    def script(seen: Seen) -> Answer:
        if seen.path.endswith("/system_status"):
            return Answer(200, {"environment": {"version": "9.1.2", "site_url": "https://sklep.example"}})
        if seen.path.endswith("/reports/orders/totals"):
            return Answer(200, [{"slug": "processing", "name": "W trakcie realizacji", "total": 41},
                                {"slug": "completed", "name": "Zrealizowane", "total": 1200},
                                {"slug": "failed", "name": "Nieudane", "total": 0}])
        if seen.path.endswith("/orders"):
            later = "modified_after" in seen.query
            return Answer(200, [] if later else orders, {"X-WP-Total": "1241", "X-WP-TotalPages": "1241"})
        if seen.path.endswith("/products"):
            return Answer(200, [{"id": 1}], {"X-WP-Total": "35", "X-WP-TotalPages": "35"})
        return Answer(200, {"namespaces": ["wp/v2", "wc/v3"]})

    with ScriptedServer(script) as server:
        result = check_shop_connection(ShopSettings(url=server.url, consumer_key="ck", consumer_secret="cs"))
    assert result.ok and result.woocommerce_version == "9.1.2"
    assert (result.order_statuses, result.order_statuses_source) == (
        {"processing": 41, "completed": 1200, "failed": 0}, "reports")
    assert (result.order_count, result.product_count, result.modified_after_honoured) == (1241, 35, True)
    assert result.message == ("Połączono ze sklepem WooCommerce 9.1.2: 1241 zamówień, 35 produktów. "
                              "Statusy zamówień: processing 41, completed 1200, failed 0.")


def test_the_command_prints_one_json_line_and_exits_by_the_result(shop: ShopEmulator,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    good = cli.main(["woo-check", "--url", shop.url, "--key", shop.consumer_key, "--secret", shop.consumer_secret])
    good_line = capsys.readouterr().out.strip().splitlines()
    bad = cli.main(["woo-check", "--url", shop.url, "--key", shop.consumer_key, "--secret", "cs_zly"])
    bad_line = capsys.readouterr().out.strip().splitlines()

    assert (good, bad) == (0, 1)
    assert len(good_line) == len(bad_line) == 1
    assert json.loads(good_line[0])["ok"] is True and json.loads(good_line[0])["auth_ok"] is True
    refused = json.loads(bad_line[0])
    assert refused["ok"] is False and refused["error"] == "auth" and "401" in refused["message"]
