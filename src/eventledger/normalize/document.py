"""RawReport → Document: cleaned text, language, content hash."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

from eventledger.extract.dates import local_date
from eventledger.model import Document, RawReport, RecordError
from eventledger.normalize.language import detect_language
from eventledger.normalize.redact import redact_name, redact_url
from eventledger.normalize.text import clean_text, hash_form

_WS = re.compile(r"\s+")
UNKNOWN_OUTLET = "unknown"


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
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None


def _extracted(raw: RawReport) -> RawReport | RecordError:
    """A fetched page's main text (and title and date when the feed gave none)."""
    from dataclasses import replace

    from eventledger.sources.web import decode, extract_article

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
    """Normalise one report (extracting a fetched page's text first); an empty report is an error."""
    if raw.html is not None:
        got = _extracted(raw)
        if isinstance(got, RecordError):
            return got
        raw = got
    text = clean_text(raw.text)
    if not text:
        return RecordError(raw.origin, "'text' is empty after cleaning", "invalid")
    title = clean_text(raw.title) if raw.title else ""
    if raw.published is None:
        return RecordError(raw.origin, "'published' is required", "invalid")
    detected = raw.lang is None
    lang = raw.lang or detect_language(f"{title}\n{text}")
    # personal data out of what is stored and shown: the raw URL stays in the archive only; the
    # external id stays as received (it is the key that tells reports apart) and is redacted on output
    return Document(
        outlet=redact_name(raw.outlet or outlet_from_url(raw.url) or UNKNOWN_OUTLET),
        external_id=raw.external_id,
        url=redact_url(raw.url),
        published=raw.published,
        lang=lang,
        title=title,
        text=text,
        content_hash=content_hash(text, local_date(raw.published).isoformat()),
        origin=redact_url(raw.origin) or raw.origin,
        lang_detected=detected,
        source=raw.source,
        fetched_at=raw.fetched_at,
        http_status=raw.http_status,
        archive_record=raw.archive_record,
    )
