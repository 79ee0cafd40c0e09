"""Writing the audit log: every transition and every manual action, with who and why."""

from __future__ import annotations

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
    details: dict[str, Any] | None = None,
) -> None:
    """Add an audit row to the session's transaction (committed with the change it explains)."""
    session.add(
        AuditEvent(order_id=order_id, step=step, actor=actor, kind=kind, message=message, details=details or {})
    )
