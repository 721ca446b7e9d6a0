"""Frozen dataset releases: a version of the events that researchers can cite and that never changes.

``create`` freezes the counted events of a period (or of every date) — each with its sources and
the mentions behind it (the exact sentence, who coded it with which codebook and model) — into
gzipped JSON lines stored in the database, with the versions that produced them and a sha256 over
the frozen content. The tables refuse UPDATE and DELETE (migration 0008), every read checks the
checksums, and an export or report made ``--release NAME`` reads only the frozen lines, so it is
byte-identical whenever it is made again.

``diff`` says which events were added, removed or changed between two releases, and why: new
reports, a coder's decision (confirm, correct, merge, reject, split), or re-coding (another
codebook, coder or model).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import Connection, and_, insert, select

from eventledger.aggregate.periods import Period
from eventledger.errors import ConfigError, NotFoundError, StoreError
from eventledger.extract.codebook import DEFAULT_CODEBOOK, codebook_id
from eventledger.store import scan
from eventledger.store.queries import RETIRED, EventFilter, iso_z
from eventledger.store.schema import events, release_chunks, releases
from eventledger.store.writer import now
from eventledger.version import __version__

CHUNK = 5000  # events a chunk
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
MENTION_FIELDS = ("coder", "codebook", "model_version")


@dataclass(frozen=True)
class Release:
    """A release's metadata (its events are read with :func:`iter_events`)."""

    id: int
    name: str
    created_at: dt.datetime
    created_by: str
    note: str | None
    title: str | None
    authors: list[str]
    period: dict[str, str] | None
    codebook: str
    versions: dict[str, dict[str, int]]
    n_events: int
    n_mentions: int
    checksum: str

    @property
    def version(self) -> str:
        """``NAME@sha256-prefix``: what exports and reports print as their dataset version."""
        return f"{self.name}@{self.checksum[:12]}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "created_at": iso_z(self.created_at),
            "created_by": self.created_by,
            "note": self.note,
            "title": self.title,
            "authors": self.authors,
            "period": self.period,
            "codebook": self.codebook,
            "versions": self.versions,
            "n_events": self.n_events,
            "n_mentions": self.n_mentions,
            "checksum": self.checksum,
            "version": self.version,
        }


def _release(r: Any) -> Release:
    return Release(
        id=int(r.id), name=r.name, created_at=r.created_at, created_by=r.created_by, note=r.note, title=r.title,
        authors=list(r.authors or []), period=r.period, codebook=r.codebook, versions=dict(r.versions or {}),
        n_events=int(r.n_events), n_mentions=int(r.n_mentions), checksum=r.checksum,
    )  # fmt: skip


# --- reading the live store in id order ------------------------------------------------------------------
def live_events(conn: Connection, flt: EventFilter, *, page: int = CHUNK) -> Iterator[list[dict[str, Any]]]:
    """The events ``flt`` counts, in id order, ``page`` at a time (keyset paging: linear time), each
    with its sources and mentions."""
    for p in scan.pages(conn, flt, size=page, mentions=True):
        assert p.mentions is not None
        batch = []
        for r in p.events:
            e = scan.event_record(r, p.sources.get(r[0], ()))
            e["mentions"] = p.mentions.get(r[0], [])
            batch.append(e)
        yield batch


def _line(e: Mapping[str, Any]) -> bytes:
    """``<id>\t<the event as compact JSON, keys sorted>\n`` (orjson: the same bytes for the same event)."""
    return b"%d\t%s\n" % (e["id"], orjson.dumps(e, option=orjson.OPT_SORT_KEYS))


