"""The web app over HTTP: sign-in, roles, CSRF, dashboard drill-down, API shapes, escaping, headers."""

from __future__ import annotations

import html
import json
import re

import pytest
from click.testing import CliRunner

from eventledger.cli import cli
from tests.web.conftest import PASSWORDS, csrf_of, make_client, sign_in

NUMBER_LINK = re.compile(r'<a [^>]*href="(/events\?[^"]+)"[^>]*>([0-9,]+)</a>')


def _events_total(c, href: str) -> int:
    page = c.get(html.unescape(href))
    assert page.status_code == 200, href
    m = re.search(r'data-testid="events-total">([0-9,]+)<', page.text)
    assert m, href
    return int(m.group(1).replace(",", ""))


# --- access ----------------------------------------------------------------------------------------------
def test_everything_needs_sign_in_by_default(client):
    r = client.get("/events?period=1401", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fevents%3Fperiod%3D1401"
    api = client.get("/api/events")
    assert api.status_code == 401 and api.headers["www-authenticate"].startswith("Bearer")
    assert api.json()["status"] == 401
    assert client.get("/api/tally?period=1401").status_code == 401


def test_public_server_reads_anonymously_but_never_writes(public_client):
    assert public_client.get("/").status_code == 200
    assert public_client.get("/api/tally?period=1401").json()["total"] > 0
    r = public_client.post("/api/events/1/review", json={"action": "confirm"})
    assert r.status_code == 401
    page = public_client.get("/events/1")
    assert 'name="action"' not in page.text  # no review forms for anonymous readers
    assert public_client.get("/review", follow_redirects=False).status_code == 303


def test_sign_in_sets_a_protected_cookie_and_needs_the_form_token(client):
    page = client.get("/login")
    token = csrf_of(page.text)
    forged = client.post(
        "/login", data={"username": "ana", "password": PASSWORDS["ana"]}, follow_redirects=False
    )
    assert forged.status_code == 403
    r = client.post(
        "/login",
        data={"username": "ana", "password": PASSWORDS["ana"], "csrf_token": token, "next": "/events"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/events"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert 'data-testid="username">ana<' in client.get("/").text


def test_sign_in_never_redirects_to_another_site(web_db):
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        client = make_client(web_db)
        token = csrf_of(client.get("/login").text)
        r = client.post(
            "/login",
            data={"username": "ana", "password": PASSWORDS["ana"], "csrf_token": token, "next": target},
            follow_redirects=False,
        )
        assert r.headers["location"] == "/"


def test_wrong_passwords_are_rate_limited(client):
    token = csrf_of(client.get("/login").text)
    for _ in range(5):
        r = client.post("/login", data={"username": "ana", "password": "nope-nope", "csrf_token": token})
        assert r.status_code == 401 and "wrong user name or password" in r.text
    r = client.post("/login", data={"username": "ana", "password": PASSWORDS["ana"], "csrf_token": token})
    assert r.status_code == 401 and "too many failed logins" in r.text


def test_sign_out_needs_the_form_token(client):
    token = sign_in(client, "ana")
    assert client.post("/logout", data={}, follow_redirects=False).status_code == 403
    assert client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


# --- dashboard ---------------------------------------------------------------------------------------------
def test_every_dashboard_number_opens_the_events_behind_it(client):
    sign_in(client, "ana")
    page = client.get("/?period=1401")
    links = NUMBER_LINK.findall(page.text)
    assert len(links) > 60  # totals, categories, subtypes, months, provinces, claim and review splits
    checked = 0
    for href, number in links:
        n = int(number.replace(",", ""))
        assert _events_total(client, href) == n, href
        checked += 1
    assert checked == len(links)


def test_dashboard_agrees_with_the_cli_tally(client, web_db):
    sign_in(client, "ana")
    page = client.get("/?period=1401&calendar=jalali").text
    out = CliRunner().invoke(
        cli, ["--db", str(web_db), "tally", "--period", "1401", "--format", "json"], obj={}
    )
    t = json.loads(out.output)
    total = re.search(r'data-testid="total" href="[^"]+">([0-9,]+)<', page).group(1)
    assert int(total.replace(",", "")) == t["total"]
    for cat, n in t["by_category"].items():
        m = re.search(rf'data-testid="cat-{cat}" href="[^"]+">([0-9,]+)<', page)
        assert m and int(m.group(1).replace(",", "")) == n, cat


def test_dashboard_gregorian_switch_and_default_year(client):
    sign_in(client, "ana")
    page = client.get("/?calendar=gregorian&period=2022").text
    assert "Dashboard · 2022" in page and "calendar=gregorian" in page
    default = client.get("/").text
    assert re.search(r"Dashboard · 14\d\d", default)  # a Solar Hijri year unless the switch says otherwise


def test_persian_interface_is_rtl_with_solar_hijri_dates_in_persian_digits(client):
    sign_in(client, "adm")  # adm's language is Persian
    page = client.get("/?period=1401").text
    assert '<html lang="fa" dir="rtl">' in page
    assert "داشبورد · ۱۴۰۱" in page
    ev = client.get("/events?period=1401&per_page=5").text
    assert re.search(
        r"[۰-۹]+ (?:فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند) ۱۴۰۱", ev
    )


def test_language_switch_is_remembered_for_the_user(client):
    token = sign_in(client, "ana")
    r = client.post(
        "/lang", data={"lang": "fa", "csrf_token": token, "next": "/events"}, follow_redirects=False
    )
    assert r.status_code == 303
    assert 'dir="rtl"' in client.get("/events").text
    other = make_client(client.app.state.store.url.removeprefix("sqlite:///"))
    sign_in(other, "ana")
    assert 'dir="rtl"' in other.get("/").text  # the choice belongs to the user, not the browser


# --- events ---------------------------------------------------------------------------------------------------
def test_events_list_filters_and_pages(client):
    sign_in(client, "ana")
    full = _events_total(client, "/events?period=1401")
    violence = _events_total(client, "/events?period=1401&category=violence")
    assert 0 < violence < full
    page1 = client.get("/events?period=1401&per_page=10").text
    page2 = client.get("/events?period=1401&per_page=10&page=2").text
    ids1 = set(re.findall(r'data-event="(\d+)"', page1))
    ids2 = set(re.findall(r'data-event="(\d+)"', page2))
    assert len(ids1) == len(ids2) == 10 and not ids1 & ids2
    assert "page=2" in page1 and 'rel="next"' in page1
    assert _events_total(client, "/events?q=Shiraz") >= 1
    assert _events_total(client, "/events?outlet=Iran+Monitor") >= 1
    assert _events_total(client, "/events?review_status=confirmed") == 0
    bad = client.get("/events?claim_status=rumoured")
    assert bad.status_code == 400 and "claim status" in bad.text
    assert client.get("/events?period=1401-13").status_code == 400


def test_event_page_shows_the_exact_sentences_highlighted(client):
    sign_in(client, "ana")
    r = client.get("/events/1")
    assert r.status_code == 200
    assert r.text.count('data-testid="sentence"') >= 1 and "<mark>" in r.text
    assert client.get("/events/999999").status_code == 404


def _xss_event_id(client) -> int:
    data = client.get("/api/events?q=Supreme+Leader+in+Shiraz").json()
    (ev,) = [e for e in data["events"] if any(s["external_id"] == "xss-1" for s in e["sources"])]
    return int(ev["id"])


def test_hostile_report_is_shown_as_text(client, tokens):
    sign_in(client, "ana")
    eid = _xss_event_id(client)
    page = client.get(f"/events/{eid}").text
    assert "<script>document.title" not in page and "<img src=x" not in page
    assert "&lt;script&gt;document.title=&#39;pwned-script&#39;&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=" in page
    assert 'href="javascript:' not in page  # a report's javascript: URL is never a link


def test_archived_copy_is_plain_text_in_a_sandbox(client, web_template):
    sign_in(client, "ana")
    r = client.get(f"/archive/{web_template['record_id']}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    assert "sandbox" in r.headers["content-security-policy"]
    assert "<script>document.title='pwned-archive'</script>" in r.text  # literally, never rendered
    assert client.get("/archive/urn:uuid:nope").status_code == 404


def test_security_headers_and_no_external_assets(client):
    sign_in(client, "ana")
    for path in ("/", "/events", "/events/1", "/review", "/audit", "/login", "/docs"):
        r = client.get(path)
        assert r.status_code == 200, path
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "'unsafe-eval'" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        for attr in re.findall(r'(?:src|href)="([^"]+)"', r.text):
            assert not attr.startswith(("http:", "https:", "//")) or "noopener" in r.text, (path, attr)
        assert "<script>" not in r.text.replace("<script src=", "")  # no inline script anywhere
    for asset in (
        "/static/vendor/htmx/htmx.min.js",
        "/static/app.css",
        "/static/app.js",
        "/static/vendor/vazirmatn/Vazirmatn-Variable.woff2",
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
    ):
        assert client.get(asset).status_code == 200, asset


def test_openapi_describes_the_api(client, tokens):
    spec = client.get("/openapi.json", headers=_bearer(tokens["vic"])).json()
    for path in ("/api/tally", "/api/events", "/api/events/{event_id}", "/api/events/{event_id}/review"):
        assert path in spec["paths"], path
    assert "/login" not in spec["paths"]


# --- API ---------------------------------------------------------------------------------------------------------
def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_api_tally_is_the_cli_json(client, tokens, web_db):
    r = client.get(
        "/api/tally?period=1401&calendar=jalali&by=subtype,month&by=claim_status",
        headers=_bearer(tokens["vic"]),
    )
    assert r.status_code == 200
    out = CliRunner().invoke(
        cli,
        ["--db", str(web_db), "tally", "--period", "1401", "--calendar", "jalali", "--by", "subtype", "--by", "month", "--by", "claim_status", "--format", "json"],
        obj={},
    )  # fmt: skip
    assert r.json() == json.loads(out.output)
    assert client.get("/api/tally?period=1401&by=colour", headers=_bearer(tokens["vic"])).status_code == 400


def test_api_events_are_the_cli_jsonl_lines_with_paging(client, tokens, web_db):
    r = client.get(
        "/api/events?period=1401&category=violence&per_page=7&page=2", headers=_bearer(tokens["vic"])
    )
    body = r.json()
    assert set(body) >= {"events", "total", "page", "per_page", "pages"}
    assert body["page"] == 2 and body["per_page"] == 7 and len(body["events"]) == 7
    out = CliRunner().invoke(
        cli,
        ["--db", str(web_db), "events", "--period", "1401", "--category", "violence", "--format", "jsonl"],
        obj={},
    )
    lines = [json.loads(x) for x in out.output.splitlines()]
    assert body["total"] == len(lines)
    assert body["events"] == lines[7:14]


def test_api_review_needs_a_coder(client, tokens):
    assert client.post("/api/events/1/review", json={"action": "confirm"}).status_code == 401
    bad = client.post("/api/events/1/review", json={"action": "confirm"}, headers=_bearer("elt_forged"))
    assert bad.status_code == 401
    viewer = client.post("/api/events/1/review", json={"action": "confirm"}, headers=_bearer(tokens["vic"]))
    assert viewer.status_code == 403 and "viewer" in viewer.json()["error"]
    ok = client.post(
        "/api/events/1/review", json={"action": "confirm", "note": "seen"}, headers=_bearer(tokens["ana"])
    )
    assert ok.status_code == 200 and ok.json()["event"]["review_status"] == "confirmed"
    audit = client.get("/api/audit", headers=_bearer(tokens["vic"])).json()
    assert audit["entries"][0]["user"] == "ana" and audit["entries"][0]["action"] == "confirm"


def test_api_correction_changes_the_tally_at_once(client, tokens):
    h = _bearer(tokens["ana"])
    before = client.get("/api/tally?period=1401&by=subtype", headers=h).json()
    arson = client.get("/api/events?period=1401&subtype=arson&per_page=1", headers=h).json()["events"][0]
    r = client.post(
        f"/api/events/{arson['id']}/review", json={"action": "correct", "subtype": "grenade"}, headers=h
    )
    assert r.status_code == 200, r.text
    after = client.get("/api/tally?period=1401&by=subtype", headers=h).json()
    assert after["by_subtype"]["arson"] == before["by_subtype"]["arson"] - 1
    assert after["by_subtype"]["grenade"] == before["by_subtype"]["grenade"] + 1
    undo = client.post(f"/api/audit/{r.json()['audit_id']}/revert", headers=h)
    assert undo.status_code == 200
    assert client.get("/api/tally?period=1401&by=subtype", headers=h).json() == before


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"action": "explode"}, 422),
        ({"action": "correct", "subtype": "teleport"}, 422),
        ({"action": "correct", "date": "1401-12-30"}, 422),
        ({"action": "merge", "events": []}, 422),
    ],
)
def test_api_bad_reviews_are_refused_with_a_reason(client, tokens, body, status):
    r = client.post("/api/events/1/review", json=body, headers=_bearer(tokens["ana"]))
    assert r.status_code == status
    assert r.json().get("error") or r.json().get("detail")


