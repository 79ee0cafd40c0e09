"""The engine: its own thread with its own asyncio loop, polling the shop and running jobs.

Blocking calls (HTTP, SQL, SMTP, reportlab, sockets) run in worker threads via
``asyncio.to_thread``; the loop only schedules. The same class runs inside the console and
headless (``linkoptima engine``, ``demo-run``).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from datetime import UTC, datetime, timedelta

from ..errors import StepError
from ..store.documents import prune_documents
from ..store.fencing import FencedOut
from ..store.models import utcnow
from .events import EngineEvent, EventKind
from .intake import Intake
from .runner import JobRunner
from .services import EngineServices
from .stock_sync import StockSync, StockSyncSettings

log = logging.getLogger(__name__)

#: seconds between looks for jobs whose claims lapsed
RELEASE_EVERY = 5.0
#: seconds between drops of the documents of orders packed long ago
PRUNE_EVERY = 3600.0
#: seconds between looks whether the daily report is due
REPORT_EVERY = 60.0


class Engine:
    def __init__(self, services: EngineServices, *, poll_interval: float = 5.0, workers: int = 4,
                 stock: StockSyncSettings | None = None) -> None:
        self.svc = services
        self.poll_interval = poll_interval
        self.workers = workers
        self.intake = Intake(services)
        self.runner = JobRunner(services)
        #: ``None`` when the stock sync is off (``stock=None``)
        self.stock = StockSync(services, self.intake.poll, stock) if stock is not None else None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._stock_stop: asyncio.Event | None = None
        self._stopping = False
        self._paused = False
        self._state = "stopped"
        self.last_poll_error = ""

    # -- control (any thread) ---------------------------------------------------------------

    def start(self) -> None:
        """Run the loop on its own thread (again after ``stop``: an engine that lost its lease and
        won it back starts anew). Jobs another engine left "started" are not touched here: they
        go back to pending when their claims lapse (``JobRunner.release_expired``)."""
        if self._thread is not None:
            if self._thread.is_alive() and not self._stopping:
                return
            self._thread.join()  # a loop told to stop is finishing its jobs in hand
            self._thread = None
        self._stopping = False
        started = threading.Event()
        self._thread = threading.Thread(target=self._thread_main, args=(started,), name="engine", daemon=True)
        self._thread.start()
        started.wait(5)

    def stop(self, timeout: float = 15.0) -> None:
        """Finish the jobs in hand and stop."""
        self._stopping = True
        self.wake()
        loop, stock_stop = self._loop, self._stock_stop
        if loop is not None and stock_stop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(stock_stop.set)
        if self._thread is not None:
            self._thread.join(timeout)
            if not self._thread.is_alive():
                self._thread = None

    def wake(self) -> None:
        """Poll and look for due jobs now (e.g. after a webhook hint or a pack)."""
        loop, event = self._loop, self._wake
        if loop is not None and event is not None and not loop.is_closed():
            loop.call_soon_threadsafe(event.set)

    def pause(self) -> None:
        self._paused = True
        self._set_state("paused")

    def resume(self) -> None:
        self._paused = False
        self._set_state("running")
        self.wake()

    def state(self) -> str:
        return self._state

    # -- loop -------------------------------------------------------------------------------

    def _set_state(self, state: str, error: str = "") -> None:
        self._state = state
        self.svc.bus.publish(EngineEvent(EventKind.ENGINE_STATE, data={"state": state, "error": error}))

    def _thread_main(self, started: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._main(started))
        finally:
            loop.close()
            self._set_state("stopped")

    async def _main(self, started: threading.Event) -> None:
        self._wake = asyncio.Event()
        self._set_state("paused" if self._paused else "running")
        started.set()
        self._stock_stop = asyncio.Event()
        stock_loop = asyncio.create_task(self._stock_loop()) if self.stock is not None else None
        try:
            await self._job_loop()
        finally:
            if stock_loop is not None:
                self._stock_stop.set()
                await stock_loop

    async def _stock_loop(self) -> None:
        """Stock passes on their own interval, beside the jobs: a long batch of orders never
        holds the shop's quantities back. A pass in hand finishes before the engine stops."""
        assert self.stock is not None and self._stock_stop is not None
        interval = self.stock.settings.interval_seconds
        while not self._stopping:
            if not self._paused:
                try:
                    await asyncio.to_thread(self.stock.run_pass)
                except FencedOut as exc:  # another engine is active now; it runs the passes
                    log.warning("stock pass stopped: %s", exc)
                except Exception:  # a pass must never take the engine down; the log says why
                    log.exception("stock pass failed")
            try:
                await asyncio.wait_for(self._stock_stop.wait(), timeout=interval)
            except TimeoutError:
                pass

    async def _job_loop(self) -> None:
        last_poll, last_release, poll_now = 0.0, 0.0, True
        last_prune = time.monotonic() - PRUNE_EVERY + 60  # the first a minute after the start
        last_report = time.monotonic() - REPORT_EVERY + 30  # the first half a minute after the start
        while not self._stopping:
            self._wake.clear()
            delay = self.poll_interval
            if not self._paused:
                if time.monotonic() - last_release >= RELEASE_EVERY:
                    await self._release_expired()
                    last_release = time.monotonic()
                if time.monotonic() - last_prune >= PRUNE_EVERY:
                    await asyncio.to_thread(self._prune_documents)
                    last_prune = time.monotonic()
                if self.svc.daily_report is not None and time.monotonic() - last_report >= REPORT_EVERY:
                    await asyncio.to_thread(self.send_daily_report)
                    last_report = time.monotonic()
                if poll_now or time.monotonic() - last_poll >= self.poll_interval:
                    await self.poll_once()
                    last_poll = time.monotonic()
                await self.run_due_jobs()
                _, next_due = await asyncio.to_thread(self.runner.open_work)
                if next_due is not None:
                    delay = min(delay, max(0.05, next_due))
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=delay)
                poll_now = True
            except TimeoutError:
                poll_now = False

    async def _release_expired(self) -> None:
        """Jobs whose claims lapsed (a crashed engine's, a station's that went away) run again."""
        try:
            await asyncio.to_thread(self.runner.release_expired)
        except FencedOut:
            pass  # not the active engine any more: the supervisor stops this loop
        except Exception:
            log.exception("releasing lapsed claims failed")

    def _prune_documents(self) -> None:
        """Documents of orders packed long ago leave the store (``store.documents``)."""
        try:
            with self.svc.sessions.begin() as session:
                gone = prune_documents(session, utcnow() - timedelta(days=self.svc.documents_keep_days))
            if gone:
                log.info("%d stored documents of orders packed long ago dropped", gone)
        except FencedOut:
            pass
        except Exception:
            log.exception("dropping old documents failed")

    def send_daily_report(self) -> str:
        """The day's report, if due and not sent by any engine yet (``dashboard.daily_report``)."""
        if self.svc.daily_report is None:
            return ""
        try:
            return self.svc.daily_report.run_if_due()
        except FencedOut:
            return ""  # another engine is active now: it sends the report
        except Exception:
            log.exception("the daily report failed")
            return ""

    async def poll_once(self) -> int:
        try:
            await asyncio.to_thread(self.intake.remap_stored)  # orders a person corrected
            changed = await asyncio.to_thread(self.intake.poll)
        except FencedOut as exc:
            log.warning("poll not stored: %s", exc)
            return 0
        except StepError as exc:
            self.last_poll_error = exc.reason
            self._set_state("running", error=exc.reason)
            return 0
        except Exception as exc:  # a bug must not stop the jobs: say so and poll again next time
            log.exception("polling the shop failed")
            self.last_poll_error = f"Błąd wewnętrzny odczytu zamówień: {exc!r}"
            self._set_state("running", error=self.last_poll_error)
            return 0
        self.last_poll_error = ""
        self.svc.bus.publish(EngineEvent(EventKind.POLL_DONE, data={
            "orders": len(changed), "at": datetime.now(UTC).isoformat(timespec="seconds")}))
        return len(changed)

    async def run_due_jobs(self) -> int:
        """Run every job that is due now (bounded parallelism); returns how many ran."""
        total = 0
        semaphore = asyncio.Semaphore(self.workers)

        async def run(job_id: int) -> None:
            async with semaphore:
                await asyncio.to_thread(self.runner.run_claimed, job_id)

        while not self._stopping and not self._paused:
            try:
                claimed = await asyncio.to_thread(self.runner.claim_due, self.workers * 8)
            except FencedOut as exc:
                log.warning("no jobs claimed: %s", exc)
                break
            if not claimed:
                break
            await asyncio.gather(*(run(job_id) for job_id in claimed))
            total += len(claimed)
        return total

    async def run_until_idle(self, max_seconds: float = 600.0) -> bool:
        """Headless: poll, then run jobs (waiting out retries) until nothing the engine can do
        alone is left. Returns False when ``max_seconds`` ran out first."""
        deadline = time.monotonic() + max_seconds
        await self._release_expired()
        await self.poll_once()
        while time.monotonic() < deadline and not self._stopping:
            await self.run_due_jobs()
            count, next_due = await asyncio.to_thread(self.runner.open_work)
            if count == 0:
                return True
            await asyncio.sleep(min(max(next_due or 0.05, 0.05), max(0.0, deadline - time.monotonic())))
        return False
