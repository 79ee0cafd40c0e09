"""The loopback HTTP harness every carrier emulator (InPost ShipX, Furgonetka, DPD) shares.

Each emulator only answers ``(method, path, query, headers, body) -> Reply``; this module serves
that on a free loopback port with the real ``requests`` client on the other side, and gives
tests the two controls that a carrier's network has and a test must not fake by sleeping:
failures injected into the next answers (``fail_next``) and answers held back until released
(``pause`` / ``resume``), which is how a client timeout happens after the server already acted.

``LoopbackEmulator`` is an emulator's life cycle on that harness (``url``, ``start``, ``stop``, a
``with`` block); ``CarrierEmulator`` adds an account kept in a JSON file (Furgonetka, DPD). The
ShipX emulator keeps its account in SQLite and uses ``LoopbackEmulator`` alone.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

from ..core.serving import ServingThread

log = logging.getLogger(__name__)
PAUSE_LIMIT = 30.0  # a held answer is released after this anyway: a forgotten resume() cannot hang


@dataclass
class Reply:
    """One answer: a JSON body, or raw bytes with their content type."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: Message
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8")) if self.body.strip() else None


Answer = Callable[[Call], Reply]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64
    harness: CarrierHttp


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        split = urlsplit(self.path)
        call = Call(self.command.upper(), split.path, parse_qsl(split.query, keep_blank_values=True),
                    self.headers, body)
        harness = self.server.harness
        reply = harness.answer(call)
        payload = reply.body if isinstance(reply.body, bytes) else json.dumps(
            reply.body, ensure_ascii=False, default=harness.json_default).encode("utf-8")
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting (a timeout)
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)


class CarrierHttp:
    """Serves ``handler`` on ``host:port`` (0 = any free port; a restart binds the same port
    again) with the test controls. ``finish`` sees every reply before it goes out, an injected
    failure too (ShipX stamps its request id on all of them); ``json_default`` encodes what
    ``json`` does not (ShipX's decimals)."""

    def __init__(self, handler: Answer, name: str, host: str = "127.0.0.1", port: int = 0, *,
                 finish: Callable[[Call, Reply], None] | None = None,
                 json_default: Callable[[Any], Any] | None = None) -> None:
        self._handler = handler
        self._finish = finish
        self.json_default = json_default
        self.name = name
        self.host, self.port = host, port
        self.url = f"http://{host}:{port}"
        self._lock = threading.Lock()
        self._faults: deque[Reply] = deque()
        self._gate: threading.Event | None = None
        self._gate_route: tuple[str, str] | None = None
        self.held = threading.Event()
        self.calls: list[tuple[str, str]] = []
        self._serving: ServingThread | None = None

    def start(self) -> None:
        if self._serving is not None:
            return
        server = _Server((self.host, self.port), _Handler)
        server.harness = self
        self.port = server.server_address[1]
        self.url = f"http://{self.host}:{self.port}"
        self._serving = ServingThread(server, f"{self.name}-emulator-{self.port}", poll=0.05)

    def stop(self) -> None:
        self.resume()
        if self._serving is not None:
            self._serving.stop()
            self._serving = None

    def fail_next(self, reply: Reply, times: int = 1) -> None:
        """Answer the next ``times`` requests with ``reply`` instead of serving them."""
        with self._lock:
            self._faults.extend([reply] * times)

    def pause(self, method: str = "", path_contains: str = "") -> None:
        """Carry the matching request out but hold its answer until ``resume()`` (a reply lost on
        the way back); ``held`` is set once one is waiting."""
        with self._lock:
            self._gate = threading.Event()
            self._gate_route = (method.upper(), path_contains)
            self.held = threading.Event()

    def resume(self) -> None:
        with self._lock:
            gate, self._gate = self._gate, None
        if gate is not None:
            gate.set()

    def count(self, method: str, path_contains: str) -> int:
        """How many requests of this kind were answered (for "bought once" assertions)."""
        with self._lock:
            return sum(1 for m, p in self.calls if m == method and path_contains in p)

    def answer(self, call: Call) -> Reply:
        with self._lock:
            fault = self._faults.popleft() if self._faults else None
            self.calls.append((call.method, call.path))
            gate = None
            if self._gate is not None and self._gate_route is not None:
                method, fragment = self._gate_route
                if method in ("", call.method) and fragment in call.path:
                    gate = self._gate
            held = self.held
        if fault is not None:
            reply = replace(fault, headers=dict(fault.headers))  # (one fault may be served several times)
        else:
            try:
                reply = self._handler(call)
            except Exception:  # noqa: BLE001 - a server answers 500 rather than dropping the socket
                log.exception("%s emulator failed on %s %s", self.name, call.method, call.path)
                reply = Reply(500, {"errors": [{"message": "Internal server error"}]})
        if self._finish is not None:
            self._finish(call, reply)
        if gate is not None:
            held.set()
            gate.wait(PAUSE_LIMIT)
        return reply


class LoopbackEmulator:
    """An emulator's life cycle: its answers served on loopback by ``http`` (a ``CarrierHttp`` the
    subclass makes), started and stopped, or used as a ``with`` block."""

    http: CarrierHttp

    @property
    def url(self) -> str:
        return self.http.url

    @property
    def host(self) -> str:
        return self.http.host

    @property
    def port(self) -> int:
        return self.http.port

    def start(self) -> Self:
        self.http.start()
        return self

    def stop(self) -> None:
        self.http.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class CarrierEmulator(LoopbackEmulator):
    """What the Furgonetka and DPD emulators are besides their answers: one account whose state
    lives in a JSON file of its folder (kept across restarts, as the carrier keeps it). A subclass
    names its file (``state_name``) and answers ``_answer``."""

    state_name = "carrier"

    def _open(self, folder: Path, port: int, clock: Callable[[], datetime] | None,
              fresh: Callable[[], dict[str, Any]]) -> None:
        """Load the account's state (``fresh()`` when there is none yet) and make its server."""
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._file = self.folder / f"{self.state_name}.json"
        self._clock = clock or (lambda: datetime.now(UTC))
        self._lock = threading.RLock()
        self.state: dict[str, Any] = json.loads(self._file.read_text("utf-8")) if self._file.exists() else fresh()
        self._save()
        self.http = CarrierHttp(self._answer, self.state_name, port=port)

    def _answer(self, call: Call) -> Reply:
        raise NotImplementedError

    def _save(self) -> None:
        tmp = self._file.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.state, ensure_ascii=False), "utf-8")
        tmp.replace(self._file)
