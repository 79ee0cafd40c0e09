"""The "Pakowanie" screen: the packing station's queue, parcel card and one big button."""

from .queue_model import PackingQueueModel
from .view import PackingView
from .widgets import ParcelItemsModel

__all__ = ["PackingQueueModel", "PackingView", "ParcelItemsModel"]
