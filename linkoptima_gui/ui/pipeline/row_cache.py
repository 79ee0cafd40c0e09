"""The rows the pipeline has read: read from the store in blocks, off the GUI thread, and kept.

The model holds only the list of order ids; a row is read when it is first painted, together
with the rest of its ``BLOCK`` (the view paints a screenful at a time, so a block is one read
instead of dozens). Two limits keep a big shop light: the most recently read ``CACHE_ROWS`` rows
are kept (a row dropped from the cache is read again when painted), and the worked-out answers
of the last ``CELL_ROWS`` painted rows (``Cells``), forgotten when the row is read again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy.orm import Session, sessionmaker

from ...core.store import queries
from ...core.store.queries import PipelineRow
from .columns import Cells

#: How many rows one lazy read fetches.
BLOCK = 200
#: How many rows the cache keeps (the most recently read).
CACHE_ROWS = 10_000
#: How many painted rows keep their worked-out answers.
CELL_ROWS = 2_000


def read_initial(factory: sessionmaker[Session]) -> tuple[list[int], dict[int, PipelineRow]]:
    """Every order id, newest first, and the rows of the first block (runs off the GUI thread)."""
    with factory() as session:
        ids = queries.order_ids(session)
        return ids, queries.pipeline_rows(session, ids[:BLOCK])


def read_rows(factory: sessionmaker[Session], ids: Sequence[int]) -> dict[int, PipelineRow]:
    """The rows of these orders; an order no longer in the store is missing (off the GUI thread)."""
    with factory() as session:
        return queries.pipeline_rows(session, ids)


class RowCache:
    """Rows read, painted rows' answers and the reads on their way, by order id.

    ``rows`` and ``cells`` keep insertion order as their age (oldest first), which is what the
    limits drop by. Plain dictionaries, read directly by the model's ``data()``: it is called
    for every role of every visible cell, so it must stay a lookup.
    """

    def __init__(self) -> None:
        self.rows: dict[int, PipelineRow] = {}
        self.cells: dict[int, Cells] = {}
        self.requested: set[int] = set()  # ids whose lazy read is on its way

    def keep(self, rows: dict[int, PipelineRow]) -> None:
        """Cache rows just read (as the newest), forget their old answers, and drop the oldest
        reads beyond ``CACHE_ROWS``."""
        for oid, row in rows.items():
            self.rows.pop(oid, None)
            self.rows[oid] = row
            self.cells.pop(oid, None)
        while len(self.rows) > CACHE_ROWS:
            oldest = next(iter(self.rows))
            del self.rows[oldest]
            self.cells.pop(oldest, None)

    def keep_cells(self, oid: int, cells: Cells) -> None:
        """Keep a painted row's answers, dropping the oldest beyond ``CELL_ROWS``."""
        if len(self.cells) >= CELL_ROWS:
            del self.cells[next(iter(self.cells))]
        self.cells[oid] = cells

    def forget(self, oid: int) -> None:
        self.rows.pop(oid, None)
        self.cells.pop(oid, None)

    def block_to_read(self, ids: Sequence[int], row: int) -> list[int]:
        """The ids of ``row``'s block neither cached nor on their way, now marked as on their way."""
        start = row - row % BLOCK
        wanted = [i for i in ids[start:start + BLOCK] if i not in self.rows and i not in self.requested]
        self.requested.update(wanted)
        return wanted

    def received(self, ids: Iterable[int]) -> None:
        """These reads have come back (rows found or not)."""
        self.requested.difference_update(ids)
