"""Server-side OAuth 1.0a (one-legged) verification, as WooCommerce does it over plain http.

Written from RFC 5849 and WooCommerce's documented rules, not from the client: the consumer
signs ``METHOD & enc(base URI) & enc(sorted, encoded query parameters)`` with the key
``enc(consumer_secret) & `` (no token secret), HMAC-SHA1 or HMAC-SHA256, base64. The base URI is
the URL *as the shop knows itself* (``http://127.0.0.1:PORT/path``), so a client that calls the
shop through another host name fails exactly as it would against a real shop. The body is not
signed (JSON bodies never are). A timestamp more than 15 minutes away is refused, and a nonce
is accepted once; nonces are kept in memory for the 15-minute window only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote, unquote

from .common import ApiError

WINDOW_SECONDS = 15 * 60
REQUIRED = (
    "oauth_consumer_key",
    "oauth_timestamp",
    "oauth_nonce",
    "oauth_signature",
    "oauth_signature_method",
)
_DIGESTS: dict[str, Callable[..., Any]] = {"HMAC-SHA1": hashlib.sha1, "HMAC-SHA256": hashlib.sha256}
_HEADER_PARAM = re.compile(r'(\w+)="([^"]*)"')


def _auth_error(message: str) -> ApiError:
    return ApiError(401, "woocommerce_rest_authentication_error", message)


def percent_encode(text: str) -> str:
    """RFC 3986 encoding: everything but ``A-Z a-z 0-9 - . _ ~`` becomes ``%XX`` (UTF-8)."""
    return quote(text, safe="-._~")


def base_string(method: str, base_uri: str, params: Mapping[str, str]) -> str:
    """The signature base string of RFC 5849 section 3.4.1 (``oauth_signature`` excluded)."""
    pairs = sorted(
        (percent_encode(key), percent_encode(value))
        for key, value in params.items()
        if key != "oauth_signature"
    )
    normalized = "&".join(f"{key}={value}" for key, value in pairs)
    return "&".join((method.upper(), percent_encode(base_uri), percent_encode(normalized)))


def sign(method_name: str, secret: str, text: str) -> str:
    """Base64 HMAC of ``text`` under ``enc(secret)&`` (an empty token secret)."""
    key = f"{percent_encode(secret)}&".encode()
    return base64.b64encode(hmac.new(key, text.encode(), _DIGESTS[method_name]).digest()).decode()


def params_from_header(header: str) -> dict[str, str]:
    """OAuth parameters sent as ``Authorization: OAuth k="v", ...`` instead of in the query."""
    if not header.lower().startswith("oauth "):
        return {}
    return {key: unquote(value) for key, value in _HEADER_PARAM.findall(header) if key.startswith("oauth_")}


class NonceCache:
    """Nonces seen in the last 15 minutes, per consumer key; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[tuple[str, str], int] = {}

    def claim(self, consumer_key: str, nonce: str, timestamp: int, now: float) -> bool:
        """Record the nonce; False when it was already used (a replay)."""
        with self._lock:
            horizon = now - WINDOW_SECONDS
            if len(self._seen) > 1000:
                self._seen = {k: ts for k, ts in self._seen.items() if ts >= horizon}
            if (consumer_key, nonce) in self._seen:
                return False
            self._seen[(consumer_key, nonce)] = timestamp
            return True


class OAuthVerifier:
    """Checks one request's OAuth 1.0a parameters against the shop's single API key.

    The order of checks follows WooCommerce: required parameters, the consumer key, the
    signature, then timestamp and nonce (so a forged request cannot burn a legitimate nonce).
    """

    def __init__(
        self, consumer_key: str, consumer_secret: str, clock: Callable[[], float] = time.time
    ) -> None:
        self.consumer_key = consumer_key
        self.consumer_secret = consumer_secret
        self._clock = clock
        self._nonces = NonceCache()

    @staticmethod
    def has_oauth(params: Mapping[str, str]) -> bool:
        return any(key.startswith("oauth_") for key in params)

    def verify(self, method: str, base_uri: str, params: Mapping[str, str]) -> None:
        """Raise ``ApiError`` 401 unless the signed request is genuine, fresh and not replayed.

        ``params`` are all query (and form body) parameters, decoded, last value winning for a
        repeated name (PHP's ``$_GET`` keeps the last; the Python client repeats every query
        parameter once more after the signature).
        """
        missing = [name for name in REQUIRED if not params.get(name)]
        if missing:
            raise _auth_error(f"Missing OAuth parameter {', '.join(missing)}")
        if not hmac.compare_digest(params["oauth_consumer_key"], self.consumer_key):
            raise _auth_error("Consumer key is invalid.")
        method_name = params["oauth_signature_method"]
        if method_name not in _DIGESTS:
            raise _auth_error("Invalid signature - signature method is invalid.")
        expected = sign(method_name, self.consumer_secret, base_string(method, base_uri, params))
        provided = params["oauth_signature"].replace(" ", "+")
        if not hmac.compare_digest(expected, provided):
            raise _auth_error("Invalid signature - provided signature does not match.")
        try:
            timestamp = int(params["oauth_timestamp"])
        except ValueError as exc:
            raise _auth_error("Invalid timestamp.") from exc
        now = self._clock()
        if abs(now - timestamp) > WINDOW_SECONDS:
            raise _auth_error("Invalid timestamp.")
        if not self._nonces.claim(self.consumer_key, params["oauth_nonce"], timestamp, now):
            raise _auth_error("Invalid nonce - nonce has already been used.")
