"""One way to run a stdlib HTTP server in the background: the webhook receiver and the demo
world's emulators (shop, ShipX) all serve like this, and all must stop cleanly (no request cut
off mid-answer, the port released at once for a restart on the same folder)."""

from __future__ import annotations

import threading
from socketserver import BaseServer


class ServingThread:
    """Serves ``server`` from a daemon thread until ``stop``; ``poll`` is how often the loop
    looks whether it should stop (seconds)."""

    def __init__(self, server: BaseServer, name: str, poll: float = 0.05) -> None:
        self.server = server
        self._thread = threading.Thread(target=server.serve_forever, args=(poll,), name=name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Finish the requests in hand, close the socket and wait for the thread."""
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout)
