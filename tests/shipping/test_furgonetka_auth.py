"""Furgonetka's OAuth2 as the adapter meets it: one login kept and refreshed, the 20-session cap
(a 21st login elsewhere revokes ours: the adapter logs in again once), wrong credentials named."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from linkoptima_gui.core.errors import PermanentError
from linkoptima_gui.core.shipping.furgonetka import FurgonetkaAuth, FurgonetkaCarrier, FurgonetkaSettings
from linkoptima_gui.core.shipping.port import PointQuery
from linkoptima_gui.demo.furgonetka import FurgonetkaEmulator
from linkoptima_gui.demo.furgonetka.emulator import MAX_SESSIONS

from .samples import SENDER


def _login(emulator: FurgonetkaEmulator) -> requests.Response:
    c = emulator.credentials()
    return requests.post(emulator.url + "/oauth/token", auth=(c["client_id"], c["client_secret"]), timeout=5,
                         data={"grant_type": "password", "username": c["username"], "password": c["password"]})


def test_a_21st_session_revokes_the_oldest_and_the_adapter_logs_in_again(tmp_path: Path) -> None:
    with FurgonetkaEmulator(tmp_path) as emulator:
        carrier = FurgonetkaCarrier(FurgonetkaSettings(base_url=emulator.url, **emulator.credentials()), SENDER)
        assert carrier.points(PointQuery()) and carrier.auth.logins == 1
        assert carrier.points(PointQuery()) and carrier.auth.logins == 1  # the token is kept
        first = carrier.auth.access_token()
        for _ in range(MAX_SESSIONS):  # other stations log in: ours is the oldest and goes
            assert _login(emulator).status_code == 200
        revoked = requests.get(emulator.url + "/points/map", timeout=5, headers={
            "Authorization": f"Bearer {first}", "Accept": "application/vnd.furgonetka.v1+json"})
        assert revoked.status_code == 401
        assert carrier.points(PointQuery())  # refreshed or logged in again, without a failure
        assert carrier.auth.access_token() != first
        assert len(emulator.state["sessions"]) == MAX_SESSIONS


def test_an_expired_token_is_refreshed_without_a_new_session(tmp_path: Path) -> None:
    now = [1000.0]
    with FurgonetkaEmulator(tmp_path, token_seconds=60) as emulator:
        c = emulator.credentials()
        auth = FurgonetkaAuth(emulator.url, c["client_id"], c["client_secret"], c["username"], c["password"],
                              clock=lambda: now[0])
        first = auth.access_token()
        now[0] += 3600  # past our margin of the token's life
        second = auth.access_token()
        assert second != first and auth.logins == 1 and len(emulator.state["sessions"]) == 1


def test_wrong_credentials_are_named(tmp_path: Path) -> None:
    with FurgonetkaEmulator(tmp_path) as emulator:
        c = emulator.credentials() | {"password": "wrong"}
        carrier = FurgonetkaCarrier(FurgonetkaSettings(base_url=emulator.url, **c), SENDER)
        with pytest.raises(PermanentError) as caught:
            carrier.points(PointQuery())
        assert caught.value.code == "carrier_auth" and "hasło" in caught.value.reason
