"""A loopback HTTP server that answers from a script: what the shop emulator will not do on
purpose (answer 503 twice, send a body that is not JSON, redirect, be a plain web page). It
records every request, so a test can count what the client sent."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Answer:
    status: int = 200
    body: bytes | str | Any = b"[]"
    headers: dict[str, str] = field(default_factory=dict)

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]


#: picks the answer for a request; ``Seen`` so far are in ``server.seen``
Script = Callable[[Seen], Answer]


class ScriptedServer:
    def __init__(self, script: Script) -> None:
        self.script = script
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                split = urlsplit(self.path)
                seen = Seen(self.command, split.path, dict(parse_qsl(split.query)), dict(self.headers.items()))
                with outer._lock:
                    outer.seen.append(seen)
                answer = outer.script(seen)
                payload = answer.payload()
                self.send_response(answer.status)
                headers = {"Content-Type": "application/json; charset=UTF-8", **answer.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def requests_to(self, path_end: str, method: str = "GET") -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.method == method and s.path.endswith(path_end)]

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
