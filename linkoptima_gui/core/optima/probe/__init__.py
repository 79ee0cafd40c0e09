"""``linkoptima optima-probe``: what an installer runs on the Windows PC next to Optima, on a
test company, before the first order.

Nothing in the COM writer has met a real Optima before it is installed, so the probe asks the
installed one, in order:

1. log in as the settings say (``LockApp``, ``Login``, ``CreateSession``);
2. whether every COM name the writer uses exists (``names.py``: ``GetIDsOfNames`` on each kind of
   object; nothing set, nothing saved);
3. the document definitions, the warehouse, the payment forms and the registers the settings
   name, in SQL and through COM (``books.py``), and on Optima's own settlement route whether the
   online gateways' payment forms settle by themselves;
4. with ``write``: book one FA with one line in the buffer, read it back through SQL, delete it
   (``booking.py``);
5. log out.

The answer is a ``ProbeReport``: one JSON line and a Polish summary. The settings screen's "Testuj
połączenie" runs steps 1–3 and 5. The logic runs against any object that behaves like Optima's
(the tests' strict fake); pywin32 enters only through the session's dispatch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError

from ...errors import StepError
from ..com_names import PROBE_WRITE, WRITER, names_for
from ..com_session import OptimaComSession
from ..reader import SqlOptimaReader
from ..settings import SETTLE_BY_COM_KP, OptimaSettings
from .booking import book_and_delete
from .books import MasterData, fetch_through_com, read_master_data, settlement_problems
from .names import check_names, counted
from .report import BOOKING, BOOKS, LOGIN, LOGOUT, NAMES, ProbeReport, ProbeStep

__all__ = ["ProbeReport", "ProbeStep", "run_probe"]

#: the longest one COM step of the probe may take, in seconds
STEP_TIMEOUT = 120.0


def run_probe(session: OptimaComSession, reader: SqlOptimaReader, settings: OptimaSettings, *, company: str,
              online_methods: Iterable[str], write: bool = False,
              clock: Callable[[], datetime] = datetime.now) -> ProbeReport:
    """Probe the company ``session`` logs in to; the session is closed (logged out) at the end.

    ``online_methods``: the shop's online gateway ids, whose payment forms must settle by
    themselves on Optima's own route. ``write``: also book, read back and delete a test FA.
    """
    report = ProbeReport(company, settings.operator, settings.settlement, write, clock())
    try:
        if _login(report, session, settings):
            _probe(report, session, reader, settings, list(online_methods), write, clock)
    finally:
        session.close()
        login = report.step(LOGIN)
        if login is not None and login.ok:
            report.add(LOGOUT, True, "Wylogowano z Optimy")
    return report


def _login(report: ProbeReport, session: OptimaComSession, settings: OptimaSettings) -> bool:
    try:
        session.run(lambda com: com.session, timeout=STEP_TIMEOUT)
    except StepError as exc:
        report.add(LOGIN, False, f"Logowanie do Optimy nie udało się: {exc.reason}", code=exc.code, **exc.details)
        return False
    modules = ", ".join(settings.login_modules) if settings.login_modules else "z karty operatora"
    report.add(LOGIN, True, f"Zalogowano do firmy „{report.company}” jako {settings.operator} (moduły: {modules})")
    return True


def _probe(report: ProbeReport, session: OptimaComSession, reader: SqlOptimaReader, settings: OptimaSettings,
           online_methods: list[str], write: bool, clock: Callable[[], datetime]) -> None:
    purposes = [WRITER, *([SETTLE_BY_COM_KP] if settings.settles_through_com else []),
                *([PROBE_WRITE] if write else [])]
    wanted = names_for(purposes)
    asked, filters = counted(wanted)
    try:
        problems = session.run(lambda com: check_names(com, wanted), timeout=STEP_TIMEOUT)
    except StepError as exc:
        report.add(NAMES, False, f"Sprawdzanie nazw API COM przerwane: {exc.reason}", code=exc.code)
        return
    if problems:
        shown = ", ".join(problem.label for problem in problems[:8]) + (" …" if len(problems) > 8 else "")
        report.add(NAMES, False, f"Optima nie ma {len(problems)} z {asked} nazw API COM, których używa LinkOptima: "
                                 f"{shown}", problems=[vars(problem) for problem in problems], asked=asked)
    else:
        report.add(NAMES, True, f"Optima ma wszystkie {asked} nazw API COM, których używa LinkOptima "
                                f"(kolumny filtrów, {filters}, sprawdza odczyt danych)", asked=asked)
    books = _books(report, session, reader, settings, online_methods)
    if write and books is not None and all(step.ok for step in report.steps):
        result = book_and_delete(session, reader.decisions.connect, settings, books, clock())
        details = {"marker": result.marker, "number": result.number, "deleted": result.deleted, "seen": result.seen}
        if result.problems:
            report.add(BOOKING, False, "Próbna faktura: " + "; ".join(result.problems), problems=result.problems,
                       **details)
        else:
            report.add(BOOKING, True, f"Próbna faktura {result.number} zapisała się w buforze z danymi na swoich "
                                      "miejscach i została usunięta", **details)


def _books(report: ProbeReport, session: OptimaComSession, reader: SqlOptimaReader, settings: OptimaSettings,
           online_methods: list[str]) -> MasterData | None:
    """Step 3: the master data in SQL, the settlement route's forms, the same ids through COM."""
    try:
        with reader.decisions.connect() as conn:
            data = read_master_data(conn, settings)
    except SQLAlchemyError as exc:
        report.add(BOOKS, False, f"Nie można odczytać bazy Optimy: {getattr(exc, 'orig', exc)}")
        return None
    problems = [*data.problems, *settlement_problems(data, settings, online_methods)]
    try:
        problems += session.run(lambda com: fetch_through_com(com, data, settings), timeout=STEP_TIMEOUT)
    except StepError as exc:
        problems.append(f"Odczyt przez COM przerwany: {exc.reason}")
    route = ("KP i rozliczenie przez API COM (niesprawdzone)" if settings.settles_through_com
             else "forma płatności w Optimie rozlicza fakturę sama")
    if problems:
        report.add(BOOKS, False, "Dane z ustawień: " + "; ".join(problems), problems=problems, route=route,
                   **data.details())
        return data
    report.add(BOOKS, True, f"Definicje {', '.join(data.definitions)}, magazyn {settings.warehouse}, formy płatności "
                            f"({len(data.forms)}) i rejestry ({len(data.registers)}) są w Optimie i COM je odczytuje; "
                            f"rozliczenie: {route}", route=route, **data.details())
    return data
