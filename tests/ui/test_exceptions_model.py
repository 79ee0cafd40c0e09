"""The exceptions model applies a reload by ranges: the screen reloads on every engine flush,
and a reset made the view measure every row again each time."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from linkoptima_gui.core.store.exception_queries import ExceptionEntry
from linkoptima_gui.ui.exceptions.model import ExcColumn, ExceptionsModel

AT = datetime(2026, 3, 16, 9, 0, 0)


def entry(order_id: int, code: str = "unknown_sku", minutes: int = 0, reason: str = "") -> ExceptionEntry:
    return ExceptionEntry(order_id, str(order_id), f"Klient {order_id}", "fa", code,
                          reason or f"Nieznany SKU (zamówienie {order_id})", AT + timedelta(minutes=minutes))


class Signals:
    """Every structural or data signal the model emits, in order."""

    def __init__(self, model: ExceptionsModel) -> None:
        self.seen: list[tuple] = []
        model.modelReset.connect(lambda: self.seen.append(("reset",)))
        model.rowsInserted.connect(lambda _p, first, last: self.seen.append(("inserted", first, last)))
        model.rowsRemoved.connect(lambda _p, first, last: self.seen.append(("removed", first, last)))
        model.dataChanged.connect(lambda top, bottom, _roles=(): self.seen.append(("changed", top.row(), bottom.row())))


@pytest.fixture
def model(qtmodeltester) -> ExceptionsModel:
    model = ExceptionsModel()
    model.set_entries([entry(n, minutes=n) for n in range(1, 6)])
    qtmodeltester.check(model)
    return model


def numbers(model: ExceptionsModel) -> list[str]:
    return [model.index(r, ExcColumn.NUMBER).data() for r in range(model.rowCount())]


def test_the_same_answer_again_changes_nothing(model: ExceptionsModel) -> None:
    signals = Signals(model)
    model.set_entries([entry(n, minutes=n) for n in range(1, 6)])
    assert signals.seen == []
    assert numbers(model) == ["5", "4", "3", "2", "1"]


def test_a_new_problem_is_inserted_not_reset(model: ExceptionsModel, qtmodeltester) -> None:
    signals = Signals(model)
    model.set_entries([entry(n, minutes=n) for n in range(1, 7)])
    assert signals.seen == [("inserted", 0, 0)]
    assert numbers(model) == ["6", "5", "4", "3", "2", "1"]
    qtmodeltester.check(model)


def test_a_handled_problem_is_removed_and_a_changed_one_updated_in_place(model: ExceptionsModel) -> None:
    signals = Signals(model)
    model.set_entries([entry(5, minutes=5), entry(4, minutes=4, reason="Poprawiony powód"),
                       entry(2, minutes=2), entry(1, minutes=1)])
    assert ("reset",) not in signals.seen
    assert ("removed", 2, 2) in signals.seen and ("changed", 1, 1) in signals.seen
    assert numbers(model) == ["5", "4", "2", "1"]
    assert model.index(1, ExcColumn.REASON).data() == "Poprawiony powód"
    assert model.index(1, ExcColumn.REASON).data(Qt.ItemDataRole.ToolTipRole) == "Poprawiony powód"


def test_groups_stay_together_newest_group_first(qtmodeltester) -> None:
    model = ExceptionsModel()
    # as the query answers: newest first
    model.set_entries([entry(2, "invalid_nip", 5), entry(1, "unknown_sku", 1), entry(3, "unknown_sku", 3)])
    assert [model.group(r) for r in range(3)] == ["Błędny NIP", "Nieznany towar", "Nieznany towar"]
    assert numbers(model) == ["2", "3", "1"]
    model.set_entries([])
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_a_label_refusal_names_its_carrier(qtmodeltester) -> None:
    model = ExceptionsModel()
    refused = ExceptionEntry(7, "7", "Klient 7", "label", "carrier_refused",
                             "DPD Polska odmawia (nadanie numeru przesyłki, zamówienie 7): niepoprawny numer telefonu "
                             "odbiorcy. Odpowiedź przewoźnika: INVALID_PHONE „Niepoprawny numer telefonu”.", AT,
                             {"carrier": "dpd", "carrier_codes": ["INVALID_PHONE"]}, carrier="dpd")
    model.set_entries([entry(1), refused])
    qtmodeltester.check(model)
    carriers = {model.index(r, ExcColumn.NUMBER).data(): model.index(r, ExcColumn.CARRIER).data() for r in range(2)}
    assert carriers == {"7": "DPD Polska", "1": ""}
    assert model.headerData(ExcColumn.CARRIER, Qt.Orientation.Horizontal) == "Przewoźnik"
