"""The Optima box's COM login settings (Optima's folder, the configuration database, the
operator, the company, the modules): saved in the settings file, shown again, and handed as they
are typed to ``OptimaComSession``'s login, which the strict fake of Optima's COM objects checks
(it refuses every name public code does not use). Here, on a computer without COM, "Testuj
połączenie" says in Polish that the login was not tried."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from linkoptima_gui.core.config.app_settings import AppSettings
from linkoptima_gui.core.config.secrets import MemoryKeyring, SecretStore
from linkoptima_gui.demo.optima_seed import create_demo_optima
from linkoptima_gui.ui.context import ConsoleContext
from linkoptima_gui.ui.settings import SettingsView, shop_optima
from tests.optima.com_fake import FakeOptima

from .test_settings_screen import open_view, run_check

CONFIG = "NET:CDN_KNF_Konfiguracja,SQL01\\OPTIMA,NT=0"


@pytest.fixture
def view(qtbot, context: ConsoleContext) -> SettingsView:
    context.secrets = SecretStore(backend=MemoryKeyring())
    return open_view(qtbot, context)


def fill(view: SettingsView, tmp_path: Path) -> Path:
    create_demo_optima(tmp_path / "optima.sqlite").dispose()
    folder = tmp_path / "Comarch ERP Optima"
    folder.mkdir()
    optima = view.connections.optima
    optima.target.setText(f"sqlite:///{tmp_path / 'optima.sqlite'}")
    optima.operator.setText("MAGAZYN1")
    optima.operator_password.setText("tajne-operatora")
    optima.company.setText("Firma testowa")
    optima.install_dir.setText(str(folder))
    optima.config_connection.setText(CONFIG)
    optima.login_modules.setText("fa, MAG kb")
    return folder


def test_the_com_login_is_saved_shown_again_and_reaches_the_login(qtbot, view: SettingsView,
                                                                   context: ConsoleContext, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    folder = fill(view, tmp_path)
    with qtbot.waitSignal(view.sig_saved, timeout=5000) as saved:
        view.save()
    assert saved.args[0] is True, saved.args[1]
    document = json.loads(context.settings_file.path.read_text(encoding="utf-8"))
    assert {key: document["optima"][key] for key in ("operator", "install_dir", "config_connection",
                                                     "login_modules")} == {
        "operator": "MAGAZYN1", "install_dir": str(folder), "config_connection": CONFIG,
        "login_modules": ["FA", "MAG", "KB"]}
    assert document["optima_company"] == "Firma testowa"
    assert "tajne-operatora" not in json.dumps(document)
    settings = AppSettings.from_document(document)
    assert (settings.optima.install_dir, settings.optima.login_modules) == (str(folder), ("FA", "MAG", "KB"))

    reopened = open_view(qtbot, context)
    again = reopened.connections.optima
    assert (again.install_dir.text(), again.config_connection.text(), again.login_modules.text()) == (
        str(folder), CONFIG, "FA, MAG, KB")
    assert again.operator_password.text() == "tajne-operatora"

    # on the Windows PC "Testuj połączenie" logs in with exactly these, and out, writing nothing
    monkeypatch.setattr(shop_optima, "com_check_possible", lambda writer: writer == "com")
    monkeypatch.chdir(tmp_path)  # the login makes Optima's folder the working directory; put back after
    check = again.prepare_check()
    fake = FakeOptima()
    login = replace(check.keywords["login"], options={"dispatch": fake.dispatch, "apartment": fake.apartment})
    result = check.func(*check.args, **{**check.keywords, "login": login})
    assert result.ok, result.message
    flags = [0] * 18
    flags[4] = flags[5] = flags[14] = 1  # FA, MAG, KB in the order of Comarch's sample
    lines = fake.lines()
    assert lines[1:5] == ["win32com.client.Dispatch('CDNBase.Application')",
                          f"Application.KonfigConnectStr = {CONFIG!r}",
                          "Application.LockApp(256, 5000, None, None, None, None)",
                          f"Application.Login('MAGAZYN1', 'tajne-operatora', 'Firma testowa', "
                          f"{', '.join(map(str, flags))})"]
    assert Path.cwd() == folder
    assert "Application.UnlockApp()" in lines and not any(call.name in ("Save", "Delete") for call in fake.calls)
    assert "jako MAGAZYN1 (moduły: FA, MAG, KB)" in result.message


@pytest.mark.skipif(sys.platform == "win32", reason="a computer without Optima's COM objects")
def test_here_the_check_says_in_polish_that_the_com_login_was_not_tried(qtbot, view: SettingsView,
                                                                        tmp_path: Path) -> None:
    fill(view, tmp_path)
    ok, message = run_check(qtbot, view.connections.optima.check)
    assert ok and message.startswith("Połączono z bazą Optimy: magazyn MAGAZYN")
    assert message.endswith("Logowania do Optimy przez COM nie sprawdzono: API COM Optimy działa tylko w Windows, "
                            "na komputerze z zainstalowaną Optimą. Tam ten przycisk loguje się jako operator do "
                            "firmy i wylogowuje, niczego nie zapisując.")
    simulated = view.connections.optima
    simulated.load(AppSettings(optima_writer="simulated"), {})
    simulated.target.setText(f"sqlite:///{tmp_path / 'optima.sqlite'}")
    ok, message = run_check(qtbot, simulated.check)
    assert ok and "COM" not in message  # the simulated writer never logs in


def test_wrong_modules_and_configuration_database_are_named_in_polish(qtbot, view: SettingsView,
                                                                      context: ConsoleContext, tmp_path: Path) -> None:
    fill(view, tmp_path)
    optima = view.connections.optima
    optima.login_modules.setText("FA, HANDEL")
    optima.config_connection.setText("SQL01\\OPTIMA")
    with qtbot.waitSignal(view.sig_saved, timeout=5000) as saved:
        view.save()
    ok, message = saved.args
    assert not ok and "Nieznane moduły Optimy: HANDEL" in message
    assert "Bazę konfiguracyjną Optimy podaje się jak NET:CDN_KNF_Konfiguracja" in message
    assert optima.login_modules.styleSheet() and optima.config_connection.styleSheet()  # both marked
    assert not context.settings_file.exists()
