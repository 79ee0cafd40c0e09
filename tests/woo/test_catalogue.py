"""Publishing the Optima catalogue to the shop: the real client over HTTP to the shop emulator,
the simulated Optima with its price lists (TwrCeny), the stock sync's formula for new products."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from woocommerce import API

from linkoptima_gui import cli
from linkoptima_gui.core.domain.money import round_grosz
from linkoptima_gui.core.optima.price_list import OptimaPriceList
from linkoptima_gui.core.optima.schema import Towary, TwrCeny
from linkoptima_gui.core.woo.catalogue import CataloguePublisher, Change, PublishSettings
from linkoptima_gui.demo.catalogue import CATALOGUE, VARIABLE_PRODUCTS, VARIATION_GOODS
from linkoptima_gui.demo.shop import ShopStore
from linkoptima_gui.demo.world import DemoWorld

GOODS = CATALOGUE + VARIATION_GOODS
KUBEK = CATALOGUE[0]


def opened(folder: Path, *, empty_shop: bool) -> DemoWorld:
    if empty_shop:  # a shop with no products yet, that the console publishes its catalogue to
        ShopStore(folder / "shop", catalogue=False).close()
    return DemoWorld(folder, ksef_delay=0.0).open()


@pytest.fixture
def world(tmp_path: Path) -> Iterator[DemoWorld]:
    demo = opened(tmp_path / "world", empty_shop=True)
    yield demo
    demo.close()


@pytest.fixture
def api(world: DemoWorld) -> API:
    return API(url=world.shop.url, consumer_key=world.shop.consumer_key,
               consumer_secret=world.shop.consumer_secret, version="wc/v3", timeout=10)


def publisher(world: DemoWorld, settings: PublishSettings | None = None) -> CataloguePublisher:
    settings = settings or PublishSettings()
    assert world.engine.stock is not None
    return CataloguePublisher(world.services.shop, OptimaPriceList(world.optima_engine, settings.price_list),
                              world.engine.stock.formula, world.shop_settings.tax_classes, settings)


def set_price(world: DemoWorld, code: str, value: str, price_list: int = 2) -> None:
    """Change a price in Optima, as the operator would in the item card."""
    with world.optima_engine.begin() as conn:
        item = conn.execute(select(Towary.c.Twr_TwrId).where(Towary.c.Twr_Kod == code)).scalar_one()
        conn.execute(update(TwrCeny).where(TwrCeny.c.TwC_TwrID == item, TwrCeny.c.TwC_TwCNumer == price_list)
                     .values(TwC_Wartosc=Decimal(value)))


def product(api: API, sku: str) -> dict[str, Any]:
    found = api.get("products", params={"sku": sku}).json()
    assert len(found) == 1, found
    return found[0]


def test_publish_to_an_empty_shop_creates_every_item_in_batches_of_100(
        world: DemoWorld, api: API, monkeypatch: pytest.MonkeyPatch) -> None:
    sizes: list[int] = []
    create = world.services.shop.create_products
    monkeypatch.setattr(world.services.shop, "create_products", lambda items: sizes.append(len(items)) or create(items))
    world.stock_moves.sell_at_counter({KUBEK.code: 5})

    result = publisher(world).publish()

    assert (result.created, result.updated, result.errors) == (len(GOODS), 0, [])
    assert sizes == [100, 100, len(GOODS) - 200]
    assert {c.action for c in result.changes} == {"create"}
    listed = api.get("products", params={"per_page": 1}).headers["X-WP-Total"]
    assert listed == str(len(GOODS))
    kubek = product(api, KUBEK.code)
    assert (kubek["name"], kubek["regular_price"], kubek["tax_class"], kubek["status"]) == (
        KUBEK.name, f"{KUBEK.price_gross:.2f}", "", "publish")
    assert (kubek["manage_stock"], kubek["stock_quantity"]) == (True, KUBEK.stock - 5)  # the formula
    assert {m["key"]: m["value"] for m in kubek["meta_data"]} == {"_global_unique_id": KUBEK.ean}
    book = next(i for i in CATALOGUE if i.tax_class == "super-reduced-rate")
    assert product(api, book.code)["tax_class"] == "super-reduced-rate"


def test_publishing_again_changes_nothing(world: DemoWorld) -> None:
    publisher(world).publish()

    again = publisher(world).publish()

    assert (again.changes, again.created, again.updated) == ([], 0, 0)


def test_a_price_change_in_optima_is_listed_by_the_dry_run_then_applied(world: DemoWorld, api: API) -> None:
    publisher(world).publish()
    set_price(world, KUBEK.code, "33.33")

    dry = publisher(world).publish(dry_run=True)

    kubek = product(api, KUBEK.code)
    assert dry.changes == [Change("update", KUBEK.code, {"regular_price": (f"{KUBEK.price_gross:.2f}", "33.33")},
                                  product_id=kubek["id"])]
    assert (dry.updated, kubek["regular_price"]) == (0, f"{KUBEK.price_gross:.2f}")  # nothing written

    applied = publisher(world).publish()

    assert (applied.updated, applied.errors) == (1, [])
    assert product(api, KUBEK.code)["regular_price"] == "33.33"
    assert publisher(world).plan() == []


def test_a_net_price_list_is_published_as_the_shop_enters_prices(world: DemoWorld) -> None:
    with world.optima_engine.connect() as conn:
        net = conn.execute(select(TwrCeny.c.TwC_Wartosc).join(Towary, Towary.c.Twr_TwrId == TwrCeny.c.TwC_TwrID)
                           .where(Towary.c.Twr_Kod == KUBEK.code, TwrCeny.c.TwC_TwCNumer == 3)).scalar_one()

    gross = publisher(world, PublishSettings(price_list=3)).plan()
    net_shop = publisher(world, PublishSettings(price_list=3, shop_prices_include_tax=False)).plan()

    def price(changes: list[Change]) -> str:
        return next(c.fields["regular_price"][1] for c in changes if c.sku == KUBEK.code)

    assert price(gross) == f"{round_grosz(net * Decimal('1.23')):.2f}"
    assert price(net_shop) == f"{round_grosz(net):.2f}"


def test_a_sku_in_the_shop_is_updated_never_created_again(world: DemoWorld, api: API) -> None:
    second = CATALOGUE[1]
    draft = api.post("products", {"name": "Szkic", "sku": KUBEK.code, "status": "draft", "regular_price": "1.00"})
    assert draft.status_code == 201
    api.post("products", {"name": "Inny zapis", "sku": second.code.lower()})

    changes = {c.sku: c for c in publisher(world).plan()}

    assert changes[KUBEK.code].action == "update" and changes[KUBEK.code].product_id == draft.json()["id"]
    assert set(changes[KUBEK.code].fields) == {"name", "regular_price", "ean"}
    assert changes[second.code].action == "conflict" and second.code.lower() in changes[second.code].reason
    result = publisher(world).publish()
    assert result.errors == []
    assert product(api, KUBEK.code)["name"] == KUBEK.name
    assert api.get("products", params={"sku": second.code}).json() == []  # not created next to the other


def test_variations_get_their_prices_in_the_demo_shop(tmp_path: Path) -> None:
    world = opened(tmp_path / "demo", empty_shop=False)
    try:
        api = API(url=world.shop.url, consumer_key=world.shop.consumer_key,
                  consumer_secret=world.shop.consumer_secret, version="wc/v3", timeout=10)
        first = publisher(world).publish()
        assert (first.created, first.errors) == (0, [])  # every item is there already: only EANs added
        assert {tuple(c.fields) for c in first.changes} == {("ean",)}
        set_price(world, "BLUZA-M", "155.00")
        set_price(world, VARIATION_GOODS[-1].code, "31.90")  # the socks: the colours show the parent's SKU

        changes = publisher(world).plan()

        bluza = api.get("products", params={"search": VARIABLE_PRODUCTS[0].name}).json()[0]
        socks = api.get("products", params={"search": VARIABLE_PRODUCTS[1].name}).json()[0]
        assert sorted((c.sku, c.parent_id, c.fields["regular_price"][1]) for c in changes) == [
            ("BLUZA-M", bluza["id"], "155.00"), *[(VARIATION_GOODS[-1].code, socks["id"], "31.90")] * 3]
        assert publisher(world).publish().updated == 4
        prices = {v["sku"]: v["regular_price"] for v in api.get(f"products/{bluza['id']}/variations").json()}
        assert prices["BLUZA-M"] == "155.00"
        assert {v["regular_price"] for v in api.get(f"products/{socks['id']}/variations").json()} == {"31.90"}
        assert publisher(world).plan() == []
    finally:
        world.close()


def shop_api(demo: DemoWorld) -> API:
    return API(url=demo.shop.url, consumer_key=demo.shop.consumer_key,
               consumer_secret=demo.shop.consumer_secret, version="wc/v3", timeout=10)


def test_prices_follow_optima_on_every_stock_pass(tmp_path: Path) -> None:
    with DemoWorld(tmp_path / "world") as demo:
        api = shop_api(demo)
        assert demo.engine.stock is not None and demo.services.catalogue is not None
        first = demo.engine.stock.run_pass(full=True)  # the demo shop gets its EANs from Optima once
        assert (first.prices, first.errors) == (len(GOODS), [])
        products_before = api.get("products", params={"per_page": 1}).headers["X-WP-Total"]
        set_price(demo, KUBEK.code, "99.90")
        set_price(demo, "BLUZA-M", "155.00")  # a variation with a SKU of its own
        set_price(demo, VARIATION_GOODS[-1].code, "31.90")  # the socks: 3 colours show the parent's SKU

        result = demo.engine.stock.run_pass(full=False)

        assert (result.prices, result.errors) == (5, [])
        assert product(api, KUBEK.code)["regular_price"] == "99.90"
        socks = api.get("products", params={"search": VARIABLE_PRODUCTS[1].name}).json()[0]
        assert {v["regular_price"] for v in api.get(f"products/{socks['id']}/variations").json()} == {"31.90"}
        assert api.get("products", params={"per_page": 1}).headers["X-WP-Total"] == products_before  # none created
        quiet = demo.engine.stock.run_pass(full=False)
        assert (quiet.prices, quiet.errors) == (0, [])

        set_price(demo, CATALOGUE[1].code, "12.34")  # read by its SKU, not the whole shop
        before = demo.services.shop.stats.by_endpoint.copy()
        assert demo.services.catalogue.publish_changes().updated == 1
        assert demo.services.shop.stats.by_endpoint - before == {"GET products": 1, "POST products/batch": 1}


def test_a_price_edited_in_the_shop_is_put_right_by_the_full_pass(tmp_path: Path) -> None:
    with DemoWorld(tmp_path / "world") as demo:
        api = shop_api(demo)
        assert demo.engine.stock is not None
        demo.engine.stock.run_pass(full=True)
        kubek = product(api, KUBEK.code)
        assert api.put(f"products/{kubek['id']}", {"regular_price": "1.00"}).status_code == 200

        assert demo.engine.stock.run_pass(full=False).prices == 0  # Optima did not change: not looked at
        repaired = demo.engine.stock.run_pass(full=True)

        assert (repaired.prices, repaired.errors) == (1, [])
        assert product(api, KUBEK.code)["regular_price"] == f"{KUBEK.price_gross:.2f}"


def test_a_refused_price_is_reported_and_tried_again_on_the_next_pass(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with DemoWorld(tmp_path / "world") as demo:
        api, shop, sync = shop_api(demo), demo.services.shop, demo.engine.stock
        assert sync is not None
        sync.run_pass(full=True)
        kubek_id = product(api, KUBEK.code)["id"]
        send = shop.update_products

        def refuse_once(updates: list[dict[str, Any]], idempotent: bool = False) -> list[dict[str, Any]]:
            """The shop refuses the item inside its 200 answer (as for an id deleted meanwhile)."""
            assert idempotent  # a price is an absolute value: a timed-out batch may be sent again
            monkeypatch.setattr(shop, "update_products", send)
            return [{"id": u["id"], "error": {"code": "woocommerce_rest_product_invalid_id",
                                              "message": "Nieprawidłowy identyfikator."}} for u in updates]

        monkeypatch.setattr(shop, "update_products", refuse_once)
        set_price(demo, KUBEK.code, "44.00")

        refused = sync.run_pass(full=False)
        retried = sync.run_pass(full=False)  # Optima did not change again: tried because refused

        assert refused.prices == 0 and refused.errors == [f"{KUBEK.code}: Nieprawidłowy identyfikator."]
        assert (retried.prices, retried.errors) == (1, [])
        assert product(api, KUBEK.code)["regular_price"] == "44.00" and product(api, KUBEK.code)["id"] == kubek_id


def test_publish_command_lists_then_applies_then_finds_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "world"
    DemoWorld(folder).open().close()  # a demo world whose shop lacks the EANs Optima has

    assert cli.main(["publish", "--world", str(folder), "--dry-run"]) == 0
    planned = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert planned["dry_run"] and planned["updated"] == 0 and len(planned["changes"]) == len(GOODS)
    assert planned["changes"][0]["fields"]["ean"][0] == ""

    assert cli.main(["publish", "--world", str(folder)]) == 0
    applied = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (applied["updated"], applied["errors"]) == (len(GOODS), [])

    assert cli.main(["publish", "--world", str(folder), "--dry-run"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["changes"] == []
