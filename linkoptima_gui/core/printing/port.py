"""Printer port. A printer is addressed by URL (``file:///folder``, ``zpl://host:9100``) and
prints a label given as PDF and/or ZPL bytes, using the form it understands."""

from __future__ import annotations

from typing import Protocol

from ..errors import RetryableError


class PrinterError(RetryableError):
    """The printer is offline, refused or timed out: the parcel must not be marked packed."""

    code = "printer"


class Printer(Protocol):
    url: str

    def print_label(self, job_name: str, *, pdf: bytes | None = None, zpl: bytes | None = None) -> str:
        """Print; return a short description of where it went. Raise ``PrinterError``."""
