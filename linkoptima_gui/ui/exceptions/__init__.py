"""The "Wyjątki" screen: what needs a human, grouped by reason, with the actions to fix it."""

from .model import ExceptionsModel
from .view import ExceptionsView

__all__ = ["ExceptionsModel", "ExceptionsView"]
