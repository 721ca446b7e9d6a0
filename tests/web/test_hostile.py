"""Hostile requests over every route: bad input is a clean 4xx, an unplanned failure a bare 500 with an
error id, and no error body ever shows SQL, parameters, paths, the database URL or a traceback."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from eventledger.web.app import create_app
from eventledger.web.common import FILTER_KEYS

SQL_WORDS = re.compile(r"\b(?:SELECT|INSERT|UPDATE|DELETE|FROM|WHERE|JOIN)\b")
LEAKS = ("sqlite", "postgresql://", "/tmp", "/work", "traceback", 'file "')

# percent-encoded as sent; each one is wrong for some parameter
BAD_VALUES = (
    "%00",  # NUL
    "a%01b",  # another control character
    "%ED%A0%80",  # a UTF-16 surrogate as bytes: not UTF-8
    "%FF%FE",  # not UTF-8
    "9223372036854775808",  # 2^63
    "-1",
    "1e30",
    "9999",
    "9999-12-31",
    "0001-01-01..9998-12-31",
    "1900-01-01..2100-12-31",
    "x" * 1500,
)
BAD_JSON = (
    b"{",
    b"[" * 50_000,
    b"[1, 2, 3]",
    b'{"action": "confirm", "note": "\\u0000"}',
    b'{"action": "confirm", "note": "\\ud800"}',
    b'{"action": "correct", "subtype": "a\\u0007b"}',
    b'{"action": "correct", "quantity": 1e30}',
    b'{"action": "correct", "quantity": 1000000000000000000000000000000}',
    b'{"action": "correct", "quantity": -5}',
    b'{"action": "correct", "date": "9999-12-31"}',
    b'{"action": "correct", "date": "0001-01-01"}',
    b'{"action": "merge", "events": [9223372036854775808]}',
    b'{"action": "split", "mentions": [-1]}',
    b'{"action": "correct", "place": "' + b"x" * 5000 + b'"}',
)
BAD_FORMS = (
    {"action": "correct", "note": "a\x00b"},
    {"action": "correct", "quantity": "1" + "0" * 30},
    {"action": "correct", "quantity": "1e30"},
    {"action": "correct", "date": "9999-12-31"},
    {"action": "merge", "events": "9" * 30},
    {"action": "split", "mentions": "99999999999999999999"},
    {"username": "adm\x00", "password": "pass\x00word"},
    {"username": "a" * 5000, "password": "p" * 5000},
    {"lang": "f\x00a", "next": "/\x00"},
)
RAW_FORMS = (b"username=%ff%fe&password=%ED%A0%80&action=%ED%A0%80", b"a=" + b"%00" * 3000)


def assert_clean(r, what: str) -> None:
    """No 500 for bad input, and no error body that tells how the server is built."""
    assert r.status_code < 500, (what, r.status_code, r.text[:400])
    if r.status_code >= 400:
        assert_no_leak(r.text, what)


def assert_no_leak(text: str, what: str) -> None:
    m = SQL_WORDS.search(text)
    assert m is None, (what, m.group(), text[:400])
    low = text.lower()
    for leak in LEAKS:
        assert leak not in low, (what, leak, text[:400])


def _routes(app) -> list[APIRoute]:
    """Every route of ``app`` (newer FastAPI keeps an included router as one entry of app.routes)."""
    found: list[APIRoute] = []
    for r in app.routes:
        inner = getattr(r, "original_router", None)
        found += (
            [x for x in inner.routes if isinstance(x, APIRoute)]
            if inner
            else [r]
            if isinstance(r, APIRoute)
            else []
        )
    return found


def _url(route: APIRoute, path_value: str = "1") -> str:
    return re.sub(r"\{[^}]+\}", path_value, route.path)


@pytest.fixture
def hostile(web_db: Path, tokens) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    """A public server (anonymous readers get past the sign-in) and the identities to try."""
    with TestClient(create_app(web_db, public=True)) as c:
        yield c, {"anonymous": {}, "coder": {"Authorization": f"Bearer {tokens['ana']}"}}


def test_bad_query_and_path_values_on_every_route_are_clean_4xx(hostile):
    c, identities = hostile
    routes = _routes(c.app)
    assert len(routes) >= 20  # the API and the pages
    n = 0

    def get(method: str, url: str, headers: dict[str, str], what: str) -> None:
        nonlocal n
        assert_clean(c.request(method, url, headers=headers, follow_redirects=False), what)
        n += 1

    for route in routes:
        method = sorted(route.methods)[0]
        names = sorted({p.alias for p in route.dependant.query_params} | set(FILTER_KEYS))
        for who, headers in identities.items():
            for value in BAD_VALUES:  # every parameter at once, and the path
                get(
                    method,
                    _url(route) + "?" + "&".join(f"{k}={value}" for k in names),
                    headers,
                    f"{who} {route.path} all={value[:30]}",
                )
                if route.dependant.path_params:
                    get(method, _url(route, value), headers, f"{who} {route.path} path={value[:30]}")
            r = c.request("PUT", _url(route), headers=headers)  # a method no route takes
            assert r.status_code == 405
            assert_clean(r, f"PUT {route.path}")
        if method == "GET":  # one parameter at a time, so that no other one's refusal hides it
            for name in names:
                for value in ("9223372036854775808", "9999-12-31..9999-12-31"):
                    get(
                        method,
                        f"{_url(route)}?{name}={value}",
                        identities["coder"],
                        f"{route.path} {name}={value}",
                    )
    assert n > 900


def test_bad_bodies_on_every_write_route_are_clean_4xx(hostile):
    c, identities = hostile
    writes = [r for r in _routes(c.app) if "POST" in r.methods]
    assert len(writes) >= 7
    for route in writes:
        for who, headers in identities.items():
            for body in BAD_JSON:
                h = {**headers, "Content-Type": "application/json"}
                assert_clean(
                    c.post(_url(route), content=body, headers=h), f"{who} {route.path} {body[:60]!r}"
                )
            for form in BAD_FORMS:
                assert_clean(c.post(_url(route), data=form, headers=headers), f"{who} {route.path} {form}")
            for raw in RAW_FORMS:
                h = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
                assert_clean(c.post(_url(route), content=raw, headers=h), f"{who} {route.path} {raw[:60]!r}")


def test_nul_in_a_search_is_a_clear_400_not_a_database_error(hostile):
    c, identities = hostile
    r = c.get("/api/events?q=%00", headers=identities["coder"])
    assert (
        r.status_code == 400
        and r.json()["error"] == "query parameter 'q' contains a control character (U+0000)"
    )
    for page in ("/events?q=%00", "/review?q=%00"):
        r = c.get(page, headers=identities["coder"])
        assert r.status_code == 400 and "control character (U+0000)" in r.text, page
    r = c.get("/api/events?q=%ED%A0%80", headers=identities["coder"])
    assert r.status_code == 400 and "not UTF-8" in r.json()["error"]
    r = c.get("/api/events?q=" + "w" * 1001, headers=identities["coder"])
    assert r.status_code == 400 and "too long" in r.json()["error"]
    assert c.get("/api/events?q=" + "w" * 5000).status_code == 414


@pytest.mark.parametrize(
    ("url", "status", "says"),
    [
        ("/api/events?page=9223372036854775808", 422, "page"),
        ("/api/audit?page=100001", 422, "page"),
        ("/api/events/9223372036854775808", 422, "event_id"),
        ("/api/tally?period=9999", 400, "outside the supported days 1900-01-01 .. 2100-12-31"),
        ("/api/tally?period=9999-12-31..9999-12-31&calendar=gregorian", 400, "outside the supported days"),
        ("/api/tally?period=1901-01-01..2100-12-31&by=month", 400, "longer than 50 years"),
        ("/api/tally?period=0001-01-01..9998-12-31&calendar=gregorian", 400, "outside the supported days"),
    ],
)
def test_out_of_range_numbers_and_periods_are_refused_with_a_reason(hostile, url, status, says):
    c, identities = hostile
    r = c.get(url, headers=identities["coder"])
    assert r.status_code == status and says in r.json()["error"], r.text


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"action": "correct", "quantity": 10**30}, "less than or equal to 1000000000"),
        ({"action": "correct", "date": "9999-12-31"}, "outside the dates this system handles"),
        ({"action": "merge", "events": [2**63]}, "events"),
        ({"action": "correct", "note": "a\x00b"}, "control character (U+0000)"),
    ],
)
def test_out_of_range_reviews_are_refused_with_a_reason(hostile, body, says):
    c, identities = hostile
    r = c.post("/api/events/1/review", json=body, headers=identities["coder"])
    assert r.status_code == 422 and says in r.json()["error"], r.text


def test_a_form_review_with_a_huge_quantity_or_id_is_refused(hostile):
    c, identities = hostile
    for form, says in (({"quantity": "1" + "0" * 30}, "quantity must be between 1 and"),
                       ({"action": "merge", "events": "9" * 30}, "ids are whole numbers")):  # fmt: skip
        r = c.post("/events/1/review", data={"action": "correct", **form}, headers=identities["coder"])
        assert r.status_code == 422 and says in r.text, r.text


def test_a_huge_period_costs_no_time(hostile):
    import time

    c, identities = hostile
    t0 = time.perf_counter()
    for url in (
        "/?period=0001-01-01..9998-12-31&calendar=gregorian",
        "/api/tally?period=1951-01-01..2000-12-31&by=month",
    ):
        assert c.get(url, headers=identities["coder"]).status_code in (200, 400)
    assert time.perf_counter() - t0 < 3


# --- unplanned failures ------------------------------------------------------------------------------------
def _break_the_database(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE event_daily")
        db.execute("DROP TABLE events")


def test_an_unplanned_failure_is_a_500_with_an_error_id_and_the_details_only_in_the_log(
    web_db, tokens, caplog
):
    client = TestClient(create_app(web_db))
    _break_the_database(web_db)
    h = {"Authorization": f"Bearer {tokens['ana']}"}
    caplog.set_level(logging.ERROR, logger="eventledger.web")
    for url in ("/api/events", "/api/events?q=Shiraz", "/api/tally?period=1401", "/events", "/", "/review"):
        caplog.clear()
        r = client.get(url, headers=h)
        assert r.status_code == 500, url
        assert_no_leak(r.text, url)
        error_id = re.search(r"internal error ([0-9a-f]{12})", r.text).group(1)
        if url.startswith("/api/"):
            assert r.json() == {"error": r.json()["error"], "status": 500, "error_id": error_id}
        else:
            assert r.headers["content-type"].startswith("text/html")
            assert r.headers["x-content-type-options"] == "nosniff"  # the answer went through the app
        logged = "\n".join(rec.getMessage() + str(rec.exc_info and rec.exc_info[1]) for rec in caplog.records)
        assert error_id in logged and "no such table" in logged, url  # the details stay on the server


def test_an_exception_outside_the_error_hierarchy_is_also_a_bare_500(web_db, tokens, monkeypatch, caplog):
    from eventledger.store import queries

    def boom(*_a, **_k):
        raise RuntimeError(f"password=hunter2 in postgresql://u:hunter2@db/x at {web_db}")

    monkeypatch.setattr(queries, "tally", boom)
    client = TestClient(create_app(web_db))  # raise_server_exceptions: nothing may escape the app
    r = client.get("/api/tally?period=1401", headers={"Authorization": f"Bearer {tokens['vic']}"})
    assert r.status_code == 500 and "hunter2" not in r.text
    assert_no_leak(r.text, "tally")
    assert any("hunter2" in str(rec.exc_info[1]) for rec in caplog.records if rec.exc_info)


def test_validation_errors_do_not_echo_the_input(hostile):
    c, identities = hostile
    secret = "SELECT-password-" + "z" * 300
    r = c.post(
        "/api/events/1/review",
        content=json.dumps({"action": secret, "quantity": secret}),
        headers={**identities["coder"], "Content-Type": "application/json"},
    )
    assert r.status_code == 422 and secret not in r.text
    assert {tuple(d["loc"]) for d in r.json()["detail"]} == {("body", "action"), ("body", "quantity")}
    r = c.get("/api/events?per_page=" + quote(secret), headers=identities["coder"])
    assert r.status_code == 422 and "per_page" in r.json()["error"] and secret not in r.text


def test_a_bad_token_on_any_page_is_a_401_page_not_a_500(web_db):
    """A browser (or a script asking for HTML) that sends a wrong or revoked token gets the error page
    saying so; the page's frame must not ask who is there a second time and fail (it was a 500)."""
    with TestClient(create_app(web_db), raise_server_exceptions=False) as c:
        for route in _routes(c.app):
            # the health check reads no credentials; the API's own 401s are tested with the API
            if "GET" not in route.methods or route.path.startswith("/api/") or route.path == "/healthz":
                continue
            for accept in ("text/html", "application/json"):
                r = c.get(_url(route), headers={"Authorization": "Bearer not-a-token", "Accept": accept})
                assert r.status_code == 401, (route.path, accept, r.status_code)
                assert "unknown or revoked API token" in r.text, (route.path, accept)
