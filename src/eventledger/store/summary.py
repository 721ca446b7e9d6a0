"""The dashboard's daily counts, kept in step with ``events`` by every writer.

* ``event_daily``: day × category × subtype × claim status × review status (with both months);
* ``event_daily_area``: day × area (province, else country) × category × review status;
* ``event_daily_outlet``: day × outlet × category × review status (an event counts once per outlet).

Bulk writers apply deltas (:func:`apply_daily`, :func:`adjust_daily`, :func:`grow_daily`): the
cost follows the events touched, not the size of the store. Reviews recompute the days they touch
(:func:`refresh_daily`). :func:`summary_counts` reads them for the dashboard; tests hold them equal to
counting the events, and to a full :func:`rebuild_daily`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, delete, distinct, func, insert, select

from eventledger.store.schema import event_daily, event_daily_area, event_daily_outlet, events, mentions

CHUNK = 400


_COLUMNS = {
    event_daily: (
        "codebook",
        "day",
        "category",
        "subtype",
        "claim_status",
        "review_status",
        "jalali_month",
        "greg_month",
    ),
    event_daily_area: ("codebook", "day", "area", "category", "review_status"),
    event_daily_outlet: ("codebook", "day", "outlet", "category", "review_status"),
}


# the key of event_daily_outlet, read from events joined to their mentions
_OUTLET_KEY = (events.c.codebook, events.c.date, mentions.c.outlet, events.c.category, events.c.review_status)


def area_expr() -> Any:
    return func.coalesce(events.c.admin1, events.c.country, "unknown")


def refresh_daily(conn: Connection, days: Iterable[dt.date]) -> None:
    """Recompute the daily rows of ``days`` from the events."""
    todo: Sequence[dt.date] = sorted(set(days))
    for i in range(0, len(todo), CHUNK):
        part = todo[i : i + CHUNK]
        conn.execute(delete(event_daily).where(event_daily.c.day.in_(part)))
        conn.execute(delete(event_daily_area).where(event_daily_area.c.day.in_(part)))
        conn.execute(delete(event_daily_outlet).where(event_daily_outlet.c.day.in_(part)))
        kind = (
            events.c.codebook,
            events.c.date,
            events.c.category,
            events.c.subtype,
            events.c.claim_status,
            events.c.review_status,
        )
        conn.execute(
            insert(event_daily).from_select(
                [*_COLUMNS[event_daily], "n"],
                select(*kind, func.min(events.c.jalali_month), func.min(events.c.greg_month), func.count())
                .where(events.c.date.in_(part))
                .group_by(*kind),
            )
        )
        where = (events.c.codebook, events.c.date, area_expr(), events.c.category, events.c.review_status)
        conn.execute(
            insert(event_daily_area).from_select(
                [*_COLUMNS[event_daily_area], "n"],
                select(*where, func.count()).where(events.c.date.in_(part)).group_by(*where),
            )
        )
        by_outlet = _OUTLET_KEY
        conn.execute(
            insert(event_daily_outlet).from_select(
                [*_COLUMNS[event_daily_outlet], "n"],
                select(*by_outlet, func.count(distinct(events.c.id)))
                .join(mentions, mentions.c.event_id == events.c.id)
                .where(events.c.date.in_(part), mentions.c.outlet.is_not(None))
                .group_by(*by_outlet),
            )
        )


def _contributions(conn: Connection, ids: Sequence[int]) -> dict[Any, dict[tuple[Any, ...], int]]:
    """What stored events ``ids`` add to each daily table, keyed like the tables' primary keys."""
    out: dict[Any, dict[tuple[Any, ...], int]] = {
        event_daily: {},
        event_daily_area: {},
        event_daily_outlet: {},
    }
    kind, area, outlet = out[event_daily], out[event_daily_area], out[event_daily_outlet]
    cols = (events.c.codebook, events.c.date, events.c.category, events.c.subtype, events.c.claim_status,
            events.c.review_status, events.c.jalali_month, events.c.greg_month, area_expr())  # fmt: skip
    by_outlet = _OUTLET_KEY
    for i in range(0, len(ids), CHUNK):
        part = ids[i : i + CHUNK]
        for row in conn.execute(select(*cols, func.count()).where(events.c.id.in_(part)).group_by(*cols)):
            cb, day, cat, sub, claim, review, jm, gm, where, n = row
            k = (cb, day, cat, sub, claim, review, jm, gm)
            kind[k] = kind.get(k, 0) + int(n)
            a = (cb, day, where, cat, review)
            area[a] = area.get(a, 0) + int(n)
        stmt = (
            select(*by_outlet, func.count(distinct(events.c.id)))
            .join(mentions, mentions.c.event_id == events.c.id)
            .where(events.c.id.in_(part), mentions.c.outlet.is_not(None))
            .group_by(*by_outlet)
        )
        for row in conn.execute(stmt):
            key = tuple(row[:5])
            outlet[key] = outlet.get(key, 0) + int(row[5])
    return out


def contributions_of(
    rows: Iterable[Mapping[str, Any]], outlets: Iterable[Iterable[str]]
) -> dict[Any, dict[tuple[Any, ...], int]]:
    """What event rows not yet counted add to the daily tables (computed here, without a query)."""
    out: dict[Any, dict[tuple[Any, ...], int]] = {
        event_daily: {},
        event_daily_area: {},
        event_daily_outlet: {},
    }
    kind, area, by_outlet = out[event_daily], out[event_daily_area], out[event_daily_outlet]
    for r, outs in zip(rows, outlets, strict=True):
        cb, day, cat, review = r["codebook"], r["date"], r["category"], r.get("review_status") or "machine"
        k = (cb, day, cat, r["subtype"], r["claim_status"], review, r["jalali_month"], r["greg_month"])
        kind[k] = kind.get(k, 0) + 1
        a = (cb, day, r.get("admin1") or r.get("country") or "unknown", cat, review)
        area[a] = area.get(a, 0) + 1
        for o in set(outs):
            if o is not None:
                ko = (cb, day, o, cat, review)
                by_outlet[ko] = by_outlet.get(ko, 0) + 1
    return out


