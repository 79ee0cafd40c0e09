"""How a request reaches the shop: a plain ``requests`` session with the shop's authentication,
urllib3's ``Retry`` repeating a call only when repeating is safe, and a log line per request
without secrets.

Authentication, as WooCommerce takes it: over https the keys as HTTP Basic auth (or, for a host
that strips the Authorization header, in the query string); over plain http a one-legged OAuth
1.0a signature in the query (HMAC-SHA256, ``requests-oauthlib``). One session keeps connections
alive and pooled (over https one TLS handshake, not one per call), with room for the stock
sync's batches in flight at once.

Why retries are narrow: a timed-out write may have been applied by the shop (woocommerce.md §8),
so only reads and writes the caller vouches for (a PUT of absolute values) are repeated; a POST
(a stock batch with deltas, a note) is sent once and the step that made it re-reads before it
tries again. 429 and 5xx usually come from the host or its firewall under load (§1.1): the
backoff grows with jitter, and ``Retry-After`` is honoured, up to a limit past which the call
gives up and lets the engine's own retry come back later.

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
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.auth import HTTPBasicAuth
from requests_oauthlib import OAuth1
from urllib3.exceptions import MaxRetryError, ReadTimeoutError, ResponseError, SSLError
from urllib3.util.retry import Retry
from urllib3.util.ssl_match_hostname import CertificateError

from ..errors import RetryableError

log = logging.getLogger("linkoptima_gui.core.woo.http")

#: statuses worth asking again: the host is overloaded or the shop failed for a moment
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
#: methods that never change anything in the shop
READ_METHODS = frozenset({"get", "head", "options"})
#: connections kept per host: the stock sync sends several batches at once (``stock_push``)
POOL_SIZE = 16

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
    # the signing libraries' debug lines quote the consumer key, the nonce and the signature in
    # several shapes, and say nothing a support person needs: they stay quiet
    for name in ("oauthlib", "requests_oauthlib"):
        logging.getLogger(name).setLevel(logging.WARNING)


_install_redaction()


class _KeysInQuery(requests.auth.AuthBase):
    """The consumer key and secret as query parameters (https only: a host that drops the
    Authorization header before PHP sees it)."""

    def __init__(self, key: str, secret: str) -> None:
        self.params = {"consumer_key": key, "consumer_secret": secret}

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.prepare_url(request.url, self.params)
        return request


def shop_auth(url: str, key: str, secret: str, *, query_string_auth: bool = False) -> requests.auth.AuthBase:
    """How this shop is told who is calling: Basic or keys in the query over https, OAuth 1.0a
    (signed in the query, HMAC-SHA256) over http."""
    if urlsplit(url).scheme == "https":
        return _KeysInQuery(key, secret) if query_string_auth else HTTPBasicAuth(key, secret)
    return OAuth1(key, client_secret=secret, signature_method="HMAC-SHA256", signature_type="query")


# -- retries -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait before asking the shop again."""

    retries: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0
    #: a longer ``Retry-After`` is not waited out inside one call: the call gives up instead
    max_retry_after: float = 60.0

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Seconds before the attempt after ``attempt`` (1-based): a ceiling that doubles, the
        wait drawn from its upper half (callers that failed together do not retry in step)."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)


@dataclass
class CallStats:
    """What the client sent: requests (every attempt counts), retries, per method and endpoint,
    and the calling threads' own CPU time (building, signing, sending, reading, parsing)."""

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


@dataclass
class _Pacing:
    """What a client's retries share: how to wait (a test records instead), the jitter's source,
    the statistics, and the API's path prefix (to name endpoints in the log)."""

    policy: RetryPolicy
    stats: CallStats
    prefix: str
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)


