"""The console on a real installation: the first-start question, the settings screen alone
when nothing is connected, and the main window over an installation opened from settings."""

from __future__ import annotations

from pathlib import Path

from linkoptima_gui.core.config.app_settings import AppSettings
from linkoptima_gui.core.config.secrets import MemoryKeyring, SecretStore
from linkoptima_gui.core.config.settings_file import SettingsFile
from linkoptima_gui.core.documents.mailer import SmtpSettings
from linkoptima_gui.core.installation import open_installation
from linkoptima_gui.core.optima.connect import OptimaConnection
from linkoptima_gui.core.store.db import sqlite_url
from linkoptima_gui.core.woo.settings import ShopSettings
from linkoptima_gui.demo.optima_seed import create_demo_optima
from linkoptima_gui.demo.shop import ShopEmulator
from linkoptima_gui.ui.launch_installation import (
    DEMO,
    SETUP,
    FirstStartDialog,
    installation_context,
    settings_only_context,
)
from linkoptima_gui.ui.main_window import MainWindow
from linkoptima_gui.ui.settings import SettingsView


def test_first_start_offers_the_demo_or_the_setup(qtbot) -> None:
    for button, choice in (("demo_button", DEMO), ("setup_button", SETUP)):
        dialog = FirstStartDialog()
        qtbot.addWidget(dialog)
        getattr(dialog, button).click()
        assert dialog.choice == choice and dialog.result() == FirstStartDialog.DialogCode.Accepted


def test_the_settings_screen_alone_edits_the_users_file(qtbot, tmp_path: Path) -> None:
    file = SettingsFile(tmp_path / "settings.json")
    view = SettingsView(settings_only_context(file, SecretStore(backend=MemoryKeyring()), tmp_path / "data"))
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.sig_loaded, timeout=5000):
        view.show()
    view.stations.model.setData(view.stations.model.index(0, 1), "zpl://10.0.0.7:9100")
    with qtbot.waitSignal(view.sig_saved, timeout=5000) as saved:
        view.save()
    assert saved.args[0] is True and "10.0.0.7" in file.path.read_text(encoding="utf-8")


def test_the_main_window_over_an_installation(qtbot, tmp_path: Path) -> None:
    shop = ShopEmulator(tmp_path / "shop")
    shop.start()
    create_demo_optima(tmp_path / "optima.sqlite").dispose()
    settings = AppSettings(
        shop=ShopSettings(url=shop.url, consumer_key=shop.consumer_key),
        smtp=SmtpSettings(host="127.0.0.1", port=2525, security="none", sender="faktury@sklep.pl"),
        optima_connection=OptimaConnection(url=sqlite_url(tmp_path / "optima.sqlite")), optima_writer="simulated")
    secrets = SecretStore(backend=MemoryKeyring({"shop.consumer_secret": shop.consumer_secret}))
    installation = open_installation(settings, secrets, tmp_path / "data")
    try:
        window = MainWindow(installation_context(installation, SettingsFile(tmp_path / "s.json"), secrets))
        qtbot.addWidget(window)
        assert window.windowTitle() == "LinkOptima" and window.context.engine is installation.supervisor
        window.close()
    finally:
        installation.close()
        shop.stop()


def test_a_broken_settings_file_is_kept_aside_and_the_settings_screen_opens(
        qtbot, tmp_path: Path, monkeypatch) -> None:
    """A file of wrong values does not stop the console: it is moved aside (kept), and the
    settings screen opens alone with every wrong field named in Polish."""
    from linkoptima_gui.ui import app, launch_installation

    path = tmp_path / "settings.json"
    broken = '{"version": 2, "stock_differences": "może", "stations": {"s1": {"verify_eans": "chyba"}}}'
    path.write_text(broken, encoding="utf-8")
    shown: list[list[str]] = []
    monkeypatch.setattr(app, "run_settings_only", lambda context, problems, language=None: shown.append(problems) or 0)
    assert launch_installation.launch_console(data_dir=tmp_path / "data", settings_file=path) == 0
    assert not path.exists()
    kept = list(tmp_path.glob("settings.broken-*.json"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == broken
    text = " ".join(shown[0])
    assert "pole stock_differences" in text and "pole stations.s1.verify_eans" in text
    assert kept[0].name in text
