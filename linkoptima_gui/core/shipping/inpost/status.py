"""Waiting, bounded, for ShipX to confirm a shipment it has just been asked to buy.

ShipX is asynchronous: ``POST .../shipments`` answers ``created`` before a tracking number or a
label exists; both come with ``confirmed``. The wait is bounded (``poll_limit`` reads and
``max_wait`` seconds); a shipment still unconfirmed after that is a ``WaitingError``
(``carrier_pending``), so the engine asks again later instead of holding a worker. A shipment
cancelled meanwhile is refused for good: its label must not be printed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ...errors import PermanentError, WaitingError
from .settings import InPostSettings

#: Statuses from which ShipX gives a label ("confirmed or later").
LABEL_READY = frozenset(
    {
        "confirmed",
        "dispatched_by_sender",
        "collected_from_sender",
        "taken_by_courier",
        "adopted_at_source_branch",
        "sent_from_source_branch",
        "adopted_at_sorting_center",
        "out_for_delivery",
        "ready_to_pickup",
        "delivered",
        "pickup_time_expired",
        "avizo",
    }
)
CANCELED = "canceled"

#: Reads a shipment's current state from ShipX by its id.
StatusReader = Callable[[str], dict[str, Any]]


def await_confirmation(
    data: dict[str, Any],
    reference: str,
    read_status: StatusReader,
    settings: InPostSettings,
    monotonic: Callable[[], float] = time.monotonic,
) -> dict[str, Any]:
    """The shipment ``data`` once it has a label (status and tracking number), read again every
    ``poll_interval`` seconds within the limits of ``settings``."""
    deadline = monotonic() + settings.max_wait
    polls = 0
    while not (data.get("status") in LABEL_READY and data.get("tracking_number")):
        if data.get("status") == CANCELED:
            raise PermanentError(
                f"Przesyłka InPost {data['id']} dla zamówienia {reference} została anulowana.",
                code="carrier_refused",
                details={"reference": reference, "shipment_id": data["id"]},
            )
        if polls >= settings.poll_limit or monotonic() >= deadline:
            raise WaitingError(
                f"InPost jeszcze nie potwierdził przesyłki {data['id']} dla zamówienia {reference} "
                f"(status {data.get('status')}); etykieta będzie gotowa po potwierdzeniu.",
                code="carrier_pending",
                retry_after=settings.pending_retry_after,
                details={"reference": reference, "shipment_id": data["id"], "status": data.get("status")},
            )
        if settings.poll_interval > 0:
            time.sleep(min(settings.poll_interval, max(0.0, deadline - monotonic())))
        polls += 1
        data = read_status(str(data["id"]))
    return data
