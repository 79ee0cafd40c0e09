"""One shop per store, named (issue 17): the first shop is registered by its address, the same
shop at another scheme is the same shop, a store from before the registry adopts its shop, and
another shop is refused until a person adds it; a real installation pointed at another shop asks
before it goes on, and with the person's choice keeps the two shops' orders apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from linkoptima_gui.core.config.app_settings import AppSettings
from linkoptima_gui.core.config.secrets import MemoryKeyring, SecretStore
from linkoptima_gui.core.documents.mailer import SmtpSettings
from linkoptima_gui.core.installation import ShopChoiceNeeded, open_installation
from linkoptima_gui.core.optima.connect import OptimaConnection
from linkoptima_gui.core.store.db import open_store, sqlite_url
from linkoptima_gui.core.store.models import OrderRow
from linkoptima_gui.core.store.shops import (
    LEGACY_KEY,
    OtherShop,
    add_shop,
    known_shops,
    resolve_shop,
    shop_key,
)
from linkoptima_gui.core.woo.settings import ShopSettings
from linkoptima_gui.demo.optima_seed import create_demo_optima


@pytest.fixture
def store(store_url: str):  # noqa: ANN201
    factory = open_store(store_url)
    yield factory
    factory.kw["bind"].dispose()


def test_a_shop_is_named_by_its_address() -> None:
    assert shop_key("https://Sklep.pl/") == shop_key("http://sklep.pl") == "sklep.pl"
    assert shop_key("https://staging.sklep.pl") == "staging.sklep.pl"
    assert shop_key("http://127.0.0.1:8080/wp") == "127.0.0.1:8080/wp"


def test_the_first_shop_is_registered_and_another_refused(store: sessionmaker[Session]) -> None:
    with store.begin() as session:
        assert resolve_shop(session, "https://staging.sklep.pl") == "staging.sklep.pl"
    with store.begin() as session:
        assert resolve_shop(session, "http://staging.sklep.pl/") == "staging.sklep.pl"  # the same shop
    with pytest.raises(OtherShop, match="staging.sklep.pl.*https://sklep.pl") as refused, store.begin() as session:
        resolve_shop(session, "https://sklep.pl")
    assert refused.value.known == {"staging.sklep.pl": "http://staging.sklep.pl/"}
    with store.begin() as session:
        assert add_shop(session, "https://sklep.pl") == "sklep.pl"
    with store.begin() as session:
        assert resolve_shop(session, "https://sklep.pl") == "sklep.pl"
        assert set(known_shops(session)) == {"staging.sklep.pl", "sklep.pl"}


def test_a_store_from_before_the_registry_keeps_its_shop_under_the_old_key(store: sessionmaker[Session]) -> None:
    with store.begin() as session:
        session.add(OrderRow(shop_order_id=1, number="1", payload={}))  # shop "default", as before
    with store.begin() as session:
        assert resolve_shop(session, "https://sklep.pl") == LEGACY_KEY
    with pytest.raises(OtherShop), store.begin() as session:
        resolve_shop(session, "https://inny-sklep.pl")


def test_an_installation_pointed_at_another_shop_asks_first(tmp_path: Path) -> None:
    create_demo_optima(tmp_path / "optima.sqlite").dispose()
    secrets = SecretStore(backend=MemoryKeyring({"shop.consumer_secret": "cs_x"}))

    def settings(url: str) -> AppSettings:
        return AppSettings(shop=ShopSettings(url=url, consumer_key="ck_x"),
                           smtp=SmtpSettings(host="127.0.0.1", port=2525, security="none", sender="f@sklep.pl"),
                           optima_connection=OptimaConnection(url=sqlite_url(tmp_path / "optima.sqlite")),
                           optima_writer="simulated")

    staging = open_installation(settings("https://staging.sklep.pl"), secrets, tmp_path / "data")
    assert staging.services is not None and staging.services.shop_settings.shop_id == "staging.sklep.pl"
    staging.close()
    with pytest.raises(ShopChoiceNeeded) as asked:
        open_installation(settings("https://sklep.pl"), secrets, tmp_path / "data")
    assert "https://staging.sklep.pl" in asked.value.problems[0]
    production = open_installation(settings("https://sklep.pl"), secrets, tmp_path / "data", add_shop=True)
    try:
        assert production.services is not None and production.services.shop_settings.shop_id == "sklep.pl"
        with production.sessions() as session:
            assert set(known_shops(session)) == {"staging.sklep.pl", "sklep.pl"}
            assert session.scalar(select(OrderRow.id)) is None
    finally:
        production.close()