# --- creating -----------------------------------------------------------------------------------------
def create(
    conn: Connection,
    name: str,
    *,
    period: Period | None = None,
    note: str | None = None,
    title: str | None = None,
    authors: Sequence[str] = (),
    created_by: str = "eventledger",
    codebook: str | None = None,
    events_of: str = DEFAULT_CODEBOOK,
) -> Release:
    """Freeze the events of codebook ``events_of`` (an id) counted in ``period`` (every date when
    None) as release ``name``; ``codebook`` names the codebook reference to record (default: the
    one most of the frozen mentions were coded with)."""
    if not _NAME.match(name):
        raise ConfigError(
            f"release name {name!r}: 1 to 80 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    if conn.execute(select(releases.c.id).where(releases.c.name == name)).first() is not None:
        raise ConfigError(
            f"a release named {name!r} exists already: releases never change; choose another name"
        )
    flt = EventFilter(period=period, codebook=events_of)
    created_at = now().replace(microsecond=0)
    release_id = conn.execute(
        insert(releases)
        .values(
            name=name,
            created_at=created_at,
            created_by=created_by,
            note=note,
            title=title,
            authors=list(authors),
            period=_period_dict(period),
            codebook=codebook or "",
            versions={},
            n_events=0,
            n_mentions=0,
            checksum="",
        )
        .returning(releases.c.id)
    ).scalar_one()
    # a placeholder (empty checksum) inside this transaction, completed once below; the database
    # refuses any later change (migration 0008)
    digest = hashlib.sha256()
    coded: Counter[tuple[str, ...]] = Counter()
    n_events = n_mentions = 0
    # a chunk is compressed and hashed in a thread (zlib and hashlib let go of the GIL) while the
    # next one is read; chunks are written in order, by this thread, on this connection
    with ThreadPoolExecutor(max_workers=1) as pool, scan.bulk():
        pending: tuple[dict[str, Any], Future[tuple[bytes, str]]] | None = None
        for seq, batch in enumerate(live_events(conn, flt)):
            lines = b"".join(_line(e) for e in batch)
            digest.update(lines)
            coded.update(tuple(str(m[f] or "") for f in MENTION_FIELDS) for e in batch for m in e["mentions"])
            n_events += len(batch)
            if pending is not None:
                _write_chunk(conn, *pending)
            chunk = {"release_id": release_id, "seq": seq, "first_id": batch[0]["id"],
                     "last_id": batch[-1]["id"], "n_events": len(batch)}  # fmt: skip
            pending = (chunk, pool.submit(_pack, lines))
        if pending is not None:
            _write_chunk(conn, *pending)
    n_mentions = sum(coded.values())
    versions: dict[str, Counter[str]] = {f: Counter() for f in MENTION_FIELDS}
    for key, n in coded.items():
        for f, value in zip(MENTION_FIELDS, key, strict=True):
            versions[f][value] += n
    most = versions["codebook"].most_common(1)
    values = {
        "codebook": codebook or (most[0][0] if most else ""),
        "versions": {f: dict(sorted(c.items())) for f, c in versions.items()},
        "n_events": n_events,
        "n_mentions": n_mentions,
        "checksum": digest.hexdigest(),
    }
    _finish(conn, release_id, values)
    return get(conn, name)


def _pack(lines: bytes) -> tuple[bytes, str]:
    return gzip.compress(lines, compresslevel=1, mtime=0), hashlib.sha256(lines).hexdigest()


def _write_chunk(conn: Connection, chunk: dict[str, Any], packed: Future[tuple[bytes, str]]) -> None:
    payload, sha = packed.result()
    conn.execute(insert(release_chunks).values(**chunk, payload=payload, sha256=sha))


def _finish(conn: Connection, release_id: int, values: Mapping[str, Any]) -> None:
    """Complete the placeholder row (its one permitted update: its checksum was empty)."""
    conn.execute(
        releases.update().where(releases.c.id == release_id, releases.c.checksum == "").values(**values)
    )


def _period_dict(p: Period | None) -> dict[str, str] | None:
    if p is None:
        return None
    return {"label": p.label, "calendar": p.calendar, "start": p.start.isoformat(), "end": p.end.isoformat()}


# --- reading -----------------------------------------------------------------------------------------
def get(conn: Connection, name: str) -> Release:
    r = conn.execute(select(releases).where(releases.c.name == name)).first()
    if r is None:
        known = [x for (x,) in conn.execute(select(releases.c.name).order_by(releases.c.id))]
        hint = f" (releases: {', '.join(known[-10:])})" if known else " (there is no release yet)"
        raise NotFoundError(f"no release named {name!r}{hint}")
    return _release(r)


def list_all(conn: Connection) -> list[Release]:
    return [_release(r) for r in conn.execute(select(releases).order_by(releases.c.id))]


def iter_lines(conn: Connection, release: Release) -> Iterator[tuple[int, str]]:
    """(event id, the event's frozen JSON) in id order; every chunk's checksum and the release's
    checksum are verified (:class:`~eventledger.errors.StoreError` when something changed)."""
    digest = hashlib.sha256()
    last_seq = -1
    for seq in _seqs(conn, release.id):
        payload = conn.execute(
            select(release_chunks.c.payload, release_chunks.c.sha256).where(
                and_(release_chunks.c.release_id == release.id, release_chunks.c.seq == seq)
            )
        ).one()
        lines = gzip.decompress(payload.payload)
        if hashlib.sha256(lines).hexdigest() != payload.sha256:
            raise StoreError(f"release {release.name!r}: chunk {seq} does not match its checksum")
        digest.update(lines)
        last_seq = seq
        for raw in lines.decode("utf-8").splitlines():
            head, _, body = raw.partition("\t")
            yield int(head), body
    if digest.hexdigest() != release.checksum:
        raise StoreError(
            f"release {release.name!r}: its events do not match the release's checksum"
            f" ({last_seq + 1} chunks read)"
        )


def _seqs(conn: Connection, release_id: int) -> list[int]:
    return [
        int(s)
        for (s,) in conn.execute(
            select(release_chunks.c.seq)
            .where(release_chunks.c.release_id == release_id)
            .order_by(release_chunks.c.seq)
        )
    ]


def iter_events(conn: Connection, release: Release) -> Iterator[dict[str, Any]]:
    """The frozen events, in id order (the shape of ``eventledger events --format jsonl``, with
    ``mentions``)."""
    for _, body in iter_lines(conn, release):
        event: dict[str, Any] = orjson.loads(body)
        yield event


def verify(conn: Connection, release: Release) -> int:
    """Read every frozen event and check every checksum; returns the number of events."""
    return sum(1 for _ in iter_lines(conn, release))


def citation(release: Release, *, url: str | None = None) -> str:
    """A citation of the release in the Citation File Format (CITATION.cff)."""
    authors = release.authors or ["eventledger contributors"]
    title = release.title or f"Event dataset, release {release.name}"
    lines = [
        "cff-version: 1.2.0",
        'message: "If you use this dataset, please cite this release."',
        "type: dataset",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        "authors:",
        *(f"  - name: {json.dumps(a, ensure_ascii=False)}" for a in authors),
        f"version: {json.dumps(release.name)}",
        f"date-released: {release.created_at.date().isoformat()}",
        "identifiers:",
        "  - type: other",
        f'    value: "sha256:{release.checksum}"',
        '    description: "sha256 of the frozen events (eventledger release verify)"',
    ]
    if release.note:
        lines.append(f"abstract: {json.dumps(release.note, ensure_ascii=False)}")
    if url:
        lines.append(f"url: {json.dumps(url)}")
    lines.append(f'keywords: ["event data", "{release.codebook}", "eventledger {__version__}"]')
    return "\n".join(lines) + "\n"


# --- diff -----------------------------------------------------------------------------------------------
@dataclass
class Diff:
    a: str
    b: str
    added: list[dict[str, Any]] = field(default_factory=list)  # {"id", "subtype", "date", "why"}
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)  # {"id", "fields": {f: [a, b]}, "why": [...]}
    unchanged: int = 0

    def as_dict(self) -> dict[str, Any]:
        reasons: Counter[str] = Counter()
        for item in (*self.added, *self.removed, *self.changed):
            reasons.update(item["why"] if isinstance(item["why"], list) else [item["why"]])
        return {
            "a": self.a,
            "b": self.b,
            "added": len(self.added),
            "removed": len(self.removed),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
            "why": dict(sorted(reasons.items())),
            "events": {"added": self.added, "removed": self.removed, "changed": self.changed},
        }


