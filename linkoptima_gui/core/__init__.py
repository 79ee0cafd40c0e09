"""Qt-free core of the console: domain, state store, adapters and the engine.

Nothing under this package imports PySide6; a test enforces it so that the engine can run
headless (``linkoptima engine``) and be tested without a display.
"""
