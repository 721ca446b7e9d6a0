"""A coder's changes to events: confirm, reject, correct, merge, split and revert.

Every change runs in the caller's transaction and writes one audit entry holding the state of
every event it touched (and of their mentions) before and after, so that it can be shown and
reverted. The machine's coding is never overwritten silently: a corrected mention keeps its
sentence, coder and codebook; its coded values change and its review status says so. Tallies
follow at once (events and the dashboard's daily counts are refreshed in the same transaction).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from eventledger.aggregate.periods import (
    FIRST_DAY,
    JALALI_YEAR_LIMIT,
    LAST_DAY,
    from_jalali,
    jalali_iso,
    month_key,
)
from eventledger.errors import NotFoundError, PeriodError, PermissionDenied, ReviewError
from eventledger.extract.codebook import Codebook, load_codebook
from eventledger.geocode.gazetteer import Gazetteer, default_gazetteer
from eventledger.normalize.text import normalize_text
from eventledger.records import Place
from eventledger.store.queries import load_stances
from eventledger.store.schema import audit, audit_events, events, mentions, users
from eventledger.store.summary import refresh_daily
from eventledger.store.writer import INACTIVE, allocate_ids, now, refresh_events

ROLES = ("viewer", "coder", "admin")
WRITERS = ("coder", "admin")
ACTIONS = ("confirm", "reject", "correct", "merge", "split", "dismiss", "revert")
CORRECTABLE = ("category", "subtype", "place", "date", "quantity")
MAX_ID = 2**63 - 1  # ids are 64-bit integers in every database
MAX_QUANTITY = 1_000_000_000

# mention columns a review may change (and a revert restores)
MENTION_COLS = (
    "event_id",
    "review_status",
    "category",
    "subtype",
    "date",
    "date_precision",
    "place_key",
    "place_name",
    "country",
    "admin1",
    "lat",
    "lon",
    "place_precision",
    "quantity",
)
_DATE_COLS = {"date"}
_TIME_COLS = {"first_published"}


@dataclass(frozen=True, slots=True)
class Reviewer:
    """Who makes a change (recorded in the audit log)."""

    username: str
    role: str
    user_id: int | None = None


@dataclass(frozen=True, slots=True)
class ReviewResult:
    audit_id: int
    action: str
    event_ids: tuple[int, ...]  # every event the change touched; the first is the one acted on


def require_writer(user: Reviewer) -> None:
    if user.role not in WRITERS:
        raise PermissionDenied(f"user {user.username!r} is a {user.role}: reviews need a coder or an admin")


# --- snapshots -----------------------------------------------------------------------------------
def _jsonable(col: str, value: Any) -> Any:
    if value is None:
        return None
    if col in _DATE_COLS or col in _TIME_COLS:
        return value.isoformat()
    return value


def _from_json(col: str, value: Any) -> Any:
    if value is None:
        return None
    if col in _DATE_COLS:
        return dt.date.fromisoformat(value)
    if col in _TIME_COLS:
        return dt.datetime.fromisoformat(value)
    return value


def snapshot(conn: Connection, event_ids: Iterable[int]) -> dict[str, Any]:
    """The stored state of events and of all their mentions, as JSON-ready dicts."""
    ids = sorted(set(event_ids))
    out: dict[str, Any] = {"events": {}, "mentions": {}}
    for eid in ids:
        out["events"][str(eid)] = None
    for r in conn.execute(select(events).where(events.c.id.in_(ids))):
        out["events"][str(r.id)] = {c: _jsonable(c, v) for c, v in r._mapping.items()}
    cols = [mentions.c.id, *(mentions.c[c] for c in MENTION_COLS)]
    for r in conn.execute(select(*cols).where(mentions.c.event_id.in_(ids)).order_by(mentions.c.id)):
        out["mentions"][str(r.id)] = {c: _jsonable(c, getattr(r, c)) for c in MENTION_COLS}
    return out


def _days(snap: Mapping[str, Any]) -> set[dt.date]:
    return {dt.date.fromisoformat(e["date"]) for e in snap["events"].values() if e}


def _event(conn: Connection, event_id: int) -> Any:
    row = conn.execute(select(events).where(events.c.id == event_id)).first()
    if row is None:
        raise NotFoundError(f"no event with id {event_id}")
    return row


def _alive(row: Any, verb: str) -> None:
    if row.review_status == "merged":
        raise ReviewError(f"event #{row.id} was merged into #{row.merged_into}: {verb} that one instead")
    if row.review_status == "rejected":
        raise ReviewError(f"event #{row.id} was rejected: revert the rejection before you {verb} it")


def _record(
    conn: Connection,
    user: Reviewer,
    action: str,
    event_ids: Sequence[int],
    before: dict[str, Any],
    note: str | None,
    extra_days: Iterable[dt.date] = (),
) -> ReviewResult:
    """Refresh what the change touched and write its audit entry.

    A review answers the flag a recode may have left on the events it acted on (not a revert: it
    brings back the flags as they were)."""
    if action != "revert":
        conn.execute(update(events).where(events.c.id.in_(event_ids)).values(review_flag=None))
    alive = [r.id for r in conn.execute(select(events.c.id).where(events.c.id.in_(event_ids)))]
    refresh_events(conn, alive, load_stances(conn))
    after = snapshot(conn, event_ids)
    refresh_daily(conn, _days(before) | _days(after) | set(extra_days))
    audit_id = conn.execute(
        insert(audit)
        .values(
            at=now(),
            user_id=user.user_id,
            username=user.username,
            action=action,
            event_id=event_ids[0],
            before=before,
            after=after,
            note=(note or None),
        )
        .returning(audit.c.id)
    ).scalar_one()
    conn.execute(
        insert(audit_events), [{"audit_id": audit_id, "event_id": e} for e in dict.fromkeys(event_ids)]
    )
    return ReviewResult(int(audit_id), action, tuple(dict.fromkeys(event_ids)))


def _active(event_id: int) -> Any:
    return (mentions.c.event_id == event_id) & mentions.c.review_status.not_in(INACTIVE)


# --- confirm / reject ------------------------------------------------------------------------------
def confirm(conn: Connection, user: Reviewer, event_id: int, note: str | None = None) -> ReviewResult:
    """The coder agrees with the machine: the event and its mentions become ``confirmed``."""
    require_writer(user)
    row = _event(conn, event_id)
    _alive(row, "confirm")
    before = snapshot(conn, [event_id])
    if row.review_status == "machine":
        conn.execute(update(events).where(events.c.id == event_id).values(review_status="confirmed"))
    conn.execute(
        update(mentions)
        .where(_active(event_id), mentions.c.review_status == "machine")
        .values(review_status="confirmed")
    )
    return _record(conn, user, "confirm", [event_id], before, note)


def reject(conn: Connection, user: Reviewer, event_id: int, note: str | None = None) -> ReviewResult:
    """Not an event (a misread report, an opinion piece): kept for the record, never counted."""
    require_writer(user)
    row = _event(conn, event_id)
    _alive(row, "reject")
    before = snapshot(conn, [event_id])
    conn.execute(update(events).where(events.c.id == event_id).values(review_status="rejected"))
    conn.execute(update(mentions).where(_active(event_id)).values(review_status="rejected"))
    return _record(conn, user, "reject", [event_id], before, note)


def dismiss(conn: Connection, user: Reviewer, event_id: int, note: str | None = None) -> ReviewResult:
    """The event stays as it is: the coder has seen why a recode flagged it, and clears the flag."""
    require_writer(user)
    row = _event(conn, event_id)
    if row.review_flag is None:
        raise ReviewError(f"event #{event_id} is not flagged for review")
    before = snapshot(conn, [event_id])
    return _record(conn, user, "dismiss", [event_id], before, note)


# --- correct ---------------------------------------------------------------------------------------
_ISO_DAY = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")


def parse_day(value: str) -> dt.date:
    """``2023-02-17`` (Gregorian) or ``1401-11-28`` (Solar Hijri, any year below 1700); Persian digits too."""
    text = normalize_text(str(value).strip())
    m = _ISO_DAY.match(text)
    if not m:
        raise ReviewError(f"cannot read date {value!r}: write YYYY-MM-DD (Gregorian or Solar Hijri)")
    y, mo, d = (int(x) for x in m.groups())
    try:
        day = from_jalali(y, mo, d) if y < JALALI_YEAR_LIMIT else dt.date(y, mo, d)
    except (ValueError, PeriodError) as exc:
        raise ReviewError(f"date {value!r} does not exist: {exc}") from exc
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ReviewError(
            f"date {value!r} is outside the dates this system handles ({FIRST_DAY} .. {LAST_DAY})"
        )
    return day


def find_place(gazetteer: Gazetteer, value: str) -> Place:
    """A place by id (``gn:…``, ``IR-23``, ``cc:FR``) or by a name that names exactly one place."""
    text = str(value).strip()
    if not text:
        raise ReviewError("empty place")
    place = gazetteer.by_id(text) or gazetteer.by_id(text.upper())
    if place is not None:
        return place
    found = gazetteer.lookup(text)
    if not found:
        raise ReviewError(f"no place called {text!r} in the gazetteer: give its id (gn:…, IR-23, cc:FR)")
    distinct = {p.place_id: p for p in found}
    if len(distinct) > 1:
        options = ", ".join(f"{p.place_id} ({p.name}, {p.admin1 or p.country})" for p in distinct.values())
        raise ReviewError(f"{text!r} names several places: {options}; give the id")
    return found[0]


def _quantity(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        q = int(normalize_text(str(value)).strip())
    except ValueError as exc:
        raise ReviewError(f"quantity {value!r} is not a whole number") from exc
    if not 1 <= q <= MAX_QUANTITY:
        raise ReviewError(f"quantity must be between 1 and {MAX_QUANTITY:,}")
    return q


def _new_subtype(row: Any, subtype: str | None, category: str | None, codebook: Codebook) -> str | None:
    """The subtype a correction asks for (a category alone names its only subtype)."""
    if subtype is not None and subtype not in codebook.subtypes:
        raise ReviewError(f"unknown subtype {subtype!r} in codebook {codebook.ref}")
    if category is not None and category not in codebook.category_ids():
        raise ReviewError(f"unknown category {category!r} in codebook {codebook.ref}")
    if category is not None and subtype is None and category != row.category:
        subs = next(c.subtypes for c in codebook.categories if c.id == category)
        if len(subs) != 1:
            raise ReviewError(f"choose a subtype of {category}: {', '.join(subs)}")
        return subs[0]
    if subtype is not None and category is not None and codebook.category_of(subtype) != category:
        raise ReviewError(f"subtype {subtype!r} belongs to {codebook.category_of(subtype)}, not {category}")
    return subtype


def correction_values(
    row: Any,
    changes: Mapping[str, Any],
    codebook: Codebook,
    gazetteer: Gazetteer,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Validated new column values for the event and for its mentions; raises ReviewError."""
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise ReviewError(f"cannot correct {', '.join(unknown)}: choose from {', '.join(CORRECTABLE)}")
    ev: dict[str, Any] = {}
    subtype = _new_subtype(row, changes.get("subtype") or None, changes.get("category") or None, codebook)
    if subtype is not None and subtype != row.subtype:
        ev["subtype"] = subtype
        ev["category"] = codebook.category_of(subtype)
    if changes.get("place"):
        place = find_place(gazetteer, changes["place"])
        if place.place_id != row.place_key:
            ev.update(
                place_key=place.place_id,
                place_name=place.name,
                place_name_fa=place.name_fa,
                country=place.country,
                admin1=place.admin1,
                lat=place.lat,
                lon=place.lon,
                place_precision=place.precision,
            )
    if changes.get("date"):
        day = parse_day(changes["date"])
        if day != row.date or row.date_precision != "day":
            ev.update(
                date=day,
                date_precision="day",
                date_jalali=jalali_iso(day),
                jalali_month=month_key(day, "jalali"),
                greg_month=month_key(day, "gregorian"),
            )
    if "quantity" in changes:
        q = _quantity(changes["quantity"])
        if q != row.quantity:
            ev["quantity"] = q
    if not ev:
        raise ReviewError(f"nothing to correct: event #{row.id} already has these values")
    mention_cols = {k: v for k, v in ev.items() if k in MENTION_COLS}
    return ev, mention_cols


