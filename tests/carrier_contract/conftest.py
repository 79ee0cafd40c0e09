"""The carrier contract: what the console relies on in a carrier's API, as tests that take the
carrier's address and credentials.

By default the target is the carrier's emulator on loopback. Against a sandbox account:

    make contract-carrier CARRIER=furgonetka URL=https://api.sandbox.furgonetka.pl \\
        CLIENT_ID=... CLIENT_SECRET=... USERNAME=... PASSWORD=...

Tests that need the emulator's controls (a held answer, a hand-over) skip on a real sandbox.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from linkoptima_gui.core.shipping.furgonetka import FurgonetkaCarrier, FurgonetkaSettings
from linkoptima_gui.demo.furgonetka import FurgonetkaEmulator
from tests.shipping.samples import SENDER

CARRIERS = [c for c in os.environ.get("LINKOPTIMA_CARRIER", "furgonetka").split(",") if c]
IBAN = "PL61109010140000071219812874"


@dataclass
class CarrierTarget:
    name: str
    carrier: Any
    emulator: Any | None  # None on a real sandbox

    def need_emulator(self) -> Any:
        if self.emulator is None:
            pytest.skip("needs the emulator's controls")
        return self.emulator


def furgonetka_settings(url: str, creds: dict[str, str], **overrides: Any) -> FurgonetkaSettings:
    return FurgonetkaSettings(base_url=url, cod_iban=IBAN, timeout=float(overrides.pop("timeout", 5.0)),
                              poll_interval=0, **creds, **overrides)


@pytest.fixture(params=CARRIERS)
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CarrierTarget]:
    name = request.param
    url = os.environ.get("LINKOPTIMA_CARRIER_URL", "")
    if name == "furgonetka":
        if url:
            creds = {k: os.environ[f"LINKOPTIMA_CARRIER_{k.upper()}"]
                     for k in ("client_id", "client_secret", "username", "password")}
            yield CarrierTarget(name, FurgonetkaCarrier(furgonetka_settings(url, creds), SENDER), None)
            return
        with FurgonetkaEmulator(tmp_path / "furgonetka", ready_after_polls=2) as emulator:
            carrier = FurgonetkaCarrier(furgonetka_settings(emulator.url, emulator.credentials()), SENDER,
                                        sleep=lambda _s: None)
            yield CarrierTarget(name, carrier, emulator)
        return
    raise pytest.UsageError(f"unknown carrier {name!r}")
