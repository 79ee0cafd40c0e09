"""The packing queue's list measures one line, not all of them (every change of a queue of
hundreds re-measured each line), and still shows every line whole: same height, full width."""

from __future__ import annotations

from linkoptima_gui.ui.context import ConsoleContext

from .conftest import open_packing_view


def test_queue_lines_are_measured_once_and_shown_whole(qtbot, context: ConsoleContext,
                                                       world: dict[str, int]) -> None:
    screen = open_packing_view(qtbot, context)
    view, model = screen.queue_view, screen.queue
    assert view.uniformItemSizes()
    rects = [view.visualRect(model.index(row, 0)) for row in range(model.rowCount())]
    assert len(rects) == 3  # the populated world's ready parcels, the cash-on-delivery one among them
    assert len({rect.height() for rect in rects}) == 1
    assert all(rect.height() >= 2 * view.fontMetrics().height() for rect in rects)  # two lines each
    assert all(rect.width() >= view.viewport().width() - 2 * view.spacing() - 1 for rect in rects)
