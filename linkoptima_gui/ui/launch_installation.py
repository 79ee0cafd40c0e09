"""Opening the console on the shop's own systems (``linkoptima`` without ``--demo``).

First start (no settings file yet): a small window offers the demo or setting up the
connections. With settings: the installation is opened from them (``core/installation.py``) and
the console runs on it; when something is missing or wrong the settings screen opens alone,
with the reasons, because a console that cannot book must not take orders.
"""

from __future__ import annotations

import logging
from pathlib import Path

from platformdirs import user_data_path
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from ..core.config.app_settings import AppSettings
from ..core.config.secrets import SecretError, SecretStore
from ..core.config.settings_file import SettingsError, SettingsFile
from ..core.engine.events import EventBus
from ..core.engine.packing import PackingService
from ..core.engine.returns_desk import ReturnsDesk
from ..core.installation import Installation, InstallationError, ShopChoiceNeeded, open_installation
from ..core.printing.factory import open_printer
from ..core.store.db import open_store
from .context import ConsoleContext, station_context
from .other_shop import SECOND_SHOP, SEPARATE_STORE, ask_about_another_shop, separate_store_url

log = logging.getLogger(__name__)

DEMO, SETUP = "demo", "setup"


class FirstStartDialog(QDialog):
    """Demo or your own shop: the question of a first start, with the choice in ``choice``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = ""
        self.setWindowTitle(self.tr("LinkOptima — pierwsze uruchomienie"))
        text = QLabel(self.tr("Nie ma jeszcze ustawień. Możesz obejrzeć konsolę na świecie demonstracyjnym "
                              "(sklep, Optima i poczta na tym komputerze) albo połączyć ją ze swoim sklepem "
                              "i Optimą."), self)
        text.setWordWrap(True)
        self.demo_button = QPushButton(self.tr("Otwórz demo"), self)
        self.setup_button = QPushButton(self.tr("Skonfiguruj połączenia"), self)
        self.demo_button.clicked.connect(lambda: self._choose(DEMO))
        self.setup_button.clicked.connect(lambda: self._choose(SETUP))
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.demo_button)
        layout.addWidget(self.setup_button)
        self.demo_button.setDefault(True)
        self.resize(520, 200)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def installation_context(installation: Installation, file: SettingsFile, secrets: SecretStore) -> ConsoleContext:
    """The console's context over an open installation; the station's printers from the settings
    (a file printer in the data folder until one is set)."""
    return station_context(
        settings=installation.settings, station=installation.station, session_factory=installation.sessions,
        bus=installation.bus, packing=installation.packing, reprints=installation.reprints,
        engine=installation.supervisor,
        default_label_printer=(installation.data_dir / "printer").as_uri(),
        settings_file=file, secrets=secrets, dashboard=installation.dashboard,
        returns=None if installation.services is None else ReturnsDesk(
            installation.sessions, installation.services.shop, installation.bus,
            api_refund=installation.settings.returns_api_refund,
            wake_engine=installation.supervisor.wake if installation.supervisor is not None else lambda: None),
        end_of_day=installation.end_of_day,
    )


def settings_only_context(file: SettingsFile, secrets: SecretStore, data_dir: Path) -> ConsoleContext:
    """A context for the settings screen alone (nothing connected yet): an in-memory store."""
    sessions = open_store("sqlite://")
    bus = EventBus()
    data_dir.mkdir(parents=True, exist_ok=True)
    return ConsoleContext(session_factory=sessions, bus=bus, packing=PackingService(sessions, bus, lambda: None),
                          printer=open_printer((data_dir / "printer").as_uri()), settings_file=file, secrets=secrets)


def _settings_screen_after_a_broken_file(file: SettingsFile, secrets: SecretStore, data_dir: Path,
                                         error: SettingsError, language: str | None) -> int:
    """A settings file that cannot be used is kept aside and the settings screen opens fresh,
    with what was wrong and where the old file is: the console never fails to start on it."""
    from .app import ensure_application, run_settings_only
    from .i18n import choose_language, install_language, remove_language

    app = ensure_application()
    installed = install_language(app, choose_language(language))
    try:
        kept = file.set_aside()
    except OSError as exc:  # cannot even move it: say so, the screen's save will overwrite it
        log.warning("the broken settings file stays where it is: %s", exc)
        note = QCoreApplication.translate("launch", "Nie udało się go przenieść; zapis ustawień go zastąpi.")
    else:
        log.warning("settings file set aside as %s: %s", kept, error)
        note = QCoreApplication.translate("launch", "Zachowano go jako %1; wprowadź ustawienia ponownie.").replace(
            "%1", str(kept))
    intro = QCoreApplication.translate("launch", "Plik ustawień nie nadaje się do użycia.")
    try:
        return run_settings_only(settings_only_context(file, secrets, data_dir), [intro, *error.problems, note],
                                 language)
    finally:
        remove_language(app, installed)


def _secrets_locked(secrets: SecretStore) -> bool:
    """The secrets are in the encrypted file and no password opened it yet (a damaged file too:
    the dialog then says what is wrong with it)."""
    try:
        return secrets.locked
    except SecretError:
        return True


def launch_console(language: str | None = None, data_dir: Path | None = None, *, station: str = "",
                   store_url: str = "", settings_file: Path | None = None) -> int:
    """The console on the shop's own systems; the first start asks demo or setup. ``station``,
    ``store_url`` and ``settings_file`` are the command line's (empty: the settings')."""
    from .app import ensure_application, run_console, run_settings_only
    from .i18n import choose_language, install_language
    from .launch import launch_demo_console

    data_dir = data_dir or user_data_path("LinkOptima", "LinkOptima")
    file = SettingsFile(settings_file)
    secrets = SecretStore.beside(file.path)
    if not file.exists():
        app = ensure_application()
        install_language(app, choose_language(language))
        dialog = FirstStartDialog()
        dialog.exec()
        if dialog.choice == DEMO:
            return launch_demo_console(data_dir / "demo", language=language, station=station)  # where --demo keeps it
        if dialog.choice != SETUP:
            return 0
        return run_settings_only(settings_only_context(file, secrets, data_dir), [], language)
    try:
        settings = AppSettings.from_document(file.load(), str(file.path))
    except SettingsError as exc:
        return _settings_screen_after_a_broken_file(file, secrets, data_dir, exc, language)
    language = choose_language(language, settings.language)
    if _secrets_locked(secrets):  # the encrypted secrets file: its password, once per run
        from .settings.secrets_home import ask_for_the_password

        install_language(ensure_application(), language)
        ask_for_the_password(secrets)  # cancelled: the settings screen says why and offers to unlock
    add_shop = False
    while True:
        try:
            installation = open_installation(settings, secrets, data_dir, station=station, store_url=store_url,
                                             add_shop=add_shop)
            break
        except ShopChoiceNeeded as exc:
            install_language(ensure_application(), language)
            choice = ask_about_another_shop(exc, settings, store_url)
            if choice == SEPARATE_STORE:
                settings.store_url = separate_store_url(settings.shop.url, data_dir)
                file.save(settings.to_document())  # this computer's console keeps to it from now on
            elif choice == SECOND_SHOP:
                add_shop = True
            else:
                return 0
        except InstallationError as exc:
            log.warning("%s", exc)
            return run_settings_only(settings_only_context(file, secrets, data_dir), exc.problems, language)
    if installation.supervisor is not None:
        installation.supervisor.start()  # active, or standby beside the engine of another computer
    return run_console(installation_context(installation, file, secrets), on_quit=installation.close,
                       language=language)