class ShopRetry(Retry):
    """urllib3's ``Retry`` with the policy's waits, ``Retry-After`` honoured up to a limit (a longer
    one gives up at once), no retry of a TLS failure (a certificate does not fix itself in a
    second), and each retry logged and counted."""

    def __init__(self, *args: Any, pacing: _Pacing, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pacing = pacing

    def new(self, **kw: Any) -> ShopRetry:
        return super().new(pacing=self.pacing, **kw)  # type: ignore[return-value]

    def increment(self, method: str | None = None, url: str | None = None, response: Any = None,
                  error: Exception | None = None, _pool: Any = None, _stacktrace: Any = None) -> ShopRetry:
        if isinstance(error, (SSLError, CertificateError)):
            raise MaxRetryError(_pool, url or "", error) from error
        if response is not None:
            retry_after = self.get_retry_after(response)
            if retry_after is not None and retry_after > self.pacing.policy.max_retry_after:
                raise MaxRetryError(_pool, url or "", ResponseError(f"Retry-After {retry_after:.0f} s"))
        try:
            return super().increment(method, url, response, error, _pool, _stacktrace)  # type: ignore[return-value]
        except MaxRetryError:
            if isinstance(error, ReadTimeoutError):  # the last wait for an answer ran out: requests
                raise error from None                # then says ReadTimeout, not a lost connection
            raise

    def get_backoff_time(self) -> float:
        return self.pacing.policy.backoff(max(1, len(self.history)), self.pacing.rng)

    def sleep(self, response: Any = None) -> None:
        retry_after = self.get_retry_after(response) if response is not None else None
        wait = max(retry_after or 0.0, self.get_backoff_time())
        if self.history:
            last = self.history[-1]
            what = last.status if last.status is not None else type(last.error).__name__
            path = urlsplit(last.url or "").path
            endpoint = path.removeprefix(self.pacing.prefix)
            log.warning("%s %s -> %s (attempt %d, again in %.2f s)", last.method, path, what, len(self.history),
                        wait)
            self.pacing.stats.count(last.method or "", endpoint)
            self.pacing.stats.add_retry()
        self.pacing.sleep(wait)


class Transport:
    """Sends one call through the shop's session: repeats it when allowed and useful, logs every
    attempt, counts it. Returns the last answer (whatever its status); raises ``RetryableError``
    when no answer came at all."""

    def __init__(self, shop_url: str, policy: RetryPolicy, auth: requests.auth.AuthBase, *,
                 verify: bool | str = True, user_agent: str = "LinkOptima",
                 session: requests.Session | None = None, sleep: Callable[[float], None] = time.sleep,
                 rng: random.Random | None = None) -> None:
        self.stats = CallStats()
        #: passed with every request: a session's own ``verify`` loses to REQUESTS_CA_BUNDLE
        self.verify = verify
        self._base = shop_url.rstrip("/") + "/wp-json/wc/v3/"
        pacing = _Pacing(policy, self.stats, urlsplit(self._base).path, sleep, rng or random.Random())
        retrying = ShopRetry(total=policy.retries, status_forcelist=RETRY_STATUSES, allowed_methods=None,
                             raise_on_status=False, raise_on_redirect=False, respect_retry_after_header=True,
                             pacing=pacing)
        #: calls that may be repeated (reads, and writes the caller vouches for)
        self.session = self._session(session or requests.Session(), retrying, auth, verify, user_agent)
        #: calls sent exactly once
        self.once = self._session(type(self.session)(), ShopRetry(total=0, raise_on_status=False, pacing=pacing),
                                  auth, verify, user_agent)

    @staticmethod
    def _session(session: requests.Session, retry: Retry, auth: requests.auth.AuthBase, verify: bool | str,
                 user_agent: str) -> requests.Session:
        adapter = HTTPAdapter(max_retries=retry, pool_connections=2, pool_maxsize=POOL_SIZE)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.auth, session.verify = auth, verify
        session.headers.update({"User-Agent": user_agent, "Accept": "application/json"})
        return session

    def send(self, method: str, endpoint: str, data: Any, params: dict[str, Any], *, timeout: float,
             retry: bool | None = None) -> requests.Response:
        """``retry``: None repeats reads only; True, the caller vouches that the write is
        idempotent; False sends once (a connection test wants the first answer)."""
        may_retry = method in READ_METHODS if retry is None else retry
        session = self.session if may_retry else self.once
        path = urlsplit(self._base).path + endpoint
        page = f" page={params['page']}" if "page" in params else ""
        started = time.perf_counter()
        try:
            response = session.request(method.upper(), self._base + endpoint, params=params or None,
                                       json=data if method in ("post", "put") else None, timeout=timeout,
                                       verify=self.verify)
        except requests.RequestException as exc:
            self.stats.count(method, endpoint)
            log.warning("%s %s%s -> %s after %.0f ms", method.upper(), path, page, type(exc).__name__,
                        (time.perf_counter() - started) * 1000)
            raise _transport_error(exc, endpoint) from exc
        self.stats.count(method, endpoint)
        status = response.status_code
        level = logging.WARNING if status >= 400 and status != 404 else logging.INFO
        log.log(level, "%s %s%s -> %s in %.0f ms", method.upper(), path, page, status,
                (time.perf_counter() - started) * 1000)
        return response


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
