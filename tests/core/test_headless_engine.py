"""``linkoptima engine`` on a real installation (the settings file and the keyring, as the console
reads them): it holds the lease, books, says each change of role as a JSON line and stops when
told; a second computer on an SQLite store is refused with the reason; a packing-only
installation opens without the shop, Optima or mail."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from sqlalchemy import select
from woocommerce import API

from linkoptima_gui.commands.engine import run_installed_engine
from linkoptima_gui.core.config.app_settings import ENGINE_OFF, AppSettings
from linkoptima_gui.core.config.secrets import MemoryKeyring, SecretStore
from linkoptima_gui.core.config.settings_file import SettingsFile
from linkoptima_gui.core.documents.mailer import SmtpSettings
from linkoptima_gui.core.installation import open_installation
from linkoptima_gui.core.optima.connect import OptimaConnection
from linkoptima_gui.core.store.db import open_store, sqlite_url
from linkoptima_gui.core.store.fencing import Fence
from linkoptima_gui.core.store.lease import EngineLease
from linkoptima_gui.core.store.models import OrderRow
from linkoptima_gui.core.woo.settings import ShopSettings
from linkoptima_gui.demo.optima_seed import create_demo_optima
from linkoptima_gui.demo.shop import ShopEmulator
from linkoptima_gui.demo.smtp_sink import SmtpSink
from tests.engine.conftest import paid_order

from ..waiting import wait_until


@pytest.fixture
def installed(tmp_path: Path, shop: ShopEmulator) -> tuple[Path, SecretStore]:
    """A settings file for the shop emulator, a test Optima company and an SMTP sink."""
    sink = SmtpSink(tmp_path / "mail")
    sink.start()
    create_demo_optima(tmp_path / "optima.sqlite").dispose()
    settings = AppSettings(
        station="silnik", shop=ShopSettings(url=shop.url, consumer_key=shop.consumer_key),
        smtp=SmtpSettings(host=sink.host, port=sink.port, security="none", sender="faktury@sklep.pl"),
        optima_connection=OptimaConnection(url=sqlite_url(tmp_path / "optima.sqlite")), optima_writer="simulated")
    file = SettingsFile(tmp_path / "settings.json")
    file.save(settings.to_document())
    yield file.path, SecretStore(backend=MemoryKeyring({"shop.consumer_secret": shop.consumer_secret}))
    sink.stop()


def test_the_engine_runs_from_the_settings_until_told_to_stop(tmp_path: Path, shop: ShopEmulator, installed,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    settings_file, secrets = installed
    api = API(url=shop.url, consumer_key=shop.consumer_key, consumer_secret=shop.consumer_secret,
              version="wc/v3", timeout=10)
    paid_order(api, 2)
    (tmp_path / "data").mkdir()
    store = open_store(sqlite_url(tmp_path / "data" / "console.sqlite"))
    stop, status = threading.Event(), []
    thread = threading.Thread(target=lambda: status.append(run_installed_engine(
        stop, settings_file=settings_file, data_dir=tmp_path / "data", secrets=secrets)))
    thread.start()
    try:
        def booked() -> bool:
            with store() as session:
                return bool(session.scalar(select(OrderRow.tracking_number).where(OrderRow.fa_number != "")))

        assert wait_until(booked, timeout=60)
    finally:
        stop.set()
        thread.join(60)
        store.kw["bind"].dispose()
    assert status == [0]
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert lines == [{"station": "silnik", "engine": "active", "fencing": 1}]


def test_a_second_computer_on_an_sqlite_store_is_refused(tmp_path: Path, installed, monkeypatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    settings_file, secrets = installed
    (tmp_path / "data").mkdir()
    store = open_store(sqlite_url(tmp_path / "data" / "console.sqlite"))
    first = EngineLease(store.kw["bind"], "biuro", Fence(), host="komputer-a")
    assert first.acquire()
    monkeypatch.setenv("LINKOPTIMA_HOSTNAME", "komputer-b")
    status = run_installed_engine(threading.Event(), settings_file=settings_file, data_dir=tmp_path / "data",
                                  secrets=secrets)
    store.kw["bind"].dispose()
    assert status == 2
    out = capsys.readouterr()
    line = json.loads(out.out.strip().splitlines()[-1])
    assert line["engine"] == "refused" and "jednego komputera" in line["reason"]
    assert "komputer-a" in out.err and "Traceback" not in out.err


def test_a_packing_station_opens_without_the_shop_optima_or_mail(tmp_path: Path) -> None:
    settings = AppSettings(station="stanowisko-3", engine_mode=ENGINE_OFF)  # nothing else set up here
    installation = open_installation(settings, SecretStore(backend=MemoryKeyring()), tmp_path / "data")
    try:
        assert installation.supervisor is None and installation.engine is None
        assert installation.station == "stanowisko-3"
        with installation.sessions() as session:
            assert session.scalar(select(OrderRow.id)) is None
    finally:
        installation.close()
