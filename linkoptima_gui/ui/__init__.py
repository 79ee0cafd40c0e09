"""The console's window (PySide6): the application, the main window and one folder per screen.

Importing the package is the UI's start as far as the core is concerned: it registers the
operating system's printer (``system://``, printed through Qt) with the core's printer factory,
so every way into the console (the launchers, the bench, the tests) can open one, while the
core never names the UI. Qt's print support itself loads with the first such address.
"""

from __future__ import annotations

from urllib.parse import SplitResult

from ..core.printing.factory import register_scheme
from ..core.printing.port import Printer


def _open_system_printer(url: str, parts: SplitResult) -> Printer:
    from .printing import open_system_printer  # Qt's print support, only when a station uses it

    return open_system_printer(url, parts)


register_scheme("system", _open_system_printer, "system://nazwa drukarki")
