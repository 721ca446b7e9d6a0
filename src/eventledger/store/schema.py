"""The store's tables (SQLAlchemy Core). Changes go through an Alembic migration in ``migrations/``.

documents ─< mentions >─ events        runs ─< run_errors        outlets
documents ─< dropped_candidates

* a **document** is one report as received (outlet, external id, publication time, text);
* a **mention** is one report's statement of one event, with the exact sentence;
* an **event** is one action subtype × one place × one day, linked to all its mentions;
* a **dropped candidate** is a trigger the coder found and did not code (with its reason);
* a **run** records what ran, with which versions, and what it counted.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("command", String(40), nullable=False),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
    Column("status", String(16), nullable=False),  # running | ok | failed | interrupted
    Column("params", JSON, nullable=False),
    Column("versions", JSON, nullable=False),
    Column("counts", JSON),
    Column("n_errors", Integer, nullable=False, default=0),
    # the process that started it: a run left "running" by a killed process is told by these
    Column("host", String(255)),
    Column("pid", Integer),
)

run_errors = Table(
    "run_errors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("origin", Text, nullable=False),  # "file.jsonl:12"
    Column("kind", String(40), nullable=False),
    Column("message", Text, nullable=False),
)

outlets = Table(
    "outlets",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("stance", String(16), nullable=False),  # actor | state | independent | unknown
    Column("actor", String(100)),
    Column("lang", String(8)),
    Column("updated_at", DateTime, nullable=False),
    Column("name_en", String(200)),  # the name readers see (None: the name itself)
    Column("name_fa", String(200)),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("outlet", String(200), nullable=False),
    Column("external_id", String(500)),
    Column("url", Text),
    Column("published", DateTime, nullable=False),  # UTC, naive
    Column("published_local", Date, nullable=False),  # Tehran calendar day
    Column("lang", String(8), nullable=False),
    Column("lang_detected", Boolean, nullable=False, default=False),
    Column("title", Text, nullable=False, default=""),
    Column("text", Text, nullable=False),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("origin", Text, nullable=False),
    Column("n_mentions", Integer, nullable=False, default=0),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("ingested_at", DateTime, nullable=False),
    # a changed report (same outlet + external id, new text) is stored as a new version;
    # the mentions of earlier versions are kept but marked superseded
    Column("version", Integer, nullable=False, server_default="1"),
    Column("current", Boolean, nullable=False, server_default=sa_true()),
    # provenance of fetched reports
    Column("source", String(200)),
    Column("fetched_at", DateTime),
    Column("http_status", Integer),
    Column("archive_record", String(80)),
    # what readers see: the external id redacted (``url`` is stored redacted), under the redaction
    # rules of version ``redaction`` (:data:`~eventledger.normalize.redact.REDACTION_RULES`)
    Column("shown_id", String(500)),
    Column("redaction", Integer),
    UniqueConstraint("outlet", "external_id", "version"),
    Index("ix_documents_published_local", "published_local"),
    Index("ix_documents_key", "external_id", "outlet"),
    Index("ix_documents_redaction", "redaction"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    # the codebook whose subtypes the event counts (its id, without version): a store may hold
    # events of several codebooks, each resolved and counted apart
    Column("codebook", String(80), nullable=False, server_default="political-action"),
    Column("category", String(40), nullable=False),
    Column("subtype", String(40), nullable=False),
    Column("date", Date, nullable=False),
    Column("date_precision", String(16), nullable=False),
    Column("date_jalali", String(10), nullable=False),
    Column("jalali_month", String(7), nullable=False),  # "1401-12"
    Column("greg_month", String(7), nullable=False),  # "2023-03"
    Column("place_key", String(40), nullable=False),
    Column("place_name", String(200)),
    Column("place_name_fa", String(200)),
    Column("country", String(2)),
    Column("admin1", String(8)),
    Column("lat", Float),
    Column("lon", Float),
    Column("place_precision", String(12), nullable=False),
    Column("quantity", Integer),
    Column("actor", String(100)),
    Column("claim_status", String(16), nullable=False),
    Column("n_sources", Integer, nullable=False),
    Column("n_mentions", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("first_published", DateTime, nullable=False),
    Column(
        "review_status", String(16), nullable=False, default="machine"
    ),  # machine|confirmed|corrected|rejected|merged
    Column("merged_into", Integer),  # the event a coder merged this one into (review_status "merged")
    # why a coder should look at the event again (set by a recode whose result a review no longer
    # fits; cleared by the next review of the event); such events are in the review queue
    Column("review_flag", Text),
    Column("created_run", Integer, ForeignKey("runs.id"), nullable=False),
    Column("updated_run", Integer, ForeignKey("runs.id"), nullable=False),
    Index("ix_events_key", "subtype", "place_key", "date"),
    Index("ix_events_date", "date"),
    Index("ix_events_category_date", "category", "date"),
    Index("ix_events_admin1_date", "admin1", "date"),
    Index("ix_events_review_date", "review_status", "date"),
    # the few events a recode flagged (migration 0015): the review queue reads them first
    Index(
        "ix_events_review_flag",
        "review_flag",
        sqlite_where=text("review_flag IS NOT NULL"),
        postgresql_where=text("review_flag IS NOT NULL"),
    ),
)
# the review queue's order (migration 0015): its first page is read from the index. Not led by the
# codebook: on SQLite any index that starts with it draws the events list's plan away from its date
# index (a sort of the whole period)
Index(
    "ix_events_review_queue",
    events.c.review_status,
    events.c.confidence,
    events.c.date.desc(),
    events.c.id,
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("event_id", Integer, ForeignKey("events.id")),
    Column("outlet", String(200)),  # the document's outlet, repeated here for the outlet filter
    Column("field", String(8), nullable=False),  # title | text
    Column("sent_start", Integer, nullable=False),
    Column("sent_end", Integer, nullable=False),
    Column("trig_start", Integer, nullable=False),
    Column("trig_end", Integer, nullable=False),
    Column("sentence", Text, nullable=False),
    Column("trigger", Text, nullable=False),
    Column("category", String(40), nullable=False),
    Column("subtype", String(40), nullable=False),
    Column("date", Date, nullable=False),
    Column("date_precision", String(16), nullable=False),
    Column("date_text", Text),
    Column("place_key", String(40), nullable=False),
    Column("place_name", String(200)),
    Column("place_text", String(200)),
    Column("country", String(2)),
    Column("admin1", String(8)),
    Column("lat", Float),
    Column("lon", Float),
    Column("place_precision", String(12), nullable=False),
    Column("quantity", Integer),
    Column("actor", String(100)),
    Column("claimant", String(100)),
    Column("target", String(60)),
    Column("confidence", Float, nullable=False),
    Column("flags", String(200), nullable=False, default=""),
    Column("coder", String(40), nullable=False),
    Column("codebook", String(80), nullable=False),
    Column("model_version", String(80)),
    Column("review_status", String(16), nullable=False, default="machine"),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Index("ix_mentions_outlet_event", "outlet", "event_id"),
    Index("ix_mentions_event_outlet", "event_id", "outlet"),  # an event's mentions, and their outlets
    Index("ix_mentions_id_event", "id", "event_id"),  # the events of the mentions a search found
)

# Candidates the coder found and dropped (negated, intended, generic, no place…), kept so that a
# reviewer sees why a sentence gave no event: never events, never counted. The latest coding of
# each document only (a recode replaces them), at most MAX_DROPPED_PER_DOCUMENT per document.
dropped_candidates = Table(
    "dropped_candidates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("reason", String(40), nullable=False),  # negated | intent | future | generic | no_place | …
    Column("score", Float),  # the gate score, when the coder gives one
    Column("field", String(8), nullable=False),  # title | text
    Column("sent_start", Integer, nullable=False),
    Column("sent_end", Integer, nullable=False),
    Column("trig_start", Integer, nullable=False),
    Column("trig_end", Integer, nullable=False),
    Column("sentence", Text, nullable=False),
    Column("trigger", Text, nullable=False),
    Column("category", String(40), nullable=False),
    Column("subtype", String(40), nullable=False),
    Column("date", Date),
    Column("place_key", String(40)),
    Column("place_name", String(200)),
    Column("flags", String(200), nullable=False, default=""),
    Column("coder", String(40), nullable=False),
    Column("codebook", String(80), nullable=False),
    Column("model_version", String(80)),
    Index("ix_dropped_candidates_reason", "reason"),
)

# --- sources (issue: feeds, web pages, Telegram) -------------------------------------------------
sources = Table(
    "sources",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("url", Text, nullable=False),
    Column("outlet", String(200), nullable=False),
    Column("lang", String(8)),
    Column("interval_s", Integer, nullable=False),
    Column("last_checked", DateTime),
    Column("last_success", DateTime),
    Column("last_error", Text),
    Column("last_error_at", DateTime),
    Column("consecutive_failures", Integer, nullable=False, server_default="0"),
    Column("items_seen", Integer, nullable=False, server_default="0"),
    Column("updated_at", DateTime, nullable=False),
    Column("origin", String(8), nullable=False, server_default="file"),  # file | web (added by an admin)
    Column("paused", Boolean, nullable=False, server_default=sa_false()),  # watch skips it
    # a web source's settings (a file source keeps them in the sources file)
    Column("stance", String(16)),
    Column("actor", String(100)),
    Column("max_pages", Integer),
    Column("max_items", Integer),
    Column("added_by", String(80)),
    # the watcher polling it now (several watchers share a store): its lease, renewed while it polls;
    # once expired (the watcher died) another watcher takes the source over
    Column("lease_owner", String(120)),
    Column("lease_taken_at", DateTime),
    Column("lease_expires", DateTime),
)

# per-host politeness shared by the watchers of one PostgreSQL store: when the next request to a host
# (``host[:port]``) may start, in seconds since the epoch by the database's clock
host_turns = Table(
    "host_turns",
    metadata,
    Column("host", Text, primary_key=True),
    Column("next_request_at", Float, nullable=False),
)

# conditional GET state per URL (feeds, articles, sitemaps, robots.txt)
http_cache = Table(
    "http_cache",
    metadata,
    Column("url", Text, primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("status", Integer),
    Column("content_sha256", String(64)),
    Column("checked_at", DateTime, nullable=False),
)

# items already seen in a feed, sitemap or channel: an unchanged item is not fetched again
seen_items = Table(
    "seen_items",
    metadata,
    Column("source", String(200), primary_key=True),
    Column("item_id", String(500), primary_key=True),
    Column("item_hash", String(64), nullable=False),
    Column("url", Text),
    Column("first_seen", DateTime, nullable=False),
    Column("last_seen", DateTime, nullable=False),
)

# every fetched response, as gzipped WARC records (request + response), exportable as a .warc.gz
archive = Table(
    "archive",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("record_id", String(80), nullable=False, unique=True),
    Column("url", Text, nullable=False),
    Column("fetched_at", DateTime, nullable=False),
    Column("status", Integer, nullable=False),
    Column("content_type", String(200)),
    Column("length", Integer, nullable=False),
    Column("payload_digest", String(80)),
    Column("warc", LargeBinary, nullable=False),
    Index("ix_archive_url", "url"),
)

# --- the web app (users, sessions, review audit) and the dashboard's daily counts ------------------
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(80), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),  # viewer | coder | admin
    Column("lang", String(8), nullable=False, server_default="en"),
    Column(
        "codebook", String(80)
    ),  # the codebook whose events the web app shows this user (None: the default)
    Column("disabled", Boolean, nullable=False, server_default=sa_false()),
    Column("created_at", DateTime, nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # sha256 of the cookie value
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
    Column("last_used", DateTime),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False, index=True),  # "ip:…" or "user:…"
    Column("at", DateTime, nullable=False),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("user_id", Integer, ForeignKey("users.id")),
    Column("username", String(80), nullable=False),
    Column("action", String(20), nullable=False),  # confirm … revert; admin: user-add, source-pause …
    Column("event_id", Integer, index=True),
    Column("before", JSON, nullable=False),
    Column("after", JSON, nullable=False),
    Column("note", Text),
    Column("reverted_by", Integer),
    # what an admin change touched: "user:NAME", "source:NAME", "outlet:NAME" (None: an event change)
    Column("target", String(200), index=True),
)

# every event an audit entry touched (a merge or a split touches several)
audit_events = Table(
    "audit_events",
    metadata,
    Column("audit_id", Integer, ForeignKey("audit.id", ondelete="CASCADE"), primary_key=True),
    Column("event_id", Integer, primary_key=True),
    Index("ix_audit_events_event_id", "event_id"),
)

# What the dashboard sums instead of counting events (kept in step with events by every writer):
# events per day and kind, and events per day, area and category (two tables, so that neither
# multiplies subtypes by areas: a year stays a few ten thousand rows at a million events).
event_daily = Table(
    "event_daily",
    metadata,
    Column("codebook", String(80), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("category", String(40), primary_key=True),
    Column("subtype", String(40), primary_key=True),
    Column("claim_status", String(16), primary_key=True),
    Column("review_status", String(16), primary_key=True),
    Column("jalali_month", String(7), nullable=False),
    Column("greg_month", String(7), nullable=False),
    Column("n", Integer, nullable=False),
)

# an event reported by several outlets counts once for each of them (like `tally --by outlet`)
event_daily_outlet = Table(
    "event_daily_outlet",
    metadata,
    Column("codebook", String(80), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("outlet", String(200), primary_key=True),
    Column("category", String(40), primary_key=True),
    Column("review_status", String(16), primary_key=True),
    Column("n", Integer, nullable=False),
)

event_daily_area = Table(
    "event_daily_area",
    metadata,
    Column("codebook", String(80), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("area", String(8), primary_key=True),  # admin1, else country, else "unknown"
    Column("category", String(40), primary_key=True),
    Column("review_status", String(16), primary_key=True),
    Column("n", Integer, nullable=False),
)

# --- frozen dataset releases (issue 11): written once, never changed ----------------------------------------------
releases = Table(
    "releases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
    Column("created_by", String(80), nullable=False),
    Column("note", Text),
    Column("title", Text),
    Column("authors", JSON, nullable=False),  # names, for the citation
    Column("period", JSON),  # {"label", "calendar", "start", "end"}; None: every date
    Column("codebook", String(80), nullable=False),  # id@version the events were coded with, most of them
    Column(
        "versions", JSON, nullable=False
    ),  # coders, codebooks and models of the frozen mentions, with counts
    Column("n_events", Integer, nullable=False),
    Column("n_mentions", Integer, nullable=False),
    Column("checksum", String(64), nullable=False),  # sha256 of the frozen events, in id order
)

# the frozen events, gzipped JSON lines ("<event id>\t<event as JSON>") in id order, CHUNK events a chunk
release_chunks = Table(
    "release_chunks",
    metadata,
    Column("release_id", Integer, ForeignKey("releases.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("first_id", Integer, nullable=False),
    Column("last_id", Integer, nullable=False),
    Column("n_events", Integer, nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("sha256", String(64), nullable=False),  # of the uncompressed lines
)
