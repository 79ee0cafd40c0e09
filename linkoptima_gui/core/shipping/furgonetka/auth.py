"""Furgonetka's OAuth2 tokens: fetched once, kept, refreshed, and fetched again only when lost.

Why it is careful (reference §1.7): an app may hold at most 20 open sessions per user and the
21st token silently revokes the oldest, so a console that logged in on every start would knock
out other stations' sessions. The token pair is therefore kept (``store``: the keyring in a real
installation) and refreshed with the refresh grant; the password grant runs only when there is
no token or the server refused both tokens. Written on ``requests`` directly: the token calls are
two form POSTs, and the demo's emulator is plain HTTP on loopback, which oauthlib refuses.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import requests

from ...errors import PermanentError, RetryableError

TokenStore = Callable[[dict[str, Any] | None], dict[str, Any] | None]


class FurgonetkaAuth:
    """Gives a valid access token; thread-safe, one token pair shared by every thread."""

    def __init__(self, base_url: str, client_id: str, client_secret: str, username: str, password: str,
                 *, timeout: float = 15.0, store: TokenStore | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self._url = base_url.rstrip("/") + "/oauth/token"
        self._client = (client_id, client_secret)
        self._user = (username, password)
        self._timeout = timeout
        self._store = store
        self._clock = clock  # wall time: a kept token outlives the process
        self._lock = threading.Lock()
        self._token: dict[str, Any] | None = store(None) if store else None
        self.logins = 0  # password grants made (each opens one of the 20 sessions)

    def access_token(self) -> str:
        with self._lock:
            if self._token is None:
                self._login()
            elif self._clock() >= float(self._token.get("valid_until", 0)):
                self._refresh_or_login()
            assert self._token is not None
            return str(self._token["access_token"])

    def rejected(self, token: str) -> None:
        """The API answered 401 to ``token`` (revoked by a 21st session, or expired early)."""
        with self._lock:
            if self._token is not None and self._token.get("access_token") == token:
                self._refresh_or_login()

    def _refresh_or_login(self) -> None:
        refresh = (self._token or {}).get("refresh_token")
        if refresh and self._grant({"grant_type": "refresh_token", "refresh_token": refresh}, quiet=True):
            return
        self._login()

    def _login(self) -> None:
        username, password = self._user
        self.logins += 1
        self._grant({"grant_type": "password", "username": username, "password": password, "scope": "api"},
                    quiet=False)

    def _grant(self, form: dict[str, str], *, quiet: bool) -> bool:
        try:
            response = requests.post(self._url, data=form, auth=self._client, timeout=self._timeout)
        except requests.RequestException as exc:
            raise RetryableError(f"Brak połączenia z Furgonetką (logowanie): {type(exc).__name__}.",
                                 code="carrier_unreachable") from exc
        if response.status_code >= 500:
            raise RetryableError(f"Furgonetka nie wydała tokenu (HTTP {response.status_code}); ponowimy.",
                                 code="carrier_unreachable")
        if response.status_code != 200:
            if quiet:
                return False
            try:
                said = response.json().get("error_description") or response.json().get("error")
            except ValueError:
                said = response.text[:200]
            raise PermanentError(
                f"Furgonetka odrzuciła logowanie: {said}. Sprawdź Client ID, Client Secret, login i hasło "
                "w ustawieniach przewoźnika.", code="carrier_auth", details={"status": response.status_code})
        data = response.json()
        expires_in = float(data.get("expires_in") or 3600)
        self._token = {**data, "valid_until": self._clock() + expires_in * 0.9}
        if self._store:
            self._store(self._token)
        return True
