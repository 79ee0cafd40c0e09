"""How fast a real WooCommerce answers, for the emulator to imitate when asked (``--paced``).

Left alone, the emulator answers in milliseconds, so nothing measured against it says how the
console copes with a real shop. With a pace, every request waits for one of the shop's PHP
workers (a real shop has a handful) and then takes the time a real shop takes for its kind of
work. The figures come from a real WooCommerce 8.9 (HPOS, PHP 8.2, 4 PHP workers, on loopback)
measured with the console's own code (issue 17):

- a ``products/batch`` of 100 stock updates took 2.85 s alone; 20 of them took 56.9 s one after
  another, 24.3 s two at a time and 26.4 s four at a time: the database serialises part of
  every product save, so writes scale to about two at once. Modelled as 12 ms an item holding
  the shop's write lock plus 16.5 ms an item that runs beside other requests;
- reading 20,000 products (203 pages of 100) took about 19.5 s one after another: about 90 ms
  a page of 100, plus a small fixed cost per request.

``scale`` shrinks every wait (0.1: a tenth of the time) so a benchmark of thousands of items
takes seconds, not minutes, and keeps the proportions. A paced shop is for benchmarks; tests
keep the emulator fast.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ShopPace:
    """The shop's workers and its costs (seconds), each wait multiplied by ``scale``."""

    workers: int = 4
    scale: float = 1.0
    request_s: float = 0.006
    read_item_s: float = 0.0009
    write_locked_item_s: float = 0.012
    write_free_item_s: float = 0.0165
    sleep: Callable[[float], None] = time.sleep
    _workers: threading.BoundedSemaphore = field(init=False, repr=False)
    _write_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self._workers = threading.BoundedSemaphore(self.workers)

    @contextmanager
    def worker(self) -> Iterator[None]:
        """Hold one of the shop's PHP workers for a request (others queue behind)."""
        with self._workers:
            yield

    def spend(self, method: str, path: str, body: Any, answer: Any) -> None:
        """Take the time a real shop takes for this request, on the worker already held."""
        items = _count(body) if method == "POST" and path.endswith("/batch") else 0
        self.sleep(self.scale * (self.request_s + self.write_free_item_s * items))
        if items:
            with self._write_lock:
                self.sleep(self.scale * self.write_locked_item_s * items)
        elif method == "GET" and isinstance(answer, list):
            self.sleep(self.scale * self.read_item_s * len(answer))


def _count(body: Any) -> int:
    """Items a batch creates, updates and deletes."""
    if not isinstance(body, dict):
        return 0
    return sum(len(body.get(key) or []) for key in ("create", "update", "delete"))
