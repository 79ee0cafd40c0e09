"""The steps of an order and what each depends on.

contractor+FA -> {WZ, KP (confirmed online payments only), e-mail}; the label as soon as the
order may ship; packed (by a person) once FA, WZ and the label are done.
"""

from __future__ import annotations

from enum import StrEnum

from .order import Order


class Step(StrEnum):
    FA = "fa"
    WZ = "wz"
    KP = "kp"
    EMAIL = "email"
    LABEL = "label"
    PACKED = "packed"  # a person pressed the button: label printed, parcel packed
    SHOP = "shop"  # write-back to the shop after packing: status, note, tracking number
    SHOP_FA = "shop_fa"  # the shop status once the FA is booked (only when one is configured)


class StepState(StrEnum):
    PENDING = "pending"
    STARTED = "started"
    DONE = "done"
    FAILED = "failed"  # needs a human: shown among the exceptions
    WAITING = "waiting"  # waiting for something outside (payment, KSeF number)
    SKIPPED = "skipped"  # skipped by a person, with a reason
    CANCELLED = "cancelled"


class Stage(StrEnum):
    """Where an order is, derived from its steps (what the pipeline filters on)."""

    NEW = "new"
    AWAITING_PAYMENT = "awaiting_payment"
    PROCESSING = "processing"
    READY_TO_PACK = "ready_to_pack"
    PACKED = "packed"
    EXCEPTION = "exception"
    CANCELLED = "cancelled"


#: The label is bought as soon as the order may ship (its steps are planned only once it is paid,
#: or cash on delivery), in parallel with the books, so the packer's button never waits for a
#: carrier. An order that then stops on an exception keeps its label for when it is fixed.
DEPENDS_ON: dict[Step, tuple[Step, ...]] = {
    Step.FA: (),
    Step.WZ: (Step.FA,),
    Step.KP: (Step.FA,),
    Step.EMAIL: (Step.FA,),
    Step.LABEL: (),
    Step.PACKED: (Step.FA, Step.WZ, Step.LABEL),
    Step.SHOP: (Step.PACKED,),
    Step.SHOP_FA: (Step.FA,),
}

#: Steps that wait for another one only when the order has it: the e-mailed invoice of an online
#: payment must already say "zapłacono", so the e-mail follows the KP where there is one.
AFTER_IF_PLANNED: dict[Step, tuple[Step, ...]] = {Step.EMAIL: (Step.KP,)}

#: Steps the engine runs by itself (PACKED is a person pressing the button).
AUTOMATIC_STEPS = (Step.FA, Step.WZ, Step.KP, Step.EMAIL, Step.LABEL, Step.SHOP, Step.SHOP_FA)

#: The columns of the pipeline table, in order.
PIPELINE_STEPS = (Step.FA, Step.WZ, Step.KP, Step.EMAIL, Step.LABEL, Step.PACKED)

FINISHED_STATES = frozenset({StepState.DONE, StepState.SKIPPED})


def steps_for(order: Order, *, shop_status_when_invoiced: bool = False) -> tuple[Step, ...]:
    """The steps planned for a bookable order (KP only for a confirmed online payment; SHOP_FA
    only when the shop's status is to change once the FA is booked).

    PACKED is planned too (pending until a packer claims it); SHOP is added by packing.
    """
    steps = [Step.FA, Step.WZ]
    if order.settles_now:
        steps.append(Step.KP)
    steps += [Step.EMAIL, Step.LABEL, Step.PACKED]
    if shop_status_when_invoiced:
        steps.append(Step.SHOP_FA)
    return tuple(steps)


def prerequisites(step: Step, states: dict[Step, StepState]) -> tuple[Step, ...]:
    """The steps ``step`` waits for in an order whose planned steps are ``states``' keys."""
    return DEPENDS_ON[step] + tuple(dep for dep in AFTER_IF_PLANNED.get(step, ()) if dep in states)


def ready(step: Step, states: dict[Step, StepState]) -> bool:
    """True when every step ``step`` waits for is finished."""
    return all(states.get(dep) in FINISHED_STATES for dep in prerequisites(step, states))


def stage_of(states: dict[Step, StepState], may_book: bool, cancelled: bool = False) -> Stage:
    if cancelled:
        return Stage.CANCELLED
    if states.get(Step.PACKED) in FINISHED_STATES:
        return Stage.PACKED
    # A failed step the parcel does not need (the e-mail, the KP) must not hold the goods back:
    # the parcel goes to the packing queue and the failed step stays visible in its column.
    if states and may_book and ready(Step.PACKED, states):
        return Stage.READY_TO_PACK
    if any(s is StepState.FAILED for s in states.values()):
        return Stage.EXCEPTION
    if not may_book:
        return Stage.AWAITING_PAYMENT
    if not states:
        return Stage.NEW
    return Stage.PROCESSING
