"""A carrier that books couriers and counts how often (the end of the day's tests): DPD-like with a
handover protocol of its own, or Furgonetka-like with a booking number only."""

from __future__ import annotations

import threading
import time
from datetime import date

from linkoptima_gui.core.errors import PermanentError
from linkoptima_gui.core.shipping.port import Capabilities, PickupBooking, PortDefaults, Shipment

PROTOCOL = b"%PDF-1.4\n% protokol DPD\n"


class FakeCarrier(PortDefaults):
    """A carrier that books couriers and counts how often; DPD-like with a protocol of its own."""

    def __init__(self, name: str, *, protocol: bool, pickup: bool = True, delay: float = 0.0) -> None:
        self.name = name
        self.protocol = protocol
        self.pickup = pickup
        self.delay = delay
        self.calls: list[tuple[date, tuple[str, ...], tuple[str, ...]]] = []
        self.refuse: list[str] = []
        self._lock = threading.Lock()

    def capabilities(self) -> Capabilities:
        return Capabilities(pickup=self.pickup, handover_protocol=self.protocol)

    def book_pickup(self, shipments: list[Shipment], day: date) -> PickupBooking:
        time.sleep(self.delay)
        with self._lock:
            if self.refuse:
                raise PermanentError(self.refuse.pop(0), code="carrier_refused")
            self.calls.append((day, tuple(s.tracking_number for s in shipments),
                               tuple(s.shipment_id for s in shipments)))
            number = len(self.calls)
        tracks = tuple(s.tracking_number for s in shipments)
        if self.protocol:
            return PickupBooking(f"{number:08d}", day, tracks, PROTOCOL, f"PROT/{number:05d}")
        return PickupBooking(f"ZK{number:06d}", day, tracks)
