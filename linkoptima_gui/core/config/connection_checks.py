"""The "Testuj połączenie" checks of the settings screen, without Qt (the headless engine can
run them before it starts, too).

Each check takes the settings as typed (not yet saved), talks once to the real system in a way
that changes nothing there (reads one order, logs in to the mail server without sending, opens
and closes a printer's port, reads Optima's warehouse list) and returns a ``CheckResult``: ok or
not, and one sentence of plain Polish. A check never raises: for the person at the button "it
failed, and here is why" is the answer, not an error.

The Optima check reads the company database and, on the Windows computer next to Optima when
the settings write through COM, also logs in and runs the read-only part of ``linkoptima
optima-probe`` (``core/optima/probe``): every COM name the writer uses, and the master data the
settings name, as Optima's objects see them.

Every check has a deadline. The libraries' own timeouts bound each network wait, and an outer
deadline bounds the whole check, because a DNS lookup or an ODBC driver's login does not always
honour them. A check that overruns is reported as such and left to finish on its daemon thread.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from ..documents.mailer import SmtpMailer, SmtpSettings
from ..errors import StepError
from ..optima.connect import OptimaConnection, engine_url, reader_engine
from ..optima.schema import DokDefinicje, Magazyny
from ..optima.settings import OptimaSettings
from ..printing.factory import open_printer
from ..shipping.inpost import InPostSettings, InPostShipX
from ..woo.check import check_shop_connection
from ..woo.settings import ShopSettings
from .app_settings import InPostAccount
from .validation import is_http_url

log = logging.getLogger(__name__)

#: seconds a check of a remote system may take (each wait, and the whole check)
DEFAULT_TIMEOUT = 10.0
#: the shop check's reads (orders, products, system status, totals…) that the deadline allows for
SHOP_CHECK_READS = 4
#: a printer answers at once or is off: the packer's "offline within 3 s" (README)
PRINTER_TIMEOUT = 3.0
#: added to the outer deadline so the inner timeouts, with their clearer messages, fire first
_GRACE = 2.0

#: Optima's document classes (``DDf_Klasa``) of the definitions the writer uses
_INVOICE_CLASS, _WZ_CLASS, _KP_CLASS = 302, 306, 202
#: the COM part of the Optima check logs in and asks for some sixty names: slower than a network read
COM_TIMEOUT = 90.0


@dataclass(frozen=True)
class OptimaLogin:
    """What the COM part of the Optima check logs in with (the operator is in ``OptimaSettings``).
    ``options`` go to ``OptimaComSession`` (the tests give it a fake Optima)."""

    password: str
    company: str
    online_methods: tuple[str, ...]
    options: Mapping[str, Any] = field(default_factory=dict)


def com_check_possible(optima_writer: str) -> bool:
    """Whether this computer can run the COM part: Windows, and the settings write through COM."""
    return sys.platform == "win32" and optima_writer == "com"


def com_check_unavailable(optima_writer: str) -> str:
    """What the Optima check says when the settings write through COM but this computer cannot log
    in (not Windows): "" when there is nothing to say."""
    if optima_writer != "com" or com_check_possible(optima_writer):
        return ""
    return ("Logowania do Optimy przez COM nie sprawdzono: API COM Optimy działa tylko w Windows, na komputerze "
            "z zainstalowaną Optimą. Tam ten przycisk loguje się jako operator do firmy i wylogowuje, niczego "
            "nie zapisując.")


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check: ``message`` is shown as it is, next to the button; ``statuses``
    (the shop check) are the order statuses the shop knows, offered where statuses are chosen."""

    ok: bool
    message: str
    statuses: tuple[str, ...] = ()


def _failure(exc: BaseException) -> CheckResult:
    """An unexpected exception as a failed check (the project's errors carry Polish reasons)."""
    if isinstance(exc, StepError):
        return CheckResult(False, exc.reason)
    if isinstance(exc, ValueError):
        return CheckResult(False, str(exc))
    log.warning("connection check failed unexpectedly", exc_info=exc)
    return CheckResult(False, f"Nieoczekiwany błąd ({type(exc).__name__}): {exc}")


def run_with_deadline(check: Callable[[], CheckResult], timeout: float, what: str,
                      grace: float = _GRACE) -> CheckResult:
    """``check()`` on a daemon thread, waited for at most ``timeout`` + ``grace``."""
    box: list[CheckResult] = []

    def run() -> None:
        try:
            box.append(check())
        except Exception as exc:  # a check is an answer, never a traceback
            box.append(_failure(exc))

    thread = threading.Thread(target=run, name=f"check-{what}", daemon=True)
    thread.start()
    thread.join(timeout + grace)
    if not box:
        return CheckResult(False, f"{what} nie odpowiada w ciągu {timeout:g} s: sprawdź adres i połączenie "
                                  "z siecią.")
    return box[0]


# -- the shop -------------------------------------------------------------------------------------


