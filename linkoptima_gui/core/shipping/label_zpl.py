"""The built-in carrier's label as ZPL II, for Zebra-compatible thermal printers (203 dpi).

Same texts and the same order of blocks as the PDF, on 800x1200 dots (100x150 mm at 8 dots
per mm). Texts go out as UTF-8 under ``^CI28`` so Polish letters survive; every field goes
through ``^FH`` hex escaping, because a ``^`` or ``~`` in a street name would otherwise be read
by the printer as the start of a command and garble or cut the label.
"""

from __future__ import annotations

import textwrap

from .label_content import LabelContent

DOTS_PER_MM = 8
WIDTH = 100 * DOTS_PER_MM
HEIGHT = 150 * DOTS_PER_MM
MARGIN = 4 * DOTS_PER_MM
CONTENT_W = WIDTH - 2 * MARGIN

BAR_MODULE = 3  # dots; 0.375 mm, the same module as the PDF
BAR_HEIGHT = 24 * DOTS_PER_MM
QUIET_MODULES = 10
ADDRESS_LINES = 5  # receiver lines under the name, as on the PDF
CHAR_WIDTH = 0.55  # average glyph width of font 0 relative to its cell width (cautious)

#: Characters ZPL would take as commands (and our hex indicator itself), sent as ``_XX``.
_HEX_ESCAPES = {"_": "_5F", "^": "_5E", "~": "_7E"}


def zpl_clean(text: str) -> str:
    """Control characters and no-break spaces become spaces (printer fonts may lack them), a
    backslash (a line-break escape inside ``^FB``) becomes '/'."""
    return "".join(" " if ord(ch) < 32 or ch == "\u00a0" else ch for ch in text).replace("\\", "/")


def zpl_text(text: str) -> str:
    """Field data safe inside ``^FH^FD...^FS``: cleaned, and command characters hex-escaped."""
    return "".join(_HEX_ESCAPES.get(ch, ch) for ch in zpl_clean(text))


