"""Furgonetka.pl: one OAuth2 REST API for DPD, DHL, InPost, Poczta Polska, ORLEN Paczka, GLS and
UPS, on Furgonetka's prices or the shop's own contracts (``client``; tokens in ``auth``)."""

from .auth import FurgonetkaAuth
from .client import FurgonetkaCarrier, FurgonetkaSettings

__all__ = ["FurgonetkaAuth", "FurgonetkaCarrier", "FurgonetkaSettings"]
