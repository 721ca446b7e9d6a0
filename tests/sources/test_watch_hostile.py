"""One ``watch`` pass over 50 sources served by a real 127.0.0.1 server, 10 of them hostile.

The hostile ones carry the triggers that used to end the pass (and the daemon) with a traceback:
malformed CDATA, character references out of range, NUL bytes and invalid UTF-8, links with a port
out of range, an over-long DNS label, an IPv4 address in brackets or a control character, 200,000
unclosed ``<!--``, a document that is no feed, Telegram pages over 8 MB, with an out-of-range
``<time>`` or with no post, a source URL whose port is out of range. The pass must return
normally, store the 40 good sources (a Persian feed whose article has a Persian slug among them),
name each hostile source's URL in its error or in its items' errors, and save every source's state.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

from click.testing import CliRunner
from sqlalchemy import select

from eventledger.cli import cli
from eventledger.pipeline import Ingestor
from eventledger.sources.archive import read_record
from eventledger.sources.config import SourceSpec
from eventledger.store.schema import documents, run_errors, seen_items, sources
from eventledger.watch import watch
from tests.sources.test_collect import POLICY as COLLECT_POLICY

FIXTURES = Path(__file__).resolve().parent / "fixtures"
POLICY = replace(COLLECT_POLICY, timeout=5.0, concurrency=8, per_host_concurrency=8)
PERSIAN_SLUG = "/articles/تجمع-کارگران-اراک.html"


def rss(title: str, items: str) -> bytes:
    head = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
    return (head + items + "</channel></rss>").encode("utf-8")


def item(guid: str, description: str, link: str | None = None) -> str:
    link_el = f"<link>{link}</link>" if link else ""
    return (
        f"<item><guid isPermaLink='false'>{guid}</guid><title>{guid}</title>{link_el}"
        f"<pubDate>Sat, 18 Feb 2023 09:15:00 +0330</pubDate><description>{description}</description></item>"
    )


def good_feed(n: int) -> bytes:
    items = "".join(
        item(f"good-{n}-{k}", f"Workers of factory {n} protested in Arak over unpaid wages, item {k}.")
        for k in range(2)
    )
    return rss(f"Good feed {n}", items)


def telegram_page(datetime_value: str) -> bytes:
    page = (FIXTURES / "telegram" / "tme_s_page1.html").read_text(encoding="utf-8")
    return page.replace('datetime="2023-02-21T03:10:00+00:00"', f'datetime="{datetime_value}"').encode()


def serve_hostile(site) -> dict[str, SourceSpec]:
    """The 10 hostile sources, by what they carry."""
    pages: dict[str, tuple[bytes, str]] = {
        "/h/cdata.xml": rss(
            "CDATA", item("cdata-1", "<![CDATA[… <![<![ x]]>", "http://127.0.0.1:65536/a.html")
        ),
        "/h/charref.xml": rss(
            "Refs",
            item("ref-1", "&#x110000; &#xD800; protest in Arak", "http://" + "a" * 70 + ".example/x"),
        ),
        "/h/bytes.xml": rss("NUL", item("nul-1", "a\x00b protest", "http://[127.0.0.1]/x")).replace(
            b"protest", b"\xff\xfe\xc3 protest"
        ),
        "/h/sitemap.xml": (
            b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            b"<url><loc>" + site.url("/articles/a&#x7f;b.html").encode() + b"</loc></url></urlset>"
        ),
        "/h/comments.xml": rss("Comments", item("c-1", "&lt;!--" * 200_000)),
        "/h/not-a-feed.xml": b"<html><body><p>This is no feed.</p></body></html>",
        "/h/tg-big/s/big": b"<html><body>" + b"<p>x</p>" * (1_100_000) + b"</body></html>",
        "/h/tg-time/s/sepideh_tg": telegram_page("9999-12-31T23:59:59-23:59"),
        "/h/tg-empty/s/none": b"<html><body><p>nothing here</p></body></html>",
    }
    for path, body in pages.items():
        site.pages[path] = (body, "text/html" if "/tg-" in path else "application/rss+xml")
    kinds = {"/h/sitemap.xml": "sitemap"}
    specs = {
        path: SourceSpec(
            name=f"hostile {path}",
            kind="telegram-web" if "/tg-" in path else kinds.get(path, "rss"),
            url=site.url(path),
            outlet=f"Hostile {path}",
        )
        for path in pages
    }
    specs["bad-port"] = SourceSpec(
        name="hostile bad port", kind="rss", url="http://127.0.0.1:65536/feed.xml", outlet="Bad port"
    )
    return specs


def serve_good(site) -> list[SourceSpec]:
    specs = []
    for n in range(39):
        site.pages[f"/good/{n}.xml"] = (good_feed(n), "application/rss+xml; charset=utf-8")
        specs.append(
            SourceSpec(name=f"good {n}", kind="rss", url=site.url(f"/good/{n}.xml"), outlet=f"Good {n}")
        )
    # an ordinary Persian feed: its item's article has a Persian slug
    article = (
        "<html><head><title>تجمع کارگران</title></head><body><article><p>کارگران یک کارخانه در اراک "
        "امروز مقابل فرمانداری تجمع کردند و خواستار پرداخت حقوق‌های معوقه شدند.</p></article></body></html>"
    )
    site.pages[quote(PERSIAN_SLUG)] = (article.encode("utf-8"), "text/html; charset=utf-8")
    feed = rss("خبرگزاری نمونه", item("fa-1", "تجمع کارگران در اراک", site.url(PERSIAN_SLUG)))
    site.pages["/good/fa.xml"] = (feed, "application/rss+xml; charset=utf-8")
    specs.append(
        SourceSpec(name="good fa", kind="rss", url=site.url("/good/fa.xml"), outlet="Good fa", lang="fa")
    )
    return specs


def test_one_watch_pass_survives_ten_hostile_sources_among_fifty(store, site):
    good = serve_good(site)
    hostile = serve_hostile(site)
    specs = good + list(hostile.values())
    assert len(specs) == 50
    ingestor = Ingestor(store)
    started = time.perf_counter()
    (res,) = watch(ingestor, specs, POLICY, once=True)
    seconds = time.perf_counter() - started
    print(f"\nwatch pass over {len(specs)} sources: {seconds:.1f} s, {res.ingest.documents} documents, "
          f"{len(res.failed)} sources failed, {res.ingest.errors} item errors")  # fmt: skip

    with store.connect() as conn:
        stored_sources = {r.source for r in conn.execute(select(documents.c.source))}
        errors = list(conn.execute(select(run_errors.c.origin, run_errors.c.message)))
        rows = {r.name: r for r in conn.execute(select(sources))}
        seen = {r.source for r in conn.execute(select(seen_items.c.source))}
        persian = conn.execute(select(documents).where(documents.c.source == "good fa")).one()

    # the 40 good sources are stored, the Persian article fetched and archived under its URI
    assert {s.name for s in good} <= stored_sources
    assert "کارگران یک کارخانه در اراک" in persian.text and persian.url == site.url(PERSIAN_SLUG)
    with store.connect() as conn:
        archived = read_record(conn, persian.archive_record)
    assert archived is not None and archived.url == site.url(quote(PERSIAN_SLUG))

    # every hostile source is reported, named by its URL: as the source's error or in its items' errors
    failed = {name: reason for name, reason in res.failed.items()}
    assert set(failed) == {
        "hostile /h/not-a-feed.xml",
        "hostile /h/tg-big/s/big",
        "hostile /h/tg-empty/s/none",
        "hostile bad port",
    }
    for spec in hostile.values():
        named = failed.get(spec.name, "") + " ".join(f"{e.origin}: {e.message}" for e in errors)
        assert spec.url in named, spec.name
    assert "port 65536 is not a number in 1-65535" in failed["hostile bad port"]
    assert "larger than 8388608 bytes" in failed["hostile /h/tg-big/s/big"]
    assert "not an RSS or Atom feed" in failed["hostile /h/not-a-feed.xml"]
    messages = "\n".join(f"{e.origin}: {e.message}" for e in errors)
    for expected in (
        "http://127.0.0.1:65536/a.html: in rss " + site.url("/h/cdata.xml") + ": item link not fetched",
        "host label of 70 characters (at most 63)",
        "An IPv4 address cannot be in brackets",
        "control character U+007F",
        "the post's time is out of range",
    ):
        assert expected in messages
    # the hostile items' own text is still stored where they had some
    assert {"hostile /h/cdata.xml", "hostile /h/charref.xml", "hostile /h/bytes.xml"} <= stored_sources
    assert "hostile /h/tg-time/s/sepideh_tg" in stored_sources  # the other posts of that page

    # state saved for all 50: failures counted, items seen remembered
    assert len(rows) == 50 and all(r.last_checked is not None for r in rows.values())
    assert {n for n, r in rows.items() if r.consecutive_failures} == set(failed)
    assert {s.name for s in good} <= seen

    # a second pass adds nothing and still returns normally
    (again,) = watch(ingestor, specs, POLICY, once=True)
    assert again.ingest.documents == 0 and set(again.failed) == set(failed)


def test_ingest_url_exits_1_only_when_every_url_failed(tmp_path, site):
    serve_good(site)
    db = str(tmp_path / "i.db")
    net = ["--allow-private-networks", "127.0.0.1/32", "--per-host-interval", "0", "--retries", "0"]
    bad_port, bracketed = "http://127.0.0.1:65536/", "http://[127.0.0.1]/"

    one = CliRunner().invoke(cli, ["--db", db, "ingest", bad_port, "-q", *net])
    assert one.exit_code == 1 and "Traceback" not in one.stderr
    assert one.stderr.strip().endswith(
        f"error: nothing could be read from {bad_port}: invalid URL: port 65536 is not a number in 1-65535"
    )

    both = CliRunner().invoke(cli, ["--db", db, "ingest", bad_port, bracketed, "-q", *net])
    assert both.exit_code == 1 and "error: none of the 2 URLs could be read" in both.stderr
    assert f"{bracketed}: invalid URL: An IPv4 address cannot be in brackets" in both.stderr

    # one URL worked (a Persian feed whose article has a Persian slug): exit 6 (partial), the failure printed
    partly = CliRunner().invoke(cli, ["--db", db, "ingest", site.url("/good/fa.xml"), bad_port, "-q", *net])
    assert partly.exit_code == 6, partly.stderr
    assert "sources 2 · failed 1" in partly.stdout and f"{bad_port}: invalid URL" in partly.stderr
    assert "documents stored" in partly.stdout and "Traceback" not in partly.stderr
