"""The Furgonetka and DPD boxes of the "Połączenia" page: the accounts the shipping map may route
to beside the main carrier (``ShippingRule.carrier``). An account is in use once its client id and
login (Furgonetka), or login and FID (DPD), are filled in; empty: the carrier is not used.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QGroupBox, QLineEdit, QWidget

from ...core.config.app_settings import AppSettings, DPDAccount, FurgonetkaAccount
from ...core.config.carrier_checks import check_dpd, check_furgonetka
from ...core.config.connection_checks import CheckResult
from .widgets import CheckRow, SecretEdit, make_form

FURGONETKA_SECRET, FURGONETKA_PASSWORD = "furgonetka.client_secret", "furgonetka.password"
DPD_PASSWORD, DPD_PUDO_KEY = "dpd.password", "dpd.pudo_key"


class FurgonetkaBox(QGroupBox):
    """The Furgonetka account (OAuth2: the application's id and secret, the account's login)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Furgonetka"))
        self.base_url = QLineEdit(self)
        self.client_id = QLineEdit(self)
        self.client_id.setPlaceholderText(self.tr("puste: Furgonetka nieużywana"))
        self.client_secret = SecretEdit(self)
        self.username = QLineEdit(self)
        self.password = SecretEdit(self)
        self.cod_iban = QLineEdit(self)
        self.cod_iban.setPlaceholderText(self.tr("rachunek na wpłaty pobrań, np. PL61…"))
        self.check = CheckRow(self.prepare_check, self)
        form = make_form(self)
        form.addRow(self.tr("Adres API Furgonetki:"), self.base_url)
        form.addRow(self.tr("Identyfikator aplikacji (client id):"), self.client_id)
        form.addRow(self.tr("Klucz tajny aplikacji:"), self.client_secret)
        form.addRow(self.tr("Login konta:"), self.username)
        form.addRow(self.tr("Hasło konta:"), self.password)
        form.addRow(self.tr("Rachunek pobrań:"), self.cod_iban)
        form.addRow(self.check)

    def load(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        account = settings.furgonetka
        self.base_url.setText(account.base_url)
        self.client_id.setText(account.client_id)
        self.username.setText(account.username)
        self.cod_iban.setText(account.cod_iban)
        self.client_secret.setText(secrets.get(FURGONETKA_SECRET, ""))
        self.password.setText(secrets.get(FURGONETKA_PASSWORD, ""))

    def account(self) -> FurgonetkaAccount:
        return FurgonetkaAccount(base_url=self.base_url.text().strip(), client_id=self.client_id.text().strip(),
                                 username=self.username.text().strip(), cod_iban=self.cod_iban.text().strip())

    def store(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        settings.furgonetka = self.account()
        secrets[FURGONETKA_SECRET] = self.client_secret.text().strip()
        secrets[FURGONETKA_PASSWORD] = self.password.text()

    def prepare_check(self) -> partial[CheckResult]:
        return partial(check_furgonetka, self.account(), self.client_secret.text(), self.password.text())

    def field_widget(self, field: str) -> QWidget | None:
        return {"base_url": self.base_url, "client_id": self.client_id, "username": self.username,
                "client_secret": self.client_secret.edit, "cod_iban": self.cod_iban}.get(field)


class DPDBox(QGroupBox):
    """The DPD Polska account (DPDServices: login, password and the master FID)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("DPD Polska"))
        self.base_url = QLineEdit(self)
        self.login = QLineEdit(self)
        self.login.setPlaceholderText(self.tr("puste: DPD nieużywany"))
        self.password = SecretEdit(self)
        self.master_fid = QLineEdit(self)
        self.pudo_url = QLineEdit(self)
        self.pudo_key = SecretEdit(self)
        self.check = CheckRow(self.prepare_check, self)
        form = make_form(self)
        form.addRow(self.tr("Adres API DPD:"), self.base_url)
        form.addRow(self.tr("Login DPDServices:"), self.login)
        form.addRow(self.tr("Hasło DPDServices:"), self.password)
        form.addRow(self.tr("Numer FID (master):"), self.master_fid)
        form.addRow(self.tr("Adres API punktów DPD Pickup:"), self.pudo_url)
        form.addRow(self.tr("Klucz API punktów:"), self.pudo_key)
        form.addRow(self.check)

    def load(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        account = settings.dpd
        self.base_url.setText(account.base_url)
        self.login.setText(account.login)
        self.master_fid.setText(account.master_fid)
        self.pudo_url.setText(account.pudo_url)
        self.password.setText(secrets.get(DPD_PASSWORD, ""))
        self.pudo_key.setText(secrets.get(DPD_PUDO_KEY, ""))

    def account(self) -> DPDAccount:
        return DPDAccount(base_url=self.base_url.text().strip(), login=self.login.text().strip(),
                          master_fid=self.master_fid.text().strip(), pudo_url=self.pudo_url.text().strip())

    def store(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        settings.dpd = self.account()
        secrets[DPD_PASSWORD] = self.password.text()
        secrets[DPD_PUDO_KEY] = self.pudo_key.text().strip()

    def prepare_check(self) -> partial[CheckResult]:
        return partial(check_dpd, self.account(), self.password.text())

    def field_widget(self, field: str) -> QWidget | None:
        return {"base_url": self.base_url, "login": self.login, "password": self.password.edit,
                "master_fid": self.master_fid, "pudo_url": self.pudo_url}.get(field)
