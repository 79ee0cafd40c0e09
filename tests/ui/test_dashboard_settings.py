"""The Pulpit's settings page: the report's recipients and hour and the suppliers' lead times
go to the settings file; what is not an address or a group=days pair is refused with its field."""

from __future__ import annotations

import json

from linkoptima_gui.core.config.app_settings import AppSettings
from linkoptima_gui.core.config.secrets import MemoryKeyring, SecretStore
from linkoptima_gui.ui.context import ConsoleContext

from .test_settings_screen import open_view


def test_the_report_and_lead_times_are_saved(qtbot, context: ConsoleContext) -> None:  # noqa: ANN001
    context.secrets = SecretStore(backend=MemoryKeyring())
    view = open_view(qtbot, context)
    page = view.dashboard
    view.show_page(page)
    page.recipients.set_values(("kierownik@sklep.pl", "wlasciciel@sklep.pl"))
    page.hour.setValue(19)
    page.lead_time.setValue(9)
    page.groups.setText("1=14; 3=21")
    with qtbot.waitSignal(view.sig_saved, timeout=5000) as saved:
        view.save_button.click()
    assert saved.args[0] is True, saved.args[1]
    dashboard = AppSettings.from_document(json.loads(context.settings_file.path.read_text(encoding="utf-8"))).dashboard
    assert dashboard.report_recipients == ("kierownik@sklep.pl", "wlasciciel@sklep.pl")
    assert (dashboard.report_hour, dashboard.lead_time_days) == (19, 9)
    assert dict(dashboard.lead_time_by_group) == {1: 14, 3: 21} and dashboard.lead_time(3) == 21


def test_mistakes_are_named(qtbot, context: ConsoleContext) -> None:  # noqa: ANN001
    context.secrets = SecretStore(backend=MemoryKeyring())
    view = open_view(qtbot, context)
    view.dashboard.groups.setText("jeden=14")
    view.dashboard.recipients.set_values(("kierownik",))
    with qtbot.waitSignal(view.sig_saved, timeout=5000) as saved:
        view.save_button.click()
    assert saved.args[0] is False
    assert not context.settings_file.path.exists() or "kierownik" not in context.settings_file.path.read_text()
    fields = {p.field for p in view.dashboard.problems()}
    assert fields == {"lead_time_by_group", "report_recipients"}
