"""A real installation assembled from the settings file's sections and the keyring, against the
shop emulator over HTTP, a test Optima company, the SMTP sink and the built-in carrier: a paid
order goes through to its FA, e-mail and label. And what is missing is said all at once."""

from __future__ import annotations

import asyncio
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from woocommerce import API

from linkoptima_gui.core.config.app_settings import AppSettings
from linkoptima_gui.core.config.secrets import MemoryKeyring, SecretStore
from linkoptima_gui.core.documents.mailer import SmtpSettings
from linkoptima_gui.core.installation import InstallationError, open_installation
from linkoptima_gui.core.optima.connect import OptimaConnection
from linkoptima_gui.core.store.db import sqlite_url
from linkoptima_gui.core.store.models import OrderRow
from linkoptima_gui.core.woo.settings import ShopSettings
from linkoptima_gui.core.woo.webhooks import signature
from linkoptima_gui.demo.optima_seed import create_demo_optima
from linkoptima_gui.demo.shop import ShopEmulator
from linkoptima_gui.demo.smtp_sink import SmtpSink
from tests.engine.conftest import paid_order


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[SmtpSink]:
    server = SmtpSink(tmp_path / "mail")
    server.start()
    yield server
    server.stop()


def test_settings_make_a_working_installation(tmp_path: Path, shop: ShopEmulator, sink: SmtpSink) -> None:
    create_demo_optima(tmp_path / "optima.sqlite").dispose()  # the test company
    settings = AppSettings(
        shop=ShopSettings(url=shop.url, consumer_key=shop.consumer_key),
        smtp=SmtpSettings(host=sink.host, port=sink.port, security="none", sender="faktury@sklep.pl"),
        optima_connection=OptimaConnection(url=sqlite_url(tmp_path / "optima.sqlite")),
        optima_writer="simulated",
        stock_differences=False,  # a shop that takes only absolute quantities
    )
    secrets = SecretStore(backend=MemoryKeyring({"shop.consumer_secret": shop.consumer_secret}))
    api = API(url=shop.url, consumer_key=shop.consumer_key, consumer_secret=shop.consumer_secret,
              version="wc/v3", timeout=10)
    order_id = paid_order(api, 3)

    installation = open_installation(settings, secrets, tmp_path / "data")
    try:
        assert installation.engine.stock is not None and not installation.engine.stock.settings.relative_updates
        assert asyncio.run(installation.engine.run_until_idle(60))
        with installation.services.sessions() as session:
            row = session.query(OrderRow).filter_by(shop_order_id=order_id).one()
            assert row.fa_number and row.wz_number and row.kp_number and row.tracking_number
    finally:
        installation.close()
    assert len(list((tmp_path / "mail").glob("*.eml"))) == 1
    assert (tmp_path / "data" / "console.sqlite").exists()


def test_what_is_missing_is_said_all_at_once(tmp_path: Path) -> None:
    with pytest.raises(InstallationError) as caught:
        open_installation(AppSettings(), SecretStore(backend=MemoryKeyring()), tmp_path / "data")
    problems = caught.value.problems
    assert any("adres sklepu" in p for p in problems) and any("serwer poczty" in p for p in problems)
    assert any("Windows" in p for p in problems) == (sys.platform != "win32")
    assert not (tmp_path / "data").exists()  # nothing opened, nothing written


def test_the_simulated_writer_never_writes_into_sql_server(tmp_path: Path, shop: ShopEmulator,
                                                           sink: SmtpSink) -> None:
    settings = AppSettings(
        shop=ShopSettings(url=shop.url, consumer_key=shop.consumer_key),
        smtp=SmtpSettings(host=sink.host, port=sink.port, security="none", sender="faktury@sklep.pl"),
        optima_connection=OptimaConnection(url="mssql+pyodbc://optima/CDN_Firma?driver=ODBC+Driver+18+for+SQL+Server"),
        optima_writer="simulated",
    )
    secrets = SecretStore(backend=MemoryKeyring({"shop.consumer_secret": shop.consumer_secret}))
    with pytest.raises(InstallationError) as caught:
        open_installation(settings, secrets, tmp_path / "data")
    assert "ODBC" in str(caught.value) or "firmy testowej" in str(caught.value)


def test_webhooks_are_received_when_the_settings_turn_them_on(tmp_path: Path, shop: ShopEmulator,
                                                              sink: SmtpSink) -> None:
    create_demo_optima(tmp_path / "optima.sqlite").dispose()
    with socket.socket() as probe:  # a free port for the receiver
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = AppSettings(
        shop=ShopSettings(url=shop.url, consumer_key=shop.consumer_key),
        smtp=SmtpSettings(host=sink.host, port=sink.port, security="none", sender="faktury@sklep.pl"),
        optima_connection=OptimaConnection(url=sqlite_url(tmp_path / "optima.sqlite")),
        optima_writer="simulated", webhook_port=port,
    )
    keys = {"shop.consumer_secret": shop.consumer_secret}
    with pytest.raises(InstallationError, match="sekret"):
        open_installation(settings, SecretStore(backend=MemoryKeyring(keys)), tmp_path / "data")

    secrets = SecretStore(backend=MemoryKeyring({**keys, "shop.webhook_secret": "tajne"}))
    installation = open_installation(settings, secrets, tmp_path / "data")
    try:
        body = b'{"id": 7, "status": "processing"}'
        answer = requests.post(f"http://127.0.0.1:{port}/", data=body, timeout=5, headers={
            "X-WC-Webhook-Topic": "order.updated", "X-WC-Webhook-Delivery-ID": "d-1",
            "X-WC-Webhook-Signature": signature(body, "tajne"), "Content-Type": "application/json"})
        assert answer.status_code == 200
        assert installation.webhooks is not None and installation.webhooks.counts.woken == 1
    finally:
        installation.close()
