"""core/optima."""
