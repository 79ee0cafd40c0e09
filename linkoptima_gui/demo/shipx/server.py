"""The HTTP face of the emulated InPost ShipX: a threaded loopback server, like the shop's.

The real adapter (``core.shipping.inpost.InPostShipX``) talks to it with ``requests`` exactly as
it talks to ``api-shipx-pl.easypack24.net``: a Bearer token, the organization id in the path,
JSON in and out, label bytes for labels. Besides the API, the emulator has hooks for what tests
and the demo need to control without sleeping: when shipments get confirmed
(``confirm_after_polls`` / ``confirm_after_seconds`` / ``confirm_all()``), the next answers
being failures (``fail_next``: 429, 5xx, a proxy's HTML page), and answers held back until
released (``pause()`` / ``resume()``, for client timeouts).
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections import deque
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ...core.domain.order import Address
from ...core.serving import ServingThread
from ...core.shipping.builtin import SenderInfo
from ...core.shipping.inpost import split_street
from .common import Response, ShipXError, json_default
from .routes import Request, dispatch
from .store import ShipmentRow, ShipXStore

log = logging.getLogger(__name__)

#: The organization's data when none is given: it is the default sender of every shipment.
DEFAULT_ORGANIZATION = SenderInfo(
    name="Sklep Demo LinkOptima",
    address=Address(street="ul. Przykładowa 12", city="Warszawa", postcode="00-950"),
    phone="+48 22 345 67 89",
    email="sklep@linkoptima.demo",
)
PAUSE_LIMIT = 30.0  # a held answer is released after this anyway, so a forgotten resume() cannot hang
_ERROR_KEYS = {
    429: "too_many_requests",
    500: "internal_server_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}


def organization_data(sender: SenderInfo) -> dict[str, Any]:
    """A ``SenderInfo`` in ShipX's sender form (street and building number apart)."""
    street, building = split_street(sender.address.street)
    return {
        "name": sender.name,
        "company_name": sender.name,
        "email": sender.email,
        "phone": sender.phone,
        "address": {
            "street": street,
            "building_number": building,
            "city": sender.address.city,
            "post_code": sender.address.postcode,
            "country_code": sender.address.country or "PL",
        },
    }


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64
    emulator: ShipXEmulator


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        response = self.server.emulator.answer(self.command, self.path, self.headers, body)
        if isinstance(response.body, bytes):
            payload = response.body
        else:
            payload = json.dumps(response.body, ensure_ascii=False, default=json_default).encode("utf-8")
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting (a timeout test)
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)


