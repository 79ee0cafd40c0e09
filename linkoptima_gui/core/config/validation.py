"""What is wrong with settings before they are saved, each problem said in Polish.

Why a separate pass instead of checks in the dataclasses: a person fills the screen in any
order and wants every mistake at once, each next to its field, rather than the first
exception. The rules only say what cannot work (a printer URL the factory refuses, a mail
server without a host); whether a working-looking value really connects is the job of
``connection_checks``.

A connection section left completely empty is not an error (a packing-only station has no mail
server to configure), but one filled in part must be complete.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import getaddresses, parseaddr
from pathlib import Path
from urllib.parse import urlsplit

from ..engine.parcel_weight import UNIT_KG
from ..optima.connect import OptimaConnectionError, engine_url
from ..printing.factory import open_printer
from ..shipping.catalogue import CARRIERS, carrier_title, rule_problem
from ..store.location import StoreError
from ..store.location import parse as parse_store_url
from ..woo.settings import STATUS_EVENTS, UNWRITABLE_STATUSES, ShopSettings
from .app_settings import PARCEL_SIZES, AppSettings
from .sections import SMTP_SECURITY

#: the length of Optima's operator code column (``Ope_Kod`` varchar(20))
OPERATOR_LENGTH = 20


@dataclass(frozen=True)
class Problem:
    """One mistake: the section (screen page) and field it is in, and what to do about it."""

    section: str
    field: str
    message: str


def is_http_url(text: str) -> bool:
    parts = urlsplit(text.strip())
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def is_email(text: str) -> bool:
    address = parseaddr(text)[1]
    local, _, domain = address.rpartition("@")
    return bool(local) and "." in domain and not domain.startswith(".") and not domain.endswith(".")


def validate(settings: AppSettings, secrets: Mapping[str, str]) -> list[Problem]:
    """Every problem found, in the order the screen shows its pages."""
    return [
        *_shop(settings, secrets),
        *_optima(settings),
        *_smtp(settings, secrets),
        *_carrier(settings, secrets),
        *_accounts(settings, secrets),
        *_stations(settings),
        *_store(settings),
        *_shipping(settings),
        *_payments(settings),
    ]


def _shop(settings: AppSettings, secrets: Mapping[str, str]) -> list[Problem]:
    shop = settings.shop
    if not (shop.url or shop.consumer_key or secrets.get("shop.consumer_secret")):
        return []
    problems = []
    if not is_http_url(shop.url):
        problems.append(Problem("shop", "url", "Adres sklepu musi zaczynać się od https:// (lub http://) "
                                               "i zawierać nazwę serwera, np. https://sklep.pl."))
    if not shop.consumer_key.strip():
        problems.append(Problem("shop", "consumer_key", "Podaj klucz klienta API sklepu (consumer key, ck_…)."))
    problems += _status_map(shop)
    return problems


def _status_map(shop: ShopSettings) -> list[Problem]:
    """A status the console writes must be one the REST API takes and not one that ends an order."""
    problems = []
    for event in STATUS_EVENTS:
        status = shop.status_for(event)
        if status.startswith("wc-"):
            problems.append(Problem("fields", f"status_{event}", (
                f"Podaj status bez przedrostka „wc-” (API sklepu przyjmuje „{status[3:]}”, nie „{status}”).")))
        elif status in UNWRITABLE_STATUSES:
            problems.append(Problem("fields", f"status_{event}", (
                f"Status „{status}” to zamówienie anulowane, nieudane albo szkic: LinkOptima go nie ustawia.")))
        elif status and (status != status.lower() or any(c.isspace() for c in status)):
            problems.append(Problem("fields", f"status_{event}", (
                f"Status „{status}” to nie identyfikator statusu (małe litery, bez spacji, np. completed).")))
    return problems


def _optima(settings: AppSettings) -> list[Problem]:
    problems = []
    connection = settings.optima_connection
    if connection.url.strip() or connection.dsn.strip() or connection.connection_string.strip():
        try:
            engine_url(connection)
        except OptimaConnectionError as exc:
            problems.append(Problem("optima", "connection", exc.reason))
    if not settings.optima.warehouse.strip():
        problems.append(Problem("optima", "warehouse", "Podaj symbol magazynu Optimy, z którego wydawany "
                                                       "jest towar (np. MAGAZYN)."))
    operator = settings.optima.operator.strip()
    if not operator:
        problems.append(Problem("optima", "operator", "Podaj kod operatora Optimy, jako który LinkOptima "
                                                      "zapisuje dokumenty."))
    elif len(operator) > OPERATOR_LENGTH:
        problems.append(Problem("optima", "operator", f"Kod operatora Optimy może mieć najwyżej "
                                                      f"{OPERATOR_LENGTH} znaków."))
    return problems + _com_login(settings)


def _com_login(settings: AppSettings) -> list[Problem]:
    """The COM login's folder, configuration database and modules (``OptimaComSession.from_settings``)."""
    from ..optima.com_session import module_flags

    optima, problems = settings.optima, []
    try:
        module_flags(optima.login_modules)
    except ValueError as exc:
        problems.append(Problem("optima", "login_modules", str(exc)))
    folder = optima.install_dir.strip()
    # the folder is on the Windows PC next to Optima: only there can it be looked for
    if folder and sys.platform == "win32" and not Path(folder).is_dir():
        problems.append(Problem("optima", "install_dir", f"Nie ma folderu Optimy {folder}: wskaż folder, w którym "
                                                         "zainstalowano Comarch ERP Optima."))
    config = optima.config_connection.strip()
    if config and not config.upper().startswith("NET:"):
        problems.append(Problem("optima", "config_connection", (
            "Bazę konfiguracyjną Optimy podaje się jak NET:CDN_KNF_Konfiguracja,SERWER\\INSTANCJA,NT=0 "
            "(puste: z ustawień Optimy tego użytkownika Windows).")))
    return problems


