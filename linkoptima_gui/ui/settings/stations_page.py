"""The "Stanowiska i baza" page: each packing station's printers and packing options, and which
station this computer is, with the store the stations share (``store_box``).

A table, not a form per station: a warehouse has a handful of stations and a manager compares
them side by side ("which one still prints to the old Zebra?"). The checks test the printers
of the selected station, each without printing anything (see ``connection_checks``).
"""

from __future__ import annotations

from dataclasses import asdict
from functools import partial

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ...core.config.app_settings import AppSettings, StationSettings
from ...core.config.connection_checks import CheckResult, check_printer
from ...core.config.manager_pin import MIN_LENGTH, PIN_SECRET, PinError, pin_entry
from ...core.config.validation import Problem
from ...core.printing.factory import supported_forms
from .rows_model import Column
from .store_box import StoreBox
from .table_editor import TableEditor
from .widgets import CheckRow, SettingsPage, hint


class StationsPage(SettingsPage):
    sections = ("stations",)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = TableEditor([
            Column("name", self.tr("Stanowisko")),
            Column("label_printer", self.tr("Drukarka etykiet"),
                   tooltip=self.tr("Adres drukarki etykiet, np. zpl://192.168.1.50:9100")),
            Column("invoice_printer", self.tr("Drukarka dokumentów"),
                   tooltip=self.tr("Faktury przy ponownym wydruku; puste: drukarka etykiet")),
            Column("verify_eans", self.tr("Skanuj każdy towar"), "bool",
                   tooltip=self.tr("Przycisk pakowania działa dopiero po zeskanowaniu EAN każdej sztuki")),
            Column("pack_key", self.tr("Klawisz pakowania"),
                   tooltip=self.tr("Dodatkowy klawisz pakowania obok Enter, np. F12 (pedał)")),
        ], self.tr("Dodaj stanowisko"), self, stretch=("label_printer", "invoice_printer"),
            new_row=self._new_station, edit_key="label_printer", remove_text=self.tr("Usuń stanowisko"))
        self.model = self.editor.model
        self.table = self.editor.table
        self.label_check = CheckRow(partial(self._prepare, "label_printer"), self,
                                    self.tr("Testuj drukarkę etykiet"))
        self.invoice_check = CheckRow(partial(self._prepare, "invoice_printer"), self,
                                      self.tr("Testuj drukarkę dokumentów"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor, 1)
        layout.addWidget(QLabel(self.tr("Sprawdź drukarki zaznaczonego stanowiska (nic nie zostanie wydrukowane):"),
                                self))
        layout.addWidget(self.label_check)
        layout.addWidget(self.invoice_check)
        layout.addWidget(hint(self.tr("Adresy drukarek: {supported}.").format(supported=supported_forms()), self))
        layout.addWidget(self._pin_box())
        self.store_box = StoreBox(self)
        layout.addWidget(self.store_box)
        layout.addWidget(self._console_box())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.model.rowsRemoved.connect(lambda *_: self._selection_changed())
        self._selection_changed()

    def title(self) -> str:
        return self.tr("Stanowiska i baza")

    def _console_box(self) -> QGroupBox:
        """The console's language (applies at the next start, like the rest of the settings)."""
        box = QGroupBox(self.tr("Konsola"), self)
        self.language = QComboBox(box)
        self.language.addItem("Polski", "pl")
        self.language.addItem("English", "en")
        row = QHBoxLayout(box)
        row.addWidget(QLabel(self.tr("Język:"), box))
        row.addWidget(self.language)
        row.addStretch(1)
        return box

    def _pin_box(self) -> QGroupBox:
        """The manager's PIN: asked before skipping a step, cancelling an order, fixing data or
        retrying a whole group. Only its hash is kept (keyring), so the field starts empty."""
        box = QGroupBox(self.tr("PIN kierownika"), self)
        self.pin_state = QLabel(box)
        self.pin_edit = QLineEdit(box)
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setPlaceholderText(self.tr("nowy PIN (co najmniej {n} znaki); puste: bez zmian").format(
            n=MIN_LENGTH))
        self.pin_remove = QCheckBox(self.tr("Usuń PIN"), box)
        self.pin_remove.toggled.connect(lambda on: self.pin_edit.setEnabled(not on))
        row = QHBoxLayout(box)
        row.addWidget(self.pin_state)
        row.addWidget(self.pin_edit, 1)
        row.addWidget(self.pin_remove)
        return box

    def _new_station(self) -> dict[str, str]:
        names = {row["name"] for row in self.model.rows()}
        number = len(names) + 1
        while f"stanowisko-{number}" in names:
            number += 1
        return {"name": f"stanowisko-{number}"}

    def _selection_changed(self) -> None:
        selected = self.editor.selected_row() >= 0
        for widget in (self.editor.remove_button, self.label_check, self.invoice_check):
            widget.setEnabled(selected)
        self.label_check.clear()
        self.invoice_check.clear()

    def _prepare(self, printer: str) -> partial[CheckResult]:
        row = self.editor.selected_row()
        url = self.model.rows()[row][printer] if row >= 0 else ""
        return partial(check_printer, url)

    def load(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        self.store_box.load(settings, secrets)
        self.pin_state.setText(self.tr("PIN jest ustawiony.") if secrets.get(PIN_SECRET)
                               else self.tr("Bez PIN-u: każdy może wszystko."))
        self.pin_edit.clear()
        self.pin_remove.setChecked(False)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.model.set_rows([{"name": name, **asdict(station)} for name, station in settings.stations.items()])
        if settings.stations:
            self.table.selectRow(0)
        self._selection_changed()

    def store(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        self.store_box.store(settings, secrets)
        settings.language = self.language.currentData() or "pl"
        if self.pin_remove.isChecked():
            secrets[PIN_SECRET] = ""
        elif self.pin_edit.text().strip() and not self._pin_problem():
            secrets[PIN_SECRET] = pin_entry(self.pin_edit.text())
        settings.stations = {
            row["name"]: StationSettings(label_printer=row["label_printer"], invoice_printer=row["invoice_printer"],
                                         verify_eans=bool(row["verify_eans"]), pack_key=row["pack_key"])
            for row in self.model.rows()
        }

    def _pin_problem(self) -> str:
        try:
            pin_entry(self.pin_edit.text()) if not self.pin_remove.isChecked() else None
        except PinError as exc:
            return str(exc)
        return ""

    def problems(self) -> list[Problem]:
        problems = []
        if self._pin_problem():
            problems.append(Problem("stations", "manager_pin", self._pin_problem()))
        names = [row["name"] for row in self.model.rows()]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            problems.append(Problem("stations", "name", self.tr("Nazwy stanowisk powtarzają się: {names}.")
                                    .format(names=", ".join(repeated))))
        for row in self.model.rows():
            key = row["pack_key"]
            if key and not QKeySequence.fromString(key, QKeySequence.SequenceFormat.PortableText).toString():
                problems.append(Problem("stations", f"{row['name']}.pack_key",
                                        self.tr("Stanowisko {name}: nieznany klawisz pakowania „{key}” "
                                                "(np. F12, Ctrl+P).").format(name=row["name"], key=key)))
        return problems

    def field_widget(self, problem: Problem) -> QWidget | None:
        return self.store_box.field_widget(problem.field)
