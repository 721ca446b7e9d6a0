"""The admin pages: an admin adds a feed, pauses a failing source, sets an outlet's stance, adds a
colleague and revokes a token — each change audited; coders and viewers read, never change."""

from __future__ import annotations

import re
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from threading import Thread

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from eventledger.extract.codebook import load_codebook
from eventledger.pipeline import Ingestor
from eventledger.sources import state
from eventledger.sources.config import SourceSpec
from eventledger.sources.http import FetchPolicy
from eventledger.store.db import Store
from eventledger.store.schema import audit, documents
from eventledger.watch import watch
from eventledger.web.app import create_app
from tests.sources.conftest import Site, _load, make_handler
from tests.web.conftest import PASSWORDS, sign_in

POLICY = FetchPolicy(allow_private=True, per_host_interval=0, retries=0, timeout=5)


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(s))
    s.base = f"http://127.0.0.1:{server.server_address[1]}"
    _load(s)
    thread = Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield s
    server.shutdown()
    server.server_close()


@pytest.fixture
def admin_client(web_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(web_db, fetch_policy=POLICY)) as c:
        yield c


def _post(c: TestClient, path: str, csrf: str, **data: str) -> object:
    return c.post(path, data={"csrf_token": csrf, **data}, follow_redirects=False)


def _audit_rows(db: Path) -> list[object]:
    store = Store.open(db, create=False)
    with store.connect() as conn:
        return list(conn.execute(select(audit).where(audit.c.target.is_not(None)).order_by(audit.c.id)))


def test_an_admin_adds_a_feed_by_its_url_and_watch_polls_it(admin_client, site, web_db):
    csrf = sign_in(admin_client, "adm")
    r = _post(admin_client, "/admin/sources", csrf, action="add", name="Local feed", url=site.url("/feed-en.xml"),
              kind="detect", stance="independent", interval="30m")  # fmt: skip
    assert r.status_code == 200, r.text
    assert 'data-testid="done"' in r.text
    row = re.search(r'<tr data-source="Local feed".*?</tr>', r.text, re.S)
    assert row and ">rss<" in row.group(0) and "30m" in row.group(0)  # the kind told from the response
    entry = _audit_rows(web_db)[-1]
    assert (entry.action, entry.target, entry.username) == ("source-add", "source:Local feed", "adm")
    assert entry.after["admin"]["kind"] == "rss" and entry.before["admin"] == {}

    # `eventledger watch` with no sources file polls what was added in the web app
    store = Store.open(web_db, create=False)
    with store.connect() as conn:
        n_before = len(conn.execute(select(documents.c.id)).all())
    results = watch(Ingestor(store, load_codebook("political-action")), [], POLICY, once=True)
    assert results and results[0].sources == 1 and not results[0].failed
    with store.connect() as conn:
        assert len(conn.execute(select(documents.c.id)).all()) > n_before


def test_pausing_a_source_makes_watch_skip_it_until_resumed(admin_client, site, web_db):
    csrf = sign_in(admin_client, "adm")
    _post(
        admin_client,
        "/admin/sources",
        csrf,
        action="add",
        name="Feed",
        url=site.url("/feed-en.xml"),
        kind="rss",
    )
    file_spec = SourceSpec(name="From file", kind="rss", url=site.url("/feed-fa.xml"), outlet="File outlet")
    store = Store.open(web_db, create=False)
    with store.begin() as conn:
        state.register(conn, [file_spec])
    for name in ("Feed", "From file"):  # a web source and a file source alike
        r = _post(admin_client, "/admin/sources", csrf, action="pause", name=name)
        assert r.status_code == 200 and 'data-testid="paused"' in r.text
    with store.connect() as conn:
        todo, paused = state.with_web_sources(conn, [file_spec])
    assert todo == [] and paused == ["Feed", "From file"]
    assert watch(Ingestor(store, load_codebook("political-action")), [file_spec], POLICY, once=True) == []
    r = _post(admin_client, "/admin/sources", csrf, action="resume", name="Feed")
    with store.connect() as conn:
        assert [s.name for s in state.with_web_sources(conn, [file_spec])[0]] == ["Feed"]
    # pausing twice is said, not silently done
    r = _post(admin_client, "/admin/sources", csrf, action="pause", name="From file")
    assert r.status_code == 422 and "paused already" in r.text
    actions = [e.action for e in _audit_rows(web_db)]
    assert actions == ["source-add", "source-pause", "source-pause", "source-resume"]


def test_a_bad_source_keeps_what_was_typed_and_names_the_problem(admin_client, web_db):
    csrf = sign_in(admin_client, "adm")
    r = _post(admin_client, "/admin/sources", csrf, action="add", name="Typed name", url="ftp://x.example/feed",
              kind="rss", interval="5s")  # fmt: skip
    assert r.status_code == 400
    assert "is not an http(s) URL" in r.text or "at least 60 seconds" in r.text
    assert 'value="Typed name"' in r.text and 'value="ftp://x.example/feed"' in r.text
    # a URL that cannot be fetched to tell its kind: the fetch error, and how to go on
    r = _post(admin_client, "/admin/sources", csrf, action="add", name="Down", url="http://127.0.0.1:9/feed",
              kind="detect")  # fmt: skip
    assert r.status_code == 400 and "choose the kind yourself" in r.text and 'value="Down"' in r.text
    # a file source's settings stay in the file
    store = Store.open(web_db, create=False)
    with store.begin() as conn:
        state.register(conn, [SourceSpec(name="F", kind="rss", url="https://f.example/rss", outlet="F")])
    r = _post(admin_client, "/admin/sources", csrf, action="edit", name="F", interval="2h")
    assert r.status_code == 400 and "comes from the sources file" in r.text
    assert _audit_rows(web_db) == []  # nothing changed, nothing audited


