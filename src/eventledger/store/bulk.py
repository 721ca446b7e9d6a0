"""Many rows into one table in one statement, without SQLAlchemy's per-row work on SQLite.

SQLAlchemy builds a parameter dictionary per row of an ``executemany`` (escaped names, defaults,
type processors looked up each time): on the ingest bench that was about a fifth of the writer's
time. Here the statement and each column's type processor are worked out once, and the rows go to
the driver as tuples — the same values SQLAlchemy would have bound (tests/store/test_bulk.py
compares the stored rows of both paths). Other databases take SQLAlchemy's path unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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
    procs: list[Callable[[Any], Any] | None] = [
        table.c[n].type.dialect_impl(dialect).bind_processor(dialect) for n in names
    ]
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join('?' for _ in names)})"
    )
    extra = tuple(defaults.values())
    params = []
    for row in rows:
        if len(row) != len(rows[0]):
            raise ValueError(f"{table.name}: every row needs the same columns ({', '.join(rows[0])})")
        values = (*(row[n] for n in names[: len(names) - len(extra)]), *extra)
        params.append(tuple(v if p is None else p(v) for v, p in zip(values, procs, strict=True)))
    conn.exec_driver_sql(sql, params)
