"""``OptimaComSession``: the one thread that talks to Optima's COM objects.

Optima's business objects live in a single-threaded apartment (reference/optima.md §2.1): every
call has to come from the thread that made them. This session owns that thread. It enters the
apartment (``pythoncom.CoInitialize``), logs in once (``CDNBase.Application`` → ``LockApp`` →
``Login``) when a job first needs Optima, and runs the submitted jobs one after another. Each job
gets its own ``Login.CreateSession()``: one unit of work, saved or dropped as a whole, the way
Comarch's samples open one session per operation. On close it unlocks the application
(``UnlockApp``, the samples' logout) and leaves the apartment.

Why one thread and a queue: jobs run strictly in order, so a writer that looks a document up and
then writes it inside one job cannot interleave with another booking from the same process (the
thread is the writer lock), and a job that outlived its caller's timeout still finishes before a
retry looks again.

A COM failure that means "busy, gone or unreachable" drops the login, and the next job logs in
afresh. pywin32 is imported inside the thread only, so this module imports on Linux; the tests
inject the dispatch function and the apartment (``tests/optima/com_fake.py``).
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import AbstractContextManager, contextmanager
from typing import Any, TypeVar

from ..errors import PermanentError, RetryableError, StepError
from .settings import OptimaSettings

log = logging.getLogger(__name__)

T = TypeVar("T")

APPLICATION = "CDNBase.Application"
#: ``LockApp``'s first argument in Comarch's sample; its meaning is not documented.
LOCK_MODE = 256
#: The 18 module flags of ``Login`` (KP, KH, KHP, ST, FA, MAG, PK, PKXL, CRM, ANL, DET, BIU, SRW,
#: ODB, KB, KBP, HAP, CRMP); ``None`` takes the modules from the operator's card.
MODULES_FROM_OPERATOR_CARD: tuple[int | None, ...] = (None,) * 18


def _hr(value: int) -> int:
    """An HRESULT as pywin32 reports it (signed 32-bit)."""
    return value - (1 << 32) if value >= 1 << 31 else value


#: Busy, disconnected or unreachable: retried after a new login.
_UNAVAILABLE = {_hr(h) for h in (0x80010001, 0x8001010A, 0x80010108, 0x800706BA, 0x800706BE, 0x80080005)}
#: Class not registered / unknown ProgID: Optima is not installed for this Python's bitness.
_NOT_REGISTERED = {_hr(0x80040154), _hr(0x800401F3)}

_MISSING = "nie istnieje|nie znaleziono|nie odnaleziono|brak"
#: Optima's message -> our error: (code, reason, word groups...). Every group must occur in the
#: text (any of its "|" words); the first match wins. Optima's exact texts are not published:
#: these are guesses to check on a test company (docs/optima-setup.md); the rest is
#: "optima_rejected".
_RULES = (
    (
        "optima_unavailable",
        "Optima jest zajęta lub niedostępna ({text}); spróbuję ponownie",
        "zablokowan|blokad|zajęt|zakleszcz|deadlock|timeout|przekroczono czas|licencj|połącz",
    ),
    (
        "optima_conflict",
        "Optima odrzuciła zapis (numer lub kod jest już zajęty: {text}); spróbuję ponownie",
        "duplikat|zduplikowan|unikatow",
    ),
    ("report_closed", "Raport kasowy/bankowy jest zamknięty: {text}", "raport", "zamknięt|zamkniet"),
    (
        "insufficient_stock",
        "Za mało towaru w magazynie: {text}",
        "magazyn|ilość|ilości|zasob",
        "niewystarczając|za mało|ujemn|przekracza|brak",
    ),
    ("unknown_sku", "Optima nie zna towaru: {text}", "towar|artykuł", _MISSING),
    ("contractor_not_found", "Optima nie zna kontrahenta: {text}", "kontrahent", _MISSING),
    ("optima_config", "Operator LinkOptima nie ma w Optimie uprawnień: {text}", "uprawnie"),
    (
        "optima_config",
        "Optima odmówiła logowania: {text}",
        "hasło|operator|firm",
        "nieprawidłow|niepoprawn|nie istnieje|błędn|brak",
    ),
)
_RETRYABLE_CODES = {"optima_unavailable", "optima_conflict"}


def com_error_parts(exc: BaseException) -> tuple[int, str, str] | None:
    """(hresult, Optima's text, source) of an exception shaped like ``pywintypes.com_error``.

    pywin32 gives ``args = (hresult, strerror, excepinfo, argerror)``, with ``excepinfo =
    (wcode, source, description, helpfile, helpcontext, scode)`` or ``None``; newer versions also
    expose them as attributes. Anything else is not a COM error (``None``).
    """
    args = exc.args
    hresult = getattr(exc, "hresult", args[0] if len(args) == 4 else None)
    if not isinstance(hresult, int):
        return None
    strerror = getattr(exc, "strerror", args[1] if len(args) > 1 else "") or ""
    info = getattr(exc, "excepinfo", args[2] if len(args) > 2 else None)
    source = description = ""
    if isinstance(info, tuple) and len(info) >= 3:
        source, description = info[1] or "", info[2] or ""
        if isinstance(info[-1], int) and info[-1]:
            hresult = info[-1]  # the scode of the server's own exception says more than DISP_E_EXCEPTION
    return _hr(hresult & 0xFFFFFFFF), str(description or strerror).strip(), str(source)


def com_failure(exc: BaseException) -> StepError | None:
    """The project's error for a COM failure, or ``None`` when ``exc`` is not one."""
    parts = com_error_parts(exc)
    if parts is None:
        return None
    hresult, text, source = parts
    details = {"hresult": f"0x{hresult & 0xFFFFFFFF:08X}", "optima": text, "source": source}
    if hresult in _UNAVAILABLE:
        return RetryableError(
            f"Optima nie odpowiada ({text or details['hresult']}); spróbuję ponownie",
            code="optima_unavailable",
            details=details,
        )
    if hresult in _NOT_REGISTERED:
        return PermanentError(
            "Obiekty COM Optimy nie są zarejestrowane dla tego Pythona: sprawdź, czy Optima jest "
            "zainstalowana na tym komputerze i czy Python ma tę samą bitowość (32/64) co Optima",
            code="optima_config",
            details=details,
        )
    lowered = text.lower()
    for code, reason, *groups in _RULES:
        if all(any(word in lowered for word in group.split("|")) for group in groups):
            error = RetryableError if code in _RETRYABLE_CODES else PermanentError
            return error(reason.format(text=text), code=code, details=details)
    return PermanentError(
        f"Optima odrzuciła zapis: {text or details['hresult']}", code="optima_rejected", details=details
    )


@contextmanager
def com_apartment() -> Iterator[None]:
    """The thread's single-threaded COM apartment (pywin32, imported here: Windows only)."""
    try:
        import pythoncom  # pywin32, Windows only: imported on the COM thread, never at module load
    except ImportError as exc:
        raise PermanentError(
            "Brak pakietu pywin32: zapis do Optimy przez COM działa tylko na Windows z Optimą "
            "(pip install linkoptima[windows])",
            code="optima_config",
        ) from exc
    pythoncom.CoInitialize()  # STA: what Optima's objects require
    try:
        yield
    finally:
        pythoncom.CoUninitialize()


def com_dispatch(progid: str) -> Any:
    import win32com.client  # see com_apartment

    return win32com.client.Dispatch(progid)


class ComContext:
    """A job's view of Optima, valid only inside the job, on the COM thread.

    ``session`` logs in (first time) and opens the job's own ``AdoSession`` on first use, so a
    job that finds everything already booked never touches Optima (nor a licence seat).
    """

    def __init__(self, owner: OptimaComSession) -> None:
        self._owner = owner
        self._session: Any = None

    @property
    def session(self) -> Any:
        if self._session is None:
            self._session = self._owner._ensure_login().CreateSession()
        return self._session

    def create(self, progid: str) -> Any:
        """``Session.CreateObject(progid, null)``: a business-object collection or service."""
        return self.session.CreateObject(progid, None)

    def dispatch(self, progid: str) -> Any:
        """A plain COM object outside Optima's session (e.g. ``ADODB.Recordset``)."""
        return self._owner._dispatch(progid)


class OptimaComSession:
    """Runs jobs ``job(ComContext) -> T`` on one COM thread logged in to one Optima company.

    ``operator``/``password``/``company`` are what the Optima login window asks for.
    ``install_dir``: Optima's folder, made the process's working directory before the first
    login (Optima's objects need it; it is process-wide, so run the COM writer in a process of its
    own). ``config_connection``: ``NET:CDN_KNF_Konfiguracja,SERVER,NT=0`` when the Windows user has
    no Optima registry settings. ``dispatch``/``apartment``: injected by tests.
    """

    def __init__(
        self,
        operator: str,
        password: str,
        company: str,
        *,
        install_dir: str | None = None,
        config_connection: str = "",
        modules: Sequence[int | None] = MODULES_FROM_OPERATOR_CARD,
        lock_timeout_ms: int = 5000,
        dispatch: Callable[[str], Any] = com_dispatch,
        apartment: Callable[[], AbstractContextManager[Any]] = com_apartment,
        name: str = "optima-com",
    ) -> None:
        if len(modules) != 18:
            raise ValueError("Login takes exactly 18 module flags")
        self._credentials = (operator, password, company)
        self._install_dir = install_dir
        self._config_connection = config_connection
        self._modules = tuple(modules)
        self._lock_timeout_ms = lock_timeout_ms
        self._dispatch = dispatch
        self._apartment = apartment
        self._app: Any = None
        self._login: Any = None
        self._queue: queue.SimpleQueue[tuple[Callable[[ComContext], Any], Future[Any]] | None] = (
            queue.SimpleQueue()
        )
        self._guard = threading.Lock()
        self._closed = False
        self._broken: StepError | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    @classmethod
    def from_settings(
        cls, settings: OptimaSettings, *, password: str, company: str, **kwargs: Any
    ) -> OptimaComSession:
        return cls(settings.operator, password, company, **kwargs)

    @property
    def thread_id(self) -> int | None:
        """Identity of the COM thread (every Optima call happens there)."""
        return self._thread.ident

    def submit(self, job: Callable[[ComContext], T]) -> Future[T]:
        future: Future[T] = Future()
        with self._guard:
            if self._broken is not None:
                future.set_exception(self._broken)
            elif self._closed:
                raise RetryableError("Połączenie z Optimą jest zamknięte", code="optima_unavailable")
            else:
                self._queue.put((job, future))
        return future

    def run(self, job: Callable[[ComContext], T], timeout: float | None = None) -> T:
        """Run ``job`` on the COM thread and wait for it; ``timeout`` None waits as long as it takes.

        A timeout is retryable: the job still runs, and the retry queued after it sees its result.
        """
        if threading.get_ident() == self._thread.ident:
            raise RuntimeError("a COM job must not wait for another COM job")
        try:
            return self.submit(job).result(timeout)
        except FutureTimeout as exc:
            raise RetryableError(
                f"Optima nie odpowiedziała w ciągu {timeout:.0f} s",
                code="optima_unavailable",
                details={"timeout_s": timeout},
            ) from exc

    def close(self, timeout: float = 30.0) -> None:
        """Finish the queued jobs, unlock the application, leave the apartment."""
        with self._guard:
            if not self._closed:
                self._closed = True
                self._queue.put(None)
        if threading.get_ident() != self._thread.ident:
            self._thread.join(timeout)

    def __enter__(self) -> OptimaComSession:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- on the COM thread -----------------------------------------------------------------------

    def _run(self) -> None:
        try:
            with self._apartment():
                self._serve()
        except StepError as exc:  # no pywin32: every job gets the reason
            log.error("the Optima COM thread cannot start: %s", exc.reason)
            broken: StepError = exc
        except Exception as exc:  # the apartment could not be entered or left
            log.exception("the Optima COM thread stopped")
            broken = RetryableError(f"Wątek COM Optimy zatrzymał się: {exc!r}", code="optima_unavailable")
        else:
            return
        with self._guard:
            self._broken = broken
        self._fail_queued(broken)

    def _serve(self) -> None:
        while (item := self._queue.get()) is not None:
            job, future = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = job(ComContext(self))
            except Exception as exc:  # handed to the caller, translated
                future.set_exception(self._translate(exc))
            else:
                future.set_result(result)
        self._logout()

    def _fail_queued(self, error: StepError) -> None:
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if item is not None and item[1].set_running_or_notify_cancel():
                item[1].set_exception(error)

    def _translate(self, exc: Exception) -> Exception:
        if isinstance(exc, StepError):
            return exc
        failure = com_failure(exc)
        if failure is None:
            return exc
        failure.__cause__ = exc
        if failure.retryable:
            log.warning("Optima COM failure, logging in again on the next job: %s", failure.reason)
            self._logout()
        return failure

    def _ensure_login(self) -> Any:
        if self._login is not None:
            return self._login
        if self._install_dir:
            os.chdir(self._install_dir)
        app = self._dispatch(APPLICATION)
        self._app = app
        try:
            if self._config_connection:
                app.KonfigConnectStr = self._config_connection
            app.LockApp(LOCK_MODE, self._lock_timeout_ms, None, None, None, None)
            operator, password, company = self._credentials
            self._login = app.Login(operator, password, company, *self._modules)
        except Exception:
            self._logout()
            raise
        log.info("logged in to Optima as %s, company %s", operator, company)
        return self._login

    def _logout(self) -> None:
        app, self._app, self._login = self._app, None, None
        if app is None:
            return
        try:
            app.UnlockApp()
        except Exception as exc:  # the server may be gone already: nothing left to release
            log.warning("Optima UnlockApp failed: %r", exc)
