"""Order lists: paging headers, per_page bounds, ``modified_after`` semantics, stable ordering."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from woocommerce import API

from linkoptima_gui.demo.shop import ShopEmulator

T0 = datetime(2026, 7, 1, 10, 0, 0)  # summer: Warsaw is UTC+2


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def shop(tmp_path: Path, clock: Clock) -> Iterator[ShopEmulator]:
    emulator = ShopEmulator(tmp_path / "shop", clock=clock)
    emulator.start()
    yield emulator
    emulator.stop()


def place(shop: ShopEmulator, count: int, status: str = "processing") -> list[int]:
    line = [{"sku": "KUB-001", "quantity": 1}]
    return [shop.store.create_order({"status": status, "line_items": line})["id"] for _ in range(count)]


def test_paging_headers_and_page_past_the_end(shop: ShopEmulator, api: API) -> None:
    ids = place(shop, 25)
    pages = []
    for page in (1, 2, 3):
        response = api.get("orders", params={"per_page": 10, "page": page, "orderby": "id", "order": "asc"})
        assert (response.headers["X-WP-Total"], response.headers["X-WP-TotalPages"]) == ("25", "3")
        rels = [part.split('rel="')[1].rstrip('"') for part in response.headers["Link"].split(", ")]
        assert rels == {1: ["next"], 2: ["prev", "next"], 3: ["prev"]}[page]
        pages.append([o["id"] for o in response.json()])
    assert sum(pages, []) == ids
    next_link = api.get("orders", params={"per_page": 10, "page": 1}).headers["Link"]
    assert "page=2" in next_link and "oauth_signature=" in next_link  # repeats the request's own parameters
    past = api.get("orders", params={"per_page": 10, "page": 4})
    assert (past.status_code, past.json(), past.headers["X-WP-Total"]) == (200, [], "25")


def test_per_page_bounds(api: API) -> None:
    assert api.get("orders", params={"per_page": 100}).status_code == 200
    response = api.get("orders", params={"per_page": 101})
    assert response.status_code == 400
    assert response.json()["code"] == "rest_invalid_param"
    assert response.json()["data"]["params"] == {
        "per_page": "per_page must be between 1 (inclusive) and 100 (inclusive)"
    }


def test_modified_after_is_strictly_after(shop: ShopEmulator, api: API, clock: Clock) -> None:
    first = place(shop, 1)[0]
    clock.now += timedelta(seconds=1)
    second = place(shop, 1)[0]
    clock.now += timedelta(seconds=1)
    third = place(shop, 1)[0]
    boundary = (T0 + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S")

    def ids(**params: object) -> list[int]:
        response = api.get("orders", params={"orderby": "id", "order": "asc", **params})
        assert response.status_code == 200, response.text
        return [o["id"] for o in response.json()]

    assert ids(modified_after=boundary, dates_are_gmt="true") == [third]
    assert ids(modified_after=T0.strftime("%Y-%m-%dT%H:%M:%S"), dates_are_gmt="true") == [second, third]
    assert ids(modified_after="2026-07-01T12:00:01") == [third]  # without dates_are_gmt: shop-local time
    clock.now += timedelta(seconds=1)
    shop.store.update_order(first, {"status": "completed"})
    assert ids(modified_after=boundary, dates_are_gmt="true") == [first, third]
    date_only = api.get("orders", params={"modified_after": "2026-07-01", "dates_are_gmt": "true"})
    assert date_only.status_code == 400
    assert date_only.json()["data"]["params"] == {"modified_after": "Invalid date."}


def test_orderby_id_pages_every_order_once_while_date_does_not(shop: ShopEmulator, api: API) -> None:
    ids = place(shop, 30)  # all in the same second

    def walk(orderby: str) -> list[int]:
        seen: list[int] = []
        for page in (1, 2, 3):
            response = api.get("orders", params={"per_page": 10, "page": page, "orderby": orderby})
            seen += [o["id"] for o in response.json()]
        return seen

    assert sorted(walk("id")) == ids
    by_date = walk("date")
    assert len(by_date) == 30 and sorted(set(by_date)) != ids  # rows of one second slide across pages


def test_status_filter(shop: ShopEmulator, api: API) -> None:
    held = place(shop, 2, status="on-hold")
    place(shop, 3, status="processing")
    response = api.get("orders", params={"status": "on-hold", "orderby": "id", "order": "asc"})
    assert [o["id"] for o in response.json()] == held
    both = api.get("orders", params={"status": "on-hold,processing"})
    assert both.headers["X-WP-Total"] == "5"
    assert api.get("orders", params={"status": "nonsense"}).status_code == 400
