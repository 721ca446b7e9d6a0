"""Sources end to end against the local server: feeds, articles, sitemaps, state, versions, archive."""

from __future__ import annotations

import gzip
import io
import ipaddress
import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from eventledger.cli import cli
from eventledger.pipeline import Ingestor
from eventledger.sources import state
from eventledger.sources.archive import export
from eventledger.sources.config import SourceSpec, load_sources
from eventledger.sources.http import FetchPolicy
from eventledger.store import queries
from eventledger.store.schema import documents, events, mentions
from eventledger.watch import poll

POLICY = FetchPolicy(
    allow_private=(ipaddress.ip_network("127.0.0.1/32"),),
    per_host_interval=0.0,
    retries=0,
    timeout=2.0,
    concurrency=4,
)


def spec(site, path: str, kind: str, name: str | None = None, **kw) -> SourceSpec:
    return SourceSpec(
        name=name or path,
        kind=kind,
        url=site.url(path),
        outlet=kw.pop("outlet", name or "Iran Monitor"),
        **kw,
    )


def docs(store):
    with store.connect() as conn:
        return list(conn.execute(select(documents).order_by(documents.c.id)))


def n_events(store) -> int:
    with store.connect() as conn:
        return len(list(conn.execute(select(events.c.id))))


def test_rss_feed_items_become_reports_with_provenance(store, site):
    res = poll(
        Ingestor(store),
        [spec(site, "/feed-en.xml", "rss", "Iran Monitor", stance="independent", lang="en")],
        POLICY,
    )
    rows = docs(store)
    by_id = {r.external_id: r for r in rows}
    assert set(by_id) == {"im-test-1", "im-test-2", "im-test-3"}
    art = by_id["im-test-1"]
    assert "Sepideh units wrote slogans on walls in Karaj and Rasht" in art.text
    assert "Subscribe" not in art.text and "Advertisement" not in art.text and "tracking" not in art.text
    assert (
        art.url == site.url("/articles/en-1.html") and art.source == "Iran Monitor" and art.http_status == 200
    )
    assert (
        art.archive_record.startswith("<urn:uuid:")
        and art.fetched_at is not None
        and art.outlet == "Iran Monitor"
    )
    # the missing article: the entry's own summary stands in, said as such, not counted as an error
    assert (
        by_id["im-test-3"].text == "Inflation stays above forty percent, analysts say."
        and by_id["im-test-3"].http_status is None
    )
    assert res.ingest.errors == 0 and len(res.stand_ins) == 1 and "404" in res.stand_ins[0]
    with store.connect() as conn:
        t = queries.tally(conn, queries.EventFilter(), ["subtype", "place"])
    assert t["by_subtype"] == {"slogan": 2, "shooting": 1} and set(t["by_place"]) == {
        "Karaj",
        "Rasht",
        "Saravan",
    }
    assert res.archived == res.requests  # every response archived, robots.txt included


def test_second_poll_uses_conditional_get_and_adds_nothing(store, site):
    s = spec(site, "/feed-en.xml", "rss", "Iran Monitor")
    poll(Ingestor(store), [s], POLICY)
    before = (len(docs(store)), n_events(store))
    site.bodies_sent.clear()
    res = poll(Ingestor(store), [s], POLICY)
    assert (len(docs(store)), n_events(store)) == before
    assert res.not_modified == 1 and res.ingest.documents == 0
    # the feed and robots.txt answered 304: no body was transferred at all
    assert site.bodies_sent == []


def test_persian_feed_keeps_zwnj_and_reads_windows_1256(store, site):
    poll(Ingestor(store), [spec(site, "/feed-fa.xml", "atom", "Didban Iran", lang="fa")], POLICY)
    by_id = {r.external_id: r for r in docs(store)}
    assert "کرده\u200cاند" in by_id["urn:example:didban:1"].text
    legacy = by_id["urn:example:didban:2"].text
    assert "به آتش کشيده شده است" in legacy and "\ufffd" not in legacy
    with store.connect() as conn:
        t = queries.tally(conn, queries.EventFilter(), ["place"])
    assert t["by_place"] == {"Mashhad": 1, "Tabriz": 1}


def test_a_broken_source_is_recorded_and_the_others_go_on(store, site):
    good = spec(site, "/feed-en.xml", "rss", "Iran Monitor")
    bad = spec(site, "/malformed.xml", "rss", "Broken Feed")
    down = spec(site, "/error500", "rss", "Down Feed")
    res = poll(Ingestor(store), [good, bad, down], POLICY)
    assert (
        set(res.failed) == {"Broken Feed", "Down Feed"}
        and "not a well-formed feed" in res.failed["Broken Feed"]
    )
    with store.connect() as conn:
        rows = {r.name: r for r in state.status(conn)}
    assert rows["Broken Feed"].consecutive_failures == 1 and rows["Broken Feed"].last_success is None
    assert rows["Down Feed"].last_error.startswith("HTTP 500")
    assert rows["Iran Monitor"].consecutive_failures == 0 and rows["Iran Monitor"].last_success is not None
    assert len(docs(store)) == 3


