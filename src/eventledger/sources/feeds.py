"""RSS 2.0 / 0.9x, RSS 1.0 (RDF) and Atom 1.0 / 0.3 feeds: entries with their id, link, dates and text.

A feed is hostile input, read in time linear in its size and never by a regular-expression or
SGML parser that can stall on unclosed markup:

1. :func:`well_formed` decodes the bytes (charset of the HTTP header, a BOM or the XML prolog, else
   UTF-8; bad bytes become U+FFFD), drops characters XML forbids (NUL, other control characters,
   lone surrogates) and character references to them (``&#x110000;``, ``&#xD800;``), writes HTML
   entities (``&nbsp;``) as characters, then libxml2 (lxml in recovery mode: no DTD, no entity
   expansion, no network) builds the tree, repairing what it can and saying what it repaired;
2. :func:`parse_feed` reads the entries off the tree; their titles, summaries and contents are
   reduced to text by :func:`~eventledger.normalize.html.html_to_fields` (lxml too), so no markup is
   kept. At most ``max_items`` entries are read (the first ones: feeds put the newest first).
"""

from __future__ import annotations

import codecs
import datetime as dt
import email.utils
import hashlib
import html.entities
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from eventledger.normalize.html import charset_of, html_to_fields
from eventledger.sources.urls import MAX_URL_CHARS

MAX_FEED_BYTES = 32 * 1024 * 1024
MAX_FEED_ITEMS = 1000
MAX_ID_CHARS = 500

# characters XML 1.0 does not allow, and the C1 controls (never text); ZWNJ and other format characters stay
_NOT_XML = re.compile(r"[^\x09\x0a\x0d\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CHARREF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,16})|([0-9]{1,20}));")
_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]{0,31});")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
_XML_DECL = re.compile(r"\A\s*<\?xml[^>]{0,200}\?>")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

ATOM: frozenset[str | None] = frozenset({"http://www.w3.org/2005/Atom", "http://purl.org/atom/ns#"})
RSS: frozenset[str | None] = frozenset(
    {None, "http://purl.org/rss/1.0/", "http://my.netscape.com/rdf/simple/0.9/"}
)
DC = frozenset({"http://purl.org/dc/elements/1.1/"})
CONTENT = frozenset({"http://purl.org/rss/1.0/modules/content/"})
NO_NS: frozenset[str | None] = frozenset({None})
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


@dataclass(frozen=True)
class Entry:
    item_id: str  # guid / id, else link
    link: str | None
    title: str | None
    summary: str  # text of the content, else of the summary / description (markup removed)
    published: dt.datetime | None
    item_hash: str  # changes when the entry changes (title, link, dates, summary)


@dataclass(frozen=True)
class Feed:
    title: str | None
    entries: list[Entry]
    malformed: str | None  # why the document is not a readable feed (None when it is one)


# --- bytes → a well-formed tree ---------------------------------------------------------------------
def _decode(body: bytes, content_type: str | None) -> str:
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    declared = charset_of(body, content_type) or "utf-8"
    try:
        return body.decode(declared, errors="replace")
    except LookupError:  # an unknown charset label: XML's default
        return body.decode("utf-8", errors="replace")


def _charref(m: re.Match[str]) -> str:
    code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
    if code > 0x10FFFF or _NOT_XML.match(chr(code)):
        return "&#xFFFD;"
    return m.group(0)


def _entity(m: re.Match[str]) -> str:
    name = m.group(1)
    if name in _XML_ENTITIES:
        return m.group(0)
    chars = html.entities.html5.get(name + ";")
    if chars is None:
        return "&amp;" + name + ";"  # an unknown entity stays as the text it was written as
    return chars.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def well_formed(
    body: bytes, content_type: str | None = None, url: str | None = None
) -> tuple[Any, str | None]:
    """(the root element, None when there is none; libxml2's first complaint, None when it had none)."""
    from lxml import etree

    text = _decode(body, content_type)
    text = _XML_DECL.sub("", text, count=1)
    text = _NOT_XML.sub("", text)
    text = _CHARREF.sub(_charref, text)
    text = _ENTITY.sub(_entity, text)
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)  # fmt: skip
    data = text.encode("utf-8")
    try:
        root = etree.fromstring(data, parser=parser, base_url=url) if data.strip() else None
    except etree.XMLSyntaxError:
        root = None
    complaint = next((f"{e.message.strip()} (line {e.line})" for e in parser.error_log), None)
    return root, complaint or (None if root is not None else "empty document")


