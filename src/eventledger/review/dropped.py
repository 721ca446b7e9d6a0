"""What the coder found and dropped (negated, intended, generic, no place…), for reviewers.

Dropped candidates are stored per report by the run that coded it (``dropped_candidates``); they
are never events and never counted. Only the current version of each report is listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select

from eventledger.aggregate.periods import Period, jalali_iso
from eventledger.store.queries import SHOWN_COLUMNS, iso_z, shown
from eventledger.store.schema import documents, dropped_candidates, mentions

MAX_LIMIT = 1000


def _conditions(
    period: Period | None, reason: str | None, document_ids: Sequence[int] | None
) -> list[ColumnElement[bool]]:
    c: list[ColumnElement[bool]] = [documents.c.current.is_(True)]
    if period is not None:
        c.append(documents.c.published_local.between(period.start, period.end))
    if reason:
        c.append(dropped_candidates.c.reason == reason)
    if document_ids is not None:
        c.append(dropped_candidates.c.document_id.in_(list(document_ids)))
    return c


def _item(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "document_id": r.document_id,
        "outlet": r.outlet,
        **shown(r),
        "published": iso_z(r.published),
        "run_id": r.run_id,
        "reason": r.reason,
        "score": r.score,
        "field": r.field,
        "sentence": r.sentence,
        "span": [r.sent_start, r.sent_end],
        "trigger": r.trigger,
        "trigger_span": [r.trig_start, r.trig_end],
        "category": r.category,
        "subtype": r.subtype,
        "date": r.date.isoformat() if r.date else None,
        "date_jalali": jalali_iso(r.date) if r.date else None,
        "place": r.place_name,
        "place_key": r.place_key,
        "flags": [f for f in (r.flags or "").split(",") if f],
        "coder": r.coder,
        "codebook": r.codebook,
        "model_version": r.model_version,
    }


def list_dropped(
    conn: Connection,
    *,
    period: Period | None = None,
    reason: str | None = None,
    document_ids: Sequence[int] | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[dict[str, Any]]]:
    """Dropped candidates (newest report first), and how many match."""
    limit = max(0, min(limit, MAX_LIMIT))
    joined = dropped_candidates.join(documents, documents.c.id == dropped_candidates.c.document_id)
    conds = _conditions(period, reason, document_ids)
    total = int(conn.execute(select(func.count()).select_from(joined).where(*conds)).scalar_one())
    rows = conn.execute(
        select(
            dropped_candidates,
            documents.c.outlet,
            *SHOWN_COLUMNS,
            documents.c.published,
        )
        .select_from(joined)
        .where(*conds)
        .order_by(
            documents.c.published.desc(), dropped_candidates.c.document_id.desc(), dropped_candidates.c.id
        )
        .limit(limit)
        .offset(max(0, offset))
    ).all()
    return total, [_item(r) for r in rows]


def reasons(conn: Connection, period: Period | None = None) -> dict[str, int]:
    """How many candidates were dropped for each reason."""
    joined = dropped_candidates.join(documents, documents.c.id == dropped_candidates.c.document_id)
    rows = conn.execute(
        select(dropped_candidates.c.reason, func.count())
        .select_from(joined)
        .where(*_conditions(period, None, None))
        .group_by(dropped_candidates.c.reason)
    )
    return dict(sorted(((str(k), int(n)) for k, n in rows), key=lambda kv: (-kv[1], kv[0])))


def for_event(conn: Connection, event_id: int, *, limit: int = 200) -> list[dict[str, Any]]:
    """The dropped candidates of the reports behind an event (every report that has a mention in it)."""
    doc_ids = sorted(
        int(d)
        for d in conn.execute(
            select(mentions.c.document_id).distinct().where(mentions.c.event_id == event_id)
        ).scalars()
    )
    if not doc_ids:
        return []
    return list_dropped(conn, document_ids=doc_ids, limit=limit)[1]
