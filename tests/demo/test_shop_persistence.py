"""The shop's state survives a stop/start and a kill -9 on the same folder."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from woocommerce import API

from linkoptima_gui.demo.shop import ListQuery, ShopEmulator, ShopStore


def client(shop: ShopEmulator) -> API:
    return API(url=shop.url, consumer_key=shop.consumer_key, consumer_secret=shop.consumer_secret, timeout=10)


def test_stop_and_start_on_the_same_folder_keeps_everything(tmp_path: Path) -> None:
    folder = tmp_path / "shop"
    first = ShopEmulator(folder)
    first.start()
    api = client(first)
    pid = api.get("products", params={"sku": "KUB-001"}).json()[0]["id"]
    api.put(f"products/{pid}", {"stock_quantity": 33})
    order = api.post(
        "orders",
        {"set_paid": True, "transaction_id": "T-1", "line_items": [{"product_id": pid, "quantity": 3}]},
    ).json()
    api.post(f"orders/{order['id']}/notes", {"note": "Wystawiono FA/7/2026"})
    keys = (first.consumer_key, first.consumer_secret)
    first.stop()

    second = ShopEmulator(folder)
    second.start()
    try:
        assert (second.consumer_key, second.consumer_secret) == keys
        api = client(second)
        again = api.get(f"orders/{order['id']}").json()
        url_bound = ("payment_url", "_links")
        assert {k: v for k, v in again.items() if k not in url_bound} == {
            k: v for k, v in order.items() if k not in url_bound
        }
        assert api.get(f"products/{pid}").json()["stock_quantity"] == 30
        assert api.get(f"orders/{order['id']}/notes").json()[0]["note"] == "Wystawiono FA/7/2026"
        newer = api.post("orders", {"line_items": [{"product_id": pid, "quantity": 1}]}).json()
        assert newer["id"] > order["id"]
    finally:
        second.stop()


def test_the_same_emulator_object_restarts(tmp_path: Path) -> None:
    shop = ShopEmulator(tmp_path / "shop")
    shop.start()
    created = shop.store.create_order({"line_items": [{"sku": "KS-001", "quantity": 1}]})
    shop.stop()
    shop.start()
    try:
        assert client(shop).get(f"orders/{created['id']}").json()["total"] == created["total"]
    finally:
        shop.stop()


_WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from linkoptima_gui.demo.shop import ShopStore
    store = ShopStore(Path(sys.argv[1]))
    line = {"sku": "KUB-001", "quantity": 1}
    while True:
        print(store.create_order({"status": "processing", "line_items": [line]})["id"], flush=True)
""")


def test_kill_9_loses_nothing_committed(tmp_path: Path) -> None:
    folder = tmp_path / "shop"
    store = ShopStore(folder)
    stock_before = store.product_by_sku("KUB-001")["stock_quantity"]
    store.close()
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(folder)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert writer.stdout is not None
    committed = [int(writer.stdout.readline()) for _ in range(25)]
    writer.kill()  # SIGKILL: no cleanup, possibly in the middle of the next transaction
    writer.wait(timeout=10)

    store = ShopStore(folder)
    try:
        orders, total = store.query_orders(ListQuery(per_page=100, orderby="id", descending=False))
        stored = [o["id"] for o in orders]
        assert set(committed) <= set(stored)
        assert total == len(stored) >= 25
        # no half order: every stored order took its unit of stock, and nothing else did
        assert store.product_by_sku("KUB-001")["stock_quantity"] == stock_before - total
    finally:
        store.close()
