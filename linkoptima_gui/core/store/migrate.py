"""Alembic, driven from code: the console upgrades its store at start, no alembic.ini needed.

Alembic itself (some 11 MB of memory once imported) is loaded only when the store is not at the
newest revision already: a console that starts on an up-to-date store reads the version with one
query and goes on. ``HEAD`` must name the newest migration (a test compares it with Alembic's).

Several consoles share one store (DESIGN.md §5) and are not updated on the same day. A console
that finds the store at a revision it does not know (a newer program migrated it) refuses to
open it: an old program never writes into a newer schema. The store's URL never goes through
Alembic's configparser (a password with ``%`` or ``:`` would break it); the engine is handed over.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
#: the newest revision in ``migrations/versions``
HEAD = "0008"


class NewerStoreError(Exception):
    """The store was migrated by a newer program; ``str()`` is Polish and says what to do."""


def known_revisions() -> set[str]:
    """The revisions this program carries (the file names' numbers, without loading Alembic)."""
    return {match.group(1) for path in (MIGRATIONS / "versions").glob("*.py")
            if (match := re.match(r"(\d{4})_", path.name))}


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def current_revision(engine: Engine) -> str | None:
    """The store's revision as Alembic recorded it (None for a new store)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def check_revision(revision: str | None) -> None:
    """Refuse a store at a revision this program does not know (migrated by a newer one)."""
    if revision is not None and revision not in known_revisions():
        raise NewerStoreError(
            f"Baza konsoli jest w nowszej wersji (rewizja {revision}) niż ta, którą zna ten program "
            f"(najnowsza: {HEAD}). Zaktualizuj LinkOptima na tym komputerze: starszy program nie zapisuje "
            "do nowszej bazy.")


def upgrade_to_head(engine: Engine) -> None:
    revision = current_revision(engine)
    if revision == HEAD:
        return
    check_revision(revision)
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


def upgrade_script(dialect_name: str) -> str:
    """The SQL the migrations would run on an empty database of ``dialect_name`` (Alembic's
    offline mode): how the SQL Server path is checked where no SQL Server runs."""
    import io

    from alembic import command
    from alembic.config import Config

    buffer = io.StringIO()
    config = Config(output_buffer=buffer)
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["dialect_name"] = dialect_name
    command.upgrade(config, "head", sql=True)
    return buffer.getvalue()