def test_an_outlet_stance_and_display_names_are_set_and_audited(admin_client, web_db):
    csrf = sign_in(admin_client, "adm")
    page = admin_client.get("/admin/outlets")
    name = re.search(r'<tr data-outlet="([^"]+)"', page.text).group(1)
    r = _post(admin_client, "/admin/outlets", csrf, name=name, stance="actor", actor="", name_en="Kept")
    assert r.status_code == 400 and "must name its actor" in r.text and 'value="Kept"' in r.text
    r = _post(
        admin_client,
        "/admin/outlets",
        csrf,
        name=name,
        stance="state",
        name_en="Shown EN",
        name_fa="نام نمایشی",
    )
    assert r.status_code == 200
    entry = _audit_rows(web_db)[-1]
    assert entry.action == "outlet-edit" and entry.after["admin"]["stance"] == "state"
    assert entry.after["admin"]["name_fa"] == "نام نمایشی"
    # the Persian interface shows the Persian display name (adm reads Persian)
    assert (
        "نام نمایشی" in admin_client.get("/admin/sources").text
        or "نام نمایشی" in admin_client.get("/admin/outlets").text
    )


def test_users_are_added_given_roles_tokens_and_disabled_with_audit_rows(admin_client, web_db):
    csrf = sign_in(admin_client, "adm")
    r = _post(
        admin_client,
        "/admin/users",
        csrf,
        action="add",
        username="carol",
        password="carol-password-1",
        role="coder",
    )
    assert r.status_code == 200 and 'data-user="carol"' in r.text
    r = _post(admin_client, "/admin/users", csrf, action="token", username="carol")
    token = re.search(r"(elt_[A-Za-z0-9_-]+)", r.text).group(1)
    assert admin_client.get("/api/events", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert token not in admin_client.get("/admin/users").text  # shown once
    token_id = re.search(
        r'<tr data-token="(\d+)"><td class="n">[^<]*</td><td dir="ltr"><bdi>carol', r.text
    ).group(1)
    _post(admin_client, "/admin/users", csrf, action="revoke", token_id=token_id)
    assert admin_client.get("/api/events", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    _post(admin_client, "/admin/users", csrf, action="role", username="carol", role="viewer")
    _post(admin_client, "/admin/users", csrf, action="password", username="carol", password="another-pass-2")
    _post(admin_client, "/admin/users", csrf, action="disable", username="carol")
    rows = _audit_rows(web_db)
    assert [e.action for e in rows] == [
        "user-add", "token-new", "token-revoke", "user-role", "user-password", "user-disable"
    ]  # fmt: skip
    assert all(e.target == "user:carol" for e in rows)
    text = str([(e.before, e.after, e.note) for e in rows])
    assert "carol-password-1" not in text and "another-pass-2" not in text and "elt_" not in text
    # the last admin can be neither demoted nor disabled by themselves
    r = _post(admin_client, "/admin/users", csrf, action="role", username="adm", role="coder")
    assert r.status_code == 422 and "last admin" in r.text
    r = _post(admin_client, "/admin/users", csrf, action="disable", username="adm")
    assert r.status_code == 422


def test_coders_and_viewers_read_the_admin_pages_but_change_nothing(web_db):
    for who in ("ana", "vic"):
        with TestClient(create_app(web_db)) as c:
            csrf = sign_in(c, who)
            for section in ("sources", "outlets", "users"):
                page = c.get(f"/admin/{section}")
                assert page.status_code == 200 and 'data-testid="read-only"' in page.text
                assert 'action="/admin/' not in page.text  # no forms
                assert "data-token" not in page.text  # tokens are an admin's business
            r = _post(
                c,
                "/admin/users",
                csrf,
                action="add",
                username="mallory",
                password="mallory-pass-1",
                role="admin",
            )
            assert r.status_code == 403
    with TestClient(create_app(web_db)) as c:  # anonymous: sign in first
        assert c.get("/admin/sources", follow_redirects=False).status_code == 303
    assert _audit_rows(web_db) == []


def test_admin_changes_need_the_forms_csrf_token_and_are_not_reverted_like_reviews(admin_client, web_db):
    sign_in(admin_client, "adm")
    r = admin_client.post(
        "/admin/users", data={"action": "add", "username": "x1", "password": "x1-password-1"}
    )
    assert r.status_code == 403
    csrf = sign_in(admin_client, "adm")
    _post(admin_client, "/admin/users", csrf, action="add", username="dave", password="dave-password-1")
    entry = _audit_rows(web_db)[-1]
    page = admin_client.get("/audit?target=admin")
    assert f'data-audit="{entry.id}"' in page.text and f"revert-{entry.id}" not in page.text
    r = admin_client.post(f"/api/audit/{entry.id}/revert", headers={"X-CSRF-Token": csrf})
    assert r.status_code == 422 and "admin change" in r.json()["error"]
    assert PASSWORDS  # the fixture users are untouched
