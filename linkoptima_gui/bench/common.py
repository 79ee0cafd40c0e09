"""What every ``make bench`` part shares: percentiles, peak memory and the printed table."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import create_engine, text

Row = tuple[str, str, str, str]  # area, measure, result, detail


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile (nan for no values)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (POSIX; the benchmark runs there)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def print_table(rows: Sequence[Row]) -> None:
    headers: Row = ("area", "measure", "result", "")
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(4)]
    print()
    print(" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def empty_postgres(url: str) -> None:
    """Drop and recreate the ``public`` schema of the PostgreSQL database at ``url`` (a throw-away
    database of the benchmarks and tests: everything in it goes)."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
