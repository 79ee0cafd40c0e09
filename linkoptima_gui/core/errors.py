"""Errors every adapter raises, so the engine can tell "try again later" from "needs a human".

``reason`` is the readable text shown to the warehouse manager (Polish); ``details`` carries the
data needed to fix it (the unknown SKU, the figures that do not add up...).
"""

from __future__ import annotations

from typing import Any


class StepError(Exception):
    """Base of all errors a pipeline step may raise."""

    retryable: bool = False
    #: short machine code of the reason, used to group exceptions (unknown_sku, invalid_nip...)
    code: str = "error"

    def __init__(self, reason: str, *, code: str | None = None, details: dict[str, Any] | None = None):
        super().__init__(reason)
        self.reason = reason
        if code:
            self.code = code
        self.details = details or {}


class RetryableError(StepError):
    """Temporary: a timeout, 429/5xx, a lock, a server that is down. Retried with backoff."""

    retryable = True
    code = "unreachable"


class WaitingError(RetryableError):
    """Nothing is wrong yet, something outside is not ready (e.g. KSeF has not numbered the
    invoice). Asked again after ``retry_after`` seconds without using up the step's attempts."""

    code = "waiting"

    def __init__(self, reason: str, *, retry_after: float, code: str | None = None,
                 details: dict[str, Any] | None = None):
        super().__init__(reason, code=code, details=details)
        self.retry_after = retry_after


class PermanentError(StepError):
    """Bad data or a refusal that retrying will not change: becomes an exception at once."""

    code = "invalid"


class AmbiguousOutcomeError(PermanentError):
    """A write may or may not have happened (e.g. a crash while an e-mail was being sent).

    Never retried automatically, because retrying could do it twice; a person checks and
    decides.
    """

    code = "ambiguous"
