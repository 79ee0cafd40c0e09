"""Saving what the settings screen edits: connection sections in the file, their secrets in the
keyring (never in the file), only changed secrets written, and mistakes named in Polish."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from keyring.backends import fail

from linkoptima_gui.core.config.app_settings import AppSettings, StationSettings
from linkoptima_gui.core.config.saving import load_settings, save_settings
from linkoptima_gui.core.config.secrets import SecretError, SecretStore
from linkoptima_gui.core.config.settings_file import SettingsFile
from linkoptima_gui.core.config.validation import validate
from linkoptima_gui.core.domain.vat import VatRate
from linkoptima_gui.core.engine.services import ShippingRule
from linkoptima_gui.core.optima.connect import OptimaConnection

from .conftest import MemoryKeyring

SECRETS = {"shop.consumer_secret": "cs_tajny_sklep", "smtp.password": "haslo-poczty",
           "inpost.token": "token-inpost", "optima.sql_password": "haslo-sql", "optima.password": "haslo-op"}


def filled() -> AppSettings:
    settings = AppSettings(carrier="inpost", optima_company="Firma Demo")
    settings.shop = replace(settings.shop, url="https://sklep.pl", consumer_key="ck_123",
                            consumer_secret="cs_tajny_sklep", online_gateways=("przelewy24", "payu"),
                            nip_keys=("_billing_nip",), tax_classes={"": VatRate.R23, "ksiazki": VatRate.R5})
    settings.smtp = replace(settings.smtp, host="smtp.sklep.pl", port=465, security="ssl", username="sklep",
                            password="haslo-poczty", sender="sklep@sklep.pl", bcc=("archiwum@sklep.pl",))
    settings.optima_connection = OptimaConnection(dsn="OPTIMA", database="CDN_Firma", username="czytelnik",
                                                  password="haslo-sql")
    settings.inpost.organization_id = "1234"
    return settings


def test_round_trip_with_secrets_in_the_keyring(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    file, store = SettingsFile(tmp_path / "settings.json"), SecretStore()
    settings = filled()
    written = save_settings(file, store, settings, SECRETS)
    assert written == sorted(SECRETS)
    text = file.path.read_text(encoding="utf-8")
    for secret in SECRETS.values():
        assert secret not in text  # not even the ones the dataclasses carried
    assert memory_keyring.values[("LinkOptima", "smtp.password")] == "haslo-poczty"

    loaded = load_settings(file, store)
    assert loaded.secrets_problem == "" and loaded.secrets == {**dict.fromkeys(loaded.secrets, ""), **SECRETS}
    again = loaded.settings
    assert again.shop == replace(settings.shop, consumer_secret="")
    assert again.smtp == replace(settings.smtp, password="")
    assert again.optima_connection == replace(settings.optima_connection, password="")
    assert (again.carrier, again.inpost.organization_id, again.optima_company) == ("inpost", "1234", "Firma Demo")
    assert json.loads(text)["shop"]["tax_classes"] == {"": "23", "ksiazki": "5"}


def test_only_changed_secrets_reach_the_keyring(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    file, store = SettingsFile(tmp_path / "settings.json"), SecretStore()
    save_settings(file, store, filled(), SECRETS)
    before = load_settings(file, store).secrets
    after = {**before, "smtp.password": "nowe", "inpost.token": ""}
    assert save_settings(file, store, filled(), after, before) == ["inpost.token", "smtp.password"]
    assert ("LinkOptima", "inpost.token") not in memory_keyring.values  # cleared = deleted
    assert memory_keyring.values[("LinkOptima", "smtp.password")] == "nowe"


def test_a_missing_keyring_does_not_block_the_rest(tmp_path: Path) -> None:
    file, store = SettingsFile(tmp_path / "settings.json"), SecretStore(backend=fail.Keyring())
    loaded = load_settings(file, store)
    assert loaded.secrets == {} and "nie ma systemowego magazynu haseł" in loaded.secrets_problem
    settings = loaded.settings
    settings.stations["stanowisko-2"] = StationSettings(label_printer="zpl://10.0.0.9:9100")
    untouched = dict.fromkeys(SECRETS, "")
    assert save_settings(file, store, settings, untouched, loaded.secrets) == []
    assert "stanowisko-2" in json.loads(file.path.read_text(encoding="utf-8"))["stations"]
    with pytest.raises(SecretError, match="token API InPost"):  # a typed secret cannot be kept: nothing written
        save_settings(file, store, AppSettings(), {"inpost.token": "nowy"}, loaded.secrets)
    assert "stanowisko-2" in json.loads(file.path.read_text(encoding="utf-8"))["stations"]


def test_a_hand_edited_secret_in_the_file_is_not_carried_on(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 1, "smtp": {"host": "smtp.sklep.pl", "password": "jawne"}}), "utf-8")
    settings = AppSettings.from_document(SettingsFile(path).load())
    assert settings.smtp.host == "smtp.sklep.pl" and settings.smtp.password == ""
    assert "jawne" not in json.dumps(settings.to_document())


def test_bad_sections_are_refused_in_polish() -> None:
    with pytest.raises(ValueError, match="nieznana stawka VAT"):
        AppSettings.from_document({"shop": {"tax_classes": {"x": "17"}}})
    with pytest.raises(ValueError, match="pole smtp.security: dozwolone"):
        AppSettings.from_document({"smtp": {"host": "h", "security": "tls13"}})


def test_validation_lists_every_problem_in_polish() -> None:
    settings = filled()
    settings.smtp = replace(settings.smtp, host="", sender="sklep")
    settings.stations["stanowisko-1"].label_printer = "lpt://drukarka"
    settings.optima_connection = OptimaConnection(url="sqlite:///a.sqlite", dsn="OPTIMA")
    problems = {(p.section, p.field): p.message for p in validate(settings, {})}
    assert problems[("smtp", "host")].startswith("Podaj adres serwera poczty")
    assert problems[("smtp", "sender")].startswith("Podaj poprawny adres nadawcy")
    assert problems[("stations", "stanowisko-1.label_printer")].startswith(
        "Stanowisko stanowisko-1, drukarka etykiet: Nieobsługiwany rodzaj drukarki 'lpt'")
    assert problems[("optima", "connection")].startswith("Wpisz tylko jedno z")
    assert problems[("carrier", "token")] == "Podaj token API InPost ShipX."
    assert validate(filled(), SECRETS) == []
    assert validate(AppSettings(), {}) == []  # nothing filled in: nothing to complain about


def test_the_status_map_is_saved_and_a_file_with_the_old_single_status_still_reads() -> None:
    settings = filled()
    settings.shop = replace(settings.shop, status_map={"invoiced": "zafakturowane", "packed": ""})
    again = AppSettings.from_document(json.loads(json.dumps(settings.to_document())))
    assert again.shop.status_map == {"invoiced": "zafakturowane", "packed": ""}

    old = AppSettings.from_document({"shop": {"url": "https://sklep.pl", "status_when_packed": "wyslane"}})
    assert old.shop.status_map == {"invoiced": "", "packed": "wyslane"}
    assert AppSettings.from_document({"shop": {"status_map": {"packed": "wyslane"}}}).shop.status_map == {
        "invoiced": "", "packed": "wyslane"}  # an event the file does not name keeps its default


def test_a_status_the_console_must_not_write_is_named() -> None:
    settings = filled()
    settings.shop = replace(settings.shop, status_map={"invoiced": "wc-zafakturowane", "packed": "cancelled"})
    problems = {(p.section, p.field): p.message for p in validate(settings, SECRETS)}
    assert "bez przedrostka „wc-”" in problems[("fields", "status_invoiced")]
    assert "LinkOptima go nie ustawia" in problems[("fields", "status_packed")]
    settings.shop = replace(settings.shop, status_map={"invoiced": "W realizacji", "packed": ""})
    problems = {(p.section, p.field): p.message for p in validate(settings, SECRETS)}
    assert list(problems) == [("fields", "status_invoiced")]  # "" (the status stays) is fine


def test_the_shipping_map_names_an_unknown_carrier_or_service_and_a_carrier_without_an_account() -> None:
    rules = {
        "golab": ShippingRule("courier_standard", carrier="poczta-golebia"),
        "ekspres": ShippingRule("courier_express", carrier="dpd"),
        "paczkomat": ShippingRule("locker_standard", carrier="builtin", carrier_service="inpost"),
        "dhl": ShippingRule("courier_standard", carrier="furgonetka", carrier_service="dhl"),
        "wlasny": ShippingRule("parcel_by_drone"),
        "zwykly": ShippingRule("courier_standard"),
    }
    found = {p.field: p.message for p in validate(AppSettings(shipping_rules=rules), {}) if p.section == "shipping"}
    assert found["golab"].startswith("Metoda wysyłki golab: nieznany przewoźnik „poczta-golebia” (znani: builtin, "
                                     "inpost, furgonetka, dpd")
    assert found["ekspres"] == ("Metoda wysyłki ekspres: przewoźnik DPD Polska nie ma usługi „courier_express” "
                                "(dostępne: courier_standard, locker_standard).")
    assert found["paczkomat"] == ("Metoda wysyłki paczkomat: przewoźnik LinkOptima (wbudowany) nie ma własnych kodów "
                                  "usług — zostaw „usługę u przewoźnika” pustą (jest „inpost”).")
    assert found["dhl"].startswith("Metoda wysyłki dhl: przewoźnik Furgonetka nie ma konta w tej instalacji")
    assert found["wlasny"].startswith("Metoda wysyłki wlasny: przewoźnik LinkOptima (wbudowany) nie ma usługi "
                                      "„parcel_by_drone”")
    assert "zwykly" not in found
    mixed = AppSettings(shipping_rules=rules, carrier="mixed")  # the demo's mix has every carrier's account
    assert "dhl" not in {p.field for p in validate(mixed, {})}
