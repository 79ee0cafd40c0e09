"""Which packing station has a parcel open (DESIGN.md §5).

A station claims a parcel when it opens it; another station then sees "pakuje: <stacja>" and
cannot print it. The claim lasts ``CLAIM_SECONDS`` by the store's clock and the station renews
it while the parcel stays on its screen, so a station that goes away (switched off, crashed)
frees its parcel by itself. Every change is a compare-and-set on the row (the same station, or
a lapsed claim), so two stations opening one parcel at the same moment cannot both get it, on
any database.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import PermanentError
from ..store.db import server_now
from ..store.models import OrderRow, ParcelClaim

#: how long a parcel stays a station's without the station renewing its claim
CLAIM_SECONDS = 120.0


class PackingError(PermanentError):
    """The parcel cannot be packed now (not ready, already packed, taken by another station)."""

    code = "packing"


class ParcelTaken(PackingError):
    """Another station has the parcel open; ``station`` names it."""

    def __init__(self, number: str, station: str) -> None:
        who = f"stanowisko {station}" if station else "już inne stanowisko"
        super().__init__(f"Zamówienie {number} pakuje {who}.", details={"station": station})
        self.station = station


def claim(session: Session, order: OrderRow, station: str, operator: str = "",
          seconds: float = CLAIM_SECONDS) -> None:
    """Make ``order``'s parcel this station's (or keep it so, for longer); ``ParcelTaken`` when
    another station holds an unexpired claim. Runs in the caller's transaction."""
    number = order.number  # (read now: a failed insert below expires the session's objects)
    now = server_now(session)
    values = {"station": station, "operator": operator[:64], "claimed_at": now,
              "expires_at": now + timedelta(seconds=seconds)}
    taken = session.execute(
        update(ParcelClaim)
        .where(ParcelClaim.order_id == order.id, or_(ParcelClaim.station == station, ParcelClaim.expires_at < now))
        .values(**values)
    ).rowcount
    if taken == 1:
        return
    holder = session.scalar(select(ParcelClaim.station).where(ParcelClaim.order_id == order.id))
    if holder is not None:
        raise ParcelTaken(number, holder)
    session.add(ParcelClaim(order_id=order.id, **values))
    try:
        session.flush()
    except IntegrityError:  # another station inserted it a moment earlier (the transaction is lost)
        raise ParcelTaken(number, "") from None


def release(session: Session, order_id: int, station: str) -> None:
    """The station is done with the parcel (packed, or moved on to another one)."""
    session.execute(delete(ParcelClaim).where(ParcelClaim.order_id == order_id, ParcelClaim.station == station))


def holders(session: Session, order_ids: list[int] | None = None) -> dict[int, str]:
    """order id -> the station holding an unexpired claim (all claims, or those of ``order_ids``)."""
    query = select(ParcelClaim.order_id, ParcelClaim.station).where(ParcelClaim.expires_at >= server_now(session))
    if order_ids is not None:
        if not order_ids:
            return {}
        query = query.where(ParcelClaim.order_id.in_(order_ids))
    return {order_id: station for order_id, station in session.execute(query)}


def numbers_by_station(session: Session, now: datetime | None = None) -> dict[str, list[str]]:
    """station -> the order numbers of the parcels it has open (``linkoptima status``)."""
    now = now or server_now(session)
    result: dict[str, list[str]] = defaultdict(list)
    for station, number in session.execute(
        select(ParcelClaim.station, OrderRow.number).join(OrderRow, OrderRow.id == ParcelClaim.order_id)
        .where(ParcelClaim.expires_at >= now).order_by(ParcelClaim.station, OrderRow.number)
    ):
        result[station].append(number)
    return dict(result)
