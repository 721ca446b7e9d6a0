"""Re-coding the stored reports after the codebook, the coder or the model changed (``eventledger recode``).

Nothing is fetched or read again: the current version of each stored report (optionally only
those published in a period) is coded again from its stored title and text, as a new run that
records its coder, codebook and model versions like an ingest does. Coding may run in worker
processes or on a cluster (``executor``); everything is then written in **one transaction** (a failed
recode changes nothing):

1. the report's earlier mentions are retired — kept, marked ``superseded`` (the mechanism a new
   version of a report uses, :func:`~eventledger.store.writer.retire_mentions`), so that history
   stays traceable;
2. the human decisions on the events those mentions belonged to (confirm, reject, correct, merge,
   split) are re-applied sentence by sentence: a new mention of the same sentence whose coding
   matches the reviewed one — on the fields the coder did not correct — joins the reviewed event
   with the reviewed values and status;
3. the other new mentions are resolved into events as an ingest would (the events that only the
   re-coded reports named are not joined, so the result equals a fresh ingest of the same reports
   with the new coder); a new event with the subtype, place and day of such an event — or with
   the same subtype and place and a sentence of it — keeps its id; the others are removed;
4. a decision that no longer fits (the reviewed sentence is no longer coded, or coded with another
   subtype, place or day) is not lost: the reviewed event keeps its reviewed mentions and is
   flagged (``events.review_flag``), as is the event the sentence went to; flagged events are in
   the review queue until a coder acts on them;
5. the dashboard's daily counts of every day touched are recomputed; the run records what changed.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select, update

from eventledger.aggregate.periods import Period
from eventledger.extract.codebook import Codebook, load_codebook
from eventledger.geocode.gazetteer import Gazetteer, default_gazetteer
from eventledger.outlets import Outlet
from eventledger.pipeline import (
    BATCH_SIZE,
    Executor,
    Ingestor,
    IngestResult,
    Run,
    coded_in_order,
    make_coder,
    versions,
)
from eventledger.records import Document, Mention, Place, RecordError
from eventledger.store import queries, writer
from eventledger.store.db import Store
from eventledger.store.schema import audit, audit_events, documents, events, mentions
from eventledger.store.summary import refresh_daily

if TYPE_CHECKING:
    from eventledger.extract.assist import AssistSpec

REVIEWED = ("confirmed", "corrected", "rejected")
MAX_IDS = 200  # event ids listed per kind of change in the run's counts
MAX_FLAG = 2000
# what a correction may have changed, by event column
_CORRECTED = {
    "category": "subtype",
    "subtype": "subtype",
    "place_key": "place",
    "date": "date",
    "quantity": "quantity",
}


@dataclass
class RecodeResult:
    run_id: int
    documents: int = 0  # reports coded again
    errors: int = 0  # reports whose coding failed (they keep their mentions)
    mentions_before: int = 0  # counting mentions of the re-coded reports, before and after
    mentions_after: int = 0
    events_before: int = 0  # events the re-coded reports named before
    events_added: int = 0
    events_removed: int = 0
    events_kept: int = 0
    events_rekeyed: int = 0  # kept events whose subtype, place or day changed
    mentions_moved: int = 0  # a sentence's mention of a subtype now in another event, or its event re-keyed
    decisions: int = 0  # reviewed events the re-coded reports named
    decisions_reapplied: int = 0
    decisions_to_review: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    dropped_candidates: int = 0
    added_ids: list[int] = field(default_factory=list)
    removed_ids: list[int] = field(default_factory=list)
    flagged_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0

    def counts(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "errors": self.errors,
            "mentions_before": self.mentions_before,
            "mentions_after": self.mentions_after,
            "events_before": self.events_before,
            "events_added": self.events_added,
            "events_removed": self.events_removed,
            "events_kept": self.events_kept,
            "events_rekeyed": self.events_rekeyed,
            "mentions_moved": self.mentions_moved,
            "decisions": self.decisions,
            "decisions_reapplied": self.decisions_reapplied,
            "decisions_to_review": self.decisions_to_review,
            "dropped_triggers": dict(sorted(self.dropped.items())),
            "dropped_candidates": self.dropped_candidates,
            "added_ids": self.added_ids[:MAX_IDS],
            "removed_ids": self.removed_ids[:MAX_IDS],
            "flagged_ids": self.flagged_ids[:MAX_IDS],
            "seconds": round(self.seconds, 3),
        }


@dataclass
class _Coded:
    """One stored report coded again."""

    doc_id: int
    outlet: str
    published: dt.datetime  # UTC, naive (as stored)
    kept: list[Mention]
    dropped: list[Mention]


def stored_document(r: Any) -> Document:
    """The record the coder takes, from a stored ``documents`` row (the text as stored)."""
    return Document(
        outlet=r.outlet,
        external_id=r.external_id,
        url=r.url,
        published=r.published.replace(tzinfo=dt.UTC),
        lang=r.lang,
        title=r.title or "",
        text=r.text,
        content_hash=r.content_hash,
        origin=r.origin,
        lang_detected=bool(r.lang_detected),
        source=r.source,
        fetched_at=r.fetched_at.replace(tzinfo=dt.UTC) if r.fetched_at else None,
        http_status=r.http_status,
        archive_record=r.archive_record,
    )


def _to_recode(stmt: Any, period: Period | None) -> Any:
    """``stmt`` limited to the reports a recode codes again: current versions (published in ``period``)."""
    stmt = stmt.where(documents.c.current.is_(True))
    if period is not None:
        stmt = stmt.where(documents.c.published_local.between(period.start, period.end))
    return stmt


def count_to_recode(store: Store, period: Period | None = None) -> int:
    """How many stored reports :func:`recode` would code again (for a progress display)."""
    with store.connect() as conn:
        return int(conn.execute(_to_recode(select(func.count()).select_from(documents), period)).scalar_one())


def _stored_batches(store: Store, period: Period | None, size: int) -> Iterator[list[tuple[int, Document]]]:
    """Current versions of the stored reports (published in ``period``), by id, ``size`` at a time."""
    last = 0
    while True:
        stmt = _to_recode(select(documents).where(documents.c.id > last), period)
        with store.connect() as conn:
            rows = conn.execute(stmt.order_by(documents.c.id).limit(size)).all()
        if not rows:
            return
        last = rows[-1].id
        yield [(r.id, stored_document(r)) for r in rows]


def recode(
    store: Store,
    codebook: Codebook | None = None,
    gazetteer: Gazetteer | None = None,
    *,
    period: Period | None = None,
    assist: AssistSpec | None = None,
    gate: str | None = None,
    workers: int = 1,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
    executor: Executor | None = None,
) -> RecodeResult:
    """Code the stored reports again with ``codebook`` (and ``assist``'s model) as a new run.

    ``progress`` is called after each batch with the number of reports coded so far, failed ones included.
    ``executor`` codes the batches elsewhere (a cluster, :mod:`eventledger.cluster`) instead of in
    ``workers`` processes of this machine; the result is the same."""
    cb = codebook or load_codebook()
    gaz = gazetteer or default_gazetteer()
    ingestor = Ingestor(
        store, cb, gaz, batch_size=batch_size, workers=workers, assist=assist, gate=gate, executor=executor
    )
    with store.begin() as conn:
        stances = queries.load_stances(conn)
    coder = make_coder(cb, gaz, stances, assist, gate)
    params = {
        "period": period.label if period else None,
        "calendar": period.calendar if period else None,
        "codebook": cb.ref,
        "model": assist.model_dir if assist else None,
        "coder": assist.mode if assist else "rules",
        "gate": gate,
    }
    with store.begin() as conn:
        run_id = writer.start_run(conn, "recode", params, versions(coder, cb, gaz))
    result = RecodeResult(run_id)
    started = time.perf_counter()
    run = Run(ingestor, IngestResult(run_id), coder, stances, workers)
    status = "failed"
    try:
        coded: list[_Coded] = []
        errors: list[RecordError] = []
        for batch, processed in coded_in_order(run, _stored_batches(store, period, batch_size)):
            for k, v in processed.dropped.items():
                result.dropped[k] = result.dropped.get(k, 0) + v
            for j, item in enumerate(processed.items):  # one item per report, in order
                if isinstance(item, RecordError):
                    errors.append(item)
                    continue
                doc_id = batch[j][0]
                coded.append(
                    _Coded(
                        doc_id,
                        item[0].outlet,
                        writer.utc_naive(item[0].published),
                        item[1],
                        processed.candidates.get(j, []),
                    )
                )
            if progress:
                progress(len(coded) + len(errors))
        result.errors = len(errors)
        with store.begin() as conn:
            _write(conn, coded, stances, result, batch_size, cb.id)
            writer.add_errors(conn, run_id, errors)
        status = "ok"
    finally:
        run.close()
        result.seconds = time.perf_counter() - started
        with store.begin() as conn:
            writer.finish_run(conn, run_id, result.counts(), status)
    return result


# --- the write ---------------------------------------------------------------------------------------
def _in_sentence(o: Any, m: Mention) -> bool:
    return bool(o.field == m.field and o.sent_start <= m.trig_start < o.sent_end)


def _fits(o: Any, m: Mention, corrected: set[str]) -> bool:
    """Whether a new mention codes the sentence as the reviewed mention ``o`` did (on the fields
    the coder did not correct)."""
    return (
        ("subtype" in corrected or m.subtype == o.subtype)
        and ("place" in corrected or m.place_key == o.place_key)
        and ("date" in corrected or m.date == o.date)
    )


def _as_reviewed(m: Mention, o: Any, corrected: set[str]) -> Mention:
    """A new mention with the values a coder corrected on the reviewed one."""
    changes: dict[str, Any] = {}
    if "subtype" in corrected:
        changes.update(category=o.category, subtype=o.subtype)
    if "place" in corrected:
        changes["place"] = Place(
            o.place_key, o.place_name or o.place_key, None, o.country or "", o.admin1, o.lat, o.lon,
            o.place_precision,
        )  # fmt: skip
    if "date" in corrected:
        changes.update(date=o.date, date_precision=o.date_precision)
    if "quantity" in corrected:
        changes["quantity"] = o.quantity
    return replace(m, **changes) if changes else m


def corrected_fields(conn: Connection, event_ids: Sequence[int]) -> dict[int, set[str]]:
    """Per event, what coders corrected on it (or on events merged into it): subtype, place,
    date, quantity — from the audit entries not reverted."""
    out: dict[int, set[str]] = defaultdict(set)
    if not event_ids:
        return out
    merged: dict[int, int] = {}
    for part in writer.chunks(event_ids):
        for eid, into in conn.execute(
            select(events.c.id, events.c.merged_into).where(events.c.merged_into.in_(part))
        ):
            merged[int(eid)] = int(into)
    wanted = {*event_ids, *merged}
    for part in writer.chunks(sorted(wanted)):
        rows = conn.execute(
            select(audit.c.before, audit.c.after, audit_events.c.event_id)
            .join(audit_events, audit_events.c.audit_id == audit.c.id)
            .where(
                audit_events.c.event_id.in_(part),
                audit.c.action == "correct",
                audit.c.reverted_by.is_(None),
            )
        )
        for r in rows:
            key = str(r.event_id)
            b, a = (r.before or {}).get("events", {}).get(key), (r.after or {}).get("events", {}).get(key)
            if not b or not a:
                continue
            target = merged.get(r.event_id, r.event_id)
            out[target].update(f for col, f in _CORRECTED.items() if b.get(col) != a.get(col))
    return out


def _where_now(conn: Connection, doc_ids: Sequence[int], run_id: int) -> list[Any]:
    """The re-coded reports' new mentions as stored (with their event)."""
    out: list[Any] = []
    for part in writer.chunks(doc_ids):
        out.extend(
            conn.execute(
                select(
                    mentions.c.id, mentions.c.document_id, mentions.c.field, mentions.c.trig_start,
                    mentions.c.subtype, mentions.c.place_key, mentions.c.place_name, mentions.c.date,
                    mentions.c.event_id, mentions.c.review_status,
                ).where(mentions.c.document_id.in_(part), mentions.c.run_id == run_id)
            )
        )  # fmt: skip
    return out


def _event_rows(conn: Connection, ids: Sequence[int]) -> dict[int, Any]:
    out: dict[int, Any] = {}
    for part in writer.chunks(sorted(set(ids))):
        cols = (events.c.id, events.c.subtype, events.c.place_key, events.c.date, events.c.review_status,
                events.c.review_flag, events.c.created_run)  # fmt: skip
        out.update({r.id: r for r in conn.execute(select(*cols).where(events.c.id.in_(part)))})
    return out


def _write(
    conn: Connection,
    coded: Sequence[_Coded],
    stances: Mapping[str, Outlet],
    result: RecodeResult,
    batch_size: int,
    codebook: str,
) -> None:
    """Replace the re-coded reports' mentions of ``codebook`` (its id), re-resolve their events,
    re-apply the reviews; the mentions of other codebooks stay as they are."""
    current: set[int] = set()
    for part in writer.chunks(
        [c.doc_id for c in coded]
    ):  # a report that got a new version meanwhile is left alone
        current.update(
            conn.execute(
                select(documents.c.id).where(documents.c.id.in_(part), documents.c.current.is_(True))
            ).scalars()
        )
    w = _Rewrite(conn, [c for c in coded if c.doc_id in current], stances, result, codebook)
    w.load()
    w.match_decisions()
    w.retire()
    w.resolve(batch_size)
    restored = w.review_unfit()
    w.settle()
    w.record(restored)


class _Rewrite:
    """The steps of one recode's write, in one transaction (see the module's docstring)."""

    def __init__(
        self,
        conn: Connection,
        coded: Sequence[_Coded],
        stances: Mapping[str, Outlet],
        result: RecodeResult,
        codebook: str,
    ) -> None:
        self.conn = conn
        self.codebook = codebook
        self.coded = coded
        self.stances = stances
        self.result = result
        self.run_id = result.run_id
        self.doc_ids = [c.doc_id for c in coded]
        self.old: list[Any] = []  # the re-coded reports' mentions before (not yet superseded)
        self.before: dict[int, Any] = {}  # the events they named, as they were
        self.reviewed: dict[int, Any] = {}  # those a coder reviewed
        self.corrected: dict[int, set[str]] = {}
        # every new mention: (report, index in the report, mention)
        self.new: list[tuple[_Coded, int, Mention]] = [(c, k, m) for c in coded for k, m in enumerate(c.kept)]
        self.claimed: dict[
            int, tuple[int, Any]
        ] = {}  # index into ``new`` → (reviewed event, reviewed mention)
        self.unapplied: dict[int, list[Any]] = defaultdict(list)
        self.touched: list[int] = []
        self.exclude: set[int] = set()
        self.flags: dict[int, list[str]] = defaultdict(list)
        self.created: list[int] = []
        self.removed: list[int] = []

    def load(self) -> None:
        for part in writer.chunks(self.doc_ids):
            self.old.extend(
                self.conn.execute(
                    select(mentions).where(
                        mentions.c.document_id.in_(part),
                        mentions.c.review_status != "superseded",
                        mentions.c.codebook.like(f"{self.codebook}@%"),
                    )
                )
            )
        self.result.documents = len(self.doc_ids)
        self.result.mentions_before = sum(o.review_status not in writer.INACTIVE for o in self.old)
        self.before = _event_rows(self.conn, [o.event_id for o in self.old if o.event_id is not None])
        self.result.events_before = len(self.before)
        self.reviewed = {e: r for e, r in self.before.items() if r.review_status in REVIEWED}
        self.corrected = corrected_fields(self.conn, sorted(self.reviewed))
        self.result.decisions = len(self.reviewed)

    def match_decisions(self) -> None:
        """Each reviewed mention finds the new mention of its sentence that codes it the same way."""
        by_doc: dict[int, list[int]] = defaultdict(list)  # document → indexes into ``new``
        for i, (c, _, _) in enumerate(self.new):
            by_doc[c.doc_id].append(i)
        old_of: dict[int, list[Any]] = defaultdict(list)
        for o in self.old:
            if o.event_id in self.reviewed:
                old_of[o.event_id].append(o)
        for eid in sorted(old_of):
            fields = self.corrected.get(eid, set())
            for o in sorted(old_of[eid], key=lambda r: r.id):
                options = [
                    i for i in by_doc.get(o.document_id, [])
                    if i not in self.claimed and _in_sentence(o, self.new[i][2]) and _fits(o, self.new[i][2], fields)
                ]  # fmt: skip
                if options:
                    best = min(options, key=lambda i: (abs(self.new[i][2].trig_start - o.trig_start), i))
                    self.claimed[best] = (eid, o)
                else:
                    self.unapplied[eid].append(o)

    def retire(self) -> None:
        """The earlier mentions retire; machine events only they named are no longer joined."""
        self.touched = writer.retire_mentions(self.conn, self.doc_ids, self.codebook)
        alive = _active_events(self.conn, self.touched)
        writer.refresh_events(self.conn, sorted(alive), self.stances, self.run_id)
        self.exclude = {
            e
            for e in self.touched
            if e not in alive and e in self.before and self.before[e].review_status == "machine"
        }

    def _reuse(self) -> writer.Reuse:
        """A new event keeps the id of an excluded one with its subtype, place and day, or with its
        subtype and place and one of its sentences."""
        by_key: dict[tuple[str, str, dt.date], list[int]] = defaultdict(list)
        for e in sorted(self.exclude):
            r = self.before[e]
            by_key[(r.subtype, r.place_key, r.date)].append(e)
        sentences: dict[int, list[Any]] = defaultdict(list)  # report → old mentions of excluded events
        for o in self.old:
            if o.event_id in self.exclude:
                sentences[o.document_id].append(o)
        exclude = self.exclude

        def reuse(ev: Any, members: Sequence[writer.Placed]) -> int | None:
            for e in by_key.get((ev.subtype, ev.place_key, ev.date), []):
                if e in exclude:
                    return e
            for b in members:
                for o in sentences.get(b.doc_id, []):
                    same = (o.subtype, o.place_key) == (ev.subtype, ev.place_key)
                    if same and o.event_id in exclude and _in_sentence(o, b.mention):
                        return int(o.event_id)
            return None

        return reuse

    def resolve(self, batch_size: int) -> None:
        """Reviewed sentences join their event; the rest is resolved as an ingest would."""
        items = []
        for i, (eid, o) in sorted(self.claimed.items()):
            c, _, m = self.new[i]
            m = _as_reviewed(m, o, self.corrected.get(eid, set()))
            items.append((writer.Placed(c.doc_id, c.outlet, c.published, m), eid, str(o.review_status)))
        writer.insert_mentions(self.conn, items, self.run_id)
        joined = sorted({eid for eid, _ in self.claimed.values()})
        writer.refresh_events(self.conn, joined, self.stances, self.run_id)
        reuse = self._reuse()
        by_doc: dict[int, list[writer.Placed]] = defaultdict(list)
        for i, (c, _, m) in enumerate(self.new):
            if i not in self.claimed:
                by_doc[c.doc_id].append(writer.Placed(c.doc_id, c.outlet, c.published, m))
        # batches of reports as an ingest writes them, so that the result is the same
        for k in range(0, len(self.doc_ids), batch_size):
            placed = [p for d in self.doc_ids[k : k + batch_size] for p in by_doc.get(d, [])]
            if placed:
                writer.attach_mentions(
                    self.conn, placed, self.run_id, self.stances, exclude=self.exclude, reuse=reuse
                )

    def review_unfit(self) -> list[int]:
        """Decisions that no longer fit are flagged for review; a reviewed event that lost every
        sentence keeps its reviewed ones. Returns the mentions restored."""
        now_by_doc: dict[int, list[Any]] = defaultdict(list)
        for n in _where_now(self.conn, self.doc_ids, self.run_id):
            now_by_doc[n.document_id].append(n)
        active = _active_events(self.conn, sorted(self.reviewed))
        restore: list[Any] = []
        for eid in sorted(self.reviewed):
            if not self.unapplied.get(eid):
                self.result.decisions_reapplied += 1
                continue
            status = self.reviewed[eid].review_status
            self.result.decisions_to_review += 1
            notes = []
            for o in self.unapplied[eid]:
                went = [n for n in now_by_doc.get(o.document_id, []) if _in_sentence(o, n)]
                if not went:
                    notes.append(f"report {o.document_id}: its sentence is no longer coded")
                for n in went:
                    where = n.place_name or n.place_key
                    notes.append(
                        f"report {o.document_id}: now coded as {n.subtype} in {where} on {n.date} (#{n.event_id})"
                    )
                    if n.event_id is not None and n.event_id != eid:
                        self.flags[n.event_id].append(
                            f"recode run {self.run_id}: a sentence of {status} event #{eid} is now coded here"
                        )
            self.flags[eid].append(
                f"recode run {self.run_id}: the {status} decision no longer fits: " + "; ".join(notes)
            )
            if status != "rejected" and eid not in active:
                # the reviewed event keeps counting with its reviewed sentences until a coder decides
                restore.extend(o for o in self.unapplied[eid] if o.review_status not in writer.INACTIVE)
        for o in restore:
            self.conn.execute(
                update(mentions).where(mentions.c.id == o.id).values(review_status=o.review_status)
            )
        return [o.id for o in restore]

    def settle(self) -> None:
        """Events no mention names any more are removed, the others recomputed; flags; daily counts."""
        conn = self.conn
        self.created = [
            int(e)
            for e in conn.execute(select(events.c.id).where(events.c.created_run == self.run_id)).scalars()
        ]
        self.removed = writer.settle_events(conn, self.touched, self.stances, self.run_id, keep=self.reviewed)
        writer.refresh_events(conn, sorted(set(self.created) | set(self.reviewed)), self.stances, self.run_id)
        existing = _event_rows(conn, [*self.flags, *self.touched, *self.created])
        for eid, notes in sorted(self.flags.items()):
            if eid not in existing:
                continue
            text = "; ".join(dict.fromkeys(notes))
            prior = existing[eid].review_flag
            if prior:
                text = f"{prior}\n{text}"
            conn.execute(update(events).where(events.c.id == eid).values(review_flag=text[-MAX_FLAG:]))
        self.result.flagged_ids = sorted(e for e in self.flags if e in existing)
        writer.clear_dropped(conn, self.doc_ids)
        self.result.dropped_candidates = writer.store_dropped(
            conn, [(c.doc_id, c.dropped) for c in self.coded], self.run_id
        )
        refresh_daily(conn, {r.date for r in self.before.values()} | {r.date for r in existing.values()})

    def record(self, restored: Sequence[int]) -> None:
        """What changed, for the run's counts."""
        res, before = self.result, self.before
        after = _event_rows(self.conn, self.touched)
        res.events_removed = len(self.removed)
        res.removed_ids = self.removed
        res.added_ids = sorted(e for e in self.created if e not in before)
        res.events_added = len(res.added_ids)
        res.events_kept = len(after)
        res.events_rekeyed = sum(
            (after[e].subtype, after[e].place_key, after[e].date)
            != (before[e].subtype, before[e].place_key, before[e].date)
            for e in after
            if e in before
        )
        now = _where_now(self.conn, self.doc_ids, self.run_id)
        res.mentions_after = sum(n.review_status not in writer.INACTIVE for n in now) + len(restored)
        where = _event_rows(self.conn, [n.event_id for n in now if n.event_id is not None])
        res.mentions_moved = _moved(self.old, now, before, where)


def _active_events(conn: Connection, ids: Sequence[int]) -> set[int]:
    out: set[int] = set()
    for part in writer.chunks(ids):
        out.update(
            conn.execute(
                select(mentions.c.event_id)
                .distinct()
                .where(mentions.c.event_id.in_(part), mentions.c.review_status.not_in(writer.INACTIVE))
            ).scalars()
        )
    return out


def _attach(
    conn: Connection,
    new: Sequence[tuple[_Coded, int, Mention]],
    rest: Sequence[int],
    start: int,
    docs: set[int],
    run_id: int,
    stances: Mapping[str, Outlet],
    exclude: set[int],
    reuse: writer.Reuse,
) -> int:
    """Resolve the unclaimed new mentions of one batch of reports; returns where the next batch starts."""
    end = start
    while end < len(rest) and new[rest[end]][0].doc_id in docs:
        end += 1
    placed = [
        writer.Placed(new[i][0].doc_id, new[i][0].outlet, new[i][0].published, new[i][2])
        for i in rest[start:end]
    ]
    if placed:
        writer.attach_mentions(conn, placed, run_id, stances, exclude=exclude, reuse=reuse)
    return end


def _moved(
    old: Sequence[Any], now: Sequence[Any], before: Mapping[int, Any], after: Mapping[int, Any]
) -> int:
    """Sentences whose mention of a subtype is now in another event, or in an event re-keyed."""
    now_by_doc: dict[int, list[Any]] = defaultdict(list)
    for n in now:
        now_by_doc[n.document_id].append(n)
    moved = 0
    for o in old:
        if o.event_id is None or o.event_id not in before:
            continue
        same = [
            n for n in now_by_doc.get(o.document_id, [])
            if n.field == o.field and o.sent_start <= n.trig_start < o.sent_end and n.subtype == o.subtype
        ]  # fmt: skip
        if not same:
            continue
        n = min(same, key=lambda n: (n.place_key != o.place_key, abs(n.trig_start - o.trig_start), n.id))
        b, a = before[o.event_id], after.get(n.event_id)
        if (
            n.event_id != o.event_id
            or a is None
            or (a.subtype, a.place_key, a.date) != (b.subtype, b.place_key, b.date)
        ):
            moved += 1
    return moved
