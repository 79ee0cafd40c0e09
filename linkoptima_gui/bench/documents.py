"""Document benchmarks for ``make bench``: invoice PDFs and invoice e-mails, measured alone.

    python -m linkoptima_gui.bench.documents

- invoice PDFs: renders per second and the peak memory of one render (tracemalloc) for
  invoices of 1, 20 and 200 lines, so a slow or memory-hungry large invoice shows up even when
  the demo world only books small orders;
- invoice e-mails: real messages (templates, PDF attached) sent over SMTP to a loopback sink
  that writes each one to disk, e-mails per second.

The invoices are built here from the demo catalogue, VAT per rate as Optima books it, with a
KSeF link and a few discounts so the QR code and the "Rabat" column are part of the cost.
Measurements, not assertions: the tests check correctness, this shows speed.
"""

from __future__ import annotations

import re
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from ..core.documents.invoice_email import build_invoice_email
from ..core.documents.invoice_pdf import render_invoice_pdf
from ..core.documents.mailer import SmtpMailer, SmtpSettings
from ..core.domain.invoice import InvoiceDocument, InvoiceLine, Party
from ..core.domain.money import round_grosz
from ..core.domain.order import Address
from ..core.domain.vat import totals, vat_table
from ..demo.catalogue import CATALOGUE
from ..demo.smtp_sink import SmtpSink
from .common import print_table

SELLER = Party(name="Pracownia Żółwia Sp. z o.o.", nip="7251234560", email="sklep@zolw.example",
               address=Address(street="ul. Świętokrzyska 12/4", city="Łódź", postcode="90-001"))
BUYER = Party(name="Zażółć Gęślą Jaźń Sp. j.", nip="5260250274", email="jan.kowalski@example.com",
              address=Address(street="ul. Źródlana 5", city="Gdańsk", postcode="80-180"))
SHOP_NAME = "Pracownia Żółwia"
KSEF_NUMBER = "7251234560-20261112-0A1B2C3D4E5F-7C"
_PAGE_OBJECT = re.compile(rb"/Type /Page\b(?!s)")
KSEF_URL = "https://qr-demo.ksef.mf.gov.pl/invoice/7251234560/12-11-2026/Xq3vR8_kLm2-Tn9pYw4sZa7Bc1Df5Gh6Jk0Ee8Uo3Ii"


@dataclass(frozen=True)
class PdfBenchRow:
    lines: int
    pages: int
    renders: int
    per_second: float
    peak_mb: float  # tracemalloc peak of one render (Python allocations, not the process RSS)
    size_kb: float


@dataclass(frozen=True)
class EmailBenchRow:
    emails: int
    seconds: float
    per_second: float
    delivered: int  # messages the sink wrote to disk: a send that "worked" but left nothing is caught


def _line(position: int) -> InvoiceLine:
    """A gross-priced catalogue line (as a Polish shop books it); every 5th with a 10 % discount."""
    item = CATALOGUE[(position * 7) % len(CATALOGUE)]
    quantity = Decimal(1 + position % 3)
    discount = Decimal(10) if position % 5 == 0 else Decimal(0)
    unit_gross = round_grosz(item.price_gross * (100 - discount) / 100)
    gross = round_grosz(unit_gross * quantity)
    vat = item.rate.vat_from_gross(gross)
    unit_net = round_grosz(unit_gross * 100 / (100 + item.rate.percent))
    return InvoiceLine(position=position, code=item.code, name=item.name, unit=item.unit, quantity=quantity,
                       unit_net=unit_net, unit_gross=unit_gross, rate=item.rate, net=gross - vat, vat=vat,
                       gross=gross, discount_percent=discount)


