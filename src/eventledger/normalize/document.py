"""RawReport → Document: cleaned text, language, content hash.

Every report passes here whatever its source, so this is where what reaches the store is made safe
(the readers check the same rules earlier, naming the field): strings are valid Unicode (a lone
surrogate in an outlet, id, url or language is the record's error; in a title or text it becomes
U+FFFD), the publication time lies in :data:`PUBLISHED_MIN` … :data:`PUBLISHED_MAX`, and bidirectional
controls that could make an outlet, title, id or url display as something else are removed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import replace
from urllib.parse import urlsplit

from eventledger.normalize.days import local_date
from eventledger.normalize.html import decode, extract_article
from eventledger.normalize.language import detect_language
from eventledger.normalize.redact import redact_name, redact_url
from eventledger.normalize.text import clean_text, hash_form
from eventledger.records import Document, RawReport, RecordError

_WS = re.compile(r"\s+")
UNKNOWN_OUTLET = "unknown"
MAX_LANG_CHARS = 8  # documents.lang

# Publication times outside these bounds are an input error (a year-1 or year-9999 time overflows
# the day arithmetic downstream: Tehran day, Jalali month, dates relative to publication).
PUBLISHED_MIN = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
PUBLISHED_MAX = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)

# --- valid Unicode and bidirectional controls --------------------------------------------------
_SURROGATE = re.compile("[\ud800-\udfff]")
# ALM, LRM, RLM, the embeddings and overrides (LRE RLE PDF LRO RLO) and isolates (LRI RLI FSI PDI).
# ZWNJ (U+200C) and ZWJ (U+200D) are letters' joining controls that Persian needs: never removed.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
_C0_C1 = re.compile("[\x00-\x1f\x7f-\x9f]")
_MARKS = re.compile("[\u061c\u200e\u200f]")  # ALM, LRM, RLM
# anchored at the start of a token: unanchored, a mark after a long run without spaces took
# quadratic time (a minute for 120,000 characters)
_TOKEN_WITH_MARK = re.compile("(?<!\\S)\\S*[\u061c\u200e\u200f]\\S*")
_LONE_MARKS = re.compile("(?<=\\s)[\u061c\u200e\u200f]+[^\\S\\n]")
_CONTACT_CHAR = re.compile(r"[\d@]")


def has_surrogates(value: str) -> bool:
    """Whether ``value`` holds surrogate code points (text decoded with ``surrogateescape``, or a lone
    ``\\udXXX`` escape)."""
    return _SURROGATE.search(value) is not None


def valid_unicode(name: str, value: str) -> str:
    """``value`` when it is valid Unicode; ValueError naming the field for a lone surrogate.

    A surrogate pair written as two escapes (as YAML may give it) is joined into its character.
    """
    if _SURROGATE.search(value) is None:
        return value
    try:
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except UnicodeDecodeError:
        lone = next(c for c in value if "\ud800" <= c <= "\udfff")
        raise ValueError(f"'{name}' is not valid Unicode (lone surrogate \\u{ord(lone):04x})") from None


def repair_unicode(value: str) -> str:
    """``value`` as valid Unicode: surrogate pairs joined, a lone surrogate replaced by U+FFFD."""
    if _SURROGATE.search(value) is None:
        return value
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def printable(value: str) -> str:
    """``value`` with what cannot be stored escaped (a lone surrogate as ``\\udcxx``): origins, messages."""
    if _SURROGATE.search(value) is None:
        return value
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def strip_bidi(value: str) -> str:
    """A one-line field (outlet, id, url) without bidirectional controls and C0/C1 control characters."""
    return _C0_C1.sub("", _BIDI.sub("", value))


def unmark_contacts(text: str) -> str:
    """Body text without the direction marks (ALM, LRM, RLM) that would hide a phone number, an e-mail
    address or an ID number from redaction: those in a whitespace-delimited token holding a digit or
    "@", and marks standing alone between spaces (removed with the space after them).  Other marks are
    kept (they place punctuation in mixed text)."""
    if _MARKS.search(text) is None:
        return text

    def unmark(m: re.Match[str]) -> str:
        token = m.group(0)
        bare = _MARKS.sub("", token)
        return bare if _CONTACT_CHAR.search(bare) else token

    return _TOKEN_WITH_MARK.sub(unmark, _LONE_MARKS.sub("", text))


def check_published(value: dt.datetime) -> dt.datetime:
    """A publication time within PUBLISHED_MIN … PUBLISHED_MAX, in UTC; ValueError otherwise."""
    if value.tzinfo is None:  # a source that gave none means UTC
        value = value.replace(tzinfo=dt.UTC)
    try:
        utc = value.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError(f"'published' is out of range: {value.isoformat()}") from None
    if not PUBLISHED_MIN <= utc < PUBLISHED_MAX:
        raise ValueError(
            f"'published' is out of range ({PUBLISHED_MIN.year}–{PUBLISHED_MAX.year - 1}): {utc.isoformat()}"
        )
    return utc


def content_hash(text: str, published_day: str) -> str:
    """Hash of the normalised body and the publication day.

    The same text published the same day by two outlets is one report copied (syndication);
    the same short formula posted on another day is another report.
    """
    key = _WS.sub(" ", hash_form(text)).strip() + "\x00" + published_day
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:  # "http://[::1", a port that is not a number, ...
        return None
    return host.removeprefix("www.") if host else None


_LANG_RE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{1,8})*")
MAX_OUTLET_CHARS = 200  # outlets.name, documents.outlet
MAX_ID_CHARS = 500  # documents.external_id


def _one_line(name: str, value: str | None, limit: int | None = None) -> str | None:
    """An outlet, id or url: valid Unicode, without bidirectional or control characters, trimmed."""
    if value is None:
        return None
    cleaned = strip_bidi(valid_unicode(name, value)).strip()
    if limit is not None and len(cleaned) > limit:
        raise ValueError(f"'{name}' is longer than {limit} characters")
    return cleaned or None


def check_lang(value: str | None) -> str | None:
    """A language code (``fa``, ``en``, ``fa-ir``), lower case; None for none; ValueError for anything else."""
    lang = valid_unicode("lang", value or "").strip().lower()
    if not lang:
        return None
    if not _LANG_RE.fullmatch(lang):
        raise ValueError(f"'lang' is not a language code: {lang[:20]!r}")
    return lang if len(lang) <= MAX_LANG_CHARS else lang.split("-", 1)[0]


def _extracted(raw: RawReport) -> RawReport | RecordError:
    """A fetched page's main text (and title and date when the feed gave none)."""
    assert raw.html is not None
    article = extract_article(decode(raw.html, raw.content_type), raw.url or raw.origin)
    if article is None:
        if raw.text.strip():  # the feed's summary stands in
            return replace(raw, html=None)
        return RecordError(raw.origin, "no article text found on the page", "extract")
    return replace(
        raw,
        html=None,
        text=article.text,
        title=raw.title or article.title,
        published=raw.published or article.published or raw.fetched_at,
    )