def correct(
    conn: Connection,
    user: Reviewer,
    event_id: int,
    changes: Mapping[str, Any],
    note: str | None = None,
    *,
    codebook: Codebook | None = None,
    gazetteer: Gazetteer | None = None,
) -> ReviewResult:
    """Correct the category, subtype, place, date or quantity of an event and of its mentions."""
    require_writer(user)
    row = _event(conn, event_id)
    _alive(row, "correct")
    ev, mcols = correction_values(row, changes, codebook or load_codebook(), gazetteer or default_gazetteer())
    before = snapshot(conn, [event_id])
    conn.execute(update(events).where(events.c.id == event_id).values(**ev, review_status="corrected"))
    conn.execute(update(mentions).where(_active(event_id)).values(**mcols, review_status="corrected"))
    return _record(conn, user, "correct", [event_id], before, note)


# --- merge / split ---------------------------------------------------------------------------------
def merge(
    conn: Connection, user: Reviewer, target_id: int, other_ids: Sequence[int], note: str | None = None
) -> ReviewResult:
    """The same incident resolved as several events: move every report of ``other_ids`` onto ``target_id``.

    The merged events stay in the store (``merged``, with ``merged_into``) so that links to them
    keep working; they are no longer counted, and later reports of them join the target.
    """
    require_writer(user)
    others = [int(o) for o in dict.fromkeys(other_ids) if int(o) != target_id]
    if not others:
        raise ReviewError("name at least one other event to merge into this one")
    target = _event(conn, target_id)
    _alive(target, "merge")
    for o in others:
        other = _event(conn, o)
        _alive(other, "merge")
        if other.codebook != target.codebook:  # two taxonomies' events are never one event
            raise ReviewError(
                f"event {o} is coded with the codebook {other.codebook!r}, event {target_id} with"
                f" {target.codebook!r}: events of different codebooks cannot be merged"
            )
    ids = [target_id, *others]
    before = snapshot(conn, ids)
    conn.execute(update(mentions).where(mentions.c.event_id.in_(others)).values(event_id=target_id))
    conn.execute(
        update(events).where(events.c.id.in_(others)).values(review_status="merged", merged_into=target_id)
    )
    conn.execute(update(events).where(events.c.merged_into.in_(others)).values(merged_into=target_id))
    conn.execute(update(events).where(events.c.id == target_id).values(review_status="corrected"))
    return _record(conn, user, "merge", ids, before, note)


