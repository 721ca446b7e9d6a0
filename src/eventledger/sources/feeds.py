"""RSS 2.0 and Atom feeds (feedparser): entries with their guid, link, dates and summary."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import feedparser

from eventledger.sources.files import html_to_fields

# feedparser must never fetch anything itself (it can follow URLs given as strings)
feedparser.RESOLVE_RELATIVE_URIS = True
feedparser.SANITIZE_HTML = True


@dataclass(frozen=True)
class Entry:
    item_id: str  # guid, else link
    link: str | None
    title: str | None
    summary: str  # text of the summary / content (markup removed)
    published: dt.datetime | None
    item_hash: str  # changes when the entry changes (title, link, dates, summary)


@dataclass(frozen=True)
class Feed:
    title: str | None
    entries: list[Entry]
    malformed: str | None  # feedparser's complaint when the XML is not well-formed


def _when(struct: Any) -> dt.datetime | None:
    if not struct:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(struct), dt.UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _text(html: str | None) -> str:
    if not html:
        return ""
    return str(html_to_fields(html)["text"]).strip()


def parse_feed(body: bytes, headers: Mapping[str, str] | None = None, url: str | None = None) -> Feed:
    """Parse feed bytes (never a URL: feedparser would fetch it). Charset from headers or the XML prolog."""
    parsed = feedparser.parse(
        body, response_headers=dict(headers or {}), resolve_relative_uris=True, sanitize_html=True
    )
    if url:
        parsed.href = url
    entries = []
    for e in parsed.entries:
        link = e.get("link")
        item_id = e.get("id") or e.get("guid") or link
        if not item_id:
            continue
        content = e.get("content") or []
        summary = _text(content[0].get("value") if content else e.get("summary"))
        published = _when(e.get("published_parsed")) or _when(e.get("updated_parsed"))
        updated = _when(e.get("updated_parsed"))
        key = "\x00".join(str(x) for x in (item_id, link, e.get("title"), published, updated, summary))
        entries.append(
            Entry(
                str(item_id)[:500],
                link,
                _text(e.get("title")) or None,
                summary,
                published,
                hashlib.sha256(key.encode("utf-8", "replace")).hexdigest(),
            )
        )
    malformed = None
    if parsed.bozo and not entries:
        malformed = f"not a well-formed feed: {parsed.get('bozo_exception')}"
    return Feed(parsed.feed.get("title"), entries, malformed)
