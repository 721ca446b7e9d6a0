"""The archive of everything fetched: each response kept as gzipped WARC records in the store.

A count whose source vanished from the web can still be checked: every report fetched over HTTP
links to the WARC record of the response it was read from (``documents.archive_record``);
``eventledger show EVENT --archived`` prints it and ``eventledger archive export`` writes a
``.warc.gz`` file that any web-archive tool (pywb, warcio, ReplayWeb.page) opens.

The archive policy (personal data)
----------------------------------
* **Stored raw.** The WARC records keep the fetched bytes and the URL exactly as received: they are
  the evidence, and a redactor that missed something must not destroy it.  Everything else in the
  store is redacted when it is written (report text and title, URL, outlet name; see
  :mod:`eventledger.normalize.redact`).
* **Raw copies are for coders and admins only.** ``/archive/<record>`` shows the raw copy to a
  signed-in coder or admin; a viewer, an API token of a viewer and an anonymous reader of a
  ``--public`` server get the redacted copy (:func:`may_read_raw`).  ``show --archived`` prints the
  redacted copy unless ``--raw`` is given with the API token of a coder or admin.
* **Exports are redacted.** ``archive export`` writes redacted copies (URL, headers and text
  redacted; non-text payloads withheld) unless ``--raw`` is given with an admin's token
  (:func:`may_export_raw`); a raw export says so in its ``warcinfo`` record and on the terminal.
* A redacted copy is made on demand from the raw record, so a better redactor applies to what
  was archived before it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import quote

from sqlalchemy import Connection, insert, select
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from eventledger.normalize.redact import redact_personal_data, redact_url
from eventledger.sources.urls import URLSyntaxError, to_uri
from eventledger.store.schema import archive
from eventledger.store.writer import utc_naive
from eventledger.version import __version__

# headers that describe the transfer, not the payload we keep (httpx hands us decoded bodies)
_TRANSFER_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


@dataclass(frozen=True)
class ArchivedResponse:
    record_id: str
    url: str
    fetched_at: dt.datetime
    status: int
    content_type: str | None
    length: int
    payload_digest: str
    warc: bytes  # one gzip member: the request and response records


def _content_type(headers: Iterable[tuple[str, str]]) -> str | None:
    return next((v for k, v in headers if k.lower() == "content-type"), None)


def _iso(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_records(
    url: str,
    method: str,
    request_headers: Mapping[str, str],
    status: int,
    reason: str,
    response_headers: Iterable[tuple[str, str]],
    body: bytes,
    fetched_at: dt.datetime,
) -> ArchivedResponse:
    """WARC request + response records for one exchange (the body as received, decoded).

    WARC headers and HTTP start lines are ASCII: an IRI (a Persian slug) is recorded as its URI, and
    a reason phrase keeps only its printable ASCII."""
    url = _ascii_uri(url)
    reason = "".join(ch for ch in reason if ch.isascii() and ch.isprintable())[:200]
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    headers = [(k, v) for k, v in response_headers if k.lower() not in _TRANSFER_HEADERS]
    headers.append(("Content-Length", str(len(body))))
    http_headers = StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol="HTTP/1.1")
    date = _iso(fetched_at)
    response = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        http_headers=http_headers,
        warc_headers_dict={"WARC-Date": date},
    )
    record_id = str(response.rec_headers.get_header("WARC-Record-ID"))
    path = url.split("://", 1)[-1].split("/", 1)[1] if "/" in url.split("://", 1)[-1] else ""
    req_headers = StatusAndHeaders(
        f"{method} /{path} HTTP/1.1", list(request_headers.items()), is_http_request=True
    )
    request = writer.create_warc_record(
        url,
        "request",
        payload=io.BytesIO(b""),
        http_headers=req_headers,
        warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": record_id},
    )
    _write(writer, response, request)
    content_type = _content_type(headers)
    digest = "sha1:" + hashlib.sha1(body).hexdigest()
    return ArchivedResponse(
        record_id, url, fetched_at, status, content_type, len(body), digest, buf.getvalue()
    )


def _ascii_uri(url: str) -> str:
    try:
        return to_uri(url)
    except URLSyntaxError:  # never fetched as such; every byte that is not printable ASCII escaped
        return quote(url, safe="!#$%&'()*+,-./:;=?@[]_~", errors="backslashreplace")


class Archive:
    """Collects WARC records from fetching threads; :meth:`flush` writes them in the caller's transaction."""

    def __init__(self) -> None:
        self._pending: list[ArchivedResponse] = []
        self._lock = threading.Lock()

    def add(self, rec: ArchivedResponse) -> None:
        with self._lock:
            self._pending.append(rec)

    def flush(self, conn: Connection) -> int:
        with self._lock:
            pending, self._pending = self._pending, []
        if pending:
            conn.execute(
                insert(archive),
                [
                    {
                        "record_id": r.record_id,
                        "url": r.url,
                        "fetched_at": utc_naive(r.fetched_at),
                        "status": r.status,
                        "content_type": r.content_type,
                        "length": r.length,
                        "payload_digest": r.payload_digest,
                        "warc": r.warc,
                    }
                    for r in pending
                ],
            )
        return len(pending)


