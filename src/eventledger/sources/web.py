"""Web pages as the fetcher sees them: telling what a URL serves, and sitemaps.

Decoding and main-text extraction live in :mod:`eventledger.normalize.html` (normalisation reads
a page the same way whichever way it arrived).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from eventledger.sources.http import Fetched


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
