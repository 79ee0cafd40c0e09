"""The "Pulpit" screen (``view``), its charts, money panel and reorder table."""

from .view import DashboardView

__all__ = ["DashboardView"]
