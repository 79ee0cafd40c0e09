"""Crash points for the exactly-once tests: the process dies on the spot, as under kill -9.

``LINKOPTIMA_CRASH_AT=<point>`` (e.g. ``fa:called``) makes the process exit with status 137,
without cleanup, the first time it reaches that point; ``<point>#<n>`` the n-th time. The
points sit on the step boundaries where a crash is most dangerous: after a job is claimed and
before the outside call, after the outside call and before its outcome is committed, between
the halves of a two-part write; inside a carrier's create too (``carrier:answered``: the carrier
made the parcel, the adapter has not recorded it). Unset (always, outside those tests), a point
costs one dictionary lookup.
"""

from __future__ import annotations

import os
import threading

CRASH_EXIT_STATUS = 137  # what a shell reports for a process killed by SIGKILL

_target, _, _nth = os.environ.get("LINKOPTIMA_CRASH_AT", "").partition("#")
_remaining = int(_nth or 1)
_lock = threading.Lock()


def crash_point(name: str) -> None:
    global _remaining
    if not _target or name != _target:
        return
    with _lock:
        _remaining -= 1
        if _remaining == 0:
            os._exit(CRASH_EXIT_STATUS)
