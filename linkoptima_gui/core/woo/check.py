"""What a shop looks like from here: the connection check behind ``linkoptima woo-check`` and the
settings screen's "Testuj połączenie".

It only reads. First an unauthenticated look at the WordPress index (``/wp-json/``), which tells
a server that is not there, a TLS problem or a redirect (the OAuth signature covers the exact URL,
so a shop reached through a redirect answers 401 to everything) apart from a key problem; then
one order with the keys, then the details the console relies on: the product count, the
WooCommerce version, whether ``modified_after`` is honoured (asked for orders modified after the
newest one: a shop that ignores the filter returns orders anyway, and the intake would read the
whole shop on every poll), and the orders per status. Every failure is one Polish sentence that
says what to change (``check_messages``); details that could not be learnt are None.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

import requests

from ..errors import StepError
from .check_messages import (
    connection_failure,
    count_phrase,
    redirect_problem,
    refusal,
    url_problem,
)
from .client import ShopClient, gmt_param, parse_gmt
from .settings import ShopSettings
from .transport import tls_reason

log = logging.getLogger("linkoptima_gui.core.woo.http")

#: pages of newest orders counted per status when the shop has no ``reports/orders/totals``
STATUS_PAGES = 3


@dataclass
class ShopCheck:
    """The answer of one check: ``ok`` when the console can work with the shop, ``message`` in
    Polish for the person, and what was learnt (None: could not be told)."""

    ok: bool
    message: str
    url: str
    reachable: bool = False
    auth_ok: bool = False
    woocommerce_version: str | None = None
    modified_after_honoured: bool | None = None
    order_statuses: dict[str, int] | None = None
    #: "reports" (the shop's own totals) or "latest N orders" when counted here
    order_statuses_source: str | None = None
    product_count: int | None = None
    order_count: int | None = None
    warnings: list[str] = field(default_factory=list)
    #: a short machine code of the failure ("auth", "tls", "timeout", "not_woocommerce"...)
    error: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


def check_shop_connection(settings: ShopSettings, timeout: float = 15.0) -> ShopCheck:
    """Check the shop with these settings (not necessarily saved); never raises."""
    result = ShopCheck(ok=False, message="", url=settings.url)
    problem = url_problem(settings.url)
    if problem:
        result.message, result.error = problem, "url"
        return result
    settings = replace(settings, url=settings.url.strip().rstrip("/"), timeout=timeout, retries=0)
    client = ShopClient(settings)
    try:
        if not _probe(client, settings, result):
            return result
        _read_orders(client, settings, result)
        if result.auth_ok:
            _details(client, result)
    except Exception as exc:  # a check is an answer, never a traceback
        log.warning("shop check failed unexpectedly", exc_info=exc)
        result.ok, result.error = False, result.error or "unexpected"
        result.message = f"Nieoczekiwany błąd sprawdzania sklepu ({type(exc).__name__}): {exc}"
    finally:
        client.session.close()
    return result


# -- the steps -------------------------------------------------------------------------------------


def _probe(client: ShopClient, settings: ShopSettings, result: ShopCheck) -> bool:
    """The WordPress index without keys; False when there is no point going on."""
    url = f"{settings.url}/wp-json/"
    started = time.perf_counter()
    try:
        response = client.session.get(url, params={"_fields": "namespaces"}, allow_redirects=False,
                                      timeout=settings.timeout, verify=settings.ca_bundle or True)
    except requests.exceptions.SSLError as exc:
        result.error = "tls"
        result.message = f"Błąd TLS przy łączeniu ze sklepem: {tls_reason(exc)}."
        return False
    except requests.RequestException as exc:
        result.error, result.message = connection_failure(exc, settings.url, settings.timeout)
        return False
    log.info("GET %s/wp-json/ -> %s in %.0f ms (connection check)", urlsplit(settings.url).path,
             response.status_code, (time.perf_counter() - started) * 1000)
    result.reachable = True
    if response.is_redirect:
        problem = redirect_problem(settings.url, response.headers.get("Location", ""))
        if problem:
            result.error, result.message = "redirect", problem
            return False
    index = _json(response)
    namespaces = index.get("namespaces") if isinstance(index, dict) else None
    if response.status_code == 200 and isinstance(namespaces, list) and "wc/v3" not in namespaces:
        result.error = "not_woocommerce"
        result.message = ("Pod tym adresem jest WordPress, ale bez API WooCommerce (wc/v3): sprawdź, czy wtyczka "
                          "WooCommerce jest zainstalowana i włączona.")
        return False
    return True


def _read_orders(client: ShopClient, settings: ShopSettings, result: ShopCheck) -> None:
    """One order with the keys: the same call the intake's polling makes."""
    try:
        response = client.read("orders", {"per_page": 1}, retry=False)
    except StepError as exc:
        result.error, result.message = refusal(exc, settings)
        return
    if not isinstance(response.json(), list):
        result.error = "not_woocommerce"
        result.message = "Pod tym adresem odpowiada coś, co nie jest API WooCommerce (zamówienia nie są listą)."
        return
    result.auth_ok = True
    result.order_count = _total(response)