def split(
    conn: Connection, user: Reviewer, event_id: int, mention_ids: Sequence[int], note: str | None = None
) -> ReviewResult:
    """Two incidents resolved as one event: move ``mention_ids`` to a new event of their own.

    The new event takes its subtype, place and date from the moved mentions (as coded, or as
    corrected later); both events are marked ``corrected``.
    """
    require_writer(user)
    row = _event(conn, event_id)
    _alive(row, "split")
    wanted = sorted({int(m) for m in mention_ids})
    if not wanted:
        raise ReviewError("choose the mentions that belong to another event")
    rows = conn.execute(select(mentions).where(mentions.c.id.in_(wanted))).all()
    found = {r.id: r for r in rows}
    stray = [m for m in wanted if m not in found or found[m].event_id != event_id]
    if stray:
        raise ReviewError(f"mentions {', '.join(map(str, stray))} are not mentions of event #{event_id}")
    staying = conn.execute(
        select(mentions.c.id).where(_active(event_id), mentions.c.id.not_in(wanted))
    ).first()
    if staying is None:
        raise ReviewError(f"event #{event_id} would keep no report: leave at least one active mention")
    moved_active = [r for r in rows if r.review_status not in INACTIVE]
    if not moved_active:
        raise ReviewError("the chosen mentions no longer count (superseded or rejected)")
    first = min(moved_active, key=lambda r: r.id)
    (new_id,) = allocate_ids(conn, events, 1)
    before = snapshot(conn, [event_id, new_id])
    values = dict(row._mapping)
    values.update(
        id=new_id,
        category=first.category,
        subtype=first.subtype,
        place_key=first.place_key,
        place_name=first.place_name,
        country=first.country,
        admin1=first.admin1,
        lat=first.lat,
        lon=first.lon,
        place_precision=first.place_precision,
        date=first.date,
        date_precision=first.date_precision,
        date_jalali=jalali_iso(first.date),
        jalali_month=month_key(first.date, "jalali"),
        greg_month=month_key(first.date, "gregorian"),
        review_status="corrected",
        merged_into=None,
    )
    if first.place_key != row.place_key:
        values["place_name_fa"] = None
        place = default_gazetteer().by_id(first.place_key)
        if place is not None:
            values["place_name_fa"] = place.name_fa
    conn.execute(insert(events).values(**values))
    conn.execute(update(mentions).where(mentions.c.id.in_(wanted)).values(event_id=new_id))
    conn.execute(update(events).where(events.c.id == event_id).values(review_status="corrected"))
    return _record(conn, user, "split", [event_id, new_id], before, note)


