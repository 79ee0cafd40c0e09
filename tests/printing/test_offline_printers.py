"""Every network printer (zpl://, escpos://) turns "offline" into a clear Polish PrinterError
within seconds: the packer is standing at the station waiting for the label."""

from __future__ import annotations

import time

import pytest

from linkoptima_gui.core.printing.factory import open_printer
from linkoptima_gui.core.printing.port import PrinterError

ZPL = b"^XA^CI28^FO50,50^BCN,100,N,N,N,A^FD600012345678^FS^XZ"
NETWORK_SCHEMES = ("zpl", "escpos")
LIMIT_S = 3.5


def _print_and_time(url: str) -> tuple[PrinterError, float]:
    printer = open_printer(url)
    started = time.monotonic()
    with pytest.raises(PrinterError) as info:
        printer.print_label("1001-label-1", zpl=ZPL)
    return info.value, time.monotonic() - started


@pytest.mark.parametrize("scheme", NETWORK_SCHEMES)
def test_a_printer_switched_off_is_reported_at_once(scheme: str, closed_port: int) -> None:
    error, elapsed = _print_and_time(f"{scheme}://127.0.0.1:{closed_port}")
    assert elapsed < LIMIT_S
    assert f"Drukarka 127.0.0.1:{closed_port} nie odpowiada (połączenie odrzucone)" in error.reason
    assert error.retryable
    assert error.details["printer"] == f"{scheme}://127.0.0.1:{closed_port}"


@pytest.mark.parametrize("scheme", NETWORK_SCHEMES)
def test_a_printer_that_never_answers_times_out(scheme: str, unanswered_port: int) -> None:
    error, elapsed = _print_and_time(f"{scheme}://127.0.0.1:{unanswered_port}")
    assert elapsed < LIMIT_S
    assert "nie odpowiada (brak połączenia w ciągu 2 s)" in error.reason
    assert error.retryable

