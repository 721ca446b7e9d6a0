"""Typed records passed between pipeline stages.

sources → :class:`RawReport` → normalize → :class:`Document` → extract → :class:`Mention`
→ resolve → events in the store → aggregate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

# Place precision, most to least precise.
PlacePrecision = Literal["city", "county", "province", "country", "unknown"]
# How a mention's date was obtained, most to least precise.
DatePrecision = Literal["day", "relative", "publication", "month"]
Stance = Literal["actor", "state", "independent", "unknown"]
ClaimStatus = Literal["claimed", "reported", "corroborated"]

DATE_PRECISION_RANK: dict[str, int] = {"day": 0, "relative": 1, "publication": 2, "month": 3}
IMPRECISE_DATES = frozenset({"relative", "publication", "month"})


@dataclass(frozen=True, slots=True)
class RawReport:
    """One report as read from a source, before normalisation."""

    text: str
    origin: str  # where it came from: "path/file.jsonl:12", a URL, ...
    external_id: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: dt.datetime | None = None  # timezone-aware
    lang: str | None = None
    title: str | None = None
    # provenance of fetched reports
    source: str | None = None  # the configured source it came from
    fetched_at: dt.datetime | None = None
    http_status: int | None = None
    archive_record: str | None = None  # WARC record id of the archived response
    # a fetched page whose main text is still to be extracted (done in the coding processes);
    # ``text`` then holds the feed's own summary, used when no main text is found
    html: bytes | None = None
    content_type: str | None = None
    # the publication time is the file's modification time (a .txt/.md/.html file that gave none)
    dated_by_mtime: bool = False


@dataclass(frozen=True, slots=True)
class RecordError:
    """A record that could not be read; the rest of the input goes on."""

    origin: str  # "path/file.jsonl:12"
    message: str
    kind: str = "parse"


@dataclass(frozen=True, slots=True)
class Document:
    """A normalised report ready to be coded and stored."""

    outlet: str
    external_id: str | None
    url: str | None
    published: dt.datetime  # timezone-aware, UTC
    lang: str
    title: str  # stored (cleaned) title, may be empty
    text: str  # stored (cleaned) body; mention spans refer to it
    content_hash: str
    origin: str
    lang_detected: bool = False
    source: str | None = None
    fetched_at: dt.datetime | None = None
    http_status: int | None = None
    archive_record: str | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry."""

    place_id: str  # "gn:112931" (GeoNames), "IR-23" (province), "cc:FR" (country)
    name: str  # English name
    name_fa: str | None
    country: str  # ISO 3166-1 alpha-2
    admin1: str | None  # ISO 3166-2, e.g. "IR-23"
    lat: float | None
    lon: float | None
    precision: PlacePrecision
    population: int = 0


@dataclass(frozen=True, slots=True)
class Mention:
    """One report's statement of one event (one subtype × one place × one day)."""

    category: str
    subtype: str
    field: Literal["title", "text"]
    sent_start: int  # span of the sentence in the stored title/text
    sent_end: int
    trig_start: int  # span of the words that triggered the code
    trig_end: int
    sentence: str  # exact sentence (from the stored text, personal data already redacted)
    trigger: str
    date: dt.date
    date_precision: DatePrecision
    date_text: str | None
    place: Place | None
    place_text: str | None
    quantity: int | None
    actor: str | None
    claimant: str | None
    target: str | None
    confidence: float
    coder: str
    codebook: str  # "political-action@1.0.0"
    model_version: str | None = None
    flags: tuple[str, ...] = ()

    @property
    def place_key(self) -> str:
        return self.place.place_id if self.place else "unknown"
