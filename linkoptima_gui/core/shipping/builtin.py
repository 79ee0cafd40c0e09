"""The built-in carrier: labels for shops without a carrier contract, and for the demo.

It behaves like a real carrier as far as the engine can tell: a shipment is created once per
order (idempotent by ``reference``), gets an opaque 24-digit tracking number and a 100x150 mm
label as PDF or ZPL. Its state is one SQLite file in ``folder``; every create is one
transaction with ``synchronous=FULL``, so a kill -9 at any moment leaves either no shipment or a
complete one, and a restarted process finds it again instead of making a second label.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from ..domain.money import format_pln
from ..domain.order import Address
from ..errors import PermanentError
from .label_content import LabelContent
from .label_zpl import render_label_zpl
from .port import (
    PDF_LABEL,
    ZPL_LABEL,
    Capabilities,
    LabelFormat,
    LabelSpec,
    NotSupportedError,
    PortDefaults,
    Shipment,
    ShipmentRequest,
    TrackEvent,
    as_spec,
)

DB_NAME = "carrier.sqlite"
STATUS_CONFIRMED = "confirmed"
STATUS_CANCELED = "canceled"
MAX_WEIGHT_KG = Decimal("25")

#: How the services of the port are shown to the packer and the courier.
SERVICE_NAMES = {
    "locker_standard": "Paczkomat – standard",
    "courier_standard": "Kurier – standard",
    "courier_express": "Kurier – ekspres",
}
#: InPost-style parcel templates; the letter is what people in the warehouse say.
PARCEL_SIZES = {"small": "A", "medium": "B", "large": "C", "xlarge": "D"}
#: the size in words on the label (Polish: the courier and the packer read it)
PARCEL_SIZE_WORDS = {"small": "mała", "medium": "średnia", "large": "duża", "xlarge": "bardzo duża"}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS shipments (
    seq             INTEGER PRIMARY KEY,
    reference       TEXT NOT NULL UNIQUE,
    tracking_number TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL,
    request         TEXT NOT NULL,
    sender          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    labels_fetched  INTEGER NOT NULL DEFAULT 0
);
"""


@dataclass(frozen=True)
class SenderInfo:
    """The shop as the sender printed on every label (from the settings)."""

    name: str
    address: Address
    phone: str = ""
    email: str = ""


def is_locker_service(service: str) -> bool:
    return "locker" in service


def check_digit(digits: str) -> str:
    """GS1 mod-10 check digit (weights 3,1 from the right), so a mistyped number is caught."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


def make_tracking_number(install_id: int, seq: int) -> str:
    """24 digits: '6', a per-folder id (so two demo worlds never share numbers), the counter
    and a check digit. Callers must treat it as opaque, as they do real carriers' numbers."""
    body = f"6{install_id:06d}{seq:016d}"
    return body + check_digit(body)


def label_content(request: ShipmentRequest, sender: SenderInfo, tracking: str, created: str) -> LabelContent:
    """Word the label: who from, who to (or which parcel locker), what and how much to collect."""
    name = request.receiver_name.strip() or request.receiver_company.strip()
    lines: list[str] = []
    if request.receiver_company.strip() and request.receiver_company.strip() != name:
        lines.append(request.receiver_company.strip())
    if is_locker_service(request.service):
        lines.append(f"Paczkomat {request.locker_id.strip()}")
    else:
        addr = request.address
        city = f"{addr.postcode} {addr.city}".strip()
        if addr.country and addr.country != "PL":  # abroad: the country must be on the label
            city = f"{city}, {addr.country}"
        lines += [p for p in (addr.street, city) if p]
    sender_addr = sender.address
    sender_lines = [sender.name, sender_addr.street, f"{sender_addr.postcode} {sender_addr.city}".strip()]
    contact = "  ".join(p for p in (f"tel. {sender.phone}" if sender.phone else "", sender.email) if p)
    sender_lines.append(contact)
    size = PARCEL_SIZES.get(request.parcel_size)
    cod = request.cod_amount
    return LabelContent(
        tracking_number=tracking,
        reference=request.reference,
        service=SERVICE_NAMES.get(request.service, request.service),
        created=created,
        sender_lines=tuple(s for s in sender_lines if s),
        receiver_name=name,
        receiver_lines=tuple(lines),
        locker_id=request.locker_id.strip() if is_locker_service(request.service) else "",
        phone=request.phone,
        parcel=f"{size} ({PARCEL_SIZE_WORDS[request.parcel_size]})" if size else request.parcel_size,
        weight=f"{request.weight_kg:.2f}".replace(".", ",") + " kg",
        cod_text=f"POBRANIE: {format_pln(cod)}" if cod > 0 else "",
    )


