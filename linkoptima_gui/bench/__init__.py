"""The benchmarks of ``make bench`` (``python -m linkoptima_gui.bench`` runs them all).

They measure, they do not assert: the tests check behaviour. Each part is a module (``world``,
``documents``, ``stock``, ``optima``, ``woo``, ``gui``); all but ``world`` and ``stock`` also run
alone with ``python -m``. ``common`` holds what they share.
"""
