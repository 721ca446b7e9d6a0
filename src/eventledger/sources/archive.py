"""The archive of everything fetched: each response kept as gzipped WARC records in the store.

A count whose source vanished from the web can still be checked: every report fetched over HTTP
links to the WARC record of the response it was read from (``documents.archive_record``);
``eventledger show EVENT --archived`` prints it and ``eventledger archive export`` writes a
``.warc.gz`` file that any web-archive tool (pywb, warcio, ReplayWeb.page) opens.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import IO
from urllib.parse import quote

from sqlalchemy import Connection, insert, select
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from eventledger import __version__
from eventledger.sources.urls import URLSyntaxError, to_uri
from eventledger.store.schema import archive
from eventledger.store.writer import utc_naive

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
    writer.write_record(response)
    writer.write_record(request)
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


def warcinfo(description: str) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    info = {
        "software": f"eventledger/{__version__}",
        "format": "WARC File Format 1.1",
        "description": description,
    }
    writer.write_record(writer.create_warcinfo_record("eventledger-export.warc.gz", info))
    return buf.getvalue()


def export(
    conn: Connection, out: IO[bytes], *, since: dt.datetime | None = None, url_prefix: str | None = None
) -> int:
    """Write the archived records (oldest first) as one ``.warc.gz`` stream; returns how many responses."""
    out.write(warcinfo("responses fetched by eventledger"))
    stmt = select(archive.c.warc).order_by(archive.c.id)
    if since is not None:
        stmt = stmt.where(archive.c.fetched_at >= since)
    if url_prefix:
        stmt = stmt.where(archive.c.url.startswith(url_prefix))
    n = 0
    for (blob,) in conn.execute(stmt):
        out.write(blob)  # each row is a complete gzip member: concatenation is a valid .warc.gz
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
