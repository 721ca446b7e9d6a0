"""Frozen releases: made once, never changed (the database refuses), read back byte for byte with
their checksums, and compared event by event with the reason for each difference."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select, text

from eventledger import releases
from eventledger.aggregate.periods import parse_period
from eventledger.errors import ConfigError, NotFoundError, StoreError
from eventledger.report import exports
from eventledger.review import actions
from eventledger.review.actions import Reviewer
from eventledger.store import queries
from eventledger.store.db import Store
from eventledger.store.schema import release_chunks
from tests.test_cli import run

BOSS = Reviewer("boss", "admin", None)


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "r.db"
    shutil.copy(demo_db, path)
    return path


def test_a_release_freezes_the_counted_events_with_sources_and_mentions(db):
    store = Store.open(db, create=False)
    p = parse_period("1401")
    with store.begin() as conn:
        r = releases.create(conn, "v1", period=p, note="first", authors=["Monitor NGO"])
    with store.connect() as conn:
        live_ids = sorted(e["id"] for e in queries.iter_events(conn, queries.EventFilter(period=p)))
        frozen = list(releases.iter_events(conn, r))
        assert releases.verify(conn, r) == r.n_events == len(live_ids)
    assert [e["id"] for e in frozen] == live_ids  # id order
    assert r.n_mentions == sum(len(e["mentions"]) for e in frozen) > 0
    first = frozen[0]
    assert first["sources"] and first["mentions"][0]["sentence"] and first["mentions"][0]["coder"]
    assert r.codebook.startswith("political-action@") and r.versions["coder"]
    cff = releases.citation(r)
    assert "cff-version: 1.2.0" in cff and f"sha256:{r.checksum}" in cff and "Monitor NGO" in cff


def test_a_release_never_changes(db):
    store = Store.open(db, create=False)
    with store.begin() as conn:
        r = releases.create(conn, "v1", period=parse_period("1401"))
    for sql in (
        "UPDATE releases SET note = 'changed'",
        "DELETE FROM releases",
        "UPDATE release_chunks SET n_events = 0",
        "DELETE FROM release_chunks",
    ):
        with pytest.raises(StoreError, match="never changes"), store.begin() as conn:
            conn.execute(text(sql))
    with store.begin() as conn, pytest.raises(ConfigError, match="exists already"):
        releases.create(conn, "v1")
    with store.connect() as conn:
        assert releases.verify(conn, r) == r.n_events


def test_tampering_past_the_triggers_is_found_by_the_checksums(db):
    store = Store.open(db, create=False)
    with store.begin() as conn:
        r = releases.create(conn, "v1", period=parse_period("1401"))
    with store.begin() as conn:
        conn.execute(text("DROP TRIGGER release_chunks_no_update"))
        payload = conn.execute(select(release_chunks.c.payload)).scalars().first()
        lines = gzip.decompress(payload).replace(b'"claimed"', b'"corroborated"', 1)
        conn.execute(release_chunks.update().values(payload=gzip.compress(lines, mtime=0)))
    with store.connect() as conn, pytest.raises(StoreError, match="does not match"):
        releases.verify(conn, r)


def test_a_diff_says_what_changed_and_why(db):
    store = Store.open(db, create=False)
    p = parse_period("1401")
    with store.begin() as conn:
        releases.create(conn, "before", period=p)
        ids = sorted(e["id"] for e in queries.iter_events(conn, queries.EventFilter(period=p)))
        gone, corrected, target, merged = ids[0], ids[1], ids[2], ids[3]
        actions.reject(conn, BOSS, gone, "not an act")
        actions.correct(conn, BOSS, corrected, {"quantity": 7}, "seven")
        actions.merge(conn, BOSS, target, [merged], "same incident")
        releases.create(conn, "after", period=p)
    with store.connect() as conn:
        d = releases.diff(conn, releases.get(conn, "before"), releases.get(conn, "after")).as_dict()
    removed = {e["id"]: e["why"] for e in d["events"]["removed"]}
    assert removed == {gone: "review: rejected", merged: f"review: merged into #{target}"}
    changed = {e["id"]: e for e in d["events"]["changed"]}
    assert (
        changed[corrected]["fields"]["quantity"][1] == 7 and "review: corrected" in changed[corrected]["why"]
    )
    assert target in changed and d["added"] == 0
    assert d["unchanged"] == len(ids) - 4


def test_release_commands(db):
    code, out, _ = run("release", "create", "2023-q1", "--period", "1401", "--note", "a test", db=db)
    assert code == 0 and "release 2023-q1:" in out and "sha256" in out
    code, out, _ = run("release", "list", "--format", "json", db=db)
    assert code == 0 and json.loads(out)[0]["name"] == "2023-q1"
    code, out, _ = run("release", "show", "2023-q1", "--verify", db=db)
    assert code == 0 and "every checksum matches" in out
    code, out, _ = run("release", "show", "2023-q1", "--format", "cff", db=db)
    assert code == 0 and out.startswith("cff-version: 1.2.0")
    code, _, err = run("release", "show", "nope", db=db)
    assert code == 3 and "no release named 'nope'" in err and "2023-q1" in err
    code, _, err = run("release", "create", "bad name!", db=db)
    assert code == 2
    run("release", "create", "again", "--period", "1401", db=db)
    code, out, _ = run("release", "diff", "2023-q1", "again", "--format", "json", db=db)
    assert code == 0 and json.loads(out)["changed"] == 0 and json.loads(out)["added"] == 0


def test_an_unknown_release_is_an_error(db):
    with Store.open(db, create=False).connect() as conn, pytest.raises(NotFoundError):
        releases.get(conn, "missing")


def test_the_releases_page_lists_them_with_their_citation(db):
    from fastapi.testclient import TestClient

    from eventledger.web.app import create_app

    run("release", "create", "v-web", "--period", "1401", "--author", "Monitor NGO", db=db)
    with TestClient(create_app(db, public=True)) as c:
        page = c.get("/releases")
        assert (
            page.status_code == 200
            and 'data-release="v-web"' in page.text
            and "cff-version: 1.2.0" in page.text
        )
        cff = c.get("/releases/v-web/CITATION.cff")
        assert (
            cff.status_code == 200
            and "Monitor NGO" in cff.text
            and "attachment" in cff.headers["content-disposition"]
        )
        assert c.get("/releases/nope/CITATION.cff").status_code == 404
        # its downloads: every export format and the report of its period, from the frozen events
        links = re.findall(r'href="(/releases/v-web/(?:export|report)\?[^"]+)"', page.text)
        assert len([h for h in links if "/export?" in h]) == len(exports.FORMAT_NAMES)
        frozen = c.get("/releases/v-web/export", params={"format": "jsonl"})
        with Store.open(db, create=False).connect() as conn:
            r = releases.get(conn, "v-web")
            expected = [e["id"] for e in releases.filtered(conn, r, queries.EventFilter())]
        assert (
            frozen.status_code == 200 and [json.loads(x)["id"] for x in frozen.text.splitlines()] == expected
        )
        assert (
            c.get("/releases/v-web/export", params={"format": "csv"}).content
            == c.get("/releases/v-web/export", params={"format": "csv"}).content
        )
        report = c.get("/releases/v-web/report", params={"format": "html", "lang": "fa"})
        assert report.status_code == 200 and "--release v-web" in report.text
        assert report.headers["content-security-policy"].startswith("default-src 'none'")
        assert c.get("/releases/v-web/export", params={"format": "shapefile"}).status_code == 400
        assert c.get("/releases/nope/report").status_code == 404


@pytest.mark.parametrize("fmt", ["parquet", "xlsx", "acled-csv", "geojson", "jsonl", "csv"])
def test_an_export_of_a_release_is_the_same_bytes_whenever_made(db, tmp_path, fmt):
    run("release", "create", "frozen", "--period", "1401", db=db)
    outs = []
    for i in (1, 2):
        path = tmp_path / f"{i}.{fmt}"
        code, _, err = run("export", "--format", fmt, "--release", "frozen", "--out", str(path), db=db)
        assert code == 0, err
        outs.append(path.read_bytes())
    assert outs[0] == outs[1]
    # a change in the live store after the release changes nothing in it
    store = Store.open(db, create=False)
    with store.begin() as conn:
        first = next(iter(queries.iter_events(conn, queries.EventFilter(period=parse_period("1401")))))
        actions.reject(conn, BOSS, first["id"], "later decision")
    path = tmp_path / f"3.{fmt}"
    run("export", "--format", fmt, "--release", "frozen", "--out", str(path), db=db)
    assert path.read_bytes() == outs[0]


def test_an_export_of_a_release_takes_the_filters(db, tmp_path):
    run("release", "create", "frozen", "--period", "1401", db=db)
    path = tmp_path / "v.jsonl"
    run(
        "export",
        "--format",
        "jsonl",
        "--release",
        "frozen",
        "--category",
        "violence",
        "--out",
        str(path),
        db=db,
    )
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    code, out, _ = run("events", "--period", "1401", "--category", "violence", "--format", "jsonl", db=db)
    assert sorted(r["id"] for r in rows) == sorted(json.loads(x)["id"] for x in out.splitlines())
    assert all("mentions" not in r for r in rows)
    code, _, err = run(
        "export", "--format", "csv", "--release", "frozen", "--search", "fire", "--out", "-", db=db
    )
    assert code == 2 and "--search" in err
