"""Every reader query compiled for SQL Server (``mssql+pyodbc``), the dialect of a real Optima.

No SQL Server runs here, so this is how the T-SQL is checked: each public builder in
``queries.py`` and ``lookups.py`` that returns a ``Select`` is found automatically (a new query
cannot be forgotten),
called with sample arguments, and compiled twice: with literal values (the text a DBA would run)
and with bound parameters (what the reader sends through pyodbc). ``test_pyodbc.py`` runs the
same statements through pyodbc for real, on PostgreSQL.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, get_type_hints

import pytest
from sqlalchemy import Select, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.mssql.pyodbc import MSDialect_pyodbc
from sqlalchemy.sql import visitors

from linkoptima_gui.core.optima import lookups, queries, reader
from linkoptima_gui.core.optima.schema import CDN_SCHEMA, metadata

#: One sample per parameter type; a builder taking another type fails the discovery test.
SAMPLES: dict[Any, Any] = {str: "X'7", int: 424242, datetime: datetime(2026, 1, 2),
                           Sequence[str]: ["X'7", "KUB-001"], Sequence[int]: [424242, 7]}
#: How the samples look in T-SQL with literal values (the quote doubled).
RENDERED = {str: "'X''7'", int: "424242"}

#: Functions and syntax SQL Server does not have (SQLite / PostgreSQL only, or SQL Server 2022+
#: only, which an Optima installation cannot be assumed to run).
FORBIDDEN = {
    "LIMIT": r"\bLIMIT\b",
    "OFFSET without FETCH": r"\bOFFSET\b(?!.*\bFETCH\b)",
    "|| concatenation": r"\|\|",
    ":: cast": r"::",
    "ILIKE": r"\bILIKE\b",
    "boolean literal": r"\b(true|false)\b",
    "IS [NOT] DISTINCT FROM": r"\bDISTINCT\s+FROM\b",
    "NULLS FIRST/LAST": r"\bNULLS\s+(FIRST|LAST)\b",
    "RETURNING": r"\bRETURNING\b",
    "double-quoted identifier": r'"',
    "backquoted identifier": r"`",
    **{
        f"{name}()": rf"\b{name}\s*\("
        for name in (
            "now",
            "date",
            "datetime",
            "strftime",
            "julianday",
            "extract",
            "date_trunc",
            "to_char",
            "ifnull",
            "substr",
            "length",
            "random",
            "greatest",
            "least",
            "group_concat",
            "string_agg",
            "array_agg",
            "generate_series",
        )
    },
}


def _returns_select(function: Callable[..., Any]) -> bool:
    hint = get_type_hints(function).get("return")
    return isinstance(hint, type) and issubclass(hint, Select)


def _builders(module: Any) -> dict[str, Callable[..., Select]]:
    """Every public ``..._query`` style builder of ``module``: name -> function."""
    return {
        name: function
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and not name.startswith("_") and _returns_select(function)
    }


#: What the reader runs (queries.py) and what ``OptimaLookups`` runs (lookups.py).
QUERY_BUILDERS = _builders(queries)
LOOKUP_BUILDERS = _builders(lookups)
#: Both: every check below runs on each of them.
BUILDERS = {**QUERY_BUILDERS, **LOOKUP_BUILDERS}


def _arguments(function: Callable[..., Any]) -> list[Any]:
    hints = get_type_hints(function)
    return [SAMPLES[hints[p]] for p in inspect.signature(function).parameters]


def build(name: str) -> Select:
    return BUILDERS[name](*_arguments(BUILDERS[name]))


def dialect() -> MSDialect_pyodbc:
    """SQL Server through pyodbc, as it is once pyodbc is loaded (``?`` parameters)."""
    return MSDialect_pyodbc(paramstyle="qmark")


def literal_tsql(statement: Select) -> str:
    return str(statement.compile(dialect=dialect(), compile_kwargs={"literal_binds": True}))


def tables_of(statement: Select) -> set[Table]:
    """The CDN tables the statement reads (aliases resolved to their table)."""
    return {
        element
        for element in visitors.iterate(statement)
        if isinstance(element, Table)
    }


def test_the_builders_are_discovered() -> None:
    assert len(QUERY_BUILDERS) >= 15 and len(LOOKUP_BUILDERS) >= 12
    assert not set(QUERY_BUILDERS) & set(LOOKUP_BUILDERS)  # one name, one statement
    assert {"invoice_by_order_query", "item_query", "stock_query", "duplicate_payments_query"} <= set(BUILDERS)
    assert {"item_by_ean_query", "contractors_by_nip_query", "ksef_state_query", "due_state_query"} <= set(BUILDERS)
    for name, function in BUILDERS.items():
        hints = get_type_hints(function)
        for parameter in inspect.signature(function).parameters:
            assert hints[parameter] in SAMPLES, f"{name}({parameter}): add a sample for {hints[parameter]}"


def test_all_queries_lists_every_builder() -> None:
    """``queries.ALL_QUERIES`` (used by other dialect tests) must not fall behind the module."""
    assert {f"{name}_query" for name in queries.ALL_QUERIES} == set(QUERY_BUILDERS)


def test_all_lookups_lists_every_builder_and_each_example_compiles() -> None:
    """``lookups.ALL_LOOKUPS`` likewise, and its own example calls compile for SQL Server."""
    assert {f"{name}_query" for name in lookups.ALL_LOOKUPS} == set(LOOKUP_BUILDERS)
    for name, build_example in lookups.ALL_LOOKUPS.items():
        tsql = literal_tsql(build_example())
        assert f"[{CDN_SCHEMA}]." in tsql and "LIMIT" not in tsql, name


def _calls(tree: ast.AST) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def test_optima_lookups_runs_only_these_builders() -> None:
    """The ``OptimaLookups`` class executes builders checked here and builds no SQL itself."""
    tree = ast.parse(Path(inspect.getfile(lookups)).read_text(encoding="utf-8"))
    (cls,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "OptimaLookups"]
    called = {c.func.id for c in _calls(cls) if isinstance(c.func, ast.Name)}
    assert {name for name in called if name.endswith("_query")} <= set(LOOKUP_BUILDERS)
    assert called & set(LOOKUP_BUILDERS)
    assert not called & {"select", "text", "insert", "update", "delete", "literal_column", "union_all"}


def test_the_reader_runs_only_these_builders() -> None:
    """Every statement the reader executes comes from a builder checked here: it calls ``q.…``
    builders only and makes no SQL of its own (no select/text/insert/update/delete imported)."""
    tree = ast.parse(Path(inspect.getfile(reader)).read_text(encoding="utf-8"))
    called = {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "q"
    }
    assert called and called <= set(QUERY_BUILDERS), called - set(QUERY_BUILDERS)
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy")
        for alias in node.names
    }
    assert not imported & {"select", "text", "insert", "update", "delete", "literal_column", "func"}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_compiles_for_sql_server_on_the_cdn_schema(name: str) -> None:
    statement = build(name)
    tsql = literal_tsql(statement)
    tables = tables_of(statement)
    assert tables, name
    for table in tables:
        assert table.schema == CDN_SCHEMA and metadata.tables[table.fullname] is table
        assert f"[{CDN_SCHEMA}].[{table.name}]" in tsql
    # every FROM / JOIN names a CDN table or opens a subquery
    for target in re.findall(r"\b(?:FROM|JOIN)\s+(\S+)", tsql):
        assert target.startswith((f"[{CDN_SCHEMA}].[", "(")), (name, target)
    hints = get_type_hints(BUILDERS[name])
    for parameter in inspect.signature(BUILDERS[name]).parameters:
        rendered = RENDERED.get(hints[parameter])
        assert rendered is None or rendered in tsql, (name, parameter)  # the argument is used, quoted


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_uses_nothing_sql_server_lacks(name: str) -> None:
    tsql = literal_tsql(build(name))
    for what, pattern in FORBIDDEN.items():
        assert not re.search(pattern, tsql, re.IGNORECASE | re.DOTALL), f"{name}: {what}\n{tsql}"


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_a_limit_becomes_top(name: str) -> None:
    """Where SQLite and PostgreSQL get ``LIMIT n``, SQL Server gets ``TOP n`` (and no OFFSET)."""
    statement = build(name)
    limits = re.findall(r"\bLIMIT (\d+)", str(statement.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})))
    pg = str(statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
    assert re.findall(r"\bLIMIT (\d+)", pg) == limits
    tsql = literal_tsql(statement)
    assert re.findall(r"\bTOP (\d+)", tsql) == limits, name


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_subqueries_are_valid_where_sql_server_is_strict(name: str) -> None:
    """SQL Server refuses ORDER BY in a subquery without TOP, and a subquery needs an alias."""
    statement = build(name)
    for element in visitors.iterate(statement):
        if isinstance(element, Select) and element is not statement:
            ordered = bool(element._order_by_clauses)
            assert not ordered or element._limit_clause is not None, f"{name}: ORDER BY in a subquery"
    tsql = literal_tsql(statement)
    for match in re.finditer(r"FROM \(SELECT", tsql):
        depth, i = 1, match.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(tsql[i], 0)
            i += 1
        assert re.match(r"\s+AS\s+\w+", tsql[i:]), f"{name}: derived table without an alias"


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_the_executed_form_binds_every_value(name: str) -> None:
    """What the reader sends through pyodbc: ``?`` markers, values (dates above all) as parameters.

    Dates must not travel as text: ``'2026-01-02 00:00:00'`` against a ``datetime`` column is read
    day-first under a Polish login (SET LANGUAGE polski), a bound ``datetime`` never is.
    """
    statement = build(name)
    compiled = statement.compile(dialect=dialect(), compile_kwargs={"render_postcompile": True})
    tsql = str(compiled)
    assert tsql.count("?") == len(compiled.positiontup or ())
    assert not re.search(r"%\(|:\w|POSTCOMPILE", tsql)
    values = list(compiled.params.values())
    for argument in _arguments(BUILDERS[name]):
        if isinstance(argument, datetime):
            assert argument in values, name
            assert "2026-01-02" not in tsql
