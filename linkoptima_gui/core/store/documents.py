"""Documents kept in the store: the label (PDF and ZPL) and the invoice PDF of each order.

The engine writes them where it fetched or rendered them; a packing station on another computer
prints them from here (the engine's folder is not theirs), and so do reprints. A row from before
the documents were kept in the store still has its file path on the order (``label_pdf`` …): the
readers fall back to it.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import StoredDocument

LABEL_PDF, LABEL_ZPL, INVOICE_PDF = "label_pdf", "label_zpl", "invoice_pdf"


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
