"""The "printer" that writes each label into a folder (``file:///folder``).

Used by the demo and training mode, and in shops that print from a hot folder watched by the
printer's own software. One file per job: the file name comes from the job name, so a retry of
the same print attempt overwrites its own file instead of adding a second label, while a reprint
(which the caller gives a new job name) gets a file of its own. Files appear atomically (temp
file, fsync, rename): a watcher or a crash can never see half a label.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
import time
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from .port import PrinterError

TEMP_PREFIX = ".printing-"
TEMP_SUFFIX = ".part"
STALE_TEMP_SECONDS = 600
MAX_NAME = 100
LABEL_EXTENSIONS = (".pdf", ".zpl")

# Names Windows refuses for a file whatever the extension.
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
_UNSAFE = re.compile(r"[^\w.-]+")


def safe_file_stem(job_name: str) -> str:
    """A file name stem that is valid on Windows and POSIX and unique per job name.

    Letters (Polish too), digits, '.', '-' and '_' are kept; anything else becomes '_'. When
    that changed the name, a short hash of the original is appended, so two different job names
    ("1001/1" and "1001_1") can never land in the same file.
    """
    normal = unicodedata.normalize("NFC", job_name)
    stem = _UNSAFE.sub("_", normal).strip("._ ")[:MAX_NAME] or "etykieta"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = f"_{stem}"
    if stem != normal:
        digest = hashlib.sha1(job_name.encode("utf-8")).hexdigest()[:8]
        stem = f"{stem}-{digest}"
    return stem


def folder_from_url(url: str) -> Path:
    """``file:///srv/labels`` -> ``/srv/labels``; ``file:///C:/labels`` -> ``C:\\labels``."""
    parts = urlsplit(url)
    if parts.scheme != "file":
        raise ValueError(f"Adres drukarki-folderu musi zaczynać się od file:///, a jest {url!r}")
    if parts.netloc not in ("", "localhost"):
        if os.name != "nt":
            raise ValueError(f"Folder na innym komputerze ({parts.netloc}) nie jest obsługiwany: {url!r}")
        return Path(f"\\\\{parts.netloc}{url2pathname(parts.path)}")
    if not parts.path:
        raise ValueError(f"Brak ścieżki folderu w adresie drukarki {url!r}")
    return Path(url2pathname(parts.path))


class FilePrinter:
    """Writes labels into ``folder``: the PDF when there is one, else the ZPL."""

    def __init__(self, folder: Path, url: str | None = None) -> None:
        self.folder = Path(folder)
        self.url = url or self.folder.resolve().as_uri()
        self._lock = threading.Lock()
        self._remove_stale_temp_files()

    def _remove_stale_temp_files(self) -> None:
        """Temp files left by a crash mid-write; young ones may belong to another station."""
        if not self.folder.is_dir():
            return
        limit = time.time() - STALE_TEMP_SECONDS
        for path in self.folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
            except OSError:
                pass

    def print_label(self, job_name: str, *, pdf: bytes | None = None, zpl: bytes | None = None) -> str:
        if pdf is None and zpl is None:
            raise ValueError("print_label needs the label as pdf or zpl")
        data, ext = (pdf, ".pdf") if pdf is not None else (zpl, ".zpl")
        assert data is not None
        target = self.folder / (safe_file_stem(job_name) + ext)
        with self._lock:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                self._write_atomically(target, data)
                # the same job printed earlier in the other format: keep one file per job
                for other in LABEL_EXTENSIONS:
                    if other != ext:
                        target.with_suffix(other).unlink(missing_ok=True)
            except OSError as exc:
                raise PrinterError(
                    f"Nie można zapisać etykiety w folderze {self.folder}: {exc.strerror or exc}",
                    details={"printer": self.url, "file": str(target), "error": str(exc)},
                ) from exc
        return str(target)

    def probe(self) -> str:
        """Whether labels can be written here, without writing one (the settings screen's check):
        the folder, or the nearest folder above it that exists (it is created on the first
        print), must be writable."""
        folder = self.folder
        while not folder.exists() and folder.parent != folder:
            folder = folder.parent
        if not folder.is_dir():
            raise PrinterError(f"{folder} nie jest folderem: wskaż folder na etykiety.",
                               details={"printer": self.url})
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PrinterError(f"Brak prawa zapisu w folderze {folder}.", details={"printer": self.url})
        if folder != self.folder:
            return f"Folder {self.folder} zostanie utworzony przy pierwszym wydruku."
        return f"Etykiety będą zapisywane w folderze {self.folder}."

    def _write_atomically(self, target: Path, data: bytes) -> None:
        fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=self.folder)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fsync_dir(self.folder)

    def __repr__(self) -> str:
        return f"FilePrinter({self.url!r})"


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no directory handles to sync."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
