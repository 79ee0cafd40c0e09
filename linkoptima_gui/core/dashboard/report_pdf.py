"""The daily report: the Pulpit's figures on A4, in Polish, the charts as vector graphics.

Made with reportlab's own charts (``reportlab.graphics``), so the bars and lines stay sharp at
any zoom and the text in them (axis labels, legends) is real text a reader can search and a test
can read back. The figures come from ``Dashboard.figures``: the PDF shows exactly the screen's
numbers. DejaVu fonts carry the Polish letters.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..documents.fonts import BOLD, REGULAR, one_at_a_time, register_fonts
from .figures import DashboardFigures
from .labels import BACKLOG_LABELS, exception_group, money_text, period_text

PALETTE = (colors.HexColor("#2f6db5"), colors.HexColor("#e08a1e"), colors.HexColor("#3a9b5c"),
           colors.HexColor("#b83b3b"), colors.HexColor("#7a55a6"), colors.HexColor("#6b7785"))
WIDTH = 170 * mm


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=20, spaceAfter=4),
        "h": ParagraphStyle("h", fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=3),
        "p": ParagraphStyle("p", fontName=REGULAR, fontSize=9, leading=12),
    }


def _bars(series: Sequence[Sequence[float]], names: Sequence[str], categories: Sequence[str], title: str, *,
          stacked: bool = False, height: float = 52 * mm) -> Drawing:
    drawing = Drawing(WIDTH, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 28, 26, WIDTH - 40 - (70 if len(names) > 1 else 0), height - 44
    chart.data = [list(s) for s in series] or [[0]]
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 6.5
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.forceZero = True
    chart.categoryAxis.style = "stacked" if stacked else "parallel"
    for index in range(len(chart.data)):
        chart.bars[index].fillColor = PALETTE[index % len(PALETTE)]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    drawing.add(String(0, height - 10, title, fontName=BOLD, fontSize=9))
    if len(names) > 1:
        drawing.add(_legend(names, WIDTH - 100, height - 22))
    return drawing


def _legend(names: Sequence[str], x: float, y: float, palette: Sequence[colors.Color] = PALETTE) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = REGULAR, 7
    legend.dx = legend.dy = 6
    legend.alignment = "right"
    legend.colorNamePairs = [(palette[i % len(palette)], name) for i, name in enumerate(names)]
    return legend


def _packing_times(figures: DashboardFigures) -> Drawing:
    height = 55 * mm
    drawing = Drawing(WIDTH, height)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 28, 26, WIDTH - 110, height - 44
    days = figures.packing_times
    chart.data = [[d.median_minutes or 0 for d in days], [d.p90_minutes or 0 for d in days]]
    chart.categoryAxis.categoryNames = [d.day.strftime("%d.%m") if i % 3 == 0 else "" for i, d in enumerate(days)]
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName, axis.labels.fontSize = REGULAR, 6.5
    chart.valueAxis.valueMin = 0
    chart.lines[0].strokeColor, chart.lines[1].strokeColor = PALETTE[0], PALETTE[3]
    chart.lines[0].strokeWidth = chart.lines[1].strokeWidth = 1.5
    drawing.add(chart)
    drawing.add(String(0, height - 10, "Od płatności do spakowania, minuty (30 dni)", fontName=BOLD, fontSize=9))
    drawing.add(_legend(["mediana", "90. percentyl"], WIDTH - 100, height - 22, (PALETTE[0], PALETTE[3])))
    return drawing


def _table(rows: list[list[str]], widths: Sequence[float]) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), REGULAR, 8), ("FONT", (0, 0), (-1, 0), BOLD, 8),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#c5ccd4")),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def _quantity(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


@one_at_a_time
def render_report_pdf(figures: DashboardFigures, *, shop_name: str = "") -> bytes:
    """The report of ``figures`` as PDF bytes."""
    register_fonts()
    s = _styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=f"Raport dzienny {figures.at.date().isoformat()}",
                            author="LinkOptima", invariant=True)
    hours = [str(h) for h in range(24)]
    story: list = [
        Paragraph(f"Raport dzienny {figures.at.strftime('%d.%m.%Y')}" + (f" — {shop_name}" if shop_name else ""), s["title"]),
        Paragraph(f"Stan na {figures.at.strftime('%d.%m.%Y %H:%M')}. {period_text(figures.period)}: "
                  f"opłacone zamówienia {figures.paid_total}, spakowane paczki {figures.packed_total}.", s["p"]),
        Paragraph("Przepływ dnia", s["h"]),
        _bars([figures.paid_per_hour], ["opłacone"], hours, "Opłacone zamówienia wg godziny"),
    ]
    stations = sorted(figures.packed_per_hour)
    story.append(_bars([figures.packed_per_hour[name] for name in stations] or [[0] * 24], stations or ["—"], hours,
                       "Spakowane paczki wg godziny i stanowiska", stacked=True))
    b = figures.backlog
    story += [Paragraph("Zaległości teraz: " + ", ".join(
        f"{label} {value}" for label, value in zip(BACKLOG_LABELS, (b.paid_new, b.waiting_for_documents,
                                                                   b.ready_to_pack, b.exceptions), strict=True)), s["p"]),
              _packing_times(figures)]
    days = figures.exception_days()
    groups = sorted({exception_group(e.code) for e in figures.exceptions})
    series = [[sum(e.count for e in figures.exceptions if e.day == day and exception_group(e.code) == group)
               for day in days] for group in groups]
    story += [Paragraph("Wyjątki", s["h"]),
              _bars(series or [[0] * len(days)], groups or ["brak"], [d.strftime("%d.%m") for d in days],
                    "Wyjątki wg przyczyny i dnia (14 dni)", stacked=True)]
    m = figures.money
    money_rows = [["Pieniądze w drodze", "dokumenty", "kwota"],
                  ["Pobrania wysłanych paczek, nierozliczone", str(m.cod_open_count), money_text(m.cod_open_amount)],
                  ["Przelewy oczekujące na wpłatę", str(m.transfers_waiting_count), money_text(m.transfers_waiting_amount)]]
    money_rows += [[f"Rozliczone dziś: {title}", "", money_text(amount)] for title, amount in m.settled_today.items()]
    money_rows.append(["Rozliczone dziś razem", "", money_text(m.settled_today_total)])
    story += [Paragraph("Pieniądze", s["h"]), _table(money_rows, (100 * mm, 25 * mm, 45 * mm))]
    if figures.optima_error:
        story.append(Paragraph(f"Optima: {figures.optima_error}", s["p"]))
    st = figures.stock
    story += [Paragraph("Zapas i zamówienia", s["h"]),
              Paragraph(f"Towary sprzedane w ostatnich {st.sales_days} dniach (WZ i sprzedaż detaliczna): "
                        f"{st.items_selling}; kończą się przed dostawą: {len(st.reorder)}.", s["p"]),
              Spacer(1, 3)]
    rows = [["Do zamówienia", "dostawca", "dostępne", "dziennie", "zapas, dni", "dostawa", "zamów"]]
    rows += [[f"{c.code} {c.name}"[:38], c.supplier, _quantity(c.available), _quantity(c.per_day),
              f"{c.days_of_cover:.1f}".replace(".", ","), str(c.lead_time_days), _quantity(c.suggested)]
             for c in st.reorder]
    if len(rows) == 1:
        rows.append(["nic nie kończy się przed dostawą", "", "", "", "", "", ""])
    story.append(_table(rows, (54 * mm, 30 * mm, 16 * mm, 16 * mm, 18 * mm, 20 * mm, 16 * mm)))
    doc.build(story)
    return out.getvalue()
