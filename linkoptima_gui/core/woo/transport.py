"""How a request reaches the shop: the ``woocommerce`` client over one ``requests`` session,
repeated only when repeating is safe, and logged without secrets.

Why a session: the client (3.0.0, pinned) sends each request through the module-level
``requests.request``, which opens a new connection, and over https a new TLS handshake, for
every call. ``SessionAPI`` keeps everything the library does to build a request (the URL, the
choice of Basic auth, query-string keys or OAuth 1.0a, the signature, the JSON body) and only
hands the finished request to our session, so connections are kept alive and pooled.

Why retries are narrow: a timed-out write may have been applied by the shop (woocommerce.md §8),
so only reads and writes the caller vouches for (a PUT of absolute values) are repeated; a POST
(a stock batch with deltas, a note) is sent once and the step that made it re-reads before it
tries again. 429 and 5xx usually come from the host or its firewall under load (§1.1): the
backoff is exponential with jitter, and ``Retry-After`` is honoured, up to a limit past which
the call gives up and lets the engine's own retry come back later.

Why the log is shaped so: one line per request with method, path, status and milliseconds, and
never the query string, which holds the OAuth signature or the keys themselves. urllib3's own
debug lines do carry the query, so a filter on its logger masks those parameters too.
"""

from __future__ import annotations

import logging
import random
import re
import threading
import time
import types
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests
import woocommerce.api
from woocommerce import API

from ..errors import RetryableError

log = logging.getLogger("linkoptima_gui.core.woo.http")

#: statuses worth asking again: the host is overloaded or the shop failed for a moment
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
#: methods that never change anything in the shop
READ_METHODS = frozenset({"get", "head", "options"})
#: failures where the shop's answer never (fully) arrived: worth asking again
_NO_ANSWER = (requests.Timeout, requests.ConnectionError, requests.exceptions.ChunkedEncodingError)

_SECRET_PARAM = re.compile(r"(oauth_signature|oauth_consumer_key|oauth_nonce|consumer_key|consumer_secret)=[^&\s\"']*")


def redact(text: str) -> str:
    """``text`` with the values of the OAuth and key parameters masked."""
    return _SECRET_PARAM.sub(r"\1=***", text)


class _RedactSecrets(logging.Filter):
    """Masks keys and signatures in urllib3's debug lines (they quote the full request URL)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def _install_redaction() -> None:
    logger = logging.getLogger("urllib3.connectionpool")
    if not any(isinstance(f, _RedactSecrets) for f in logger.filters):
        logger.addFilter(_RedactSecrets())


_install_redaction()


# -- the woocommerce client over a session ------------------------------------------------------------


def _send(method: str, url: str, *, session: requests.Session, **kwargs: Any) -> requests.Response:
    return session.request(method=method, url=url, **kwargs)


# The library's own request method, run with its global name ``request`` bound to ``_send``
# instead of ``requests.request``: nothing of how it builds and signs a request is rewritten.
_LIBRARY_REQUEST = API._API__request  # type: ignore[attr-defined]
if "request" not in _LIBRARY_REQUEST.__code__.co_names:  # pragma: no cover - guards the pinned version
    raise ImportError("woocommerce.API no longer sends through requests.request; review SessionAPI")
_build_and_send = types.FunctionType(
    _LIBRARY_REQUEST.__code__,
    {**vars(woocommerce.api), "request": _send},
    "_build_and_send",
    _LIBRARY_REQUEST.__defaults__,
    _LIBRARY_REQUEST.__closure__,
)


class SessionAPI(API):
    """``woocommerce.API`` whose requests go through ``session`` (see the module's docstring)."""

    def __init__(self, url: str, consumer_key: str, consumer_secret: str, *, session: requests.Session,
                 **kwargs: Any) -> None:
        super().__init__(url, consumer_key, consumer_secret, **kwargs)
        self.session = session

    def _API__request(self, method: str, endpoint: str, data: Any, params: dict | None = None,
                      **kwargs: Any) -> requests.Response:
        return _build_and_send(self, method, endpoint, data, params, session=self.session, **kwargs)


# -- retries -----------------------------------------------------------------------------------------


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds to wait: delta-seconds or an HTTP date; None when absent or
    unreadable."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait before asking the shop again."""

    retries: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0
    #: a longer ``Retry-After`` is not waited out inside one call: the call gives up instead
    max_retry_after: float = 60.0

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float | None:
        """Seconds before the attempt after ``attempt`` (1-based), or None to give up now."""
        if attempt > self.retries:
            return None
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        backoff = ceiling / 2 + rng.uniform(0, ceiling / 2)  # jitter: callers do not retry in step
        if retry_after is None:
            return backoff
        if retry_after > self.max_retry_after:
            return None
        return max(retry_after, backoff)


@dataclass
class CallStats:
    """What the client sent: requests (every attempt counts), retries, per method and endpoint,
    and the calling thread's own CPU time (building, signing, sending, reading, parsing)."""

    requests: int = 0
    retries: int = 0
    cpu_seconds: float = 0.0
    by_endpoint: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, method: str, endpoint: str) -> None:
        with self._lock:
            self.requests += 1
            self.by_endpoint[f"{method.upper()} {_endpoint_kind(endpoint)}"] += 1

    def add_cpu(self, seconds: float) -> None:
        with self._lock:
            self.cpu_seconds += seconds

    def add_retry(self) -> None:
        with self._lock:
            self.retries += 1


