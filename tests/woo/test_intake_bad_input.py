"""Bad input from the shop at intake, in a real demo world: each broken order becomes an exception
on that order with a Polish reason, and the intake goes on with the rest (DESIGN.md §3).

Orders are placed through the REST API and then broken behind it (``tamper``: a buggy plugin, a
hand edit in the database); a body that is not JSON comes from a scripted loopback server, since
the emulator never sends one."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from woocommerce import API

from linkoptima_gui.core.domain.money import format_money
from linkoptima_gui.core.domain.steps import Stage
from linkoptima_gui.core.errors import PermanentError
from linkoptima_gui.core.store.queries import pipeline_rows
from linkoptima_gui.core.woo.client import ShopClient
from linkoptima_gui.core.woo.mapping import map_order
from linkoptima_gui.core.woo.settings import ShopSettings
from linkoptima_gui.demo.world import DemoWorld

from ..engine.conftest import orders_by_shop_id, paid_order, tamper
from .scripted_server import Answer, ScriptedServer, Seen

Change = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Change:
    """A change of one field, ``billing.first_name`` or ``line_items.0.quantity``."""
    *parents, last = path.split(".")

    def change(doc: dict[str, Any]) -> None:
        target: Any = doc
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return change


#: name -> (change, expected error code, words the reason must contain)
BAD: dict[str, tuple[Change, str, str]] = {
    "html_in_buyer_name": (_set("billing.first_name", "<script>alert(1)</script>Zofia"), "bad_text",
                           "Imię nabywcy zawiera znaczniki HTML („<script>”)"),
    "control_character": (_set("billing.last_name", "Kowal\x07ska"), "bad_text",
                          "Nazwisko nabywcy zawiera znak sterujący U+0007"),
    "10000_character_address": (_set("shipping.address_1", "ul. " + "Długa" * 2000), "bad_text",
                                "Adres odbiorcy przesyłki ma 10004 znaków (najwięcej 200)"),
    "10000_character_line_name": (_set("line_items.0.name", "K" * 10_000), "bad_text",
                                  "Nazwa pozycji 1 ma 10000 znaków"),
    "zero_quantity": (_set("line_items.0.quantity", 0), "malformed", "ma ilość 0: faktura wymaga ilości dodatniej"),
    "negative_quantity": (_set("line_items.0.quantity", -2), "malformed", "ma ilość -2"),
    "null_quantity": (_set("line_items.0.quantity", None), "malformed", "nie podaje ilości"),
    "null_total": (_set("total", None), "malformed", "pole „total” jest puste"),
    "missing_currency": (lambda doc: doc.pop("currency"), "malformed", "nie podaje waluty"),
    "unexpected_currency": (_set("currency", "EUR"), "unexpected_currency",
                            "jest w walucie EUR, a konsola księguje tylko w PLN"),
    "line_without_sku": (_set("line_items.0.sku", ""), "unknown_sku", "nie ma produktu z kodem SKU"),
    "amount_as_text": (_set("line_items.0.total", "dwanaście złotych"), "malformed",
                       "niepoprawną kwotę lub ilość: 'dwanaście złotych'"),
    "billing_as_text": (_set("billing", "Zofia Kowalska, Łódź"), "malformed",
                        "pole „billing” ma typ tekst zamiast obiektu"),
    "quantity_as_words": (_set("line_items.0.quantity", "dwie sztuki"), "malformed",
                          "ma ilość 'dwie sztuki', która nie jest liczbą całkowitą"),
    "date_in_the_far_future": (_set("date_modified_gmt", "2999-01-01T00:00:00"), "malformed",
                               "jest w przyszłości"),
    # fields the store keeps in short columns: a long one must not make PostgreSQL refuse the poll
    "10000_character_number": (_set("number", "N" * 10_000), "bad_text", "Numer zamówienia ma 10000 znaków"),
    "10000_character_payment_title": (_set("payment_method_title", "P" * 10_000), "bad_text",
                                      "Nazwa metody płatności ma 10000 znaków (najwięcej 128)"),
    "10000_character_locker": (lambda doc: doc["meta_data"].append({"key": "_parcel_machine_id", "value": "K" * 10_000}),
                               "bad_text", "Identyfikator punktu odbioru ma 10000 znaków"),
    "10000_character_nip": (lambda doc: doc["meta_data"].append({"key": "_billing_nip", "value": "5" * 10_000}),
                            "invalid_nip", "(10000 znaków)"),
    "null_billing": (_set("billing", None), "missing_field", "nie ma poprawnego adresu e-mail kupującego"),
    "missing_email": (lambda doc: doc["billing"].pop("email"), "missing_field", "adresu e-mail"),
    "no_buyer_name": (lambda doc: doc["billing"].update(first_name="", last_name="", company=""), "missing_field",
                      "nie ma imienia i nazwiska ani nazwy firmy"),
    "no_address_anywhere": (lambda doc: (doc["billing"].update(address_1=""), doc["shipping"].update(address_1="")),
                            "missing_field", "nie ma adresu kupującego"),
    "null_status": (_set("status", None), "malformed", "nie ma statusu"),
}


@pytest.fixture
def world(world_on_each_store: DemoWorld) -> DemoWorld:
    """The demo world on each store here: PostgreSQL enforces column lengths, SQLite does not."""
    return world_on_each_store


@pytest.fixture
def api(world: DemoWorld) -> API:
    return API(url=world.shop.url, consumer_key=world.shop.consumer_key,
               consumer_secret=world.shop.consumer_secret, version="wc/v3", timeout=10)


def test_each_bad_order_is_an_exception_with_its_reason_and_the_rest_flow(world: DemoWorld, api: API) -> None:
    good = [paid_order(api, n) for n in (1, 2, 3)]
    bad = {name: paid_order(api, 10 + n) for n, name in enumerate(BAD)}
    for name, (change, _, _) in BAD.items():
        tamper(world, bad[name], change)
    decorated = paid_order(api, 4)  # markup in the names of a line and of the shipping is only presentation
    tamper(world, decorated, lambda doc: (doc["line_items"][0].update(name="<b>Kubek</b> &amp; spodek"),
                                          doc["shipping_lines"][0].update(method_title="Kurier&nbsp;<i>DPD</i>")))

    world.engine.intake.poll()

    rows = orders_by_shop_id(world)
    for shop_id in [*good, decorated]:
        assert rows[shop_id].stage == Stage.PROCESSING.value and rows[shop_id].error_code == ""
    for name, (_, code, words) in BAD.items():
        row = rows[bad[name]]
        assert (name, row.stage, row.error_code) == (name, Stage.EXCEPTION.value, code)
        assert words in row.error_reason, (name, row.error_reason)
    euro = rows[bad["unexpected_currency"]]
    assert euro.currency == "EUR"  # kept as the buyer paid: the lists show euros, not złoty
    with world.sessions() as session:
        assert pipeline_rows(session, [euro.id])[euro.id].currency == "EUR"
    assert format_money(euro.total, euro.currency).endswith(" EUR")
    order = map_order(rows[decorated].payload, world.shop_settings)
    assert order.lines[0].name == "Kubek & spodek" and order.shipping.title == "Kurier DPD"
    # the order dated in the year 2999 did not drag the watermark past everything else
    assert world.engine.intake.watermark() == max(rows[i].date_modified_gmt for i in good + [decorated])


def test_a_broken_order_flows_on_once_the_shop_corrects_it(world: DemoWorld, api: API) -> None:
    order_id = paid_order(api, 5)
    tamper(world, order_id, _set("billing", "Zofia Kowalska, Łódź"))
    world.engine.intake.poll()
    assert orders_by_shop_id(world)[order_id].stage == Stage.EXCEPTION.value

    tamper(world, order_id, _set("billing", {"first_name": "Zofia", "last_name": "Kowalska",
                                             "email": "zofia5@example.com", "city": "Łódź"}))
    saved = api.put(f"orders/{order_id}", {"customer_note": "Dane poprawione"})  # the shop saves it again
    assert saved.status_code == 200
    world.engine.intake.poll()

    row = orders_by_shop_id(world)[order_id]
    assert (row.stage, row.error_code, row.buyer_email) == (Stage.PROCESSING.value, "", "zofia5@example.com")


# -- bodies that are not JSON -------------------------------------------------------------------------


def _fixture_order(order_id: int) -> dict[str, Any]:
    path = Path(__file__).parents[1] / "fixtures" / "woo" / "order-create-paid-payu.json"
    return {**json.loads(path.read_text(encoding="utf-8"))["body"], "id": order_id, "number": str(order_id)}


def _shop_with_one_unreadable_order(ids_readable: bool = True) -> Callable[[Seen], Answer]:
    pages = {"X-WP-Total": "2", "X-WP-TotalPages": "1"}

    def script(seen: Seen) -> Answer:
        if seen.path.endswith("/orders") and seen.query.get("_fields") == "id" and ids_readable:
            return Answer(200, [{"id": 501}, {"id": 502}], pages)
        if seen.path.endswith("/orders"):
            return Answer(200, b'<br /><b>Warning</b>: Undefined index in plugin.php<br />[{"id": 501, ', pages)
        if seen.path.endswith("/orders/501"):
            return Answer(200, _fixture_order(501))
        return Answer(200, b'{"id": 502, "status": "processing", "billing": {"first_name": "Zofia\xff')

    return script


def test_a_page_that_is_not_json_is_read_order_by_order(world: DemoWorld) -> None:
    with ScriptedServer(_shop_with_one_unreadable_order()) as server:
        client = ShopClient(ShopSettings(url=server.url, consumer_key="ck", consumer_secret="cs", retries=0))
        orders = list(client.orders_modified_after(None))
        world.services.shop = client  # the intake reads this shop now
        world.engine.intake.poll()

    assert [o["id"] for o in orders] == [501, 502]
    rows = orders_by_shop_id(world)
    assert rows[501].stage == Stage.PROCESSING.value and rows[501].fa_number == ""
    assert (rows[502].stage, rows[502].error_code) == (Stage.EXCEPTION.value, "malformed")
    assert "nie jest poprawnym JSON-em" in rows[502].error_reason
    with pytest.raises(PermanentError, match="nie jest poprawnym JSON-em"):
        map_order(orders[1], world.shop_settings)


def test_a_shop_whose_every_answer_is_broken_stops_the_poll_and_keeps_the_watermark(world: DemoWorld) -> None:
    with ScriptedServer(_shop_with_one_unreadable_order(ids_readable=False)) as server:
        world.services.shop = ShopClient(ShopSettings(url=server.url, consumer_key="ck", consumer_secret="cs"))
        with pytest.raises(PermanentError) as stopped:
            world.engine.intake.poll()
    assert stopped.value.code == "shop_bad_json" and "wtyczka lub motyw" in stopped.value.reason
    assert world.engine.intake.watermark() == "" and orders_by_shop_id(world) == {}


def test_listed_items_without_an_id_are_skipped() -> None:
    listed = [{"id": None, "status": "processing"}, "zamówienie", {"id": "0"}, _fixture_order(7)]
    script = lambda seen: Answer(200, listed, {"X-WP-Total": "4", "X-WP-TotalPages": "1"})  # noqa: E731
    with ScriptedServer(script) as server:
        client = ShopClient(ShopSettings(url=server.url, consumer_key="ck", consumer_secret="cs"))
        assert [o["id"] for o in client.orders_modified_after(None)] == [7]
