"""Reads from the store: event filters, tallies, event lists and one event with its evidence."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, distinct, exists, func, literal, select

from eventledger.aggregate.periods import Period, jalali_iso, months_in
from eventledger.errors import ConfigError, NotFoundError
from eventledger.extract.codebook import DEFAULT_CODEBOOK
from eventledger.normalize.redact import REDACTION_RULES, redact_url
from eventledger.outlets import Outlet
from eventledger.store.schema import (
    documents,
    event_daily,
    event_daily_area,
    event_daily_outlet,
    events,
    mentions,
    outlets,
)
from eventledger.store.search import newest_first, newest_matches, scan_is_cheaper, sentence_search, words

CLAIM_STATUSES = ("claimed", "reported", "corroborated")
REVIEW_STATUSES = ("machine", "confirmed", "corrected", "rejected", "merged")
RETIRED = ("rejected", "merged")  # events a coder removed: never counted
BREAKDOWNS = (
    "category",
    "subtype",
    "province",
    "month",
    "claim_status",
    "outlet",
    "actor",
    "country",
    "place",
)


@dataclass(frozen=True)
class FilterField:
    """One field of the event filter, as the CLI (``--name`` with dashes), the pages and the JSON API
    (query parameter ``param``) all take it: :data:`FILTER_FIELDS` is their one definition."""

    name: str  # the EventFilter attribute
    param: str  # the page and API query parameter
    help: str
    metavar: str | None = None
    choices: tuple[str, ...] | None = None

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")


FILTER_FIELDS: tuple[FilterField, ...] = (
    FilterField("category", "category", "Only this category (e.g. violence)."),
    FilterField("subtype", "subtype", "Only this subtype (e.g. arson)."),
    FilterField(
        "province", "province", "Only this province, ISO 3166-2 (e.g. IR-23); none: province not known.", "ISO"
    ),
    FilterField("country", "country", "Only this country, ISO 3166-1 alpha-2.", "CC"),
    FilterField("outlet", "outlet", "Only events reported by this outlet."),
    FilterField("claim_status", "claim_status", "Only this claim status.", choices=CLAIM_STATUSES),
    FilterField("actor", "actor", "Only events attributed to this actor id."),
    FilterField(
        "review_status", "review_status", "Only events in this review status (rejected and merged ones are "
        "otherwise left out).", choices=REVIEW_STATUSES,
    ),
    FilterField("search", "q", "Only events whose reports' sentences hold these words."),
)  # fmt: skip


@dataclass(frozen=True)
class EventFilter:
    """Which events a tally or a list covers. Every field is optional."""

    period: Period | None = None
    category: str | None = None
    subtype: str | None = None
    province: str | None = None  # ISO 3166-2, e.g. IR-23; "none" for events with no province
    country: str | None = None  # ISO 3166-1 alpha-2
    claim_status: str | None = None
    outlet: str | None = None
    actor: str | None = None
    event_ids: tuple[int, ...] | None = None
    review_status: str | None = None  # machine | confirmed | corrected | rejected | merged
    search: str | None = None  # words in the sentences of the event's reports
    include_retired: bool = False  # rejected and merged events (never counted)
    # the codebook whose events are counted (a store may hold several; each counts apart)
    codebook: str = DEFAULT_CODEBOOK

    @classmethod
    def from_values(cls, period: Period | None, values: Mapping[str, Any]) -> EventFilter:
        """A filter from the CLI's options, a page's query or the API's parameters (by field name or
        parameter; unknown keys and empty values ignored; a value outside a field's choices is a
        :class:`ConfigError`)."""
        fields: dict[str, Any] = {}
        for f in FILTER_FIELDS:
            value = values.get(f.param) or values.get(f.name) or None
            if value is not None and f.choices is not None and value not in f.choices:
                what = f.name.replace("_", " ")
                raise ConfigError(f"{what} {value!r} is not one of {', '.join(f.choices)}")
            fields[f.name] = value
        return cls(period=period, **fields)

    def _status_clauses(self, scan_search: bool = False) -> list[ColumnElement[bool]]:
        c: list[ColumnElement[bool]] = []
        if self.review_status:
            c.append(events.c.review_status == self.review_status)
        elif not self.include_retired:
            c.append(events.c.review_status.not_in(RETIRED))
        if self.search:
            period = (self.period.start, self.period.end) if self.period is not None else None
            found = sentence_search(self.search, period, scan=scan_search)
            if found is not None:
                c.append(found)
        return c

    def clauses(self, scan_search: bool = False) -> list[ColumnElement[bool]]:
        """The conditions on ``events``; ``scan_search``: PostgreSQL checks the words on each event
        read instead of asking their GIN index (:func:`eventledger.store.search.scan_is_cheaper`)."""
        c = self._status_clauses(scan_search)
        c.append(events.c.codebook == self.codebook)
        if self.period is not None:
            c.append(events.c.date.between(self.period.start, self.period.end))
        if self.category:
            c.append(events.c.category == self.category)
        if self.subtype:
            c.append(events.c.subtype == self.subtype)
        if self.province == "none":  # placed in a country, province not known
            c.append(events.c.admin1.is_(None))
        elif self.province:
            c.append(events.c.admin1 == self.province.upper())
        if self.country:
            c.append(events.c.country == self.country.upper())
        if self.claim_status:
            if self.claim_status not in CLAIM_STATUSES:
                raise ConfigError(
                    f"claim status {self.claim_status!r} is not one of {', '.join(CLAIM_STATUSES)}"
                )
            c.append(events.c.claim_status == self.claim_status)
        if self.actor:
            c.append(events.c.actor == self.actor)
        if self.outlet:
            # probed per event on (outlet, event_id): cheap for the first page of a list
            m = mentions.alias("outlet_mentions")
            c.append(exists().where(m.c.outlet == self.outlet, m.c.event_id == events.c.id).correlate(events))
        if self.event_ids is not None:
            c.append(events.c.id.in_(self.event_ids))
        return c

    def apply(self, stmt: Select[Any], scan_search: bool = False) -> Select[Any]:
        clauses = self.clauses(scan_search)
        return stmt.where(and_(*clauses)) if clauses else stmt

    def has_words(self) -> bool:
        return bool(self.search and words(self.search))

    def reads_words_first(self, conn: Connection) -> bool:
        """SQLite: whether a page or a capped count of this filter is read from its words' index,
        newest first (:func:`eventledger.store.search.newest_matches`): words, and no condition that
        keeps only a few events (a category, a place, an outlet…)."""
        narrow = (
            self.category, self.subtype, self.province, self.country, self.claim_status,
            self.outlet, self.actor, self.event_ids, self.review_status,
        )  # fmt: skip
        return conn.dialect.name == "sqlite" and self.has_words() and all(v is None for v in narrow)

    def words_first(self, stmt: Select[Any]) -> Select[Any]:
        """``stmt`` filtered by this filter, its words read first (see :meth:`reads_words_first`)."""
        period = (self.period.start, self.period.end) if self.period is not None else None
        return newest_matches(replace(self, search=None).apply(stmt), self.search or "", period)

    def scan_search(self, conn: Connection, wanted: int) -> bool:
        """Whether ``wanted`` events of this filter with its words are found sooner by reading the
        filter's events newest first (a common word) than from the words' index (PostgreSQL only)."""
        if not self.has_words() or conn.dialect.name != "postgresql":
            return False
        plain = replace(self, search=None)
        return scan_is_cheaper(conn, self.search or "", plain.apply(select(events.c.id)), wanted)


# --- tallies ---------------------------------------------------------------------------------------------
def _group_counts(
    conn: Connection, column: Any, flt: EventFilter, daily: str | None = None
) -> dict[str, int]:
    """Events per value of ``column``; from the daily tables (their column ``daily``) when they can answer."""
    src = _daily_source(flt, daily) if daily else None
    if src is not None:
        t, conds = src
        col = t.c[daily]
        stmt = select(col, func.sum(t.c.n)).where(*conds).group_by(col).having(func.sum(t.c.n) > 0)
    else:
        stmt = flt.apply(select(column, func.count()).select_from(events).group_by(column))
    return {("unknown" if k is None else str(k)): int(n) for k, n in conn.execute(stmt)}


def _province_key() -> Any:
    # an Iranian province code; a country code for events abroad; "unknown" when not placed
    return func.coalesce(events.c.admin1, events.c.country, "unknown")


def tally(
    conn: Connection,
    flt: EventFilter,
    by: Sequence[str] = (),
    categories: Sequence[str] = (),
    subtypes: Sequence[str] = (),
) -> dict[str, Any]:
    """Events counted in a period: total, per category, and each requested breakdown.

    The shape is the CLI's and the API's JSON contract::

        {"period": {"calendar", "label", "start", "end"}, "total": N,
         "by_category": {...}, "by_<breakdown>": {...}}
    """
    for b in by:
        if b not in BREAKDOWNS:
            raise ConfigError(f"cannot break down by {b!r}; choose from {', '.join(BREAKDOWNS)}")
    total = count_events(conn, flt)
    by_cat = _group_counts(conn, events.c.category, flt, "category")
    out: dict[str, Any] = {}
    if flt.period is not None:
        out["period"] = flt.period.as_json()
    out["total"] = total
    out["by_category"] = {c: by_cat.pop(c, 0) for c in categories} | dict(sorted(by_cat.items()))
    for b in by:
        if b == "category":
            continue
        out[f"by_{b}"] = _breakdown(conn, b, flt, subtypes)
    return out


def _breakdown(conn: Connection, by: str, flt: EventFilter, subtypes: Sequence[str]) -> dict[str, int]:
    if by == "subtype":
        counts = _group_counts(conn, events.c.subtype, flt, "subtype")
        return {s: counts.pop(s, 0) for s in subtypes} | dict(sorted(counts.items()))
    if by == "province":
        counts = _group_counts(conn, _province_key(), flt, "area")
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    if by == "country":
        return dict(
            sorted(
                _group_counts(conn, func.coalesce(events.c.country, "unknown"), flt).items(),
                key=lambda kv: (-kv[1], kv[0]),
            )
        )
    if by == "place":
        return dict(
            sorted(
                _group_counts(conn, func.coalesce(events.c.place_name, "unknown"), flt).items(),
                key=lambda kv: (-kv[1], kv[0]),
            )
        )
    if by == "month":
        calendar = flt.period.calendar if flt.period else "jalali"
        name = "jalali_month" if calendar == "jalali" else "greg_month"
        counts = _group_counts(conn, events.c[name], flt, name)
        if flt.period is not None:
            return {m: counts.get(m, 0) for m in months_in(flt.period)}
        return dict(sorted(counts.items()))
    if by == "claim_status":
        counts = _group_counts(conn, events.c.claim_status, flt, "claim_status")
        return {s: counts.get(s, 0) for s in CLAIM_STATUSES}
    if by == "actor":
        return dict(sorted(_group_counts(conn, events.c.actor, flt).items(), key=lambda kv: (-kv[1], kv[0])))
    if by == "outlet":
        # an event reported by several outlets counts once for each of them
        src = _daily_source(flt, "outlet")
        if src is not None:
            t, conds = src
            rows = conn.execute(
                select(t.c.outlet, func.sum(t.c.n))
                .where(*conds)
                .group_by(t.c.outlet)
                .having(func.sum(t.c.n) > 0)
            )
            return dict(sorted(((str(k), int(n)) for k, n in rows), key=lambda kv: (-kv[1], kv[0])))
        stmt = flt.apply(
            select(mentions.c.outlet, func.count(distinct(events.c.id)))
            .select_from(events)
            .join(mentions, mentions.c.event_id == events.c.id)
            .group_by(mentions.c.outlet)
        )
        return dict(sorted(((str(k), int(n)) for k, n in conn.execute(stmt)), key=lambda kv: (-kv[1], kv[0])))
    raise ConfigError(f"cannot break down by {by!r}")


# --- event lists -----------------------------------------------------------------------------------------------
def _place(r: Any) -> dict[str, Any]:
    return {
        "name": r.place_name,
        "name_fa": r.place_name_fa,
        "country": r.country,
        "admin1": r.admin1,
        "lat": r.lat,
        "lon": r.lon,
        "precision": r.place_precision,
    }


def iso_z(t: dt.datetime) -> str:
    """A stored (naive UTC) time as ISO 8601 with a Z."""
    return t.replace(tzinfo=dt.UTC).isoformat().replace("+00:00", "Z")


# what a reader may see of a document: its external id and URL with personal data out
SHOWN_COLUMNS = (documents.c.external_id, documents.c.url, documents.c.shown_id, documents.c.redaction)


def shown_values(external_id: Any, url: Any, shown_id: Any, redaction: Any) -> tuple[Any, Any]:
    """(external id, URL) of a document as readers see them: the values stored redacted when they
    were made under the current redaction rules (what
    :func:`~eventledger.store.writer.refresh_redaction` keeps true), redacted now otherwise."""
    if redaction == REDACTION_RULES:
        return shown_id, url
    return redact_url(external_id), redact_url(url)


def shown(r: Any) -> dict[str, str | None]:
    """:func:`shown_values` of a row that holds :data:`SHOWN_COLUMNS`, by name."""
    external_id, url = shown_values(r.external_id, r.url, r.shown_id, r.redaction)
    return {"external_id": external_id, "url": url}


def sources_of(conn: Connection, event_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """The documents behind each event (one entry per report), oldest first."""
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for i in range(0, len(event_ids), 500):
        part = list(event_ids[i : i + 500])
        rows = conn.execute(
            select(
                mentions.c.event_id,
                documents.c.id,
                *SHOWN_COLUMNS,
                documents.c.outlet,
                documents.c.published,
                outlets.c.stance,
            )
            .distinct()
            .join(documents, documents.c.id == mentions.c.document_id)
            .join(outlets, outlets.c.name == documents.c.outlet, isouter=True)
            .where(mentions.c.event_id.in_(part), mentions.c.review_status.not_in(("rejected", "superseded")))
            .order_by(mentions.c.event_id, documents.c.published, documents.c.id)
        )
        for r in rows:
            out[r.event_id].append(
                {
                    "document_id": r.id,
                    **shown(r),
                    "outlet": r.outlet,
                    "stance": r.stance or "unknown",
                    "published": iso_z(r.published),
                }
            )
    return out


def event_dict(r: Any, sources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": r.id,
        "category": r.category,
        "subtype": r.subtype,
        "date": r.date.isoformat(),
        "date_jalali": r.date_jalali,
        "date_precision": r.date_precision,
        "place": _place(r),
        "quantity": r.quantity,
        "actor": r.actor,
        "claim_status": r.claim_status,
        "n_sources": r.n_sources,
        "n_mentions": r.n_mentions,
        "confidence": r.confidence,
        "review_status": r.review_status,
        "sources": sources,
    }


_DAILY_FIELDS = frozenset(
    {"codebook", "period", "category", "subtype", "claim_status", "review_status", "include_retired"}
)
_AREA_FIELDS = frozenset({"codebook", "period", "category", "province", "review_status", "include_retired"})
_OUTLET_FIELDS = frozenset({"codebook", "period", "category", "outlet", "review_status", "include_retired"})


def _daily_source(flt: EventFilter, key: str | None = None) -> tuple[Any, list[ColumnElement[bool]]] | None:
    """The daily table (and its conditions) that can answer ``flt`` grouped by ``key``, else None.

    ``event_daily`` has category, subtype, claim and review status and both months;
    ``event_daily_area`` has the area (province, else country) with category and review status.
    """
    used = {k for k, v in flt.__dict__.items() if v not in (None, False)}
    t: Any
    if used <= _DAILY_FIELDS and key in (
        None,
        "category",
        "subtype",
        "claim_status",
        "jalali_month",
        "greg_month",
    ):
        t = event_daily
    elif used <= _AREA_FIELDS and "-" in (flt.province or "-") and key in (None, "category", "area"):
        t = event_daily_area
    elif used <= _OUTLET_FIELDS and (
        (flt.outlet and key in (None, "category")) or (not flt.outlet and key == "outlet")
    ):
        t = event_daily_outlet
    else:
        return None
    conds: list[ColumnElement[bool]] = [t.c.codebook == flt.codebook]
    if flt.period is not None:
        conds.append(t.c.day.between(flt.period.start, flt.period.end))
    if flt.review_status:
        conds.append(t.c.review_status == flt.review_status)
    elif not flt.include_retired:
        conds.append(t.c.review_status.not_in(RETIRED))
    for name in ("category", "subtype", "claim_status"):
        value = getattr(flt, name)
        if value:
            conds.append(t.c[name] == value)
    if flt.province:
        conds.append(t.c.area == flt.province.upper())
    if flt.outlet:
        conds.append(t.c.outlet == flt.outlet)
    return t, conds


def _daily_count(conn: Connection, flt: EventFilter) -> int | None:
    """The count from the daily tables when the filter is one they can answer, else None."""
    src = _daily_source(flt)
    if src is None:
        return None
    t, conds = src
    return int(conn.execute(select(func.coalesce(func.sum(t.c.n), 0)).where(*conds)).scalar_one())


# a page of events found by words says "more than 10,000" rather than count every match of a
# common word (a quarter of a large store)
SEARCH_COUNT_CAP = 10_000


def count_events(conn: Connection, flt: EventFilter, *, cap: int | None = None) -> int:
    """How many events match (from the daily counts when the filter allows: fast on large stores).

    ``cap``: a filter with words is counted up to ``cap + 1`` only (a result above ``cap`` means
    "more than ``cap``"): a common word's events are read newest first until there are that many.
    """
    if flt.claim_status and flt.claim_status not in CLAIM_STATUSES:
        flt.clauses()  # raises the same error as a listing would
    fast = _daily_count(conn, flt)
    if fast is not None:
        return fast
    if cap is not None and flt.reads_words_first(conn):
        some = flt.words_first(select(literal(1))).limit(cap + 1).subquery()
        return int(conn.execute(select(func.count()).select_from(some)).scalar_one())
    if cap is not None and flt.has_words():
        scan = flt.scan_search(conn, cap + 1)
        if scan or conn.dialect.name != "postgresql":
            some = flt.apply(select(literal(1)).select_from(events), scan).limit(cap + 1).subquery()
            with newest_first(conn):
                return int(conn.execute(select(func.count()).select_from(some)).scalar_one())
        # a rare word: every match from the index (the planner is not tempted by a LIMIT into
        # reading the whole period newest first), then capped like the others
        n = int(conn.execute(flt.apply(select(func.count()).select_from(events))).scalar_one())
        return min(n, cap + 1)
    return int(conn.execute(flt.apply(select(func.count()).select_from(events))).scalar_one())


def list_events(
    conn: Connection, flt: EventFilter, *, limit: int | None = None, offset: int = 0
) -> list[dict[str, Any]]:
    """Events (newest first by date, then id) with their sources."""
    scan = limit is not None and flt.scan_search(conn, offset + limit)
    if limit is not None and flt.reads_words_first(conn):
        stmt = flt.words_first(select(events)).offset(offset)
    else:
        stmt = (
            flt.apply(select(events), scan).order_by(events.c.date.desc(), events.c.id.desc()).offset(offset)
        )
    if limit is not None:
        stmt = stmt.limit(limit)
    if scan:
        with newest_first(conn):
            rows = conn.execute(stmt).all()
    else:
        rows = conn.execute(stmt).all()
    srcs = sources_of(conn, [r.id for r in rows])
    return [event_dict(r, srcs.get(r.id, [])) for r in rows]


def iter_events(conn: Connection, flt: EventFilter, page: int = 1000) -> Any:
    """All events matching ``flt`` in pages (bounded memory for exports)."""
    offset = 0
    while True:
        chunk = list_events(conn, flt, limit=page, offset=offset)
        if not chunk:
            return
        yield from chunk
        offset += page


def event_detail(conn: Connection, event_id: int) -> dict[str, Any]:
    """One event with every mention: outlet, document, exact sentence and how it was coded."""
    r = conn.execute(select(events).where(events.c.id == event_id)).first()
    if r is None:
        raise NotFoundError(f"no event with id {event_id}")
    out = event_dict(r, sources_of(conn, [event_id]).get(event_id, []))
    out["merged_into"] = r.merged_into  # the event this one was merged into (review_status "merged")
    rows = conn.execute(
        select(
            mentions,
            documents.c.outlet,
            *SHOWN_COLUMNS,
            documents.c.published,
            documents.c.title,
            documents.c.version,
            documents.c.current,
            documents.c.source,
            documents.c.fetched_at,
            documents.c.http_status,
            documents.c.archive_record,
        )
        .join(documents, documents.c.id == mentions.c.document_id)
        .where(mentions.c.event_id == event_id)
        .order_by(documents.c.published, mentions.c.id)
    ).all()
    out["mentions"] = [
        {
            "id": m.id,
            "document_id": m.document_id,
            "outlet": m.outlet,
            **shown(m),
            "published": iso_z(m.published),
            "field": m.field,
            "sentence": m.sentence,
            "span": [m.sent_start, m.sent_end],
            "trigger": m.trigger,
            "trigger_span": [m.trig_start, m.trig_end],
            "date": m.date.isoformat(),
            "date_jalali": jalali_iso(m.date),
            "date_precision": m.date_precision,
            "date_text": m.date_text,
            "place_text": m.place_text,
            "place": m.place_name,
            "place_key": m.place_key,
            "admin1": m.admin1,
            "quantity": m.quantity,
            "actor": m.actor,
            "claimant": m.claimant,
            "target": m.target,
            "confidence": m.confidence,
            "flags": [f for f in m.flags.split(",") if f],
            "coder": m.coder,
            "codebook": m.codebook,
            "model_version": m.model_version,
            "review_status": m.review_status,
            "document_version": m.version,
            "document_current": bool(m.current),
            "source": m.source,
            "fetched_at": iso_z(m.fetched_at) if m.fetched_at else None,
            "http_status": m.http_status,
            "archive_record": m.archive_record,
        }
        for m in rows
    ]
    return out


def document_text(conn: Connection, document_id: int) -> dict[str, Any]:
    r = conn.execute(select(documents).where(documents.c.id == document_id)).first()
    if r is None:
        raise NotFoundError(f"no document with id {document_id}")
    return dict(r._mapping)


# --- the dashboard ------------------------------------------------------------------------------------
def _sum(
    conn: Connection, source: tuple[Any, list[ColumnElement[bool]]], keys: Sequence[str]
) -> list[tuple[Any, ...]]:
    table, conds = source
    cols = [table.c[k] for k in keys]
    return [tuple(r) for r in conn.execute(select(*cols, func.sum(table.c.n)).where(*conds).group_by(*cols))]


def summary_counts(
    conn: Connection,
    period: Period,
    *,
    category: str | None = None,
    include_retired: bool = False,
    codebook: str = DEFAULT_CODEBOOK,
) -> dict[str, Any]:
    """Everything the dashboard shows for a period (optionally one category) of one codebook's
    events, from the daily counts.

    ``{"total", "by_category", "by_subtype", "by_month", "by_month_category": {month: {category: n}},
    "by_area", "by_claim_status", "by_review_status"}``
    """
    flt = EventFilter(period=period, category=category, include_retired=include_retired, codebook=codebook)
    kinds, areas = _daily_source(flt, "subtype"), _daily_source(flt, "area")
    assert kinds is not None and areas is not None  # a period and a category: both tables answer
    month = "jalali_month" if period.calendar == "jalali" else "greg_month"
    by_category: dict[str, int] = defaultdict(int)
    by_subtype: dict[str, int] = defaultdict(int)
    by_claim: dict[str, int] = defaultdict(int)
    by_review: dict[str, int] = defaultdict(int)
    for cat, sub, claim, review, n in _sum(
        conn, kinds, ["category", "subtype", "claim_status", "review_status"]
    ):
        by_category[cat] += int(n)
        by_subtype[sub] += int(n)
        by_claim[claim] += int(n)
        by_review[review] += int(n)
    months: dict[str, dict[str, int]] = {m: {} for m in months_in(period)}
    for m, cat, n in _sum(conn, kinds, [month, "category"]):
        months.setdefault(m, {})[cat] = int(n)
    by_area = {area: int(n) for area, n in _sum(conn, areas, ["area"])}
    return {
        "total": sum(by_category.values()),
        "by_category": dict(by_category),
        "by_subtype": dict(by_subtype),
        "by_month": {m: sum(v.values()) for m, v in months.items()},
        "by_month_category": months,
        "by_area": dict(sorted(by_area.items(), key=lambda kv: (-kv[1], kv[0]))),
        "by_claim_status": dict(by_claim),
        "by_review_status": dict(by_review),
    }


# --- outlets -------------------------------------------------------------------------------------
def load_stances(conn: Connection) -> dict[str, Outlet]:
    """Every outlet of the store with its stance, actor and language, by name."""
    rows = conn.execute(select(outlets.c.name, outlets.c.stance, outlets.c.actor, outlets.c.lang)).all()
    return {r.name: Outlet(r.name, r.stance, r.actor, r.lang) for r in rows}
