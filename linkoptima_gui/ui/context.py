"""Everything a console window needs from the outside, handed in as one object.

The window never builds the engine, the store or the printer itself: whoever starts the
console (the CLI, the demo, a test) assembles them and passes this context, so the same
widgets run against the real shop, the demo world or a temporary test store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from ..core.config.app_settings import AppSettings, StationSettings
from ..core.config.secrets import SecretStore
from ..core.config.settings_file import SettingsFile
from ..core.dashboard.service import Dashboard
from ..core.engine.audit import operator_name
from ..core.engine.end_of_day import EndOfDay
from ..core.engine.events import EventBus
from ..core.engine.packing import PackingService
from ..core.engine.reprint import ReprintService
from ..core.engine.returns_desk import ReturnsDesk
from ..core.printing.factory import open_printer
from ..core.printing.port import Printer


class EngineControl(Protocol):
    """The little the console may ask of a running engine (optional: a packing-only station
    shares the store with an engine that runs elsewhere)."""

    def state(self) -> str:
        """"running", "paused" or "stopped"; with a lease also "standby" or "refused"."""

    def pause(self) -> None: ...

    def resume(self) -> None: ...


@dataclass
class ConsoleContext:
    """The console's dependencies; see the module docstring for why they come from outside."""

    session_factory: sessionmaker[Session]
    bus: EventBus
    packing: PackingService
    printer: Printer  # this station's label printer
    station: str = "stanowisko-1"
    operator: str = ""
    title_suffix: str = ""  # e.g. "DEMO", shown in the window title
    engine: EngineControl | None = None
    #: the station's printer for A4 documents (invoice reprints); None: the label printer
    invoice_printer: Printer | None = None
    #: "scan every item" mode: the button unlocks only when each item's EAN was scanned
    verify_eans: bool = False
    #: an extra key that packs, besides Enter (e.g. "F12" for a foot pedal), as QKeySequence text
    pack_key: str = ""
    reprints: ReprintService | None = None
    #: the settings file the "Ustawienia" screen edits; None: the user's (``default_settings_path``)
    settings_file: SettingsFile | None = None
    #: where that screen keeps the secrets; None: the OS keyring under the service "LinkOptima"
    secrets: SecretStore | None = None
    #: seconds without the active engine's heartbeat after which it counts as gone
    lease_seconds: float = 15.0
    #: the Pulpit's figures and its ZD booking; None: the Pulpit reads the store alone
    dashboard: Dashboard | None = None
    #: returns booked at the packing station ("zwrot" mode); None: no shop to refund in (the mode is hidden)
    returns: ReturnsDesk | None = None
    #: the carriers' end of the day (protocol, courier); None: this computer has no carrier accounts
    end_of_day: EndOfDay | None = None

    def __post_init__(self) -> None:
        if self.reprints is None:
            self.reprints = ReprintService(self.session_factory)
        if self.dashboard is None:
            self.dashboard = Dashboard(self.session_factory)


def station_context(*, settings: AppSettings, station: str, session_factory: sessionmaker[Session], bus: EventBus,
                    packing: PackingService, reprints: ReprintService, engine: EngineControl | None,
                    default_label_printer: str, default_invoice_printer: str = "", title_suffix: str = "",
                    settings_file: SettingsFile | None = None, secrets: SecretStore | None = None,
                    dashboard: Dashboard | None = None, returns: ReturnsDesk | None = None,
                    end_of_day: EndOfDay | None = None) -> ConsoleContext:
    """The console's context for one packing station: its printers and packing options from the
    settings when they name them, else the given defaults (URLs, see ``printing.factory``)."""
    options = settings.stations.get(station, StationSettings())
    invoice_url = options.invoice_printer or default_invoice_printer
    return ConsoleContext(
        session_factory=session_factory, bus=bus, packing=packing,
        printer=open_printer(options.label_printer or default_label_printer), station=station,
        operator=operator_name(), title_suffix=title_suffix, engine=engine,
        invoice_printer=open_printer(invoice_url) if invoice_url else None,
        verify_eans=options.verify_eans, pack_key=options.pack_key, reprints=reprints,
        settings_file=settings_file, secrets=secrets, lease_seconds=settings.lease_seconds, dashboard=dashboard,
        returns=returns, end_of_day=end_of_day,
    )
