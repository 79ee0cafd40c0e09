"""Keeping the console's resident memory down where the C library lets us.

glibc gives every thread that allocates its own malloc arena (up to 8 per core), and memory
freed in one arena is not reused by another: the console's dozen threads (engine workers, the
stock sync, background lanes, HTTP and SMTP clients) each keep a few MB of free heap. Two
arenas hold the same work in less memory: measured on the console benchmark, 281 -> 256 MB at
the same GUI stall. Elsewhere (Windows' heap, musl) there is nothing to set.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys

log = logging.getLogger(__name__)

#: mallopt's parameter number for the arena limit (glibc's malloc.h)
M_ARENA_MAX = -8
ARENAS = 2


def limit_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas; True when it was set. Call before the worker threads start
    (arenas already made stay). An arena limit from ``MALLOC_ARENA_MAX`` wins."""
    if not sys.platform.startswith("linux"):
        return False
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(M_ARENA_MAX, arenas))
    except (OSError, AttributeError):  # not glibc
        log.debug("malloc arenas not limited: no glibc mallopt")
        return False
