"""Event exports in the field's formats: ACLED-style CSV, GeoJSON, Parquet, Excel, CSV and JSONL.

Every writer streams: it takes an iterable of event dicts (the shape of
:func:`eventledger.store.queries.list_events`, one line of ``eventledger events --format jsonl``),
an :class:`ExportMeta` and a binary file, keeps at most one page of rows in memory (a row group of
50,000 for Parquet) and returns an :class:`ExportCount`. :func:`export_chunks` yields the same bytes
piece by piece for a streamed HTTP download.

Report text never enters an export: the ACLED ``notes`` are a sentence built from the coded fields.
Text that a spreadsheet could read as a formula (``=HYPERLINK(…)`` as an outlet name) is escaped in
CSV and Excel cells as :class:`~eventledger.report.formats.CsvWriter` escapes it.

Unplaced events (no coordinates) are never dropped: GeoJSON writes them as features with
``"geometry": null`` (RFC 7946 §3.2) and counts them in the top-level member ``"unplaced"``; the
ACLED CSV leaves their latitude and longitude empty; :class:`ExportCount` counts them.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import math
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from itertools import accumulate
from typing import IO, Any, Literal, get_args

import yaml
from sqlalchemy import Connection, select

from eventledger.errors import CodebookError, ConfigError, NotFoundError
from eventledger.extract.codebook import DEFAULT_CODEBOOK, Codebook, codebook_id, load_codebook
from eventledger.geocode.gazetteer import default_gazetteer
from eventledger.report.formats import EVENT_CSV_COLUMNS, CsvWriter, csv_cell, event_row
from eventledger.shipped import shipped_path
from eventledger.store import scan
from eventledger.store.queries import EventFilter
from eventledger.store.schema import runs
from eventledger.version import __version__

LICENCE = (
    "The reports belong to their outlets; the coded data (events, dates, places, claim statuses): "
    "CC BY 4.0. Place names and coordinates contain data from GeoNames (geonames.org), CC BY 4.0."
)


@dataclass(frozen=True)
class ExportFormat:
    name: str
    extension: str
    media_type: str
    text: bool  # may go to standard output


FormatName = Literal["csv", "jsonl", "acled-csv", "geojson", "parquet", "xlsx"]
FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("csv", "csv", "text/csv; charset=utf-8", True),
        ExportFormat("jsonl", "jsonl", "application/x-ndjson; charset=utf-8", True),
        ExportFormat("acled-csv", "csv", "text/csv; charset=utf-8", True),
        ExportFormat("geojson", "geojson", "application/geo+json", True),
        ExportFormat("parquet", "parquet", "application/vnd.apache.parquet", False),
        ExportFormat(
            "xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", False
        ),
    )
}
FORMAT_NAMES: tuple[str, ...] = get_args(FormatName)
assert tuple(FORMATS) == FORMAT_NAMES


@dataclass(frozen=True)
class ExportMeta:
    """What an export says about itself (CSV: the ``dataset_version`` column; GeoJSON: the
    ``eventledger`` member; Parquet: the schema metadata; Excel: the "about" sheet)."""

    dataset_version: str  # "live 2026-12-03T04:30Z", or a release's name@checksum
    codebook: str  # id@version
    generated_at: dt.datetime  # aware, UTC
    filter: str = "all events"
    licence: str = LICENCE
    coder: str | None = None  # e.g. rules/1.3, from the last run that coded
    model: str | None = None
    gazetteer: str | None = None
    software: str = f"eventledger {__version__}"

    def as_dict(self) -> dict[str, str]:
        out = {k: v for k, v in asdict(self).items() if v is not None}
        out["generated_at"] = iso_minute(self.generated_at, seconds=True)
        return out


@dataclass
class ExportCount:
    events: int = 0
    unplaced: int = 0  # events without coordinates (kept, never dropped)
    sources: int = 0  # event × report rows (the Excel "sources" sheet)


def iso_minute(t: dt.datetime, *, seconds: bool = False) -> str:
    t = t.astimezone(dt.UTC)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ" if seconds else "%Y-%m-%dT%H:%MZ")


def describe_filter(flt: EventFilter) -> str:
    """The filter in one line: ``period 1401 (jalali, 2022-03-21..2023-03-20); category violence``."""
    parts = []
    if flt.period is not None:
        p = flt.period
        parts.append(f"period {p.label} ({p.calendar}, {p.start.isoformat()}..{p.end.isoformat()})")
    for name in ("category", "subtype", "province", "country", "outlet", "claim_status", "actor",
                 "review_status", "search"):  # fmt: skip
        value = getattr(flt, name)
        if value:
            parts.append(f"{name.replace('_', ' ')} {value}")
    if not flt.review_status:
        parts.append("rejected and merged events left out")
    return "; ".join(parts) if parts else "all events"


def export_meta(
    conn: Connection,
    flt: EventFilter,
    *,
    dataset_version: str | None = None,
    generated_at: dt.datetime | None = None,
    codebook: Codebook | None = None,
) -> ExportMeta:
    """The metadata of an export of the live store: ``dataset_version`` "live <time>" unless given;
    coder, codebook, model and gazetteer versions from the last run that coded reports."""
    now = (generated_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    versions: dict[str, Any] = {}
    rows = conn.execute(
        select(runs.c.versions)
        .where(runs.c.status.in_(("ok", "partial")))
        .order_by(runs.c.id.desc())
        .limit(50)
    )
    for (v,) in rows:  # the last run that coded with the filter's codebook
        if isinstance(v, dict) and v.get("codebook") and codebook_id(str(v["codebook"])) == flt.codebook:
            versions = v
            break
    cb_ref = str(versions.get("codebook") or (codebook or _codebook(flt.codebook)).ref)
    return ExportMeta(
        dataset_version=dataset_version or f"live {iso_minute(now)}",
        codebook=cb_ref,
        generated_at=now,
        filter=describe_filter(flt),
        coder=_str_or_none(versions.get("coder")),
        model=_str_or_none(versions.get("model")),
        gazetteer=_str_or_none(versions.get("gazetteer")),
    )


def release_meta(release: Any, flt: EventFilter) -> ExportMeta:
    """The metadata of an export of a frozen release (:class:`eventledger.releases.Release`): its
    version and time, never the time of the export, so that the file is the same whenever made."""
    coders: dict[str, int] = dict(release.versions.get("coder") or {})
    models: dict[str, int] = {k: n for k, n in (release.versions.get("model_version") or {}).items() if k}
    return ExportMeta(
        dataset_version=release.version,
        codebook=release.codebook,
        generated_at=release.created_at.replace(tzinfo=dt.UTC),
        filter=f"release {release.name}; {describe_filter(flt)}",
        coder=max(coders, key=lambda k: coders[k]) if coders else None,
        model=max(models, key=lambda k: models[k]) if models else None,
    )


def _str_or_none(v: Any) -> str | None:
    return None if v in (None, "") else str(v)


def placed(e: Mapping[str, Any]) -> tuple[float, float] | None:
    """``(lon, lat)`` of an event, or None when it has no usable coordinates."""
    lat, lon = e["place"].get("lat"), e["place"].get("lon")
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return float(lon), float(lat)


# --- writing ----------------------------------------------------------------------------------------------
Chunks = Callable[[Iterable[Mapping[str, Any]], ExportMeta, ExportCount], Iterator[bytes]]
_FLUSH_ROWS = 1000  # text formats hand over their bytes every this many events


def write_export(
    fmt: str, rows: Iterable[Mapping[str, Any]], meta: ExportMeta, out: IO[bytes]
) -> ExportCount:
    """Write ``rows`` to ``out`` in format ``fmt`` (one of :data:`FORMAT_NAMES`)."""
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise ConfigError(f"unknown export format {fmt!r}; choose from {', '.join(FORMAT_NAMES)}")
    return writer(rows, meta, out)


def export_chunks(
    fmt: str, rows: Iterable[Mapping[str, Any]], meta: ExportMeta, count: ExportCount | None = None
) -> Iterator[bytes]:
    """The bytes of :func:`write_export`, piece by piece (for a streamed download)."""
    chunks = _CHUNKS.get(fmt)
    if chunks is None:
        raise ConfigError(f"unknown export format {fmt!r}; choose from {', '.join(FORMAT_NAMES)}")
    return chunks(rows, meta, count if count is not None else ExportCount())


def live_chunks(
    conn: Connection, fmt: str, flt: EventFilter, meta: ExportMeta, count: ExportCount | None = None
) -> Iterator[bytes]:
    """The export of the events ``flt`` counts in the live store, in id order (the order of a
    release), piece by piece; Parquet is built from the rows as the database gives them."""
    count = count if count is not None else ExportCount()
    if fmt == "parquet":
        with scan.bulk():
            pages = scan.pages(conn, flt, size=min(scan.PAGE, PARQUET_ROW_GROUP))
            yield from parquet_page_chunks(pages, meta, count)
    else:
        yield from export_chunks(fmt, scan.iter_events(conn, flt), meta, count)


def write_live(conn: Connection, fmt: str, flt: EventFilter, meta: ExportMeta, out: IO[bytes]) -> ExportCount:
    """:func:`live_chunks` written to ``out``."""
    if fmt not in _CHUNKS:
        raise ConfigError(f"unknown export format {fmt!r}; choose from {', '.join(FORMAT_NAMES)}")
    count = ExportCount()
    for chunk in live_chunks(conn, fmt, flt, meta, count):
        out.write(chunk)
    return count


def _drain(chunks: Chunks) -> Callable[[Iterable[Mapping[str, Any]], ExportMeta, IO[bytes]], ExportCount]:
    def write(rows: Iterable[Mapping[str, Any]], meta: ExportMeta, out: IO[bytes]) -> ExportCount:
        count = ExportCount()
        for chunk in chunks(rows, meta, count):
            out.write(chunk)
        return count

    return write


class _TextBuffer:
    """A text buffer whose contents are taken out as UTF-8 bytes now and then."""

    def __init__(self) -> None:
        self.buf = io.StringIO()

    def take(self) -> bytes:
        data = self.buf.getvalue().encode("utf-8")
        self.buf.seek(0)
        self.buf.truncate()
        return data


# --- CSV and JSONL: our own columns, and exactly `events --format jsonl` -------------------------------------
def _csv_chunks(rows: Iterable[Mapping[str, Any]], meta: ExportMeta, count: ExportCount) -> Iterator[bytes]:
    text = _TextBuffer()
    w = CsvWriter(text.buf)
    w.writerow(EVENT_CSV_COLUMNS)
    for e in rows:
        row = event_row(e)
        w.writerow(row[c] for c in EVENT_CSV_COLUMNS)
        _count(count, e)
        if count.events % _FLUSH_ROWS == 0:
            yield text.take()
    yield text.take()


def _jsonl_chunks(rows: Iterable[Mapping[str, Any]], meta: ExportMeta, count: ExportCount) -> Iterator[bytes]:
    text = _TextBuffer()
    for e in rows:
        text.buf.write(json.dumps(e, ensure_ascii=False))
        text.buf.write("\n")
        _count(count, e)
        if count.events % _FLUSH_ROWS == 0:
            yield text.take()
    yield text.take()


def _count(count: ExportCount, e: Mapping[str, Any]) -> None:
    count.events += 1
    if placed(e) is None:
        count.unplaced += 1
    count.sources += len(e.get("sources") or ())


# --- ACLED-style CSV ------------------------------------------------------------------------------------------
# ACLED's columns, in ACLED's order; then ours
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
ACLED_EXTRA_COLUMNS = (
    "eventledger_id", "category", "subtype", "date_jalali", "date_precision", "place_precision",
    "claim_status", "review_status", "reports", "mentions", "source_urls", "codebook", "dataset_version",
)  # fmt: skip
# ACLED's time_precision: 1 the day is known, 2 within a week, 3 within a month
TIME_PRECISION = {
    "day": 1,  # an explicit date in the report
    "relative": 1,  # a day the report names relative to itself ("yesterday", "on Friday night")
    "publication": 2,  # no date given: the day of the first report, the act a few days before at most
    "month": 3,  # only the month is known
}
# ACLED's geo_precision: 1 the town, 2 near a town or part of a region, 3 a larger region or the country
GEO_PRECISION = {"city": 1, "county": 2, "province": 3, "country": 3}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip


@dataclass(frozen=True)
class AcledType:
    disorder_type: str
    event_type: str
    sub_event_type: str
    actor1: str | None = None  # "Protesters ({country})"
    inter1: int | None = None


@dataclass(frozen=True)
class CountryCodes:
    iso3: str
    numeric: int | None
    region: str
    name: str | None  # ACLED's English name where it differs from the gazetteer's


@functools.cache
def _default_codebook() -> Codebook:
    return load_codebook(DEFAULT_CODEBOOK)


@functools.cache
def _codebook(ref: str) -> Codebook:
    """The shipped codebook of a reference (``acled@1.0.0`` or ``acled``); the default one when
    no codebook of that id is shipped (a codebook read from a file)."""
    try:
        return load_codebook(codebook_id(ref))
    except CodebookError:
        return _default_codebook()


@functools.cache
def acled_mapping() -> dict[str, AcledType]:
    """Subtype → ACLED type, from ``data/exports/acled-mapping.yaml``."""
    path = shipped_path("data", "exports", "acled-mapping.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out: dict[str, AcledType] = {}
    for subtype, m in (data.get("subtypes") or {}).items():
        out[str(subtype)] = AcledType(
            str(m["disorder_type"]),
            str(m["event_type"]),
            str(m["sub_event_type"]),
            str(m["actor1"]) if m.get("actor1") else None,
            int(m["inter1"]) if m.get("inter1") is not None else None,
        )
    return out


@functools.cache
def country_codes() -> dict[str, CountryCodes]:
    """ISO 3166-1 alpha-2 → alpha-3, numeric code and ACLED region (``data/exports/countries.csv``)."""
    path = shipped_path("data", "exports", "countries.csv")
    with path.open(encoding="utf-8", newline="") as f:
        return {
            r["iso2"]: CountryCodes(
                r["iso3"], int(r["numeric"]) if r["numeric"] else None, r["region"], r["name"] or None
            )
            for r in csv.DictReader(f)
        }


class AcledRows:
    """Event dicts → rows of :data:`ACLED_COLUMNS` + :data:`ACLED_EXTRA_COLUMNS`."""

    def __init__(self, meta: ExportMeta, codebook: Codebook | None = None) -> None:
        self.meta = meta
        self.codebook = codebook or _codebook(meta.codebook)
        # ACLED's names from the codebook itself where it gives them (the `acled` codebook), else the
        # documented mapping of the political-action subtypes
        self.mapping = dict(acled_mapping())
        for st in self.codebook.subtypes.values():
            if st.acled and {"event_type", "sub_event_type"} <= set(st.acled):
                self.mapping[st.id] = AcledType(
                    st.acled.get("disorder_type", ""), st.acled["event_type"], st.acled["sub_event_type"]
                )
        self.fatalities = self.codebook.quantity_kind == "fatalities"
        self.countries = country_codes()
        self.gaz = default_gazetteer()
        self.timestamp = int(meta.generated_at.timestamp())
        self.actors = {a.id: str(a.name.get("en") or a.id) for a in self.codebook.actors}

    @functools.lru_cache(maxsize=512)  # noqa: B019 (one instance per export)
    def country_name(self, cc: str | None) -> str:
        if not cc:
            return ""
        codes = self.countries.get(cc)
        if codes is not None and codes.name:
            return codes.name
        try:
            return str(self.gaz.country(cc).name)
        except NotFoundError:
            return cc

    @functools.lru_cache(maxsize=512)  # noqa: B019
    def province_name(self, iso: str | None) -> str:
        if not iso:
            return ""
        try:
            return str(self.gaz.province(iso).name)
        except NotFoundError:
            return iso

    def label(self, key: str) -> str:
        return str(self.codebook.label(key, "en"))

    def row(self, e: Mapping[str, Any]) -> list[Any]:
        place = e["place"]
        cc = place.get("country")
        codes = self.countries.get(cc or "")
        country = self.country_name(cc)
        admin1 = self.province_name(place.get("admin1"))
        location = place.get("name") or admin1 or country
        kind = self.mapping.get(e["subtype"])
        actor = self.actors.get(e["actor"], e["actor"]) if e["actor"] else ""
        actor1, assoc, inter1 = actor, "", None
        if kind is not None and kind.actor1:
            actor1 = kind.actor1.format(country=country or "unknown country")
            assoc, inter1 = actor, kind.inter1
        xy = placed(e)
        sources = e.get("sources") or []
        outlets = list(dict.fromkeys(s["outlet"] for s in sources if s.get("outlet")))
        tags = [f"quantity={e['quantity']}"] if e.get("quantity") is not None and not self.fatalities else []
        if e["claim_status"] == "claimed":
            tags.append("claimed only by the actor's own outlets")
        acled = [
            f"{codes.iso3 if codes else 'XXX'}{e['id']}",
            e["date"],
            int(e["date"][:4]),
            TIME_PRECISION.get(e["date_precision"], ""),
            kind.disorder_type if kind else "",
            kind.event_type if kind else "",
            kind.sub_event_type if kind else "",
            actor1,
            assoc,
            inter1 if inter1 is not None else "",
            "",  # actor2: the coder records a target class, not a named actor
            "",
            "",
            inter1 * 10 if inter1 is not None else "",  # "sole … action": no second actor is coded
            "",  # civilian_targeting: not coded
            codes.numeric if codes and codes.numeric is not None else "",
            codes.region if codes else "",
            country,
            admin1,
            "",  # admin2, admin3: the gazetteer has provinces only
            "",
            location,
            xy[1] if xy else "",
            xy[0] if xy else "",
            GEO_PRECISION.get(place.get("precision") or "", "") if xy else "",
            "; ".join(outlets),
            "",  # source_scale: outlets have a stance, not a scale
            self.notes(e, location, admin1, country, actor),
            # fatalities: the number reported killed when the codebook codes it (0: none reported)
            (e.get("quantity") or 0) if self.fatalities else "",
            "; ".join(tags),
            self.timestamp,
        ]
        ours = [
            e["id"],
            e["category"],
            e["subtype"],
            e["date_jalali"],
            e["date_precision"],
            place.get("precision"),
            e["claim_status"],
            e["review_status"],
            e["n_sources"],
            e["n_mentions"],
            " ".join(str(s.get("url") or "") for s in sources),
            self.meta.codebook,
            self.meta.dataset_version,
        ]
        return acled + ours

    def notes(self, e: Mapping[str, Any], location: str, admin1: str, country: str, actor: str) -> str:
        """A short English sentence from the coded fields (never the reports' text)."""
        day = dt.date.fromisoformat(e["date"])
        when = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
        precision = e["date_precision"]
        if precision == "month":
            when = f"In {MONTHS[day.month - 1]} {day.year}"
        elif precision == "publication":
            when = f"On or shortly before {when}"
        else:
            when = f"On {when}"
        what = self.label(e["subtype"])
        where = location
        if admin1 and admin1 != location:
            where += f" ({admin1})"
        elif not admin1 and country and country != location:
            where += f" ({country})"
        text = f"{when}, {what} in {where or 'a place not given'}"
        if actor:
            text += f", attributed to {actor}"
        n = e["n_sources"]
        text += f". {n} report{'s' if n != 1 else ''}; claim status: {e['claim_status']}."
        return text


def _acled_chunks(rows: Iterable[Mapping[str, Any]], meta: ExportMeta, count: ExportCount) -> Iterator[bytes]:
    acled = AcledRows(meta)
    text = _TextBuffer()
    w = CsvWriter(text.buf)
    w.writerow((*ACLED_COLUMNS, *ACLED_EXTRA_COLUMNS))
    for e in rows:
        w.writerow(acled.row(e))
        _count(count, e)
        if count.events % _FLUSH_ROWS == 0:
            yield text.take()
    yield text.take()


# --- GeoJSON (RFC 7946) -----------------------------------------------------------------------------------------
GEOJSON_PROPERTIES = tuple(c for c in EVENT_CSV_COLUMNS if c not in ("lat", "lon"))


def geojson_feature(e: Mapping[str, Any]) -> dict[str, Any]:
    """One event as a Feature: a Point [lon, lat] (WGS 84), or ``geometry: null`` when unplaced."""
    row = event_row(e)
    xy = placed(e)
    return {
        "type": "Feature",
        "id": e["id"],
        "geometry": {"type": "Point", "coordinates": [xy[0], xy[1]]} if xy else None,
        "properties": {k: row[k] for k in GEOJSON_PROPERTIES},
    }


def _geojson_chunks(
    rows: Iterable[Mapping[str, Any]], meta: ExportMeta, count: ExportCount
) -> Iterator[bytes]:
    head = {"type": "FeatureCollection", "eventledger": meta.as_dict()}
    text = _TextBuffer()
    text.buf.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "features": [\n')
    for e in rows:
        if count.events:
            text.buf.write(",\n")
        text.buf.write(json.dumps(geojson_feature(e), ensure_ascii=False, allow_nan=False))
        _count(count, e)
        if count.events % _FLUSH_ROWS == 0:
            yield text.take()
    # foreign members (RFC 7946 §6.1), after the features: the counts are known only now
    text.buf.write(f'\n], "events": {count.events}, "unplaced": {count.unplaced}}}\n')
    yield text.take()


# --- Parquet ------------------------------------------------------------------------------------------------------
PARQUET_ROW_GROUP = 50_000


def parquet_schema() -> Any:
    """The explicit Arrow schema of the Parquet export (event fields; sources as a list of structs)."""
    import pyarrow as pa

    source = pa.struct(
        [
            ("document_id", pa.int64()),
            ("external_id", pa.string()),
            ("url", pa.string()),
            ("outlet", pa.string()),
            ("stance", pa.string()),
            ("published", pa.timestamp("s", tz="UTC")),
        ]
    )
    return pa.schema(
        [
            pa.field("id", pa.int64(), nullable=False),
            ("category", pa.string()),
            ("subtype", pa.string()),
            ("date", pa.date32()),
            ("date_jalali", pa.string()),
            ("date_precision", pa.string()),
            ("place_name", pa.string()),
            ("place_name_fa", pa.string()),
            ("country", pa.string()),
            ("admin1", pa.string()),
            ("lat", pa.float64()),
            ("lon", pa.float64()),
            ("place_precision", pa.string()),
            ("quantity", pa.int64()),
            ("actor", pa.string()),
            ("claim_status", pa.string()),
            ("n_sources", pa.int32()),
            ("n_mentions", pa.int32()),
            ("confidence", pa.float64()),
            ("review_status", pa.string()),
            ("source_outlets", pa.list_(pa.string())),
            ("sources", pa.list_(source)),
        ]
    )


_PARQUET_EVENT_FIELDS = ("category", "subtype", "date_jalali", "date_precision", "quantity", "actor",
                         "claim_status", "n_sources", "n_mentions", "confidence", "review_status")  # fmt: skip
_PARQUET_PLACE_FIELDS = (("place_name", "name"), ("place_name_fa", "name_fa"), ("country", "country"),
                         ("admin1", "admin1"), ("place_precision", "precision"))  # fmt: skip
_PARQUET_SOURCE_FIELDS = ("document_id", "external_id", "url", "outlet", "stance", "published")


class _ParquetBatch:
    """One row group's values, column by column (the event dicts themselves are not kept)."""

    def __init__(self) -> None:
        self.n = 0
        self.cols: dict[str, list[Any]] = {}
        self.sources: dict[str, list[Any]] = {}
        self.source_offsets: list[int] = [0]
        self.outlets: list[str] = []
        self.outlet_offsets: list[int] = [0]
        self.clear()

    def clear(self) -> None:
        self.n = 0
        names = ("id", "date", "lat", "lon", *_PARQUET_EVENT_FIELDS, *(n for n, _ in _PARQUET_PLACE_FIELDS))
        self.cols = {name: [] for name in names}
        self.sources = {name: [] for name in _PARQUET_SOURCE_FIELDS}
        self.source_offsets = [0]
        self.outlets = []
        self.outlet_offsets = [0]

    def add(self, e: Mapping[str, Any]) -> None:
        cols = self.cols
        cols["id"].append(e["id"])
        cols["date"].append(dt.date.fromisoformat(e["date"]))
        xy = placed(e)
        cols["lon"].append(xy[0] if xy else None)
        cols["lat"].append(xy[1] if xy else None)
        for name in _PARQUET_EVENT_FIELDS:
            cols[name].append(e[name])
        place = e["place"]
        for name, key in _PARQUET_PLACE_FIELDS:
            cols[name].append(place.get(key))
        srcs = e.get("sources") or []
        for src in srcs:
            for name in _PARQUET_SOURCE_FIELDS:
                value = src.get(name)
                self.sources[name].append(
                    dt.datetime.fromisoformat(value) if name == "published" and value else value
                )
        self.source_offsets.append(self.source_offsets[-1] + len(srcs))
        outlets = list(dict.fromkeys(str(src["outlet"]) for src in srcs if src.get("outlet")))
        self.outlets += outlets
        self.outlet_offsets.append(self.outlet_offsets[-1] + len(outlets))
        self.n += 1

    def table(self, schema: Any) -> Any:
        import pyarrow as pa

        arrays = []
        for f in schema:
            if f.name == "source_outlets":
                offsets = pa.array(self.outlet_offsets, pa.int32())
                arrays.append(pa.ListArray.from_arrays(offsets, pa.array(self.outlets, pa.string())))
            elif f.name == "sources":
                struct_type = f.type.value_type
                children = [pa.array(self.sources[c.name], c.type) for c in struct_type]
                struct = pa.StructArray.from_arrays(children, fields=list(struct_type))
                offsets = pa.array(self.source_offsets, pa.int32())
                arrays.append(pa.ListArray.from_arrays(offsets, struct, type=f.type))
            else:
                arrays.append(pa.array(self.cols[f.name], f.type))
        return pa.Table.from_arrays(arrays, schema=schema)


class _Sink(io.RawIOBase):
    """A write-only file that keeps what it is given until :meth:`take` (Parquet's output, by row group)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.pos = 0

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        data = bytes(b)
        self.parts.append(data)
        self.pos += len(data)
        return len(data)

    def tell(self) -> int:
        return self.pos

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def _parquet_schema(meta: ExportMeta) -> Any:
    return parquet_schema().with_metadata(
        {
            "eventledger": json.dumps(meta.as_dict(), ensure_ascii=False),
            "dataset_version": meta.dataset_version,
            "codebook": meta.codebook,
        }
    )


def _parquet_chunks(
    rows: Iterable[Mapping[str, Any]], meta: ExportMeta, count: ExportCount
) -> Iterator[bytes]:
    import pyarrow.parquet as pq

    schema = _parquet_schema(meta)
    sink = _Sink()
    writer = pq.ParquetWriter(sink, schema, compression="zstd")
    try:
        batch = _ParquetBatch()
        for e in rows:
            batch.add(e)
            _count(count, e)
            if batch.n >= PARQUET_ROW_GROUP:
                writer.write_table(batch.table(schema))
                batch.clear()
                yield sink.take()
        if batch.n or count.events == 0:
            writer.write_table(batch.table(schema))
    finally:
        writer.close()
    yield sink.take()


def parquet_page_chunks(pages: Iterable[scan.Page], meta: ExportMeta, count: ExportCount) -> Iterator[bytes]:
    """The Parquet export of pages of the live store (:func:`eventledger.store.scan.pages`), built
    column by column from the rows as the database gives them: the same file as
    :func:`write_export` writes from the same events in the same order, several times faster."""
    import pyarrow.parquet as pq

    schema = _parquet_schema(meta)
    sink = _Sink()
    writer = pq.ParquetWriter(sink, schema, compression="zstd")
    try:
        group: list[scan.Page] = []
        n = 0
        for page in pages:
            group.append(page)
            n += len(page.events)
            if n >= PARQUET_ROW_GROUP:
                writer.write_table(_page_table(group, schema, count))
                group, n = [], 0
                yield sink.take()
        if group or count.events == 0:
            writer.write_table(_page_table(group, schema, count))
    finally:
        writer.close()
    yield sink.take()


def _page_table(group: Sequence[scan.Page], schema: Any, count: ExportCount) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    rows = [r for p in group for r in p.events]
    srcs = [p.sources.get(r[0], ()) for p in group for r in p.events]
    cols = dict(zip(scan.EVENT_FIELDS, zip(*rows, strict=True), strict=True)) if rows else {}

    def col(name: str, typ: Any) -> Any:
        return pa.array(cols.get(name, ()), typ)

    date = pa.array(cols.get("date", ())).cast(pa.date32())  # text on SQLite, dates on PostgreSQL
    lat, lon = col("lat", pa.float64()), col("lon", pa.float64())
    ok = pc.and_(
        pc.and_(pc.is_finite(lat), pc.is_finite(lon)),
        pc.and_(pc.less_equal(pc.abs(lat), 90), pc.less_equal(pc.abs(lon), 180)),
    )
    lat, lon = pc.if_else(ok, lat, None), pc.if_else(ok, lon, None)
    flat = [s for items in srcs for s in items]
    offsets = pa.array(list(accumulate((len(items) for items in srcs), initial=0)), pa.int32())
    scols = list(zip(*flat, strict=True)) if flat else [()] * 7
    published = (
        pa.array(scols[5], pa.string())
        .cast(pa.timestamp("us", tz="UTC"))
        .cast(pa.timestamp("s", tz="UTC"), safe=False)
    )
    struct_type = schema.field("sources").type.value_type
    children = [pa.array(scols[k], struct_type[k].type) for k in range(5)] + [published]
    sources = pa.ListArray.from_arrays(
        offsets, pa.StructArray.from_arrays(children, fields=list(struct_type))
    )
    outlets = [list(dict.fromkeys(str(s[3]) for s in items if s[3])) for items in srcs]
    arrays = []
    for f in schema:
        if f.name == "date":
            arrays.append(date)
        elif f.name == "lat":
            arrays.append(lat)
        elif f.name == "lon":
            arrays.append(lon)
        elif f.name == "sources":
            arrays.append(sources.cast(f.type))
        elif f.name == "source_outlets":
            arrays.append(pa.array(outlets, f.type))
        else:
            arrays.append(col(f.name, f.type))
    count.events += len(rows)
    count.unplaced += len(rows) - (pc.sum(pc.fill_null(ok, False)).as_py() or 0)
    count.sources += len(flat)
    return pa.Table.from_arrays(arrays, schema=schema)


# --- Excel ----------------------------------------------------------------------------------------------------------
XLSX_MAX_ROWS = 1_048_576  # rows of a worksheet, the header included
XLSX_MAX_CELL = 32_767  # characters of a cell
SOURCE_COLUMNS = ("event_id", "outlet", "stance", "external_id", "url", "published_utc")
CLAIM_STATUS_TEXT = {
    "claimed": "only the actor's own outlets report it",
    "reported": "at least one other outlet reports it",
    "corroborated": "two or more distinct outlets whose independence from the actor is known report it",
}


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        value = csv_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
        if len(value) > XLSX_MAX_CELL:
            value = value[: XLSX_MAX_CELL - 1] + "…"
    return value


class _Sheets:
    """Rows of one kind over as many worksheets as they need (``events``, ``events (2)``, …)."""

    def __init__(self, wb: Any, title: str, header: Iterable[str]) -> None:
        self.wb, self.title, self.header = wb, title, list(header)
        self.n_sheets = 0
        self.rows = XLSX_MAX_ROWS
        self.ws: Any = None
        self._new()

    def _new(self) -> None:
        self.n_sheets += 1
        title = self.title if self.n_sheets == 1 else f"{self.title} ({self.n_sheets})"
        self.ws = self.wb.create_sheet(title)
        self.ws.append(self.header)
        self.rows = 1

    def append(self, row: Iterable[Any]) -> None:
        if self.rows >= XLSX_MAX_ROWS:
            self._new()
        self.ws.append([_xlsx_value(v) for v in row])
        self.rows += 1


def _xlsx_workbook(rows: Iterable[Mapping[str, Any]], meta: ExportMeta, count: ExportCount) -> Any:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    made = meta.generated_at.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    wb.properties.created = made  # the export's time, not the clock's (and "modified": _same_zip_every_time)
    events_ws = _Sheets(wb, "events", EVENT_CSV_COLUMNS)
    sources_ws = _Sheets(wb, "sources", SOURCE_COLUMNS)
    for e in rows:
        row = event_row(e)
        row["date"] = dt.date.fromisoformat(e["date"])
        events_ws.append(row[c] for c in EVENT_CSV_COLUMNS)
        for s in e["sources"]:
            published = s.get("published")
            when = dt.datetime.fromisoformat(published).replace(tzinfo=None) if published else None
            sources_ws.append(
                (e["id"], s.get("outlet"), s.get("stance"), s.get("external_id"), s.get("url"), when)
            )
        _count(count, e)
    about = wb.create_sheet("about")
    for key, value in _about(meta, count, events_ws.n_sheets, sources_ws.n_sheets):
        about.append([_xlsx_value(key), _xlsx_value(value)])
    return wb


def _about(meta: ExportMeta, count: ExportCount, n_events: int, n_sources: int) -> list[tuple[str, Any]]:
    more = " (continued on the sheets 'events (2)', …)" if n_events > 1 else ""
    more_sources = " (continued on the sheets 'sources (2)', …)" if n_sources > 1 else ""
    return [
        (
            "what",
            "Coded, sourced, de-duplicated events from Persian and English media reports (eventledger).",
        ),
        (
            "unit of count",
            "One event is one action subtype in one place on one day; several reports of the "
            "same act are one event with several sources; reports are never counted.",
        ),
        (
            "sheet events",
            f"one row per event{more}; lat/lon in WGS 84; dates Gregorian, date_jalali Solar Hijri",
        ),
        ("sheet sources", f"one row per event and report behind it{more_sources}; times in UTC"),
        ("claim status", "computed from the outlets behind an event, never taken from the text:"),
        *((f"  {k}", v) for k, v in CLAIM_STATUS_TEXT.items()),
        (
            "review status",
            "machine (as coded), confirmed or corrected by a coder; rejected and merged events "
            "are left out unless asked for",
        ),
        ("events", count.events),
        ("events without coordinates", count.unplaced),
        ("filter", meta.filter),
        ("dataset version", meta.dataset_version),
        ("codebook", meta.codebook),
        ("coder", meta.coder or ""),
        ("model", meta.model or ""),
        ("gazetteer", meta.gazetteer or ""),
        ("software", meta.software),
        ("generated at", iso_minute(meta.generated_at, seconds=True)),
        ("licence", meta.licence),
    ]


def write_xlsx(rows: Iterable[Mapping[str, Any]], meta: ExportMeta, out: IO[bytes]) -> ExportCount:
    """The events as an Excel workbook (openpyxl, write-only: rows stream to temporary files): the
    sheets "events", "sources" (one row per event × report) and "about"."""
    count = ExportCount()
    for chunk in _xlsx_chunks(rows, meta, count):
        out.write(chunk)
    return count


def _xlsx_chunks(rows: Iterable[Mapping[str, Any]], meta: ExportMeta, count: ExportCount) -> Iterator[bytes]:
    # a zip is finished only at its end: written to a temporary file (on disk past 8 MiB), then sent
    with (
        tempfile.SpooledTemporaryFile(max_size=8 * 2**20) as raw,
        tempfile.SpooledTemporaryFile(max_size=8 * 2**20) as f,
    ):
        _xlsx_workbook(rows, meta, count).save(raw)
        raw.seek(0)
        _same_zip_every_time(raw, f, meta.generated_at)
        f.seek(0)
        while chunk := f.read(2**20):
            yield chunk


def _same_zip_every_time(src: IO[bytes], dst: IO[bytes], when: dt.datetime) -> None:
    """The zip ``src`` again with every entry stamped ``when`` (openpyxl stamps the clock's time), so
    that the same workbook is the same bytes (an export of a release, made again)."""
    stamp = when.astimezone(dt.UTC).timetuple()[:6]
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            if item.filename == "docProps/core.xml":  # openpyxl writes the clock's time as "modified"
                xml = zin.read(item).decode("utf-8")
                iso = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                xml = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rf"\g<1>{iso}\g<2>", xml)
                zout.writestr(info, xml.encode("utf-8"))
                continue
            with zin.open(item) as fin, zout.open(info, "w", force_zip64=True) as fout:
                shutil.copyfileobj(fin, fout, 2**20)


# --- one function per format --------------------------------------------------------------------------------------
write_csv = _drain(_csv_chunks)
write_jsonl = _drain(_jsonl_chunks)
write_acled_csv = _drain(_acled_chunks)
write_geojson = _drain(_geojson_chunks)
write_parquet = _drain(_parquet_chunks)

_WRITERS: dict[str, Callable[[Iterable[Mapping[str, Any]], ExportMeta, IO[bytes]], ExportCount]] = {
    "csv": write_csv,
    "jsonl": write_jsonl,
    "acled-csv": write_acled_csv,
    "geojson": write_geojson,
    "parquet": write_parquet,
    "xlsx": write_xlsx,
}
_CHUNKS: dict[str, Chunks] = {
    "csv": _csv_chunks,
    "jsonl": _jsonl_chunks,
    "acled-csv": _acled_chunks,
    "geojson": _geojson_chunks,
    "parquet": _parquet_chunks,
    "xlsx": _xlsx_chunks,
}


_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def export_filename(fmt: str, flt: EventFilter) -> str:
    """A download's file name from the format and the filter: ``eventledger-1401-violence-acled.csv``."""
    parts = ["eventledger"]
    if flt.period is not None:
        parts.append(flt.period.label)
    parts += [str(v) for v in (flt.category, flt.subtype, flt.province, flt.country) if v]
    if fmt == "acled-csv":
        parts.append("acled")
    name = _UNSAFE_NAME.sub("_", "-".join(parts))[:120].strip("_-") or "eventledger"
    return f"{name}.{FORMATS[fmt].extension}"


__all__ = [
    "ACLED_COLUMNS",
    "ACLED_EXTRA_COLUMNS",
    "FORMATS",
    "FORMAT_NAMES",
    "LICENCE",
    "ExportCount",
    "ExportMeta",
    "describe_filter",
    "export_chunks",
    "export_filename",
    "export_meta",
    "live_chunks",
    "write_acled_csv",
    "write_csv",
    "write_export",
    "write_geojson",
    "write_jsonl",
    "write_live",
    "write_parquet",
    "write_xlsx",
]
