"""The parcel on this station's screen is this station's (DESIGN.md §5).

Opening a parcel claims it in the store (``PackingService.open_parcel``) before it is read, so
two stations never work on one box; the claim is renewed every half minute while the parcel
stays on screen (it lapses by itself if the station goes away) and released when the packer
moves on or closes the console. All of it runs off the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, QTimer
from sqlalchemy.orm import Session, sessionmaker

from ...core.engine.packing import PackingService
from ...core.store import queries
from ...core.store.queries import Parcel
from ..background import Lane, run_in_background
from ..context import ConsoleContext

log = logging.getLogger(__name__)

#: how often the parcel on screen is claimed again (its claim lasts ``parcel_claims.CLAIM_SECONDS``)
RENEW_CLAIM_MS = 30_000


def _claim_and_read(factory: sessionmaker[Session], packing: PackingService, order_id: int, station: str,
                    operator: str) -> Parcel | None:
    """Claim the parcel for this station, then read it (``ParcelTaken`` when another has it)."""
    packing.open_parcel(order_id, station=station, operator=operator)
    with factory() as session:
        return queries.parcel(session, order_id)


class ParcelClaims(QObject):
    """Claims, renews and releases the parcel the view shows (``current``)."""

    def __init__(self, context: ConsoleContext, current: Callable[[], int | None],
                 on_refused: Callable[[int, bool, BaseException], None], parent: QObject) -> None:
        super().__init__(parent)
        self._context = context
        self._current = current
        self._on_refused = on_refused
        self._timer = QTimer(self)
        self._timer.setInterval(RENEW_CLAIM_MS)
        self._timer.timeout.connect(self.renew)
        self._timer.start()

    def open(self, order_id: int, chosen: bool, on_read: Callable[[Parcel | None], None]) -> None:
        """Claim ``order_id`` and read it: ``on_read(parcel)``, or the refusal callback."""
        ctx = self._context
        run_in_background(partial(_claim_and_read, ctx.session_factory, ctx.packing, order_id, ctx.station,
                                  ctx.operator),
                          on_read, partial(self._on_refused, order_id, chosen), owner=self)

    def renew(self) -> None:
        order_id, ctx = self._current(), self._context
        if order_id is not None:
            run_in_background(partial(ctx.packing.open_parcel, order_id, station=ctx.station, operator=ctx.operator),
                              lambda _none: None, partial(self._on_refused, order_id, True), owner=self)

    def release(self, order_id: int) -> None:
        ctx = self._context
        run_in_background(partial(ctx.packing.close_parcel, order_id, station=ctx.station), lambda _none: None,
                          lambda exc: log.warning("releasing parcel %s failed: %s", order_id, exc),
                          owner=self, lane=Lane.ACTION)

    def release_now(self) -> None:
        """At closing time, on the calling thread: the other stations may pack it at once."""
        order_id = self._current()
        if order_id is None:
            return
        try:
            self._context.packing.close_parcel(order_id, station=self._context.station)
        except Exception:  # the store may be gone already; the claim then lapses by itself
            log.warning("releasing parcel %s failed", order_id, exc_info=True)