# --- revert ----------------------------------------------------------------------------------------
def _restore(conn: Connection, snap: Mapping[str, Any], fallback_event: int) -> None:
    existing = {
        r.id
        for r in conn.execute(select(events.c.id).where(events.c.id.in_([int(k) for k in snap["events"]])))
    }
    for key, ev in snap["events"].items():
        if ev is None:
            continue
        values = {c: _from_json(c, v) for c, v in ev.items()}
        eid = int(key)
        if eid in existing:
            conn.execute(
                update(events)
                .where(events.c.id == eid)
                .values(**{k: v for k, v in values.items() if k != "id"})
            )
        else:
            conn.execute(insert(events).values(**values))
    for key, m in snap["mentions"].items():
        conn.execute(
            update(mentions)
            .where(mentions.c.id == int(key))
            .values(**{c: _from_json(c, v) for c, v in m.items()})
        )
    gone = [int(k) for k, ev in snap["events"].items() if ev is None and int(k) in existing]
    if gone:
        # reports that joined a vanishing event since the change go back to the event acted on
        conn.execute(update(mentions).where(mentions.c.event_id.in_(gone)).values(event_id=fallback_event))
        conn.execute(update(events).where(events.c.merged_into.in_(gone)).values(merged_into=fallback_event))
        conn.execute(delete(events).where(events.c.id.in_(gone)))


