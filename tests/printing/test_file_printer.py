"""The folder printer: exactly one file per job name, written atomically."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from linkoptima_gui.core.printing import file_printer
from linkoptima_gui.core.printing.file_printer import TEMP_PREFIX, TEMP_SUFFIX, FilePrinter, safe_file_stem
from linkoptima_gui.core.printing.port import Printer, PrinterError

PDF = b"%PDF-1.4 label one"
ZPL = b"^XA^FDone^FS^XZ"


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_writes_the_pdf_when_given_and_returns_its_path(tmp_path: Path) -> None:
    printer: Printer = FilePrinter(tmp_path / "labels")  # folder created on first print
    where = printer.print_label("1001-label-1", pdf=PDF, zpl=ZPL)
    assert where == str(tmp_path / "labels" / "1001-label-1.pdf")
    assert Path(where).read_bytes() == PDF
    assert _listing(tmp_path / "labels") == ["1001-label-1.pdf"]


def test_writes_zpl_when_there_is_no_pdf(tmp_path: Path) -> None:
    where = FilePrinter(tmp_path).print_label("1001-label-1", zpl=ZPL)
    assert where.endswith("1001-label-1.zpl")
    assert Path(where).read_bytes() == ZPL


def test_same_job_name_overwrites_the_same_file(tmp_path: Path) -> None:
    printer = FilePrinter(tmp_path)
    printer.print_label("1001-label-1", pdf=PDF)
    printer.print_label("1001-label-1", pdf=b"%PDF-1.4 second attempt")
    assert _listing(tmp_path) == ["1001-label-1.pdf"]
    assert (tmp_path / "1001-label-1.pdf").read_bytes() == b"%PDF-1.4 second attempt"
    # the same job once as ZPL, then as PDF, still leaves one file for the job
    printer.print_label("1002-label-1", zpl=ZPL)
    printer.print_label("1002-label-1", pdf=PDF)
    assert _listing(tmp_path) == ["1001-label-1.pdf", "1002-label-1.pdf"]


def test_each_job_name_gets_its_own_file(tmp_path: Path) -> None:
    printer = FilePrinter(tmp_path)
    for job in ("1001-label-1", "1001-reprint-2", "1002-label-1"):
        printer.print_label(job, pdf=PDF)
    assert _listing(tmp_path) == ["1001-label-1.pdf", "1001-reprint-2.pdf", "1002-label-1.pdf"]


def test_unsafe_job_names_stay_inside_the_folder_and_do_not_collide(tmp_path: Path) -> None:
    printer = FilePrinter(tmp_path / "out")
    names = ("../../etc/passwd", "zam/1001 ąę", "zam_1001_ąę", "CON", "", ".hidden")
    paths = [Path(printer.print_label(n, zpl=ZPL)) for n in names]
    assert all(p.parent == tmp_path / "out" for p in paths)
    assert len(set(paths)) == len(names)
    assert len(_listing(tmp_path / "out")) == len(names)
    assert safe_file_stem("zam_1001_ąę") == "zam_1001_ąę"  # already safe: kept as it is


def test_a_crash_mid_write_leaves_no_half_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    printer = FilePrinter(tmp_path)
    printer.print_label("1001-label-1", pdf=PDF)

    def crash(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(file_printer.os, "replace", crash)
    with pytest.raises(PrinterError) as info:
        printer.print_label("1001-label-1", pdf=b"%PDF-1.4 never complete")
    assert "Nie można zapisać etykiety" in info.value.reason
    assert info.value.retryable
    assert _listing(tmp_path) == ["1001-label-1.pdf"]  # no temp file left behind
    assert (tmp_path / "1001-label-1.pdf").read_bytes() == PDF  # the earlier label is intact


def test_temp_files_left_by_a_killed_process_are_swept(tmp_path: Path) -> None:
    old = tmp_path / f"{TEMP_PREFIX}abc{TEMP_SUFFIX}"
    young = tmp_path / f"{TEMP_PREFIX}def{TEMP_SUFFIX}"
    old.write_bytes(b"^XA half")
    young.write_bytes(b"^XA being written by another station")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    FilePrinter(tmp_path)
    assert _listing(tmp_path) == [young.name]


def test_a_folder_that_cannot_be_written_is_a_printer_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(PrinterError):
        FilePrinter(blocker).print_label("1001-label-1", pdf=PDF)


def test_a_label_is_needed(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        FilePrinter(tmp_path).print_label("1001-label-1")
