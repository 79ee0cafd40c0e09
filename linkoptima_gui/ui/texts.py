"""Polish words and colours for the core's state codes, shared by every screen.

The core stores stable English codes (``ready_to_pack``, ``failed``); people read Polish.
The words are looked up at call time through ``QCoreApplication.translate`` (these are plain
functions, not QObjects, so there is no ``self.tr``), which lets an installed translator
switch them without restarting the screens' modules.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QColor

from ..core.dashboard.labels import exception_group as polish_exception_group
from ..core.domain.money import format_money
from ..core.domain.steps import Stage, StepState


def local_time(moment: datetime) -> str:
    """A stored moment (naive = UTC, as the store keeps them) as local "dd.mm.yyyy hh:mm"."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%d.%m.%Y %H:%M")


def _tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def stage_text(stage: str) -> str:
    """The Polish name of a pipeline stage (what the Etap column and the filter show)."""
    names = {
        Stage.NEW: _tr("Stage", "Nowe"),
        Stage.AWAITING_PAYMENT: _tr("Stage", "Czeka na płatność"),
        Stage.PROCESSING: _tr("Stage", "W realizacji"),
        Stage.READY_TO_PACK: _tr("Stage", "Do spakowania"),
        Stage.PACKED: _tr("Stage", "Spakowane"),
        Stage.EXCEPTION: _tr("Stage", "Wyjątek"),
        Stage.CANCELLED: _tr("Stage", "Anulowane"),
    }
    try:
        return names[Stage(stage)]
    except ValueError:
        return stage


def step_state_text(state: str) -> str:
    """A short word for a step's state; "—" when the order has no such step."""
    if not state:
        return "—"
    words = {
        StepState.PENDING: _tr("StepState", "czeka"),
        StepState.WAITING: _tr("StepState", "czeka"),
        StepState.STARTED: _tr("StepState", "w toku"),
        StepState.DONE: _tr("StepState", "gotowe"),
        StepState.FAILED: _tr("StepState", "błąd"),
        StepState.SKIPPED: _tr("StepState", "pominięte"),
        StepState.CANCELLED: _tr("StepState", "anulowane"),
    }
    try:
        return words[StepState(state)]
    except ValueError:
        return state


#: the groups exceptions are listed under (the table is the core's, ``core/dashboard/labels.py``),
#: marked here for lupdate and translated when shown
_GROUP_NAMES = (
    QT_TRANSLATE_NOOP("ExceptionGroup", "Nieznany towar"), QT_TRANSLATE_NOOP("ExceptionGroup", "Błędny NIP"),
    QT_TRANSLATE_NOOP("ExceptionGroup", "Kwoty się nie zgadzają"),
    QT_TRANSLATE_NOOP("ExceptionGroup", "Brak towaru w magazynie"),
    QT_TRANSLATE_NOOP("ExceptionGroup", "Sklep lub Optima nieosiągalne"),
    QT_TRANSLATE_NOOP("ExceptionGroup", "Przewoźnik odmówił"), QT_TRANSLATE_NOOP("ExceptionGroup", "Drukarka"),
    QT_TRANSLATE_NOOP("ExceptionGroup", "KSeF"), QT_TRANSLATE_NOOP("ExceptionGroup", "Raport kasowy/bankowy zamknięty"),
    QT_TRANSLATE_NOOP("ExceptionGroup", "Błędne dane zamówienia"), QT_TRANSLATE_NOOP("ExceptionGroup", "E-mail"),
    QT_TRANSLATE_NOOP("ExceptionGroup", "Korekty i zwroty"), QT_TRANSLATE_NOOP("ExceptionGroup", "Inne"),
)


def exception_group(code: str, step: str = "") -> str:
    """The group of an exception's reason code (and step: a refund's steps have a group of their
    own), in the console's language (what the exceptions list is grouped by)."""
    return _tr("ExceptionGroup", polish_exception_group(code, step))


def engine_state_text(state: str) -> str:
    words = {
        "running": _tr("EngineState", "działa"),
        "paused": _tr("EngineState", "wstrzymany"),
        "stopped": _tr("EngineState", "zatrzymany"),
        "starting": _tr("EngineState", "uruchamia się"),
        "standby": _tr("EngineState", "czuwa"),
        "refused": _tr("EngineState", "nie może działać tutaj"),
    }
    return words.get(state, state or _tr("EngineState", "nieznany"))


# Light tints so the text stays black and readable; the hue carries the meaning.
_STATE_COLOURS: dict[str, str] = {
    StepState.DONE: "#d4eed9",
    StepState.PENDING: "#eef0f2",
    StepState.WAITING: "#fff0c2",
    StepState.STARTED: "#d5e6fb",
    StepState.FAILED: "#f8cfcc",
    StepState.SKIPPED: "#e4e4e4",
    StepState.CANCELLED: "#e4e4e4",
}

_STAGE_COLOURS: dict[str, str] = {
    Stage.NEW: "#eef0f2",
    Stage.AWAITING_PAYMENT: "#fff0c2",
    Stage.PROCESSING: "#d5e6fb",
    Stage.READY_TO_PACK: "#cfe9f1",
    Stage.PACKED: "#d4eed9",
    Stage.EXCEPTION: "#f8cfcc",
    Stage.CANCELLED: "#e4e4e4",
}


def step_state_colour(state: str) -> QColor | None:
    colour = _STATE_COLOURS.get(state)
    return QColor(colour) if colour else None


def stage_colour(stage: str) -> QColor | None:
    colour = _STAGE_COLOURS.get(stage)
    return QColor(colour) if colour else None


def refund_state_text(state: str) -> str:
    """A refund's state in words (``core/store/refund_queries``): how far its correction got."""
    words = {
        "pending": _tr("RefundState", "czeka na korektę"),
        "booked": _tr("RefundState", "zaksięgowana"),
        "money_back": _tr("RefundState", "pieniądze zwrócone"),
        "emailed": _tr("RefundState", "wysłana klientowi"),
        "problem": _tr("RefundState", "problem"),
        "cancelled": _tr("RefundState", "bez korekty"),
    }
    return words.get(state, state)


_REFUND_COLOURS = {"pending": "#eef0f2", "booked": "#d5e6fb", "money_back": "#d5e6fb", "emailed": "#d4eed9",
                   "problem": "#f8cfcc", "cancelled": "#e4e4e4"}


def refund_state_colour(state: str) -> QColor | None:
    colour = _REFUND_COLOURS.get(state)
    return QColor(colour) if colour else None


def minus_money(value: Decimal) -> str:
    """A correction's value as a decrease, with a real minus sign: "−84,88 zł"."""
    return "−" + format_money(abs(value)) if value else format_money(value)
