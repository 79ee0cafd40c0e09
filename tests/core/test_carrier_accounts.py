"""Furgonetka and DPD accounts on a real installation: kept in the settings file (their secrets in
the keyring), built into ``services.carriers`` against the emulators on loopback, so the shipping
map may route to them and the end of the day closes them too."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from linkoptima_gui.core.config.app_settings import AppSettings, DPDAccount, FurgonetkaAccount
from linkoptima_gui.core.config.carrier_checks import check_dpd, check_furgonetka
from linkoptima_gui.core.config.secrets import MemoryKeyring, SecretStore
from linkoptima_gui.core.config.settings_file import SettingsFile
from linkoptima_gui.core.config.validation import validate
from linkoptima_gui.core.documents.mailer import SmtpSettings
from linkoptima_gui.core.installation import InstallationError, check_settings, open_installation
from linkoptima_gui.core.optima.connect import OptimaConnection
from linkoptima_gui.core.store.db import sqlite_url
from linkoptima_gui.core.woo.settings import ShopSettings
from linkoptima_gui.demo.dpd import DPDEmulator
from linkoptima_gui.demo.furgonetka import FurgonetkaEmulator
from linkoptima_gui.demo.optima_seed import create_demo_optima
from linkoptima_gui.demo.shop import ShopEmulator
from linkoptima_gui.demo.smtp_sink import SmtpSink

OLD = Path(__file__).parents[1] / "config" / "old_settings"


def test_accounts_round_trip_without_their_secrets(tmp_path: Path) -> None:
    file = SettingsFile(tmp_path / "settings.json")
    settings = AppSettings(furgonetka=FurgonetkaAccount(client_id="app-1", username="sklep@x.pl",
                                                        cod_iban="PL61109010140000071219812874"),
                           dpd=DPDAccount(base_url="https://dpd.test", login="test", master_fid="1495"))
    file.save(settings.to_document())
    text = file.path.read_text(encoding="utf-8")
    assert "client_secret" not in text and "password" not in text
    again = AppSettings.from_document(file.load())
    assert again.furgonetka == settings.furgonetka and again.dpd == settings.dpd
    assert again.furgonetka.filled_in() and again.dpd.filled_in()


@pytest.mark.parametrize("name", sorted(p.name for p in OLD.glob("*.json")))
def test_old_files_without_the_accounts_still_load(name: str) -> None:
    settings = AppSettings.from_document(json.loads((OLD / name).read_text(encoding="utf-8")))
    assert settings.furgonetka == FurgonetkaAccount() and settings.dpd == DPDAccount()
    assert not settings.furgonetka.filled_in() and not settings.dpd.filled_in()


def test_a_missing_secret_is_a_polish_problem() -> None:
    settings = AppSettings(furgonetka=FurgonetkaAccount(client_id="app-1", username="sklep@x.pl"),
                           dpd=DPDAccount(login="test", master_fid="1495"))
    problems = check_settings(settings, {})
    assert any("Furgonetki" in p for p in problems) and any("DPDServices" in p for p in problems)
    assert {p.section for p in validate(settings, {})} >= {"furgonetka", "dpd"}


@pytest.fixture
def emulators(tmp_path: Path) -> Iterator[tuple[FurgonetkaEmulator, DPDEmulator]]:
    furgonetka, dpd = FurgonetkaEmulator(tmp_path / "furgonetka"), DPDEmulator(tmp_path / "dpd")
    furgonetka.start()
    dpd.start()
    yield furgonetka, dpd
    furgonetka.stop()
    dpd.stop()


def test_the_installation_builds_the_accounts_carriers(tmp_path: Path, shop: ShopEmulator,
                                                       emulators: tuple[FurgonetkaEmulator, DPDEmulator]) -> None:
    furgonetka, dpd = emulators
    sink = SmtpSink(tmp_path / "mail")
    sink.start()
    create_demo_optima(tmp_path / "optima.sqlite").dispose()
    f, d = furgonetka.credentials(), dpd.credentials()
    settings = AppSettings(
        shop=ShopSettings(url=shop.url, consumer_key=shop.consumer_key),
        smtp=SmtpSettings(host=sink.host, port=sink.port, security="none", sender="faktury@sklep.pl"),
        optima_connection=OptimaConnection(url=sqlite_url(tmp_path / "optima.sqlite")), optima_writer="simulated",
        furgonetka=FurgonetkaAccount(base_url=furgonetka.url, client_id=f["client_id"], username=f["username"]),
        dpd=DPDAccount(base_url=dpd.url, login=d["login"], master_fid=d["master_fid"], pudo_url=dpd.url + "/api/pudo"))
    rules = dict(settings.shipping_rules)
    rules["flat_rate"] = replace(rules["flat_rate"], carrier="dpd")
    rules["free_shipping"] = replace(rules["free_shipping"], carrier="furgonetka", carrier_service="dhl")
    settings.shipping_rules = rules
    values = {"shop.consumer_secret": shop.consumer_secret, "furgonetka.client_secret": f["client_secret"],
              "furgonetka.password": f["password"], "dpd.password": d["password"], "dpd.pudo_key": d["pudo_key"]}
    assert not [p for p in validate(settings, values) if p.section in ("shipping", "furgonetka", "dpd")]
    try:
        installation = open_installation(settings, SecretStore(backend=MemoryKeyring(values)), tmp_path / "data")
    except InstallationError as exc:
        sink.stop()
        raise AssertionError(exc.problems) from exc
    try:
        services = installation.services
        assert services is not None and set(services.carriers) == {"furgonetka", "dpd"}
        assert services.carriers["furgonetka"].auth.access_token()  # the account's OAuth2 login works
        assert installation.end_of_day is not None
        assert {c.name for c in installation.end_of_day.carriers} >= {"furgonetka", "dpd"}
    finally:
        installation.close()
        sink.stop()


def test_the_connection_checks_log_in_to_the_emulators(emulators: tuple[FurgonetkaEmulator, DPDEmulator]) -> None:
    furgonetka, dpd = emulators
    f, d = furgonetka.credentials(), dpd.credentials()
    account = FurgonetkaAccount(base_url=furgonetka.url, client_id=f["client_id"], username=f["username"])
    assert check_furgonetka(account, f["client_secret"], f["password"]).ok
    assert not check_furgonetka(account, f["client_secret"], "zle-haslo").ok
    dpd_account = DPDAccount(base_url=dpd.url, login=d["login"], master_fid=d["master_fid"])
    assert check_dpd(dpd_account, d["password"]).ok
    wrong = check_dpd(dpd_account, "złe hasło")  # Polish letters go out as UTF-8, not a crash
    assert not wrong.ok and "login" in wrong.message
    assert not check_dpd(replace(dpd_account, master_fid="1"), d["password"]).ok
