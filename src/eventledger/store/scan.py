"""Reading many events fast: pages of events in id order with their sources (and mentions).

What exports and releases read: every event that an :class:`~eventledger.store.queries.EventFilter`
counts, a page at a time by keyset on the id (linear time, flat memory), each page with the
sources of its events (one per report, oldest first) and, for releases, the active mentions
behind them (the exact sentence and who coded it with what). The sources and mentions of a page
come from one range scan of the mentions index (``event_id BETWEEN first AND last``), so reading
the whole store reads each mention once, in index order.

Values come as the database driver gives them (SQLite: dates as text) and are put in the shape of
:func:`~eventledger.store.queries.event_dict` by plain tuple indexing; no ORM object is made per row.
That is what keeps a million events with 1.4 million reports under a minute.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, String, select, type_coerce

from eventledger.store.queries import EventFilter, iso_z, shown_values
from eventledger.store.schema import events

PAGE = 5000  # events a page

# the event columns read, in the order of ``Page.events`` tuples (dates and times as the driver gives them)
EVENT_FIELDS = (
    "id", "category", "subtype", "date", "date_jalali", "date_precision", "place_name", "place_name_fa",
    "country", "admin1", "lat", "lon", "place_precision", "quantity", "actor", "claim_status", "n_sources",
    "n_mentions", "confidence", "review_status",
)  # fmt: skip
_EVENT_COLUMNS = [
    type_coerce(events.c[name], String) if name == "date" else events.c[name] for name in EVENT_FIELDS
]
# a source: (document id, external id, URL, outlet, stance, published as ISO 8601 with Z, published as stored)
SOURCE_FIELDS = ("document_id", "external_id", "url", "outlet", "stance", "published")

_MENTION_SQL = """
SELECT m.event_id, d.id, d.external_id, d.url, d.shown_id, d.redaction, d.outlet, d.published, o.stance,
       m.id, d.version, m.field, m.sentence, m.trigger, m.subtype, m.date, m.date_precision, m.place_name,
       m.place_key, m.confidence, m.flags, m.coder, m.codebook, m.model_version, m.review_status
FROM mentions m JOIN documents d ON d.id = m.document_id LEFT JOIN outlets o ON o.name = d.outlet
WHERE m.event_id BETWEEN :lo AND :hi AND m.review_status NOT IN ('rejected', 'superseded')
ORDER BY m.event_id, m.id
"""
_SOURCE_SQL = """
SELECT m.event_id, d.id, d.external_id, d.url, d.shown_id, d.redaction, d.outlet, d.published, o.stance
FROM mentions m JOIN documents d ON d.id = m.document_id LEFT JOIN outlets o ON o.name = d.outlet
WHERE m.event_id BETWEEN :lo AND :hi AND m.review_status NOT IN ('rejected', 'superseded')
ORDER BY m.event_id
"""


@dataclass(frozen=True)
class Page:
    """Events (tuples of :data:`EVENT_FIELDS`, id order), the sources of each (tuples of
    :data:`SOURCE_FIELDS`, oldest first) and, when asked for, its mentions (dicts)."""

    events: Sequence[Sequence[Any]]
    sources: dict[int, list[tuple[Any, ...]]]
    mentions: dict[int, list[dict[str, Any]]] | None


@contextmanager
def bulk() -> Iterator[None]:
    """No cyclic garbage collection inside: reading a million events makes millions of dicts and
    lists, none of them in a cycle, and each collection the allocator triggers would walk them all
    (measured: a third of the time of reading a page with its mentions)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def iso_day(value: Any) -> str:
    """A date as the driver gives it (text on SQLite) as ``YYYY-MM-DD``."""
    return value if isinstance(value, str) else value.isoformat()


def iso_time(value: Any) -> str:
    """A stored UTC time (text on SQLite, ``YYYY-MM-DD HH:MM:SS.ffffff``) as :func:`iso_z` writes it."""
    if isinstance(value, str):
        if len(value) == 26 and value.endswith(".000000"):
            return f"{value[:10]}T{value[11:19]}Z"
        value = dt.datetime.fromisoformat(value)
    return iso_z(value)


