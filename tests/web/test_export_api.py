"""GET /api/export: the events of a filter as a streamed file, with its content type and file name;
the download links of the events page and the dashboard carry the page's filter."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from urllib.parse import parse_qs, urlsplit

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from eventledger.report import exports
from tests.web.conftest import sign_in

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson; charset=utf-8",
    "acled-csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "parquet": "application/vnd.apache.parquet",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FILTER = {"period": "1401", "category": "violence"}


def _auth(tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['vic']}"}


def _api_ids(client, tokens, params: dict[str, str]) -> list[int]:
    ids: list[int] = []
    page = 1
    while True:
        r = client.get("/api/events", params={**params, "page": page, "per_page": 500}, headers=_auth(tokens))
        assert r.status_code == 200
        ids += [e["id"] for e in r.json()["events"]]
        if page >= r.json()["pages"]:
            return ids
        page += 1


def _ids(fmt: str, body: bytes) -> list[int]:
    if fmt == "csv":
        return [int(r["id"]) for r in csv.DictReader(io.StringIO(body.decode("utf-8")))]
    if fmt == "acled-csv":
        return [int(r["eventledger_id"]) for r in csv.DictReader(io.StringIO(body.decode("utf-8")))]
    if fmt == "jsonl":
        return [json.loads(line)["id"] for line in body.decode("utf-8").splitlines()]
    if fmt == "geojson":
        return [f["id"] for f in json.loads(body)["features"]]
    if fmt == "parquet":
        return list(pq.read_table(io.BytesIO(body)).column("id").to_pylist())
    wb = load_workbook(io.BytesIO(body), read_only=True)
    try:
        return [r[0] for r in list(wb["events"].iter_rows(values_only=True))[1:]]
    finally:
        wb.close()


@pytest.mark.parametrize("fmt", exports.FORMAT_NAMES)
def test_each_format_streams_the_filtered_events_with_type_and_file_name(client, tokens, fmt):
    r = client.get("/api/export", params={**FILTER, "format": fmt}, headers=_auth(tokens))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == MEDIA[fmt]
    ext = exports.FORMATS[fmt].extension
    stem = "eventledger-1401-violence" + ("-acled" if fmt == "acled-csv" else "")
    assert r.headers["content-disposition"] == f'attachment; filename="{stem}.{ext}"'
    assert r.headers["cache-control"] == "no-store"
    expected = _api_ids(client, tokens, FILTER)
    assert expected and _ids(fmt, r.content) == sorted(expected)  # exports: id order


def test_csv_is_the_default_and_hostile_cells_are_escaped(client, tokens):
    r = client.get("/api/export", headers=_auth(tokens))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    cells = [c for row in csv.reader(io.StringIO(r.text)) for c in row]
    assert not any(c.startswith(("=", "+", "@")) for c in cells)


def test_bad_filters_and_formats_are_refused_before_anything_is_sent(client, tokens):
    r = client.get("/api/export", params={"format": "csv", "category": "violance"}, headers=_auth(tokens))
    assert r.status_code == 422 and "did you mean violence" in r.json()["error"]
    r = client.get("/api/export", params={"format": "shapefile"}, headers=_auth(tokens))
    assert r.status_code == 422 and "format" in r.json()["error"]
    r = client.get("/api/export", params={"format": "csv", "period": "1401-13"}, headers=_auth(tokens))
    assert r.status_code == 400


def test_export_needs_a_reader(client, public_client):
    assert client.get("/api/export", params={"format": "csv"}).status_code == 401
    assert public_client.get("/api/export", params={"format": "geojson"}).status_code == 200


def test_the_filter_params_are_documented_in_openapi(public_client):
    spec = public_client.get("/openapi.json").json()["paths"]["/api/export"]["get"]
    names = {p["name"] for p in spec["parameters"]}
    assert {"format", "period", "calendar", "category", "province", "q"} <= names


def _links(page: str) -> dict[str, dict[str, list[str]]]:
    box = re.search(r'data-testid="downloads">(.*?)</p>', page, re.S)
    assert box, "no download links"
    out = {}
    for href in re.findall(r'href="([^"]+)"', box.group(1)):
        url = urlsplit(html.unescape(href))
        assert url.path == "/api/export"
        q = parse_qs(url.query)
        out[q.pop("format")[0]] = q
    return out


def test_events_page_and_dashboard_link_downloads_with_their_filters(client):
    sign_in(client, "vic")
    links = _links(client.get("/events", params={"period": "1401", "category": "violence", "q": "fire"}).text)
    assert set(links) == {"csv", "acled-csv", "geojson", "parquet", "xlsx"}
    assert all(q == {"period": ["1401"], "category": ["violence"], "q": ["fire"]} for q in links.values())
    dash = _links(client.get("/", params={"period": "1402", "category": "protest"}).text)
    assert set(dash) == set(links)
    assert all(q["period"] == ["1402"] and q["category"] == ["protest"] for q in dash.values())
    for fmt in ("csv", "acled-csv"):
        href = "/api/export?" + "&".join(f"{k}={v[0]}" for k, v in dash[fmt].items()) + f"&format={fmt}"
        assert client.get(href).status_code == 200


def test_download_links_are_in_persian_on_a_persian_page(client):
    sign_in(client, "adm")  # reads Persian
    page = client.get("/events").text
    box = re.search(r'data-testid="downloads">(.*?)</p>', page, re.S)
    assert box and "دریافت" in box.group(1) and "اکسل" in box.group(1) and "Download" not in box.group(1)
