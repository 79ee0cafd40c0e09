"""Documents kept in the store: the label (PDF and ZPL) and the invoice PDF of each order.

The engine writes them where it fetched or rendered them; a packing station on another computer
prints them from here (the engine's folder is not theirs), and so do reprints. A row from before
the documents were kept in the store still has its file path on the order (``label_pdf`` …): the
readers fall back to it.

They are some 120 KB an order, so the store keeps them only while they are likely needed: the
active engine drops those of orders packed more than ``KEEP_DAYS`` ago (the engine's own folder
keeps every file, and an invoice can be rendered again from Optima's books).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .models import OrderRow, StoredDocument

LABEL_PDF, LABEL_ZPL, INVOICE_PDF = "label_pdf", "label_zpl", "invoice_pdf"
#: days after packing that an order's documents stay in the store (returns: 14 days to withdraw)
KEEP_DAYS = 30


class DocumentMissing(Exception):
    """Neither the store nor the file has the document; ``str()`` is Polish."""


def keep_document(session: Session, order_id: int, kind: str, name: str, content: bytes) -> None:
    """Store (or replace) the order's document of ``kind`` in the session's transaction."""
    row = session.scalar(select(StoredDocument).where(StoredDocument.order_id == order_id,
                                                      StoredDocument.kind == kind))
    if row is None:
        session.add(StoredDocument(order_id=order_id, kind=kind, name=name[:128], content=content))
    else:
        row.name, row.content = name[:128], content


def read_document(session: Session, order_id: int, kind: str, legacy_path: str = "") -> bytes | None:
    """The document's bytes from the store, else from ``legacy_path`` (None when it has none)."""
    content = session.scalar(select(StoredDocument.content).where(StoredDocument.order_id == order_id,
                                                                  StoredDocument.kind == kind))
    if content is not None:
        return bytes(content)
    if not legacy_path:
        return None
    try:
        return Path(legacy_path).read_bytes()
    except OSError as exc:
        raise DocumentMissing(f"Nie ma pliku {legacy_path} ({exc.strerror or exc}).") from exc


def prune_documents(session: Session, packed_before: datetime) -> int:
    """Drop the stored documents of orders packed before ``packed_before``; how many went."""
    old = select(OrderRow.id).where(OrderRow.packed_at.is_not(None), OrderRow.packed_at < packed_before)
    return session.execute(delete(StoredDocument).where(StoredDocument.order_id.in_(old))).rowcount
