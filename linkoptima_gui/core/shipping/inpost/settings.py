"""One InPost ShipX account as the settings hold it, and the service names it maps to.

The token is a secret: it comes from the keyring and never shows in ``repr`` or a log line.
The waits (``poll_*``, ``max_wait``) bound how long one call holds a worker while ShipX buys a
shipment; after that the engine asks again (``pending_retry_after``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

PRODUCTION_URL = "https://api-shipx-pl.easypack24.net"
SANDBOX_URL = "https://sandbox-api-shipx-pl.easypack24.net"

#: The port's services -> ShipX services; the settings may add or change entries.
DEFAULT_SERVICES = {
    "locker_standard": "inpost_locker_standard",
    "courier_standard": "inpost_courier_standard",
    "courier_express": "inpost_courier_express_1700",
}


@dataclass(frozen=True)
class InPostSettings:
    """One ShipX account. The token is a secret (kept in the keyring) and never in ``repr``."""

    base_url: str = PRODUCTION_URL
    token: str = field(default="", repr=False)
    organization_id: str = ""
    timeout: float = 15.0  # seconds, for each HTTP call
    services: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SERVICES))
    sending_method: str = "dispatch_order"  # courier pickup: allowed for locker and courier services
    poll_interval: float = 1.0  # seconds between status reads while waiting for "confirmed"
    poll_limit: int = 15  # status reads at most, per call
    max_wait: float = 20.0  # seconds of waiting at most, per call
    pending_retry_after: float = 60.0  # when the engine should ask again about an unconfirmed one
    label_type: str = "A6"