# --- the tree → entries ---------------------------------------------------------------------------------
def _name(el: Any) -> tuple[str | None, str] | None:
    """(namespace, local name) of an element; None for anything else (an entity reference)."""
    tag = el.tag
    if not isinstance(tag, str):
        return None
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return None, tag


def _kids(el: Any) -> Iterator[tuple[str | None, str, Any]]:
    for child in el:
        name = _name(child)
        if name is not None:
            yield name[0], name[1], child


def _first(el: Any, *wanted: tuple[frozenset[str | None], str]) -> Any:
    """The first child of ``el`` that is one of ``wanted`` ((namespaces, local name)), in that order."""
    kids = list(_kids(el))
    for namespaces, name in wanted:
        for ns, local, child in kids:
            if local == name and ns in namespaces:
                return child
    return None


def _raw(el: Any) -> str:
    """The content of a text element as HTML: its text (escaped markup, unescaped by the XML parser),
    or the element written out when markup was put in it unescaped (the HTML parser reads it whole)."""
    from lxml import etree

    if el is None:
        return ""
    if len(el) == 0:
        return str(el.text or "")
    return str(etree.tostring(el, encoding="unicode", with_tail=False))


def _text(el: Any) -> str:
    """The text of a title, summary or content (HTML reduced to text)."""
    markup = _raw(el)
    if not markup.strip():
        return ""
    return str(html_to_fields(markup, "feed item")["text"]).strip()


def _plain(value: str | None, limit: int) -> str | None:
    """A one-line value (id, link): control characters removed, length capped."""
    if value is None:
        return None
    text = _CONTROL.sub("", value).strip()
    return text[:limit] or None


def _link(value: str | None) -> str | None:
    """A link as written, surrounding white space removed; what is wrong with it inside is for the
    fetcher to say (it refuses control characters, bad ports and hosts with a clear error)."""
    if value is None:
        return None
    return value.strip(" \t\r\n\f\v")[:MAX_URL_CHARS] or None


def _date(el: Any) -> dt.datetime | None:
    """RFC 822 (RSS) or ISO 8601 / W3C-DTF (Atom, Dublin Core) time in UTC; None when unreadable."""
    value = (el.text or "").strip()[:100] if el is not None else ""
    if not value:
        return None
    parsed: dt.datetime | None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    try:
        return parsed.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        return None


def _resolve(el: Any, link: str | None) -> str | None:
    if not link:
        return None
    try:
        return urljoin(el.base or "", link) if el.base else link
    except ValueError:  # "http://[x" and the like: the fetch will say what is wrong with it
        return link


@dataclass(frozen=True)
class _Fields:
    item_id: str | None
    link: str | None
    title: Any
    summary: Any
    content: Any
    published: dt.datetime | None
    updated: dt.datetime | None


def _atom_link(el: Any) -> str | None:
    links = [c for ns, local, c in _kids(el) if local == "link" and ns in ATOM and c.get("href")]
    alternate = next((c for c in links if c.get("rel") in (None, "alternate")), None)
    chosen = alternate if alternate is not None else (links[0] if links else None)
    return _resolve(chosen, _link(chosen.get("href"))) if chosen is not None else None


