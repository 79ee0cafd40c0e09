"""The "Testuj połączenie" of the Furgonetka and DPD accounts: a login, nothing bought.

Furgonetka: its OAuth2 token for the account (client id and secret, the user's login). DPD has no
call that only logs in, so the check asks for the label of a waybill that cannot exist: a 401 is
a wrong login, password or FID; the refusal of the unknown waybill means DPD took the login.
"""

from __future__ import annotations

from ..domain.order import Address
from ..errors import StepError
from ..shipping.builtin import SenderInfo
from ..shipping.dpd import DPDCarrier, DPDSettings
from ..shipping.furgonetka import FurgonetkaAuth
from .app_settings import DPDAccount, FurgonetkaAccount
from .connection_checks import DEFAULT_TIMEOUT, CheckResult, run_with_deadline
from .validation import is_http_url

#: a waybill DPD never gives (the check must not find anything real)
_NO_WAYBILL = "0000000000000"


def check_furgonetka(account: FurgonetkaAccount, client_secret: str, password: str,
                     timeout: float = DEFAULT_TIMEOUT) -> CheckResult:
    """Log in to Furgonetka (OAuth2, the password grant) with the account as typed."""
    if not is_http_url(account.base_url):
        return CheckResult(False, "Podaj adres API Furgonetki, np. https://api.furgonetka.pl.")
    if not (account.client_id.strip() and client_secret.strip() and account.username.strip() and password):
        return CheckResult(False, "Podaj identyfikator i klucz tajny aplikacji oraz login i hasło konta Furgonetki.")
    auth = FurgonetkaAuth(account.base_url.strip(), account.client_id.strip(), client_secret.strip(),
                          account.username.strip(), password, timeout=timeout)

    def login() -> CheckResult:
        try:
            auth.access_token()
        except StepError as exc:
            return CheckResult(False, exc.reason)
        return CheckResult(True, f"Zalogowano do Furgonetki jako {account.username.strip()}.")

    return run_with_deadline(login, timeout, "Furgonetka")


def check_dpd(account: DPDAccount, password: str, timeout: float = DEFAULT_TIMEOUT) -> CheckResult:
    """DPDServices takes the login, password and master FID as typed."""
    if not is_http_url(account.base_url):
        return CheckResult(False, "Podaj adres API DPD, np. https://dpdservices.dpd.com.pl.")
    if not (account.login.strip() and password and account.master_fid.strip()):
        return CheckResult(False, "Podaj login, hasło i numer FID konta DPD.")
    carrier = DPDCarrier(DPDSettings(base_url=account.base_url.strip(), login=account.login.strip(),
                                     password=password, master_fid=account.master_fid.strip(), timeout=timeout),
                         SenderInfo(name="", address=Address()))

    def login() -> CheckResult:
        try:
            carrier._post("generateSpedLabels", "sprawdzenie logowania", {
                "waybills": [_NO_WAYBILL], "outputDocFormat": "PDF", "format": "A4", "outputType": "BIC3",
                "payerFID": account.master_fid.strip()})
        except StepError as exc:
            if exc.code in ("carrier_auth", "carrier_unreachable"):
                return CheckResult(False, exc.reason)
        return CheckResult(True, f"DPD przyjął login {account.login.strip()} (FID {account.master_fid.strip()}).")

    return run_with_deadline(login, timeout, "DPD")
