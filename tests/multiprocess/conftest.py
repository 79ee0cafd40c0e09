"""Several processes on one store (DESIGN.md §5), as a warehouse runs them: the shop emulator,
headless engines and packing stations, each a ``linkoptima`` command of its own, all on the
PostgreSQL that ``.ci/run`` starts; and the label step killed and rerun for every carrier.
Marked ``multiprocess``: ``make test-multiprocess`` (and ``.ci/run``) run them, ``make test``
leaves them out."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from woocommerce import API

from linkoptima_gui.demo.optima_seed import create_demo_optima

from ..store.conftest import PG_URL, empty_postgres

#: seconds without a heartbeat before a standby takes over, in these tests (15 s by default)
LEASE = 5.0


def linkoptima(*args: str) -> list[str]:
    return [sys.executable, "-m", "linkoptima_gui.cli", *args]


@dataclass
class Process:
    """A ``linkoptima`` command running in the background, its JSON lines collected."""

    name: str
    popen: subprocess.Popen[str]
    lines: queue.Queue[dict] = field(default_factory=queue.Queue)
    seen: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            try:
                self.lines.put(json.loads(line))
            except json.JSONDecodeError:
                pass

    def next_line(self, timeout: float = 60) -> dict:
        line = self.lines.get(timeout=timeout)
        self.seen.append(line)
        return line

    def wait_for(self, timeout: float = 60, **wanted: object) -> dict:
        """The next line whose keys have the wanted values (earlier lines are kept in ``seen``)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            assert left > 0, f"{self.name}: no line with {wanted}; seen {self.seen}; {self.stderr()}"
            try:
                line = self.next_line(left)
            except queue.Empty:
                continue
            if all(line.get(key) == value for key, value in wanted.items()):
                return line

    def stderr(self) -> str:
        if self.popen.poll() is None:
            return "(running)"
        return (self.popen.stderr.read() if self.popen.stderr else "")[-3000:]

    def signal(self, sig: signal.Signals) -> None:
        self.popen.send_signal(sig)

    def stop(self, timeout: float = 60) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGCONT)
            self.popen.terminate()
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            return self.popen.wait(10)


def start(name: str, *args: str) -> Process:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return Process(name, subprocess.Popen(linkoptima(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                          text=True, env=env))


@pytest.fixture
def pg_store() -> str:
    if not PG_URL:
        pytest.skip("set LINKOPTIMA_TEST_PG_URL to run the stations on PostgreSQL")
    empty_postgres(PG_URL)
    return PG_URL


@dataclass
class Warehouse:
    """The demo world's folder, its shop served by a process of its own, and the shared store."""

    world: Path
    store: str
    shop: dict
    processes: list[Process] = field(default_factory=list)

    def api(self) -> API:
        return API(url=self.shop["url"], consumer_key=self.shop["key"], consumer_secret=self.shop["secret"],
                   version="wc/v3", timeout=15)

    def engine(self, station: str) -> Process:
        process = start(station, "engine", "--world", str(self.world), "--store", self.store, "--station", station,
                        "--lease-seconds", str(LEASE), "--shop-url", self.shop["url"], "--shop-key",
                        self.shop["key"], "--shop-secret", self.shop["secret"])
        self.processes.append(process)
        world = process.next_line()
        assert world["world"] == str(self.world), world
        return process

    def pack(self, station: str) -> Process:
        process = start(station, "pack", "--all", "--world", str(self.world), "--store", self.store,
                        "--station", station, "--undo-seconds", "0")
        self.processes.append(process)
        return process


@pytest.fixture
def warehouse(tmp_path: Path, pg_store: str) -> Iterator[Warehouse]:
    world = tmp_path / "world"
    create_demo_optima(world / "optima.sqlite").dispose()  # seeded once, before the engines race to it
    shop = start("shop", "demo-shop", "--world", str(world))
    place = Warehouse(world, pg_store, shop.next_line())
    place.processes.append(shop)
    yield place
    for process in reversed(place.processes):
        process.stop()