COMPARED = ("category", "subtype", "date", "place", "quantity", "actor", "claim_status", "review_status")


def _coding(e: Mapping[str, Any]) -> set[tuple[str, str, str]]:
    return {(m["coder"], m["codebook"], m.get("model_version") or "") for m in e.get("mentions", [])}


def _why_changed(ea: Mapping[str, Any], eb: Mapping[str, Any], fields: Mapping[str, Any]) -> list[str]:
    why = []
    docs_a = {m["document_id"] for m in ea.get("mentions", [])}
    docs_b = {m["document_id"] for m in eb.get("mentions", [])}
    if docs_b - docs_a:
        why.append("new reports")
    if docs_a - docs_b:
        why.append("reports withdrawn or re-coded away")
    status_a, status_b = ea.get("review_status"), eb.get("review_status")
    if status_a != status_b or (fields and status_b in ("confirmed", "corrected")):
        why.append(f"review: {status_b}")
    if _coding(ea) != _coding(eb):
        why.append("re-coding")
    if "claim_status" in fields and not why:
        why.append("outlet stances")
    return why or ["other"]


def _summary(e: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": e["id"],
        "subtype": e["subtype"],
        "date": e["date"],
        "place": (e.get("place") or {}).get("name"),
    }


def diff(conn: Connection, a: Release, b: Release) -> Diff:
    """What changed from release ``a`` to release ``b``, event by event (a merge of two id-ordered
    streams: memory holds the changed events only)."""
    out = Diff(a.name, b.name)
    live = _live_status(conn)
    ia, ib = iter_lines(conn, a), iter_lines(conn, b)
    xa, xb = next(ia, None), next(ib, None)
    while xa is not None or xb is not None:
        if xb is None or (xa is not None and xa[0] < xb[0]):
            assert xa is not None
            ea = json.loads(xa[1])
            out.removed.append({**_summary(ea), "why": _why_removed(ea, live, b)})
            xa = next(ia, None)
        elif xa is None or xb[0] < xa[0]:
            eb = json.loads(xb[1])
            docs = {m["document_id"] for m in eb.get("mentions", [])}
            out.added.append({**_summary(eb), "why": _why_added(eb, docs, a, live)})
            xb = next(ib, None)
        else:
            if xa[1] == xb[1]:
                out.unchanged += 1
            else:
                ea, eb = json.loads(xa[1]), json.loads(xb[1])
                fields = {f: [ea.get(f), eb.get(f)] for f in COMPARED if ea.get(f) != eb.get(f)}
                if ea.get("sources") != eb.get("sources"):
                    fields["sources"] = [len(ea.get("sources", [])), len(eb.get("sources", []))]
                out.changed.append({"id": ea["id"], "fields": fields, "why": _why_changed(ea, eb, fields)})
            xa, xb = next(ia, None), next(ib, None)
    return out


