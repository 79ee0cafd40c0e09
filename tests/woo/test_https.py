"""The client over https, against the shop emulator serving TLS with a certificate from a
throw-away CA: Basic auth, keys in the query string, a wrong secret, an untrusted certificate."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import requests
from woocommerce.oauth import OAuth

from linkoptima_gui.core.errors import PermanentError, RetryableError
from linkoptima_gui.core.woo.client import ShopClient
from linkoptima_gui.core.woo.settings import ShopSettings
from linkoptima_gui.demo.shop import ShopEmulator


def settings(shop: ShopEmulator, pki: dict[str, Path], **changes) -> ShopSettings:
    values = {"url": shop.url, "consumer_key": shop.consumer_key, "consumer_secret": shop.consumer_secret,
              "ca_bundle": str(pki["ca"]), "timeout": 10, **changes}
    return ShopSettings(**values)


@pytest.mark.parametrize("query_string_auth", [False, True], ids=["basic-auth", "query-string"])
def test_https_with_basic_auth_or_keys_in_the_query(tls_shop: ShopEmulator, pki: dict[str, Path],
                                                    query_string_auth: bool,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    assert tls_shop.url.startswith("https://")
    client = ShopClient(settings(tls_shop, pki, query_string_auth=query_string_auth))

    products = list(client.products())

    assert len(products) > 100 and client.check_connection() == "Połączono ze sklepem: 0 zamówień."
    text = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("linkoptima_gui.demo"))
    assert tls_shop.consumer_secret not in text and tls_shop.consumer_key not in text


def test_a_wrong_secret_over_https_is_refused_by_name(tls_shop: ShopEmulator, pki: dict[str, Path]) -> None:
    with pytest.raises(PermanentError) as refused:
        ShopClient(settings(tls_shop, pki, consumer_secret="cs_zly")).get_order(1)
    assert refused.value.code == "shop_auth" and "Consumer secret is invalid" in refused.value.reason


def test_an_untrusted_certificate_is_a_tls_error_asked_once(tls_shop: ShopEmulator,
                                                            pki: dict[str, Path]) -> None:
    client = ShopClient(settings(tls_shop, pki, ca_bundle=""))  # the system's CAs do not know ours
    with pytest.raises(RetryableError) as failed:
        client.get_order(1)
    assert failed.value.code == "shop_tls"
    assert failed.value.reason == ("Błąd TLS przy łączeniu ze sklepem: certyfikat sklepu nie jest zaufany "
                                   "(samopodpisany albo od nieznanego wystawcy).")
    assert client.stats.requests == 1  # a certificate does not fix itself on a retry


def test_oauth_is_not_what_a_shop_takes_over_https(tls_shop: ShopEmulator, pki: dict[str, Path]) -> None:
    """Over TLS the real shop ignores OAuth parameters; the emulator does the same, so the
    https tests above really went through Basic auth and the query string."""
    signed = OAuth(url=f"{tls_shop.url}/wp-json/wc/v3/orders", consumer_key=tls_shop.consumer_key,
                   consumer_secret=tls_shop.consumer_secret, version="wc/v3", method="GET").get_oauth_url()
    answer = requests.get(signed, verify=str(pki["ca"]), timeout=10)
    assert answer.status_code == 401 and answer.json()["code"] == "woocommerce_rest_cannot_view"
