"""The codebook selector: a store may hold the events of several codebooks; the app shows one."""

from __future__ import annotations

import re

from tests.web.conftest import make_client, sign_in


def _api_total(client, **params) -> int:
    r = client.get("/api/tally", params={"period": "1401", **params})
    assert r.status_code == 200, r.text
    return int(r.json()["total"])


def test_the_selector_lists_the_shipped_codebooks_and_the_choice_is_remembered_for_the_user(client):
    token = sign_in(client, "ana")
    page = client.get("/?period=1401").text
    form = re.search(r'<form[^>]*action="/codebook".*?</form>', page, re.S)
    assert form is not None
    options = re.findall(r'<option value="([^"]+)"[^>]*?(selected)?>', form.group())
    assert ("political-action", "selected") in options and any(v == "acled" for v, _ in options)
    total = _api_total(client)
    assert total > 0
    # the demo's reports were coded with political-action only: no acled event yet
    assert _api_total(client, codebook="acled") == 0
    r = client.post(
        "/codebook",
        data={"codebook": "acled", "csrf_token": token, "next": "/?period=1401&codebook=political-action"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/?period=1401"
    assert _api_total(client) == 0
    assert re.search(r'<option value="acled"[^>]*selected', client.get("/?period=1401").text)
    other = make_client(client.app.state.store.url.removeprefix("sqlite:///"))
    sign_in(other, "ana")
    assert _api_total(other) == 0  # the choice belongs to the user
    assert _api_total(other, codebook="political-action") == total  # a link may name its codebook


def test_an_unknown_codebook_is_refused(client):
    sign_in(client, "ana")
    assert client.get("/api/tally", params={"period": "1401", "codebook": "nope"}).status_code in (400, 422)
    token = sign_in(client, "ana")
    r = client.post("/codebook", data={"codebook": "nope", "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 400


def test_a_link_that_names_a_codebook_keeps_it_in_the_dashboard_links(client):
    sign_in(client, "ana")
    page = client.get("/", params={"period": "1401", "codebook": "acled"}).text
    links = re.findall(r'href="(/(?:events|api/export|report)\?[^"]+)"', page)
    assert links and all("codebook=acled" in h for h in links)
    assert 'data-testid="events-total"' not in page or ">0<" in page


def test_the_selector_names_each_codebook_by_its_title_in_the_readers_language(client):
    token = sign_in(client, "ana")
    en = client.get("/?period=1401").text
    assert re.search(r'<option value="acled"[^>]*>ACLED event types</option>', en)
    assert re.search(
        r'<option value="political-action"[^>]*>Political actions of opposition groups</option>', en
    )
    client.post("/lang", data={"lang": "fa", "csrf_token": token}, follow_redirects=False)
    fa = client.get("/?period=1401").text
    assert re.search(r'<option value="political-action"[^>]*>اقدامات سیاسی گروه‌های مخالف</option>', fa)
    assert 'title="ACLED event types (political violence' in en  # the whole title and the version on hover
