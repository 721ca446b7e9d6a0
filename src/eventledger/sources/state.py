"""What the store remembers about sources: registration, conditional-GET validators, items seen, health."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from eventledger.sources.archive import payload_of
from eventledger.sources.collect import Collected, SourceState, Validators
from eventledger.sources.config import SourceSpec
from eventledger.store import queries, writer
from eventledger.store.schema import archive, http_cache, seen_items, sources


def upsert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> None:
    """Insert or update rows by primary key, on SQLite and PostgreSQL alike."""
    if not rows:
        return
    ins = pg_insert(table) if conn.dialect.name == "postgresql" else sqlite_insert(table)
    cols = [c for c in rows[0] if c not in keys]
    stmt = ins.on_conflict_do_update(index_elements=list(keys), set_={c: ins.excluded[c] for c in cols})
    conn.execute(stmt, list(rows))


def register(conn: Connection, specs: Iterable[SourceSpec]) -> None:
    """Record the configured sources and their outlets' stances (claim statuses follow)."""
    specs = list(specs)
    now = writer.now()
    existing = {r.name for r in conn.execute(select(sources.c.name))}
    for s in specs:
        values = {
            "kind": s.kind,
            "url": s.url,
            "outlet": s.outlet,
            "lang": s.lang,
            "interval_s": s.interval_s,
            "updated_at": now,
        }
        if s.name in existing:
            conn.execute(sources.update().where(sources.c.name == s.name).values(**values))
        else:
            conn.execute(sources.insert().values(name=s.name, consecutive_failures=0, items_seen=0, **values))
    if writer.upsert_outlets(conn, [s.outlet_config() for s in specs]):
        writer.refresh_claims(conn, queries.load_stances(conn))


def load(conn: Connection, spec: SourceSpec) -> SourceState:
    state = SourceState()
    state.seen = {
        r.item_id: r.item_hash
        for r in conn.execute(
            select(seen_items.c.item_id, seen_items.c.item_hash).where(seen_items.c.source == spec.name)
        )
    }
    urls = select(seen_items.c.url).where(seen_items.c.source == spec.name, seen_items.c.url.is_not(None))
    rows = conn.execute(select(http_cache).where((http_cache.c.url == spec.url) | http_cache.c.url.in_(urls)))
    state.validators = {r.url: Validators(r.etag, r.last_modified, r.status, r.content_sha256) for r in rows}
    return state


def save(conn: Connection, got: Collected) -> None:
    """Validators, items seen and the source's health after a poll (call after its reports are stored)."""
    now = writer.now()
    upsert(
        conn,
        http_cache,
        [
            {
                "url": url,
                "etag": v.etag,
                "last_modified": v.last_modified,
                "status": v.status,
                "content_sha256": v.content_sha256,
                "checked_at": now,
            }
            for url, v in got.validators.items()
        ],
        ["url"],
    )
    upsert(
        conn,
        seen_items,
        [
            {
                "source": got.spec.name,
                "item_id": i,
                "item_hash": h,
                "url": u,
                "first_seen": now,
                "last_seen": now,
            }
            for i, h, u in got.seen
        ],
        ["source", "item_id"],
    )
    # one UPDATE, counters computed by the database (no row: a source not registered, nothing to do)
    values: dict[str, Any] = {"last_checked": now, "items_seen": sources.c.items_seen + len(got.seen)}
    if got.error:
        values |= {
            "last_error": got.error[:2000],
            "last_error_at": now,
            "consecutive_failures": sources.c.consecutive_failures + 1,
        }
    else:
        values |= {"last_success": now, "consecutive_failures": 0}
    conn.execute(sources.update().where(sources.c.name == got.spec.name).values(**values))