def _smtp(settings: AppSettings, secrets: Mapping[str, str]) -> list[Problem]:
    smtp = settings.smtp
    if not (smtp.host or smtp.username or smtp.sender or smtp.reply_to or smtp.bcc or secrets.get("smtp.password")):
        return []
    problems = []
    if not smtp.host.strip():
        problems.append(Problem("smtp", "host", "Podaj adres serwera poczty (np. smtp.twojadomena.pl)."))
    elif any(c.isspace() for c in smtp.host.strip()) or "/" in smtp.host:
        problems.append(Problem("smtp", "host", "Adres serwera poczty to sama nazwa, bez spacji i ukośników "
                                                "(np. smtp.twojadomena.pl)."))
    if not 1 <= smtp.port <= 65535:
        problems.append(Problem("smtp", "port", "Port serwera poczty musi być liczbą od 1 do 65535."))
    if smtp.security not in SMTP_SECURITY:
        problems.append(Problem("smtp", "security", "Wybierz zabezpieczenie połączenia z serwerem poczty."))
    if not is_email(smtp.sender):
        problems.append(Problem("smtp", "sender", "Podaj poprawny adres nadawcy e-maili (np. sklep@twojadomena.pl)."))
    if smtp.reply_to and not is_email(smtp.reply_to):
        problems.append(Problem("smtp", "reply_to", "Adres „odpowiedz do” nie jest poprawnym adresem e-mail."))
    bad = [a for a in smtp.bcc if not is_email(a) or len(getaddresses([a])) != 1]
    if bad:
        problems.append(Problem("smtp", "bcc", f"Niepoprawne adresy w kopii ukrytej: {', '.join(bad)}."))
    return problems


def _carrier(settings: AppSettings, secrets: Mapping[str, str]) -> list[Problem]:
    if settings.carrier != "inpost":
        return []
    problems = []
    if not is_http_url(settings.inpost.base_url):
        problems.append(Problem("carrier", "base_url", "Adres API InPost musi zaczynać się od https://, "
                                                       "np. https://api-shipx-pl.easypack24.net."))
    if not settings.inpost.organization_id.strip().isdigit():
        problems.append(Problem("carrier", "organization_id", "Podaj numer organizacji InPost (same cyfry, "
                                                              "z Managera Paczek → Moje konto → API)."))
    if not secrets.get("inpost.token", "").strip():
        problems.append(Problem("carrier", "token", "Podaj token API InPost ShipX."))
    return problems


def _accounts(settings: AppSettings, secrets: Mapping[str, str]) -> list[Problem]:
    """Furgonetka's and DPD's accounts, when filled in: their secrets too."""
    return [Problem(section, field, text) for section, field, text in account_problems(settings, secrets)]


