"""Many rows into one table in one statement, without SQLAlchemy's per-row work on SQLite.

SQLAlchemy builds a parameter dictionary per row of an ``executemany`` (escaped names, defaults,
type processors looked up each time): on the ingest bench that was about a fifth of the writer's
time. Here the statement and each column's type processor are worked out once, and the rows go to
the driver as tuples — the same values SQLAlchemy would have bound (tests/store/test_bulk.py
compares the stored rows of both paths). Other databases take SQLAlchemy's path unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Connection, Table, insert


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """``INSERT`` every row (all with the same keys; columns left out take their defaults)."""
    if not rows:
        return
    if conn.dialect.name != "sqlite" or any(isinstance(c.type, JSON) for c in table.columns):
        conn.execute(insert(table), list(rows))  # (JSON's None is SQL NULL or JSON null: SQLAlchemy's call)
        return
    names = list(rows[0])
    defaults: dict[str, Any] = {}
    for col in table.columns:
        if col.name in rows[0] or col.default is None:
            continue
        if not col.default.is_scalar:  # a Python function as default: SQLAlchemy's path knows how
            conn.execute(insert(table), list(rows))
            return
        defaults[col.name] = col.default.arg  # type: ignore[attr-defined]
    names += list(defaults)
    dialect = conn.dialect
    procs = [
        (i, p)
        for i, n in enumerate(names)
        if (p := table.c[n].type.dialect_impl(dialect).bind_processor(dialect))
    ]
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join('?' for _ in names)})"
    )
    given = names[: len(names) - len(defaults)]
    width = len(given)
    get = itemgetter(*given)
    extra = list(defaults.values())
    params: list[tuple[Any, ...]] = []
    for row in rows:
        if len(row) != width:
            raise ValueError(f"{table.name}: every row needs the same columns ({', '.join(given)})")
        values = [get(row)] if width == 1 else [*get(row)]
        values += extra
        for i, proc in procs:
            values[i] = proc(values[i])
        params.append(tuple(values))
    conn.exec_driver_sql(sql, params)