def revert(conn: Connection, user: Reviewer, audit_id: int, note: str | None = None) -> ReviewResult:
    """Undo one audit entry: its events and mentions go back to their state before it.

    Refused when the entry was already reverted or is itself a revert, or when a later change
    (not itself reverted) touched the same events: that one must be reverted first, so that no
    later work is lost silently.

    Who may: a coder reverts their own changes and other coders'; a change made by an admin
    (the author's role now) is reverted only by its author or by an admin.
    """
    require_writer(user)
    entry = conn.execute(select(audit).where(audit.c.id == audit_id)).first()
    if entry is None:
        raise NotFoundError(f"no audit entry #{audit_id}")
    if entry.target is not None:
        raise ReviewError(
            f"#{audit_id} is an admin change ({entry.action} {entry.target}): make the opposite change instead"
        )
    _may_revert(conn, user, entry)
    if entry.reverted_by is not None:
        raise ReviewError(f"change #{audit_id} was already reverted by #{entry.reverted_by}")
    if entry.action == "revert":
        raise ReviewError(f"#{audit_id} is itself a revert: to redo the change, make it again")
    ids = [int(k) for k in entry.before["events"]]
    later = conn.execute(
        select(audit.c.id)
        .join(audit_events, audit_events.c.audit_id == audit.c.id)
        .where(
            audit.c.id > audit_id,
            audit.c.reverted_by.is_(None),
            audit.c.action != "revert",
            audit_events.c.event_id.in_(ids),
        )
        .order_by(audit.c.id.desc())
    ).first()
    if later is not None:
        raise ReviewError(f"change #{later.id} touched the same events later: revert it first")
    before = snapshot(conn, ids)
    _restore(conn, entry.before, int(entry.event_id))
    result = _record(conn, user, "revert", ids, before, note or f"revert of #{audit_id}", _days(entry.after))
    conn.execute(update(audit).where(audit.c.id == audit_id).values(reverted_by=result.audit_id))
    return result


