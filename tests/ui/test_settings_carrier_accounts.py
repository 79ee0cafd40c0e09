"""The Furgonetka and DPD boxes of "Połączenia": the accounts save (secrets in the keyring, never
in the file), load again, let the shipping map route to them, and check against the emulators."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from PySide6.QtTest import QTest

from linkoptima_gui.core.config.app_settings import AppSettings
from linkoptima_gui.core.config.secrets import MemoryKeyring, SecretStore
from linkoptima_gui.demo.dpd import DPDEmulator
from linkoptima_gui.demo.furgonetka import FurgonetkaEmulator
from linkoptima_gui.ui.context import ConsoleContext
from tests.ui.test_settings_screen import open_view, run_check


def test_the_accounts_save_and_load(qtbot, context: ConsoleContext) -> None:
    keyring_backend = MemoryKeyring()
    context.secrets = SecretStore(backend=keyring_backend)
    view = open_view(qtbot, context)
    connections = view.connections
    connections.shop.url.setText("https://sklep.pl")
    connections.shop.consumer_key.setText("ck_123")
    connections.shop.consumer_secret.setText("cs_bardzo_tajny")
    connections.smtp.host.setText("smtp.sklep.pl")
    connections.smtp.sender.setText("sklep@sklep.pl")
    furgonetka, dpd = connections.furgonetka, connections.dpd
    furgonetka.client_id.setText("app-7")
    furgonetka.client_secret.setText("sekret-aplikacji")
    furgonetka.username.setText("sklep@sklep.pl")
    furgonetka.password.setText("haslo-furgonetki")
    dpd.login.setText("sklep")
    dpd.password.setText("haslo-dpd")
    dpd.master_fid.setText("1495")

    with qtbot.waitSignal(view.sig_saved, timeout=5000) as saved:
        QTest.keySequence(view, "Ctrl+S")
    assert saved.args[0] is True, saved.args[1]
    text = context.settings_file.path.read_text(encoding="utf-8")
    for secret in ("sekret-aplikacji", "haslo-furgonetki", "haslo-dpd"):
        assert secret not in text
    assert keyring_backend.get_password("LinkOptima", "furgonetka.client_secret") == "sekret-aplikacji"
    assert keyring_backend.get_password("LinkOptima", "furgonetka.password") == "haslo-furgonetki"
    assert keyring_backend.get_password("LinkOptima", "dpd.password") == "haslo-dpd"
    document = json.loads(text)
    assert document["furgonetka"]["client_id"] == "app-7" and document["dpd"]["master_fid"] == "1495"
    settings = AppSettings.from_document(document)
    assert settings.furgonetka.base_url == "https://api.furgonetka.pl"  # the default, as shown
    assert settings.dpd.base_url == "https://dpdservices.dpd.com.pl"

    again = open_view(qtbot, context)
    assert again.connections.furgonetka.client_id.text() == "app-7"
    assert again.connections.furgonetka.password.text() == "haslo-furgonetki"
    assert again.connections.dpd.login.text() == "sklep" and again.connections.dpd.password.text() == "haslo-dpd"


def test_the_accounts_check_against_the_emulators(qtbot, context: ConsoleContext, tmp_path: Path) -> None:
    context.secrets = SecretStore(backend=MemoryKeyring())
    view = open_view(qtbot, context)
    furgonetka, dpd = FurgonetkaEmulator(tmp_path / "furgonetka"), DPDEmulator(tmp_path / "dpd")
    furgonetka.start()
    dpd.start()
    try:
        f, d = furgonetka.credentials(), dpd.credentials()
        box = view.connections.furgonetka
        box.base_url.setText(furgonetka.url)
        box.client_id.setText(f["client_id"])
        box.client_secret.setText(f["client_secret"])
        box.username.setText(f["username"])
        box.password.setText(f["password"])
        ok, message = run_check(qtbot, box.check)
        assert ok and "Furgonetki" in message, message
        box = view.connections.dpd
        box.base_url.setText(dpd.url)
        box.login.setText(d["login"])
        box.password.setText(d["password"])
        box.master_fid.setText(d["master_fid"])
        ok, message = run_check(qtbot, box.check)
        assert ok and "DPD" in message, message
        box.password.setText("zle-haslo")
        ok, message = run_check(qtbot, box.check)
        assert not ok and "login" in message
    finally:
        furgonetka.stop()
        dpd.stop()


def test_the_shipping_map_accepts_a_filled_in_account(qtbot, context: ConsoleContext) -> None:
    from linkoptima_gui.core.config.validation import validate

    settings = AppSettings()
    settings.shipping_rules["flat_rate"] = replace(settings.shipping_rules["flat_rate"], carrier="dpd")
    assert any("nie ma konta" in p.message for p in validate(settings, {}))
    settings.dpd = replace(settings.dpd, login="sklep", master_fid="1495")
    assert not any("nie ma konta" in p.message for p in validate(settings, {"dpd.password": "x"}))
