"""The full stock pass works on the catalogue's pages in waves: every page that arrived while it
worked on the last wave, so it neither waits for the whole catalogue nor pays per page."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from linkoptima_gui.core.woo.shop_entries import Entry, entry_waves


def _page(n: int) -> list[Entry]:
    return [(f"SKU-{n}", {"id": n}, None)]


def test_pages_that_arrived_meanwhile_come_as_one_wave() -> None:
    go_on, third_read, finish = threading.Event(), threading.Event(), threading.Event()

    def pages() -> Iterator[list[Entry]]:
        yield _page(1)
        assert go_on.wait(10)
        yield _page(2)
        yield _page(3)
        third_read.set()  # page 3 is queued once the reader asks for the next
        assert finish.wait(10)

    waves = entry_waves(pages())
    assert next(waves) == _page(1)
    go_on.set()
    assert third_read.wait(10)
    assert next(waves) == _page(2) + _page(3)
    finish.set()
    assert list(waves) == []


def test_a_reading_error_reaches_the_pass() -> None:
    def pages() -> Iterator[list[Entry]]:
        yield _page(1)
        raise ConnectionError("the shop went away")

    waves = entry_waves(pages())
    with pytest.raises(ConnectionError, match="went away"):
        list(waves)
