"""The headless engine as a Windows service, next to Optima (pywin32's service framework).

    python -m linkoptima_gui.commands.windows_service --username .\\magazyn --password … --startup auto install
    python -m linkoptima_gui.commands.windows_service start | stop | remove

The service runs ``run_installed_engine`` (what ``linkoptima engine`` runs) until Windows asks
it to stop; it then finishes the jobs in hand and gives the engine lease up, so a standby takes
over at once. It reads the settings and the keyring (Windows Credential Manager) of the account
it runs as: install it under the Windows user who set the console up on this PC (see
``docs/windows-service.md``). Importable on Windows only (pywin32: the ``windows`` extra).
"""

from __future__ import annotations

import sys
import threading

import servicemanager  # type: ignore[import-not-found]
import win32service  # type: ignore[import-not-found]
import win32serviceutil  # type: ignore[import-not-found]

from .engine import run_installed_engine


class EngineService(win32serviceutil.ServiceFramework):
    _svc_name_ = "LinkOptimaEngine"
    _svc_display_name_ = "LinkOptima — silnik"
    _svc_description_ = ("Silnik LinkOptima: zamówienia WooCommerce do Comarch ERP Optima (faktury, WZ, "
                         "rozliczenia, e-maile, etykiety, stany). Jeden aktywny na wspólnej bazie konsoli.")

    def __init__(self, args: list[str]) -> None:
        super().__init__(args)
        self._stop = threading.Event()

    def SvcStop(self) -> None:  # noqa: N802 - pywin32's name
        self.ReportServiceStatus(win32service.SERVICE_STOP_PENDING)
        self._stop.set()

    def SvcDoRun(self) -> None:  # noqa: N802 - pywin32's name
        servicemanager.LogInfoMsg("LinkOptima: silnik startuje")
        status = run_installed_engine(self._stop)
        if status:
            servicemanager.LogErrorMsg(f"LinkOptima: silnik nie mógł działać (kod {status}); "
                                       "szczegóły w dzienniku aplikacji")


def main(argv: list[str] | None = None) -> None:
    if len(argv or sys.argv) == 1:  # started by the service manager itself
        servicemanager.Initialize()
        servicemanager.PrepareToHostSingle(EngineService)
        servicemanager.StartServiceCtrlDispatcher()
    else:
        win32serviceutil.HandleCommandLine(EngineService, argv=argv)


if __name__ == "__main__":
    main()
