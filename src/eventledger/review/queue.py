"""What a coder reads: the review queue, an event's change history and the audit log."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, func, literal_column, select

from eventledger.store.queries import EventFilter, count_events, iso_z
from eventledger.store.schema import audit, audit_events, documents, events, mentions
from eventledger.store.writer import INACTIVE, chunks


def _anyhow(flt: EventFilter | None) -> EventFilter:
    # the filter's events whatever their review (the queue picks its statuses itself)
    return replace(flt or EventFilter(), review_status=None, include_retired=True)


def waiting(conn: Connection, flt: EventFilter | None = None) -> int:
    """How many events wait in the review queue: the unreviewed ones (from the daily counts) and the
    reviewed ones a recode flagged."""
    return _waiting(conn, flt, flagged_events(conn, flt))


def _waiting(conn: Connection, flt: EventFilter | None, flagged: list[Any]) -> int:
    machine = count_events(conn, replace(flt or EventFilter(), review_status="machine"))
    return machine + sum(1 for r in flagged if r.review_status != "machine")  # machine ones counted


_ORDER = (events.c.confidence, events.c.date.desc(), events.c.id)  # ix_events_review_queue's order
FLAGGED_IDS = select(events.c.id).where(events.c.review_flag.is_not(None), events.c.review_status != "merged")
# ^ every flagged event of the queue (machine ones too: they come first), from their partial index


def flagged_events(conn: Connection, flt: EventFilter | None) -> list[Any]:
    """The flagged events of the queue within ``flt``, in its order: their ids from the partial
    index of flagged events (a handful), then the rows by id. One query with the filter would let
    SQLite's planner, which has no statistics, walk the codebook's events instead."""
    anyhow = _anyhow(flt)
    rows: list[Any] = []
    for ids in chunks(list(conn.execute(FLAGGED_IDS).scalars())):
        rows += conn.execute(anyhow.apply(select(events)).where(events.c.id.in_(ids))).all()
    rows.sort(key=lambda r: (r.confidence, -r.date.toordinal(), r.id))  # _ORDER
    return rows


# a period of a month or more keeps enough of the queue that walking its index in order finds a
# page sooner than reading the period's events (from the date index) and sorting them
WALK_PERIOD_DAYS = 28


def unreviewed(
    flt: EventFilter | None, limit: int, offset: int = 0, *, dialect: str = "sqlite"
) -> Select[Any]:
    """A page of the unreviewed events nobody flagged, in the queue's order: a walk of
    ``ix_events_review_queue`` that stops at the page.

    SQLite's planner, without statistics, takes any date range for a narrow one and would rather
    read the period from a date index and sort it (0.4 s for a year at a million events); a period
    of a month or more is marked as keeping most rows (``likelihood``), so the walk is chosen.
    """
    anyhow = _anyhow(flt)
    period = anyhow.period
    hint = (
        dialect == "sqlite"
        and period is not None
        and (period.end - period.start).days + 1 >= WALK_PERIOD_DAYS
    )
    stmt = (anyhow if not hint else replace(anyhow, period=None)).apply(select(events))
    if hint and period is not None:
        stmt = stmt.where(
            func.likelihood(events.c.date.between(period.start, period.end), literal_column("0.9"))
        )
    return (
        stmt.where(events.c.review_status == "machine", events.c.review_flag.is_(None))
        .order_by(*_ORDER)
        .limit(limit)
        .offset(offset)
    )


def queue(
    conn: Connection, flt: EventFilter | None = None, *, limit: int = 50, offset: int = 0
) -> tuple[int, list[dict[str, Any]]]:
    """Events nobody has reviewed yet, and events flagged for review again (a recode that a review
    no longer fits): flagged ones first, then least confident first, newest first, each with its
    weakest mention.

    Returns the number waiting and one page of them. The flagged events (a handful) are read whole
    from their index; the unreviewed ones a page at a time in the order of ``ix_events_review_queue``.
    """
    flagged = flagged_events(conn, flt)
    rows = flagged[offset : offset + limit]
    if len(rows) < limit:
        page = unreviewed(flt, limit - len(rows), max(0, offset - len(flagged)), dialect=conn.dialect.name)
        rows += conn.execute(page).all()
    total = _waiting(conn, flt, flagged)
    ids = [r.id for r in rows]
    weakest: dict[int, Any] = {}
    if ids:
        for m in conn.execute(
            select(mentions, documents.c.outlet, documents.c.published)
            .join(documents, documents.c.id == mentions.c.document_id)
            .where(mentions.c.event_id.in_(ids), mentions.c.review_status.not_in(INACTIVE))
            .order_by(mentions.c.confidence.desc(), mentions.c.id.desc())
        ):
            weakest[m.event_id] = m  # the last one written wins: the least confident
    items = []
    for r in rows:
        weak: Any = weakest.get(r.id)
        items.append(
            {
                "event": r,
                "mention": weak,
                "flags": [f for f in (weak.flags.split(",") if weak else []) if f],
                "review_flag": r.review_flag,
            }
        )
    return total, items


def _entry(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "at": iso_z(r.at),
        "user": r.username,
        "action": r.action,
        "event_id": r.event_id,
        "target": getattr(r, "target", None),  # an admin change: "user:NAME", "source:NAME", "outlet:NAME"
        "note": r.note,
        "reverted_by": r.reverted_by,
        "before": r.before,
        "after": r.after,
    }


def history(conn: Connection, event_id: int) -> list[dict[str, Any]]:
    """Every audit entry that touched an event (merges and splits included), newest first."""
    rows = conn.execute(
        select(audit)
        .join(audit_events, audit_events.c.audit_id == audit.c.id)
        .where(audit_events.c.event_id == event_id)
        .order_by(audit.c.id.desc())
    ).all()
    return [_entry(r) for r in rows]


def audit_log(
    conn: Connection,
    *,
    limit: int = 50,
    offset: int = 0,
    user: str | None = None,
    action: str | None = None,
    target: str | None = None,
) -> tuple[int, list[dict[str, Any]]]:
    """The audit log, newest first, optionally for one user, one kind of action or one target
    (``user:NAME``, ``source:NAME``, ``outlet:NAME``; ``admin``: every admin change)."""
    conds: list[ColumnElement[bool]] = []
    if target == "admin":
        conds.append(audit.c.target.is_not(None))
    elif target:
        conds.append(audit.c.target == target)
    if user:
        conds.append(audit.c.username == user)
    if action:
        conds.append(audit.c.action == action)
    where = and_(*conds) if conds else None
    count = select(func.count()).select_from(audit)
    page = select(audit).order_by(audit.c.id.desc()).limit(limit).offset(offset)
    if where is not None:
        count, page = count.where(where), page.where(where)
    total = int(conn.execute(count).scalar_one())
    return total, [_entry(r) for r in conn.execute(page)]


def changed_fields(entry: dict[str, Any]) -> list[tuple[str, str, Any, Any]]:
    """(event id, column, before, after) for each event column the entry changed; for an admin
    change, (its target, setting, before, after)."""
    out: list[tuple[str, str, Any, Any]] = []
    if "admin" in entry["before"] or "admin" in entry["after"]:
        b_admin: dict[str, Any] = entry["before"].get("admin") or {}
        a_admin: dict[str, Any] = entry["after"].get("admin") or {}
        for key in dict.fromkeys([*b_admin, *a_admin]):
            if b_admin.get(key) != a_admin.get(key):
                out.append((str(entry.get("target") or ""), key, b_admin.get(key), a_admin.get(key)))
        return out
    skip = {"updated_run", "confidence", "first_published"}
    before: dict[str, Any] = entry["before"]["events"]
    after: dict[str, Any] = entry["after"]["events"]
    for eid in sorted(set(before) | set(after), key=int):
        b, a = before.get(eid), after.get(eid)
        if b is None or a is None:
            out.append((eid, "event", "—" if b is None else "exists", "—" if a is None else "exists"))
            continue
        for col in a:
            if col not in skip and b.get(col) != a.get(col):
                out.append((eid, col, b.get(col), a.get(col)))
    return out
