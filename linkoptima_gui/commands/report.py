"""``linkoptima report``: the daily report of any day as a PDF, by hand.

    linkoptima report --world DIR --day 2026-12-06 --out raport.pdf     (a demo world)
    linkoptima report --store URL --day 2026-12-06 --out raport.pdf     (a real installation)

The same figures and PDF the engine e-mails at the set hour. On a real installation Optima is
read through the settings' read-only connection; when it cannot be reached the report still
comes out, with the store's figures and the reason on it.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

from ..core.dashboard.optima_figures import OptimaFigures
from ..core.dashboard.report_pdf import render_report_pdf
from ..core.dashboard.service import Dashboard
from ..core.store.db import sqlite_url
from ..core.store.location import open_checked


def make_report(*, day: date, out: Path, world: Path | None = None, store_url: str = "",
                settings_file: Path | None = None) -> dict[str, object]:
    """Write the report of ``day`` to ``out``; returns what the command prints."""
    from ..core.config.app_settings import AppSettings
    from ..core.config.settings_file import SettingsFile

    settings = AppSettings.from_document(SettingsFile(settings_file).load()) if world is None else AppSettings()
    optima = None
    if world is not None:
        from ..core.optima.schema import optima_engine
        from ..demo.world import DEMO_LEAD_TIMES

        settings.dashboard = replace(settings.dashboard, lead_time_by_group=DEMO_LEAD_TIMES)  # as the demo's Pulpit

        sessions = open_checked(store_url or sqlite_url(world / "console.sqlite"))
        optima = OptimaFigures(optima_engine(sqlite_url(world / "optima.sqlite")))
        shop_name = "Sklep Demo LinkOptima"
    else:
        sessions = open_checked(store_url or settings.store_url)
        shop_name = settings.optima.seller.name
        optima = _installation_optima(settings, settings_file)
    try:
        figures = Dashboard(sessions, optima, settings.dashboard).figures(1, day)
        out.write_bytes(render_report_pdf(figures, shop_name=shop_name))
    finally:
        sessions.kw["bind"].dispose()
        if optima is not None:
            optima.engine.dispose()
    return {"day": day.isoformat(), "out": str(out), "paid": figures.paid_total, "packed": figures.packed_total,
            "reorder": len(figures.stock.reorder), "optima_error": figures.optima_error}


def _installation_optima(settings: object, settings_file: Path | None = None) -> OptimaFigures | None:
    """Optima through the settings' read-only login, or None when it cannot be opened."""
    from ..core.config.secrets import SecretStore
    from ..core.optima.connect import OptimaConnectionError, reader_engine

    try:
        password = SecretStore.beside(settings_file).get("optima.sql_password")
        connection = replace(settings.optima_connection, password=password)  # type: ignore[attr-defined]
        return OptimaFigures(reader_engine(connection), settings.optima)  # type: ignore[attr-defined]
    except (OptimaConnectionError, Exception):  # the report still comes out, without Optima
        return None


def main_line(**kwargs: object) -> str:
    return json.dumps(make_report(**kwargs), ensure_ascii=False)  # type: ignore[arg-type]