def _request_to_json(request: ShipmentRequest) -> str:
    return json.dumps(asdict(request), default=str, ensure_ascii=False, sort_keys=True)


def _request_from_json(text: str) -> ShipmentRequest:
    data = json.loads(text)
    data["address"] = Address(**data["address"])
    data["cod_amount"] = Decimal(data["cod_amount"])
    data["weight_kg"] = Decimal(data["weight_kg"])
    return ShipmentRequest(**data)


def _sender_from_json(text: str) -> SenderInfo:
    data = json.loads(text)
    data["address"] = Address(**data["address"])
    return SenderInfo(**data)


def validate(request: ShipmentRequest) -> None:
    """Refuse what a real carrier would refuse, with a reason the warehouse manager can act on."""

    def refuse(reason: str) -> PermanentError:
        return PermanentError(reason, code="carrier_refused", details={"reference": request.reference})

    if not request.reference.strip():
        raise refuse("Przesyłka bez numeru zamówienia (referencji).")
    if not (request.receiver_name.strip() or request.receiver_company.strip()):
        raise refuse(f"Zamówienie {request.reference}: brak nazwy odbiorcy.")
    if is_locker_service(request.service):
        if not request.locker_id.strip():
            raise refuse(f"Zamówienie {request.reference}: usługa paczkomatowa wymaga kodu paczkomatu.")
    else:
        addr = request.address
        if not (addr.street.strip() and addr.city.strip() and addr.postcode.strip()):
            raise refuse(f"Zamówienie {request.reference}: niepełny adres odbiorcy (ulica, kod, miasto).")
    if request.cod_amount < 0:
        raise refuse(f"Zamówienie {request.reference}: ujemna kwota pobrania.")
    if not (0 < request.weight_kg <= MAX_WEIGHT_KG):
        raise refuse(f"Zamówienie {request.reference}: waga paczki musi być od 0 do {MAX_WEIGHT_KG} kg.")


