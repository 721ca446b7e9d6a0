"""The web app and the API refuse a filter value that names nothing, with the nearest valid values."""

from __future__ import annotations


def test_api_answers_422_with_suggestions_and_accepts_names(public_client):
    r = public_client.get("/api/tally", params={"period": "1401", "category": "violance"})
    assert r.status_code == 422 and "did you mean violence?" in r.json()["error"]
    by_name = public_client.get("/api/events", params={"period": "1401", "province": "Tehran"}).json()
    by_code = public_client.get("/api/events", params={"period": "1401", "province": "IR-23"}).json()
    assert by_name["total"] == by_code["total"] > 0


def test_events_page_keeps_the_form_and_shows_the_error(public_client):
    r = public_client.get("/events", params={"period": "1401", "province": "IR-99"})
    assert r.status_code == 400
    html = r.text
    assert 'data-testid="filter-error"' in html and "unknown province &#39;IR-99&#39;; did you mean" in html
    assert '<form class="filters card" method="get" action="/events">' in html and 'value="1401"' in html


def test_dashboard_with_a_misspelled_category_is_an_error_not_an_empty_dashboard(public_client):
    r = public_client.get("/", params={"category": "violance"})
    assert r.status_code == 422 and "did you mean violence?" in r.text


def test_the_dashboard_opens_on_the_newest_year_with_real_data(public_client):
    # the sample has 185 events in 1401, 36 in 1402, 4 in 1403 and a stray one in 1404
    html = public_client.get("/").text
    assert "1402" in html.split("<h1", 1)[1].split("</h1>", 1)[0]
    assert "1401" in public_client.get("/", params={"period": "1401"}).text


def test_the_events_pager_reaches_any_page(public_client):
    html = public_client.get("/events", params={"period": "1401", "per_page": 10, "page": 5}).text
    pager = html.split('data-testid="pager"', 1)[1].split("</nav>", 1)[0]
    assert (
        'rel="first"' in pager and 'rel="prev"' in pager and 'rel="next"' in pager and 'rel="last"' in pager
    )
    assert '<strong aria-current="page">5</strong>' in pager and "page=3" in pager and "page=7" in pager
    assert "page=19" in pager  # the last page: 185 events, 10 a page
