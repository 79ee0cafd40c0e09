"""The daily report by e-mail: sent by the active engine at the set hour, once a day, also when
several engines share the store.

Exactly once is kept by the store, the way the invoice e-mail's "sending" phase keeps it: before
the message goes out, the engine inserts the day's key (``daily_report:<day>``) into the store's
key/value table in its own committed transaction. The key is the table's primary key, so of two
engines racing for the same day only one insert commits (the other's fails, and it does
nothing); an engine that lost its lease has its insert refused by the fence. A key left at
"sending" by a crash mid-send is never retried by itself: the report may have gone out, and a
person would rather miss a copy than get two. A failure before anything was handed to the mail
server removes the key, and the next look (a minute later) tries again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import make_msgid

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import AmbiguousOutcomeError, PermanentError, RetryableError
from ..store.models import KeyValue
from .labels import money_text
from .report_pdf import render_report_pdf
from .service import Dashboard

log = logging.getLogger(__name__)

KEY_PREFIX = "daily_report:"
SENDING, SENT, FAILED = "sending", "sent", "failed"


def report_key(day: date) -> str:
    return f"{KEY_PREFIX}{day.isoformat()}"


class DailyReport:
    """Checked by the engine's loop every minute: is today's report due, and not sent yet?

    ``sessions``: the engine's fenced sessions; ``mailer``: anything with ``send(message)``;
    ``sender``: the From address; ``station``: who sent it (kept with the key)."""

    def __init__(self, dashboard: Dashboard, sessions: sessionmaker[Session], mailer: object, *, sender: str,
                 shop_name: str = "", station: str = "",
                 clock: Callable[[], datetime] | None = None) -> None:
        self.dashboard = dashboard
        self.sessions = sessions
        self.mailer = mailer
        self.sender = sender
        self.shop_name = shop_name
        self.station = station
        self.clock = clock or dashboard.clock

    def due(self, now: datetime) -> bool:
        settings = self.dashboard.settings
        return bool(settings.report_recipients) and now.hour >= settings.report_hour

    def run_if_due(self) -> str:
        """Send today's report if it is due and nobody took it yet; returns what happened
        ("", "sent", "taken", "failed", "retry", "unknown")."""
        now = self.clock()
        if not self.due(now):
            return ""
        key = report_key(now.date())
        if not self._claim(key, now):
            return "taken"
        try:
            message = self.build(now.date())
        except Exception:  # a report that cannot be made must not stop the engine; try later
            log.exception("the daily report could not be made")
            self._release(key)
            return "retry"
        try:
            self.mailer.send(message)  # type: ignore[attr-defined]
        except RetryableError as exc:
            log.warning("daily report not sent, will try again: %s", exc.reason)
            self._release(key)
            return "retry"
        except PermanentError as exc:
            log.error("daily report refused: %s", exc.reason)
            self._mark(key, FAILED, now, exc.reason)
            return "failed"
        except AmbiguousOutcomeError as exc:
            log.error("daily report may or may not have gone out (not resent): %s", exc.reason)
            return "unknown"
        self._mark(key, SENT, now, message["Message-ID"])
        return "sent"

    def build(self, day: date) -> EmailMessage:
        """The e-mail of ``day``'s report: a short summary, the PDF attached."""
        figures = self.dashboard.figures(1, day)
        pdf = render_report_pdf(figures, shop_name=self.shop_name)
        message = EmailMessage()
        message["Subject"] = f"Raport dzienny {day.strftime('%d.%m.%Y')}" + (f" — {self.shop_name}" if self.shop_name else "")
        message["From"] = self.sender
        message["To"] = ", ".join(self.dashboard.settings.report_recipients)
        message["Message-ID"] = make_msgid(domain="linkoptima.local")
        b, m = figures.backlog, figures.money
        message.set_content(
            f"Raport dzienny {day.strftime('%d.%m.%Y')}\n\n"
            f"Opłacone zamówienia: {figures.paid_total}\nSpakowane paczki: {figures.packed_total}\n"
            f"Do spakowania: {b.ready_to_pack}, wyjątki: {b.exceptions}\n"
            f"Pobrania w drodze: {money_text(m.cod_open_amount)} ({m.cod_open_count})\n"
            f"Rozliczone dziś: {money_text(m.settled_today_total)}\n"
            f"Do zamówienia: {len(figures.stock.reorder)} towarów\n\nSzczegóły w załączniku (PDF).\n")
        message.add_attachment(pdf, maintype="application", subtype="pdf",
                               filename=f"raport-{day.isoformat()}.pdf")
        return message

    def _claim(self, key: str, now: datetime) -> bool:
        value = json.dumps({"state": SENDING, "station": self.station, "at": now.isoformat(timespec="seconds")})
        try:
            with self.sessions.begin() as session:
                session.add(KeyValue(key=key, value=value))
        except IntegrityError:
            return False
        return True

    def _release(self, key: str) -> None:
        with self.sessions.begin() as session:
            session.execute(delete(KeyValue).where(KeyValue.key == key))

    def _mark(self, key: str, state: str, now: datetime, note: str) -> None:
        value = json.dumps({"state": state, "station": self.station, "at": now.isoformat(timespec="seconds"),
                            "note": note})
        with self.sessions.begin() as session:
            session.execute(update(KeyValue).where(KeyValue.key == key).values(value=value))
