"""The crash points moved to ``core/faults.py`` (the carrier adapters cut in there too); this name
stays for code written against the old place."""

from ..faults import CRASH_EXIT_STATUS, crash_point

__all__ = ["CRASH_EXIT_STATUS", "crash_point"]
