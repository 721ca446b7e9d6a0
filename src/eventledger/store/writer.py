"""Writes to the store: runs, documents, mentions, events, outlets.

All functions take an open :class:`~sqlalchemy.Connection` inside a transaction; the caller
decides what is atomic (the ingest pipeline writes one batch of documents with their mentions
and events per transaction).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Date,
    MetaData,
    String,
    Table,
    bindparam,
    delete,
    distinct,
    func,
    insert,
    or_,
    select,
    text,
    update,
)

from eventledger.aggregate.periods import jalali_iso, month_key
from eventledger.extract.codebook import DEFAULT_CODEBOOK, codebook_id
from eventledger.normalize.days import local_date
from eventledger.normalize.document import printable
from eventledger.normalize.redact import REDACTION_RULES, redact_url
from eventledger.outlets import Outlet
from eventledger.records import Document, Mention, RecordError
from eventledger.resolve.events import (
    EventState,
    best_date,
    claim_status,
    majority,
    resolve_batch,
)
from eventledger.store import bulk, search
from eventledger.store.queries import load_stances
from eventledger.store.schema import (
    documents,
    dropped_candidates,
    events,
    mentions,
    outlets,
    run_errors,
    runs,
)
from eventledger.store.summary import (
    adjust_daily,
    apply_daily,
    contributions_of,
    event_keys,
    grow_daily,
    new_outlet_pairs,
)

CHUNK = 500  # bound parameters per IN (...) list


def utc_naive(t: dt.datetime) -> dt.datetime:
    return t.astimezone(dt.UTC).replace(tzinfo=None) if t.tzinfo else t


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def chunks(seq: Sequence[Any], n: int = CHUNK) -> Iterable[Sequence[Any]]:
    """``seq`` in slices of ``n`` (SQL ``IN`` lists kept under the drivers' parameter limits)."""
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


def allocate_ids(conn: Connection, table: Table, n: int) -> list[int]:
    """``n`` new primary keys for ``table``, reserved for this transaction.

    Inserting with ids chosen in advance lets the driver insert thousands of rows in one
    ``executemany`` (a ``RETURNING`` insert goes row by row on SQLite). On SQLite the write
    transaction holds the database lock (see :meth:`Store.begin`); on PostgreSQL the ids come
    from the table's sequence.
    """
    if n <= 0:
        return []
    if conn.dialect.name == "postgresql":
        seq = f"{table.name}_id_seq"
        rows = conn.exec_driver_sql(f"SELECT nextval('{seq}') FROM generate_series(1, {int(n)})")
        return [int(r[0]) for r in rows]
    top = conn.execute(select(func.max(table.c.id))).scalar_one() or 0
    return list(range(top + 1, top + 1 + n))


# --- runs ----------------------------------------------------------------------------------------
def this_host() -> str:
    return socket.gethostname()[:255]


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` of this machine exists (True when that cannot be told)."""
    if os.name != "posix":  # os.kill(pid, 0) would terminate it on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):  # another user's process; an odd pid
        return True
    return True


def dead_runs(conn: Connection) -> list[int]:
    """The runs still ``running`` whose process is gone.

    A run records the host and pid of the process that started it; a run of this host whose pid no
    longer exists was killed (a finished or failed run records its status itself).  Runs of another
    host, and runs stored before hosts were recorded, cannot be checked here and are left as they are.
    """
    rows = conn.execute(
        select(runs.c.id, runs.c.pid).where(
            runs.c.status == "running", runs.c.host == this_host(), runs.c.pid.is_not(None)
        )
    ).all()
    return [r.id for r in rows if r.pid != os.getpid() and not process_alive(r.pid)]


def mark_interrupted(conn: Connection) -> list[int]:
    """Mark ``interrupted`` the runs whose process is gone (:func:`dead_runs`); returns their ids."""
    gone = dead_runs(conn)
    if gone:
        conn.execute(
            update(runs)
            .where(runs.c.id.in_(gone), runs.c.status == "running")
            .values(status="interrupted", finished_at=now())
        )
    return gone


def start_run(conn: Connection, command: str, params: Mapping[str, Any], versions: Mapping[str, Any]) -> int:
    mark_interrupted(conn)
    res = conn.execute(
        insert(runs).values(
            command=command,
            started_at=now(),
            status="running",
            params=dict(params),
            versions=dict(versions),
            n_errors=0,
            host=this_host(),
            pid=os.getpid(),
        )
    )
    return int(res.inserted_primary_key[0])  # type: ignore[index]


def finish_run(conn: Connection, run_id: int, counts: Mapping[str, Any], status: str = "ok") -> None:
    n_err = conn.execute(
        select(func.count()).select_from(run_errors).where(run_errors.c.run_id == run_id)
    ).scalar_one()
    conn.execute(
        update(runs)
        .where(runs.c.id == run_id)
        .values(finished_at=now(), status=status, counts=dict(counts), n_errors=n_err)
    )


def add_errors(conn: Connection, run_id: int, errors: Sequence[RecordError]) -> None:
    """Store record errors; what cannot be stored as text (a lone surrogate of a file name) is escaped."""
    if errors:
        conn.execute(
            insert(run_errors),
            [
                {
                    "run_id": run_id,
                    "origin": printable(e.origin),
                    "kind": e.kind[:40],
                    "message": printable(e.message[:2000]),
                }
                for e in errors
            ],
        )


# --- outlets -------------------------------------------------------------------------------------
def _insert_outlets(conn: Connection, rows: Sequence[dict[str, Any]], *, update_existing: bool) -> None:
    """Insert outlet rows; a name another writer inserted meanwhile is updated (``update_existing``)
    or left as it is, never an IntegrityError."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert  # type: ignore[assignment]
    stmt = dialect_insert(outlets)
    if update_existing:
        changed = {c: stmt.excluded[c] for c in ("stance", "actor", "lang", "updated_at")}
        conn.execute(stmt.on_conflict_do_update(index_elements=["name"], set_=changed), rows)
    else:
        conn.execute(stmt.on_conflict_do_nothing(index_elements=["name"]), rows)


def upsert_outlets(conn: Connection, items: Iterable[Outlet]) -> int:
    """Insert or update outlets; returns how many changed. Claim statuses are refreshed by the caller."""
    current = load_stances(conn)
    changed = 0
    new_rows: dict[str, dict[str, Any]] = {}
    for o in items:
        old = current.get(o.name)
        if old == o:
            continue
        values = {"stance": o.stance, "actor": o.actor, "lang": o.lang, "updated_at": now()}
        if old is None or o.name in new_rows:
            new_rows[o.name] = {"name": o.name, **values}
        else:
            conn.execute(update(outlets).where(outlets.c.name == o.name).values(**values))
        current[o.name] = o
        changed += 1
    _insert_outlets(conn, list(new_rows.values()), update_existing=True)
    return changed


def ensure_outlets(conn: Connection, names: Iterable[str], known: dict[str, Outlet]) -> None:
    """Register outlets seen for the first time with stance ``unknown``; ``known`` learns them.

    ``known`` may be older than the store (it is loaded when a run starts, and another process may
    have registered an outlet since): the outlets the store already holds are read back with their
    stances, and an insert that meets one registered at the same moment leaves it as it is.
    """
    new = sorted({n for n in names if n not in known})
    for part in chunks(new):
        rows = conn.execute(
            select(outlets.c.name, outlets.c.stance, outlets.c.actor, outlets.c.lang).where(
                outlets.c.name.in_(part)
            )
        )
        known.update({r.name: Outlet(r.name, r.stance, r.actor, r.lang) for r in rows})
    missing = [n for n in new if n not in known]
    _insert_outlets(
        conn,
        [{"name": n, "stance": "unknown", "actor": None, "lang": None, "updated_at": now()} for n in missing],
        update_existing=False,
    )
    known.update({n: Outlet(n) for n in missing})


# --- documents -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Known:
    """What the store already holds for an incoming document."""

    status: str  # "new" | "duplicate" | "changed"
    previous_id: int | None = None  # the current version, for "changed"
    previous_version: int = 0


def classify_documents(conn: Connection, docs: Sequence[Document]) -> list[Known]:
    """For each document: new, a duplicate (same text), or a changed version (same outlet + id, new text)."""
    seen_hash: set[str] = set()
    for part in chunks([d.content_hash for d in docs]):
        seen_hash.update(
            conn.execute(select(documents.c.content_hash).where(documents.c.content_hash.in_(part))).scalars()
        )
    current: dict[tuple[str, str], tuple[int, int]] = {}
    for part in chunks([d.external_id for d in docs if d.external_id]):
        rows = conn.execute(
            select(documents.c.id, documents.c.outlet, documents.c.external_id, documents.c.version).where(
                documents.c.external_id.in_(part), documents.c.current.is_(True)
            )
        )
        current.update({(r.outlet, r.external_id): (r.id, r.version) for r in rows})
    out = []
    for d in docs:
        prev = current.get((d.outlet, d.external_id)) if d.external_id else None
        if d.content_hash in seen_hash:
            out.append(Known("duplicate"))
        elif prev is not None:
            out.append(Known("changed", prev[0], prev[1]))
        else:
            out.append(Known("new"))
    return out


INACTIVE = ("rejected", "superseded")  # review states of mentions that no longer count


def supersede(
    conn: Connection, document_ids: Sequence[int], stances: Mapping[str, Outlet], run_id: int
) -> int:
    """Retire earlier versions of changed reports.

    Their mentions stop counting (kept, marked ``superseded``); events left with no counting
    mention are removed, the others recomputed. Returns how many events were removed.
    """
    if not document_ids:
        return 0
    for part in chunks(list(document_ids)):
        conn.execute(update(documents).where(documents.c.id.in_(part)).values(current=False))
    ids = retire_mentions(conn, document_ids)
    adjust_daily(conn, ids, -1)  # marking mentions superseded changed no event row yet
    removed = settle_events(conn, ids, stances, run_id)
    gone = set(removed)
    adjust_daily(conn, [e for e in ids if e not in gone], +1)
    return len(removed)


def retire_mentions(conn: Connection, document_ids: Sequence[int], codebook: str | None = None) -> list[int]:
    """Mark every mention of these documents ``superseded`` (kept, no longer counted); with
    ``codebook`` (an id), only the mentions that codebook coded.

    Used for an earlier version of a changed report and for a report re-coded by ``recode`` (which
    replaces its own codebook's mentions only). Returns the events those mentions belonged to; the
    caller settles them (:func:`settle_events`).
    """
    touched: set[int] = set()
    for part in chunks(list(document_ids)):
        which = [mentions.c.document_id.in_(part)]
        if codebook is not None:
            which.append(mentions.c.codebook.like(f"{codebook}@%"))
        found = conn.execute(select(mentions.c.event_id).where(*which)).scalars()
        touched.update(e for e in found if e is not None)
        conn.execute(
            update(mentions)
            .where(*which, mentions.c.review_status != "superseded")
            .values(review_status="superseded")
        )
    return sorted(touched)


def settle_events(
    conn: Connection,
    event_ids: Iterable[int],
    stances: Mapping[str, Outlet],
    run_id: int,
    *,
    keep: Iterable[int] = (),
) -> list[int]:
    """After mentions were retired or moved: events left with no counting mention are removed
    (except those in ``keep``), the others recomputed. Returns the removed ids, ascending.

    The daily counts are the caller's (see :func:`supersede`).
    """
    ids = sorted(set(event_ids))
    alive: set[int] = set(keep)
    for part in chunks(ids):
        active = select(mentions.c.event_id).where(
            mentions.c.event_id.in_(part), mentions.c.review_status.not_in(INACTIVE)
        )
        alive.update(conn.execute(active).scalars())
    dead = [e for e in ids if e not in alive]
    for part in chunks(dead):
        conn.execute(update(mentions).where(mentions.c.event_id.in_(part)).values(event_id=None))
        conn.execute(delete(events).where(events.c.id.in_(part)))
    refresh_events(conn, [e for e in ids if e in alive], stances, run_id)
    return dead


def stale_redaction(conn: Connection) -> bool:
    """Whether some document's URL and shown id were redacted under older rules (or never)."""
    stale = or_(documents.c.redaction.is_(None), documents.c.redaction != REDACTION_RULES)
    return conn.execute(select(documents.c.id).where(stale).limit(1)).first() is not None


def refresh_redaction(conn: Connection, *, batch: int = 5000) -> int:
    """Redact the URL and external id of every document stored under older redaction rules (or
    before they were stored redacted) again under the current ones; returns the number of rows
    brought up to date. Each URL is redacted again in place (the raw URL stays in the archive only)."""
    stale = or_(documents.c.redaction.is_(None), documents.c.redaction != REDACTION_RULES)
    done = 0
    last = 0
    while True:
        rows = conn.execute(
            select(documents.c.id, documents.c.external_id, documents.c.url)
            .where(stale, documents.c.id > last)
            .order_by(documents.c.id)
            .limit(batch)
        ).all()
        if not rows:
            return done
        conn.execute(
            update(documents)
            .where(documents.c.id == bindparam("b_id"))
            .values(shown_id=bindparam("b_shown"), url=bindparam("b_url"), redaction=REDACTION_RULES),
            [{"b_id": r.id, "b_shown": redact_url(r.external_id), "b_url": redact_url(r.url)} for r in rows],
        )
        done += len(rows)
        last = rows[-1].id


def insert_documents(
    conn: Connection,
    docs: Sequence[Document],
    n_mentions: Sequence[int],
    run_id: int,
    versions: Sequence[int] | None = None,
) -> list[int]:
    ts = now()
    versions = versions or [1] * len(docs)
    rows = [
        {
            "outlet": d.outlet,
            "external_id": d.external_id,
            "url": d.url,
            "published": utc_naive(d.published),
            "published_local": local_date(d.published),
            "lang": d.lang,
            "lang_detected": d.lang_detected,
            "title": d.title,
            "text": d.text,
            "content_hash": d.content_hash,
            "origin": d.origin,
            "n_mentions": n,
            "run_id": run_id,
            "ingested_at": ts,
            "version": v,
            "current": True,
            "source": d.source,
            "fetched_at": utc_naive(d.fetched_at) if d.fetched_at else None,
            "http_status": d.http_status,
            "archive_record": d.archive_record,
            "shown_id": redact_url(d.external_id),
            "redaction": REDACTION_RULES,
        }
        for d, n, v in zip(docs, n_mentions, versions, strict=True)
    ]
    if not rows:
        return []
    ids = allocate_ids(conn, documents, len(rows))
    for row, i in zip(rows, ids, strict=True):
        row["id"] = i
    bulk.insert_rows(conn, documents, rows)
    return ids


# --- mentions and events ---------------------------------------------------------------------------
@dataclass
class ResolveCounts:
    new_events: int = 0
    merged_mentions: int = 0
    reused_events: int = 0  # new events that took over the id of an excluded one (recode)


def _place_cols(m: Mention) -> dict[str, Any]:
    p = m.place
    return {
        "place_key": m.place_key,
        "place_name": p.name if p else None,
        "country": p.country if p else None,
        "admin1": p.admin1 if p else None,
        "lat": p.lat if p else None,
        "lon": p.lon if p else None,
        "place_precision": p.precision if p else "unknown",
    }


def _date_cols(day: dt.date, precision: str) -> dict[str, Any]:
    return {
        "date": day,
        "date_precision": precision,
        "date_jalali": jalali_iso(day),
        "jalali_month": month_key(day, "jalali"),
        "greg_month": month_key(day, "gregorian"),
    }


# Keys of the batch being resolved, joined against the events index (subtype, place_key, date).
_keys_meta = MetaData()
_batch_keys = Table(
    "eventledger_batch_keys",
    _keys_meta,
    Column("subtype", String(40)),
    Column("place_key", String(40)),
    Column("lo", Date),
    Column("hi", Date),
    prefixes=["TEMPORARY"],
)


# the stored events a batch's keys may join (see _candidates). The batch's keys drive the join: SQLite
# keeps the order of a CROSS JOIN, and left to itself scanned every event of the store against an
# automatic index of the keys, a cost that grew with the store (34 ms a batch at 22,000 events, 0.6-1.1 s
# at 558,500; 10-14 ms this way, at any size); PostgreSQL plans a CROSS JOIN like any other join.
CANDIDATES = (
    "SELECT DISTINCT e.id, e.subtype, e.place_key, e.date, e.date_precision, e.merged_into "
    "FROM eventledger_batch_keys AS k CROSS JOIN events AS e WHERE e.subtype = k.subtype "
    "AND e.place_key = k.place_key AND e.date BETWEEN k.lo AND k.hi AND e.codebook = :codebook"
)


def _candidates(
    conn: Connection, batch: Sequence[Mention], codebook: str, exclude: Collection[int] = ()
) -> dict[tuple[str, str], list[EventState]]:
    """Stored events of ``codebook`` that mentions of the batch may join: same subtype and place,
    within a day (never those in ``exclude``)."""
    index: dict[tuple[str, str], list[EventState]] = defaultdict(list)
    if not batch:
        return index
    one = dt.timedelta(days=1)
    keys = {(m.subtype, m.place_key, m.date) for m in batch}
    _batch_keys.create(conn, checkfirst=True)
    conn.execute(delete(_batch_keys))
    bulk.insert_rows(
        conn, _batch_keys, [{"subtype": s, "place_key": p, "lo": d - one, "hi": d + one} for s, p, d in keys]
    )
    cols = (
        events.c.id,
        events.c.subtype,
        events.c.place_key,
        events.c.date,
        events.c.date_precision,
        events.c.merged_into,
    )
    rows = conn.execute(text(CANDIDATES).bindparams(codebook=codebook).columns(*cols))
    for r in rows:
        if (r.merged_into or r.id) in exclude or r.id in exclude:
            continue
        # a new report of an event a coder merged into another joins the one it was merged into
        index[(r.subtype, r.place_key)].append(
            EventState(r.subtype, r.place_key, r.date, r.date_precision, r.merged_into or r.id)
        )
    conn.execute(delete(_batch_keys))
    return index


@dataclass(frozen=True, slots=True)
class Placed:
    """A coded mention with the stored document it came from."""

    doc_id: int
    outlet: str
    published: dt.datetime  # UTC, naive
    mention: Mention


def mention_row(
    b: Placed, event_id: int | None, run_id: int, review_status: str = "machine"
) -> dict[str, Any]:
    """The ``mentions`` row of a placed mention."""
    m = b.mention
    return {
        "document_id": b.doc_id,
        "event_id": event_id,
        "outlet": b.outlet,
        "field": m.field,
        "sent_start": m.sent_start,
        "sent_end": m.sent_end,
        "trig_start": m.trig_start,
        "trig_end": m.trig_end,
        "sentence": m.sentence,
        "trigger": m.trigger,
        "category": m.category,
        "subtype": m.subtype,
        "date": m.date,
        "date_precision": m.date_precision,
        "date_text": m.date_text,
        **_place_cols(m),
        "place_text": m.place_text,
        "quantity": m.quantity,
        "actor": m.actor,
        "claimant": m.claimant,
        "target": m.target,
        "confidence": m.confidence,
        "flags": ",".join(m.flags),
        "coder": m.coder,
        "codebook": m.codebook,
        "model_version": m.model_version,
        "review_status": review_status,
        "run_id": run_id,
    }


def insert_mentions(conn: Connection, items: Sequence[tuple[Placed, int, str]], run_id: int) -> None:
    """Store mentions already assigned to an event, with their review status (``recode`` re-applying
    a coder's decision); the caller refreshes the events and the daily counts."""
    search.insert_mentions(conn, [mention_row(b, eid, run_id, status) for b, eid, status in items])


def _aggregate(
    rows: Sequence[tuple[dt.date, str, int | None, str | None, float, int, str, dt.datetime]],
    stances: Mapping[str, Outlet],
) -> dict[str, Any]:
    """Event columns from its mentions: (date, precision, quantity, actor, confidence, doc id, outlet, published)."""
    day, precision = best_date((r[0], r[1]) for r in rows)
    quantities = [r[2] for r in rows if r[2] is not None]
    return {
        **_date_cols(day, precision),
        "quantity": max(quantities) if quantities else None,
        "actor": majority(r[3] for r in rows),
        "claim_status": claim_status((r[6] for r in rows), stances),
        "n_sources": len({r[5] for r in rows}),
        "n_mentions": len(rows),
        "confidence": max(r[4] for r in rows),
        "first_published": min(r[7] for r in rows),
    }


# for a new event (its state and its mentions), the id of an excluded stored event to take over
Reuse = Callable[[EventState, Sequence[Placed]], int | None]


def attach_mentions(
    conn: Connection,
    batch: Sequence[Placed],
    run_id: int,
    stances: Mapping[str, Outlet],
    *,
    exclude: set[int] | None = None,
    reuse: Reuse | None = None,
) -> ResolveCounts:
    """Resolve mentions into events, store them, and refresh the stored events they join.

    ``exclude``: stored events no mention may join (``recode``: events whose every mention was
    re-coded). ``reuse`` may give a new event the id of one of them: that row is overwritten
    with the new event (and leaves ``exclude``); the caller has taken the excluded events out of
    the daily counts.
    """
    books = sorted({codebook_id(b.mention.codebook) for b in batch})
    if len(books) > 1:  # each codebook's mentions resolve into that codebook's events only
        total = ResolveCounts()
        for book in books:
            part = [b for b in batch if codebook_id(b.mention.codebook) == book]
            c = attach_mentions(conn, part, run_id, stances, exclude=exclude, reuse=reuse)
            total.new_events += c.new_events
            total.merged_mentions += c.merged_mentions
            total.reused_events += c.reused_events
        return total
    book = books[0] if books else DEFAULT_CODEBOOK
    counts = ResolveCounts()
    ms = [b.mention for b in batch]
    resolution = resolve_batch(ms, _candidates(conn, ms, book, exclude or ()))
    assigned, new_states = resolution.assigned, resolution.new
    counts.merged_mentions = resolution.merged_mentions
    if new_states:
        rows = []
        for ev in new_states:
            first = ms[ev.new_mentions[0]]
            members = [batch[i] for i in ev.new_mentions]
            agg = _aggregate(
                [
                    (
                        b.mention.date,
                        b.mention.date_precision,
                        b.mention.quantity,
                        b.mention.actor,
                        b.mention.confidence,
                        b.doc_id,
                        b.outlet,
                        b.published,
                    )
                    for b in members
                ],
                stances,
            )
            rows.append(
                {
                    "codebook": book,
                    "category": first.category,
                    "subtype": first.subtype,
                    **_place_cols(first),
                    "place_name_fa": first.place.name_fa if first.place else None,
                    **agg,
                    "review_status": "machine",
                    "created_run": run_id,
                    "updated_run": run_id,
                }
            )
        counts.reused_events = _store_new_events(conn, new_states, rows, batch, exclude, reuse)
        counts.new_events = len(new_states) - counts.reused_events
    mention_rows = []
    for b, ev in zip(batch, assigned, strict=True):
        assert ev is not None and ev.id is not None
        mention_rows.append(mention_row(b, ev.id, run_id))
    # events stored by earlier batches that gained mentions are recomputed from all their mentions;
    # the daily counts lose what they counted before and gain what they count after
    fresh = {id(ev) for ev in new_states}
    touched = sorted(
        {ev.id for ev in assigned if ev is not None and ev.id is not None and id(ev) not in fresh}
    )
    before = event_keys(conn, touched)
    added = new_outlet_pairs(
        conn,
        (
            (b.outlet, ev.id)
            for b, ev in zip(batch, assigned, strict=True)
            if ev is not None and ev.id in before
        ),
    )
    search.insert_mentions(conn, mention_rows)
    refresh_events(conn, touched, stances, run_id)
    grow_daily(conn, before, event_keys(conn, touched), added)
    if new_states:
        outs = [{batch[i].outlet for i in ev.new_mentions} for ev in new_states]
        apply_daily(conn, contributions_of(rows, outs), +1)
    return counts


def _store_new_events(
    conn: Connection,
    new_states: Sequence[EventState],
    rows: Sequence[dict[str, Any]],
    batch: Sequence[Placed],
    exclude: set[int] | None,
    reuse: Reuse | None,
) -> int:
    """Insert the rows of new events (ids set on states and rows); returns how many took over an
    excluded event's id (their row is overwritten instead)."""
    taken: dict[int, int] = {}  # index in new_states → reused event id
    if reuse is not None and exclude:
        for k, ev in enumerate(new_states):
            old = reuse(ev, [batch[i] for i in ev.new_mentions])
            if old is not None and old in exclude:
                exclude.discard(old)
                taken[k] = old
    ids = iter(allocate_ids(conn, events, len(rows) - len(taken)))
    fresh_rows = []
    for k, (ev, row) in enumerate(zip(new_states, rows, strict=True)):
        ev.id = row["id"] = taken[k] if k in taken else next(ids)
        if k in taken:
            values = {c: v for c, v in row.items() if c not in ("id", "created_run")}
            conn.execute(update(events).where(events.c.id == ev.id).values(**values, merged_into=None))
        else:
            fresh_rows.append(row)
    if fresh_rows:
        bulk.insert_rows(conn, events, fresh_rows)
    return len(taken)


def refresh_events(
    conn: Connection, event_ids: Sequence[int], stances: Mapping[str, Outlet], run_id: int | None = None
) -> None:
    """Recompute date, sources, claim status, quantity, actor and confidence of events from their mentions.

    The counting is done by the database (grouped queries over the mentions index), so that an event
    reported thousands of times costs a few aggregate rows here, not thousands of mention rows.
    """
    active = mentions.c.review_status.not_in(INACTIVE)
    for part in chunks(list(event_ids)):
        in_part = mentions.c.event_id.in_(part)
        joined = mentions.join(documents, documents.c.id == mentions.c.document_id)
        totals = {
            r.event_id: r
            for r in conn.execute(
                select(
                    mentions.c.event_id,
                    func.count().label("n"),
                    func.count(distinct(mentions.c.document_id)).label("docs"),
                    func.max(mentions.c.confidence).label("conf"),
                    func.max(mentions.c.quantity).label("qty"),
                    func.min(documents.c.published).label("first"),
                )
                .select_from(joined)
                .where(in_part, active)
                .group_by(mentions.c.event_id)
            )
        }
        if not totals:  # no active mention left: nothing to recompute
            continue
        dates: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
        for r in conn.execute(
            select(mentions.c.event_id, mentions.c.date, mentions.c.date_precision)
            .distinct()
            .where(in_part, active)
        ):
            dates[r.event_id].append((r.date, r.date_precision))
        outlets: dict[int, set[str]] = defaultdict(set)
        for o in conn.execute(
            select(mentions.c.event_id, documents.c.outlet)
            .distinct()
            .select_from(joined)
            .where(in_part, active)
        ):
            outlets[o.event_id].add(o.outlet)
        actors: dict[int, Counter[str]] = defaultdict(Counter)
        for a in conn.execute(
            select(mentions.c.event_id, mentions.c.actor, func.count().label("n"))
            .where(in_part, active, mentions.c.actor.is_not(None))
            .group_by(mentions.c.event_id, mentions.c.actor)
        ):
            actors[a.event_id][a.actor] = a.n
        # the date and the confidence lead several indexes of the events: an UPDATE that sets them
        # rewrites those index entries even with the same values, so they are set only where they
        # change (most refreshes add a source to an event whose day stays)
        current = {
            r.id: r
            for r in conn.execute(
                select(events.c.id, events.c.date, events.c.date_precision, events.c.confidence).where(
                    events.c.id.in_(list(totals))
                )
            )
        }
        groups: dict[tuple[bool, bool], list[dict[str, Any]]] = defaultdict(list)
        for eid, t in totals.items():
            day, precision = best_date(dates[eid])
            values: dict[str, Any] = {
                "b_id": eid,
                "quantity": t.qty,
                "actor": majority(actors[eid].elements()) if actors[eid] else None,
                "claim_status": claim_status(outlets[eid], stances),
                "n_sources": t.docs,
                "n_mentions": t.n,
                "first_published": t.first,
            }
            if run_id is not None:
                values["updated_run"] = run_id
            now_row = current.get(eid)
            new_day = now_row is None or (now_row.date, now_row.date_precision) != (day, precision)
            new_conf = now_row is None or now_row.confidence != t.conf
            if new_day:
                values.update(_date_cols(day, precision))
            if new_conf:
                values["confidence"] = t.conf
            groups[(new_day, new_conf)].append(values)
        for rows in groups.values():
            cols = [k for k in rows[0] if k != "b_id"]
            stmt = (
                update(events).where(events.c.id == bindparam("b_id")).values({c: bindparam(c) for c in cols})
            )
            conn.execute(stmt, rows)


def refresh_claims(conn: Connection, stances: Mapping[str, Outlet]) -> int:
    """Recompute the claim status of every event (after outlet stances change); returns how many changed."""
    changed = 0
    last = 0
    while True:
        ids = (
            conn.execute(select(events.c.id).where(events.c.id > last).order_by(events.c.id).limit(5000))
            .scalars()
            .all()
        )
        if not ids:
            return changed
        last = ids[-1]
        rows = conn.execute(
            select(mentions.c.event_id, documents.c.outlet, events.c.claim_status)
            .join(documents, documents.c.id == mentions.c.document_id)
            .join(events, events.c.id == mentions.c.event_id)
            .where(mentions.c.event_id.between(ids[0], ids[-1]), mentions.c.review_status.not_in(INACTIVE))
        ).all()
        by_event: dict[int, set[str]] = defaultdict(set)
        current: dict[int, str] = {}
        for r in rows:
            by_event[r.event_id].add(r.outlet)
            current[r.event_id] = r.claim_status
        updates = []
        for eid, outs in by_event.items():
            status = claim_status(outs, stances)
            if status != current[eid]:
                updates.append({"b_id": eid, "claim_status": status})
        if updates:
            changed_ids = [int(u["b_id"]) for u in updates]
            adjust_daily(conn, changed_ids, -1)
            conn.execute(
                update(events)
                .where(events.c.id == bindparam("b_id"))
                .values(claim_status=bindparam("claim_status")),
                updates,
            )
            adjust_daily(conn, changed_ids, +1)
            changed += len(updates)


# --- dropped candidates ----------------------------------------------------------------------------
MAX_DROPPED_PER_DOCUMENT = 50  # hostile input (a report of a thousand negated triggers) stays small
_MAX_SENTENCE = 2000


def dropped_reason(m: Mention) -> tuple[str, float | None]:
    """A dropped candidate's reason (``dropped:<reason>`` flag) and the score that decided it: the gate's
    (``gate:<score>``), for a report read as off the codebook's topic its document score (``topic:<score>``),
    else its confidence."""
    reason = "unknown"
    score: float | None = m.confidence
    scores: dict[str, float] = {}
    for f in m.flags:
        if f.startswith("dropped:") and reason == "unknown":
            reason = f.removeprefix("dropped:").strip()[:40] or "unknown"
        elif f.startswith(("gate:", "topic:")):
            kind, _, value = f.partition(":")
            with contextlib.suppress(ValueError):
                scores[kind] = float(value)
    kind = "topic" if reason == "off_topic" and "topic" in scores else "gate"
    return reason, scores.get(kind, score)


def store_dropped(conn: Connection, items: Sequence[tuple[int, Sequence[Mention]]], run_id: int) -> int:
    """Store the dropped candidates of documents (at most ``MAX_DROPPED_PER_DOCUMENT`` each, the
    earliest in the text first); returns how many were stored. Never events, never counted."""
    rows = []
    for doc_id, dropped in items:
        chosen = sorted(dropped, key=lambda m: (m.field != "title", m.trig_start, m.subtype))
        for m in chosen[:MAX_DROPPED_PER_DOCUMENT]:
            reason, score = dropped_reason(m)
            rows.append(
                {
                    "document_id": doc_id,
                    "run_id": run_id,
                    "reason": reason,
                    "score": score,
                    "field": m.field,
                    "sent_start": m.sent_start,
                    "sent_end": m.sent_end,
                    "trig_start": m.trig_start,
                    "trig_end": m.trig_end,
                    "sentence": m.sentence[:_MAX_SENTENCE],
                    "trigger": m.trigger[:500],
                    "category": m.category[:40],
                    "subtype": m.subtype[:40],
                    "date": m.date,
                    "place_key": m.place_key[:40] if m.place else None,
                    "place_name": m.place.name[:200] if m.place else None,
                    "flags": ",".join(m.flags)[:200],
                    "coder": m.coder[:40],
                    "codebook": m.codebook[:80],
                    "model_version": m.model_version[:80] if m.model_version else None,
                }
            )
    if rows:
        bulk.insert_rows(conn, dropped_candidates, rows)
    return len(rows)


def clear_dropped(conn: Connection, document_ids: Sequence[int]) -> None:
    """Forget the dropped candidates of documents about to be coded again."""
    for part in chunks(list(document_ids)):
        conn.execute(delete(dropped_candidates).where(dropped_candidates.c.document_id.in_(part)))