def test_a_changed_article_is_a_new_version_not_a_new_event(store, site):
    s = spec(site, "/feed-en.xml", "rss", "Iran Monitor", lang="en")
    poll(Ingestor(store), [s], POLICY)
    events_before = n_events(store)
    # the outlet corrects the article (Rasht was wrong) and the feed item is updated
    body, ctype = site.pages["/articles/en-1.html"]
    site.pages["/articles/en-1.html"] = (
        body.replace(b"in Karaj and Rasht on Thursday", b"in Karaj on Thursday"),
        ctype,
    )
    feed, ftype = site.pages["/feed-en.xml"]
    site.pages["/feed-en.xml"] = (
        feed.replace(b"Sat, 18 Feb 2023 09:15:00", b"Sat, 18 Feb 2023 09:45:00"),
        ftype,
    )
    res = poll(Ingestor(store), [s], POLICY)
    assert res.ingest.new_versions == 1 and res.ingest.removed_events == 1
    versions = [(r.version, r.current) for r in docs(store) if r.external_id == "im-test-1"]
    assert versions == [(1, False), (2, True)]
    with store.connect() as conn:
        t = queries.tally(conn, queries.EventFilter(), ["place"])
        superseded = conn.execute(
            select(mentions.c.review_status).where(mentions.c.review_status == "superseded")
        ).all()
    assert (
        n_events(store) == events_before - 1 and "Rasht" not in t["by_place"] and len(superseded) == 2
    )  # Karaj, Rasht of v1


def test_sitemap_pages_are_fetched_once(store, site):
    s = spec(site, "/sitemap.xml", "sitemap", "Sitemap Site")
    poll(Ingestor(store), [s], POLICY)
    assert {r.url for r in docs(store)} == {site.url("/articles/en-1.html"), site.url("/articles/fa-1.html")}
    site.hits.clear()
    site.bodies_sent.clear()
    poll(Ingestor(store), [s], POLICY)
    assert site.hits == ["/robots.txt", "/sitemap.xml"] and site.bodies_sent == []  # both answered 304


def test_archive_exports_a_warc_file_and_show_prints_the_copy(store, site, tmp_path):
    poll(Ingestor(store), [spec(site, "/feed-en.xml", "rss", "Iran Monitor", lang="en")], POLICY)
    buf = io.BytesIO()
    with store.connect() as conn:
        n = export(conn, buf)
    records = list(ArchiveIterator(io.BytesIO(buf.getvalue())))
    responses = [r for r in records if r.rec_type == "response"]
    assert records[0].rec_type == "warcinfo" and len(responses) == n >= 4
    assert {r.rec_headers.get_header("WARC-Target-URI") for r in responses} >= {
        site.url("/feed-en.xml"),
        site.url("/articles/en-1.html"),
    }
    db = store.url.removeprefix("sqlite:///")
    with store.connect() as conn:
        (eid,) = [e["id"] for e in queries.list_events(conn, queries.EventFilter(subtype="shooting"))]
    res = CliRunner().invoke(cli, ["--db", db, "show", str(eid), "--archived"])
    assert (
        res.exit_code == 0
        and "archived <urn:uuid:" in res.stdout
        and "No group has claimed the attack" in res.stdout
    )
    out = tmp_path / "export.warc.gz"
    res = CliRunner().invoke(cli, ["--db", db, "archive", "export", str(out)])
    with gzip.open(out) as fh:
        assert res.exit_code == 0 and fh.read(4) == b"WARC"


def test_cli_ingest_url_guesses_the_kind_and_is_idempotent(tmp_path, site):
    db = str(tmp_path / "x.db")
    args = [
        "--db",
        db,
        "ingest",
        site.url("/feed-en.xml"),
        "--allow-private-networks",
        "127.0.0.1/32",
        "--per-host-interval",
        "0",
    ]
    first = CliRunner().invoke(cli, args)
    # one article of the feed is a 404: its summary is stored instead — said, and no error
    assert first.exit_code == 0, first.stderr
    assert "warning: 1 article(s) not fetched, their feed summary stored instead" in first.stderr
    assert "documents stored" in first.stdout and "sources 1 · failed 0" in first.stdout
    second = CliRunner().invoke(cli, args)
    assert second.exit_code == 0
    assert (
        "documents stored                      0" in second.stdout.replace("│", " ") or " 0 " in second.stdout
    )
    refused = CliRunner().invoke(cli, ["--db", db, "ingest", site.url("/feed-en.xml"), "--retries", "0"])
    assert "non-public address 127.0.0.1" in refused.stderr