def _endpoint_kind(endpoint: str) -> str:
    """``orders/15/notes`` -> ``orders/<id>/notes``: endpoints counted by kind, not by id."""
    return re.sub(r"/\d+(?=/|$)", "/<id>", endpoint)


class Transport:
    """Sends one call through a ``SessionAPI``: repeats it when allowed and useful, logs every
    attempt, counts it. Returns the last answer (whatever its status); raises ``RetryableError``
    when no answer came at all."""

    def __init__(self, shop_url: str, policy: RetryPolicy, *, sleep: Callable[[float], None] = time.sleep,
                 rng: random.Random | None = None) -> None:
        self.policy = policy
        self.stats = CallStats()
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._prefix = urlsplit(shop_url).path.rstrip("/") + "/wp-json/wc/v3/"

    def send(self, api: API, method: str, endpoint: str, data: Any, params: dict[str, Any],
             retry: bool | None = None) -> requests.Response:
        """``retry``: None repeats reads only; True, the caller vouches that the write is
        idempotent; False sends once (a connection test wants the first answer)."""
        may_retry = method in READ_METHODS if retry is None else retry
        path = self._prefix + endpoint
        page = f" page={params['page']}" if "page" in params else ""
        attempt = 0
        while True:
            attempt += 1
            started = time.perf_counter()
            self.stats.count(method, endpoint)
            try:
                if method in ("post", "put"):
                    response = getattr(api, method)(endpoint, data, params=dict(params))
                else:
                    response = getattr(api, method)(endpoint, params=dict(params))
            except requests.RequestException as exc:
                ms = (time.perf_counter() - started) * 1000
                wait = self._wait(exc, attempt, None, may_retry)
                log.warning("%s %s%s -> %s after %.0f ms%s", method.upper(), path, page,
                            type(exc).__name__, ms, _then(wait, attempt))
                if wait is None:
                    raise _transport_error(exc, endpoint) from exc
            else:
                ms = (time.perf_counter() - started) * 1000
                status = response.status_code
                wait = None
                if status in RETRY_STATUSES:
                    wait = self._wait(None, attempt, retry_after_seconds(response.headers.get("Retry-After")),
                                      may_retry)
                level = logging.WARNING if status >= 400 and status != 404 else logging.INFO
                log.log(level, "%s %s%s -> %s in %.0f ms%s", method.upper(), path, page, status, ms,
                        _then(wait, attempt))
                if wait is None:
                    return response
            self.stats.add_retry()
            self._sleep(wait)

    def _wait(self, exc: Exception | None, attempt: int, retry_after: float | None,
              may_retry: bool) -> float | None:
        if not may_retry or isinstance(exc, requests.exceptions.SSLError):
            return None  # a certificate does not fix itself in a second
        if exc is not None and not isinstance(exc, _NO_ANSWER):
            return None  # a malformed URL or the like: asking again changes nothing
        return self.policy.delay(attempt, retry_after, self._rng)


def _then(wait: float | None, attempt: int) -> str:
    return "" if wait is None else f" (attempt {attempt}, again in {wait:.2f} s)"


def _transport_error(exc: requests.RequestException, endpoint: str) -> RetryableError:
    """No answer at all, as the engine's "try again later" with a Polish reason."""
    details = {"endpoint": endpoint, "error": type(exc).__name__}
    if isinstance(exc, requests.exceptions.SSLError):
        return RetryableError(f"Błąd TLS przy łączeniu ze sklepem: {tls_reason(exc)}.", code="shop_tls",
                              details={**details, "tls": redact(str(exc))[:300]})
    if isinstance(exc, requests.Timeout):
        return RetryableError("Sklep nie odpowiedział w czasie.", code="shop_unreachable", details=details)
    return RetryableError(f"Brak połączenia ze sklepem: {exc.__class__.__name__}.", code="shop_unreachable",
                          details=details)


_TLS_REASONS = (
    ("certificate has expired", "certyfikat sklepu wygasł"),
    ("hostname mismatch", "certyfikat sklepu wystawiono na inną nazwę niż adres w ustawieniach"),
    ("doesn't match", "certyfikat sklepu wystawiono na inną nazwę niż adres w ustawieniach"),
    ("certificate_verify_failed", "certyfikat sklepu nie jest zaufany (samopodpisany albo od nieznanego "
                                  "wystawcy)"),
    ("wrong_version_number", "serwer pod tym adresem nie mówi HTTPS (może adres powinien zaczynać się od "
                             "http://)"),
    ("record layer failure", "serwer pod tym adresem nie mówi HTTPS (może adres powinien zaczynać się od "
                             "http://)"),
)


def tls_reason(exc: BaseException) -> str:
    """What went wrong in a TLS handshake, in Polish, from OpenSSL's wording."""
    text = str(exc).lower()
    for needle, reason in _TLS_REASONS:
        if needle in text:
            return reason
    return "nie udało się nawiązać połączenia szyfrowanego"
