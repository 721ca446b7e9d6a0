"""The web app over a real SQLite copy of the demo database, with users and a hostile report."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from eventledger import accounts
from eventledger.pipeline import Ingestor
from eventledger.sources.archive import Archive, make_records
from eventledger.store.db import Store
from eventledger.store.schema import documents
from eventledger.web.app import create_app

PASSWORDS = {"ana": "ana-password-1", "vic": "vic-password-1", "adm": "adm-password-1"}
XSS_TITLE = "Banner burned <script>document.title='pwned-title'</script>"
XSS_TEXT = (
    "Supporters of the group set fire to a large banner of the Supreme Leader in Shiraz on Friday night "
    "<img src=x onerror=\"document.title='pwned-img'\"> <script>document.title='pwned-script'</script>, "
    "according to Iran Monitor."
)
ARCHIVED_BODY = (
    b"<html><body><script>document.title='pwned-archive'</script><p>Archived page</p></body></html>"
)


@pytest.fixture(scope="session")
def web_template(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The demo database plus three users, API tokens and one hostile, archived report (built once)."""
    folder = tmp_path_factory.mktemp("web")
    path = folder / "web.db"
    shutil.copy(demo_db, path)
    store = Store.open(path)
    hostile = folder / "hostile.jsonl"
    record = {
        "id": "xss-1",
        "url": "javascript:document.title='pwned-link'",
        "outlet": "Iran Monitor",
        "published": "2023-02-18T09:15:00+03:30",
        "lang": "en",
        "title": XSS_TITLE,
        "text": XSS_TEXT,
    }
    hostile.write_text(json.dumps(record) + "\n", encoding="utf-8")
    Ingestor(store).ingest([hostile])
    rec = make_records(
        "https://example.org/banner",
        "GET",
        {"User-Agent": "test"},
        200,
        "OK",
        [("Content-Type", "text/html; charset=utf-8")],
        ARCHIVED_BODY,
        dt.datetime(2023, 2, 18, tzinfo=dt.UTC),
    )
    archive = Archive()
    archive.add(rec)
    tokens = {}
    with store.begin() as conn:
        archive.flush(conn)
        conn.execute(
            update(documents).where(documents.c.external_id == "xss-1").values(archive_record=rec.record_id)
        )
        accounts.add_user(conn, "ana", PASSWORDS["ana"], "coder")
        accounts.add_user(conn, "vic", PASSWORDS["vic"], "viewer")
        accounts.add_user(conn, "adm", PASSWORDS["adm"], "admin", "fa")
        for name in PASSWORDS:
            tokens[name] = accounts.new_token(conn, name)
    store.close()
    return {"path": path, "tokens": tokens, "record_id": rec.record_id}


@pytest.fixture
def web_db(web_template: dict[str, object], tmp_path: Path) -> Path:
    path = tmp_path / "web.db"
    shutil.copy(web_template["path"], path)  # type: ignore[arg-type]
    return path


@pytest.fixture
def tokens(web_template: dict[str, object]) -> dict[str, str]:
    return web_template["tokens"]  # type: ignore[return-value]


def make_client(path: Path, public: bool = False) -> TestClient:
    return TestClient(create_app(path, public=public))


@pytest.fixture
def client(web_db: Path) -> Iterator[TestClient]:
    with make_client(web_db) as c:
        yield c


@pytest.fixture
def public_client(web_db: Path) -> Iterator[TestClient]:
    with make_client(web_db, public=True) as c:
        yield c


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF token in the page"
    return m.group(1)


def sign_in(c: TestClient, name: str) -> str:
    """Sign in through the form; returns the session's CSRF token."""
    page = c.get("/login")
    r = c.post(
        "/login",
        data={"username": name, "password": PASSWORDS[name], "csrf_token": csrf_of(page.text), "next": "/"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return csrf_of(c.get("/events").text)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port, in a thread; yields its base URL."""
    import uvicorn

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not srv.started:
        if time.time() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
