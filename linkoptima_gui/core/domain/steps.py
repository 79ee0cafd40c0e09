"""The steps of an order and what each depends on.

contractor+FA -> {WZ, KP (confirmed online payments only), e-mail}; the label once the order's
documents are booked (FA and WZ; or, by a setting, at payment), never while the order has a step
in exception; packed (by a person) once FA, WZ and the label are done.
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
    LABEL_CANCEL = "label_cancel"  # a person asked to cancel the label with the carrier
    # one of each per refund made in the shop (the job's identity key ends with the refund id):
    KOREKTA = "korekta"  # the correction(s) of the FA in Optima
    KOREKTA_ZWROT = "korekta_zwrot"  # the money back: payout settled with the correction, or netted
    KOREKTA_EMAIL = "korekta_email"  # the correction's PDF to the buyer


#: the steps of a refund: several of each per order, one per refund
REFUND_STEPS = (Step.KOREKTA, Step.KOREKTA_ZWROT, Step.KOREKTA_EMAIL)


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


#: The label is bought once the order's documents are booked: a carrier charges for every label,
#: and an order that cannot be invoiced (an unknown item, goods Optima does not have) must not
#: cost one. Its job is planned when the WZ is done (``planning.plan_after``); a shop that wants
#: labels sooner plans it with the order's other steps (``label_at_payment``), and then it runs
#: beside the books, but never while another step of the order is in exception (``ready``).
DEPENDS_ON: dict[Step, tuple[Step, ...]] = {
    Step.FA: (),
    Step.WZ: (Step.FA,),
    Step.KP: (Step.FA,),
    Step.EMAIL: (Step.FA,),
    Step.LABEL: (),
    Step.PACKED: (Step.FA, Step.WZ, Step.LABEL),
    Step.SHOP: (Step.PACKED,),
    Step.SHOP_FA: (Step.FA,),
    Step.LABEL_CANCEL: (Step.LABEL,),
    # a correction corrects a booked FA, and its goods come back through the WZ's correction;
    # the money and the e-mail are planned once the correction is booked
    Step.KOREKTA: (Step.FA, Step.WZ),
    Step.KOREKTA_ZWROT: (),
    Step.KOREKTA_EMAIL: (),
}

#: Steps that wait for another one only when the order has it: the e-mailed invoice of an online
#: payment must already say "zapłacono", so the e-mail follows the KP where there is one.
AFTER_IF_PLANNED: dict[Step, tuple[Step, ...]] = {Step.EMAIL: (Step.KP,)}

#: Steps the engine runs by itself (PACKED is a person pressing the button).
AUTOMATIC_STEPS = (Step.FA, Step.WZ, Step.KP, Step.EMAIL, Step.LABEL, Step.SHOP, Step.SHOP_FA, Step.LABEL_CANCEL,
                   *REFUND_STEPS)

#: The columns of the pipeline table, in order.
PIPELINE_STEPS = (Step.FA, Step.WZ, Step.KP, Step.EMAIL, Step.LABEL, Step.PACKED)

FINISHED_STATES = frozenset({StepState.DONE, StepState.SKIPPED})


def steps_for(order: Order, *, shop_status_when_invoiced: bool = False,
              label_at_payment: bool = False) -> tuple[Step, ...]:
    """The steps planned for a bookable order (KP only for a confirmed online payment; SHOP_FA
    only when the shop's status is to change once the FA is booked; LABEL now only when labels
    are bought at payment, else once the WZ is done).

    PACKED is planned too (pending until a packer claims it); SHOP is added by packing.
    """
    steps = [Step.FA, Step.WZ]
    if order.settles_now:
        steps.append(Step.KP)
    steps.append(Step.EMAIL)
    if label_at_payment:
        steps.append(Step.LABEL)
    steps.append(Step.PACKED)
    if shop_status_when_invoiced:
        steps.append(Step.SHOP_FA)
    return tuple(steps)


def prerequisites(step: Step, states: dict[Step, StepState]) -> tuple[Step, ...]:
    """The steps ``step`` waits for in an order whose planned steps are ``states``' keys."""
    return DEPENDS_ON[step] + tuple(dep for dep in AFTER_IF_PLANNED.get(step, ()) if dep in states)


def stopped(step: Step, states: dict[Step, StepState]) -> bool:
    """Whether ``step`` must wait for a person whatever its prerequisites: the label, while the
    books the parcel needs have failed (an order stopped in exception must not cost a label; a
    failed e-mail or shop status does not stop the parcel)."""
    return step is Step.LABEL and any(states.get(dep) is StepState.FAILED for dep in DEPENDS_ON[Step.PACKED])


def ready(step: Step, states: dict[Step, StepState]) -> bool:
    """True when every step ``step`` waits for is finished, and nothing stops it (``stopped``)."""
    if stopped(step, states):
        return False
    return all(states.get(dep) in FINISHED_STATES for dep in prerequisites(step, states))


def stage_of(states: dict[Step, StepState], may_book: bool, cancelled: bool = False) -> Stage:
    if cancelled:
        return Stage.CANCELLED
    if states.get(Step.PACKED) in FINISHED_STATES:
        return Stage.PACKED
    # A failed step the parcel does not need (the e-mail, the KP) must not hold the goods back:
    # the parcel goes to the packing queue and the failed step stays visible in its column
    # (unless packing itself is stopped: an order refunded in full before it was packed).
    if states and may_book and ready(Step.PACKED, states) and states.get(Step.PACKED) is not StepState.FAILED:
        return Stage.READY_TO_PACK
    if any(s is StepState.FAILED for s in states.values()):
        return Stage.EXCEPTION
    if not may_book:
        return Stage.AWAITING_PAYMENT
    if not states:
        return Stage.NEW
    return Stage.PROCESSING