def test_cookie_sessions_need_the_csrf_header_on_the_api(client):
    token = sign_in(client, "ana")
    assert client.post("/api/events/1/review", json={"action": "confirm"}).status_code == 403
    r = client.post("/api/events/1/review", json={"action": "confirm"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200


# --- review through the pages ----------------------------------------------------------------------------------------
def test_correcting_through_the_form_updates_tally_history_and_audit(client):
    token = sign_in(client, "ana")
    arson_before = _events_total(client, "/events?period=1401&subtype=arson")
    eid = re.search(r'data-event="(\d+)"', client.get("/events?period=1401&subtype=arson").text).group(1)
    r = client.post(
        f"/events/{eid}/review",
        data={
            "action": "correct",
            "subtype": "vandalism",
            "quantity": "2",
            "note": "paint, not fire",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith(f"/events/{eid}?done=")
    page = client.get(r.headers["location"]).text
    assert 'data-testid="flash"' in page and "paint, not fire" in page
    assert _events_total(client, "/events?period=1401&subtype=arson") == arson_before - 1
    audit = client.get("/audit").text
    assert "paint, not fire" in audit and "vandalism" in audit
    forged = client.post(f"/events/{eid}/review", data={"action": "confirm"}, follow_redirects=False)
    assert forged.status_code == 403


def test_viewers_see_no_review_forms_and_are_refused_writes(client):
    token = sign_in(client, "vic")
    page = client.get("/events/1").text
    assert 'name="action"' not in page
    r = client.post(
        "/events/1/review", data={"action": "confirm", "csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 403 and "viewer" in r.text
    assert client.get("/review").status_code == 403


def test_review_queue_lists_least_confident_first_and_confirms_with_htmx(client):
    token = sign_in(client, "ana")
    page = client.get("/review").text
    conf = [float(x) for x in re.findall(r'<td class="n">([0-9.]+)</td>', page)]
    assert conf and conf == sorted(conf)
    first = re.search(r'<tr id="q(\d+)">', page).group(1)
    r = client.post(
        f"/events/{first}/review",
        data={"action": "confirm", "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200 and r.text.startswith(f'<tr id="q{first}">')
    assert f'<tr id="q{first}">' not in client.get("/review").text


def test_an_event_whose_place_the_text_does_not_give_says_so(tmp_path):
    """No default country: the event page and list say "place not given" (Persian: «محل ذکر نشده»)."""
    from fastapi.testclient import TestClient

    from eventledger.pipeline import Ingestor
    from eventledger.store.db import Store
    from eventledger.web.app import create_app
    from tests.conftest import unplaced_report

    src = unplaced_report(tmp_path)
    store = Store.open(tmp_path / "p.db")
    Ingestor(store).ingest([src])
    store.close()
    with TestClient(create_app(tmp_path / "p.db", public=True)) as c:
        assert "place not given" in c.get("/events?period=1401").text
        assert "place not given" in c.get("/events/1").text
        assert "place not given" in c.get("/?period=1401").text


def test_a_common_word_shows_more_than_the_cap_and_its_newest_events_first(public_client, monkeypatch):
    """Words matched by more events than SEARCH_COUNT_CAP: "more than N" on the page, total_exact false
    in the API; the listed events are still the newest ones, as without the cap."""
    from eventledger.store import queries

    exact = public_client.get("/api/events?q=the&per_page=5").json()
    assert exact["total_exact"] is True and exact["total"] > 4
    monkeypatch.setattr(queries, "SEARCH_COUNT_CAP", 4)
    capped = public_client.get("/api/events?q=the&per_page=5").json()
    assert capped["total_exact"] is False and capped["total"] == 4
    assert [e["id"] for e in capped["events"]] == [e["id"] for e in exact["events"]][:5]
    page = public_client.get("/events?q=the")
    assert page.status_code == 200 and 'data-testid="events-total">more than 4<' in page.text
    few = public_client.get("/events?q=Izeh")  # fewer than the cap: counted
    assert re.search(r'data-testid="events-total">[0-9,]+<', few.text)
