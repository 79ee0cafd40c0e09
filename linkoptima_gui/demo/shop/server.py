"""The HTTP face of the emulated shop: a threaded loopback server speaking WooCommerce wc/v3.

The real ``woocommerce`` client is used against it unchanged: an ``http://`` URL makes the client
sign every request with OAuth 1.0a in the query string, which is the only authentication the real
shop accepts over plain http (Basic auth and ``consumer_key``/``consumer_secret`` in the query are
ignored there, so such requests are simply unauthenticated and get the resource's 401).
Authentication is checked before routing, as WordPress does, so a bad signature is a 401 even
for a route that does not exist.

Given a certificate, the emulator serves https instead, and then authenticates as the real shop
does over TLS: HTTP Basic (key as user, secret as password) or ``consumer_key`` and
``consumer_secret`` in the query; OAuth parameters are not looked at there.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import logging
import ssl
from collections.abc import Callable
from datetime import datetime
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ...core.serving import ServingThread
from .common import ApiError
from .oauth import OAuthVerifier, params_from_header
from .pace import ShopPace
from .routes import Request, Response, dispatch
from .store import ShopStore

log = logging.getLogger(__name__)
API_PREFIX = "/wp-json/wc/v3/"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    emulator: ShopEmulator

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up or fails the TLS handshake: logged, not printed to stderr."""
        log.debug("connection from %s failed", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    """Reads one request, lets the emulator answer it, writes the JSON back (keep-alive capable)."""

    protocol_version = "HTTP/1.1"
    server: _Server

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        response = self.server.emulator.answer(self.command, self.path, self.headers, body)
        payload = json.dumps(response.body, ensure_ascii=False).encode("utf-8")
        self.send_response(response.status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _serve

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)


class ShopEmulator:
    """A WooCommerce shop on a loopback port, its state in ``<folder>/shop.sqlite``.

    ``store`` is usable before ``start()`` (to seed or inspect) and is reopened by a ``start()``
    after ``stop()``. ``clock`` (naive UTC) drives the shop's own dates; OAuth timestamps are
    always checked against the real clock, because the client signs with the real clock.
    """

    def __init__(
        self,
        folder: Path,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Callable[[], datetime] | None = None,
        certificate: tuple[Path, Path] | None = None,
        *,
        catalogue: bool = True,
        pace: ShopPace | None = None,
    ) -> None:
        """``certificate``: (certificate chain, private key) PEM files to serve https with;
        without ``catalogue`` a new shop starts empty, as a shop the console publishes to;
        ``pace``: answer as slowly as a real shop does (benchmarks)."""
        self.folder = Path(folder)
        self.pace = pace
        self.host = host
        self.port = port
        self._clock = clock
        self.store = ShopStore(self.folder, clock=clock, catalogue=catalogue)
        self.consumer_key = self.store.consumer_key
        self.consumer_secret = self.store.consumer_secret
        self._tls: ssl.SSLContext | None = None
        if certificate is not None:
            self._tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self._tls.load_cert_chain(*certificate)
        self.scheme = "https" if self._tls else "http"
        self.url = f"{self.scheme}://{host}:{port}"
        self._verifier = OAuthVerifier(self.consumer_key, self.consumer_secret)
        self._serving: ServingThread | None = None
        self._closed = False

    def start(self) -> None:
        """Bind (port 0 = any free port) and serve from a daemon thread."""
        if self._serving is not None:
            return
        if self._closed:
            self.store = ShopStore(self.folder, clock=self._clock)
            self._closed = False
        server = _Server((self.host, self.port), _Handler)
        server.emulator = self
        if self._tls is not None:
            # the handshake happens in the handler's thread, so a client that never finishes
            # one does not hold up the others
            server.socket = self._tls.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
        self.port = server.server_address[1]
        self.url = f"{self.scheme}://{self.host}:{self.port}"
        self.store.base_url = self.url
        self._serving = ServingThread(server, f"shop-emulator-{self.port}", poll=0.05)
        log.info("shop emulator serving %s from %s", self.url, self.folder)

    def stop(self) -> None:
        """Stop serving and close the database (everything committed is already on disk)."""
        if self._serving is not None:
            self._serving.stop()
            self._serving = None
        if not self._closed:
            self.store.close()
            self._closed = True

    def __enter__(self) -> ShopEmulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- one request ------------------------------------------------------------------------

    def answer(self, method: str, raw_path: str, headers: Message, body: bytes) -> Response:
        """The full answer to one HTTP request, errors included (never raises); with a ``pace``,
        taking a PHP worker and the time a real shop takes (``pace.py``)."""
        pace = self.pace
        if pace is None:
            return self._answer_safely(method, raw_path, headers, body)
        with pace.worker():
            response = self._answer_safely(method, raw_path, headers, body)
            path = urlsplit(raw_path).path
            sent = None
            if method.upper() == "POST" and path.endswith("/batch"):
                try:
                    sent = json.loads(body.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError):
                    sent = None
            pace.spend(method.upper(), path, sent, response.body)
        return response

    def _answer_safely(self, method: str, raw_path: str, headers: Message, body: bytes) -> Response:
        try:
            return self._answer(method.upper(), raw_path, headers, body)
        except ApiError as error:
            response = Response(error.status, error.body())
        except Exception:  # noqa: BLE001 - a server answers 500 instead of dropping the socket
            log.exception("shop emulator failed on %s %s", method, raw_path)
            response = Response(
                500,
                {
                    "code": "internal_server_error",
                    "message": "There has been a critical error.",
                    "data": {"status": 500},
                },
            )
        response.headers.setdefault("Link", f'<{self.url}/wp-json/>; rel="https://api.w.org/"')
        return response

    def _answer(self, method: str, raw_path: str, headers: Message, body: bytes) -> Response:
        split = urlsplit(raw_path)
        pairs = parse_qsl(split.query, keep_blank_values=True)
        content_type = (headers.get("Content-Type") or "").lower()
        parsed: Any = None
        signed = dict(pairs)
        if content_type.startswith("application/x-www-form-urlencoded"):
            form = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
            signed.update(form)  # OAuth signs form bodies, never JSON ones
            parsed = dict(form)
        elif body.strip():
            try:
                parsed = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise ApiError(
                    400,
                    "rest_invalid_json",
                    "Invalid JSON body passed.",
                    json_error_code=4,
                    json_error_message=str(exc),
                ) from exc
        authenticated = False
        if self._tls is not None:
            if split.path.startswith("/wp-json/wc/"):
                authenticated = self._key_pair_matches(headers, dict(pairs))
        else:
            signed.update(params_from_header(headers.get("Authorization") or ""))
            if split.path.startswith("/wp-json/wc/") and OAuthVerifier.has_oauth(signed):
                self._verifier.verify(method, f"{self.url}{split.path}", signed)
                authenticated = True
        if not split.path.startswith(API_PREFIX):
            raise ApiError(404, "rest_no_route", "No route was found matching the URL and request method.")
        request = Request(method, split.path[len(API_PREFIX) :], pairs, parsed, authenticated)
        return dispatch(self.store, request)

    def _key_pair_matches(self, headers: Message, query: dict[str, str]) -> bool:
        """Over https: the keys from Basic auth, else from the query; False when none are sent
        (the route's own 401 follows), ``ApiError`` 401 when they are wrong."""
        key, secret = query.get("consumer_key"), query.get("consumer_secret")
        header = headers.get("Authorization") or ""
        if header.lower().startswith("basic "):
            try:
                key, _, secret = base64.b64decode(header[6:].strip()).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError):
                key = secret = None
        if not key or secret is None:
            return False
        if not hmac.compare_digest(key, self.consumer_key):
            raise ApiError(401, "woocommerce_rest_authentication_error", "Consumer key is invalid.")
        if not hmac.compare_digest(secret, self.consumer_secret):
            raise ApiError(401, "woocommerce_rest_authentication_error", "Consumer secret is invalid.")
        return True