def _write(writer: WARCWriter, *records: Any) -> None:
    """Write records, then close the spooled copies warcio made of their payloads (a leak otherwise)."""
    for record in records:
        writer.write_record(record)
    for record in records:
        if record.raw_stream is not None:
            record.raw_stream.close()


def warcinfo(description: str) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    info = {
        "software": f"eventledger/{__version__}",
        "format": "WARC File Format 1.1",
        "description": description,
    }
    _write(writer, writer.create_warcinfo_record("eventledger-export.warc.gz", info))
    return buf.getvalue()


RAW_EXPORT_NOTE = "RAW copies as fetched: they contain personal data; for admins only, do not publish"
REDACTED_EXPORT_NOTE = "redacted copies: personal data replaced, non-text payloads withheld"


def export(
    conn: Connection,
    out: IO[bytes],
    *,
    since: dt.datetime | None = None,
    url_prefix: str | None = None,
    raw: bool = False,
) -> int:
    """Write the archived records (oldest first) as one ``.warc.gz`` stream; returns how many responses.

    Redacted copies unless ``raw`` (the caller checks :func:`may_export_raw`)."""
    note = RAW_EXPORT_NOTE if raw else REDACTED_EXPORT_NOTE
    out.write(warcinfo(f"responses fetched by eventledger: {note}"))
    stmt = select(archive.c.warc).order_by(archive.c.id)
    if since is not None:
        stmt = stmt.where(archive.c.fetched_at >= since)
    if url_prefix:
        stmt = stmt.where(archive.c.url.startswith(url_prefix))
    n = 0
    for (blob,) in conn.execute(stmt):
        if raw:
            out.write(blob)  # each row is a complete gzip member: concatenation is a valid .warc.gz
        else:
            payload = payload_of(blob)
            if payload is None:
                continue
            out.write(redacted_record(payload))
        n += 1
    return n


@dataclass(frozen=True)
class Payload:
    record_id: str
    url: str
    fetched_at: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def content_type(self) -> str | None:
        """The Content-Type header as received (charset included), if any."""
        return _content_type(self.headers)


def read_record(conn: Connection, record_id: str) -> Payload | None:
    """The archived response of one record id, decoded from its WARC bytes."""
    row = conn.execute(select(archive.c.warc).where(archive.c.record_id == record_id)).first()
    return payload_of(row[0]) if row is not None else None


def payload_of(blob: bytes) -> Payload | None:
    """The response record of one archived exchange (a row's ``warc`` bytes)."""
    for rec in ArchiveIterator(io.BytesIO(blob)):
        if rec.rec_type == "response":
            http = rec.http_headers
            return Payload(
                str(rec.rec_headers.get_header("WARC-Record-ID")),
                str(rec.rec_headers.get_header("WARC-Target-URI")),
                str(rec.rec_headers.get_header("WARC-Date")),
                int(http.get_statuscode()) if http else 0,
                list(http.headers) if http else [],
                rec.content_stream().read(),
            )
    return None


