"""The two tables of a correction invoice: the corrected lines and the VAT summary per rate,
each showing the state before the correction, after it, and the difference.

Art. 106j ust. 2 asks for the corrected goods by name and for the correction of the base and
the VAT per rate; "before / after / difference" shows both the change and the result, which is
what a buyer's accountant checks against their books. A line takes three rows, its name
spanning them, so they stay together on one page; a VAT rate takes one row with the three
states side by side. Headers repeat on every page, and numbers never wrap: their columns take
what they need and the name gets the rest, as on the invoice. A name longer than a page
(Optima allows 255 characters, the shop's data may be anything) gives up the spans so its row
can split like the invoice's, instead of stopping the PDF."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from ...domain.vat import VatRate
from ..fonts import BOLD, REGULAR
from ..invoice_pdf.glyphs import markup
from ..invoice_pdf.lines import fit_width
from ..invoice_pdf.style import CONTENT_WIDTH, GRID, PAD, SHADE, STRIPE, Styles, amount, quantity
from .states import CorrectedLine, Figures, RateState

STATES = ("przed korektą", "po korekcie", "różnica")
_LINE_HEADERS = ("Lp.", "Nazwa", "Kod", "J.m.", "Stan", "Ilość", "Stawka VAT", "Wartość netto", "Kwota VAT",
                 "Wartość brutto")
#: a spanned cell cannot split across pages; one taller than this (most of a page's frame)
#: makes the table give up its spans
_SPAN_LIMIT = 560.0


def _rate(rate: VatRate) -> str:
    return rate.label


def _line_rows(line: CorrectedLine) -> list[list[str]]:
    """The three rows of one corrected line, as text (Lp., name, code, unit only in the first)."""
    states: list[tuple[Figures, str]] = [
        (line.before, _rate(line.rate_before)), (line.after, _rate(line.rate_after)),
        (line.change, _rate(line.rate_after) if line.rate_after == line.rate_before
         else f"{_rate(line.rate_before)} → {_rate(line.rate_after)}")]
    rows = []
    for index, (figures, rate) in enumerate(states):
        head = [str(line.position), line.name, line.code, line.unit] if index == 0 else ["", "", "", ""]
        rows.append([*head, STATES[index], quantity(figures.quantity), rate, amount(figures.net), amount(figures.vat),
                     amount(figures.gross)])
    return rows


def _widths(rows: Sequence[Sequence[str]], size: float) -> list[float]:
    """Numbers unbroken, code and unit capped, the name takes what is left."""
    widths = [fit_width([r[0] for r in rows], "Lp.", size), 0.0,
              fit_width([r[2] for r in rows], "Kod", size, cap=28 * mm),
              fit_width([r[3] for r in rows], "J.m.", size, cap=12 * mm)]
    # the difference rows are bold, so the figures are measured bold
    widths += [fit_width([r[i] for r in rows], _LINE_HEADERS[i], size, font=BOLD) for i in range(4, len(_LINE_HEADERS))]
    widths[1] = CONTENT_WIDTH - sum(widths)
    return widths


def lines_table(lines: Sequence[CorrectedLine]) -> Table:
    """The corrected lines, three rows each; splits between lines, never inside one."""
    rows = [row for line in lines for row in _line_rows(line)]
    for size in (7.5, 7.0, 6.5, 6.0, 5.5):
        widths = _widths(rows, size)
        if widths[1] >= 36 * mm:
            break
    widths[1] = max(widths[1], 20 * mm)
    s = Styles(size)
    data: list[list[object]] = [[Paragraph(markup(h), s.head) for h in _LINE_HEADERS]]
    for row in rows:
        data.append([row[0], Paragraph(markup(row[1]), s.cell), Paragraph(markup(row[2]), s.cell),
                     Paragraph(markup(row[3]), s.cell), *row[4:]])
    tallest = max((cell.wrap(widths[col] - 2 * PAD, A4[1])[1] for row in data[1:] for col, cell in enumerate(row)
                   if isinstance(cell, Paragraph)), default=0.0)
    keep_together = tallest < _SPAN_LIMIT
    style: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, size), ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE), ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"), ("ALIGN", (5, 1), (-1, -1), "RIGHT"),
        ("ALIGN", (6, 1), (6, -1), "CENTER"), ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 1), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 1), (-1, -1), 1.5)]
    for index in range(len(lines)):
        first = 1 + 3 * index
        if keep_together:
            style += [("SPAN", (col, first), (col, first + 2)) for col in range(4)]
        style.append(("FONT", (4, first + 2), (-1, first + 2), BOLD, size))
        if index % 2:
            style.append(("BACKGROUND", (0, first), (-1, first + 2), STRIPE))
    table = Table(data, colWidths=widths, repeatRows=1, splitInRow=0 if keep_together else 1)
    table.setStyle(TableStyle(style))
    return table


def _summary_widths(rows: Sequence[Sequence[str]], size: float) -> list[float]:
    """The rate column, then nine equal money columns wide enough for the widest amount (measured
    bold: the difference and the total are printed bold)."""
    widest = max(fit_width([row[i] for row in rows], "brutto", size, font=BOLD) for i in range(1, 10))
    return [fit_width([row[0] for row in rows], "Stawka", size, font=BOLD), *[widest] * 9]


def vat_summary(rates: Sequence[RateState], total: RateState, s: Styles) -> Table:
    """Per rate and in total, one row each: the base, the VAT and the gross before the
    correction, after it, and the difference (the wide form keeps a short correction on one
    page; the amounts of one state sit under their common heading)."""
    rows = []
    for state in [*rates, total]:
        label = "Razem" if state.rate is None else _rate(state.rate)
        rows.append([label, *(amount(value) for figures in (state.before, state.after, state.change)
                               for value in (figures.net, figures.vat, figures.gross))])
    for size in (8.0, 7.5, 7.0, 6.5, 6.0, 5.5):
        widths = _summary_widths(rows, size)
        if sum(widths) <= CONTENT_WIDTH:
            break
    styles = Styles(size)
    head = [Paragraph("Stawka VAT", styles.head)]
    for title in STATES:
        head += [Paragraph(markup(title.capitalize()), styles.head), "", ""]
    units = ["", *[Paragraph(unit, styles.head) for _ in STATES for unit in ("netto", "VAT", "brutto")]]
    data: list[list[object]] = [head, units, *rows]
    table = Table(data, colWidths=widths, hAlign="RIGHT", repeatRows=2)
    style: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, size), ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 1), SHADE), ("SPAN", (0, 0), (0, 1)), ("ALIGN", (1, 2), (-1, -1), "RIGHT"),
        ("ALIGN", (0, 2), (0, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("FONT", (7, 2), (-1, -1), BOLD, size), ("FONT", (0, -1), (-1, -1), BOLD, size),
        ("BACKGROUND", (0, -1), (-1, -1), STRIPE), ("LINEBEFORE", (1, 0), (1, -1), 1.2, GRID),
        ("LINEBEFORE", (4, 0), (4, -1), 1.2, GRID), ("LINEBEFORE", (7, 0), (7, -1), 1.2, GRID)]
    style += [("SPAN", (col, 0), (col + 2, 0)) for col in (1, 4, 7)]
    table.setStyle(TableStyle(style))
    return table