class ShipXEmulator:
    """An InPost ShipX organization on a loopback port, its state in ``<folder>/shipx.sqlite``.

    The token and organization id are generated once per folder and kept there, like the shop
    emulator's API keys. ``confirm_after_polls=N`` confirms a shipment on the N-th API read of
    it; ``confirm_after_seconds`` (default 2 s, for the demo) confirms it that long after
    creation on ``clock``; ``None`` switches a rule off. Both may be changed at any time.
    """

    def __init__(
        self,
        folder: Path,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        confirm_after_polls: int | None = None,
        confirm_after_seconds: float | None = 2.0,
        clock: Callable[[], datetime] | None = None,
        sender: SenderInfo | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.host = host
        self.port = port
        self._clock = clock
        self.confirm_after_polls = confirm_after_polls
        self.confirm_after_seconds = confirm_after_seconds
        self.url = f"http://{host}:{port}"
        self._sender = sender
        self._faults: deque[tuple[int, bytes | None, float | None]] = deque()
        self._gate: threading.Event | None = None
        self._gate_method: str | None = None
        self.held = threading.Event()  # set when an answer is being held by pause()
        self._lock = threading.Lock()
        self.requests: list[tuple[str, str]] = []  # (method, path) of every request answered
        self._serving: ServingThread | None = None
        self._closed = False
        self.store = self._open_store()
        #: what a client needs besides ``url``; fixed for the folder, readable even when stopped
        self.token = self.store.token
        self.organization_id = self.store.organization_id

    def _open_store(self) -> ShipXStore:
        store = ShipXStore(self.folder, clock=self._clock)
        if self._sender is not None or store.organization() is None:
            store.set_organization(organization_data(self._sender or DEFAULT_ORGANIZATION))
        return store

    # --- life cycle ------------------------------------------------------------------------------

    def start(self) -> None:
        """Bind (port 0 = any free port; a restart asks for the same port again) and serve."""
        if self._serving is not None:
            return
        if self._closed:
            self.store = self._open_store()
            self._closed = False
        server = _Server((self.host, self.port), _Handler)
        server.emulator = self
        self.port = server.server_address[1]
        self.url = f"http://{self.host}:{self.port}"
        self._serving = ServingThread(server, f"shipx-emulator-{self.port}", poll=0.05)
        log.info("ShipX emulator serving %s from %s", self.url, self.folder)

    def stop(self) -> None:
        """Stop serving and close the database (everything answered is already committed)."""
        self.resume()
        if self._serving is not None:
            self._serving.stop()
            self._serving = None
        if not self._closed:
            self.store.close()
            self._closed = True

    def __enter__(self) -> ShipXEmulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- hooks for tests and the demo ------------------------------------------------------------

    def confirm_all(self) -> int:
        """Confirm every shipment still waiting; returns how many."""
        return self.store.confirm()

    def fail_next(
        self, status: int, times: int = 1, *, body: bytes | None = None, retry_after: float | None = None
    ) -> None:
        """Answer the next ``times`` requests with ``status`` (a ShipX error body, or ``body``)."""
        with self._lock:
            self._faults.extend([(status, body, retry_after)] * times)

    def pause(self, method: str | None = None) -> None:
        """Hold answers (to ``method`` only, if given) until ``resume()``, at most ``PAUSE_LIMIT``
        seconds. The request is carried out first and only its answer is held, like a reply lost
        on the way back: ``held`` is set once one is waiting, so a test can wait for that."""
        with self._lock:
            self._gate = threading.Event()
            self._gate_method = method.upper() if method else None
            self.held = threading.Event()

    def resume(self) -> None:
        with self._lock:
            gate, self._gate = self._gate, None
        if gate is not None:
            gate.set()

    def shipments(self) -> list[ShipmentRow]:
        """Every shipment, oldest first; looking does not count as a poll."""
        return self.store.rows()

    # --- one request -----------------------------------------------------------------------------

    def answer(self, method: str, raw_path: str, headers: Message, body: bytes) -> Response:
        """The full answer to one HTTP request, errors included (never raises)."""
        with self._lock:
            gate = self._gate if self._gate_method in (None, method.upper()) else None
            held = self.held
            fault = self._faults.popleft() if self._faults else None
            self.requests.append((method.upper(), urlsplit(raw_path).path))
        if fault is not None:
            response = self._fault(*fault)
        else:
            try:
                response = self._answer(method.upper(), raw_path, headers, body)
            except ShipXError as error:
                response = Response(error.status, error.body())
            except Exception:  # noqa: BLE001 - a server answers 500 instead of dropping the socket
                log.exception("ShipX emulator failed on %s %s", method, raw_path)
                response = Response(500, ShipXError(500, "internal_server_error", "Internal error.").body())
        response.headers["X-Request-ID"] = headers.get("X-Request-ID") or str(uuid.uuid4())
        if gate is not None:
            held.set()
            gate.wait(PAUSE_LIMIT)
        return response

    @staticmethod
    def _fault(status: int, body: bytes | None, retry_after: float | None) -> Response:
        headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else {}
        if body is not None:
            return Response(status, body, headers, content_type="text/html; charset=utf-8")
        error = ShipXError(status, _ERROR_KEYS.get(status, "error"), f"Injected failure {status}.")
        return Response(status, error.body(), headers)

    def _answer(self, method: str, raw_path: str, headers: Message, body: bytes) -> Response:
        self.store.confirm_after_polls = self.confirm_after_polls
        self.store.confirm_after_seconds = self.confirm_after_seconds
        split = urlsplit(raw_path)
        authorization = headers.get("Authorization") or ""
        scheme, _, token = authorization.partition(" ")
        parsed: Any = None
        invalid = False
        if body.strip():
            try:
                parsed = json.loads(body.decode("utf-8"), parse_float=Decimal)
            except (UnicodeDecodeError, json.JSONDecodeError):
                invalid = True
        request = Request(
            method=method,
            path=split.path,
            pairs=parse_qsl(split.query, keep_blank_values=True),
            body=parsed,
            token=token.strip() if scheme.lower() == "bearer" else "",
            base_url=self.url,
            body_invalid=invalid,
        )
        return dispatch(self.store, request)
