"""Request bodies: refused over the limit before anything parses them, and never parsed for a client
that may not use the route."""

from __future__ import annotations

import select
import socket
import time
from urllib.parse import urlsplit

import pytest

from eventledger.web.app import create_app
from eventledger.web.guard import MAX_BODY
from tests.web.conftest import serving

CHUNK = 64 * 1024


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_body_over_the_limit_is_refused_with_413(client, tokens):
    big = b'{"action": "confirm", "note": "' + b"x" * MAX_BODY + b'"}'
    for path, headers in (
        ("/api/events/1/review", {}),  # anonymous
        ("/api/events/1/review", _bearer(tokens["ana"])),  # a coder: the limit holds for everyone
        ("/login", {}),  # a route anybody may use
    ):
        r = client.post(path, content=big, headers={**headers, "Content-Type": "application/json"})
        assert r.status_code == 413, (path, r.text[:200])
        assert f"at most {MAX_BODY:,} bytes" in r.text
    ok = client.post(
        "/api/events/1/review", json={"action": "confirm", "note": "x" * 1000}, headers=_bearer(tokens["ana"])
    )
    assert ok.status_code == 200


def test_an_unreadable_content_length_is_refused(client):
    r = client.post("/login", content=b"a=1", headers={"Content-Length": "12abc"})
    assert r.status_code == 400 and "Content-Length" in r.text


def test_who_may_write_is_checked_before_the_body_is_parsed(client, tokens):
    broken = b'{"action": '

    def post(path: str, **headers: str):
        return client.post(path, content=broken, headers={"Content-Type": "application/json", **headers})

    assert post("/api/events/1/review").status_code == 401  # not 422: the body was never parsed
    assert post("/api/audit/1/revert").status_code == 401
    r = post("/api/events/1/review", **_bearer(tokens["vic"]))
    assert r.status_code == 403 and "viewer" in r.json()["error"]
    page = client.post("/events/1/review", content=b"action=%ZZ&" * 10, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    r = post("/api/events/1/review", **_bearer(tokens["ana"]))
    assert r.status_code == 422  # a coder's broken body is read, and refused with a reason


def _stream(url: str, path: str, total: int) -> tuple[int, bytes]:
    """POST ``total`` bytes to ``path`` in chunks (Transfer-Encoding: chunked, no Content-Length),
    stopping as soon as the server answers; returns (bytes sent, the answer)."""
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
    sent = 0
    try:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            "Transfer-Encoding: chunked\r\n\r\n".encode()
        )
        chunk = f"{CHUNK:x}\r\n".encode() + b"a" * CHUNK + b"\r\n"
        while sent < total:
            if select.select([sock], [], [], 0)[0]:
                break  # the server has answered
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += CHUNK
        answer = b""
        deadline = time.time() + 10
        while b"\r\n\r\n" not in answer and time.time() < deadline:
            try:
                data = sock.recv(65536)
            except ConnectionResetError:
                break
            if not data:
                break
            answer += data
        return sent, answer
    finally:
        sock.close()


@pytest.mark.parametrize(("path", "status"), [("/login", b"413"), ("/api/events/1/review", b"401")])
def test_a_streamed_body_is_cut_off_at_the_limit_by_a_real_server(web_db, path, status):
    total = 150 * 1024 * 1024  # the 150 MB body of the report
    with serving(create_app(web_db)) as url:
        sent, answer = _stream(url, path, total)
    assert answer.startswith(b"HTTP/1.1 " + status), answer[:200]
    assert sent < 16 * MAX_BODY  # the server answered long before the client was through
