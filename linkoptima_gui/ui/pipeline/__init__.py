"""The "Zamówienia" screen: the live pipeline of every order and step."""

from .filter import PipelineFilterProxy
from .model import Column, PipelineModel
from .view import PipelineView

__all__ = ["Column", "PipelineFilterProxy", "PipelineModel", "PipelineView"]
