"""The "Ustawienia" screen: connections with their checks, printers per station, mappings."""

from .rows_model import Column, RowsModel
from .view import SettingsView

__all__ = ["Column", "RowsModel", "SettingsView"]
