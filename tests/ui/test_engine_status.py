"""The status bar says which station runs the engine and how fresh its heartbeat is, whether this
console's own engine stands by, and loudly when no engine runs at all."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select, update

from linkoptima_gui.core.store.fencing import Fence
from linkoptima_gui.core.store.lease import EngineLease
from linkoptima_gui.core.store.models import LeaseRow
from linkoptima_gui.ui.bridge import EngineBridge
from linkoptima_gui.ui.context import ConsoleContext
from linkoptima_gui.ui.engine_status import EngineStatus


class _Standby:
    """This console's engine, standing by for the one at E1."""

    def state(self) -> str:
        return "standby"

    def pause(self) -> None: ...

    def resume(self) -> None: ...


def test_the_active_engine_and_its_heartbeat_are_shown(qtbot, context: ConsoleContext) -> None:
    lease = EngineLease(context.session_factory.kw["bind"], "E1", Fence())
    assert lease.acquire()
    bridge = EngineBridge(context.bus)
    packing_only = EngineStatus(context, bridge)
    qtbot.addWidget(packing_only)
    qtbot.waitUntil(lambda: packing_only.label.text().startswith("Silnik: działa na E1, sygnał "), timeout=3000)
    assert not packing_only.pause_button.isVisible() and packing_only.label.styleSheet() == ""

    standby = EngineStatus(replace(context, engine=_Standby()), bridge)
    qtbot.addWidget(standby)
    qtbot.waitUntil(lambda: standby.label.text().startswith("Silnik: czuwa, działa na E1"), timeout=3000)
    assert not standby.pause_button.isEnabled()

    with context.session_factory.begin() as session:  # E1's computer went silent
        beat = session.scalar(select(LeaseRow.heartbeat_at))
        session.execute(update(LeaseRow).values(heartbeat_at=beat - timedelta(seconds=40)))
    packing_only.refresh()
    qtbot.waitUntil(lambda: "żaden nie działa" in packing_only.label.text(), timeout=3000)
    assert packing_only.label.text() == "Silnik: żaden nie działa (ostatni: stanowisko E1, 40 s temu)"
    assert "b00020" in packing_only.label.styleSheet()

    refused = EngineStatus(replace(context, engine=None), bridge)
    qtbot.addWidget(refused)
    bridge.sig_engine_role.emit({"role": "refused", "reason": "Baza SQLite jest dla jednego komputera…"})
    assert refused.label.text() == "Silnik: nie może działać na tym komputerze"
    assert refused.label.toolTip() == "Baza SQLite jest dla jednego komputera…"
    bridge.close()
