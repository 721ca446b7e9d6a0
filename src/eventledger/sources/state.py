"""What the store remembers about sources: registration, conditional-GET validators, items seen, health;
and what lets several watchers share one store: a lease on each source being polled, per-host turns.

Several ``watch`` processes (on several machines) may poll the sources of one PostgreSQL store. A
watcher takes a source by taking its lease (:func:`take_leases`): the source's row is locked with
``SELECT … FOR UPDATE SKIP LOCKED`` (another watcher taking sources at the same moment skips it instead
of waiting), found still due and not leased by a live watcher, and marked with the watcher's id and an
expiry. The watcher renews its leases while it polls (:func:`renew_leases`) and releases each source
with the source's state (:func:`release_lease`, in the same transaction as :func:`save`). A watcher
that dies stops renewing: once its lease has expired, another watcher takes the source over. Times of
leases are the database's clock, so that the watchers' clocks need not agree.

The per-host interval holds across watchers through :func:`host_turn`: each request to a host first
reserves the next free slot of that host in ``host_turns`` (a row lock serialises the watchers), and
waits until it. The watchers store their reports one write transaction at a time, as every writer of a
PostgreSQL store does (:meth:`Store.begin <eventledger.store.db.Store.begin>` takes the store's write
lock); their lease and turn bookkeeping does not wait for it (``begin(serial=False)``). On SQLite (one machine, one writer at a time: ``BEGIN IMMEDIATE``) the
same leases serialise the watchers without ``SKIP LOCKED``, and the per-host interval is kept in the
process.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Float, Table, cast, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from eventledger.sources.archive import payload_of
from eventledger.sources.collect import Collected, SourceState, Validators
from eventledger.sources.config import SourceSpec
from eventledger.store import queries, writer
from eventledger.store.schema import archive, host_turns, http_cache, seen_items, sources

DEFAULT_LEASE_S = 300.0  # a dead watcher's sources are taken over after this long
LEASE_CHUNK = 500  # source names per IN (...) list


def upsert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> None:
    """Insert or update rows by primary key, on SQLite and PostgreSQL alike.

    Rows are written in key order, so that two watchers writing the same rows lock them in the same
    order (never a deadlock)."""
    if not rows:
        return
    ins = pg_insert(table) if conn.dialect.name == "postgresql" else sqlite_insert(table)
    cols = [c for c in rows[0] if c not in keys]
    stmt = ins.on_conflict_do_update(index_elements=list(keys), set_={c: ins.excluded[c] for c in cols})
    conn.execute(stmt, sorted(rows, key=lambda r: tuple(str(r[k]) for k in keys)))


def register(conn: Connection, specs: Iterable[SourceSpec]) -> None:
    """Record the configured sources and their outlets' stances (claim statuses follow).

    An upsert in name order: watchers starting at once register the same sources without an
    IntegrityError or a deadlock."""
    specs = list(specs)
    now = writer.now()
    rows = [
        {
            "name": s.name,
            "kind": s.kind,
            "url": s.url,
            "outlet": s.outlet,
            "lang": s.lang,
            "interval_s": s.interval_s,
            "updated_at": now,
        }
        for s in {s.name: s for s in specs}.values()
    ]
    upsert(conn, sources, rows, ["name"])  # a new row's counters and origin: their defaults
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


def is_due(spec: SourceSpec, row: Any | None, now: dt.datetime) -> bool:
    at = next_check(spec, row)
    return at is None or at <= now


def due(conn: Connection, specs: Sequence[SourceSpec], now: dt.datetime | None = None) -> list[SourceSpec]:
    """Sources whose interval has passed since they were last checked (failing ones back off)."""
    now = now or writer.now()
    rows = {r.name: r for r in conn.execute(select(sources))}
    return [s for s in specs if is_due(s, rows.get(s.name), now)]


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


# --- several watchers: leases on sources, per-host turns ---------------------------------------------
def watcher_id() -> str:
    """A name for this watcher, unique among the watchers of a store: host, process, a random part."""
    return f"{writer.this_host()[:90]}:{os.getpid()}:{secrets.token_hex(4)}"


def db_now(conn: Connection) -> dt.datetime:
    """Now (naive UTC) by the database's clock on PostgreSQL, so that watchers on machines whose clocks
    differ agree on when a lease expires; this machine's clock on SQLite (one machine)."""
    if conn.dialect.name == "postgresql":
        value: dt.datetime = conn.execute(text("SELECT timezone('UTC', clock_timestamp())")).scalar_one()
        return value
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def take_leases(
    conn: Connection,
    specs: Sequence[SourceSpec],
    owner: str,
    lease_s: float,
    n: int,
    *,
    due_only: bool = True,
) -> tuple[list[SourceSpec], list[str]]:
    """Take the lease of up to ``n`` of ``specs`` for watcher ``owner``, for ``lease_s`` seconds.

    A source is taken when it is registered, not paused, not leased by a live watcher (no lease, or an
    expired one) and, with ``due_only``, still due: its row, locked here (``FOR UPDATE SKIP LOCKED`` on
    PostgreSQL: a row another watcher is taking is skipped, not waited for), is read as the other
    watchers last wrote it. Returns the sources taken, and the names found no longer due (another
    watcher polled them since the caller listed them). Commit to make the leases visible."""
    now = db_now(conn)
    free = or_(sources.c.lease_owner.is_(None), sources.c.lease_expires <= now)
    by_name = {s.name: s for s in specs}
    left = list(by_name)
    taken: list[SourceSpec] = []
    stale: list[str] = []
    while len(taken) < n and left:
        chunk, want = left[:LEASE_CHUNK], n - len(taken)
        rows = conn.execute(
            select(sources)
            .where(sources.c.name.in_(chunk), sources.c.paused.is_(False), free)
            .order_by(sources.c.last_checked.is_not(None), sources.c.last_checked, sources.c.name)
            .limit(want)
            .with_for_update(skip_locked=True)
        ).all()
        for r in rows:
            spec = by_name[r.name]
            if due_only and not is_due(spec, r, now):
                stale.append(r.name)
            else:
                taken.append(spec)
        if len(rows) < want:  # nothing more to take in this chunk
            left = left[LEASE_CHUNK:]
        else:  # as many as asked, some no longer due: ask this chunk again without them
            seen = {r.name for r in rows}
            left = [name for name in left if name not in seen]
    expires = now + dt.timedelta(seconds=lease_s)
    for i in range(0, len(taken), LEASE_CHUNK):
        conn.execute(
            update(sources)
            .where(sources.c.name.in_([s.name for s in taken[i : i + LEASE_CHUNK]]))
            .values(lease_owner=owner, lease_taken_at=now, lease_expires=expires)
        )
    return taken, stale


