"""LinkOptima console: WooCommerce -> Comarch ERP Optima after-sale automation."""

__version__ = "0.1.0"
