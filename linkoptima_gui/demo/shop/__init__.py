"""The demo world's WooCommerce shop: a wc/v3 emulator on loopback and its simulated buyers.

``ShopEmulator`` serves the shop over http for the real ``woocommerce`` client (OAuth 1.0a, the
same error bodies, paging headers and batch limits as a real WooCommerce 8.9 shop), or over https
with Basic auth or keys in the query when given a certificate; its state is
one SQLite file in the given folder. ``ShopCustomers`` places orders into the same store, the
same on every machine for the same seed.
"""

from .customers import ShopCustomers, make_nip
from .server import ShopEmulator
from .store import ShopStore
from .tables import ListQuery
from .totals import TAX_RATES, TaxRate, compute_order

__all__ = [
    "TAX_RATES",
    "ListQuery",
    "ShopCustomers",
    "ShopEmulator",
    "ShopStore",
    "TaxRate",
    "compute_order",
    "make_nip",
]