def sample_invoice(lines: int, number: str = "FA/17/2026") -> InvoiceDocument:
    """An invoice with ``lines`` catalogue lines, totals per VAT rate (from gross), a KSeF link."""
    built = tuple(_line(i) for i in range(1, lines + 1))
    rows = tuple(vat_table(((line.rate, line.gross) for line in built), from_gross=True))
    net, vat, gross = totals(rows)
    return InvoiceDocument(
        number=number, issue_date=date(2026, 11, 12), sale_date=date(2026, 11, 10), place="Łódź",
        seller=SELLER, buyer=BUYER, lines=built, vat_rows=rows, net_total=net, vat_total=vat,
        gross_total=gross, from_gross=True, payment_method="Przelewy24", payment_due=date(2026, 11, 26),
        paid=True, order_number="10452", ksef_number=KSEF_NUMBER, ksef_url=KSEF_URL,
        seller_bank_account="PL61 1090 1014 0000 0712 1981 2874")


def _pages(pdf: bytes) -> int:
    """Page objects in the PDF (pypdf is a dev dependency only; this is just a context column)."""
    return len(_PAGE_OBJECT.findall(pdf))


def bench_invoice_pdfs(line_counts: Sequence[int] = (1, 20, 200), seconds_each: float = 2.0) -> list[PdfBenchRow]:
    """Render each size repeatedly for ``seconds_each``, then once more under tracemalloc.

    Speed and memory are measured apart because tracing slows allocation-heavy code severalfold.
    One untimed render first, so font loading is not charged to the first size.
    """
    render_invoice_pdf(sample_invoice(1))
    rows = []
    for count in line_counts:
        doc = sample_invoice(count)
        renders = 0
        started = time.perf_counter()
        while True:
            pdf = render_invoice_pdf(doc)
            renders += 1
            elapsed = time.perf_counter() - started
            if elapsed >= seconds_each:
                break
        tracemalloc.start()
        try:
            render_invoice_pdf(doc)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        rows.append(PdfBenchRow(lines=count, pages=_pages(pdf), renders=renders, per_second=renders / elapsed,
                                peak_mb=peak / 2**20, size_kb=len(pdf) / 1024))
    return rows


def bench_emails(count: int = 200, max_seconds: float = 10.0) -> EmailBenchRow:
    """Send ``count`` invoice e-mails to a loopback SMTP sink (stops early after ``max_seconds``).

    Each message is built from the templates and sent on its own connection, as the engine does;
    the PDF is rendered once beforehand, so this measures the e-mail path, not the renderer.
    """
    doc = sample_invoice(4)
    pdf = render_invoice_pdf(doc)
    with tempfile.TemporaryDirectory(prefix="linkoptima-bench-mail-") as tmp, SmtpSink(Path(tmp)) as sink:
        mailer = SmtpMailer(SmtpSettings(host=sink.host, port=sink.port, security="none", sender=SELLER.email,
                                         timeout=10.0))
        sent = 0
        started = time.perf_counter()
        while sent < count and time.perf_counter() - started < max_seconds:
            sent += 1
            # A number per message, so each gets its own Message-ID as real invoices do.
            message = build_invoice_email(replace(doc, number=f"FA/{sent}/2026"), pdf, sender=SELLER.email,
                                          shop_name=SHOP_NAME)
            mailer.send(message)
        seconds = time.perf_counter() - started
        delivered = len(sink.paths())
    return EmailBenchRow(emails=sent, seconds=seconds, per_second=sent / seconds if seconds else float("nan"),
                         delivered=delivered)


def table_rows(pdfs: Sequence[PdfBenchRow], mail: EmailBenchRow) -> list[tuple[str, str, str, str]]:
    """(area, measure, result, detail) rows in the shape the ``make bench`` table prints."""
    rows = [("documents", f"invoice PDF, {r.lines} line{'s' if r.lines != 1 else ''} ({r.pages} p., "
             f"{r.size_kb:.0f} KB)", f"{r.per_second:.1f} PDFs/s", f"peak {r.peak_mb:.1f} MB")
            for r in pdfs]
    rows.append(("documents", f"invoice e-mail to loopback SMTP ({mail.emails}, {mail.delivered} stored)",
                 f"{mail.per_second:.1f} e-mails/s", f"{mail.seconds:.1f} s total"))
    return rows


def main() -> int:
    print("… invoice PDFs", flush=True)
    pdfs = bench_invoice_pdfs()
    print("… invoice e-mails", flush=True)
    mail = bench_emails()
    rows = table_rows(pdfs, mail)
    print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
