"""Sample corrections of the sample invoices (``conftest.make_invoice``), booked the way Optima
books them: lines as differences (``position`` = the FA's Lp), and the VAT per rate as the
difference between the VAT of the corrected state and the state before, each computed from the
summed gross (VAT from gross, as the sample FA)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from linkoptima_gui.core.domain.correction import CorrectionDocument, CorrectionKind
from linkoptima_gui.core.domain.invoice import InvoiceDocument, InvoiceLine
from linkoptima_gui.core.domain.vat import VatRate, VatRow, totals, vat_table

from .conftest import make_line


def state_lines(invoice: InvoiceDocument, corrections: Sequence[CorrectionDocument]) -> list[InvoiceLine]:
    """The FA's lines after ``corrections``, re-priced from the remaining quantity and value."""
    result = []
    for line in invoice.lines:
        gross = line.gross + sum((c_line.gross for c in corrections for c_line in c.lines
                                  if c_line.position == line.position), Decimal(0))
        qty = line.quantity + sum((c_line.quantity for c in corrections for c_line in c.lines
                                   if c_line.position == line.position), Decimal(0))
        vat = line.rate.vat_from_gross(gross)
        result.append(replace(line, quantity=qty, gross=gross, vat=vat, net=gross - vat))
    return result


def rows_by_rate(lines: Sequence[InvoiceLine]) -> dict[VatRate, VatRow]:
    return {row.rate: row for row in vat_table(((line.rate, line.gross) for line in lines), from_gross=True)}


def make_correction(invoice: InvoiceDocument, *, returns: Mapping[int, int] | None = None,
                    values: Mapping[int, str] | None = None, earlier: Sequence[CorrectionDocument] = (),
                    number: str = "FAKI/3/2026", **changes: object) -> CorrectionDocument:
    """A correction of ``invoice`` after ``earlier``: ``returns`` {Lp: pieces back} makes a
    quantity correction, ``values`` {Lp: "-5.00" gross} a value correction."""
    fa_lines = {line.position: line for line in invoice.lines}
    lines: list[InvoiceLine] = []
    for position, pieces in (returns or {}).items():
        line = fa_lines[position]
        lines.append(make_line(position, line.code, line.name, line.rate, line.unit_gross, line.unit,
                               Decimal(-pieces)))
    for position, gross in (values or {}).items():
        line = fa_lines[position]
        change = Decimal(gross)
        vat = line.rate.vat_from_gross(change)
        lines.append(replace(line, quantity=Decimal(0), net=change - vat, vat=vat, gross=change))
    before = rows_by_rate(state_lines(invoice, earlier))
    probe = CorrectionDocument(
        id=0, number=number, kind=CorrectionKind.QUANTITY, issue_date=date(2026, 11, 20), reference="",
        reason="", confirmed=True, original=invoice, original_id=1, lines=tuple(lines), vat_rows=(),
        net_total=Decimal(0), vat_total=Decimal(0), gross_total=Decimal(0))
    after = rows_by_rate(state_lines(invoice, [*earlier, probe]))
    rows = tuple(VatRow(rate, after[rate].net - before[rate].net, after[rate].vat - before[rate].vat)
                 for rate in VatRate if rate in after and (after[rate] != before[rate]))
    net, vat, gross = totals(rows)
    doc = replace(probe, id=10 + len(earlier), kind=CorrectionKind.QUANTITY if returns else CorrectionKind.VALUE,
                  reference=f"ZW-{100 + len(earlier)}", reason="Zwrot towaru: odstąpienie od umowy (art. 27)",
                  vat_rows=rows, net_total=net, vat_total=vat, gross_total=gross)
    return replace(doc, **changes)  # type: ignore[arg-type]
