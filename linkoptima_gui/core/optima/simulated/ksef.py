"""KSeF sending as Optima does it, simulated: confirmed company invoices get a KSeF number.

In a real installation Optima sends a confirmed FA to KSeF ("send on confirm", or a user's
batch) and stores the outcome on ``TraNag`` (``TrN_NrKSeF``, ``TrN_KSeFStatus``, the dates of
sending, acceptance and UPO). The console only reads that. This module plays Optima's part for
the demo and the tests: ``send_due`` takes every confirmed FA to a buyer with a NIP that is
older than ``delay_seconds`` and has no number yet, writes the invoice's structured file (a
compact FA(3)-shaped XML built from the books) into ``xml_folder`` as ``<KSeF number>.xml``,
and stamps the KSeF columns. The reader hashes that file for the verification QR code.

Private buyers are not sent (KSeF is not mandatory for invoices to consumers), nor documents or
contractors marked "Nie wysyłaj do KSeF".
"""

from __future__ import annotations

import hashlib
import logging
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select, update

from ...documents.ksef import crc8
from ...domain.invoice import InvoiceDocument
from ...domain.vat import VatRate
from .. import queries as q
from ..reader import SqlOptimaReader
from ..schema import TraNag
from ..settings import OptimaSettings
from .booking import write_transaction

log = logging.getLogger(__name__)

FA3_NAMESPACE = "http://crd.gov.pl/wzor/2025/06/25/13775/"
#: The status text stamped on an accepted invoice (what the KSeF tab shows).
ACCEPTED = "Przyjęty (UPO odebrane)"
ACCEPTED_ID = 3

#: FA(3) per-rate sum fields: (net, VAT) element names.
_RATE_FIELDS = {
    VatRate.R23: ("P_13_1", "P_14_1"),
    VatRate.R8: ("P_13_2", "P_14_2"),
    VatRate.R5: ("P_13_3", "P_14_3"),
    VatRate.R0: ("P_13_6_1", None),
    VatRate.ZW: ("P_13_7", None),
}


def fa3_xml(doc: InvoiceDocument, corrected: InvoiceDocument | None = None, reason: str = "") -> bytes:
    """The structured invoice as the simulated Optima sends it: FA(3)'s shape and names for the
    fields this console books (not validated against the XSD; it only has to be a stable file
    whose hash the QR code carries). A correction (``corrected`` = the original FA) is a ``KOR``
    naming the original's number, date and KSeF number, with its differences as the figures."""
    ET.register_namespace("", FA3_NAMESPACE)

    def sub(parent: ET.Element, tag: str, text: object | None = None) -> ET.Element:
        element = ET.SubElement(parent, f"{{{FA3_NAMESPACE}}}{tag}")
        if text is not None:
            element.text = str(text)
        return element

    root = ET.Element(f"{{{FA3_NAMESPACE}}}Faktura")
    header = sub(root, "Naglowek")
    sub(header, "KodFormularza", "FA")
    sub(header, "WariantFormularza", 3)
    sub(header, "SystemInfo", "Comarch ERP Optima (symulacja LinkOptima)")
    for tag, party in (("Podmiot1", doc.seller), ("Podmiot2", doc.buyer)):
        node = sub(root, tag)
        ident = sub(node, "DaneIdentyfikacyjne")
        if party.nip:
            sub(ident, "NIP", party.nip)
        else:
            sub(ident, "BrakID", 1)
        sub(ident, "Nazwa", party.name)
        address = sub(node, "Adres")
        sub(address, "KodKraju", party.address.country or "PL")
        sub(address, "AdresL1", party.address.street)
        sub(address, "AdresL2", f"{party.address.postcode} {party.address.city}".strip())
    fa = sub(root, "Fa")
    sub(fa, "KodWaluty", "PLN")
    sub(fa, "P_1", doc.issue_date.isoformat())
    sub(fa, "P_2", doc.number)
    sub(fa, "P_6", doc.sale_date.isoformat())
    for row in doc.vat_rows:
        net_field, vat_field = _RATE_FIELDS[row.rate]
        sub(fa, net_field, row.net)
        if vat_field:
            sub(fa, vat_field, row.vat)
    sub(fa, "P_15", doc.gross_total)
    sub(fa, "RodzajFaktury", "KOR" if corrected else "VAT")
    if corrected is not None:
        if reason:
            sub(fa, "PrzyczynaKorekty", reason)
        original = sub(fa, "DaneFaKorygowanej")
        sub(original, "DataWystFaKorygowanej", corrected.issue_date.isoformat())
        sub(original, "NrFaKorygowanej", corrected.number)
        sub(original, "NrKSeF", 1)
        sub(original, "NrKSeFFaKorygowanej", corrected.ksef_number)
    for line in doc.lines:
        item = sub(fa, "FaWiersz")
        sub(item, "NrWierszaFa", line.position)
        sub(item, "P_7", line.name)
        sub(item, "P_8A", line.unit)
        sub(item, "P_8B", line.quantity)
        if doc.from_gross:
            sub(item, "P_9B", line.unit_gross)
            sub(item, "P_11A", line.gross)
        else:
            sub(item, "P_9A", line.unit_net)
            sub(item, "P_11", line.net)
        sub(item, "P_12", line.rate.label.removesuffix("%").strip())
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def ksef_number(seller_nip: str, day: datetime, xml: bytes) -> str:
    """``<NIP>-<YYYYMMDD>-<12 hex>-<CRC-8>``: the shape KSeF gives (the middle part is derived
    from the file here, so a rerun assigns the same number)."""
    body = f"{seller_nip}-{day:%Y%m%d}-{hashlib.sha256(xml).hexdigest()[:12].upper()}"
    return f"{body}-{crc8(body)}"


