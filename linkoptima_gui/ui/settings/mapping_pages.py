"""The mapping pages: shipping methods, payment methods, and the order fields and statuses.

They edit only what the engine already reads (``AppSettings.shipping_rules``, the shop's
gateway lists, meta keys, tax classes and statuses, Optima's payment routes); nothing here adds
behaviour. Each mapping is a table keyed by the shop's own identifier, because that is what a
person copies from WooCommerce (``flat_rate``, ``przelewy24``, ``reduced-rate``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core.config.app_settings import PARCEL_SIZES, AppSettings
from ...core.config.validation import Problem
from ...core.config.vocabulary import (
    CARRIER_SERVICES,
    CARRIERS,
    INVOICED,
    PACKED,
    PARCEL_LETTERS,
    SETTLE_BY_COM_KP,
    SETTLE_BY_PAYMENT_FORM,
    UNWRITABLE_STATUSES,
    PaymentRoute,
)
from ...core.domain.vat import VatRate
from ...core.engine.services import ShippingRule
from .rows_model import Column
from .table_editor import TableEditor
from .widgets import LinesEdit, SettingsPage, hint, make_form

#: the shop's usual statuses, offered for "status after packing"
SHOP_STATUSES = ("completed", "processing", "on-hold")


def repeated(values: list[str]) -> list[str]:
    """The values that occur more than once (a mapping key may appear once)."""
    return sorted({value for value in values if values.count(value) > 1})


class ShippingPage(SettingsPage):
    sections = ("shipping",)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        sizes = {"small": self.tr("mała"), "medium": self.tr("średnia"), "large": self.tr("duża")}
        default = self.tr("(przewoźnik z Połączeń)")
        networks = sorted({(code, f"{name} ({code})") for info in CARRIERS.values()
                           for code, name in info.own_services.items()})
        self.editor = TableEditor([
            Column("method", self.tr("Metoda wysyłki w sklepie"),
                   tooltip=self.tr("Identyfikator metody z WooCommerce, np. flat_rate")),
            Column("carrier", self.tr("Przewoźnik"), "choice",
                   (("", default), *((info.name, info.title) for info in CARRIERS.values())), open_choice=True,
                   blank=default, tooltip=self.tr("Puste: przewoźnik wybrany w Połączeniach")),
            Column("service", self.tr("Usługa"), "choice",
                   tuple((code, f"{name} ({code})") for code, name in CARRIER_SERVICES.items()), open_choice=True),
            Column("carrier_service", self.tr("Usługa u przewoźnika"), "choice", (("", "—"), *networks),
                   open_choice=True, blank="—",
                   tooltip=self.tr("Kod usługi samego przewoźnika, gdy go potrzebuje (Furgonetka: sieć, np. dhl)")),
            Column("parcel_size", self.tr("Gabaryt paczki"), "choice",
                   tuple((size, f"{PARCEL_LETTERS[size]} – {sizes[size]}") for size in PARCEL_SIZES)),
        ], self.tr("Dodaj metodę wysyłki"), self, stretch=("method", "service"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor, 1)
        layout.addWidget(hint(self.tr(
            "Metoda wysyłki spoza tej listy: paczkomat, gdy zamówienie wskazuje paczkomat, w przeciwnym razie "
            "kurier standard; gabaryt A; przewoźnik z Połączeń. Identyfikatory metod są w WooCommerce → "
            "Ustawienia → Wysyłka. Przez Furgonetkę sieć (dpd, dhl, inpost, poczta, orlen, gls, ups) podaj jako "
            "„usługę u przewoźnika”."), self))
        self.label_at_payment = QCheckBox(self.tr("Kupuj etykietę od razu po płatności, obok faktury"), self)
        self.label_at_payment.setToolTip(self.tr(
            "Wyłączone (zalecane): etykieta jest kupowana, gdy faktura i WZ są zaksięgowane, więc zamówienie, "
            "którego nie da się zafakturować, nie kosztuje etykiety. Włączone: pakowanie nigdy nie czeka na "
            "przewoźnika, a etykietę zamówienia zatrzymanego później można anulować na ekranie Wyjątki."))
        layout.addWidget(self.label_at_payment)
        layout.addWidget(self._weight_box())

    def _weight_box(self) -> QGroupBox:
        """Where a parcel's weight comes from (the label and the carrier's price say it)."""
        box = QGroupBox(self.tr("Waga paczki"), self)
        self.weight_source = QComboBox(box)
        self.weight_source.addItem(self.tr("z produktów w sklepie (WooCommerce)"), "shop")
        self.weight_source.addItem(self.tr("z kart towarów w Optimie (Twr_WagaKG)"), "optima")
        self.weight_unit = QComboBox(box)
        for unit in ("kg", "g", "lbs", "oz"):
            self.weight_unit.addItem(unit, unit)
        self.packaging_kg = QDoubleSpinBox(box)
        self.packaging_kg.setRange(0, 10)
        self.packaging_kg.setSingleStep(0.05)
        self.packaging_kg.setSuffix(" kg")
        self.unknown_item_kg = QDoubleSpinBox(box)
        self.unknown_item_kg.setRange(0.01, 50)
        self.unknown_item_kg.setSuffix(" kg")
        form = make_form(box)
        form.addRow(self.tr("Waga towarów:"), self.weight_source)
        form.addRow(self.tr("Jednostka wagi w sklepie:"), self.weight_unit)
        form.addRow(self.tr("Opakowanie:"), self.packaging_kg)
        form.addRow(self.tr("Towar bez podanej wagi:"), self.unknown_item_kg)
        return box

    def title(self) -> str:
        return self.tr("Wysyłka")

    def load(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        self.editor.set_rows([{"method": method, "carrier": rule.carrier, "service": rule.service,
                               "carrier_service": rule.carrier_service, "parcel_size": rule.parcel_size}
                              for method, rule in settings.shipping_rules.items()])
        self.label_at_payment.setChecked(settings.label_at_payment)
        self.weight_source.setCurrentIndex(max(0, self.weight_source.findData(settings.weight_source)))
        self.weight_unit.setCurrentIndex(max(0, self.weight_unit.findData(settings.shop_weight_unit)))
        self.packaging_kg.setValue(settings.packaging_kg)
        self.unknown_item_kg.setValue(settings.unknown_item_kg)

    def store(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        settings.shipping_rules = {
            row["method"]: ShippingRule(row["service"], row["parcel_size"], row["carrier"], row["carrier_service"])
            for row in self.editor.rows()}
        settings.label_at_payment = self.label_at_payment.isChecked()
        settings.weight_source = self.weight_source.currentData() or "shop"
        settings.shop_weight_unit = self.weight_unit.currentData() or "kg"
        settings.packaging_kg = round(self.packaging_kg.value(), 2)
        settings.unknown_item_kg = round(self.unknown_item_kg.value(), 2)

    def problems(self) -> list[Problem]:
        twice = repeated([row["method"] for row in self.editor.rows()])
        return [Problem("shipping", "method", self.tr("Metody wysyłki powtarzają się: {methods}.")
                        .format(methods=", ".join(twice)))] if twice else []


class PaymentsPage(SettingsPage):
    sections = ("payments",)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.online = LinesEdit(self, lines=14)
        self.cod = LinesEdit(self, lines=2)
        self.transfer = LinesEdit(self, lines=2)
        kinds = QGroupBox(self.tr("Rodzaje płatności (identyfikatory bramek WooCommerce, jeden w wierszu)"), self)
        form = make_form(kinds)
        form.addRow(self.tr("Online (bramka\npotwierdza wpłatę):"), self.online)
        form.addRow(self.tr("Za pobraniem:"), self.cod)
        form.addRow(self.tr("Przelew (czeka\nna wpłatę):"), self.transfer)
        self.routes = TableEditor([
            Column("method", self.tr("Metoda płatności")),
            Column("form", self.tr("Forma płatności w Optimie")),
            Column("register", self.tr("Rejestr KP"), tooltip=self.tr("Puste: należność zostaje otwarta")),
            Column("cash_on_delivery", self.tr("Pobranie"), "bool"),
        ], self.tr("Dodaj metodę płatności"), self, stretch=("method", "form"))
        self.settlement = QComboBox(self)
        self.settlement.addItem(self.tr("Optima sama: forma płatności bramki rozlicza fakturę (zalecane)"),
                                SETTLE_BY_PAYMENT_FORM)
        self.settlement.addItem(self.tr("KP i rozliczenie przez API COM (niesprawdzone)"), SETTLE_BY_COM_KP)
        self.settlement.setToolTip(self.tr(
            "Zalecane: w Optimie forma płatności bramki jest typu gotówka z rejestrem bramki, więc Optima sama "
            "dodaje KP i rozlicza fakturę przy zatwierdzeniu; LinkOptima tylko to sprawdza. KP przez API COM "
            "nie zostało sprawdzone na prawdziwej Optimie: najpierw „linkoptima optima-probe” na firmie testowej."))
        routes = QGroupBox(self.tr("Płatność w Optimie"), self)
        routes_layout = QVBoxLayout(routes)
        chooser = QWidget(routes)
        make_form(chooser).addRow(self.tr("Rozliczenie płatności online:"), self.settlement)
        routes_layout.addWidget(chooser)
        routes_layout.addWidget(self.routes, 1)
        routes_layout.addWidget(hint(self.tr(
            "Rozliczenie przez Optimę: KP trafia do rejestru przypisanego w Optimie do formy płatności, a pusty "
            "„Rejestr KP” znaczy, że należność zostaje otwarta. KP przez API COM trafia do „Rejestru KP”. "
            "Metoda spoza listy: forma „przelew”, bez rozliczenia."), routes))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        left = QVBoxLayout()
        left.addWidget(kinds)
        left.addStretch(1)
        layout.addLayout(left, 2)
        layout.addWidget(routes, 3)

    def title(self) -> str:
        return self.tr("Płatności")

    def load(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        self.online.set_values(settings.shop.online_gateways)
        self.cod.set_values(settings.shop.cod_methods)
        self.transfer.set_values(settings.shop.transfer_methods)
        self.routes.set_rows([{"method": method, "form": route.form, "register": route.register or "",
                               "cash_on_delivery": route.cash_on_delivery}
                              for method, route in settings.optima.payment_routes.items()])
        self.settlement.setCurrentIndex(max(0, self.settlement.findData(settings.optima.settlement)))

    def store(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        settings.shop = replace(settings.shop, online_gateways=self.online.values(), cod_methods=self.cod.values(),
                                transfer_methods=self.transfer.values())
        routes = {row["method"]: PaymentRoute(row["form"], row["register"] or None, bool(row["cash_on_delivery"]))
                  for row in self.routes.rows()}
        settings.optima = replace(settings.optima, payment_routes=routes, settlement=self.settlement.currentData())

    def problems(self) -> list[Problem]:
        twice = repeated([row["method"] for row in self.routes.rows()])
        return [Problem("payments", "method", self.tr("Metody płatności powtarzają się: {methods}.")
                        .format(methods=", ".join(twice)))] if twice else []

    def field_widget(self, problem: Problem) -> QWidget | None:
        return {"cod_methods": self.cod}.get(problem.field)


class FieldsPage(SettingsPage):
    sections = ("fields",)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.nip_keys = LinesEdit(self, lines=9)
        self.invoice_flag_keys = LinesEdit(self, lines=3)
        self.locker_keys = LinesEdit(self, lines=4)
        meta = QGroupBox(self.tr("Pola zamówienia (klucze meta, jeden w wierszu)"), self)
        meta_form = make_form(meta)
        meta_form.addRow(self.tr("NIP nabywcy:"), self.nip_keys)
        meta_form.addRow(self.tr("„Chcę fakturę”:"), self.invoice_flag_keys)
        meta_form.addRow(self.tr("Paczkomat:"), self.locker_keys)
        self.active_statuses = LinesEdit(self, lines=4)
        self.status_invoiced = self._status_box()
        self.status_packed = self._status_box()
        self.shipping_code = QLineEdit(self)
        self.fee_code = QLineEdit(self)
        statuses = QGroupBox(self.tr("Statusy i usługi"), self)
        status_form = make_form(statuses)
        status_form.addRow(self.tr("Statusy do realizacji:"), self.active_statuses)
        status_form.addRow(self.tr("Status po wystawieniu faktury:"), self.status_invoiced)
        status_form.addRow(self.tr("Status po spakowaniu:"), self.status_packed)
        status_form.addRow(self.tr("Usługa „transport” w Optimie:"), self.shipping_code)
        status_form.addRow(self.tr("Usługa „opłata” w Optimie:"), self.fee_code)
        rates = tuple((rate.code, rate.label) for rate in VatRate)
        self.tax_classes = TableEditor([
            Column("tax_class", self.tr("Klasa podatkowa WooCommerce"),
                   tooltip=self.tr("Puste: klasa standardowa"), blank=self.tr("(standardowa, bez nazwy)")),
            Column("rate", self.tr("Stawka VAT"), "choice", rates),
        ], self.tr("Dodaj klasę"), self, stretch=("tax_class",))
        self.price_list = QSpinBox(self)
        self.price_list.setRange(0, 99)
        self.price_list.setSpecialValueText(self.tr("0 (ceny nie są synchronizowane)"))
        self.price_list.setToolTip(self.tr("Numer cennika w Optimie (TwC_TwCNumer), z którego sklep bierze ceny"))
        self.prices_with_tax = QCheckBox(self.tr("Ceny w sklepie są wpisywane z VAT"), self)
        self.stock_differences = QCheckBox(self.tr("Stany wysyłane jako różnice (zalecane)"), self)
        self.stock_differences.setToolTip(self.tr(
            "Różnica (inventory_delta) nie nadpisuje sprzedaży zrobionej w sklepie w trakcie synchronizacji. "
            "Wyłącz tylko dla sklepu, który jej nie przyjmuje: wtedy wysyłane są stany bezwzględne."))
        catalogue = QGroupBox(self.tr("Ceny i stany"), self)
        catalogue_form = make_form(catalogue)
        catalogue_form.addRow(self.tr("Cennik Optimy:"), self.price_list)
        catalogue_form.addRow("", self.prices_with_tax)
        catalogue_form.addRow("", self.stock_differences)
        self.book_without_stock = QCheckBox(self.tr("Wystawiaj fakturę także bez towaru w Optimie (na zamówienie)"),
                                            self)
        self.book_without_stock.setToolTip(self.tr(
            "Wyłączone (zalecane): zamówienie, którego towaru Optima nie ma, czeka przed fakturą jako wyjątek "
            "„brak towaru” i rusza samo po dostawie. Włącz tylko, gdy sklep sprzedaje na zamówienie."))
        catalogue_form.addRow("", self.book_without_stock)
        vat = QGroupBox(self.tr("Stawki VAT"), self)
        QVBoxLayout(vat).addWidget(self.tax_classes)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(meta)
        left.addWidget(catalogue)
        left.addStretch(1)
        right.addWidget(statuses)
        right.addWidget(vat, 1)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)

    def title(self) -> str:
        return self.tr("Pola, statusy, ceny")

    def load(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        shop = settings.shop
        self.nip_keys.set_values(shop.nip_keys)
        self.invoice_flag_keys.set_values(shop.invoice_flag_keys)
        self.locker_keys.set_values(shop.locker_keys)
        self.active_statuses.set_values(shop.active_statuses)
        self.status_invoiced.setCurrentText(shop.status_for(INVOICED))
        self.status_packed.setCurrentText(shop.status_for(PACKED))
        self.shipping_code.setText(shop.shipping_service_code)
        self.fee_code.setText(shop.fee_service_code)
        self.tax_classes.set_rows([{"tax_class": name, "rate": rate.code} for name, rate in shop.tax_classes.items()])
        self.price_list.setValue(settings.price_list)
        self.prices_with_tax.setChecked(settings.shop_prices_include_tax)
        self.stock_differences.setChecked(settings.stock_differences)
        self.book_without_stock.setChecked(settings.book_without_stock)

    def store(self, settings: AppSettings, secrets: dict[str, str]) -> None:
        settings.shop = replace(
            settings.shop, nip_keys=self.nip_keys.values(), invoice_flag_keys=self.invoice_flag_keys.values(),
            locker_keys=self.locker_keys.values(), active_statuses=self.active_statuses.values(),
            status_map={**settings.shop.status_map, INVOICED: self.status_invoiced.currentText().strip(),
                        PACKED: self.status_packed.currentText().strip()},
            shipping_service_code=self.shipping_code.text().strip(), fee_service_code=self.fee_code.text().strip(),
            tax_classes={row["tax_class"]: VatRate.from_code(row["rate"]) for row in self.tax_classes.rows()})
        settings.price_list = self.price_list.value()
        settings.shop_prices_include_tax = self.prices_with_tax.isChecked()
        settings.stock_differences = self.stock_differences.isChecked()
        settings.book_without_stock = self.book_without_stock.isChecked()

    def problems(self) -> list[Problem]:
        twice = repeated([row["tax_class"] for row in self.tax_classes.rows()])
        return [Problem("fields", "tax_class", self.tr("Klasy podatkowe powtarzają się: {classes}.")
                        .format(classes=", ".join(twice)))] if twice else []

    def field_widget(self, problem: Problem) -> QWidget | None:
        return {f"status_{INVOICED}": self.status_invoiced, f"status_{PACKED}": self.status_packed}.get(problem.field)

    def offer_statuses(self, statuses: Iterable[str]) -> None:
        """Add the statuses the shop check found (a plugin's own) to both status lists."""
        for box in (self.status_invoiced, self.status_packed):
            for status in statuses:
                if status not in UNWRITABLE_STATUSES and box.findText(status) < 0:
                    box.addItem(status)

    def _status_box(self) -> QComboBox:
        """A shop status to choose or type (a plugin's own status too); empty: the status stays."""
        box = QComboBox(self)
        box.setEditable(True)
        box.addItems(("", *SHOP_STATUSES))
        line = box.lineEdit()
        assert line is not None
        line.setPlaceholderText(self.tr("(bez zmiany statusu)"))
        return box
