"""RawReport → Document: cleaned text, language, content hash."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

from eventledger.extract.dates import local_date
from eventledger.model import Document, RawReport, RecordError
from eventledger.normalize.language import detect_language
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


def to_document(raw: RawReport) -> Document | RecordError:
    """Normalise one report; a report that is empty after cleaning is an error."""
    text = clean_text(raw.text)
    if not text:
        return RecordError(raw.origin, "'text' is empty after cleaning", "invalid")
    title = clean_text(raw.title) if raw.title else ""
    if raw.published is None:
        return RecordError(raw.origin, "'published' is required", "invalid")
    detected = raw.lang is None
    lang = raw.lang or detect_language(f"{title}\n{text}")
    return Document(
        outlet=raw.outlet or outlet_from_url(raw.url) or UNKNOWN_OUTLET,
        external_id=raw.external_id,
        url=raw.url,
        published=raw.published,
        lang=lang,
        title=title,
        text=text,
        content_hash=content_hash(text, local_date(raw.published).isoformat()),
        origin=raw.origin,
        lang_detected=detected,
        source=raw.source,
        fetched_at=raw.fetched_at,
        http_status=raw.http_status,
        archive_record=raw.archive_record,
    )