def _may_revert(conn: Connection, user: Reviewer, entry: Any) -> None:
    if user.role == "admin":
        return
    own = entry.user_id == user.user_id if entry.user_id is not None else entry.username == user.username
    author = users.c.id == entry.user_id if entry.user_id is not None else users.c.username == entry.username
    if not own and conn.execute(select(users.c.role).where(author)).scalar() == "admin":
        raise PermissionDenied(
            f"change #{entry.id} was made by the admin {entry.username!r}: only they or another admin may revert it"
        )


def apply(
    conn: Connection,
    user: Reviewer,
    event_id: int,
    action: str,
    payload: Mapping[str, Any],
    *,
    codebook: Codebook | None = None,
    gazetteer: Gazetteer | None = None,
) -> ReviewResult:
    """One review given as data (the API's and the web forms' shape)::

    {"action": "confirm" | "reject" | "correct" | "merge" | "split" | "dismiss", "note": "...",
     "category", "subtype", "place", "date", "quantity",   # correct
     "events": [ids],                                       # merge: the others, into event_id
     "mentions": [ids]}                                     # split: moved to a new event
    """
    note = payload.get("note")
    if action == "confirm":
        return confirm(conn, user, event_id, note)
    if action == "reject":
        return reject(conn, user, event_id, note)
    if action == "correct":
        changes = {k: payload[k] for k in CORRECTABLE if k in payload}
        return correct(conn, user, event_id, changes, note, codebook=codebook, gazetteer=gazetteer)
    if action == "merge":
        return merge(conn, user, event_id, ids_of(payload.get("events")), note)
    if action == "split":
        return split(conn, user, event_id, ids_of(payload.get("mentions")), note)
    if action == "dismiss":
        return dismiss(conn, user, event_id, note)
    raise ReviewError(f"unknown action {action!r}: choose confirm, reject, correct, merge, split or dismiss")


def ids_of(value: Any) -> list[int]:
    if value is None:
        return []
    items = re.split(r"[\s,]+", value) if isinstance(value, str) else list(value)
    try:
        ids = [int(normalize_text(str(v)).lstrip("#")) for v in items if str(v).strip()]
    except ValueError as exc:
        raise ReviewError(f"cannot read event or mention ids {value!r}") from exc
    if any(not 1 <= i <= MAX_ID for i in ids):
        raise ReviewError("event and mention ids are whole numbers from 1 to 2^63-1")
    return ids