def _live_status(conn: Connection) -> dict[int, tuple[str, int | None]]:
    """Retired events of the live store (rejected, merged): why an event left a release."""
    return {
        int(r.id): (r.review_status, r.merged_into)
        for r in conn.execute(
            select(events.c.id, events.c.review_status, events.c.merged_into).where(
                events.c.review_status.in_(RETIRED)
            )
        )
    }


def _why_removed(e: Mapping[str, Any], live: Mapping[int, tuple[str, int | None]], b: Release) -> str:
    status = live.get(int(e["id"]))
    if status is not None:
        return f"review: merged into #{status[1]}" if status[0] == "merged" else "review: rejected"
    if b.period and not (b.period["start"] <= e["date"] <= b.period["end"]):
        return "outside the period"
    return "re-coding or reports withdrawn"


def _why_added(
    e: Mapping[str, Any], docs: Iterable[int], a: Release, live: Mapping[int, tuple[str, int | None]]
) -> str:
    if a.period and not (a.period["start"] <= e["date"] <= a.period["end"]):
        return "outside the earlier period"
    published = [s.get("published", "") for s in e.get("sources", [])]
    if published and min(published) > iso_z(a.created_at):
        return "new reports"
    if e.get("review_status") in ("confirmed", "corrected"):
        return "review"
    return "new reports or re-coding"


# --- a release as the source of an export or a report ----------------------------------------------------
def matches(e: Mapping[str, Any], flt: EventFilter) -> bool:
    """Whether a frozen event passes ``flt`` (as :class:`EventFilter` selects live events; word
    search needs the live index and is refused by :func:`filtered`)."""
    place = e.get("place") or {}
    checks: list[bool] = []
    if flt.period is not None:
        checks.append(flt.period.start.isoformat() <= e["date"] <= flt.period.end.isoformat())
    if flt.review_status:
        checks.append(e.get("review_status") == flt.review_status)
    for name in ("category", "subtype", "claim_status", "actor"):
        value = getattr(flt, name)
        if value:
            checks.append(e.get(name) == value)
    if flt.province == "none":
        checks.append(not place.get("admin1"))
    elif flt.province:
        checks.append((place.get("admin1") or "") == flt.province.upper())
    if flt.country:
        checks.append((place.get("country") or "") == flt.country.upper())
    if flt.outlet:
        checks.append(any(s.get("outlet") == flt.outlet for s in e.get("sources", [])))
    if flt.event_ids is not None:
        checks.append(int(e["id"]) in set(flt.event_ids))
    return all(checks)


def filtered(
    conn: Connection, release: Release, flt: EventFilter, *, keep_mentions: bool = False
) -> Iterator[dict[str, Any]]:
    """The frozen events that pass ``flt``, in id order, without their mentions unless asked for
    (the shape of ``eventledger events --format jsonl``)."""
    if flt.search:
        raise ConfigError("a word search runs on the live store's index: leave --search out with --release")
    for e in iter_events(conn, release):
        if matches(e, flt):
            if not keep_mentions:
                e.pop("mentions", None)
            yield e


