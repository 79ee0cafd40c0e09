"""The settings page of the Pulpit: who gets the daily report and at what hour, and how long
the suppliers take to deliver (one default, and per Optima item group where they differ)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QGroupBox, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from ...core.config.app_settings import AppSettings
from ...core.config.validation import Problem
from .widgets import LinesEdit, SettingsPage, hint, make_form


def _groups_text(lead_times: dict[int, int]) -> str:
    return "; ".join(f"{group}={days}" for group, days in sorted(lead_times.items()))


def parse_groups(text: str) -> dict[int, int]:
    """``"1=14; 2=10"`` -> {1: 14, 2: 10}; raises ValueError on anything else."""
    result = {}
    for part in text.replace(",", ";").split(";"):
        if part.strip():
            group, days = part.split("=")
            result[int(group)] = int(days)
            if result[int(group)] < 0:
                raise ValueError(part)
    return result


class DashboardPage(SettingsPage):
    sections = ("dashboard",)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        report = QGroupBox(self.tr("Raport dzienny (PDF e-mailem, raz dziennie)"), self)
        form = make_form(report)
        self.recipients = LinesEdit(report, lines=3)
        self.hour = QSpinBox(report)
        self.hour.setRange(0, 23)
        self.hour.setSuffix(self.tr(":00"))
        form.addRow(self.tr("Odbiorcy (adres w wierszu):"), self.recipients)
        form.addRow(self.tr("Wysyłka od godziny:"), self.hour)
        form.addRow(hint(self.tr("Wysyła silnik aktywny w tej chwili, raz dziennie, także przy kilku "
                                 "stanowiskach. Bez odbiorców raportu nie ma."), report))
        stock = QGroupBox(self.tr("Zapas i zamówienia do dostawców"), self)
        form = make_form(stock)
        self.lead_time = QSpinBox(stock)
        self.lead_time.setRange(0, 365)
        self.lead_time.setSuffix(self.tr(" dni"))
        self.cover = QSpinBox(stock)
        self.cover.setRange(0, 365)
        self.cover.setSuffix(self.tr(" dni"))
        self.groups = QLineEdit(stock)
        self.groups.setPlaceholderText(self.tr("np. 1=14; 3=21"))
        form.addRow(self.tr("Czas dostawy:"), self.lead_time)
        form.addRow(self.tr("Czas dostawy wg grupy towarów:"), self.groups)
        form.addRow(self.tr("Zamówienie ma starczyć na dodatkowo:"), self.cover)
        form.addRow(hint(self.tr("Grupa to numer grupy towaru w Optimie (karta towaru). Towar trafia do "
                                 "„do zamówienia”, gdy zapas starczy na krócej niż czas dostawy."), stock))
        layout = QVBoxLayout(self)
        layout.addWidget(report)
        layout.addWidget(stock)
        layout.addStretch(1)

    def title(self) -> str:
        return self.tr("Pulpit i raport")

    def load(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        d = settings.dashboard
        self.recipients.set_values(list(d.report_recipients))
        self.hour.setValue(d.report_hour)
        self.lead_time.setValue(d.lead_time_days)
        self.cover.setValue(d.cover_days)
        self.groups.setText(_groups_text(dict(d.lead_time_by_group)))

    def store(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        try:
            groups = parse_groups(self.groups.text())
        except ValueError:
            groups = dict(settings.dashboard.lead_time_by_group)
        settings.dashboard = replace(settings.dashboard, report_recipients=self.recipients.values(),
                                     report_hour=self.hour.value(), lead_time_days=self.lead_time.value(),
                                     cover_days=self.cover.value(), lead_time_by_group=groups)

    def problems(self) -> list[Problem]:
        problems = []
        try:
            parse_groups(self.groups.text())
        except ValueError:
            problems.append(Problem("dashboard", "lead_time_by_group", self.tr(
                "Czas dostawy wg grupy: wpisz pary grupa=dni, np. 1=14; 3=21.")))
        wrong = [address for address in self.recipients.values() if "@" not in address]
        if wrong:
            problems.append(Problem("dashboard", "report_recipients", self.tr(
                "Odbiorcy raportu: to nie są adresy e-mail: {wrong}.").format(wrong=", ".join(wrong))))
        return problems

    def field_widget(self, problem: Problem) -> QWidget | None:
        return {"lead_time_by_group": self.groups, "report_recipients": self.recipients}.get(problem.field)
