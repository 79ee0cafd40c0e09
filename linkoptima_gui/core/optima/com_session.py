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
from .com_errors import com_failure
from .com_names import APPLICATION
from .settings import OptimaSettings

log = logging.getLogger(__name__)

T = TypeVar("T")

#: ``LockApp``'s first argument in Comarch's sample; its meaning is not documented.
LOCK_MODE = 256
#: The 18 module flags ``Login`` may take after the company, in order (the comment of Comarch's
#: sample). Public clients pass them explicitly (8 repositories) or not at all, which takes the
#: modules from the operator's card (4 repositories); no public code passes 18 ``None``.
MODULE_CODES = ("KP", "KH", "KHP", "ST", "FA", "MAG", "PK", "PKXL", "CRM", "ANL", "DET", "BIU", "SRW", "ODB",
                "KB", "KBP", "HAP", "CRMP")


def module_flags(codes: Sequence[str]) -> tuple[int, ...]:
    """``Login``'s 18 flags: 1 for the modules named (``FA``, ``MAG``, ``KB``...), 0 for the rest."""
    wanted = {code.strip().upper() for code in codes}
    unknown = wanted - set(MODULE_CODES)
    if unknown:
        raise ValueError(f"Nieznane moduły Optimy: {', '.join(sorted(unknown))} (znane: {', '.join(MODULE_CODES)})")
    return tuple(1 if code in wanted else 0 for code in MODULE_CODES)


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

    @property
    def application(self) -> Any:
        """The logged-in ``CDNBase.Application`` (the probe asks it for its names)."""
        self._owner._ensure_login()
        return self._owner._app

    @property
    def login(self) -> Any:
        """What ``Login`` returned."""
        return self._owner._ensure_login()

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
    no Optima registry settings. ``modules``: module codes to log in with (``FA``, ``MAG``,
    ``KB``...); none takes them from the operator's card. ``dispatch``/``apartment``: injected by
    tests.
    """

    def __init__(
        self,
        operator: str,
        password: str,
        company: str,
        *,
        install_dir: str | None = None,
        config_connection: str = "",
        modules: Sequence[str] = (),
        lock_timeout_ms: int = 5000,
        dispatch: Callable[[str], Any] = com_dispatch,
        apartment: Callable[[], AbstractContextManager[Any]] = com_apartment,
        name: str = "optima-com",
    ) -> None:
        flags = module_flags(modules) if modules else ()
        self._credentials = (operator, password, company)
        self._install_dir = install_dir
        self._config_connection = config_connection
        self._modules = flags
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
        """The session the Optima settings describe (operator, Optima's folder, configuration
        database, modules); ``kwargs`` win."""
        options: dict[str, Any] = {"install_dir": settings.install_dir or None,
                                   "config_connection": settings.config_connection,
                                   "modules": settings.login_modules}
        return cls(settings.operator, password, company, **{**options, **kwargs})

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