def apply_daily(
    conn: Connection, contributions: Mapping[Any, Mapping[tuple[Any, ...], int]], sign: int
) -> None:
    """Add (``sign=1``) or take away (``sign=-1``) counts from the daily tables (an upsert per key)."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    days: set[Any] = set()
    for table, rows in contributions.items():
        if not rows:
            continue
        cols = [*_COLUMNS[table], "n"]
        pk = ", ".join(c.name for c in table.primary_key.columns)
        sql = (
            f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join([mark] * len(cols))}) "
            f"ON CONFLICT ({pk}) DO UPDATE SET n = {table.name}.n + excluded.n"
        )
        conn.exec_driver_sql(sql, [(*key, sign * n) for key, n in rows.items()])
        days.update(key[1] for key in rows)
    if sign < 0 and days:
        part = sorted(days)
        for i in range(0, len(part), CHUNK):
            for table in _COLUMNS:
                conn.execute(delete(table).where(table.c.day.in_(part[i : i + CHUNK]), table.c.n <= 0))


def adjust_daily(conn: Connection, event_ids: Iterable[int], sign: int) -> None:
    """Add (``sign=1``) or take away (``sign=-1``) what stored events count in the daily tables.

    Writers that change many events call it with -1 before and +1 after the change: the cost
    follows the events touched, not the days (a day of a large store holds thousands of events).
    """
    ids = sorted(set(event_ids))
    if ids:
        apply_daily(conn, _contributions(conn, ids), sign)


_KEY_COLS = ("codebook", "date", "category", "subtype", "claim_status", "review_status", "jalali_month",
             "greg_month", "admin1", "country")  # fmt: skip


def event_keys(conn: Connection, ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    """The columns that place each event in the daily tables."""
    out: dict[int, tuple[Any, ...]] = {}
    cols = [events.c[c] for c in _KEY_COLS]
    for i in range(0, len(ids), CHUNK):
        for row in conn.execute(select(events.c.id, *cols).where(events.c.id.in_(ids[i : i + CHUNK]))):
            out[int(row[0])] = tuple(row[1:])
    return out


def new_outlet_pairs(conn: Connection, pairs: Iterable[tuple[str, int]]) -> set[tuple[str, int]]:
    """The (outlet, event) pairs that no stored mention has yet (call before inserting the mentions)."""
    todo = set(pairs)
    ids = sorted({e for _, e in todo})
    for i in range(0, len(ids), CHUNK):
        stmt = (
            select(mentions.c.outlet, mentions.c.event_id)
            .distinct()
            .where(mentions.c.event_id.in_(ids[i : i + CHUNK]))  # read from ix_mentions_event_outlet alone
        )
        todo.difference_update((str(o), int(e)) for o, e in conn.execute(stmt))
    return todo


def _as_row(key: tuple[Any, ...]) -> dict[str, Any]:
    return dict(zip(_KEY_COLS, key, strict=True))


def grow_daily(
    conn: Connection,
    before: Mapping[int, tuple[Any, ...]],
    after: Mapping[int, tuple[Any, ...]],
    added: Iterable[tuple[str, int]],
) -> None:
    """Update the daily tables for stored events that gained reports.

    ``before``/``after`` are :func:`event_keys` around the change, ``added`` the (outlet, event)
    pairs the new reports brought (:func:`new_outlet_pairs`). An event whose day, claim or review
    status moved is counted again in full; for the others only their new outlets are added.
    """
    moved = sorted(e for e in after if before.get(e) != after[e])
    moved_set = set(moved)
    plus: dict[Any, dict[tuple[Any, ...], int]] = {
        event_daily: {},
        event_daily_area: {},
        event_daily_outlet: {},
    }
    minus: dict[Any, dict[tuple[Any, ...], int]] = {
        event_daily: {},
        event_daily_area: {},
        event_daily_outlet: {},
    }
    if moved:
        fresh = {(o, e) for o, e in added if e in moved_set}
        outlets_now: dict[int, set[str]] = {}
        for o, e in conn.execute(
            select(mentions.c.outlet, mentions.c.event_id)
            .distinct()
            .where(mentions.c.event_id.in_(moved), mentions.c.outlet.is_not(None))
        ):
            outlets_now.setdefault(int(e), set()).add(str(o))
        old = contributions_of(
            [_as_row(before[e]) for e in moved if e in before],
            [outlets_now.get(e, set()) - {o for o, x in fresh if x == e} for e in moved if e in before],
        )
        now_counted = contributions_of(
            [_as_row(after[e]) for e in moved], [outlets_now.get(e, set()) for e in moved]
        )
        plus, minus = now_counted, old
    for o, e in added:
        if e in moved_set or e not in after:
            continue
        r = _as_row(after[e])
        key = (r["codebook"], r["date"], o, r["category"], r["review_status"])
        plus[event_daily_outlet][key] = plus[event_daily_outlet].get(key, 0) + 1
    apply_daily(conn, minus, -1)
    apply_daily(conn, plus, +1)


def rebuild_daily(conn: Connection) -> None:
    """Recompute every daily row (after a bulk load)."""
    conn.execute(delete(event_daily))
    conn.execute(delete(event_daily_area))
    conn.execute(delete(event_daily_outlet))
    days = conn.execute(select(events.c.date).distinct()).scalars().all()
    refresh_daily(conn, days)
