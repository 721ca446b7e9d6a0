"""Event resolution: which mentions are the same event, and how well an event is sourced.

* Two mentions are the same event when they share subtype and place and fall on the same day —
  or on neighbouring days when either date is imprecise (a relative day, the publication day).
* An event's date is that of its most precise mention (an explicit date beats "last night",
  which beats the publication day; ties go to the earliest).
* Claim status is computed from the outlets behind the event, never from what a report says:

  ``claimed``       only the actor's own outlets report it;
  ``reported``      at least one other outlet reports it;
  ``corroborated``  two or more distinct outlets whose independence from the actor is known
                    (stance ``independent`` or ``state``) report it.

  Outlets of unknown stance make an event ``reported`` but never ``corroborated``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from eventledger.outlets import Outlet
from eventledger.records import DATE_PRECISION_RANK, IMPRECISE_DATES, ClaimStatus, Mention

# how many days apart two imprecise dates may be and still be one event
DATE_WINDOW_DAYS = 1


@dataclass
class EventState:
    """The part of an event that resolution needs; ``id`` is None until the event is stored."""

    subtype: str
    place_key: str
    date: dt.date
    date_precision: str
    id: int | None = None
    new_mentions: list[int] = field(default_factory=list)  # indexes into the batch


def _rank(precision: str) -> int:
    return DATE_PRECISION_RANK.get(precision, 9)


def match_event(candidates: Iterable[EventState], date: dt.date, precision: str) -> EventState | None:
    """The event a mention of this day and precision belongs to, among same subtype × place events."""
    best: tuple[int, int, dt.date, EventState] | None = None
    imprecise = precision in IMPRECISE_DATES
    for ev in candidates:
        gap = abs((ev.date - date).days)
        if gap == 0 or (gap <= DATE_WINDOW_DAYS and (imprecise or ev.date_precision in IMPRECISE_DATES)):
            key = (gap, _rank(ev.date_precision), ev.date, ev)
            if best is None or key[:3] < best[:3]:
                best = key
    return best[3] if best else None


def resolution_order(mentions: list[Mention]) -> list[int]:
    """Indexes of ``mentions`` in the order they are resolved: precise dates first, then by day.

    Resolving the most precise mentions first makes the result independent of input order in
    the common case (a claim dated explicitly and a report saying "on Saturday night").
    """
    return sorted(
        range(len(mentions)), key=lambda i: (_rank(mentions[i].date_precision), mentions[i].date, i)
    )


@dataclass
class Resolution:
    """Where each mention of a batch goes: ``assigned[i]`` is the event of mention ``i``, among the
    stored candidates or ``new`` (events the batch creates, in creation order, ``id`` None)."""

    assigned: list[EventState]
    new: list[EventState]
    merged_mentions: int  # mentions that joined an event already there (stored or of this batch)


def resolve_batch(
    mentions: Sequence[Mention], candidates: Mapping[tuple[str, str], list[EventState]]
) -> Resolution:
    """Resolve a batch of mentions into events: a pure step (the store reads the candidates and
    writes the result). ``candidates`` maps (subtype, place key) to the stored events a mention of
    that key may join; events created here join it too, and an event's date improves as more
    precise mentions join it."""
    index: dict[tuple[str, str], list[EventState]] = defaultdict(list)
    for key, evs in candidates.items():
        index[key] = list(evs)
    assigned: list[EventState | None] = [None] * len(mentions)
    new: list[EventState] = []
    merged = 0
    for i in resolution_order(list(mentions)):
        m = mentions[i]
        key = (m.subtype, m.place_key)
        ev = match_event(index[key], m.date, m.date_precision)
        if ev is None:
            ev = EventState(m.subtype, m.place_key, m.date, m.date_precision)
            index[key].append(ev)
            new.append(ev)
        else:
            merged += 1
            ev.date, ev.date_precision = best_date([(ev.date, ev.date_precision), (m.date, m.date_precision)])
        ev.new_mentions.append(i)
        assigned[i] = ev
    return Resolution([ev for ev in assigned if ev is not None], new, merged)


def best_date(dates: Iterable[tuple[dt.date, str]]) -> tuple[dt.date, str]:
    """The date of an event from its mentions' (date, precision) pairs."""
    return min(dates, key=lambda d: (_rank(d[1]), d[0]))


def claim_status(outlets: Iterable[str], stances: Mapping[str, Outlet]) -> ClaimStatus:
    names = set(outlets)
    others = {o for o in names if (stances.get(o) is None or stances[o].stance != "actor")}
    if not others:
        return "claimed"
    known = {
        o for o in others if stances.get(o) is not None and stances[o].stance in ("independent", "state")
    }
    return "corroborated" if len(known) >= 2 else "reported"


def majority(values: Iterable[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