class BuiltinCarrier(PortDefaults):
    """A carrier whose only "server" is a SQLite file; safe to share between threads and
    processes (each call opens its own connection and writes in an IMMEDIATE transaction)."""

    name = "builtin"

    def capabilities(self) -> Capabilities:
        """Its create is idempotent by reference (one transaction), it renders 100x150 PDF and
        203 dpi ZPL, cancels, and knows only its own "confirmed" state."""
        return Capabilities(cod=True, cancel=True, track=True, idempotent_create=True,
                            labels=frozenset({PDF_LABEL, ZPL_LABEL}))

    def __init__(self, folder: Path, sender: SenderInfo) -> None:
        self.folder = Path(folder)
        self.sender = sender
        self.folder.mkdir(parents=True, exist_ok=True)
        self.db_path = self.folder / DB_NAME
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('install_id', ?)",
                (str(secrets.randbelow(1_000_000)),),
            )
            conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('next_seq', '1')")
            conn.execute("COMMIT")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.db_path, timeout=15, isolation_level=None)
        with closing(conn):
            conn.execute("PRAGMA synchronous=FULL")
            yield conn

    @staticmethod
    def _shipment(row: tuple[int, str, str, str]) -> Shipment:
        seq, reference, tracking, status = row
        return Shipment(
            shipment_id=f"B{seq:08d}", reference=reference, tracking_number=tracking, status=status
        )

    def find_by_reference(self, reference: str) -> Shipment | None:
        with self._connect() as conn:
            row = conn.execute(
                "SELECT seq, reference, tracking_number, status FROM shipments WHERE reference = ?",
                (reference,),
            ).fetchone()
        return self._shipment(row) if row else None

    def create_shipment(self, request: ShipmentRequest, idempotency_key: str = "") -> Shipment:
        """Create the shipment, or return the one this reference already has (a retry after a
        timeout or a crash must never buy a second label)."""
        existing = self.find_by_reference(request.reference)
        if existing:
            return existing
        validate(request)
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                row = conn.execute(
                    "SELECT seq, reference, tracking_number, status FROM shipments WHERE reference = ?",
                    (request.reference,),
                ).fetchone()
                if row:  # another thread or process created it since our first look
                    conn.execute("ROLLBACK")
                    return self._shipment(row)
                meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
                seq = int(meta["next_seq"])
                tracking = make_tracking_number(int(meta["install_id"]), seq)
                conn.execute("UPDATE meta SET value = ? WHERE key = 'next_seq'", (str(seq + 1),))
                conn.execute(
                    "INSERT INTO shipments(seq, reference, tracking_number, status, request, sender, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        seq,
                        request.reference,
                        tracking,
                        STATUS_CONFIRMED,
                        _request_to_json(request),
                        json.dumps(asdict(self.sender), ensure_ascii=False),
                        datetime.now(UTC).isoformat(timespec="seconds"),
                    ),
                )
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        return Shipment(f"B{seq:08d}", request.reference, tracking, STATUS_CONFIRMED)

    def cancel_shipment(self, shipment: Shipment) -> None:
        """Cancel: the shipment keeps its number, its reference is set aside (``<ref>~<seq>``) so
        the order may get a new one; a shipment already canceled stays so."""
        with self._connect() as conn:
            conn.execute(
                "UPDATE shipments SET status = ?, reference = reference || '~' || seq "
                "WHERE tracking_number = ? AND status != ?",
                (STATUS_CANCELED, shipment.tracking_number, STATUS_CANCELED),
            )

    def track(self, shipment: Shipment) -> list[TrackEvent]:
        """The only event this carrier knows: the shipment was created (or canceled)."""
        with self._connect() as conn:
            row = conn.execute("SELECT status, created_at FROM shipments WHERE tracking_number = ?",
                               (shipment.tracking_number,)).fetchone()
        if row is None:
            return []
        return [TrackEvent(row[1], row[0], "Przesyłka utworzona" if row[0] == STATUS_CONFIRMED else "Anulowana")]

    def fetch_label(self, shipment: Shipment, kind: LabelFormat | LabelSpec) -> bytes:
        """The label as printed: 100x150 mm PDF or 203 dpi ZPL. The same shipment always gives
        the same bytes, so a reprint is identical to the first print."""
        spec = as_spec(kind)
        if spec not in (PDF_LABEL, ZPL_LABEL):
            raise NotSupportedError(f"Wbudowany przewoźnik drukuje etykiety PDF 100x150 i ZPL 203 dpi, nie {spec}.")
        fmt = spec.fmt
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            row = conn.execute(
                "SELECT tracking_number, request, sender, created_at FROM shipments WHERE reference = ?",
                (shipment.reference,),
            ).fetchone()
            if row is None or row[0] != shipment.tracking_number:
                conn.execute("ROLLBACK")
                raise PermanentError(
                    f"Przesyłka {shipment.tracking_number} (zamówienie {shipment.reference}) "
                    "nie istnieje u wbudowanego przewoźnika.",
                    code="shipment_not_found",
                    details={"reference": shipment.reference, "tracking_number": shipment.tracking_number},
                )
            conn.execute(
                "UPDATE shipments SET labels_fetched = labels_fetched + 1 WHERE reference = ?",
                (shipment.reference,),
            )
            conn.execute("COMMIT")
        tracking, request_json, sender_json, created_at = row
        content = label_content(
            _request_from_json(request_json), _sender_from_json(sender_json), tracking, created_at[:10]
        )
        if fmt == "pdf":
            from .label_pdf import render_label_pdf  # reportlab: not part of the console's start

            return render_label_pdf(content)
        return render_label_zpl(content)

    def count_shipments(self) -> dict[str, int]:
        """What the carrier holds, counted from its own file: the headless demo run compares it
        with the shop's orders to prove that no order got two labels."""
        with self._connect() as conn:
            total, distinct, labels = conn.execute(
                "SELECT COUNT(*), COUNT(DISTINCT reference), COALESCE(SUM(labels_fetched), 0) FROM shipments "
                f"WHERE status != '{STATUS_CANCELED}'"
            ).fetchone()
        return {
            "total": total,
            "distinct_references": distinct,
            "duplicates": total - distinct,
            "labels_fetched": labels,
        }
