"""The "Zamówienia" screen: the live pipeline of every order and step."""

from .columns import Column
from .filter import PipelineFilterProxy
from .model import PipelineModel
from .view import PipelineView

__all__ = ["Column", "PipelineFilterProxy", "PipelineModel", "PipelineView"]
