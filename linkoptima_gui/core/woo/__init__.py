"""core/woo."""
