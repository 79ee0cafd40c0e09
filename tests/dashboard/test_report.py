"""The daily report: the PDF shows the screen's figures (read back with pypdf), the engine
e-mails it once a day even with two engines racing, and ``linkoptima report`` makes it by hand."""

from __future__ import annotations

import io
import threading
from datetime import datetime
from email import message_from_bytes
from pathlib import Path

from pypdf import PdfReader

from linkoptima_gui.cli import main
from linkoptima_gui.core.dashboard.daily_report import DailyReport, report_key
from linkoptima_gui.core.dashboard.labels import money_text
from linkoptima_gui.core.dashboard.report_pdf import render_report_pdf
from linkoptima_gui.core.dashboard.service import Dashboard
from linkoptima_gui.core.store.db import open_store
from linkoptima_gui.core.store.models import KeyValue
from linkoptima_gui.demo.world import DemoWorld


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_pdf_shows_the_figures(dashboard: Dashboard) -> None:
    figures = dashboard.figures(1)
    text = _text(render_report_pdf(figures, shop_name="Sklep Demo"))
    assert f"Raport dzienny {figures.at.strftime('%d.%m.%Y')}" in text
    assert f"opłacone zamówienia {figures.paid_total}, spakowane paczki {figures.packed_total}" in text
    b = figures.backlog
    assert f"do spakowania {b.ready_to_pack}, wyjątki {b.exceptions}" in text
    assert money_text(figures.money.cod_open_amount) in text and money_text(figures.money.settled_today_total) in text
    for title, amount in figures.money.settled_today.items():
        assert f"Rozliczone dziś: {title}" in text and money_text(amount) in text
    for cover in figures.stock.reorder:
        assert cover.code in text
    assert f"kończą się przed dostawą: {len(figures.stock.reorder)}" in text
    assert "Wyjątki wg przyczyny i dnia (14 dni)" in text  # the charts' text is real text


def test_the_report_goes_out_once_with_two_engines_racing(history_world: DemoWorld) -> None:
    """Two engines on one store, at the hour, at the same moment: one e-mail, the day's key once."""
    mail = history_world.folder / "mail"
    before = set(mail.glob("*.eml"))
    url = history_world.store_url
    clock = lambda: datetime.now().astimezone().replace(hour=23)  # noqa: E731 - past any report hour
    reports, stores = [], []
    for station in ("silnik-a", "silnik-b"):
        sessions = open_store(url)
        stores.append(sessions)
        reports.append(DailyReport(history_world.dashboard, sessions, history_world.services.mailer,
                                   sender="sklep@linkoptima.demo", station=station, clock=clock))
    with history_world.sessions.begin() as session:
        session.query(KeyValue).filter(KeyValue.key == report_key(clock().date())).delete()
    start = threading.Barrier(2)
    results: list[str] = []

    def race(report: DailyReport) -> None:
        start.wait()
        results.append(report.run_if_due())

    threads = [threading.Thread(target=race, args=(r,)) for r in reports]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == ["sent", "taken"]
    assert reports[0].run_if_due() == "taken"  # and later looks send nothing either
    new = [p for p in mail.glob("*.eml") if p not in before]
    assert len(new) == 1
    message = message_from_bytes(new[0].read_bytes())
    assert message["To"] == "kierownik@linkoptima.demo" and message["Subject"].startswith("Raport dzienny")
    pdf = next(part for part in message.walk() if part.get_content_type() == "application/pdf")
    assert "Raport dzienny" in _text(pdf.get_payload(decode=True))
    for sessions in stores:
        sessions.kw["bind"].dispose()


def test_report_command_on_a_world(history_world: DemoWorld, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    day = datetime.now().date()
    out = tmp_path / "raport.pdf"
    assert main(["report", "--world", str(history_world.folder), "--day", day.isoformat(), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert '"reorder"' in printed and out.read_bytes().startswith(b"%PDF")
    assert f"Raport dzienny {day.strftime('%d.%m.%Y')}" in _text(out.read_bytes())
    assert main(["report", "--world", str(history_world.folder), "--day", "6.12.2026", "--out", str(out)]) == 2
