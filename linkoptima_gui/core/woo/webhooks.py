"""WooCommerce webhooks as hints: a small HTTP receiver that makes the engine poll sooner.

Why only a hint (DESIGN.md §3): WooCommerce sends a delivery once, late when its background queue
stalls, with the order as it is at sending time, and gives up on a failed one (woocommerce.md
§1.7); polling by ``modified_after`` stays the source of truth. So a delivery never carries an
order into the console: for ``order.created`` and ``order.updated`` it calls ``wake`` (the
engine's), and the next poll reads whatever changed.

What it checks, in this order, before anything is called:
- WooCommerce's ping when a webhook is saved: a form body ``webhook_id=N`` without any
  ``X-WC-Webhook-*`` header; it must get 200, and wakes nothing;
- the signature: ``X-WC-Webhook-Signature`` must be base64(HMAC-SHA256(raw body, secret)),
  compared on the raw bytes as received (never on re-serialised JSON); otherwise 401;
- the delivery id (``X-WC-Webhook-Delivery-ID``): a delivery seen before, e.g. a replay of a
  captured request, is acknowledged with 200 and ignored.
Other topics are acknowledged and ignored. Answers are 2xx whenever the request was genuine,
because WooCommerce disables a webhook after a run of failed deliveries.

The receiver is stdlib ``http.server`` in a daemon thread: a desktop console has no public
address, so in practice it listens behind a relay or a reverse proxy that terminates TLS.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from ..serving import ServingThread

log = logging.getLogger(__name__)

#: topics after which the orders may have changed
WAKING_TOPICS = frozenset({"order.created", "order.updated"})
#: a WooCommerce order is tens of kilobytes; anything far larger is not a delivery
MAX_BODY = 4 * 1024 * 1024
#: delivery ids remembered for deduplication (the oldest are forgotten first)
REMEMBERED_DELIVERIES = 10_000


def signature(body: bytes, secret: str) -> str:
    """WooCommerce's signature of a delivery: base64 of HMAC-SHA256 over the raw body."""
    return base64.b64encode(hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()).decode("ascii")


@dataclass
class WebhookCounts:
    """What the receiver did since it started (for the status bar and the tests)."""

    pings: int = 0
    woken: int = 0
    ignored: int = 0
    duplicates: int = 0
    rejected: int = 0


class WebhookReceiver:
    """Verifies deliveries and calls ``wake`` for order changes; ``handle`` is the decision,
    the HTTP server around it only moves bytes."""

    def __init__(self, secret: str, wake: Callable[[], None], *, host: str = "127.0.0.1", port: int = 0) -> None:
        if not secret:
            # WooCommerce signs with a value derived from the user when the secret is empty:
            # nothing we could check against
            raise ValueError("a webhook receiver needs the webhook's secret")
        self._secret = secret
        self._wake = wake
        self.host, self.port = host, port
        self.counts = WebhookCounts()
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()
        self._serving: ServingThread | None = None

    # -- the decision ----------------------------------------------------------------------------

    def handle(self, headers: Mapping[str, str], body: bytes) -> int:
        """The HTTP status to answer one POST with; calls ``wake`` when the orders may have changed."""
        named = {key.lower(): value for key, value in headers.items()}
        given = named.get("x-wc-webhook-signature", "").strip()
        if not given:
            if _is_ping(named, body):
                self._count("pings")
                log.info("webhook ping received (%s)", body[:40].decode("ascii", "replace"))
                return 200
            self._count("rejected")
            log.warning("webhook delivery without a signature rejected")
            return 401
        if not hmac.compare_digest(signature(body, self._secret), given):
            self._count("rejected")
            log.warning("webhook delivery with a wrong signature rejected (topic %s)",
                        named.get("x-wc-webhook-topic", "?"))
            return 401
        delivery = named.get("x-wc-webhook-delivery-id", "").strip()
        if delivery and not self._first_time(delivery):
            self._count("duplicates")
            log.info("webhook delivery %s seen before, ignored", delivery)
            return 200
        topic = named.get("x-wc-webhook-topic", "").strip().lower()
        if topic not in WAKING_TOPICS:
            self._count("ignored")
            log.info("webhook %s (delivery %s) does not concern orders, ignored", topic or "?", delivery or "-")
            return 200
        self._count("woken")
        log.info("webhook %s for order %s (delivery %s): polling the shop now", topic, _order_id(body),
                 delivery or "-")
        try:
            self._wake()
        except Exception:  # the hint is lost, polling is not: the delivery itself was fine
            log.exception("waking the engine after a webhook failed")
        return 200

    def _first_time(self, delivery: str) -> bool:
        with self._lock:
            if delivery in self._seen:
                return False
            self._seen[delivery] = None
            while len(self._seen) > REMEMBERED_DELIVERIES:
                self._seen.popitem(last=False)
            return True

    def _count(self, name: str) -> None:
        with self._lock:
            setattr(self.counts, name, getattr(self.counts, name) + 1)

    # -- the server ------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def start(self) -> None:
        """Listen (port 0: any free port, then ``port`` and ``url`` tell which)."""
        if self._serving is not None:
            return
        server = _Server((self.host, self.port), _Handler)
        server.receiver = self
        self.port = server.server_address[1]
        self._serving = ServingThread(server, f"webhooks-{self.port}", poll=0.2)
        log.info("webhook receiver listening on %s", self.url)

    def stop(self) -> None:
        if self._serving is not None:
            self._serving.stop()
            self._serving = None

    def __enter__(self) -> WebhookReceiver:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _is_ping(headers: Mapping[str, str], body: bytes) -> bool:
    """WooCommerce's ping: ``webhook_id=<digits>`` as a form, and no ``X-WC-Webhook-*`` header."""
    if any(name.startswith("x-wc-webhook-") for name in headers):
        return False
    try:
        fields = parse_qsl(body.decode("ascii"), keep_blank_values=True, strict_parsing=True)
    except (UnicodeDecodeError, ValueError):
        return False
    return len(fields) == 1 and fields[0][0] == "webhook_id" and fields[0][1].isdigit()


def _order_id(body: bytes) -> str:
    """The order's id for the log line (parsed only after the signature was verified)."""
    try:
        document = json.loads(body)
    except ValueError:
        return "?"
    return str(document.get("id", "?")) if isinstance(document, dict) else "?"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    receiver: WebhookReceiver


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self._answer(413 if length > MAX_BODY else 400)
            return
        body = self.rfile.read(length) if length else b""
        self._answer(self.server.receiver.handle(dict(self.headers.items()), body))

    def do_GET(self) -> None:
        self._answer(405)

    do_PUT = do_DELETE = do_PATCH = do_GET

    def _answer(self, status: int) -> None:
        payload = json.dumps({"status": status}).encode()
        self.send_response(status)
        if status == 405:
            self.send_header("Allow", "POST")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        if status in (400, 413):
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)
