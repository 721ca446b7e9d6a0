"""The help page: the unit of count, claim statuses, the codebook and the review keys, in both
languages, linked from every page."""

from __future__ import annotations

from tests.web.conftest import sign_in


def test_every_page_links_to_the_help_page(client):
    assert 'href="/help"' in client.get("/login").text  # before signing in too
    sign_in(client, "ana")
    for path in ("/", "/events", "/events/1", "/review", "/audit", "/dropped", "/admin/sources", "/help"):
        assert 'data-testid="help-link"' in client.get(path).text, path


def test_the_help_page_explains_the_unit_claims_codebook_and_keys(client):
    page = client.get("/help")
    assert page.status_code == 200
    text = page.text
    assert "one action subtype in one place on one day" in text
    for status in ("claimed", "reported", "corroborated"):
        assert f'class="pill {status}"' in text
    assert "political-action@" in text and ">arson<" in text  # the codebook's subtypes and version
    assert "<kbd" in text and "confirm the selected event" in text


def test_the_help_page_in_persian(client):
    sign_in(client, "adm")  # reads Persian
    text = client.get("/help").text
    assert 'dir="rtl"' in text and "واحد شمارش" in text and "صف بازبینی با صفحه‌کلید" in text
    assert "one action subtype" not in text
