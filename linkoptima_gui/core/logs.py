"""Log files a support person can ask for: rotating, in the user's log folder, without secrets.

Why files and not only stderr: the console is started from a Start-menu icon at a shop, where
nobody sees stderr. Each kind of process writes its own file (``console.log`` for the window and
its engine, ``engine.log`` for the headless engine, ``commands.log`` for the other commands), so
two processes never rotate one file under each other (on Windows a file open in another process
cannot be renamed). Files rotate at 1 MB, five kept: a month of a busy shop's warnings fits.

Secrets never reach a file: every value the keyring hands out is registered here
(``remember_secret``), and a filter on the handlers masks those values and the usual shapes of
a secret (``password=…``, a WooCommerce ``cs_…`` key, a password inside a URL) in every record,
message and traceback alike.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path

from platformdirs import user_log_path

#: overrides the folder (tests, a portable install)
ENV_LOG_DIR = "LINKOPTIMA_LOG_DIR"
MAX_BYTES, BACKUPS = 1_000_000, 5
FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"
MASK = "***"

_secrets: set[str] = set()
_lock = threading.Lock()
#: ``key=value`` / ``"key": "value"`` pairs whose key names a secret, a WooCommerce secret key,
#: and the password part of ``scheme://user:password@host``
_PATTERNS = (
    re.compile(r"(?i)((?:password|passwd|secret|token|pin|pwd)[\"']?\s*[:=]\s*[\"']?)([^\s\"',;&}]+)"),
    re.compile(r"\bcs_[0-9A-Za-z]{8,}"),
    re.compile(r"(://[^:/@\s]+:)([^@\s]+)(@)"),
)


def log_dir() -> Path:
    """The folder the log files are in (``$LINKOPTIMA_LOG_DIR`` or the user log folder)."""
    override = os.environ.get(ENV_LOG_DIR)
    return Path(override) if override else user_log_path("LinkOptima", "LinkOptima")


def log_file(kind: str) -> Path:
    return log_dir() / f"{kind}.log"


def remember_secret(value: str) -> None:
    """Mask ``value`` in every log line from now on (short values would mask ordinary words)."""
    if value and len(value) >= 4:
        with _lock:
            _secrets.add(value)


def redact(text: str) -> str:
    """``text`` with the remembered secrets and secret-looking values masked."""
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)
    for value in known:
        text = text.replace(value, MASK)
    text = _PATTERNS[0].sub(lambda m: m.group(1) + MASK, text)
    text = _PATTERNS[1].sub("cs_" + MASK, text)
    return _PATTERNS[2].sub(lambda m: m.group(1) + MASK + m.group(3), text)


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then masks secrets in the whole text (the traceback included)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class ShortFormatter(RedactingFormatter):
    """For stderr: the message without a traceback (a person reads one line; the file has it)."""

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info or record.exc_text:
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
        return super().format(record)


def _not_file_only(record: logging.LogRecord) -> bool:
    """Records logged with ``extra=FILE_ONLY`` stay out of stderr (the user got a Polish line)."""
    return not getattr(record, "file_only", False)


#: ``log.exception(..., extra=FILE_ONLY)``: into the file, not onto the user's terminal
FILE_ONLY = {"file_only": True}


def setup_logging(kind: str, *, verbose: bool = False) -> Path | None:
    """Send this process's log to ``<log folder>/<kind>.log`` (INFO and up), and with
    ``verbose`` to stderr too (without tracebacks); returns the file, or None when the folder cannot be made
    (the program runs on without a file rather than not at all)."""
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    for handler in list(root.handlers):
        if getattr(handler, "linkoptima", False):
            root.removeHandler(handler)
            handler.close()
    if verbose:  # otherwise a person reads only the commands' own Polish lines; the file has the rest
        console = logging.StreamHandler()
        console.setLevel(logging.INFO)
        console.setFormatter(ShortFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        console.addFilter(_not_file_only)
        console.linkoptima = True  # type: ignore[attr-defined]
        root.addHandler(console)
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command
    path = log_file(kind)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8",
                                      delay=True)
    except OSError as exc:
        logging.getLogger(__name__).warning("no log file in %s: %s", path.parent, exc)
        return None
    handler.setLevel(logging.INFO)
    handler.setFormatter(RedactingFormatter(FORMAT))
    handler.linkoptima = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    return path


def log_files() -> list[Path]:
    """Every log file in the folder, rotated ones included (for the support bundle)."""
    folder = log_dir()
    return sorted(p for p in folder.glob("*.log*") if p.is_file()) if folder.is_dir() else []