def pages(conn: Connection, flt: EventFilter, *, size: int = PAGE, mentions: bool = False) -> Iterator[Page]:
    """The events ``flt`` counts, in id order, ``size`` at a time (see the module's docstring)."""
    base = flt.apply(select(*_EVENT_COLUMNS)).order_by(events.c.id).limit(size)
    last = 0
    while True:
        rows = conn.execute(base.where(events.c.id > last)).all()
        if not rows:
            return
        ids = [r[0] for r in rows]
        wanted = set(ids)
        srcs, ments = _read(conn, wanted, ids[0], ids[-1], mentions)
        yield Page(rows, srcs, ments)
        if len(rows) < size:
            return
        last = ids[-1]


def _read(
    conn: Connection, wanted: set[int], lo: int, hi: int, with_mentions: bool
) -> tuple[dict[int, list[tuple[Any, ...]]], dict[int, list[dict[str, Any]]] | None]:
    sources: dict[int, list[tuple[Any, ...]]] = {}
    found: dict[int, list[dict[str, Any]]] | None = {} if with_mentions else None
    seen: set[tuple[int, int]] = set()
    for r in _rows(conn, _MENTION_SQL if with_mentions else _SOURCE_SQL, lo, hi):
        eid = r[0]
        if eid not in wanted:
            continue
        doc = r[1]
        if found is not None:
            found.setdefault(eid, []).append(
                {
                    "id": r[9], "document_id": doc, "document_version": r[10], "outlet": r[6], "field": r[11],
                    "sentence": r[12], "trigger": r[13], "subtype": r[14], "date": iso_day(r[15]),
                    "date_precision": r[16], "place": r[17], "place_key": r[18], "confidence": r[19],
                    "flags": [f for f in r[20].split(",") if f] if r[20] else [], "coder": r[21], "codebook": r[22],
                    "model_version": r[23], "review_status": r[24],
                }
            )  # fmt: skip
        if (eid, doc) in seen:
            continue
        seen.add((eid, doc))
        external_id, url = shown_values(r[2], r[3], r[4], r[5])
        # the stored time last: the sort key (the ISO text sorts ".5Z" before "Z")
        sources.setdefault(eid, []).append(
            (doc, external_id, url, r[6], r[8] or "unknown", iso_time(r[7]), r[7])
        )
    for items in sources.values():
        if len(items) > 1:
            items.sort(key=lambda s: (s[6], s[0]))
    return sources, found


def _rows(conn: Connection, sql: str, lo: int, hi: int) -> Iterator[tuple[Any, ...]]:
    """The rows of ``sql`` (parameters ``:lo`` and ``:hi``) from the driver's own cursor, inside
    ``conn``'s transaction: plain tuples, no result object per row."""
    if conn.dialect.name != "sqlite":  # psycopg: %(name)s (sqlite3 takes :name)
        sql = sql.replace(":lo", "%(lo)s").replace(":hi", "%(hi)s")
    cur = conn.connection.cursor()
    try:
        cur.execute(sql, {"lo": lo, "hi": hi})
        while batch := cur.fetchmany(10_000):
            yield from batch
    finally:
        cur.close()


def source_dict(s: tuple[Any, ...]) -> dict[str, Any]:
    return {
        "document_id": s[0],
        "external_id": s[1],
        "url": s[2],
        "outlet": s[3],
        "stance": s[4],
        "published": s[5],
    }


def event_record(r: Sequence[Any], sources: Sequence[tuple[Any, ...]]) -> dict[str, Any]:
    """One event in the shape of :func:`~eventledger.store.queries.event_dict`."""
    return {
        "id": r[0],
        "category": r[1],
        "subtype": r[2],
        "date": iso_day(r[3]),
        "date_jalali": r[4],
        "date_precision": r[5],
        "place": {
            "name": r[6],
            "name_fa": r[7],
            "country": r[8],
            "admin1": r[9],
            "lat": r[10],
            "lon": r[11],
            "precision": r[12],
        },
        "quantity": r[13],
        "actor": r[14],
        "claim_status": r[15],
        "n_sources": r[16],
        "n_mentions": r[17],
        "confidence": r[18],
        "review_status": r[19],
        "sources": [source_dict(s) for s in sources],
    }


def iter_events(conn: Connection, flt: EventFilter, *, size: int = PAGE) -> Iterator[dict[str, Any]]:
    """Every event ``flt`` counts with its sources, in id order (the shape of ``events --format jsonl``)."""
    with bulk():
        for page in pages(conn, flt, size=size):
            for r in page.events:
                yield event_record(r, page.sources.get(r[0], ()))
