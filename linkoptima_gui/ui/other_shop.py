"""The question a console asks when its store holds another shop's orders (issue 17).

Pointing the settings at another shop URL (a staging copy, then production) must never mix the
two shops' orders. The console stops and asks: a store of its own for this shop (for a store in
the default SQLite file, a new file beside it), a second shop in this store (both kept apart by
their keys), or nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QMessageBox

from ..core.config.app_settings import AppSettings
from ..core.installation import ShopChoiceNeeded
from ..core.store.db import sqlite_url
from ..core.store.shops import shop_key

SEPARATE_STORE, SECOND_SHOP, NOTHING = "separate", "second", ""

#: the dialog's words, marked for lupdate and translated when shown
_TITLE = QT_TRANSLATE_NOOP("OtherShop", "LinkOptima — inny sklep")
_SEPARATE = QT_TRANSLATE_NOOP("OtherShop", "Osobna baza dla tego sklepu")
_SECOND = QT_TRANSLATE_NOOP("OtherShop", "Drugi sklep w tej bazie")
_CLOSE = QT_TRANSLATE_NOOP("OtherShop", "Zamknij")


def separate_store_url(shop_url: str, data_dir: Path) -> str:
    """A file of its own for this shop's store, beside the default one."""
    name = "".join(c if c.isalnum() else "-" for c in shop_key(shop_url)).strip("-") or "sklep"
    return sqlite_url(data_dir / f"console-{name}.sqlite")


def ask_about_another_shop(needed: ShopChoiceNeeded, settings: AppSettings, store_url: str) -> str:
    """Ask; returns ``SEPARATE_STORE``, ``SECOND_SHOP`` or ``NOTHING``. A separate store is offered
    for the default SQLite file only (a server's database is another one to set up by hand)."""
    def tr(text: str) -> str:
        return QCoreApplication.translate("OtherShop", text)

    box = QMessageBox(QMessageBox.Icon.Question, tr(_TITLE), str(needed.other))
    separate = None
    if not (store_url or settings.store_url):
        separate = box.addButton(tr(_SEPARATE), QMessageBox.ButtonRole.AcceptRole)
    second = box.addButton(tr(_SECOND), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(tr(_CLOSE), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if separate is not None and clicked is separate:
        return SEPARATE_STORE
    return SECOND_SHOP if clicked is second else NOTHING
