"""Web pages: decoding, main-text extraction, sitemaps, and telling what a URL serves.

Main text comes from trafilatura, patched so that it keeps the zero-width non-joiner (U+200C):
out of the box it deletes it as a "control character", which turns «نکرده‌اند» into «نکردهاند»
and breaks Persian words (see ../shared/notes/dependencies.md). The patch is applied once, on
first use, and a test guards it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element

from eventledger.sources.http import Fetched
from eventledger.sources.markup import html_to_fields

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.IGNORECASE)
_KEEP = frozenset("\u200c\u200d")
_START_TAG = re.compile(r"<[A-Za-z]")
# trafilatura's budget: real article pages have a few thousand elements and under a megabyte
MAX_EXTRACT_ELEMENTS = 15_000
MAX_EXTRACT_CHARS = 2_000_000
_patched = False


def _keep_joiners(string: str) -> str:
    if string.isprintable():
        return string
    return "".join(ch for ch in string if ch.isprintable() or ch.isspace() or ch in _KEEP)


def _trafilatura() -> Any:
    """trafilatura, with remove_control_characters keeping ZWNJ/ZWJ (applied once)."""
    global _patched
    import trafilatura
    import trafilatura.baseline
    import trafilatura.utils

    if not _patched:
        trafilatura.utils.remove_control_characters = _keep_joiners
        trafilatura.baseline.remove_control_characters = _keep_joiners  # type: ignore[attr-defined]
        _patched = True
    return trafilatura


def preload() -> None:
    """Import the extractor now (before worker processes are forked)."""
    _trafilatura()


def charset_of(body: bytes, content_type: str | None) -> str | None:
    """The declared charset: a byte-order mark (it wins, as in browsers), the HTTP header, then
    <meta charset> / <?xml encoding?>."""
    if body.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if content_type and "charset=" in content_type.lower():
        return content_type.lower().split("charset=", 1)[1].split(";")[0].strip().strip("\"'") or None
    head = body[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return m.group(1).decode("ascii").lower() if m else None


def decode(body: bytes, content_type: str | None = None) -> str:
    """Bytes of a page → text, honouring the declared charset (windows-1256 included), else UTF-8,
    else detecting it. A few bytes that are invalid in the declared charset (or in UTF-8) become
    U+FFFD, as in a browser; only a page mostly invalid in it (mislabelled) is detected instead, and
    never as UTF-16/32 unless a quarter of its bytes are NUL (markup in those encodings is): hostile
    bytes must not turn a UTF-8 page into UTF-16 nonsense."""
    declared = charset_of(body, content_type)
    lenient: str | None = None
    wide_bytes = body.count(b"\x00") * 4 >= len(body) > 0  # UTF-16/32 markup: NUL every other byte
    for codec in (_alias(declared) if declared else None, None if wide_bytes else "utf-8"):
        if codec is None:
            continue
        try:
            return body.decode(codec)
        except LookupError:
            continue
        except UnicodeDecodeError:
            text = body.decode(codec, errors="replace")
            if text.count("\ufffd") - body.count("\ufffd".encode()) <= max(16, len(text) // 200):
                return text
            lenient = lenient if lenient is not None else text
    from charset_normalizer import from_bytes

    best = from_bytes(body[:200_000]).best()
    if best is not None and best.encoding:
        wide = best.encoding.lower().replace("-", "_").startswith(("utf_16", "utf_32"))
        if not wide or wide_bytes:
            return body.decode(best.encoding, errors="replace")
    if lenient is not None:
        return lenient
    return body.decode("cp1256", errors="replace")


def _alias(charset: str) -> str:
    # browsers read latin-1/ascii labels as windows-1252, and "windows-1256" may come as "arabic"
    return {"iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252", "arabic": "cp1256"}.get(
        charset, charset
    )


@dataclass(frozen=True)
class Article:
    title: str | None
    text: str
    published: dt.datetime | None
    site_name: str | None


def extract_article(html: str, url: str) -> Article | None:
    """Main text, title and date of an article page; None when no main text is found.

    trafilatura finds the main text of pages of up to :data:`MAX_EXTRACT_ELEMENTS` elements and
    :data:`MAX_EXTRACT_CHARS` characters; its time grows faster than the number of elements (a
    minute for 60,000) and by ~8 s a megabyte of hostile text, so a larger page (no real article)
    is read by the linear :func:`html_to_fields` alone. InputError for a page over
    :data:`~eventledger.sources.markup.MAX_HTML_BYTES`."""
    fields = html_to_fields(html, url)  # keeps the time of article:published_time, which trafilatura drops
    data: dict[str, Any] = {}
    if len(html) <= MAX_EXTRACT_CHARS and len(_START_TAG.findall(html)) <= MAX_EXTRACT_ELEMENTS:
        try:
            doc = _trafilatura().bare_extraction(
                html, url=url, include_comments=False, include_tables=False, with_metadata=True
            )
        except Exception:  # an extractor crash on one page is that page's problem only
            doc = None
        data = doc.as_dict() if hasattr(doc, "as_dict") else (doc or {})
    text = (data.get("text") or "").strip()
    published = _date(fields["published"]) or _date(data.get("date"))
    if not text:
        text = fields["text"].strip()
        if not text:
            return None
        return Article(fields["title"], text, published, fields["outlet"])
    return Article(
        data.get("title") or fields["title"], text, published, data.get("sitename") or fields["outlet"]
    )


def _date(value: object) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


# --- what does a URL serve? -------------------------------------------------------------------------
def sniff_kind(got: Fetched) -> str:
    """ "feed", "sitemap", "telegram-web" or "html" from the URL, the content type and the first bytes."""
    if re.match(r"https?://(?:www\.)?t\.me/s/", got.final_url):
        return "telegram-web"
    head = got.body[:2048].lstrip().lower()
    ctype = got.content_type
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap"
    if (
        b"<rss" in head
        or b"<feed" in head
        or b"<rdf:rdf" in head
        or ctype in ("application/rss+xml", "application/atom+xml")
    ):
        return "feed"
    return "html"


# --- sitemaps -----------------------------------------------------------------------------------------
_SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: str | None


def parse_sitemap(body: bytes) -> tuple[list[SitemapEntry], list[str]]:
    """(pages, nested sitemaps) of a sitemap or sitemap index; entity expansion and DTDs refused."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    root: Element = etree.fromstring(body, parser=parser)
    pages: list[SitemapEntry] = []
    nested: list[str] = []
    for node in root:
        tag = str(node.tag)
        loc = node.findtext(f"{_SM}loc") or node.findtext("loc")
        if not loc:
            continue
        if tag.endswith("sitemap"):
            nested.append(loc.strip())
        elif tag.endswith("url"):
            pages.append(
                SitemapEntry(
                    loc.strip(),
                    (node.findtext(f"{_SM}lastmod") or node.findtext("lastmod") or "").strip() or None,
                )
            )
    return pages, nested
