"""Which shops a store holds orders of: one, named by its address, unless a person added another.

Every order, SKU map and watermark in the store carries its shop's key. Pointing an installation
at another shop URL (a staging copy, then production) must never mix the two shops' order
numbers: the other shop's orders would be written back to the wrong shop (404s at best). So the
store keeps a small registry (key -> URL, in ``kv`` as ``shop:<key>``); the first shop an engine
meets is registered, a store from before the registry adopts the configured shop under the old
key "default", and any other shop is refused (``OtherShop``) until a person chooses: a new store
for it, or a second shop beside the first (``register_shop``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import KeyValue, OrderRow

_PREFIX = "shop:"
#: the key every row carried before the registry (one shop per store, unnamed)
LEGACY_KEY = "default"


class OtherShop(Exception):
    """The store holds another shop's orders; ``str()`` is Polish, ``known`` its shops' URLs."""

    def __init__(self, url: str, known: dict[str, str]) -> None:
        listed = ", ".join(sorted(known.values()))
        super().__init__(
            f"Baza konsoli zawiera zamówienia innego sklepu ({listed}), a ustawienia wskazują {url}. Zamówienia "
            "dwóch sklepów nie mogą się pomieszać: wybierz osobną bazę dla tego sklepu albo dodaj go jako drugi "
            "sklep tej bazy.")
        self.url = url
        self.known = known


def shop_key(url: str) -> str:
    """The shop's key: its host (and port and path), lower case, whatever the scheme (a shop moved
    from http to https is the same shop)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    return f"{host}{port}{parts.path.rstrip('/').lower()}"[:64] or url.strip()[:64]


def known_shops(session: Session) -> dict[str, str]:
    """key -> URL of every shop registered in this store."""
    rows = session.execute(select(KeyValue.key, KeyValue.value).where(KeyValue.key.like(f"{_PREFIX}%")))
    return {key.removeprefix(_PREFIX): value for key, value in rows}


def register_shop(session: Session, key: str, url: str) -> None:
    session.merge(KeyValue(key=_PREFIX + key, value=url))


def resolve_shop(session: Session, url: str) -> str:
    """The key this shop's rows carry in this store (registering the first shop; a store from
    before the registry adopts it as ``LEGACY_KEY``); ``OtherShop`` for a shop not registered
    beside others. Runs in the caller's transaction."""
    shops = known_shops(session)
    wanted = shop_key(url)
    for key, known_url in shops.items():
        if shop_key(known_url) == wanted:
            if known_url != url:
                register_shop(session, key, url)  # the same shop at a new scheme or spelling
            return key
    if shops:
        raise OtherShop(url, shops)
    has_legacy = session.scalar(select(OrderRow.id).where(OrderRow.shop == LEGACY_KEY).limit(1)) is not None
    key = LEGACY_KEY if has_legacy else wanted
    register_shop(session, key, url)
    return key


def add_shop(session: Session, url: str) -> str:
    """A person chose to keep a second shop in this store: register it; returns its key."""
    key = shop_key(url)
    register_shop(session, key, url)
    return key