def check_shop(settings: ShopSettings, timeout: float = DEFAULT_TIMEOUT) -> CheckResult:
    """Reach the shop with the given keys and read its orders (``core/woo/check.py``)."""
    if not is_http_url(settings.url):
        return CheckResult(False, "Podaj adres sklepu, np. https://sklep.pl.")
    if not settings.consumer_key.strip() or not settings.consumer_secret.strip():
        return CheckResult(False, "Podaj klucz klienta (consumer key) i klucz tajny (consumer secret) "
                                  "z WooCommerce → Ustawienia → Zaawansowane → REST API.")
    # several reads, each with its own timeout: a slow shop that answers them all is not "silent"
    return run_with_deadline(lambda: _shop(settings, timeout), SHOP_CHECK_READS * timeout, "Sklep")


def _shop(settings: ShopSettings, timeout: float) -> CheckResult:
    """The shop check ``linkoptima woo-check`` runs (one set of Polish reasons for both)."""
    result = check_shop_connection(settings, timeout=timeout)
    return CheckResult(result.ok, result.message, tuple(result.order_statuses or ()))


# -- the mail server -------------------------------------------------------------------------------


def check_smtp(settings: SmtpSettings, timeout: float = DEFAULT_TIMEOUT) -> CheckResult:
    """Connect, secure (STARTTLS / TLS) and log in, then quit without sending anything."""
    if not settings.host.strip():
        return CheckResult(False, "Podaj adres serwera poczty (np. smtp.twojadomena.pl).")
    return run_with_deadline(lambda: _smtp(settings, timeout), timeout, "Serwer poczty")


def _smtp(settings: SmtpSettings, timeout: float) -> CheckResult:
    where = f"{settings.host}:{settings.port}"
    try:
        SmtpMailer(replace(settings, timeout=timeout)).verify()
    except StepError as exc:
        if exc.code == "smtp_unreachable":
            return CheckResult(False, f"Serwer poczty {where} jest nieosiągalny ({exc.details.get('error', '')}): "
                                      "sprawdź adres, port i zaporę sieciową.")
        return CheckResult(False, exc.reason)
    security = {"none": "bez szyfrowania", "starttls": "STARTTLS", "ssl": "SSL/TLS"}[settings.security]
    login = f", zalogowano jako {settings.username}" if settings.username else ""
    return CheckResult(True, f"Połączono z serwerem poczty {where} ({security}{login}).")


# -- the Optima database ----------------------------------------------------------------------------


def check_optima(connection: OptimaConnection, settings: OptimaSettings,
                 timeout: float = DEFAULT_TIMEOUT, *, login: OptimaLogin | None = None, note: str = "") -> CheckResult:
    """Connect read-only and look for the warehouse and the document definitions the writer uses;
    with ``login``, then probe Optima's COM objects read-only (``core/optima/probe``). ``note``
    follows the database's answer (``com_check_unavailable``: why the COM login was not tried)."""
    result = _check_optima(connection, settings, timeout, login)
    return replace(result, message=f"{result.message} {note}") if note else result


def _check_optima(connection: OptimaConnection, settings: OptimaSettings, timeout: float,
                  login: OptimaLogin | None) -> CheckResult:
    try:
        url = engine_url(connection)
    except StepError as exc:
        return CheckResult(False, exc.reason)
    if url.get_backend_name() == "sqlite":
        path = url.database or ""
        if path and path != ":memory:" and not Path(path).is_file():
            return CheckResult(False, f"Nie ma pliku bazy Optimy {path}.")
    database = run_with_deadline(lambda: _optima(url, settings, timeout), timeout, "Baza Optimy")
    if login is None or not database.ok:
        return database
    if not login.company.strip():
        return CheckResult(False, f"{database.message} Podaj firmę Optimy, do której loguje się zapis COM.")
    probed = run_with_deadline(lambda: _optima_com(url, settings, login, timeout), COM_TIMEOUT, "Optima (COM)")
    return CheckResult(probed.ok, f"{database.message} {probed.message}")


def _optima_com(url: URL, settings: OptimaSettings, login: OptimaLogin, timeout: float) -> CheckResult:
    """The read-only part of ``linkoptima optima-probe``: log in, ask for the names, read the master data."""
    from ..optima.com_session import OptimaComSession
    from ..optima.probe import run_probe
    from ..optima.reader import SqlOptimaReader

    engine = reader_engine(url, connect_args=_connect_args(url, timeout))
    try:
        session = OptimaComSession.from_settings(settings, password=login.password, company=login.company,
                                                 **login.options)
        report = run_probe(session, SqlOptimaReader(engine, settings), settings, company=login.company,
                           online_methods=login.online_methods)
    finally:
        engine.dispose()
    return CheckResult(report.ok, report.short())