def next_check(spec: SourceSpec, row: Any | None) -> dt.datetime | None:
    """When a source is next due (naive UTC), from its ``sources`` row; None when it was never checked.

    A failing source waits longer: interval × 2^failures (at most 2^6), and at most a day.
    """
    if row is None or row.last_checked is None:
        return None
    wait = min(spec.interval_s * 2 ** min(row.consecutive_failures, 6), max(spec.interval_s, 86400))
    last_checked: dt.datetime = row.last_checked
    return last_checked + dt.timedelta(seconds=wait)


def due(conn: Connection, specs: Sequence[SourceSpec], now: dt.datetime | None = None) -> list[SourceSpec]:
    """Sources whose interval has passed since they were last checked (failing ones back off)."""
    now = now or writer.now()
    rows = {r.name: r for r in conn.execute(select(sources))}
    out = []
    for s in specs:
        at = next_check(s, rows.get(s.name))
        if at is None or at <= now:
            out.append(s)
    return out


def status(conn: Connection) -> list[Any]:
    return list(conn.execute(select(sources).order_by(sources.c.name)))


def web_specs(conn: Connection) -> list[SourceSpec]:
    """The sources an admin added in the web app (``origin = 'web'``), as ``watch`` polls them.

    Their outlet's stance is the store's (set on the outlets page), not a file's."""
    stances = queries.load_stances(conn)
    out = []
    for r in conn.execute(select(sources).where(sources.c.origin == "web").order_by(sources.c.name)):
        outlet = stances.get(r.outlet)
        out.append(
            SourceSpec(
                name=r.name,
                kind=r.kind,
                url=r.url,
                outlet=r.outlet,
                stance=outlet.stance if outlet else (r.stance or "unknown"),
                actor=outlet.actor if outlet else r.actor,
                lang=r.lang,
                interval_s=r.interval_s,
                max_pages=r.max_pages or 3,
                max_items=r.max_items or 200,
            )
        )
    return out


def paused(conn: Connection) -> set[str]:
    """Names of the sources an admin paused (``watch`` skips them until resumed)."""
    return set(conn.execute(select(sources.c.name).where(sources.c.paused.is_(True))).scalars())


def with_web_sources(
    conn: Connection, file_specs: Sequence[SourceSpec]
) -> tuple[list[SourceSpec], list[str]]:
    """The sources to poll: the file's and the web app's, less the paused ones; and the names paused."""
    names = {s.name for s in file_specs}
    specs = [*file_specs, *(s for s in web_specs(conn) if s.name not in names)]
    stopped = paused(conn)
    return [s for s in specs if s.name not in stopped], sorted(
        n for n in stopped if n in {s.name for s in specs}
    )


def load_robots(conn: Connection) -> dict[str, tuple[str | None, str | None, bytes]]:
    """robots.txt files fetched before: validators from the cache, body from the archive."""
    out: dict[str, tuple[str | None, str | None, bytes]] = {}
    rows = conn.execute(
        select(http_cache.c.url, http_cache.c.etag, http_cache.c.last_modified).where(
            http_cache.c.url.like("%/robots.txt"),
            or_(
                func.coalesce(http_cache.c.etag, "") != "",
                func.coalesce(http_cache.c.last_modified, "") != "",
            ),
        )
    )
    for r in rows:
        blob = conn.execute(
            select(archive.c.warc)
            .where(archive.c.url == r.url, archive.c.status == 200)
            .order_by(archive.c.id.desc())
            .limit(1)
        ).scalar()
        rec = payload_of(blob) if blob else None
        if rec is not None:
            out[r.url] = (r.etag, r.last_modified, rec.body)
    return out


def save_robots(conn: Connection, seen: dict[str, tuple[str | None, str | None, bytes]]) -> None:
    now = writer.now()
    upsert(
        conn,
        http_cache,
        [
            {
                "url": u,
                "etag": e,
                "last_modified": lm,
                "status": 200,
                "content_sha256": None,
                "checked_at": now,
            }
            for u, (e, lm, _) in seen.items()
        ],
        ["url"],
    )
