"""The mail server and the carrier boxes of the "Połączenia" page.

The InPost fields stay visible but disabled while the built-in carrier is chosen: a person
switching carriers sees at once what InPost will need, and switching back keeps what was typed.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from PySide6.QtWidgets import QComboBox, QGroupBox, QLineEdit, QSpinBox, QWidget

from ...core.config.app_settings import AppSettings, InPostAccount
from ...core.config.connection_checks import CheckResult, check_carrier, check_smtp
from ...core.config.vocabulary import PRODUCTION_URL, SANDBOX_URL, SmtpSettings
from .widgets import CheckRow, SecretEdit, make_form

SMTP_SECRET = "smtp.password"
TOKEN_SECRET = "inpost.token"
#: the usual port of each security mode, filled in when the mode changes and the port was the old default
_DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}


class SmtpBox(QGroupBox):
    """The mail server invoices are sent through."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Poczta (SMTP)"))
        self.host = QLineEdit(self)
        self.host.setPlaceholderText(self.tr("smtp.twojadomena.pl"))
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.security = QComboBox(self)
        for code, label in (("starttls", self.tr("STARTTLS (zwykle port 587)")),
                            ("ssl", self.tr("SSL/TLS (zwykle port 465)")),
                            ("none", self.tr("bez szyfrowania"))):
            self.security.addItem(label, code)
        self.username = QLineEdit(self)
        self.password = SecretEdit(self)
        self.sender = QLineEdit(self)
        self.sender.setPlaceholderText(self.tr("sklep@twojadomena.pl"))
        self.reply_to = QLineEdit(self)
        self.bcc = QLineEdit(self)
        self.bcc.setPlaceholderText(self.tr("adresy po przecinku, np. archiwum@twojadomena.pl"))
        self.check = CheckRow(self.prepare_check, self)
        form = make_form(self)
        form.addRow(self.tr("Serwer:"), self.host)
        form.addRow(self.tr("Port:"), self.port)
        form.addRow(self.tr("Zabezpieczenie:"), self.security)
        form.addRow(self.tr("Login:"), self.username)
        form.addRow(self.tr("Hasło:"), self.password)
        form.addRow(self.tr("Nadawca:"), self.sender)
        form.addRow(self.tr("Odpowiedz do:"), self.reply_to)
        form.addRow(self.tr("Kopia ukryta (BCC):"), self.bcc)
        form.addRow(self.check)
        self._smtp = SmtpSettings(host="")
        self._security = "starttls"
        self.security.currentIndexChanged.connect(self._security_changed)

    def _security_changed(self) -> None:
        new = self.security.currentData()
        if self.port.value() == _DEFAULT_PORTS.get(self._security):
            self.port.setValue(_DEFAULT_PORTS[new])
        self._security = new

    def load(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        smtp = self._smtp = settings.smtp
        self.host.setText(smtp.host)
        self._security = smtp.security
        self.security.setCurrentIndex(max(0, self.security.findData(smtp.security)))
        self.port.setValue(smtp.port)
        self.username.setText(smtp.username)
        self.password.setText(secrets.get(SMTP_SECRET, ""))
        self.sender.setText(smtp.sender)
        self.reply_to.setText(smtp.reply_to)
        self.bcc.setText(", ".join(smtp.bcc))

    def current(self) -> SmtpSettings:
        """The server as typed (with the password: for the check only)."""
        bcc = tuple(a.strip() for a in self.bcc.text().replace(";", ",").split(",") if a.strip())
        return replace(self._smtp, host=self.host.text().strip(), port=self.port.value(),
                       security=self.security.currentData(), username=self.username.text().strip(),
                       password=self.password.text(), sender=self.sender.text().strip(),
                       reply_to=self.reply_to.text().strip(), bcc=bcc)

    def store(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        settings.smtp = replace(self.current(), password="")
        secrets[SMTP_SECRET] = self.password.text()

    def prepare_check(self) -> partial[CheckResult]:
        return partial(check_smtp, self.current())

    def field_widget(self, field: str) -> QWidget | None:
        return {"host": self.host, "port": self.port, "security": self.security, "sender": self.sender,
                "reply_to": self.reply_to, "bcc": self.bcc}.get(field)


class CarrierBox(QGroupBox):
    """Who makes the labels: the built-in carrier, or an InPost ShipX account."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Przewoźnik"))
        self.carrier = QComboBox(self)
        self.carrier.addItem(self.tr("Wbudowany (etykiety bez umowy z przewoźnikiem)"), "builtin")
        self.carrier.addItem(self.tr("InPost ShipX"), "inpost")
        self.base_url = QComboBox(self)
        self.base_url.setEditable(True)
        self.base_url.addItems([PRODUCTION_URL, SANDBOX_URL])
        self.organization_id = QLineEdit(self)
        self.token = SecretEdit(self)
        self.check = CheckRow(self.prepare_check, self)
        form = make_form(self)
        form.addRow(self.tr("Przewoźnik:"), self.carrier)
        form.addRow(self.tr("Adres API InPost:"), self.base_url)
        form.addRow(self.tr("Numer organizacji:"), self.organization_id)
        form.addRow(self.tr("Token API:"), self.token)
        form.addRow(self.check)
        self.carrier.currentIndexChanged.connect(self._carrier_changed)
        self._carrier_changed()

    def _carrier_changed(self) -> None:
        inpost = self.carrier.currentData() == "inpost"
        for widget in (self.base_url, self.organization_id, self.token):
            widget.setEnabled(inpost)
        self.check.clear()

    def load(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        self.carrier.setCurrentIndex(max(0, self.carrier.findData(settings.carrier)))
        self.base_url.setCurrentText(settings.inpost.base_url)
        self.organization_id.setText(settings.inpost.organization_id)
        self.token.setText(secrets.get(TOKEN_SECRET, ""))

    def account(self) -> InPostAccount:
        return InPostAccount(base_url=self.base_url.currentText().strip(),
                             organization_id=self.organization_id.text().strip())

    def store(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        settings.carrier = self.carrier.currentData()
        account = self.account()
        settings.inpost = replace(settings.inpost, base_url=account.base_url, organization_id=account.organization_id)
        secrets[TOKEN_SECRET] = self.token.text().strip()

    def prepare_check(self) -> partial[CheckResult]:
        return partial(check_carrier, self.carrier.currentData(), self.account(), self.token.text())

    def field_widget(self, field: str) -> QWidget | None:
        return {"base_url": self.base_url, "organization_id": self.organization_id,
                "token": self.token.edit}.get(field)
