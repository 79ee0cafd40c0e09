"""Starting the console: the QApplication, the qasync loop and the main window.

qasync makes the Qt event loop the asyncio loop of the GUI thread, so later screens can
``await`` work handed to executors instead of nesting callbacks. The engine is not started
here: whoever calls ``run_console`` owns it and gets ``on_quit`` to stop it once the window
is closed.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Callable

from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from ..core.resources import resource
from .background import shutdown_background
from .context import ConsoleContext
from .main_window import MainWindow

log = logging.getLogger(__name__)

APP_NAME = "LinkOptima"


def ensure_application() -> QApplication:
    """The running QApplication, or a new one named for QSettings and the window manager."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    return app


def install_translator(app: QApplication) -> QTranslator | None:
    """Load ``resources/translations/linkoptima_<lang>.qm`` when the system is not Polish
    (the source strings are Polish, so Polish needs no file)."""
    language = QLocale.system().name().split("_")[0]
    if language == "pl":
        return None
    translator = QTranslator(app)
    folder = resource("translations")
    if translator.load(f"linkoptima_{language}", str(folder)):
        app.installTranslator(translator)
        return translator
    return None


def run_console(context: ConsoleContext, on_quit: Callable[[], None] | None = None) -> int:
    """Show the console and run until its window is closed; then call ``on_quit``."""
    os.environ.setdefault("QT_API", "pyside6")  # qasync picks its Qt binding from this
    import qasync

    app = ensure_application()
    install_translator(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = MainWindow(context)
    closed: asyncio.Future[None] = loop.create_future()

    def on_closed() -> None:
        if not closed.done():
            closed.set_result(None)

    window.sig_closed.connect(on_closed)
    window.show()
    try:
        with loop:
            loop.run_until_complete(closed)
    finally:
        try:
            if on_quit is not None:
                on_quit()
        finally:
            shutdown_background(wait=False)
            asyncio.set_event_loop(None)
            window.deleteLater()
    return 0
