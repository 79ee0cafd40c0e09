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

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from ..core.memory import limit_malloc_arenas
from .background import shutdown_background
from .context import ConsoleContext
from .i18n import choose_language, install_language, remove_language
from .main_window import DESIGN_SIZE, MainWindow

log = logging.getLogger(__name__)

APP_NAME = "LinkOptima"
#: ``LINKOPTIMA_CLOSE_AFTER=SECONDS``: the console opens its main window, closes it after SECONDS
#: and prints one JSON line of what it showed: the frozen program's test (``make package``), and
#: a quick "does Qt start here" for a support person
ENV_CLOSE_AFTER = "LINKOPTIMA_CLOSE_AFTER"
#: room left for the window's title bar when deciding whether the design size fits the screen
_TITLE_BAR = 40


def ensure_application() -> QApplication:
    """The running QApplication, or a new one named for QSettings and the window manager."""
    app = QApplication.instance()
    if app is None:
        limit_malloc_arenas()  # before the engine's threads start
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    return app


def show_fitted(window: QWidget) -> None:
    """Show the window at its design size, or maximized when the screen's free area cannot hold
    that plus a title bar: on a 1366x768 laptop a 768 px window would put the status bar and the
    settings' Save button under the taskbar."""
    screen = window.screen()
    free = screen.availableGeometry().size() if screen is not None else None
    if free is not None and (free.width() < window.width() or free.height() < window.height() + _TITLE_BAR):
        window.showMaximized()
    else:
        window.show()


def run_console(context: ConsoleContext, on_quit: Callable[[], None] | None = None,
                language: str | None = None) -> int:
    """Show the console and run until its window is closed; then call ``on_quit``.

    ``language`` ("pl", "en"; None: ``choose_language``'s default) is installed before the
    window is built, because the widgets read their texts in their constructors."""
    os.environ.setdefault("QT_API", "pyside6")  # qasync picks its Qt binding from this
    import qasync

    app = ensure_application()
    installed = install_language(app, language or choose_language())
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = MainWindow(context)
    closed: asyncio.Future[None] = loop.create_future()

    def on_closed() -> None:
        if not closed.done():
            closed.set_result(None)

    window.sig_closed.connect(on_closed)
    show_fitted(window)
    close_after = _close_after()
    if close_after is not None:
        QTimer.singleShot(int(close_after * 1000), lambda: _report_and_close(window))
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
            remove_language(app, installed)
    return 0


def _close_after() -> float | None:
    text = os.environ.get(ENV_CLOSE_AFTER, "").strip()
    if not text:
        return None
    try:
        return max(0.0, float(text))
    except ValueError:
        log.warning("%s=%r is not a number of seconds: ignored", ENV_CLOSE_AFTER, text)
        return None


def _report_and_close(window: MainWindow) -> None:
    """What the window showed, as one JSON line on stdout, then close it as a person would."""
    import json

    app = QApplication.instance()
    shown = {"window": window.windowTitle(), "visible": window.isVisible(),
             "tabs": [window.tabs.tabText(index) for index in range(window.tabs.count())],
             "platform": app.platformName() if isinstance(app, QApplication) else ""}
    print(json.dumps(shown, ensure_ascii=False), flush=True)
    window.close()


def run_settings_only(context: ConsoleContext, problems: list[str], language: str | None = None) -> int:
    """Only the settings screen, when nothing is connected yet (first start, or connections that
    do not work): the reasons are on its status line; saving asks for a restart."""
    from .packing.widgets import StatusKind
    from .settings import SettingsView

    app = ensure_application()
    installed = install_language(app, language or choose_language())
    view = SettingsView(context)
    view.setWindowTitle(view.tr("LinkOptima — ustawienia połączeń"))
    view.resize(*DESIGN_SIZE)
    if problems:
        view.sig_loaded.connect(lambda *_: view.status_line.show_message(" ".join(problems), StatusKind.ERROR))
    show_fitted(view)
    try:
        return app.exec()
    finally:
        shutdown_background(wait=False)
        remove_language(app, installed)
