"""Which language the console speaks: Polish unless someone asked for English.

Polish is the source language (every string in the code is Polish), so it needs no file and is
what anything unknown falls back to. The operating system's locale is deliberately not consulted:
a warehouse PC set up in English must still show a packer the Polish screens they were trained
on; English is chosen on purpose, per start (``--lang``), per session or shortcut
(``LINKOPTIMA_LANG``) or per station (the settings).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "pl"
#: the languages the console has translations for (the source language first)
LANGUAGES = ("pl", "en")
ENV_VAR = "LINKOPTIMA_LANG"


def normalise(value: str | None) -> str:
    """``"en_GB.UTF-8"``, ``"EN"`` -> ``"en"``; ``""`` for nothing or a language we do not have."""
    code = (value or "").strip().split(".")[0].replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else ""


def choose_language(cli: str | None = None, settings: str | None = None,
                    environ: Mapping[str, str] | None = None) -> str:
    """The language to start in: the command line, else the environment, else the settings,
    else Polish. The most deliberate, shortest-lived choice wins; an unknown value is logged and
    skipped rather than refused, so a typo never keeps the console from starting."""
    environ = os.environ if environ is None else environ
    for origin, value in (("--lang", cli), (ENV_VAR, environ.get(ENV_VAR)), ("settings", settings)):
        if not value:
            continue
        language = normalise(value)
        if language:
            return language
        log.warning("%s=%r is not a language the console speaks (%s); ignored", origin, value, ", ".join(LANGUAGES))
    return SOURCE_LANGUAGE
