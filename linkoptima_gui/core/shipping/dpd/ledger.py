"""The DPD adapter's own record of the waybills it generated, per order reference.

Why it exists: DPDServices has no "find by reference" call and no cancel (reference
``carriers.md`` §1.1: "no idempotency key and no find by reference call seen"; "a waybill simply is
not handed over"). So the console remembers, in a small file next to its data, which waybill each
order got: the label step's ``find_by_reference`` reads it, so a retry after a crash or a reprint
never generates a second number. The file is written atomically right after DPD answers. A
cancelled label's waybill is voided here (DPD has no cancel), and a waybill on a handover
protocol is marked so (then it can no longer be voided).

A create whose answer was lost leaves the intent without a waybill; the retry generates a new
number and the lost one is never printed, never put on the handover protocol and never handed
over, so DPD does not charge for it (DPD bills what the courier collects against the protocol —
our reading of the reference, to be checked with a DPD account manager).
"""

from __future__ import annotations

import base64
import json
import threading
from pathlib import Path
from typing import Any

#: the key the protocols are kept under in the file (no order reference starts with a space)
PROTOCOLS = " protocols"


class DPDLedger:
    """Waybills per reference, in ``<folder>/dpd-ledger.json`` (or in memory without a folder)."""

    def __init__(self, folder: Path | None = None) -> None:
        self._file = Path(folder) / "dpd-ledger.json" if folder else None
        self._lock = threading.Lock()
        self._rows: dict[str, dict[str, Any]] = {}
        self._protocols: dict[str, dict[str, str]] = {}  # protocol number -> its PDF (base64), pickup
        if self._file is not None:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            if self._file.exists():
                self._rows = json.loads(self._file.read_text("utf-8"))
                self._protocols = self._rows.pop(PROTOCOLS, {})

    def intend(self, reference: str, key: str) -> None:
        """Note that a create for ``reference`` is going out (kept if a waybill is already known)."""
        with self._lock:
            row = self._rows.setdefault(reference, {"key": key, "waybill": "", "lost": []})
            if not row["waybill"]:
                row["key"] = key
            self._save()

    def lost(self, reference: str) -> None:
        """The create's answer never came: whatever DPD generated is not ours to hand over."""
        with self._lock:
            row = self._rows.get(reference)
            if row is not None:
                row["lost"].append(row["key"])
                self._save()

    def record(self, reference: str, waybill: str, package_id: str, session_id: str) -> None:
        with self._lock:
            row = self._rows.setdefault(reference, {"key": "", "lost": []})
            row.update(waybill=waybill, package_id=package_id, session_id=session_id)
            self._save()

    def void(self, reference: str) -> None:
        """The order's waybill is not to be handed over (its label was cancelled): the next
        create numbers the order anew."""
        with self._lock:
            row = self._rows.get(reference)
            if row is not None and row.get("waybill"):
                row.setdefault("voided", []).append(row["waybill"])
                row.update(waybill="", package_id="", session_id="", protocol="")
                self._save()

    def handed_over(self, waybills: dict[str, str], protocol: str, pdf: bytes) -> None:
        """These orders' waybills (reference -> waybill) are on the handover protocol ``protocol``
        (its PDF kept with it: DPD gives a protocol once)."""
        with self._lock:
            for reference, waybill in waybills.items():
                row = self._rows.get(reference)
                if row is not None and row.get("waybill") == waybill:
                    row["protocol"] = protocol
            self._protocols[protocol] = {"pdf": base64.b64encode(pdf).decode("ascii"), "pickup": ""}
            self._save()

    def picked_up(self, protocol: str, pickup: str) -> None:
        """The courier was called for ``protocol`` (DPD's pickup order number)."""
        with self._lock:
            if protocol in self._protocols:
                self._protocols[protocol]["pickup"] = pickup
                self._save()

    def protocol_of(self, references: list[str]) -> tuple[str, bytes, str] | None:
        """The protocol these orders' parcels are all on together: its number, PDF and the courier
        called for it ("" when not yet), or None."""
        with self._lock:
            names = {(self._rows.get(r) or {}).get("protocol") or "" for r in references}
            name = names.pop() if len(names) == 1 else ""
            kept = self._protocols.get(name) if name else None
            return (name, base64.b64decode(kept["pdf"]), kept["pickup"]) if kept else None

    def get(self, reference: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._rows.get(reference)
            return dict(row) if row and row.get("waybill") else None

    def _save(self) -> None:
        if self._file is None:
            return
        tmp = self._file.with_suffix(".tmp")
        tmp.write_text(json.dumps({**self._rows, PROTOCOLS: self._protocols}, ensure_ascii=False), "utf-8")
        tmp.replace(self._file)
