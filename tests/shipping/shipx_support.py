"""Helpers shared by the InPost tests: adapter settings pointing at an emulator, a raw client,
and a clock the tests move by hand (so nothing waits for real time)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from linkoptima_gui.core.shipping.inpost import InPostSettings, InPostShipX
from linkoptima_gui.demo.shipx import ShipXEmulator


def settings_for(emulator: ShipXEmulator, **overrides: Any) -> InPostSettings:
    """Settings for the emulator; no pause between polls, because the emulator confirms after a
    number of reads instead of after some time."""
    settings = InPostSettings(
        base_url=emulator.url,
        token=emulator.token,
        organization_id=str(emulator.organization_id),
        timeout=5.0,
        poll_interval=0,
        poll_limit=10,
        max_wait=30.0,
    )
    return replace(settings, **overrides)


def adapter_for(emulator: ShipXEmulator, **overrides: Any) -> InPostShipX:
    return InPostShipX(settings_for(emulator, **overrides))


def raw(emulator: ShipXEmulator, token: str | None = None) -> requests.Session:
    """A plain HTTP client, for what the adapter hides (bodies, status codes, headers)."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {emulator.token if token is None else token}"
    return session


def org_url(emulator: ShipXEmulator) -> str:
    return f"{emulator.url}/v1/organizations/{emulator.organization_id}"


class ManualClock:
    """A UTC clock that only moves when told to."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def locker_body(**overrides: Any) -> dict[str, Any]:
    """A valid simplified-mode locker shipment as ShipX documents it."""
    body: dict[str, Any] = {
        "service": "inpost_locker_standard",
        "reference": "ZAM-1001",
        "receiver": {
            "first_name": "Łucja",
            "last_name": "Ćwik",
            "email": "lucja@example.pl",
            "phone": "600700800",
        },
        "parcels": [{"template": "small"}],
        "custom_attributes": {"target_point": "KRA010", "sending_method": "dispatch_order"},
    }
    body.update(overrides)
    return body


def courier_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "service": "inpost_courier_standard",
        "reference": "ZAM-2002",
        "receiver": {
            "company_name": "Pszczółka Sp. z o.o.",
            "phone": "600700800",
            "address": {
                "street": "ul. Źródlana",
                "building_number": "5 m. 7",
                "city": "Gdańsk",
                "post_code": "80-210",
                "country_code": "PL",
            },
        },
        "parcels": [
            {
                "dimensions": {"length": 640, "width": 380, "height": 190, "unit": "mm"},
                "weight": {"amount": 2.5, "unit": "kg"},
            }
        ],
        "cod": {"amount": 1234.5, "currency": "PLN"},
        "custom_attributes": {"sending_method": "dispatch_order"},
    }
    body.update(overrides)
    return body
