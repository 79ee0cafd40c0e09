"""A loopback server that accepts connections and says nothing until told to hang up: a mail
server or a shop that hangs, for checking that a connection check neither freezes nor waits
longer than its timeout."""

from __future__ import annotations

import socket
import threading


class SilentServer:
    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._server.getsockname()[1]
        #: set once a client has connected (the check is under way)
        self.connected = threading.Event()
        self._release = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="silent-server", daemon=True)

    def __enter__(self) -> SilentServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.hang_up()
        self._server.close()
        self._thread.join(5)

    def hang_up(self) -> None:
        """Close the connection without a word (the client sees the server go away)."""
        self._release.set()

    def _serve(self) -> None:
        self._server.settimeout(10)
        try:
            client, _ = self._server.accept()
        except OSError:
            return
        with client:
            self.connected.set()
            self._release.wait(30)