def _rss_item(el: Any) -> _Fields:
    guid_el = _first(el, (RSS, "guid"))
    guid = _plain(guid_el.text, MAX_URL_CHARS) if guid_el is not None and guid_el.text else None
    link_el = _first(el, (RSS, "link"))
    link = _resolve(link_el, _link(link_el.text)) if link_el is not None else None
    link = link or _atom_link(el)
    if link is None and guid and (guid_el.get("isPermaLink") or "true").lower() != "false":
        link = _resolve(guid_el, _link(guid_el.text)) if guid.startswith(("http://", "https://")) else None
    return _Fields(
        guid or _plain(el.get(f"{{{RDF}}}about"), MAX_URL_CHARS),
        link,
        _first(el, (RSS, "title"), (DC, "title")),
        _first(el, (RSS, "description"), (DC, "description")),
        _first(el, (CONTENT, "encoded")),
        _date(_first(el, (RSS, "pubDate"), (DC, "date"))),
        _date(_first(el, (ATOM, "updated"), (DC, "modified"))),
    )


def _atom_entry(el: Any) -> _Fields:
    id_el = _first(el, (ATOM, "id"))
    content = _first(el, (ATOM, "content"))
    return _Fields(
        _plain(id_el.text, MAX_URL_CHARS) if id_el is not None and id_el.text else None,
        _atom_link(el),
        _first(el, (ATOM, "title")),
        _first(el, (ATOM, "summary")),
        content if content is not None and not content.get("src") else None,
        _date(_first(el, (ATOM, "published"), (ATOM, "issued"), (DC, "date"))),
        _date(_first(el, (ATOM, "updated"), (ATOM, "modified"))),
    )


def _structure(root: Any) -> tuple[Any, list[Any], bool] | None:
    """(the element holding the feed's title, its item elements, Atom?) — None when not a feed."""
    name = _name(root)
    if name is None:
        return None
    ns, local = name
    if local == "feed" and ns in ATOM:
        return root, [c for n, loc, c in _kids(root) if loc == "entry" and n in ATOM], True
    if local == "rss" and ns is None:
        channel = _first(root, (NO_NS, "channel"))
        holder = channel if channel is not None else root
        return holder, [c for n, loc, c in _kids(holder) if loc == "item" and n is None], False
    if local == "RDF" and ns == RDF:
        channel = _first(root, (RSS, "channel"))
        items = [c for n, loc, c in _kids(root) if loc == "item" and n in RSS]
        return (channel if channel is not None else root), items, False
    return None


def _entry(fields: _Fields) -> Entry | None:
    item_id = fields.item_id or fields.link
    if not item_id:
        return None
    item_id = item_id[:MAX_ID_CHARS]
    summary = _text(fields.content) or _text(fields.summary)
    title = _text(fields.title) or None
    published = fields.published or fields.updated
    key = "\x00".join(str(x) for x in (item_id, fields.link, title, published, fields.updated, summary))
    digest = hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()
    return Entry(item_id, fields.link, title, summary, published, digest)


def parse_feed(
    body: bytes,
    headers: Mapping[str, str] | None = None,
    url: str | None = None,
    *,
    max_items: int = MAX_FEED_ITEMS,
) -> Feed:
    """Parse feed bytes; relative links are resolved against ``url`` (and ``xml:base``).

    ``malformed`` says why when the document is no feed at all, or is broken and has no entry."""
    if len(body) > MAX_FEED_BYTES:
        return Feed(None, [], f"feed larger than {MAX_FEED_BYTES} bytes, not parsed")
    content_type = {k.lower(): v for k, v in (headers or {}).items()}.get("content-type")
    root, complaint = well_formed(body, content_type, url)
    if root is None:
        return Feed(None, [], f"not a well-formed feed: {complaint}")
    found = _structure(root)
    if found is None:
        name = _name(root)
        what = name[1] if name else "?"
        return Feed(None, [], f"not an RSS or Atom feed (its root element is <{what[:40]}>)")
    holder, items, atom = found
    entries = []
    for item in items[:max_items]:
        entry = _entry(_atom_entry(item) if atom else _rss_item(item))
        if entry is not None:
            entries.append(entry)
    title_el = _first(holder, (ATOM if atom else RSS, "title"))
    title = _plain(_text(title_el), 500) if title_el is not None else None
    malformed = f"not a well-formed feed: {complaint}" if complaint and not entries else None
    return Feed(title, entries, malformed)
