"""The pipeline table's columns and roles: one column per step, and the codes behind the words.

Kept apart from the model so the view, the filter and the tests can name a column or a role
without the model's caching and reading. ``Cells`` is the shape in which the model keeps a
painted row's answers: per column, one answer per role of ``CELL_ROLES``.
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt

from ...core.domain.money import format_money
from ...core.domain.steps import Step
from ...core.store.queries import PipelineRow
from ...core.store.refund_queries import PROBLEM, RefundSummary
from .. import texts


class Column(IntEnum):
    NUMBER = 0
    DATE = 1
    BUYER = 2
    TOTAL = 3
    PAYMENT = 4
    FA = 5
    WZ = 6
    KP = 7
    EMAIL = 8
    LABEL = 9
    PACKED = 10
    KOREKTY = 11  # the order's refunds and their corrections
    STAGE = 12


STEP_COLUMNS: dict[Column, Step] = {
    Column.FA: Step.FA,
    Column.WZ: Step.WZ,
    Column.KP: Step.KP,
    Column.EMAIL: Step.EMAIL,
    Column.LABEL: Step.LABEL,
    Column.PACKED: Step.PACKED,
}

#: Custom roles, for tests and delegates that need the codes behind the Polish words.
OrderIdRole = Qt.ItemDataRole.UserRole + 1
StateRole = Qt.ItemDataRole.UserRole + 2  # step state code, or the stage code in the Etap column

#: Every role a cell answers (any other role is None), in the order ``Cells`` keeps them.
CELL_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.TextAlignmentRole,
              Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole, StateRole)
ROLE_SLOT = {int(role): slot for slot, role in enumerate(CELL_ROLES)}
COLUMNS = len(Column)

#: A row's answers: per column, per role of ``CELL_ROLES``.
Cells = tuple[tuple[Any, ...], ...]


def format_created(created: str) -> str:
    """The shop's GMT timestamp as local "dd.mm.yyyy hh:mm" (empty if it cannot be read)."""
    try:
        return texts.local_time(datetime.fromisoformat(created))
    except ValueError:
        return created


def document_number(row: PipelineRow, column: Column) -> str:
    """The number a done step shows in its column: the FA's, WZ's, KP's or the tracking number."""
    return {
        Column.FA: row.fa_number,
        Column.WZ: row.wz_number,
        Column.KP: row.kp_number,
        Column.LABEL: row.tracking_number,
    }.get(column, "")


def refund_text(refund: RefundSummary) -> str:
    """"FAKI/3/2026 −84,88 zł" once booked; the shop's refund "zwrot 84,88 zł" before that."""
    if refund.numbers:
        return f"{', '.join(refund.numbers)} {texts.minus_money(refund.gross or refund.amount)}"
    return QCoreApplication.translate("Corrections", "zwrot {amount}").format(
        amount=texts.minus_money(refund.amount))


def corrections_cell(row: PipelineRow) -> str:
    """The Korekty column: the first refund, and how many more."""
    if not row.refunds:
        return ""
    more = len(row.refunds) - 1
    return refund_text(row.refunds[0]) + (f" (+{more})" if more else "")


def corrections_state(row: PipelineRow) -> str:
    """The state the cell is coloured by: a problem of any refund, else the latest refund's."""
    if not row.refunds:
        return ""
    return PROBLEM if any(r.state == PROBLEM for r in row.refunds) else row.refunds[-1].state


def corrections_tooltip(row: PipelineRow) -> str:
    """Every refund on its own line: the refund, its corrections and their state."""
    lines = []
    for refund in row.refunds:
        line = QCoreApplication.translate("Corrections", "Zwrot {refund} ({amount}): {text} — {state}").format(
            refund=refund.refund_id, amount=format_money(refund.amount), text=refund_text(refund),
            state=texts.refund_state_text(refund.state))
        lines.append(line + (f"\n    {refund.problem}" if refund.problem else ""))
    return "\n".join(lines)
