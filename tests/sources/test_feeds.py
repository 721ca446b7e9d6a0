"""Feeds as hostile input: read in linear time, never a crash, and the usual formats still read right."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from eventledger.sources.feeds import parse_feed

BASE = "http://news.example/feed.xml"


def rss(items: str, title: str = "Feed") -> bytes:
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>{items}</channel></rss>'.encode(
        "utf-8", "surrogatepass"
    )


def one_item(description: str, guid: str = "g1", link: str = "") -> bytes:
    link_el = f"<link>{link}</link>" if link else ""
    return rss(f"<item><guid>{guid}</guid>{link_el}<description>{description}</description></item>")


@pytest.mark.parametrize(
    ("body", "text"),
    [
        # "<![" made html.parser raise AssertionError; libxml2 reads it as a bogus comment
        (one_item("<![CDATA[… <![<![ x]]>"), "…"),
        (one_item("&lt;![&lt;![ x&gt;protest"), "protest"),
        (one_item("&#x110000;a&#xD800;b&#0;c"), "\ufffda\ufffdb\ufffdc"),  # references out of range
        (one_item("a\x00b\x01c"), "abc"),  # NUL and control characters
        (one_item("ok").replace(b"ok", b"\xff\xfe ok"), "\ufffd\ufffd ok"),  # invalid UTF-8
        (one_item("caf&eacute; &nbsp;&unknown;"), "café \xa0&unknown;"),  # HTML entities
        (
            one_item("x")
            .replace(b"<rss", b'<!DOCTYPE rss [<!ENTITY e "EXPANDED">]><rss')
            .replace(b"x<", b"&e;<"),
            "&e;",  # an entity of the document's own DTD stays the text it was written as
        ),
        (one_item("<media:text>undeclared prefix</media:text>"), "undeclared prefix"),
    ],
)
def test_hostile_feeds_are_read_not_raised(body, text):
    feed = parse_feed(body, {}, BASE)
    (entry,) = feed.entries
    assert entry.item_id == "g1" and entry.summary == text
    assert "EXPANDED" not in entry.summary  # entities declared in a DTD are never expanded


@pytest.mark.parametrize(
    "description",
    [
        "&lt;!--" * 200_000,  # took 61 s through feedparser's sanitizer and html.parser
        "<![CDATA[" + "<!--" * 500_000 + "]]>",
        "<a " * 700_000,  # unescaped markup: 700,000 elements
        "&lt;a " * 350_000,
        "&lt;?" * 500_000,
        "&lt;/" * 500_000,
    ],
)
def test_two_megabytes_of_unclosed_markup_take_seconds_not_minutes(description):
    started = time.perf_counter()
    feed = parse_feed(one_item(description), {}, BASE)
    assert time.perf_counter() - started < 20 and len(feed.entries) == 1


def test_items_beyond_the_limit_are_not_read():
    items = "".join(f"<item><guid>g{n}</guid><description>d{n}</description></item>" for n in range(5000))
    started = time.perf_counter()
    feed = parse_feed(rss(items), {}, BASE, max_items=200)
    assert len(feed.entries) == 200 and feed.entries[0].item_id == "g0"
    assert time.perf_counter() - started < 10


def test_not_a_feed_and_broken_feeds_say_why():
    assert "not an RSS or Atom feed (its root element is <html>)" in str(
        parse_feed(b"<html><body>x</body></html>").malformed
    )
    assert "not a well-formed feed" in str(parse_feed(b"").malformed)
    broken = parse_feed(b'<?xml version="1.0"?><rss version="2.0"><channel><title>B</title><item><title>cut')
    assert broken.entries == [] and "not a well-formed feed: " in str(broken.malformed)


def test_rss_fields_links_and_dates():
    body = b"""<?xml version="1.0" encoding="windows-1256"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>C</title>
<item><guid isPermaLink="false">a1</guid><link>/news/\xe3\xde\xc7\xe1\xe5</link><title>A &amp; B</title>
 <pubDate>Sat, 18 Feb 2023 10:00:00 +0330</pubDate><description>short</description>
 <content:encoded><![CDATA[<p>full <em>text</em></p>]]></content:encoded></item>
<item><guid>https://news.example/2</guid><title>permalink guid</title><dc:date>2023-02-18T10:00:00Z</dc:date>
 <description>&lt;p&gt;escaped &lt;b&gt;html&lt;/b&gt;&lt;/p&gt;</description></item>
<item><guid isPermaLink="false">a3</guid><atom:link rel="alternate" href="https://news.example/3"/>
 <description>three</description><pubDate>not a date</pubDate></item>
</channel></rss>"""
    feed = parse_feed(body, {"Content-Type": "application/rss+xml"}, BASE)
    first, second, third = feed.entries
    assert first.link == "http://news.example/news/مقاله" and first.title == "A & B"
    assert first.summary == "full text"  # the content, not the description
    assert first.published == dt.datetime(2023, 2, 18, 6, 30, tzinfo=dt.UTC)
    assert second.link == "https://news.example/2" and second.summary == "escaped html"
    assert second.published == dt.datetime(2023, 2, 18, 10, 0, tzinfo=dt.UTC)
    assert third.link == "https://news.example/3" and third.published is None


def test_atom_and_rdf():
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://b.example/dir/">
<title>F</title><entry><id>tag:1</id><link rel="self" href="/self"/><link rel="alternate" href="post/1"/>
<title type="html">T &lt;i&gt;x&lt;/i&gt;</title><summary>s</summary><published>2023-02-18T10:00:00+03:30</published>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Para <b>one</b></p></div></content></entry></feed>"""
    (entry,) = parse_feed(atom, {}, BASE).entries
    assert (entry.item_id, entry.link, entry.title, entry.summary) == (
        "tag:1",
        "http://b.example/dir/post/1",
        "T x",
        "Para one",
    )
    assert entry.published == dt.datetime(2023, 2, 18, 6, 30, tzinfo=dt.UTC)
    rdf = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
xmlns="http://purl.org/rss/1.0/"><channel rdf:about="x"><title>R</title></channel>
<item rdf:about="http://a.example/1"><title>t1</title><link>http://a.example/1</link><description>d1</description></item></rdf:RDF>"""
    feed = parse_feed(rdf, {}, BASE)
    assert feed.title == "R" and [(e.item_id, e.summary) for e in feed.entries] == [
        ("http://a.example/1", "d1")
    ]