def test_sources_file_watch_once_and_status(tmp_path, site):
    cfg = tmp_path / "sources.toml"
    cfg.write_text(
        f"""
[[source]]
name = "Iran Monitor"
kind = "rss"
url = "{site.url("/feed-en.xml")}"
stance = "independent"
lang = "en"
interval = "30m"

[[source]]
name = "Broken Feed"
kind = "rss"
url = "{site.url("/malformed.xml")}"
interval = "2h"
""",
        encoding="utf-8",
    )
    specs = load_sources(cfg)
    assert [(s.name, s.interval_s, s.stance) for s in specs] == [
        ("Iran Monitor", 1800, "independent"),
        ("Broken Feed", 7200, "unknown"),
    ]
    db = str(tmp_path / "w.db")
    net = ["--allow-private-networks", "127.0.0.1/32", "--per-host-interval", "0", "--retries", "0"]
    res = CliRunner().invoke(cli, ["--db", db, "watch", "--once", "--sources", str(cfg), *net])
    assert res.exit_code == 0, res.stderr
    res = CliRunner().invoke(cli, ["--db", db, "sources", "status"])
    assert res.exit_code == 0 and "Broken Feed" in res.stdout and "not a well-formed feed" in res.stdout
    res = CliRunner().invoke(cli, ["sources", "list", "--sources", str(cfg)])
    assert res.exit_code == 0 and "30m" in res.stdout and "2h" in res.stdout
    # status of one file's sources, a source never checked yet included
    more = tmp_path / "more.toml"
    more.write_text(cfg.read_text(encoding="utf-8") + f'[[source]]\nname = "New One"\nkind = "rss"\n'
                    f'url = "{site.url("/feed-en.xml")}"\n', encoding="utf-8")  # fmt: skip
    res = CliRunner().invoke(cli, ["--db", db, "sources", "status", "--sources", str(more)])
    assert res.exit_code == 0, res.stderr
    new_line = next(line for line in res.stdout.splitlines() if "New One" in line)
    assert "never" in new_line and "Broken Feed" in res.stdout
    res = CliRunner().invoke(cli, ["--db", db, "outlets", "list"])
    assert "independent" in res.stdout


def test_bad_sources_file_names_the_problem(tmp_path):
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(
        json.dumps({"sources": [{"name": "A", "kind": "rss", "url": "ftp://x"}]}), encoding="utf-8"
    )
    res = CliRunner().invoke(cli, ["sources", "list", "--sources", str(cfg)])
    assert res.exit_code == 2 and "source 'A': 'url' must be an http(s) URL" in res.stderr  # ConfigError


def test_telegram_export_file_is_ingested(tmp_path):
    fixture = Path(__file__).parent / "fixtures" / "telegram" / "result.json"
    db = str(tmp_path / "t.db")
    res = CliRunner().invoke(cli, ["--db", db, "ingest", str(fixture)])
    assert res.exit_code == 6, res.stderr  # partial: two messages of the export are broken on purpose
    assert "documents stored" in res.stdout


def test_telegram_channel_preview_pages_back_and_is_idempotent(store, site):
    s = spec(site, "/tg/s/sepideh", "telegram-web", "Sepideh Telegram", lang=None, max_pages=3)
    first = poll(Ingestor(store), [s], POLICY)
    ids = sorted(r.external_id for r in docs(store))
    assert ids and all(i.startswith("sepideh_tg/") for i in ids)
    assert {int(i.split("/")[1]) for i in ids} & set(range(110, 118))  # the older page was read too
    assert any("before=118" in h for h in site.hits)
    assert first.ingest.documents == len(ids)
    second = poll(Ingestor(store), [s], POLICY)
    assert second.ingest.documents == 0 and len(docs(store)) == len(ids)


def test_a_stop_request_ends_the_watch_though_its_interrupt_was_swallowed(store, site):
    # SIGTERM's handler sets the event and raises KeyboardInterrupt; where the interrupt lands in a
    # weakref callback Python only prints it: the watch must still end, during a pass or while it waits
    import threading
    import time

    from eventledger.watch import watch

    stopping = threading.Event()
    feed = spec(site, "/feed-en.xml", "rss", "Iran Monitor", lang="en", interval_s=3600)
    # set during the pass (its interrupt lost): the pass ends normally, then no wait for the next one
    started = time.monotonic()
    done = watch(Ingestor(store), [feed], POLICY, stop=stopping, progress=lambda *_: stopping.set())
    assert len(done) == 1 and time.monotonic() - started < 30
    # set while the watch waits an hour for the source to be due again: it ends at once
    stopping.clear()
    threading.Timer(0.5, stopping.set).start()
    started = time.monotonic()
    assert watch(Ingestor(store), [feed], POLICY, stop=stopping) == []
    assert time.monotonic() - started < 10
