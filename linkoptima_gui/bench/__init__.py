"""The benchmarks of ``make bench`` (``python -m linkoptima_gui.bench`` runs them all).

They measure, they do not assert: the tests check behaviour. Each part is a module with its
own ``python -m`` entry for running it alone; ``common`` holds what they share.
"""
