"""GET /report and the dashboard's "Download the report": the publication for readers, drawn with the
dashboard's own chart and map."""

from __future__ import annotations

import html as htmllib
import re

import pytest

from eventledger.report.publication import pdf_available
from tests.web.conftest import sign_in


def _report_links(page: str) -> list[str]:
    return [htmllib.unescape(h) for h in re.findall(r'href="(/report\?[^"]+)"', page)]


def test_the_dashboard_offers_the_report_of_its_period_and_scope(public_client):
    page = public_client.get("/", params={"period": "1401", "category": "violence"}).text
    links = _report_links(page)
    formats = [re.search(r"format=(\w+)", h).group(1) for h in links]
    assert formats == (["pdf", "html"] if pdf_available() else ["html"])
    for h in links:
        assert "period=1401" in h and "calendar=jalali" in h and "category=violence" in h and "lang=en" in h


def test_the_html_report_downloads_as_one_file_that_loads_nothing(public_client):
    r = public_client.get("/report", params={"period": "1401", "format": "html", "lang": "fa"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["content-disposition"] == 'attachment; filename="report-1401-fa.html"'
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["content-security-policy"].startswith("default-src 'none'")
    assert '<html lang="fa" dir="rtl">' in r.text
    # the hostile report's javascript: address is shown as text, never a link
    assert not re.search(r"href=\"(?!https?://|#)", r.text)  # sources, and the contents' anchors
    assert "<script" not in r.text


def test_the_report_takes_the_filter_and_refuses_what_it_cannot_make(public_client):
    r = public_client.get("/report", params={"period": "1401", "format": "html", "province": "Tehran"})
    assert r.status_code == 200 and "--province IR-23" in r.text
    assert public_client.get("/report", params={"period": "1401", "format": "docx"}).status_code == 400
    assert public_client.get("/report", params={"format": "html"}).status_code == 400
    assert public_client.get("/report", params={"period": "1401", "lang": "de"}).status_code == 400
    bad = public_client.get("/report", params={"period": "1401", "province": "Atlantis"})
    assert bad.status_code == 422


def test_the_report_is_for_readers(client):
    r = client.get("/report", params={"period": "1401", "format": "html"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    sign_in(client, "vic")
    assert client.get("/report", params={"period": "1401", "format": "html"}).status_code == 200


def test_the_report_draws_the_dashboards_chart_and_map(public_client):
    dash = public_client.get("/", params={"period": "1401"}).text
    report = public_client.get("/report", params={"period": "1401", "format": "html", "lang": "en"}).text

    def bars(page: str) -> list[str]:
        svg = re.search(r'<svg class="chart".*?</svg>', page, re.S).group(0)
        return re.findall(r'<rect class="c\d" x="[^"]+" y="[^"]+" width="[^"]+" height="[^"]+"', svg)

    def provinces(page: str) -> list[tuple[str, str]]:
        svg = re.search(r'<svg class="map".*?</svg>', page, re.S).group(0)
        return re.findall(r'data-province="(IR-\d\d)"><path class="(q\d)"', svg)

    assert bars(dash) and bars(dash) == bars(report)
    assert len(provinces(dash)) == 31 and provinces(dash) == provinces(report)


@pytest.mark.skipif(not pdf_available(), reason="WeasyPrint (the pdf extra) is not installed")
def test_the_pdf_report_downloads(public_client):
    r = public_client.get("/report", params={"period": "1401-12", "format": "pdf"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == 'attachment; filename="report-1401-12-en.pdf"'
    assert r.content.startswith(b"%PDF-")
