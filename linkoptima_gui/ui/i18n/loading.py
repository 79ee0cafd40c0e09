"""Installing the translators of a language into the application, before any window exists.

Widgets read their texts when they are built (``self.tr`` in constructors), so a translator
installed later would only reach texts set afterwards; ``run_console`` therefore installs the
language first. Two translators are involved: ours (``linkoptima_<lang>.qm``, compiled from
``resources/translations/*.ts``) and Qt's own ``qtbase_<lang>.qm``, which turns the standard
dialogs' buttons and the text fields' context menus into the same language (Polish needs it
too: Qt's source language is English).

A missing ``.qm`` is not fatal: the console starts in Polish and says why in the log, because a
packing station that does not start is worse than one in the wrong language.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from ...core.resources import resource
from .language import SOURCE_LANGUAGE

log = logging.getLogger(__name__)


def translations_dir() -> Path:
    """Where the compiled ``.qm`` files (and their ``.ts`` sources) are."""
    return resource("translations")


@dataclass
class InstalledLanguage:
    """The language the console ended up in and the translators that make it so (for removal)."""

    language: str
    translators: list[QTranslator] = field(default_factory=list)


def install_language(app: QCoreApplication, language: str, folder: Path | None = None) -> InstalledLanguage:
    """Install the translators for ``language``; falls back to Polish when its file is missing."""
    installed = InstalledLanguage(SOURCE_LANGUAGE)
    if language != SOURCE_LANGUAGE:
        folder = folder or translations_dir()
        ours = QTranslator(app)
        if ours.load(f"linkoptima_{language}", str(folder)):
            installed.language = language
            installed.translators.append(ours)
        else:
            log.warning("no compiled %s translation in %s (make translations); the console stays Polish",
                        language, folder)
    qt_base = QTranslator(app)
    if qt_base.load(f"qtbase_{installed.language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        installed.translators.insert(0, qt_base)
    for translator in installed.translators:
        app.installTranslator(translator)
    return installed


def remove_language(app: QCoreApplication, installed: InstalledLanguage) -> None:
    """Take the translators out again (a console closed inside a longer-lived application)."""
    for translator in installed.translators:
        app.removeTranslator(translator)
    installed.translators.clear()
