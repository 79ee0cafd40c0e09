"""core/printing."""
