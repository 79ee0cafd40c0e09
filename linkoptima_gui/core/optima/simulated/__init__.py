"""The simulated Optima: an imitation of Optima for the demo, the tests and test companies.

Nothing here runs against a real Optima. It writes into a CDN database (SQLite, or PostgreSQL
for a test company) exactly the rows Optima itself would, under the same table and column
names, so the SQL reader meets the shape it will meet in a real shop:

- ``writer``: ``SimulatedOptimaWriter``, the writer port (contractor, FA, WZ, KP) in place of
  the COM writer; ``documents``, ``wz``, ``payments`` build its rows and ``booking`` holds what
  every write shares (the locked transaction, numbering, stamps);
- ``stock``: deliveries and counter sales that move stock without the shop;
- ``ksef``: Optima's KSeF sending, which gives company invoices their KSeF number.

What Optima refuses, and which card is the buyer's, come from ``optima/rules/``, the rules the
COM writer keeps too. Only the demo, the installation (a test company may name the simulated
writer) and the tests import this package; a test checks it.
"""

from .ksef import SimulatedKsef
from .stock import SimulatedStockMoves
from .writer import SimulatedOptimaWriter

__all__ = ["SimulatedKsef", "SimulatedOptimaWriter", "SimulatedStockMoves"]