def _connect_args(url: URL, timeout: float) -> dict[str, Any]:
    """Each driver's own connect (login) timeout."""
    backend = url.get_backend_name()
    if backend == "mssql":
        return {"timeout": max(1, int(timeout))}  # pyodbc's login timeout
    if backend == "postgresql":
        return {"connect_timeout": max(1, int(timeout))}
    if backend == "sqlite":
        return {"timeout": timeout}  # the busy timeout
    return {}


def _optima(url: URL, settings: OptimaSettings, timeout: float) -> CheckResult:
    engine = reader_engine(url, connect_args=_connect_args(url, timeout))
    try:
        with engine.connect() as conn:
            warehouses = {row.Mag_Symbol: row.Mag_Nazwa
                          for row in conn.execute(select(Magazyny.c.Mag_Symbol, Magazyny.c.Mag_Nazwa))}
            definitions = {(row.DDf_Symbol, row.DDf_Klasa)
                           for row in conn.execute(select(DokDefinicje.c.DDf_Symbol, DokDefinicje.c.DDf_Klasa))}
    except SQLAlchemyError as exc:
        return CheckResult(False, _database_problem(exc))
    finally:
        engine.dispose()
    if settings.warehouse not in warehouses:
        known = ", ".join(sorted(warehouses)) or "żadnego"
        return CheckResult(False, f"Połączono z bazą Optimy, ale nie ma w niej magazynu „{settings.warehouse}” "
                                  f"(są: {known}).")
    wanted = ((settings.invoice_definition, _INVOICE_CLASS, "faktury"), (settings.wz_definition, _WZ_CLASS, "WZ"),
              (settings.kp_definition, _KP_CLASS, "KP"))
    missing = [f"{symbol} ({what})" for symbol, klasa, what in wanted if (symbol, klasa) not in definitions]
    if missing:
        return CheckResult(False, "Połączono z bazą Optimy, ale brakuje definicji dokumentów: "
                                  f"{', '.join(missing)}.")
    return CheckResult(True, f"Połączono z bazą Optimy: magazyn {settings.warehouse} "
                             f"({warehouses[settings.warehouse]}), definicje dokumentów "
                             f"{settings.invoice_definition}, {settings.wz_definition}, {settings.kp_definition}.")


def _database_problem(exc: SQLAlchemyError) -> str:
    original = getattr(exc, "orig", None) or exc
    text = " ".join(str(original).split())[:300]
    if "Magazyny" in text or "DokDefinicje" in text:
        return ("Połączono, ale to nie jest baza firmy Optimy (brak tabel CDN.Magazyny / CDN.DokDefinicje): "
                "wskaż bazę firmy, np. CDN_Firma.")
    return f"Nie można połączyć się z bazą Optimy: {text}"


# -- the carrier -----------------------------------------------------------------------------------


def check_carrier(carrier: str, account: InPostAccount, token: str,
                  timeout: float = DEFAULT_TIMEOUT) -> CheckResult:
    """The built-in carrier needs nothing; InPost ShipX: read the organization with the token."""
    if carrier != "inpost":
        return CheckResult(True, "Wbudowany przewoźnik nie łączy się z nikim: etykiety tworzy LinkOptima.")
    if not is_http_url(account.base_url):
        return CheckResult(False, "Podaj adres API InPost, np. https://api-shipx-pl.easypack24.net.")
    if not account.organization_id.strip() or not token.strip():
        return CheckResult(False, "Podaj numer organizacji i token API InPost ShipX.")
    settings = InPostSettings(base_url=account.base_url.strip(), token=token.strip(),
                              organization_id=account.organization_id.strip(), timeout=timeout)
    return run_with_deadline(lambda: _inpost(settings), timeout, "InPost")


def _inpost(settings: InPostSettings) -> CheckResult:
    try:
        name = InPostShipX(settings).check_connection()
    except StepError as exc:
        if exc.code == "carrier_unreachable":
            return CheckResult(False, f"Brak połączenia z InPost pod adresem {settings.base_url}: sprawdź adres "
                                      "i połączenie z siecią.")
        return CheckResult(False, exc.reason)
    return CheckResult(True, f"Połączono z InPost ShipX: organizacja „{name}” (nr {settings.organization_id}).")


# -- printers -------------------------------------------------------------------------------------


def check_printer(url: str, timeout: float = PRINTER_TIMEOUT) -> CheckResult:
    """Open the printer's address without printing anything (each back end's ``probe``)."""
    if not url.strip():
        return CheckResult(False, "Podaj adres drukarki.")
    try:
        printer = open_printer(url)
    except ValueError as exc:
        return CheckResult(False, str(exc))
    probe: Callable[[], str] | None = getattr(printer, "probe", None)
    if probe is None:
        return CheckResult(True, "Adres drukarki jest poprawny; tej drukarki nie da się sprawdzić bez wydruku.")
    return run_with_deadline(lambda: CheckResult(True, probe()), timeout, "Drukarka")