def renew_leases(conn: Connection, owner: str, lease_s: float) -> list[str]:
    """Extend every lease ``owner`` holds by ``lease_s`` seconds from now; the names still held (a lease
    taken over by another watcher after it expired is not this watcher's any more)."""
    now = db_now(conn)
    held = list(
        conn.execute(  # locked in name order, as register() locks them: never a deadlock
            select(sources.c.name)
            .where(sources.c.lease_owner == owner)
            .order_by(sources.c.name)
            .with_for_update()
        ).scalars()
    )
    if held:
        conn.execute(
            update(sources)
            .where(sources.c.lease_owner == owner)
            .values(lease_expires=now + dt.timedelta(seconds=lease_s))
        )
    return held


def release_lease(conn: Connection, owner: str, names: Sequence[str] | None = None) -> None:
    """Release ``owner``'s leases on ``names`` (all of them with None); another watcher's are kept."""
    mine = sources.c.lease_owner == owner
    if names is None:  # locked in name order first, as renew_leases() does
        names = list(
            conn.execute(
                select(sources.c.name).where(mine).order_by(sources.c.name).with_for_update()
            ).scalars()
        )
    for i in range(0, len(names), LEASE_CHUNK):
        conn.execute(
            update(sources)
            .where(mine, sources.c.name.in_(list(names[i : i + LEASE_CHUNK])))
            .values(lease_owner=None, lease_taken_at=None, lease_expires=None)
        )


def host_turn(conn: Connection, host: str, interval: float) -> float:
    """Reserve the next request slot of ``host`` for all the watchers of this (PostgreSQL) store: the
    seconds to wait before the request may start.

    One ``UPDATE … RETURNING`` on the host's row: the row lock serialises the watchers, and the slot is
    ``max(next free slot, now)`` by the database's clock, the next free slot moved ``interval`` on."""
    now_s = cast(func.extract("epoch", func.clock_timestamp()), Float)
    stmt = (
        update(host_turns)
        .where(host_turns.c.host == host)
        .values(next_request_at=func.greatest(host_turns.c.next_request_at, now_s) + interval)
        .returning(host_turns.c.next_request_at, now_s)
    )
    row = conn.execute(stmt).first()
    if row is None:
        conn.execute(pg_insert(host_turns).values(host=host, next_request_at=0.0).on_conflict_do_nothing())
        row = conn.execute(stmt).one()
    return max(0.0, float(row[0]) - interval - float(row[1]))
