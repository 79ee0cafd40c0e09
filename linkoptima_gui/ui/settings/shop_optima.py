"""The shop and the Optima boxes of the "Połączenia" page.

The Optima database is named in exactly one of three ways (``core/optima/connect.py``): an
SQLAlchemy URL, an ODBC DSN or a full ODBC connection string. The box therefore asks "how"
first and shows one field for the answer, instead of three fields of which two must stay
empty; the DSN's database name is only asked for a DSN.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ...core.config.app_settings import AppSettings
from ...core.config.connection_checks import (
    CheckResult,
    OptimaLogin,
    check_optima,
    check_shop,
    com_check_possible,
    com_check_unavailable,
)
from ...core.config.vocabulary import OptimaConnection, OptimaSettings, ShopSettings
from .widgets import CheckRow, SecretEdit, make_form

SHOP_SECRET = "shop.consumer_secret"
WEBHOOK_SECRET = "shop.webhook_secret"
SQL_SECRET = "optima.sql_password"
OPERATOR_SECRET = "optima.password"

#: the ways of naming the Optima database, as ``OptimaConnection`` fields
WAYS = ("url", "dsn", "connection_string")


def module_codes(text: str) -> tuple[str, ...]:
    """"FA, MAG KB" -> ("FA", "MAG", "KB"): the login modules as typed (commas or spaces)."""
    return tuple(dict.fromkeys(code.upper() for code in text.replace(",", " ").replace(";", " ").split()))


class ShopBox(QGroupBox):
    """Where the WooCommerce shop is and the REST API keys it gave."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Sklep WooCommerce"))
        self.url = QLineEdit(self)
        self.url.setPlaceholderText(self.tr("https://sklep.pl"))
        self.consumer_key = QLineEdit(self)
        self.consumer_key.setPlaceholderText("ck_…")
        self.consumer_secret = SecretEdit(self)
        self.consumer_secret.edit.setPlaceholderText("cs_…")
        self.webhook_port = QSpinBox(self)
        self.webhook_port.setRange(0, 65535)
        self.webhook_port.setSpecialValueText(self.tr("wyłączone"))
        self.webhook_port.setToolTip(self.tr("Port odbiornika webhooków WooCommerce (za przekaźnikiem lub proxy); "
                                             "webhooki tylko przyspieszają odczyt zamówień"))
        self.webhook_secret = SecretEdit(self)
        self.check = CheckRow(self.prepare_check, self)
        form = make_form(self)
        form.addRow(self.tr("Adres sklepu:"), self.url)
        form.addRow(self.tr("Klucz klienta:"), self.consumer_key)
        form.addRow(self.tr("Klucz tajny:"), self.consumer_secret)
        form.addRow(self.tr("Webhooki, port:"), self.webhook_port)
        form.addRow(self.tr("Sekret webhooków:"), self.webhook_secret)
        form.addRow(self.check)
        self._shop = ShopSettings()

    def load(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        self._shop = settings.shop
        self.url.setText(settings.shop.url)
        self.consumer_key.setText(settings.shop.consumer_key)
        self.consumer_secret.setText(secrets.get(SHOP_SECRET, ""))
        self.webhook_port.setValue(settings.webhook_port)
        self.webhook_secret.setText(secrets.get(WEBHOOK_SECRET, ""))

    def current(self) -> ShopSettings:
        """The shop as typed (with its secret: for the check only, never for the file)."""
        return replace(self._shop, url=self.url.text().strip(), consumer_key=self.consumer_key.text().strip(),
                       consumer_secret=self.consumer_secret.text().strip())

    def store(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        shop = self.current()
        settings.shop = replace(settings.shop, url=shop.url, consumer_key=shop.consumer_key, consumer_secret="")
        secrets[SHOP_SECRET] = shop.consumer_secret
        settings.webhook_port = self.webhook_port.value()
        secrets[WEBHOOK_SECRET] = self.webhook_secret.text().strip()

    def prepare_check(self) -> partial[CheckResult]:
        return partial(check_shop, self.current())

    def field_widget(self, field: str) -> QWidget | None:
        return {"url": self.url, "consumer_key": self.consumer_key}.get(field)


class OptimaBox(QGroupBox):
    """The company database the reader reads, and the login of the COM writer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Comarch ERP Optima"))
        self.way = QComboBox(self)
        for way, label in zip(WAYS, (self.tr("Adres bazy (URL SQLAlchemy)"), self.tr("Źródło danych ODBC (DSN)"),
                                     self.tr("Ciąg połączenia ODBC")), strict=True):
            self.way.addItem(label, way)
        self.target = QLineEdit(self)
        self.database = QLineEdit(self)
        self.database.setPlaceholderText("CDN_Firma")
        self.username = QLineEdit(self)
        self.sql_password = SecretEdit(self)
        self.warehouse = QLineEdit(self)
        self.operator = QLineEdit(self)
        self.operator.setMaxLength(20)
        self.operator_password = SecretEdit(self)
        self.company = QLineEdit(self)
        # the COM login on the Windows PC next to Optima (docs/optima-setup.md §1-2)
        self.install_dir = QLineEdit(self)
        self.install_dir.setPlaceholderText("C:\\Program Files (x86)\\Comarch ERP Optima")
        self.install_dir_button = QPushButton(self.tr("Wybierz…"), self)
        self.install_dir_button.clicked.connect(self._choose_install_dir)
        install_row = QWidget(self)
        install_layout = QHBoxLayout(install_row)
        install_layout.setContentsMargins(0, 0, 0, 0)
        install_layout.addWidget(self.install_dir, 1)
        install_layout.addWidget(self.install_dir_button)
        self.config_connection = QLineEdit(self)
        self.config_connection.setPlaceholderText("NET:CDN_KNF_Konfiguracja,SERWER\\OPTIMA,NT=0")
        self.login_modules = QLineEdit(self)
        self.login_modules.setPlaceholderText(self.tr("puste: moduły z karty operatora (np. FA, MAG, KB)"))
        self.install_dir.setToolTip(self.tr("Folder, w którym zainstalowano Optimę: logowanie COM (na komputerze z "
                                            "Windows obok Optimy) zaczyna się w nim"))
        self.config_connection.setToolTip(self.tr("Tylko gdy użytkownik Windows nigdy nie uruchamiał Optimy "
                                                  "(np. konto usługi): baza konfiguracyjna Optimy"))
        self.login_modules.setToolTip(self.tr("Kody modułów, z którymi loguje się zapis COM; puste: moduły z karty "
                                              "operatora"))
        self.check = CheckRow(self.prepare_check, self)
        form = make_form(self)
        form.addRow(self.tr("Połączenie:"), self.way)
        form.addRow(self.tr("Baza:"), self.target)
        form.addRow(self.tr("Baza firmy (dla DSN):"), self.database)
        form.addRow(self.tr("Login SQL:"), self.username)
        form.addRow(self.tr("Hasło SQL:"), self.sql_password)
        form.addRow(self.tr("Magazyn:"), self.warehouse)
        form.addRow(self.tr("Operator (zapis COM):"), self.operator)
        form.addRow(self.tr("Hasło operatora:"), self.operator_password)
        form.addRow(self.tr("Firma (zapis COM):"), self.company)
        form.addRow(self.tr("Folder Optimy:"), install_row)
        form.addRow(self.tr("Baza konfiguracyjna:"), self.config_connection)
        form.addRow(self.tr("Moduły logowania:"), self.login_modules)
        form.addRow(self.check)
        self.way.currentIndexChanged.connect(self._way_changed)
        self._optima = OptimaSettings()
        self._writer = ""  # how the settings write into Optima: "com" on Windows runs the COM probe too
        self._online: tuple[str, ...] = ()
        self._way_changed()

    def _way_changed(self) -> None:
        way = self.way.currentData()
        self.database.setEnabled(way == "dsn")
        self.target.setPlaceholderText({
            "url": self.tr("sqlite:///C:/dane/optima.sqlite  albo  mssql+pyodbc://…"),
            "dsn": "OPTIMA",
            "connection_string": "DRIVER={ODBC Driver 18 for SQL Server};SERVER=SERWER\\OPTIMA;DATABASE=CDN_Firma",
        }[way])

    def load(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        connection = settings.optima_connection
        way = next((w for w in WAYS if getattr(connection, w).strip()), "url")
        self.way.setCurrentIndex(WAYS.index(way))
        self.target.setText(getattr(connection, way))
        self.database.setText(connection.database)
        self.username.setText(connection.username)
        self.sql_password.setText(secrets.get(SQL_SECRET, ""))
        self._optima = settings.optima
        self._writer, self._online = settings.optima_writer, settings.shop.online_gateways
        self.warehouse.setText(settings.optima.warehouse)
        self.operator.setText(settings.optima.operator)
        self.operator_password.setText(secrets.get(OPERATOR_SECRET, ""))
        self.company.setText(settings.optima_company)
        self.install_dir.setText(settings.optima.install_dir)
        self.config_connection.setText(settings.optima.config_connection)
        self.login_modules.setText(", ".join(settings.optima.login_modules))

    def connection(self) -> OptimaConnection:
        """The connection as typed (with the SQL password: for the check only)."""
        way = self.way.currentData()
        values = {w: (self.target.text().strip() if w == way else "") for w in WAYS}
        return OptimaConnection(**values, database=self.database.text().strip() if way == "dsn" else "",
                                username=self.username.text().strip(), password=self.sql_password.text())

    def optima(self, base: OptimaSettings | None = None) -> OptimaSettings:
        """The Optima settings as typed, over ``base`` (default: as loaded)."""
        return replace(base or self._optima, warehouse=self.warehouse.text().strip(),
                       operator=self.operator.text().strip(), install_dir=self.install_dir.text().strip(),
                       config_connection=self.config_connection.text().strip(),
                       login_modules=module_codes(self.login_modules.text()))

    def store(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        settings.optima_connection = replace(self.connection(), password="")
        secrets[SQL_SECRET] = self.sql_password.text()
        settings.optima = self.optima(settings.optima)
        secrets[OPERATOR_SECRET] = self.operator_password.text()
        settings.optima_company = self.company.text().strip()

    def prepare_check(self) -> partial[CheckResult]:
        """The database check, and on the Windows PC that writes through COM the read-only probe
        of Optima's COM objects (``linkoptima optima-probe`` without ``--write``)."""
        login = None
        if com_check_possible(self._writer):
            login = OptimaLogin(self.operator_password.text(), self.company.text().strip(), self._online)
        return partial(check_optima, self.connection(), self.optima(), login=login,
                       note=com_check_unavailable(self._writer))

    def _choose_install_dir(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder, w którym zainstalowano Optimę"),
                                                  self.install_dir.text())
        if folder:
            self.install_dir.setText(folder)

    def field_widget(self, field: str) -> QWidget | None:
        return {"connection": self.target, "warehouse": self.warehouse, "operator": self.operator,
                "install_dir": self.install_dir, "config_connection": self.config_connection,
                "login_modules": self.login_modules}.get(field)
