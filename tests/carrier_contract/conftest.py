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

from linkoptima_gui.core.shipping.dpd import DPDCarrier, DPDLedger, DPDSettings
from linkoptima_gui.core.shipping.furgonetka import FurgonetkaCarrier, FurgonetkaSettings
from linkoptima_gui.demo.dpd import DPDEmulator
from linkoptima_gui.demo.furgonetka import FurgonetkaEmulator
from tests.shipping.samples import SENDER

CARRIERS = [c for c in os.environ.get("LINKOPTIMA_CARRIER", "furgonetka,dpd").split(",") if c]
IBAN = "PL61109010140000071219812874"


@dataclass
class CarrierTarget:
    name: str
    carrier: Any
    emulator: Any | None  # None on a real sandbox
    #: the same carrier with a short timeout (for the lost answer)
    impatient: Any = None
    #: the create's request, to hold its answer back: (method, path fragment)
    create_route: tuple[str, str] = ("", "")

    def bought(self) -> list[str]:
        """References the carrier charges for (Furgonetka: ordered; DPD: on a protocol or
        merely generated; the test says which)."""
        emulator = self.need_emulator()
        if self.name == "dpd":
            return [p["reference"] for p in emulator.generated()]
        return [p["user_reference_number"] for p in emulator.ordered()]

    def need_emulator(self) -> Any:
        if self.emulator is None:
            pytest.skip("needs the emulator's controls")
        return self.emulator


def dpd_settings(url: str, creds: dict[str, str], **overrides: Any) -> DPDSettings:
    return DPDSettings(base_url=url, pudo_url=url + "/api/pudo", timeout=float(overrides.pop("timeout", 5.0)),
                       **creds, **overrides)


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
            impatient = FurgonetkaCarrier(furgonetka_settings(emulator.url, emulator.credentials(), timeout=0.5),
                                          SENDER, sleep=lambda _s: None)
            yield CarrierTarget(name, carrier, emulator, impatient, ("PUT", "/order-commands/"))
        return
    if name == "dpd":
        ledger = DPDLedger(tmp_path / "ledger")  # the console's record, shared like the store
        if url:
            creds = {k: os.environ[f"LINKOPTIMA_CARRIER_{k.upper()}"]
                     for k in ("login", "password", "master_fid", "pudo_key")}
            yield CarrierTarget(name, DPDCarrier(dpd_settings(url, creds), SENDER, ledger), None)
            return
        with DPDEmulator(tmp_path / "dpd") as emulator:
            carrier = DPDCarrier(dpd_settings(emulator.url, emulator.credentials()), SENDER, ledger)
            impatient = DPDCarrier(dpd_settings(emulator.url, emulator.credentials(), timeout=0.5), SENDER, ledger)
            yield CarrierTarget(name, carrier, emulator, impatient, ("POST", "/generatePackagesNumbers"))
        return
    raise pytest.UsageError(f"unknown carrier {name!r}")
