"""Page numbering and the header of continued pages.

"Strona n z N" needs the page count, which is only known when the last page is laid out, so the
canvas holds every finished page back and draws each footer when the document is saved. Pages
after the first say whose invoice they belong to, for a loose sheet.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..fonts import REGULAR
from .style import GRID, INK_SOFT, MARGIN


class NumberedCanvas(Canvas):
    """Holds every finished page back until ``save`` so each footer can say "Strona n z N"."""

    def __init__(self, *args: object, footer: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._footer = footer
        self._held: list[dict[str, object]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        self.saveState()
        self.setStrokeColor(GRID)
        self.setLineWidth(0.5)
        self.line(MARGIN, 12 * mm, A4[0] - MARGIN, 12 * mm)
        self.setFont(REGULAR, 7.5)
        self.setFillColor(INK_SOFT)
        self.drawString(MARGIN, 8 * mm, self._footer)
        self.drawRightString(A4[0] - MARGIN, 8 * mm, f"Strona {number} z {total}")
        self.restoreState()


def continued_header(title: str, canvas: Canvas, _doc: object) -> None:
    """On pages after the first, say whose invoice the loose sheet belongs to."""
    canvas.saveState()
    canvas.setFont(REGULAR, 7.5)
    canvas.setFillColor(INK_SOFT)
    canvas.drawString(MARGIN, A4[1] - 10 * mm, f"{title} (ciąg dalszy)")
    canvas.restoreState()