class SimulatedKsef:
    """Optima's KSeF sending for one simulated company (call ``send_due`` or ``start``)."""

    def __init__(self, engine: Engine, settings: OptimaSettings, xml_folder: Path, *,
                 delay_seconds: float = 4.0, clock: Callable[[], datetime] = datetime.now) -> None:
        self._engine = engine
        self._settings = settings
        self._folder = Path(xml_folder)
        self._delay = timedelta(seconds=delay_seconds)
        self._clock = clock
        self._reader = SqlOptimaReader(engine, settings, clock=clock)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def send_due(self) -> list[str]:
        """Send every invoice that is due; returns the KSeF numbers assigned."""
        now = self._clock()
        with self._engine.connect() as conn:
            due = conn.execute(
                select(TraNag.c.TrN_TrNID, TraNag.c.TrN_Korekta)
                .where(TraNag.c.TrN_TypDokumentu == q.FA_TYPE, TraNag.c.TrN_Bufor == 0,
                       TraNag.c.TrN_Anulowany == 0, func.coalesce(TraNag.c.TrN_NrKSeF, "") == "",
                       func.coalesce(TraNag.c.TrN_PodNipE, "") != "",
                       func.coalesce(TraNag.c.TrN_NieWysylajDokumentuDoKSeF, 0) == 0,
                       TraNag.c.TrN_TS_Zatw <= now - self._delay)
                .order_by(TraNag.c.TrN_TrNID)
            ).all()
        assigned = []
        for invoice_id, is_correction in due:
            doc = self._reader.read_invoice(invoice_id)
            xml = self._correction_xml(invoice_id, doc) if is_correction else fa3_xml(doc)
            if not xml:
                continue  # the corrected FA has no KSeF number yet: it goes first
            number = ksef_number(self._settings.seller.nip, now, xml)
            self._folder.mkdir(parents=True, exist_ok=True)
            target = self._folder / f"{number}.xml"
            tmp = target.with_suffix(".tmp")
            tmp.write_bytes(xml)
            tmp.replace(target)  # the file exists before the number is visible
            with write_transaction(self._engine) as conn:
                conn.execute(update(TraNag).where(TraNag.c.TrN_TrNID == invoice_id)
                             .values(TrN_NrKSeF=number, TrN_KSeFStatus=ACCEPTED, TrN_KSeFStatusId=ACCEPTED_ID,
                                     TrN_KSeFDataWyslania=now, TrN_KSeFDataPrzyjecia=now,
                                     TrN_KSeFDataOdebraniaUpo=now))
            assigned.append(number)
        return assigned

    def _correction_xml(self, correction_id: int, doc: InvoiceDocument) -> bytes:
        correction = self._reader.read_correction(correction_id)
        if not correction.original.ksef_number:
            return b""
        return fa3_xml(doc, correction.original, correction.reason)

    # -- a background sender for the live demo ------------------------------------------------

    def start(self, interval: float = 1.0) -> None:
        def run() -> None:
            while not self._stop.wait(interval):
                try:
                    self.send_due()
                except Exception:  # the demo goes on; the next pass tries again
                    log.exception("simulated KSeF sending failed")

        self._thread = threading.Thread(target=run, name="demo-ksef", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
