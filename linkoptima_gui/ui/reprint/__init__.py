"""The "Wydruki" screen: find an order and print its label or invoice again."""

from .model import SearchResultsModel
from .view import ReprintView

__all__ = ["ReprintView", "SearchResultsModel"]
