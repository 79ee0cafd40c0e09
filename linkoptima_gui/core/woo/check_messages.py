"""The connection check's failures in plain Polish, each saying what to change.

Kept apart from the check's flow because this is where the knowledge of how shops fail lives
(woocommerce.md §1.2, §8): over plain http only an OAuth signature is accepted and it covers the
exact URL, so a "www" or "https" difference looks like a bad key; over https a server that strips
the ``Authorization`` header looks like no key at all; a WordPress without pretty permalinks has
no ``/wp-json/``; a plugin printing warnings breaks the JSON. Each function returns a short machine
code (for the JSON line) and the sentence for the person.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import requests

from ..errors import StepError
from .settings import ShopSettings

_KEYS_PLACE = "WooCommerce → Ustawienia → Zaawansowane → REST API"
_PERMALINKS = "jeśli to WordPress, włącz przyjazne odnośniki (Ustawienia → Bezpośrednie odnośniki)"


def count_phrase(count: int | None, one: str, few: str, many: str) -> str:
    """``5 zamówień``, ``2 zamówienia``, ``1 zamówienie``; "" for an unknown count."""
    if count is None:
        return ""
    if count == 1:
        return f"1 {one}"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return f"{count} {few}"
    return f"{count} {many}"


def url_problem(url: str) -> str | None:
    """What is wrong with the address as typed, before anything is sent."""
    text = (url or "").strip()
    if not text:
        return "Podaj adres sklepu, np. https://sklep.pl."
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "Adres sklepu musi zaczynać się od https:// (albo http://), np. https://sklep.pl."
    if parts.query or parts.fragment:
        return "Adres sklepu nie może zawierać „?” ani „#”: podaj sam adres, np. https://sklep.pl."
    if "/wp-json" in parts.path:
        base = f"{parts.scheme}://{parts.netloc}{parts.path.split('/wp-json')[0]}"
        return f"Podaj adres sklepu bez „/wp-json…”, konsola dopisuje go sama: {base}."
    return None


def redirect_problem(url: str, location: str) -> str | None:
    """A redirect to another address of the shop; None when it stays on the same one (e.g. only
    a trailing slash)."""
    own = urlsplit(url)
    target = urlsplit(location)
    scheme, netloc = target.scheme or own.scheme, target.netloc or own.netloc
    base = f"{scheme}://{netloc}{target.path.split('/wp-json')[0]}".rstrip("/")
    if base == url.rstrip("/") or not location:
        return None
    return (f"Sklep przekierowuje z {url} na {base}: wpisz w ustawieniach adres {base} (podpis i klucze "
            "obejmują dokładny adres, więc przez przekierowanie nie zadziałają).")


def connection_failure(exc: requests.RequestException, url: str, timeout: float) -> tuple[str, str]:
    """No answer at all: timeout, a name that does not resolve, a refused or dropped connection."""
    parts = urlsplit(url)
    host = parts.hostname or url
    port = parts.port or (443 if parts.scheme == "https" else 80)
    text = str(exc)
    if isinstance(exc, requests.Timeout):
        return "timeout", f"Sklep nie odpowiedział w ciągu {timeout:g} s: sprawdź adres ({url}) i połączenie z siecią."
    if not isinstance(exc, requests.ConnectionError):
        return "url", f"Niepoprawny adres sklepu ({type(exc).__name__}): {url}."
    if any(s in text for s in ("NameResolutionError", "Failed to resolve", "Name or service not known",
                               "nodename nor servname", "getaddrinfo failed")):
        return "dns", f"Nie znaleziono serwera „{host}”: sprawdź adres sklepu."
    if "refused" in text.lower():
        return "connection_refused", (f"Serwer {host}:{port} odmówił połączenia: sprawdź adres i port "
                                      "(https:// czy http://).")
    if parts.scheme == "http" and any(s in text for s in ("RemoteDisconnected", "reset", "aborted")):
        return "unreachable", (f"Serwer {host}:{port} zerwał połączenie bez odpowiedzi: może sklep działa tylko "
                               "przez https://? Spróbuj adresu zaczynającego się od https://.")
    return "unreachable", f"Brak połączenia ze sklepem {host}:{port} ({type(exc).__name__}): sprawdź adres i sieć."


def refusal(exc: StepError, settings: ShopSettings) -> tuple[str, str]:
    """The orders call failed: why, and what to change."""
    status = exc.details.get("status")
    if exc.code == "shop_tls":
        return "tls", exc.reason
    if exc.code == "shop_unreachable" and status is None:
        cause = exc.__cause__
        if isinstance(cause, requests.RequestException):
            return connection_failure(cause, settings.url, settings.timeout)
        return "unreachable", f"{exc.reason} Sprawdź adres sklepu ({settings.url}) i połączenie z siecią."
    if exc.code == "shop_bad_json":
        return "not_woocommerce", ("Pod tym adresem odpowiada strona, która nie jest API WooCommerce (odpowiedź nie "
                                   f"jest JSON-em): sprawdź adres sklepu; {_PERMALINKS}. Jeśli adres jest dobry, "
                                   "wtyczka lub motyw dopisuje coś do odpowiedzi API.")
    if status == 401:
        return "auth", _unauthorised(exc, settings)
    if status == 403:
        return "forbidden", ("Klucze API nie mają prawa odczytu zamówień (403): nadaj im uprawnienia „Odczyt” lub "
                             f"„Odczyt/zapis” w {_KEYS_PLACE}.")
    if status == 404:
        if exc.details.get("shop_code") == "rest_no_route":
            return "not_woocommerce", (f"Pod adresem {settings.url} nie ma API WooCommerce (404): sprawdź adres "
                                       "sklepu (bez dopisków w ścieżce) i czy wtyczka WooCommerce jest włączona.")
        return "not_woocommerce", f"Pod adresem {settings.url} nie ma API WordPressa (404): sprawdź adres; {_PERMALINKS}."
    if status is not None and (status == 429 or status >= 500):
        return "server_error", (f"Serwer sklepu odpowiada błędem {status}: spróbuj za chwilę; jeśli się powtarza, "
                                "sprawdź logi serwera i zaporę (WAF).")
    return "refused", exc.reason


def _unauthorised(exc: StepError, settings: ShopSettings) -> str:
    said = exc.reason.split(":", 1)[-1].strip()
    lowered = said.lower()
    https = settings.url.startswith("https://")
    if "consumer key is invalid" in lowered:
        return f"Sklep nie zna tego klucza klienta (consumer key, 401): skopiuj go jeszcze raz z {_KEYS_PLACE}."
    if "consumer secret is invalid" in lowered:
        return f"Zły klucz tajny (consumer secret, 401): skopiuj go jeszcze raz z {_KEYS_PLACE}."
    if "signature" in lowered:
        return ("Sklep odrzucił podpis żądania (401): zły klucz tajny (consumer secret) albo adres różni się od "
                "adresu sklepu w WordPressie (www, http/https, port). Wpisz adres dokładnie taki jak w WordPress → "
                "Ustawienia → Ogólne.")
    if "timestamp" in lowered:
        return ("Sklep odrzucił znacznik czasu żądania (401): zegar tego komputera albo serwera sklepu różni się "
                "o ponad 15 minut. Ustaw zegar.")
    if "nonce" in lowered:
        return "Sklep odrzucił powtórzone żądanie (401, nonce): spróbuj ponownie."
    if https and not settings.query_string_auth:
        return ("Sklep nie dostał kluczy API (401): serwer mógł usunąć nagłówek Authorization. Włącz przesyłanie "
                "kluczy w adresie (query string) albo popraw konfigurację serwera (.htaccess).")
    if not https:
        return ("Sklep nie rozpoznał kluczy API (401): przez http WooCommerce przyjmuje tylko podpis OAuth. Sprawdź "
                "adres (może sklep działa przez https://) i klucze.")
    return f"Sklep odrzucił klucze API (401): {said}"
