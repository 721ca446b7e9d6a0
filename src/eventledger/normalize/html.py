"""HTML reduced to text, and web pages decoded and read for their main text.

Hostile input, linear time: every HTML document or fragment (a fetched page, an ``.html`` file, a
feed item's description, a Telegram preview page) is parsed by libxml2 through lxml, never by the
standard library's ``html.parser``, which takes minutes on a few megabytes of unclosed ``<!--``,
``</``, ``<a `` or ``<?`` and raises on ``<![``. Limits: a document over :data:`MAX_HTML_BYTES` is an
:class:`~eventledger.errors.InputError` (not a stall); libxml2 stops at 256 levels of nesting and
the caller is told. NUL bytes, U+FDD0 and lone surrogates are dropped before parsing; character
references out of range become U+FFFD; scripts, styles, comments and processing instructions are
never text.

Main text comes from trafilatura, patched so that it keeps the zero-width non-joiner (U+200C): out
of the box it deletes it as a "control character", which turns «نکرده‌اند» into «نکردهاند» and
breaks Persian words (see ../shared/notes/dependencies.md). The patch is applied once, on first use,
and a test guards it.

A stage below the sources (normalisation reads a page the same way whichever way it arrived: a
file, a feed item, a fetched page); :mod:`eventledger.sources.web` fetches and sniffs.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
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


# --- pages: decoding and main text -------------------------------------------------------------
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
    :data:`~eventledger.normalize.html.MAX_HTML_BYTES`."""
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
