"""Writing the audit log: every transition and every manual action, with who and why."""

from __future__ import annotations

import getpass
from typing import Any

from sqlalchemy.orm import Session

from ..store.models import AuditEvent


def record(
    session: Session,
    kind: str,
    message: str,
    *,
    order_id: int | None = None,
    step: str = "",
    actor: str = "engine",
    station: str = "",
    details: dict[str, Any] | None = None,
) -> None:
    """Add an audit row to the session's transaction (committed with the change it explains);
    ``station``: the packing station (or console) the action came from."""
    session.add(AuditEvent(order_id=order_id, step=step, actor=actor, station=station[:64], kind=kind,
                           message=message, details=details or {}))


def operator_name() -> str:
    """Who sits at this station: the login name (the audit log's "who"), "" when there is none."""
    try:
        return getpass.getuser()
    except Exception:  # no login name (e.g. a service account without one)
        return ""
