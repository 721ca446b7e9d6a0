"""HTML from hostile sources reduced to text, in time linear in its size.

Every HTML document or fragment (a fetched page, an ``.html`` file, a feed item's description, a
Telegram preview page) is parsed by libxml2 through lxml, never by the standard library's
``html.parser``, which takes minutes on a few megabytes of unclosed ``<!--``, ``</``, ``<a `` or
``<?`` and raises on ``<![``. Limits: a document over :data:`MAX_HTML_BYTES` is an
:class:`~eventledger.errors.InputError` (not a stall); libxml2 stops at 256 levels of nesting and
the caller is told. NUL bytes, U+FDD0 and lone surrogates are dropped before parsing; character references
out of range become U+FFFD; scripts, styles, comments and processing instructions are never text.
"""

from __future__ import annotations

import re
from typing import Any

from eventledger.errors import InputError

MAX_HTML_BYTES = 32 * 1024 * 1024  # larger than any page the fetcher accepts by default (10 MB)
MAX_LINE_BREAKS = 100_000  # block elements whose ends become line breaks (each costs Python time)

LINE_BREAK = "\ufdd0"  # marks line ends in element_text (a noncharacter, removed from every input)
_LINE_SPACE = re.compile(r"[ \t\r\f\v]+")
# C0 controls (but tab and line ends), DEL, and the non-characters U+FFFE / U+FFFF (in UTF-8): no
# text, and not allowed in an XML tree (lxml refuses them in a tree it is asked to change)
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xef\xbf[\xbe\xbf]")

# what html_to_fields leaves out, and what ends a line
_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "iframe",
        "svg",
        "title",  # the title is a field of its own
    }
)
_BLOCK = frozenset(
    {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section", "tr", "blockquote"}
)


def html_bytes(html: str, origin: str, max_bytes: int | None = None) -> bytes:
    """``html`` as UTF-8 for libxml2: lone surrogates replaced, NUL bytes dropped, size checked
    (``max_bytes``, by default :data:`MAX_HTML_BYTES`)."""
    limit = MAX_HTML_BYTES if max_bytes is None else max_bytes
    if len(html) > limit:
        raise InputError(f"{origin}: HTML larger than {limit} bytes, not parsed")
    data = html.replace(LINE_BREAK, "").encode("utf-8", "replace").replace(b"\x00", b"")
    if len(data) > limit:
        raise InputError(f"{origin}: HTML larger than {limit} bytes, not parsed")
    return data


def parse_html(data: bytes, origin: str) -> tuple[Any, bool]:
    """The document root of UTF-8 ``data`` (None for an empty document) and whether libxml2 stopped
    at its nesting limit (what follows that point is lost)."""
    from lxml import etree
    from lxml import html as lxml_html

    # dropped byte-wise (a C0 control never occurs inside a UTF-8 sequence; \xef only leads one)
    data = _CONTROL_BYTES.sub(b"", data)
    if not data.strip():
        return None, False
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = lxml_html.document_fromstring(data, parser=parser)
    except etree.ParserError:  # "Document is empty": nothing but markup that holds no element
        return None, False
    except (ValueError, etree.LxmlError) as exc:
        raise InputError(f"{origin}: cannot parse the HTML: {exc}") from exc
    truncated = any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log)
    return root, truncated


def element_text(el: Any, skip: frozenset[str], block: frozenset[str]) -> str:
    """The text of ``el``'s subtree in document order, :data:`LINE_BREAK` where a line ends (start and
    end of a ``block`` element below ``el``, ``<br>``; the first :data:`MAX_LINE_BREAKS` of them).
    Elements in ``skip`` give nothing but their tail; comments and processing instructions nothing.
    The tree is not changed (a copy is), and the work is done by libxml2: Python touches only the
    block elements."""
    import copy

    from lxml import etree

    work = copy.deepcopy(el)
    work.tail = None
    etree.strip_elements(work, etree.Comment, etree.ProcessingInstruction, *skip, with_tail=False)
    for n, node in enumerate(work.iter("br", *block)):
        if n >= MAX_LINE_BREAKS:  # a hostile page of a million <p>: the rest runs on, in bounded time
            break
        if node is work:
            continue
        if node.tag != "br":
            node.text = LINE_BREAK + (node.text or "")
        node.tail = LINE_BREAK + (node.tail or "")
    if work.tag in skip:
        return ""
    return str(etree.tostring(work, method="text", encoding="unicode", with_tail=False))


def html_to_fields(html: str, origin: str = "HTML document") -> dict[str, Any]:
    """Title, text and metadata of an HTML document, as record fields.

    Text: navigation, scripts and styles left out, one line per block, spaces collapsed, empty lines
    dropped. InputError for a document over :data:`MAX_HTML_BYTES`."""
    root, _ = parse_html(html_bytes(html, origin), origin)
    if root is None:
        return {"title": None, "text": "", "published": None, "outlet": None, "url": None, "lang": None}
    meta: dict[str, str] = {}
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or "").lower()
        content = el.get("content")
        if key and content is not None:
            meta[key] = content
    title_el = next(root.iter("title"), None)
    title = " ".join(title_el.text_content().split()) if title_el is not None else ""
    time_datetime = next((t.get("datetime") for t in root.iter("time") if t.get("datetime")), None)
    joined = element_text(root, _SKIP, _BLOCK).replace(LINE_BREAK, "\n")
    lines = (_LINE_SPACE.sub(" ", ln).strip() for ln in joined.split("\n"))
    return {
        "title": meta.get("og:title") or title or None,
        "text": "\n".join(ln for ln in lines if ln),
        "published": meta.get("article:published_time") or meta.get("date") or time_datetime,
        "outlet": meta.get("og:site_name"),
        "url": meta.get("og:url"),
        "lang": None,
    }
