"""An emulated Furgonetka.pl REST API for the demo world and the contract tests (``emulator``)."""

from .emulator import FurgonetkaEmulator

__all__ = ["FurgonetkaEmulator"]