def to_document(raw: RawReport) -> Document | RecordError:
    """Normalise one report (extracting a fetched page's text first); an empty report is an error,
    and so is one that cannot be stored as it is (see the module docstring)."""
    origin = printable(raw.origin)
    try:
        return _document(raw, origin)
    except ValueError as exc:
        return RecordError(origin, str(exc), "invalid")


def _document(raw: RawReport, origin: str) -> Document | RecordError:
    if raw.html is not None:
        got = _extracted(raw)
        if isinstance(got, RecordError):
            return got
        raw = got
    text = clean_text(unmark_contacts(repair_unicode(raw.text)))
    if not text:
        return RecordError(origin, "'text' is empty after cleaning", "invalid")
    title = _BIDI.sub("", clean_text(repair_unicode(raw.title))) if raw.title else ""
    if raw.published is None:
        return RecordError(origin, "'published' is required", "invalid")
    published = check_published(raw.published)
    url = _one_line("url", raw.url)
    lang = check_lang(raw.lang)
    detected = lang is None
    host = outlet_from_url(url)
    outlet = (
        _one_line("outlet", raw.outlet, MAX_OUTLET_CHARS)
        or (host and host[:MAX_OUTLET_CHARS])
        or UNKNOWN_OUTLET
    )
    # personal data out of what is stored and shown: the raw URL stays in the archive only; the
    # external id stays as received (it is the key that tells reports apart) and is redacted on output
    return Document(
        outlet=redact_name(outlet),
        external_id=_one_line("id", raw.external_id, MAX_ID_CHARS),
        url=redact_url(url),
        published=published,
        lang=lang or detect_language(f"{title}\n{text}"),
        title=title,
        text=text,
        content_hash=content_hash(text, local_date(published).isoformat()),
        origin=redact_url(origin) or origin,
        lang_detected=detected,
        source=raw.source,
        fetched_at=raw.fetched_at,
        http_status=raw.http_status,
        archive_record=raw.archive_record,
    )
