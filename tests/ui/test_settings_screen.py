"""The "Ustawienia" screen: connection checks against the real demo systems off the GUI thread,
validation in Polish, save and load with the secrets in a keyring (never in the file), and the
mapping tables' model."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from linkoptima_gui.core.config.app_settings import AppSettings
from linkoptima_gui.core.config.manager_pin import ManagerPin
from linkoptima_gui.core.config.secrets import MemoryKeyring, SecretStore
from linkoptima_gui.demo.optima_seed import create_demo_optima
from linkoptima_gui.demo.shop import ShopEmulator
from linkoptima_gui.demo.smtp_sink import SmtpSink
from linkoptima_gui.ui.context import ConsoleContext
from linkoptima_gui.ui.main_window import MainWindow
from linkoptima_gui.ui.settings import SettingsView
from linkoptima_gui.ui.settings.widgets import CheckRow
from tests.silent_server import SilentServer

OK_COLOUR, FAIL_COLOUR = "#1e7b34", "#b3261e"


@pytest.fixture
def keyring_backend() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def view(qtbot, context: ConsoleContext, keyring_backend: MemoryKeyring) -> SettingsView:
    context.secrets = SecretStore(backend=keyring_backend)
    screen = open_view(qtbot, context)
    return screen


def open_view(qtbot, context: ConsoleContext) -> SettingsView:
    screen = SettingsView(context)
    qtbot.addWidget(screen)
    screen.resize(1366, 700)
    with qtbot.waitSignal(screen.sig_loaded, timeout=5000):
        screen.show()
    return screen


def run_check(qtbot, row: CheckRow) -> tuple[bool, str]:
    with qtbot.waitSignal(row.sig_checked, timeout=15000) as done:
        row.button.click()
        assert row.running and not row.button.isEnabled()  # one click, one check; the window goes on
        assert row.result.text() == "Sprawdzanie…"
    assert row.button.isEnabled()
    ok, message = done.args
    assert (OK_COLOUR if ok else FAIL_COLOUR) in row.result.styleSheet()
    assert row.result.text() == ("✔ " if ok else "✖ ") + message
    return ok, message


def test_shop_check_succeeds_and_fails_with_the_reason(qtbot, view: SettingsView, shop: ShopEmulator) -> None:
    box = view.connections.shop
    box.url.setText(shop.url)
    box.consumer_key.setText(shop.consumer_key)
    box.consumer_secret.setText(shop.consumer_secret)
    ok, message = run_check(qtbot, box.check)
    assert ok and message.startswith("Połączono ze sklepem WooCommerce: 0 zamówień")
    assert "Statusy zamówień: pending 0, processing 0" in message
    offered = [view.fields.status_invoiced.itemText(i) for i in range(view.fields.status_invoiced.count())]
    assert "pending" in offered and not {"cancelled", "checkout-draft"} & set(offered)  # the shop's own, for the map
    box.consumer_secret.setText("cs_zly")
    ok, message = run_check(qtbot, box.check)
    assert not ok and message.startswith("Sklep odrzucił")


def test_smtp_and_optima_checks(qtbot, view: SettingsView, tmp_path: Path) -> None:
    create_demo_optima(tmp_path / "optima.sqlite").dispose()
    optima = view.connections.optima
    optima.target.setText(f"sqlite:///{tmp_path / 'optima.sqlite'}")
    ok, message = run_check(qtbot, optima.check)
    assert ok and message.startswith("Połączono z bazą Optimy: magazyn MAGAZYN"), message
    optima.warehouse.setText("HURT")
    assert not run_check(qtbot, optima.check)[0]

    smtp = view.connections.smtp
    with SmtpSink(tmp_path / "mail") as sink:
        smtp.host.setText(sink.host)
        smtp.security.setCurrentIndex(smtp.security.findData("none"))
        smtp.port.setValue(sink.port)
        assert run_check(qtbot, smtp.check) == (True, f"Połączono z serwerem poczty {sink.host}:{sink.port} "
                                                      "(bez szyfrowania).")
        smtp.security.setCurrentIndex(smtp.security.findData("starttls"))
        ok, message = run_check(qtbot, smtp.check)
    assert not ok and "nie obsługuje STARTTLS" in message



def test_on_the_com_pc_the_optima_check_also_logs_in_with_what_the_box_holds(view: SettingsView,
                                                                             monkeypatch) -> None:
    """On Windows with the COM writer "Testuj połączenie" runs the read-only probe too: it gets the
    operator's password and the company as typed (not yet saved), and the shop's online gateways."""
    from linkoptima_gui.core.config.connection_checks import OptimaLogin
    from linkoptima_gui.ui.settings import shop_optima

    optima = view.connections.optima
    optima.operator_password.setText("tajne")
    optima.company.setText(" Firma testowa ")
    assert optima.prepare_check().keywords["login"] is None  # this test machine: the database only
    monkeypatch.setattr(shop_optima, "com_check_possible", lambda writer: writer == "com")
    login = optima.prepare_check().keywords["login"]
    assert login == OptimaLogin("tajne", "Firma testowa", AppSettings().shop.online_gateways)  # as loaded
    assert "payustandard" in login.online_methods


def test_a_hanging_server_never_freezes_the_window(qtbot, view: SettingsView) -> None:
    smtp = view.connections.smtp
    with SilentServer() as server:
        smtp.host.setText("127.0.0.1")
        smtp.port.setValue(server.port)
        smtp.security.setCurrentIndex(smtp.security.findData("none"))
        with qtbot.waitSignal(smtp.check.sig_checked, timeout=15000) as done:
            smtp.check.button.click()
            assert server.connected.wait(5)
            view.nav.setCurrentRow(1)  # the GUI thread is free while the server says nothing
            qtbot.waitUntil(lambda: view.stack.currentIndex() == 1, timeout=1000)
            assert smtp.check.running and not smtp.check.button.isEnabled()
            server.hang_up()
    assert done.args[0] is False and "nieosiągalny" in done.args[1]
    assert smtp.check.button.isEnabled()


def test_printer_checks_of_the_selected_station(qtbot, view: SettingsView) -> None:
    page = view.stations
    view.show_page(page)
    model = page.model
    with socket.create_server(("127.0.0.1", 0)) as printer:
        port = printer.getsockname()[1]
        model.setData(model.index(0, model.column_of("label_printer")), f"zpl://127.0.0.1:{port}")
        page.table.selectRow(0)
        assert run_check(qtbot, page.label_check) == (True, f"Drukarka 127.0.0.1:{port} odpowiada.")
    ok, message = run_check(qtbot, page.label_check)  # the same port, now nobody listens
    assert not ok and f"Drukarka 127.0.0.1:{port} nie odpowiada (połączenie odrzucone)" in message
    ok, message = run_check(qtbot, page.invoice_check)
    assert (ok, message) == (False, "Podaj adres drukarki.")


def test_save_and_load_round_trip(qtbot, view: SettingsView, context: ConsoleContext,
                                  keyring_backend: MemoryKeyring) -> None:
    connections = view.connections
    connections.shop.url.setText("https://sklep.pl")
    connections.shop.consumer_key.setText("ck_123")
    connections.shop.consumer_secret.setText("cs_bardzo_tajny")
    connections.smtp.host.setText("smtp.sklep.pl")
    connections.smtp.sender.setText("sklep@sklep.pl")
    connections.smtp.password.setText("haslo-poczty")
    connections.optima.way.setCurrentIndex(connections.optima.way.findData("dsn"))
    connections.optima.target.setText("OPTIMA")
    connections.optima.database.setText("CDN_Firma")
    connections.optima.company.setText("Firma Demo")
    connections.carrier.carrier.setCurrentIndex(connections.carrier.carrier.findData("inpost"))
    connections.carrier.organization_id.setText("4321")
    connections.carrier.token.setText("token-inpost")
    view.stations.editor.add_row()
    stations = view.stations.model
    stations.setData(stations.index(1, stations.column_of("label_printer")), "escpos://10.0.0.5:9100")
    stations.setData(stations.index(1, stations.column_of("verify_eans")), Qt.CheckState.Checked.value,
                     Qt.ItemDataRole.CheckStateRole)
    rules = view.shipping.editor.model
    rules.add_row({"method": "dpd_courier", "service": "courier_express", "parcel_size": "large"})
    view.payments.online.set_values(("przelewy24", "payu_blik"))
    assert view.payments.settlement.currentData() == "payment_form"  # Optima's own route by default
    view.payments.settlement.setCurrentIndex(view.payments.settlement.findData("com_kp"))

    with qtbot.waitSignal(view.sig_saved, timeout=5000) as saved:
        QTest.keySequence(view, "Ctrl+S")
    assert saved.args[0] is True, saved.args[1]
    text = context.settings_file.path.read_text(encoding="utf-8")
    for secret in ("cs_bardzo_tajny", "haslo-poczty", "token-inpost"):
        assert secret not in text
    assert keyring_backend.get_password("LinkOptima", "shop.consumer_secret") == "cs_bardzo_tajny"
    assert keyring_backend.get_password("LinkOptima", "inpost.token") == "token-inpost"
    document = json.loads(text)
    assert document["stations"]["stanowisko-2"] == {"label_printer": "escpos://10.0.0.5:9100",
                                                    "invoice_printer": "", "verify_eans": True, "pack_key": ""}
    assert document["optima_connection"]["dsn"] == "OPTIMA" and document["optima_connection"]["url"] == ""

    again = open_view(qtbot, context)
    assert again.connections.shop.consumer_secret.text() == "cs_bardzo_tajny"
    assert again.connections.optima.way.currentData() == "dsn"
    assert again.connections.optima.target.text() == "OPTIMA"
    assert again.connections.carrier.carrier.currentData() == "inpost"
    assert document["optima"]["settlement"] == "com_kp" and again.payments.settlement.currentData() == "com_kp"
    settings = AppSettings.from_document(document)
    assert settings.shipping_rules["dpd_courier"].service == "courier_express"
    assert settings.shop.online_gateways == ("przelewy24", "payu_blik")
    assert again.stations.model.rows() == view.stations.model.rows()


def test_mistakes_are_listed_in_polish_and_nothing_is_written(qtbot, view: SettingsView,
                                                               context: ConsoleContext) -> None:
    view.connections.smtp.sender.setText("sklep@sklep.pl")  # a mail server half filled in: no host
    stations = view.stations.model
    stations.setData(stations.index(0, stations.column_of("label_printer")), "zpl://")
    stations.setData(stations.index(0, stations.column_of("pack_key")), "Pedał")
    with qtbot.waitSignal(view.sig_saved, timeout=2000) as saved:
        view.save_button.click()
    ok, message = saved.args
    assert not ok and message.startswith("Nie zapisano, popraw:")
    assert "Podaj adres serwera poczty" in message
    assert "drukarka etykiet: W adresie drukarki 'zpl://' brakuje nazwy lub adresu IP" in message
    assert "nieznany klawisz pakowania „Pedał”" in message
    assert view.connections.smtp.host.styleSheet() != ""  # the field is marked
    assert view.stack.currentIndex() == 0  # the first page with a problem is shown
    assert not context.settings_file.exists()


def test_a_missing_keyring_is_said_and_the_rest_still_saves(qtbot, context: ConsoleContext) -> None:
    context.secrets = SecretStore(backend=fail.Keyring())
    view = open_view(qtbot, context)
    assert "nie ma systemowego magazynu haseł" in view.status_line.text()
    view.stations.model.setData(view.stations.model.index(0, 1), "zpl://10.0.0.7:9100")
    with qtbot.waitSignal(view.sig_saved, timeout=5000) as saved:
        view.save()
    assert saved.args[0] is True
    view.connections.smtp.password.setText("nowe-haslo")
    view.connections.smtp.host.setText("smtp.sklep.pl")
    view.connections.smtp.sender.setText("sklep@sklep.pl")
    with qtbot.waitSignal(view.sig_saved, timeout=5000) as saved:
        view.save()
    assert saved.args[0] is False and "hasło do serwera poczty" in saved.args[1]
    assert "smtp.sklep.pl" not in context.settings_file.path.read_text(encoding="utf-8")


def test_an_unreadable_file_is_never_overwritten(qtbot, context: ConsoleContext) -> None:
    path = context.settings_file.path
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"version": 99}), encoding="utf-8")
    screen = SettingsView(context)
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.sig_loaded, timeout=5000) as loaded:
        screen.show()
    assert loaded.args == [False] and "nowszej wersji" in screen.status_line.text()
    assert not screen.save_button.isEnabled()


def test_the_shipping_map_edits_carrier_and_service_and_names_what_is_wrong(qtbot, view: SettingsView,
                                                                            context: ConsoleContext) -> None:
    rules = view.shipping.editor.model
    assert [rules.columns[i].key for i in range(rules.columnCount())] == [
        "method", "carrier", "service", "carrier_service", "parcel_size"]
    assert rules.index(0, rules.column_of("carrier")).data() == "(przewoźnik z Połączeń)"
    for row in ({"method": "golab", "carrier": "poczta-golebia", "service": "courier_standard"},
                {"method": "dpd_ekspres", "carrier": "dpd", "service": "courier_express"},
                {"method": "kurier_x", "carrier": "furgonetka", "service": "courier_standard",
                 "carrier_service": "pigeon"},
                {"method": "dpd_kurier", "carrier": "dpd", "service": "courier_standard"}):
        rules.add_row(row)
    with qtbot.waitSignal(view.sig_saved, timeout=5000) as saved:
        view.save()
    ok, message = saved.args
    assert not ok and not context.settings_file.exists()
    assert "Metoda wysyłki golab: nieznany przewoźnik „poczta-golebia”" in message
    assert "Metoda wysyłki dpd_ekspres: przewoźnik DPD Polska nie ma usługi „courier_express”" in message
    assert "Metoda wysyłki kurier_x: przewoźnik Furgonetka nie zna usługi „pigeon”" in message
    assert "Metoda wysyłki dpd_kurier: przewoźnik DPD Polska nie ma konta w tej instalacji" in message

    for _ in range(4):
        view.shipping.editor.table.selectRow(rules.rowCount() - 1)
        view.shipping.editor.remove_selected()
    rules.add_row({"method": "paczkomat_wlasny", "carrier": "builtin", "service": "locker_standard",
                   "parcel_size": "medium"})
    with qtbot.waitSignal(view.sig_saved, timeout=5000) as saved:
        view.save()
    assert saved.args[0] is True, saved.args[1]
    settings = AppSettings.from_document(json.loads(context.settings_file.path.read_text(encoding="utf-8")))
    rule = settings.shipping_rules["paczkomat_wlasny"]
    assert (rule.carrier, rule.service, rule.carrier_service, rule.parcel_size) == (
        "builtin", "locker_standard", "", "medium")
    again = open_view(qtbot, context)
    assert again.shipping.editor.rows() == view.shipping.editor.rows()


@pytest.mark.parametrize("page", ["stations", "shipping", "payments", "fields"])
def test_mapping_models(qtbot, view: SettingsView, qtmodeltester, page: str) -> None:
    editor = {"stations": view.stations.editor, "shipping": view.shipping.editor, "payments": view.payments.routes,
              "fields": view.fields.tax_classes}[page]
    model = editor.model
    assert model.rowCount() > 0
    qtmodeltester.check(model)
    rows = model.rowCount()
    editor.add_row()
    assert model.rowCount() == rows + 1
    assert model.setData(model.index(rows, 0), "nowy")
    assert model.index(rows, 0).data() == "nowy"
    qtmodeltester.check(model)
    editor.remove_selected()
    assert model.rowCount() == rows


def test_settings_tab_and_its_shortcut(qtbot, context: ConsoleContext) -> None:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    assert window.tabs.tabText(window.tabs.indexOf(window.settings)) == "Ustawienia"
    window.show_pipeline()  # the Pulpit is the first tab
    qtbot.keyClick(window.pipeline.search, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.settings
    assert window.settings.nav.hasFocus()  # from here the arrows pick the page
    qtbot.waitUntil(lambda: window.settings.is_loaded, timeout=5000)  # read on the first show only
    assert window.settings.file.path == context.settings_file.path


def test_the_manager_pin_is_set_as_a_hash_and_removed(qtbot, view: SettingsView, context: ConsoleContext,
                                                      keyring_backend: MemoryKeyring) -> None:
    assert view.stations.pin_state.text() == "Bez PIN-u: każdy może wszystko."
    view.stations.pin_edit.setText("12")
    with qtbot.waitSignal(view.sig_saved, timeout=5000) as saved:
        view.save()
    assert saved.args[0] is False and "PIN musi mieć co najmniej 4 znaki" in saved.args[1]

    view.stations.pin_edit.setText("2580")
    with qtbot.waitSignal(view.sig_saved, timeout=5000) as saved:
        view.save()
    assert saved.args[0] is True
    assert ManagerPin(SecretStore(backend=keyring_backend)).verify("2580")
    assert "2580" not in context.settings_file.path.read_text(encoding="utf-8")
    assert "2580" not in str(keyring_backend.values)

    again = open_view(qtbot, context)
    assert again.stations.pin_state.text() == "PIN jest ustawiony." and again.stations.pin_edit.text() == ""
    again.stations.pin_remove.setChecked(True)
    with qtbot.waitSignal(again.sig_saved, timeout=5000) as saved:
        again.save()
    assert saved.args[0] is True and not ManagerPin(SecretStore(backend=keyring_backend)).is_set()


def test_webhooks_and_the_language_are_saved(qtbot, view: SettingsView, context: ConsoleContext,
                                             keyring_backend: MemoryKeyring) -> None:
    view.connections.shop.webhook_port.setValue(8089)
    view.connections.shop.webhook_secret.setText("tajne-webhooki")
    view.stations.language.setCurrentIndex(view.stations.language.findData("en"))
    with qtbot.waitSignal(view.sig_saved, timeout=5000) as saved:
        view.save()
    assert saved.args[0] is True
    text = context.settings_file.path.read_text(encoding="utf-8")
    assert '"webhook_port": 8089' in text and '"language": "en"' in text and "tajne-webhooki" not in text
    assert SecretStore(backend=keyring_backend).get("shop.webhook_secret") == "tajne-webhooki"
    again = open_view(qtbot, context)
    assert again.connections.shop.webhook_port.value() == 8089 and again.stations.language.currentData() == "en"


def test_prices_stock_and_the_status_map_are_saved(qtbot, view: SettingsView, context: ConsoleContext) -> None:
    fields = view.fields
    fields.price_list.setValue(3)
    fields.prices_with_tax.setChecked(False)
    fields.stock_differences.setChecked(False)
    fields.status_invoiced.setCurrentText("on-hold")
    fields.status_packed.setCurrentText("")
    with qtbot.waitSignal(view.sig_saved, timeout=5000) as saved:
        view.save()
    assert saved.args[0] is True
    document = json.loads(context.settings_file.path.read_text(encoding="utf-8"))
    assert (document["price_list"], document["shop_prices_include_tax"], document["stock_differences"]) == (3, False, False)
    assert document["shop"]["status_map"] == {"invoiced": "on-hold", "packed": ""}
    reopened = open_view(qtbot, context)
    again = reopened.fields
    assert (again.price_list.value(), again.prices_with_tax.isChecked(), again.stock_differences.isChecked()) == (
        3, False, False)
    assert (again.status_invoiced.currentText(), again.status_packed.currentText()) == ("on-hold", "")
