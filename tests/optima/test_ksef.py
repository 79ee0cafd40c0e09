"""KSeF as the simulated Optima does it: company invoices get a number after a delay, the sent
file is kept, and the reader turns it into the verification link the PDF prints as a QR code."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, update

from linkoptima_gui.core.documents.ksef import file_hash, is_ksef_number
from linkoptima_gui.core.optima.reader import SqlOptimaReader
from linkoptima_gui.core.optima.schema import TraNag
from linkoptima_gui.core.optima.settings import OptimaSettings
from linkoptima_gui.core.optima.simulated import SimulatedOptimaWriter
from linkoptima_gui.core.optima.simulated.ksef import SimulatedKsef

from . import factories as f
from .conftest import NOW


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def book(writer: SimulatedOptimaWriter, number: str, buyer) -> int:
    order = f.order(number, buyer=buyer)
    return writer.create_invoice(order, writer.ensure_contractor(buyer)).id


def test_company_invoices_get_a_number_after_the_delay(engine: Engine, tmp_path: Path) -> None:
    clock = Clock()
    settings = OptimaSettings(ksef_environment="demo", ksef_xml_folder=str(tmp_path / "ksef"))
    writer = SimulatedOptimaWriter(engine, settings, clock=clock)
    reader = SqlOptimaReader(engine, settings, clock=clock)
    ksef = SimulatedKsef(engine, settings, tmp_path / "ksef", delay_seconds=5, clock=clock)
    company = book(writer, "1001", f.company_buyer())
    person = book(writer, "1002", f.person_buyer())

    assert ksef.send_due() == []  # Optima has not sent it yet
    assert reader.read_invoice(company).ksef_number == ""
    clock.now += timedelta(seconds=5)
    [number] = ksef.send_due()
    assert ksef.send_due() == []  # sent once

    doc = reader.read_invoice(company)
    assert doc.ksef_number == number and is_ksef_number(number)
    assert number.startswith(f"{settings.seller.nip}-{NOW:%Y%m%d}-")
    sent = (tmp_path / "ksef" / f"{number}.xml").read_bytes()
    assert b"<P_2>" + doc.number.encode() + b"</P_2>" in sent.replace(b"ns0:", b"")
    assert doc.ksef_url == (f"https://qr-demo.ksef.mf.gov.pl/invoice/{settings.seller.nip}/"
                            f"{doc.issue_date:%d-%m-%Y}/{file_hash(sent)}")
    private = reader.read_invoice(person)
    assert (private.ksef_number, private.ksef_url) == ("", "")  # B2C is not sent


def test_marked_do_not_send_and_missing_file(engine: Engine, tmp_path: Path) -> None:
    clock = Clock()
    settings = OptimaSettings(ksef_xml_folder=str(tmp_path / "ksef"))
    writer = SimulatedOptimaWriter(engine, settings, clock=clock)
    ksef = SimulatedKsef(engine, settings, tmp_path / "ksef", delay_seconds=0, clock=clock)
    kept_back = book(writer, "1001", f.company_buyer())
    with engine.begin() as conn:
        conn.execute(update(TraNag).where(TraNag.c.TrN_TrNID == kept_back).values(TrN_NieWysylajDokumentuDoKSeF=1))
    sent = book(writer, "1002", f.company_buyer(nip="5260250274", name="Inna Firma Sp. z o.o.", email="biuro@inna.example"))
    assert len(ksef.send_due()) == 1
    reader = SqlOptimaReader(engine, settings, clock=clock)
    assert reader.read_invoice(kept_back).ksef_number == ""
    doc = reader.read_invoice(sent)
    assert doc.ksef_url.startswith("https://qr.ksef.mf.gov.pl/invoice/")  # production host by default
    for xml in (tmp_path / "ksef").iterdir():
        xml.unlink()  # without the sent file the number is still printed, the QR is not
    doc = reader.read_invoice(sent)
    assert doc.ksef_number and doc.ksef_url == ""


def test_a_correction_of_a_company_invoice_is_sent_as_a_kor_naming_the_original(engine: Engine,
                                                                                 tmp_path: Path) -> None:
    from decimal import Decimal

    from linkoptima_gui.core.domain.correction import CorrectionKind, CorrectionLine, CorrectionRequest
    from linkoptima_gui.core.optima.port import DocumentRef

    clock = Clock()
    settings = OptimaSettings(ksef_xml_folder=str(tmp_path / "ksef"))
    writer = SimulatedOptimaWriter(engine, settings, clock=clock)
    reader = SqlOptimaReader(engine, settings, clock=clock)
    ksef = SimulatedKsef(engine, settings, tmp_path / "ksef", delay_seconds=5, clock=clock)
    invoice_id = book(writer, "1001", f.company_buyer())
    invoice = DocumentRef(invoice_id, reader.read_invoice(invoice_id).number)
    request = CorrectionRequest("ZW-1", CorrectionKind.QUANTITY, (CorrectionLine(1, "KUB-001", Decimal(-1)),),
                                "Zwrot towaru", NOW.date())
    correction = writer.create_correction(invoice, request)
    clock.now += timedelta(seconds=5)
    fa_number, kor_number = ksef.send_due()  # the FA first, then its correction, in one pass
    assert reader.read_invoice(invoice_id).ksef_number == fa_number
    assert reader.read_correction(correction.id).ksef_number == kor_number != fa_number
    xml = (tmp_path / "ksef" / f"{kor_number}.xml").read_text(encoding="utf-8")
    assert "<RodzajFaktury>KOR</RodzajFaktury>" in xml and f"<NrKSeFFaKorygowanej>{fa_number}<" in xml
    assert f"<NrFaKorygowanej>{invoice.number}<" in xml and "<P_15>-" in xml