def code128_modules(digits: str) -> int:
    """Bar width in modules for Code128 in subset C (an even count of digits): start, one
    symbol per digit pair, check and stop. Used to centre the barcode; ZPL has no centring."""
    if len(digits) % 2 == 0 and digits.isdigit():
        return 11 + 11 * (len(digits) // 2) + 11 + 13
    # subset B fallback for anything else (one symbol per character)
    return 11 + 11 * len(digits) + 11 + 13


def _chars_per_line(width: int, height: int, bold: bool) -> int:
    """A cautious estimate of how many characters of font 0 fit ``width`` dots.

    ZPL cannot measure text, and a field block that overflows its last line prints the rest
    over that line, so we wrap and cut ourselves, erring on the short side.
    """
    return max(1, int(width / (_cell_width(height, bold) * CHAR_WIDTH)))


def _cell_width(height: int, bold: bool) -> int:
    # font 0 is the printer's scalable font; "bold" is a wider cell, as ZPL has no weight
    return int(height * (1.0 if bold else 0.85))


def fit_lines(
    text: str,
    width: int,
    height: int,
    *,
    bold: bool = False,
    max_lines: int = 1,
    min_height: int | None = None,
) -> tuple[list[str], int]:
    """Shrink down to ``min_height``, then wrap on spaces into ``max_lines`` and cut the rest
    with '...': the same policy as the PDF label."""
    size = height
    while min_height and size > min_height and len(text) > _chars_per_line(width, size, bold):
        size -= 2
    limit = _chars_per_line(width, size, bold)
    lines = textwrap.wrap(text, limit, break_on_hyphens=False) or [""]
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = lines[: max_lines - 1] + [rest[: limit - 3].rstrip() + "..."]
    return lines, size


class _Zpl:
    """Accumulates commands top-down, mirroring the PDF's text cursor."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.y = 0

    def cmd(self, text: str) -> None:
        self.parts.append(text)

    def field(
        self,
        text: str,
        height: int,
        *,
        bold: bool = False,
        x: int = MARGIN,
        width: int = CONTENT_W,
        align: str = "L",
        reverse: bool = False,
    ) -> None:
        """One line of text at the cursor, in a one-line field block (for alignment/clipping)."""
        rev = "^FR" if reverse else ""
        self.cmd(
            f"^FO{x},{self.y}^A0N,{height},{_cell_width(height, bold)}^FB{width},1,0,{align}{rev}"
            f"^FH^FD{zpl_text(text)}^FS"
        )

    def text(
        self,
        text: str,
        height: int,
        *,
        bold: bool = False,
        max_lines: int = 1,
        min_height: int | None = None,
        x: int = MARGIN,
        width: int = CONTENT_W,
        align: str = "L",
        reverse: bool = False,
        gap: float = 1.25,
    ) -> int:
        """Fit, wrap and print ``text`` at the cursor, moving it down; returns the lines used."""
        lines, size = fit_lines(
            zpl_clean(text), width, height, bold=bold, max_lines=max_lines, min_height=min_height
        )
        for line in lines:
            self.field(line, size, bold=bold, x=x, width=width, align=align, reverse=reverse)
            self.y += int(size * gap)
        return len(lines)

    def caption(self, text: str) -> None:
        self.text(text.upper(), 20, bold=True, gap=1.4)

    def rule(self, space: int = 2 * DOTS_PER_MM) -> None:
        self.y += space
        self.cmd(f"^FO{MARGIN},{self.y}^GB{CONTENT_W},3,3^FS")
        self.y += space


def _receiver(z: _Zpl, content: LabelContent) -> None:
    """Receiver block with the same fixed line budget as the PDF, so it never reaches the
    barcode whatever the address looks like."""
    z.text(content.receiver_name, 48, bold=True, min_height=32)
    locker_line = f"Paczkomat {content.locker_id}" if content.locker_id else None
    budget = ADDRESS_LINES - (2 if locker_line else 0)
    for line in content.receiver_lines:
        if line == locker_line or budget <= 0:
            continue
        budget -= z.text(line, 34, max_lines=min(2, budget), min_height=28)
    if locker_line:
        z.text(locker_line, 60, bold=True, min_height=40)
    if content.phone:
        z.text(f"tel. {content.phone}", 34, min_height=28)


def _centred_line(
    z: _Zpl,
    top: int,
    box: int,
    text: str,
    height: int,
    min_height: int,
    *,
    x: int = MARGIN,
    width: int = CONTENT_W,
    align: str = "L",
) -> None:
    """One reversed (white on black) line, vertically centred in a black band of ``box`` dots."""
    lines, size = fit_lines(zpl_clean(text), width, height, bold=True, min_height=min_height)
    z.y = top + (box - size) // 2
    z.field(lines[0], size, bold=True, x=x, width=width, align=align, reverse=True)


def _header(z: _Zpl, content: LabelContent) -> None:
    band = 11 * DOTS_PER_MM
    z.cmd(f"^FO0,0^GB{WIDTH},{band},{band}^FS")
    _centred_line(z, 0, band, content.service.upper(), 40, 28, width=CONTENT_W - 200)
    z.y = (band - 24) // 2
    z.field(content.created, 24, x=WIDTH - MARGIN - 200, width=200, align="R", reverse=True)
    z.y = band + 20


def _info_grid(z: _Zpl, content: LabelContent) -> None:
    top = z.y
    cells = (
        ("Zamówienie", content.reference, 0.45),
        ("Gabaryt", content.parcel, 0.30),
        ("Waga", content.weight, 0.25),
    )
    x = MARGIN
    for caption, value, share in cells:
        z.y = top
        cell_w = int(CONTENT_W * share)
        z.text(caption.upper(), 20, bold=True, x=x, width=cell_w - 16, gap=1.3)
        z.text(value, 36, bold=True, x=x, width=cell_w - 16, min_height=20)
        x += cell_w
    z.y = top + 80 + 8


def _cod_box(z: _Zpl, cod_text: str) -> None:
    box = 12 * DOTS_PER_MM
    top = z.y
    z.cmd(f"^FO{MARGIN},{top}^GB{CONTENT_W},{box},{box}^FS")
    _centred_line(z, top, box, cod_text, 60, 40, align="C")
    z.y = top + box


def _barcode(z: _Zpl, tracking_number: str) -> None:
    """Code128 at the bottom, centred with its quiet zones; the number printed under it."""
    number_h = 32
    number_y = HEIGHT - MARGIN - number_h
    bar_y = number_y - 12 - BAR_HEIGHT
    modules = code128_modules(tracking_number)
    module = BAR_MODULE
    while module > 1 and (modules + 2 * QUIET_MODULES) * module > WIDTH - 2 * MARGIN:
        module -= 1
    bar_x = (WIDTH - modules * module) // 2
    z.y = bar_y - 28
    z.caption("Numer przesyłki")
    # mode A: the printer picks subset C for the digit pairs, as the PDF barcode does
    z.cmd(f"^BY{module},3,{BAR_HEIGHT}")
    z.cmd(f"^FO{bar_x},{bar_y}^BCN,{BAR_HEIGHT},N,N,N,A^FH^FD{zpl_text(tracking_number)}^FS")
    z.y = number_y
    z.text(tracking_number, number_h, align="C")


def render_label_zpl(content: LabelContent) -> bytes:
    """One ``^XA...^XZ`` label, UTF-8 encoded; the printer is told the label size explicitly so
    a printer set up for another stock does not cut it at the wrong place."""
    z = _Zpl()
    for command in ("^XA", "^CI28", f"^PW{WIDTH}", f"^LL{HEIGHT}", "^LH0,0"):
        z.cmd(command)
    _header(z, content)
    z.caption("Nadawca")
    for line in content.sender_lines:
        z.text(line, 24, gap=1.2, min_height=20)
    z.rule()
    z.caption("Odbiorca")
    _receiver(z, content)
    z.rule()
    _info_grid(z, content)
    if content.cod_text:
        _cod_box(z, content.cod_text)
    _barcode(z, content.tracking_number)
    z.cmd("^PQ1")
    z.cmd("^XZ")
    return "\n".join(z.parts).encode("utf-8")