# --- the archive policy: who sees what ----------------------------------------------------------------
RAW_READERS = frozenset({"coder", "admin"})
RAW_EXPORTERS = frozenset({"admin"})
RAW_NOTE = "raw copy as fetched: it may contain personal data (shown to coders and admins only)"
REDACTED_NOTE = "personal data redacted (the raw copy is for coders and admins)"


def may_read_raw(role: str | None) -> bool:
    """A raw archived copy is shown to coders and admins, never to viewers or anonymous readers."""
    return role in RAW_READERS


def may_export_raw(role: str | None) -> bool:
    """Only an admin exports raw copies."""
    return role in RAW_EXPORTERS


_TEXTUAL = re.compile(r"^(?:text/|[\w.+-]+/(?:[\w.-]+\+)?(?:xml|json|javascript|html)\b)", re.IGNORECASE)
# character references of characters that numbers and addresses are written with: a page may hide
# ``0912…`` as ``&#48;&#57;…``; these are safe to write as themselves (none is markup)
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));")
_SAFE_CHARS = frozenset("+@.-() \u00a0\u200c\u200d\u200e\u200f")


def _plain_ref(m: re.Match[str]) -> str:
    try:
        ch = chr(int(m.group(1), 16) if m.group(1) else int(m.group(2)))
    except (ValueError, OverflowError):
        return m.group(0)
    return ch if ch.isdigit() or (ch.isalpha() and ch.isascii()) or ch in _SAFE_CHARS else m.group(0)


def is_textual(content_type: str | None) -> bool:
    """Text, HTML, XML, JSON or JavaScript (a missing type is read as text too)."""
    return content_type is None or bool(_TEXTUAL.match(content_type.strip()))


@dataclass(frozen=True)
class Copy:
    """What a reader is shown of one archived response."""

    record_id: str
    url: str
    fetched_at: str
    status: int
    content_type: str | None
    text: str
    redacted: bool

    @property
    def note(self) -> str:
        return REDACTED_NOTE if self.redacted else RAW_NOTE


def readable_copy(p: Payload, *, raw: bool) -> Copy:
    """The archived response as text: raw (the caller checked :func:`may_read_raw`) or redacted.

    A redacted copy has its URL and text redacted; a payload that is not text is withheld."""
    from eventledger.normalize.html import decode

    ctype = p.content_type
    if raw:
        return Copy(p.record_id, p.url, p.fetched_at, p.status, ctype, decode(p.body, ctype), False)
    if is_textual(ctype):
        text = redact_personal_data(_CHAR_REF.sub(_plain_ref, decode(p.body, ctype)))
    else:
        text = f"[{ctype} payload of {len(p.body):,} bytes withheld: it cannot be redacted]"
    return Copy(p.record_id, redact_url(p.url) or "", p.fetched_at, p.status, ctype, text, True)


_DROPPED_HEADERS = frozenset({"set-cookie", "cookie", "authorization"})


def redacted_record(p: Payload) -> bytes:
    """A WARC response record (one gzip member) with the redacted copy of ``p``.

    It refers to the raw record (``WARC-Refers-To``); a withheld payload is marked ``WARC-Truncated``."""
    copy = readable_copy(p, raw=False)
    textual = is_textual(p.content_type)
    headers: list[tuple[str, str]] = []
    for k, v in p.headers:
        low = k.lower()
        if low in _DROPPED_HEADERS or low in _TRANSFER_HEADERS:
            continue
        if low == "content-type" and textual:
            v = v.split(";", 1)[0].strip() + "; charset=utf-8"
        elif low in ("location", "content-location", "link"):
            v = redact_url(v) or v
        else:
            v = redact_personal_data(v)
        headers.append((k, v))
    body = copy.text.encode("utf-8") if textual else b""
    headers.append(("Content-Length", str(len(body))))
    warc_headers = {"WARC-Date": p.fetched_at, "WARC-Refers-To": p.record_id}
    if not textual:
        warc_headers["WARC-Truncated"] = "unspecified"
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    http_headers = StatusAndHeaders(str(p.status), headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(
        copy.url,
        "response",
        payload=io.BytesIO(body),
        http_headers=http_headers,
        warc_headers_dict=warc_headers,
    )
    _write(writer, record)
    return buf.getvalue()
