"""core/shipping."""
