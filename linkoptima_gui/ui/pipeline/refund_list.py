"""The selected order's refunds under its history: each refund with its corrections and state.

One line per refund ("Zwrot 212 · 55,94 zł · FAKI/3/2026 −55,94 zł · wysłana klientowi"), tinted
by its state, the failed step's reason under a problem; hidden for an order with no refunds.
The panel's "Otwórz korektę" opens the selected refund's correction PDF.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from ...core.domain.money import format_money
from ...core.store.refund_queries import RefundSummary
from .. import texts
from .columns import refund_text

RefundRole = Qt.ItemDataRole.UserRole + 1


class RefundList(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._refunds: tuple[RefundSummary, ...] = ()
        self.setVisible(False)

    def show_refunds(self, refunds: Sequence[RefundSummary]) -> None:
        keep = self.current_refund()
        self._refunds = tuple(refunds)
        self.clear()
        for refund in self._refunds:
            text = self.tr("Zwrot {refund} · {amount} · {corrections} · {state}").format(
                refund=refund.refund_id, amount=format_money(refund.amount), corrections=refund_text(refund),
                state=texts.refund_state_text(refund.state))
            if refund.payout:
                text += " · " + self.tr("wypłata {number}").format(number=refund.payout)
            if refund.problem:
                text += "\n    " + refund.problem
            item = QListWidgetItem(text, self)
            item.setData(RefundRole, refund.refund_id)
            item.setToolTip(refund.reason or refund.problem)
            colour = texts.refund_state_colour(refund.state)
            if colour is not None:
                item.setBackground(QBrush(colour))
        self.setVisible(bool(self._refunds))
        if self._refunds:
            ids = [r.refund_id for r in self._refunds]
            self.setCurrentRow(ids.index(keep.refund_id) if keep and keep.refund_id in ids else len(ids) - 1)

    def current_refund(self) -> RefundSummary | None:
        row = self.currentRow()
        return self._refunds[row] if 0 <= row < len(self._refunds) else None