def account_problems(settings: AppSettings, secrets: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(section, field, Polish sentence) for each half-filled Furgonetka or DPD account."""
    problems = []
    if settings.furgonetka.filled_in():
        if not is_http_url(settings.furgonetka.base_url):
            problems.append(("furgonetka", "base_url", "Adres API Furgonetki musi zaczynać się od https://, "
                                                       "np. https://api.furgonetka.pl."))
        if not (secrets.get("furgonetka.client_secret") or "").strip() or not secrets.get("furgonetka.password"):
            problems.append(("furgonetka", "client_secret", "Podaj klucz tajny aplikacji (client secret) i hasło "
                                                            "do konta Furgonetki."))
    if settings.dpd.filled_in():
        if not is_http_url(settings.dpd.base_url):
            problems.append(("dpd", "base_url", "Adres API DPD musi zaczynać się od https://, "
                                                "np. https://dpdservices.dpd.com.pl."))
        if not secrets.get("dpd.password"):
            problems.append(("dpd", "password", "Podaj hasło do DPDServices (DPD Polska)."))
    return problems


def _stations(settings: AppSettings) -> list[Problem]:
    problems = []
    if not settings.stations:
        problems.append(Problem("stations", "stations", "Dodaj co najmniej jedno stanowisko pakowania."))
    for name, station in settings.stations.items():
        if not name.strip():
            problems.append(Problem("stations", "name", "Każde stanowisko musi mieć nazwę."))
        for attribute, what in (("label_printer", "etykiet"), ("invoice_printer", "dokumentów")):
            url = getattr(station, attribute).strip()
            if not url:
                continue
            try:
                open_printer(url)
            except ValueError as exc:
                problems.append(Problem("stations", f"{name}.{attribute}",
                                        f"Stanowisko {name}, drukarka {what}: {exc}"))
    return problems


def _store(settings: AppSettings) -> list[Problem]:
    """This computer's station name and the shared store's URL (empty: the SQLite file)."""
    problems = []
    if not settings.station.strip():
        problems.append(Problem("stations", "station", "Podaj nazwę tego stanowiska (np. stanowisko-1)."))
    elif len(settings.station) > 64:
        problems.append(Problem("stations", "station", "Nazwa stanowiska może mieć najwyżej 64 znaki."))
    if settings.store_url.strip():
        try:
            parse_store_url(settings.store_url)
        except StoreError as exc:
            problems.append(Problem("stations", "store_url", str(exc)))
    return problems


def _shipping(settings: AppSettings) -> list[Problem]:
    problems = []
    if settings.shop_weight_unit not in UNIT_KG:
        problems.append(Problem("shipping", "shop_weight_unit", f"Nieznana jednostka wagi sklepu "
                                                                f"„{settings.shop_weight_unit}” (kg, g, lbs, oz)."))
    if not 0 <= settings.packaging_kg <= 10:
        problems.append(Problem("shipping", "packaging_kg", "Waga opakowania: od 0 do 10 kg."))
    if not 0 < settings.unknown_item_kg <= 50:
        problems.append(Problem("shipping", "unknown_item_kg", "Waga towaru bez wagi: od 0,01 do 50 kg."))
    accounts = configured_carriers(settings)
    for method, rule in settings.shipping_rules.items():
        if not method.strip():
            problems.append(Problem("shipping", "method", "Każda reguła wysyłki musi mieć identyfikator "
                                                          "metody wysyłki ze sklepu."))
        if not rule.service.strip():
            problems.append(Problem("shipping", method, f"Metoda wysyłki {method}: wybierz usługę przewoźnika."))
        elif wrong := rule_problem(method, rule.carrier, rule.service, rule.carrier_service, settings.carrier):
            problems.append(Problem("shipping", method, wrong))
        elif rule.carrier and rule.carrier not in accounts:
            problems.append(Problem("shipping", method, f"Metoda wysyłki {method}: przewoźnik "
                                                        f"{carrier_title(rule.carrier)} nie ma konta w tej instalacji "
                                                        "(przewoźnik w Połączeniach); zostaw pole puste albo wybierz "
                                                        f"{carrier_title(settings.carrier)}."))
        if rule.parcel_size not in PARCEL_SIZES:
            problems.append(Problem("shipping", method, f"Metoda wysyłki {method}: nieznany gabaryt "
                                                        f"{rule.parcel_size!r}."))
    return problems


def configured_carriers(settings: AppSettings) -> frozenset[str]:
    """The carriers this installation has an account for (the demo's mix has every one)."""
    if settings.carrier == "mixed":
        return frozenset(CARRIERS)
    accounts = {settings.carrier}
    if settings.furgonetka.filled_in():
        accounts.add("furgonetka")
    if settings.dpd.filled_in():
        accounts.add("dpd")
    return frozenset(accounts)


def _payments(settings: AppSettings) -> list[Problem]:
    problems = []
    for method, route in settings.optima.payment_routes.items():
        if not method.strip() or not route.form.strip():
            problems.append(Problem("payments", method or "method",
                                    f"Metoda płatności {method or '(bez nazwy)'}: podaj identyfikator metody "
                                    "i formę płatności w Optimie."))
    both = set(settings.shop.online_gateways) & set(settings.shop.cod_methods)
    if both:
        problems.append(Problem("payments", "cod_methods", "Metoda płatności nie może być jednocześnie "
                                                           f"online i za pobraniem: {', '.join(sorted(both))}."))
    return problems
