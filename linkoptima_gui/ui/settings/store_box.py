"""The "Ten komputer i baza konsoli" box of the stations page: which station this computer is,
whether it may run the engine, and the store all stations share.

One computer keeps the default (an SQLite file of its own). A warehouse with several packing
PCs points every console at one PostgreSQL or SQL Server database; the engine then runs on one
of them (the one next to Optima, or any console that is allowed to) and the others stand by or
only pack. The check connects without writing anything (``core/config/store_check.py``).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from platformdirs import user_data_path
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QGroupBox, QLineEdit, QWidget

from ...core.config.app_settings import ENGINE_AUTO, ENGINE_OFF, AppSettings
from ...core.config.connection_checks import CheckResult
from ...core.config.store_check import check_store
from .widgets import CheckRow, SecretEdit, hint, make_form

STORE_SECRET = "store.password"


class StoreBox(QGroupBox):
    def __init__(self, parent: QWidget | None = None, data_dir: Path | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Ten komputer i baza konsoli"))
        self._data_dir = data_dir or user_data_path("LinkOptima", "LinkOptima")
        self.station = QLineEdit(self)
        self.station.setMaxLength(64)
        self.station.setPlaceholderText("stanowisko-1")
        self.engine_mode = QComboBox(self)
        self.engine_mode.addItem(self.tr("tak: prowadzi silnik albo czuwa, gdy prowadzi go inny komputer"),
                                 ENGINE_AUTO)
        self.engine_mode.addItem(self.tr("nie: tylko pakowanie i zarządzanie (silnik działa gdzie indziej)"),
                                 ENGINE_OFF)
        self.lease_seconds = QDoubleSpinBox(self)
        self.lease_seconds.setRange(3, 600)
        self.lease_seconds.setDecimals(0)
        self.lease_seconds.setSuffix(" s")
        self.lease_seconds.setToolTip(self.tr("Po tylu sekundach bez sygnału od aktywnego silnika przejmuje go "
                                              "czuwający komputer"))
        self.store_url = QLineEdit(self)
        self.store_url.setPlaceholderText(self.tr("puste: plik SQLite na tym komputerze"))
        self.store_password = SecretEdit(self)
        self.check = CheckRow(self.prepare_check, self)
        form = make_form(self)
        form.addRow(self.tr("Nazwa stanowiska:"), self.station)
        form.addRow(self.tr("Silnik na tym komputerze:"), self.engine_mode)
        form.addRow(self.tr("Przejęcie silnika po:"), self.lease_seconds)
        form.addRow(self.tr("Wspólna baza (URL):"), self.store_url)
        form.addRow(self.tr("Hasło bazy:"), self.store_password)
        form.addRow(self.check)
        form.addRow(hint(self.tr("Kilka komputerów: ta sama baza PostgreSQL (postgresql+psycopg://użytkownik@serwer/"
                                 "linkoptima) albo osobna baza na SQL Serverze Optimy (mssql+pyodbc://…). "
                                 "Zmiany działają po ponownym uruchomieniu."), self))

    def load(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        self.station.setText(settings.station)
        self.engine_mode.setCurrentIndex(max(0, self.engine_mode.findData(settings.engine_mode)))
        self.lease_seconds.setValue(settings.lease_seconds)
        self.store_url.setText(settings.store_url)
        self.store_password.setText(secrets.get(STORE_SECRET, ""))
        self.check.clear()

    def store(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        settings.station = self.station.text().strip()
        settings.engine_mode = self.engine_mode.currentData() or ENGINE_AUTO
        settings.lease_seconds = float(self.lease_seconds.value())
        settings.store_url = self.store_url.text().strip()
        secrets[STORE_SECRET] = self.store_password.text()

    def prepare_check(self) -> partial[CheckResult]:
        return partial(check_store, self.store_url.text().strip(), self.store_password.text(), self._data_dir)

    def field_widget(self, field: str) -> QWidget | None:
        return {"station": self.station, "store_url": self.store_url}.get(field)
