"""The "Połączenia" page: the shop, Optima, the mail server and the carriers side by side.

All four on one page, in two columns, because they are set up together on the first day and
checked together when something stops working: one glance shows which one is red.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from ...core.config.app_settings import AppSettings
from ...core.config.validation import Problem
from .carrier_accounts import DPDBox, FurgonetkaBox
from .mail_carrier import CarrierBox, SmtpBox
from .shop_optima import OptimaBox, ShopBox
from .widgets import SettingsPage


class ConnectionsPage(SettingsPage):
    sections = ("shop", "optima", "smtp", "carrier", "furgonetka", "dpd")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shop = ShopBox(self)
        self.optima = OptimaBox(self)
        self.smtp = SmtpBox(self)
        self.carrier = CarrierBox(self)
        self.furgonetka = FurgonetkaBox(self)
        self.dpd = DPDBox(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for boxes in ((self.shop, self.optima, self.furgonetka), (self.smtp, self.carrier, self.dpd)):
            column = QVBoxLayout()
            for box in boxes:
                column.addWidget(box)
            column.addStretch(1)
            layout.addLayout(column, 1)

    def title(self) -> str:
        return self.tr("Połączenia")

    def _boxes(self) -> dict[str, ShopBox | OptimaBox | SmtpBox | CarrierBox | FurgonetkaBox | DPDBox]:
        return {"shop": self.shop, "optima": self.optima, "smtp": self.smtp, "carrier": self.carrier,
                "furgonetka": self.furgonetka, "dpd": self.dpd}

    def load(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        for box in self._boxes().values():
            box.load(settings, secrets)

    def store(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        for box in self._boxes().values():
            box.store(settings, secrets)

    def field_widget(self, problem: Problem) -> QWidget | None:
        box = self._boxes().get(problem.section)
        return box.field_widget(problem.field) if box is not None else None
