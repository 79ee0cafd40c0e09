"""DejaVu fonts for reportlab: the base-14 PDF fonts have no Polish letters (ą, ł, ż...).

Registered once per process under the names below; the TTFs ship in ``resources/fonts`` and are
embedded (subset) into every PDF we make.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cache, wraps
from typing import ParamSpec, TypeVar

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..resources import resource

P = ParamSpec("P")
R = TypeVar("R")

#: reportlab keeps each TrueType font's subset state in the font object, shared by every
#: document being built; two engine workers rendering at once corrupted it (a KeyError inside
#: reportlab now and then, seen by bench_gui). One PDF is rendered at a time.
_RENDERING = threading.RLock()

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
MONO = "DejaVuSansMono"


@cache
def register_fonts() -> None:
    """Register DejaVu Sans (regular, bold) and Mono with reportlab; idempotent."""
    fonts = resource("fonts")
    pdfmetrics.registerFont(TTFont(REGULAR, str(fonts / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(fonts / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFont(TTFont(MONO, str(fonts / "DejaVuSansMono.ttf")))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)


def one_at_a_time(render: Callable[P, R]) -> Callable[P, R]:
    """Decorate a function that renders with reportlab: fonts registered, one render at a time."""

    @wraps(render)
    def locked(*args: P.args, **kwargs: P.kwargs) -> R:
        with _RENDERING:
            register_fonts()
            return render(*args, **kwargs)

    return locked