# --- a release as a store of its own ------------------------------------------------------------------
def materialize(conn: Connection, release: Release, flt: EventFilter, into: Connection) -> int:
    """Write the frozen events of ``release`` that pass ``flt`` — with their reports, mentions and
    outlets — into the empty store ``into``, so that whatever reads a store (the report, tallies)
    reads the release. Outlets take the stance frozen with the release's sources and the display
    names of the live store. Returns the number of events written."""
    from eventledger.aggregate.periods import jalali_iso
    from eventledger.store.schema import documents, mentions, outlets
    from eventledger.store.summary import rebuild_daily
    from eventledger.store.writer import start_run

    stamp = release.created_at
    book = codebook_id(release.codebook)
    run_id = start_run(into, "release", {"release": release.name}, {"eventledger": __version__})
    names = {r.name: r for r in conn.execute(select(outlets))}
    stances: dict[str, str] = {}
    seen_docs: set[int] = set()
    n = 0
    batch: dict[str, list[dict[str, Any]]] = {"documents": [], "events": [], "mentions": []}

    def flush() -> None:
        for table, rows in (("documents", documents), ("events", events), ("mentions", mentions)):
            if batch[table]:
                into.execute(insert(rows), batch[table])
                batch[table] = []

    for e in filtered(conn, release, flt, keep_mentions=True):
        day = dt.date.fromisoformat(e["date"])
        place = e["place"]
        ments = e.get("mentions") or []
        published = {s["document_id"]: dt.datetime.fromisoformat(s["published"].replace("Z", "+00:00")).replace(tzinfo=None) for s in e["sources"]}  # fmt: skip
        for s in e["sources"]:
            stances.setdefault(s["outlet"], s["stance"])
            if s["document_id"] in seen_docs:
                continue
            seen_docs.add(s["document_id"])
            when = published[s["document_id"]]
            batch["documents"].append(
                {"id": s["document_id"], "outlet": s["outlet"], "external_id": s["external_id"], "url": s["url"],
                 "shown_id": s["external_id"], "redaction": None, "published": when, "published_local": when.date(),
                 "lang": "und", "lang_detected": False, "title": "", "text": "",
                 "content_hash": f"release:{s['document_id']}", "origin": f"release {release.name}",
                 "n_mentions": 0, "run_id": run_id, "ingested_at": stamp, "version": 1, "current": True}
            )  # fmt: skip
        batch["events"].append(
            {"id": e["id"], "codebook": book, "category": e["category"], "subtype": e["subtype"], "date": day,
             "date_precision": e["date_precision"], "date_jalali": e["date_jalali"] or jalali_iso(day),
             "jalali_month": (e["date_jalali"] or jalali_iso(day))[:7], "greg_month": e["date"][:7],
             "place_key": ments[0]["place_key"] if ments else "", "place_name": place.get("name"),
             "place_name_fa": place.get("name_fa"), "country": place.get("country"), "admin1": place.get("admin1"),
             "lat": place.get("lat"), "lon": place.get("lon"), "place_precision": place.get("precision") or "",
             "quantity": e.get("quantity"), "actor": e.get("actor"), "claim_status": e["claim_status"],
             "n_sources": e["n_sources"], "n_mentions": e["n_mentions"], "confidence": e["confidence"],
             "first_published": min(published.values(), default=stamp), "review_status": e["review_status"],
             "created_run": run_id, "updated_run": run_id}
        )  # fmt: skip
        for m in ments:
            batch["mentions"].append(
                {"id": m["id"], "document_id": m["document_id"], "event_id": e["id"], "outlet": m["outlet"],
                 "field": m["field"], "sent_start": 0, "sent_end": len(m["sentence"]), "trig_start": 0,
                 "trig_end": 0, "sentence": m["sentence"], "trigger": m["trigger"], "category": e["category"],
                 "subtype": m["subtype"], "date": dt.date.fromisoformat(m["date"]),
                 "date_precision": m["date_precision"], "place_key": m["place_key"], "place_name": m["place"],
                 "country": place.get("country"), "admin1": place.get("admin1"),
                 "place_precision": place.get("precision") or "", "confidence": m["confidence"],
                 "flags": ",".join(m["flags"]), "coder": m["coder"], "codebook": m["codebook"],
                 "model_version": m["model_version"], "review_status": m["review_status"], "run_id": run_id}
            )  # fmt: skip
        n += 1
        if len(batch["events"]) >= CHUNK:
            flush()
    flush()
    for name, stance in sorted(stances.items()):
        live = names.get(name)
        into.execute(
            insert(outlets).values(
                name=name, stance=stance, actor=live.actor if live else None, lang=live.lang if live else None,
                updated_at=stamp, name_en=live.name_en if live else None, name_fa=live.name_fa if live else None,
            )
        )  # fmt: skip
    rebuild_daily(into)
    return n
