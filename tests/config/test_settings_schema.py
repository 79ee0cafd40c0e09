"""The settings file read by its schema: types as a person means them, wrong ones named in
Polish, and real old files (written by earlier programs, kept under ``old_settings/``) migrated."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from linkoptima_gui.core.config import settings_file
from linkoptima_gui.core.config.app_settings import AppSettings
from linkoptima_gui.core.config.settings_file import SettingsError, SettingsFile
from linkoptima_gui.core.woo.settings import PACKED

OLD = Path(__file__).with_name("old_settings")


def test_false_as_text_reads_as_false() -> None:
    settings = AppSettings.from_document({
        "stock_differences": "false", "book_without_stock": "true", "label_at_payment": 0,
        "stations": {"s1": {"verify_eans": "false"}, "s2": {"verify_eans": "true"}},
    })
    assert settings.stock_differences is False and settings.book_without_stock is True
    assert settings.label_at_payment is False
    assert settings.stations["s1"].verify_eans is False and settings.stations["s2"].verify_eans is True


def test_wrong_types_are_named_in_polish() -> None:
    with pytest.raises(SettingsError) as caught:
        AppSettings.from_document({"stock_differences": "może", "price_list": "druga", "lease_seconds": 1,
                                   "smtp": {"port": "pięćset"}, "stations": "stanowisko-1"})
    problems = caught.value.problems
    assert "pole stock_differences: oczekiwano wartości tak/nie (true albo false) (jest: 'może')" in problems
    assert "pole price_list: oczekiwano liczby całkowitej (jest: 'druga')" in problems
    assert "pole lease_seconds: dozwolone od 3 (jest: 1)" in problems
    assert "pole smtp.port: oczekiwano liczby całkowitej (jest: 'pięćset')" in problems
    assert any(p.startswith("pole stations: oczekiwano obiektu JSON") for p in problems)


@pytest.mark.parametrize("version", ["x", 0, -1, True, 1.5])
def test_a_bad_version_is_a_settings_error(tmp_path: Path, version: object) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": version}), encoding="utf-8")
    with pytest.raises(SettingsError, match="pole version: oczekiwano liczby całkowitej od 1"):
        SettingsFile(path).load()


def test_a_file_that_is_not_an_object_is_a_settings_error(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(SettingsError, match="nie zawiera obiektu JSON"):
        SettingsFile(path).load()


@pytest.mark.parametrize("name", sorted(p.name for p in OLD.glob("*.json")))
def test_real_old_files_are_migrated(tmp_path: Path, name: str) -> None:
    """Each old file, as an earlier program wrote it, opens and keeps its values; the file is
    rewritten at the current version and the old one kept beside it."""
    path = tmp_path / "settings.json"
    shutil.copy(OLD / name, path)
    original = json.loads(path.read_text(encoding="utf-8"))
    settings = AppSettings.from_document(SettingsFile(path).load())
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == settings_file.CURRENT_VERSION
    assert json.loads((tmp_path / f"settings.v{original['version']}.json").read_text(encoding="utf-8")) == original
    assert settings.stations["stanowisko-1"].label_printer == "zpl://192.168.1.50:9100"
    assert settings.stations["stanowisko-1"].verify_eans is True
    assert settings.stations["biuro"].verify_eans is False
    if "shop" in original:
        assert settings.shop.url == "https://sklep.example.pl"
        assert settings.shop.status_for(PACKED) == original["shop"]["status_when_packed"] == "wysłane"
        assert "status_when_packed" not in json.loads(path.read_text(encoding="utf-8"))["shop"]
        assert settings.smtp.host == "smtp.example.pl" and settings.optima_company == "Firma testowa"
    # and what is saved now reads back the same
    again = AppSettings.from_document(json.loads(json.dumps(settings.to_document())))
    assert again.to_document() == settings.to_document()
