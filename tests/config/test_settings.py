"""The settings file (versioned JSON, atomic writes, migrations) and secrets in the keyring."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linkoptima_gui.core.config import settings_file
from linkoptima_gui.core.config.app_settings import AppSettings, StationSettings
from linkoptima_gui.core.config.secrets import SecretError, SecretStore
from linkoptima_gui.core.config.settings_file import SettingsError, SettingsFile
from linkoptima_gui.core.engine.services import ShippingRule

from .conftest import MemoryKeyring


def test_round_trip_keeps_unknown_sections(tmp_path: Path) -> None:
    file = SettingsFile(tmp_path / "cfg" / "settings.json")
    assert file.load() == {} and not file.exists()
    settings = AppSettings.from_document({"notatka": "od serwisu"})
    settings.shipping_rules["dpd_classic"] = ShippingRule("courier_standard", "large")
    settings.stations["stanowisko-2"] = StationSettings(label_printer="zpl://10.0.0.7:9100", verify_eans=True)
    file.save(settings.to_document())
    document = json.loads(file.path.read_text(encoding="utf-8"))
    assert document["version"] == settings_file.CURRENT_VERSION and document["notatka"] == "od serwisu"
    again = AppSettings.from_document(file.load())
    assert again.shipping_rules["dpd_classic"] == ShippingRule("courier_standard", "large")
    assert again.shipping_rules["easypack_parcel_machines"].service == "locker_standard"  # defaults kept
    assert again.stations["stanowisko-2"].verify_eans and again.extra == {"notatka": "od serwisu"}
    assert not list(file.path.parent.glob("*.tmp"))


def test_bad_values_are_refused_in_polish() -> None:
    with pytest.raises(ValueError, match="pole shipping_rules.flat_rate.parcel_size: dozwolone"):
        AppSettings.from_document({"shipping_rules": {"flat_rate": {"service": "courier_standard",
                                                                    "parcel_size": "huge"}}})
    with pytest.raises(ValueError, match="pole carrier: dozwolone: 'builtin', 'inpost'"):
        AppSettings.from_document({"carrier": "pigeon"})


def test_older_files_are_migrated_with_a_backup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 1, "printer": "zpl://1.2.3.4"}), encoding="utf-8")

    def v1_to_v2(document: dict) -> dict:  # e.g. one printer became per-station printers
        printer = document.pop("printer")
        return {**document, "stations": {"stanowisko-1": {"label_printer": printer}}}

    monkeypatch.setattr(settings_file, "CURRENT_VERSION", 2)
    monkeypatch.setitem(settings_file.MIGRATIONS, 1, v1_to_v2)
    document = SettingsFile(path).load()
    assert document["version"] == 2 and document["stations"]["stanowisko-1"]["label_printer"] == "zpl://1.2.3.4"
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == 2
    assert json.loads((tmp_path / "settings.v1.json").read_text(encoding="utf-8"))["printer"] == "zpl://1.2.3.4"


def test_newer_or_broken_files_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 99}), encoding="utf-8")
    with pytest.raises(SettingsError, match="nowszej wersji"):
        SettingsFile(path).load()
    path.write_text("{nie json", encoding="utf-8")
    with pytest.raises(SettingsError, match="Nie można odczytać"):
        SettingsFile(path).load()


def test_secrets_live_in_the_keyring(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()
    assert store.get("smtp.password") == ""
    store.set("smtp.password", "tajne")
    assert memory_keyring.values[("LinkOptima", "smtp.password")] == "tajne"
    assert store.get("smtp.password") == "tajne"
    store.set("smtp.password", "")
    assert store.get("smtp.password") == ""
    memory_keyring.locked = True
    with pytest.raises(SecretError, match="hasło do serwera poczty"):
        store.get("smtp.password")


def test_the_language_is_a_setting_the_command_line_overrides(monkeypatch) -> None:
    from linkoptima_gui.core.config.app_settings import AppSettings
    from linkoptima_gui.ui.i18n import choose_language

    monkeypatch.delenv("LINKOPTIMA_LANG", raising=False)
    settings = AppSettings.from_document({"language": "en"})
    assert settings.language == "en" and AppSettings.from_document(settings.to_document()).language == "en"
    assert AppSettings().language == "pl"
    assert choose_language(None, settings.language) == "en"
    assert choose_language("pl", settings.language) == "pl"