def _details(client: ShopClient, result: ShopCheck) -> None:
    """What the console relies on, each learnt or left None; the check is usable either way."""
    result.product_count = _total(_optional(client, "products", {"per_page": 1}))
    newest = _newest_order(client)
    result.woocommerce_version = _version(client, newest)
    result.modified_after_honoured = _modified_after_honoured(client, newest)
    result.order_statuses, result.order_statuses_source = _statuses(client)
    result.ok = True
    if result.modified_after_honoured is False:
        result.warnings.append(
            "Uwaga: sklep nie uwzględnia parametru modified_after (stary WooCommerce albo wtyczka), więc każde "
            "odpytanie pobierze wszystkie zamówienia. Zaktualizuj WooCommerce.")
    version = f" {result.woocommerce_version}" if result.woocommerce_version else ""
    parts = [count_phrase(result.order_count, "zamówienie", "zamówienia", "zamówień"),
             count_phrase(result.product_count, "produkt", "produkty", "produktów")]
    statuses = ", ".join(f"{slug} {count}" for slug, count in (result.order_statuses or {}).items())
    result.message = " ".join([f"Połączono ze sklepem WooCommerce{version}: {', '.join(p for p in parts if p)}.",
                               *([f"Statusy zamówień: {statuses}."] if statuses else []), *result.warnings])


# -- the details -----------------------------------------------------------------------------------


def _optional(client: ShopClient, endpoint: str, params: dict[str, Any]) -> requests.Response | None:
    """A read whose refusal only means "unknown" (a key without admin rights, an older shop)."""
    try:
        return client.read(endpoint, params, retry=False)
    except StepError as exc:
        log.info("connection check: %s not available: %s", endpoint, exc.reason)
        return None


def _newest_order(client: ShopClient) -> dict[str, Any] | None:
    """The most recently modified order (the newest by id where ``orderby=modified`` is refused)."""
    for params in ({"orderby": "modified", "order": "desc", "per_page": 1},
                   {"orderby": "id", "order": "desc", "per_page": 20}):
        response = _optional(client, "orders", params)
        if response is None:
            continue
        orders = [o for o in response.json() or [] if isinstance(o, dict)]
        if not orders:
            return None
        return max(orders, key=lambda o: str(o.get("date_modified_gmt") or ""))
    return None


def _version(client: ShopClient, newest: dict[str, Any] | None) -> str | None:
    """The shop's WooCommerce version: from ``system_status`` (needs an admin's key), else the
    version the newest order was saved with."""
    response = _optional(client, "system_status", {"_fields": "environment"})
    environment = (response.json() or {}).get("environment") if response is not None else None
    if isinstance(environment, dict) and environment.get("version"):
        return str(environment["version"])
    if newest and newest.get("version"):
        return str(newest["version"])
    return None


def _modified_after_honoured(client: ShopClient, newest: dict[str, Any] | None) -> bool | None:
    """Ask for orders modified strictly after the newest one: a shop that honours the filter
    returns none, or only orders changed since; None when the shop has no orders to tell by."""
    moment = parse_gmt(str((newest or {}).get("date_modified_gmt") or ""))
    if moment is None:
        return None
    response = _optional(client, "orders", {"modified_after": gmt_param(moment), "dates_are_gmt": "true",
                                             "per_page": 10, "_fields": "id,date_modified_gmt"})
    if response is None:
        return False  # refused outright: an old shop that does not know the parameter
    later = [parse_gmt(str(o.get("date_modified_gmt") or "")) for o in response.json() or [] if isinstance(o, dict)]
    return all(stamp is not None and stamp > moment for stamp in later)


def _statuses(client: ShopClient) -> tuple[dict[str, int] | None, str | None]:
    """Orders per status: the shop's own totals where it has them (every status it knows, so the
    status map can name a plugin's), else counted in the newest ``STATUS_PAGES`` pages."""
    response = _optional(client, "reports/orders/totals", {})
    if response is not None and isinstance(response.json(), list):
        totals = {str(r.get("slug")): int(r.get("total") or 0) for r in response.json() if isinstance(r, dict)}
        return totals, "reports"  # every status the shop knows, a plugin's too, even with no orders
    counts: Counter[str] = Counter()
    read = 0
    for page in range(1, STATUS_PAGES + 1):
        answer = _optional(client, "orders", {"orderby": "id", "order": "desc", "per_page": 100, "page": page,
                                              "_fields": "id,status"})
        if answer is None:
            return None, None
        orders = [o for o in answer.json() or [] if isinstance(o, dict)]
        counts.update(str(o.get("status") or "") for o in orders)
        read += len(orders)
        if page >= int(answer.headers.get("X-WP-TotalPages") or 1):
            break
    return dict(counts), f"latest {read} orders"


def _total(response: requests.Response | None) -> int | None:
    if response is None:
        return None
    try:
        return int(response.headers.get("X-WP-Total") or "")
    except ValueError:
        return None


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def main_line(settings: ShopSettings, timeout: float) -> tuple[int, str]:
    """``linkoptima woo-check``: the exit code (0 usable, 1 not) and the JSON line to print."""
    result = check_shop_connection(settings, timeout)
    return (0 if result.ok else 1), result.to_json()
