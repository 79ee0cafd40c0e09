"""Column factories and the shared ``MetaData`` of the CDN tables.

The table modules (``schema_items``, ``schema_trade``, ``schema_bank``) declare Optima's real
columns through these helpers so that each line stays one column and the SQL Server types come
out as Optima has them (``tinyint``, ``varchar`` vs ``nvarchar``, ``datetime``, ``decimal(p,s)``).

Why server defaults: Optima has default constraints on most NOT NULL columns (the EF scaffold in
``reference/optima-tables.md`` hides those equal to 0). The simulated Optima relies on them the same
way Optima's own inserts do, so a writer states only the columns that carry meaning.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Column,
    Computed,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    SmallInteger,
    String,
    Unicode,
    UnicodeText,
    text,
)
from sqlalchemy.dialects import mssql

#: Optima keeps every company table in this schema; SQLite maps it away (one file = one company).
CDN_SCHEMA = "CDN"

#: Placeholder of the sequential number inside a ``*_NumerString`` (``FA/@numerS/2026``).
NUMBER_PLACEHOLDER = "@numerS"

metadata = MetaData(schema=CDN_SCHEMA)

#: SQL Server ``tinyint``; other databases have no 1-byte integer, ``smallint`` holds the same values.
TINYINT = SmallInteger().with_variant(mssql.TINYINT(), "mssql")


def _default(nullable: bool, default: Any, is_text: bool) -> dict[str, Any]:
    """Server default for a NOT NULL column (0 / '' unless told), none for a nullable one."""
    if default is not None:
        literal = f"'{default}'" if isinstance(default, str) else str(default)
        return {"server_default": text(literal)}
    if nullable:
        return {}
    return {"server_default": text("''" if is_text else "0")}


def pk(name: str) -> Column[Any]:
    """An ``int IDENTITY`` primary key (every CDN table we use has one)."""
    return Column(name, Integer, primary_key=True, autoincrement=True)


def int_(name: str, *, null: bool = False, fk: str | None = None, default: int | None = None) -> Column[Any]:
    """``int``; ``fk`` as ``"Table.Column"`` (schema added) for the FKs Optima declares."""
    if fk:
        return Column(name, Integer, ForeignKey(f"{CDN_SCHEMA}.{fk}"), nullable=null)
    return Column(name, Integer, nullable=null, **_default(null, default, False))


def small(name: str, *, null: bool = False, default: int | None = None) -> Column[Any]:
    """``smallint``."""
    return Column(name, SmallInteger, nullable=null, **_default(null, default, False))


def tiny(name: str, *, null: bool = False, default: int | None = None) -> Column[Any]:
    """``tinyint`` (flags)."""
    return Column(name, TINYINT, nullable=null, **_default(null, default, False))


def dec(
    name: str, precision: int, scale: int, *, null: bool = False, default: int | None = None
) -> Column[Any]:
    """``decimal(p,s)``: money, quantities, rates. Always read back as ``Decimal``."""
    return Column(
        name, Numeric(precision, scale, asdecimal=True), nullable=null, **_default(null, default, False)
    )


def varchar(name: str, length: int, *, null: bool = False, default: str | None = None) -> Column[Any]:
    """``varchar(n)``: Optima's natural keys (codes, symbols, numbers) live in the code page."""
    return Column(name, String(length), nullable=null, **_default(null, default, True))


def nvarchar(
    name: str, length: int | None = None, *, null: bool = False, default: str | None = None
) -> Column[Any]:
    """``nvarchar(n)`` (``nvarchar(max)`` when no length): names, addresses, descriptions."""
    type_ = Unicode(length) if length else UnicodeText()
    return Column(name, type_, nullable=null, **_default(null, default, True))


def dt(name: str, *, null: bool = False) -> Column[Any]:
    """``datetime`` (naive local time, as Optima stores it); NOT NULL ones are always written."""
    return Column(name, DateTime(), nullable=null)


def numer_pelny(name: str, nr_column: str, string_column: str) -> Column[Any]:
    """The computed full number (``FA/17/2026``) of Optima's ``CDN.FN_NUMERPELNY``.

    Optima's function knows more tokens; ours replaces the one token the console uses, with an
    expression SQLite, PostgreSQL and SQL Server all accept, so the database builds the number and
    nobody can write a full number that disagrees with its parts.
    """
    expression = f'replace("{string_column}", \'{NUMBER_PLACEHOLDER}\', CAST("{nr_column}" AS VARCHAR(10)))'
    return Column(name, Unicode(30), Computed(expression, persisted=True), nullable=True)


def full_number(numer_string: str, numer_nr: int) -> str:
    """What ``numer_pelny`` computes, in Python (for rows that copy a number, e.g. BZd_NumerPelny)."""
    return numer_string.replace(NUMBER_PLACEHOLDER, str(numer_nr))
