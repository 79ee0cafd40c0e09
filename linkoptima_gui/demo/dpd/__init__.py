"""An emulated DPD Polska DPDServices (REST flavour) and MyPudo for the demo world and the
carrier contract tests (``emulator``)."""

from .emulator import DPDEmulator

__all__ = ["DPDEmulator"]
