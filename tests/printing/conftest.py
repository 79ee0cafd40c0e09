"""Printers that are offline, built on loopback so the tests are fast and deterministic."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def closed_port() -> int:
    """A loopback port nobody listens on: a printer that is switched off refuses at once."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        return server.getsockname()[1]


@pytest.fixture
def unanswered_port() -> Iterator[int]:
    """A loopback port whose full accept queue drops our SYN, like a printer whose address
    leads nowhere: a connect to it hangs until its timeout."""
    with socket.create_server(("127.0.0.1", 0), backlog=0) as server:
        port = server.getsockname()[1]
        fillers = []
        try:
            for _ in range(8):  # fill the backlog until a connect really hangs
                probe = socket.socket()
                probe.settimeout(0.2)
                fillers.append(probe)
                try:
                    probe.connect(("127.0.0.1", port))
                except TimeoutError:
                    break
            else:
                pytest.skip("this system does not drop connections on a full backlog")
            yield port
        finally:
            for probe in fillers:
                probe.close()
