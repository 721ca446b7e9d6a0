"""End to end in real headless Chromium (Debian's ``chromium`` driven by Playwright; .ci/run installs it).

A coder signs in, opens the dashboard, clicks a figure, lands on its events, corrects one, sees the
tally change and the audit entry; a hostile report renders as text; a viewer is refused a write.
Every request stays on 127.0.0.1 and the Content-Security-Policy reports no violation.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.conftest import PASSWORDS, serving

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:  # pragma: no cover - depends on the machine
    pytest.skip("Debian chromium is not installed (.ci/run installs it)", allow_module_level=True)

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def server(web_db: Path) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, in a thread."""
    from eventledger.web.app import create_app

    with serving(create_app(web_db)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Watch:
    """What a page did that it should not: requests off the loopback, console errors (CSP violations)."""

    def __init__(self, page: object) -> None:
        self.external: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on(
            "request",
            lambda r: (
                None if r.url.startswith(("http://127.0.0.1", "data:")) else self.external.append(r.url)
            ),
        )  # type: ignore[attr-defined]
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)  # type: ignore[attr-defined]
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]

    def clean(self) -> None:
        assert self.external == [], self.external
        assert self.errors == [], self.errors
        assert self.dialogs == [], self.dialogs


@pytest.fixture
def page(browser: object) -> Iterator[tuple[object, Watch]]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    pg = ctx.new_page()
    yield pg, Watch(pg)
    ctx.close()


def sign_in(pg: object, base: str, name: str) -> None:
    pg.goto(f"{base}/")  # type: ignore[attr-defined]
    assert "/login" in pg.url  # type: ignore[attr-defined]
    pg.fill("input[name=username]", name)  # type: ignore[attr-defined]
    pg.fill("input[name=password]", PASSWORDS[name])  # type: ignore[attr-defined]
    pg.click("form[action='/login'] button[type=submit]")  # type: ignore[attr-defined]
    pg.wait_for_selector("[data-testid=username]")  # type: ignore[attr-defined]


def _n(text: str) -> int:
    return int(re.sub(r"[^0-9]", "", text))


def test_coder_drills_down_corrects_an_event_and_sees_tally_and_audit(server, page):
    pg, watch = page
    sign_in(pg, server, "ana")
    pg.goto(f"{server}/?period=1401")
    violence = _n(pg.inner_text("[data-testid=cat-violence]"))
    propaganda = _n(pg.inner_text("[data-testid=cat-propaganda]"))
    pg.click("[data-testid=cat-violence]")
    pg.wait_for_url(re.compile(r"/events\?.*category=violence"))
    assert _n(pg.inner_text("[data-testid=events-total]")) == violence
    assert pg.locator("[data-testid=events] tbody tr").count() == min(violence, 50)
    pg.click("[data-testid=events] tbody tr >> nth=0 >> a")
    pg.wait_for_url(re.compile(r"/events/\d+$"))
    event_url = pg.url
    assert pg.locator("[data-testid=sentence] mark strong").count() >= 1  # the trigger words, highlighted
    form = pg.locator("[data-testid=correct-form]")
    form.locator("select[name=subtype]").select_option("slogan")
    form.locator("input[name=note]").fill("wall writing, not fire")
    form.locator("[data-testid=correct]").click()
    pg.wait_for_selector("[data-testid=flash]")
    assert pg.inner_text("[data-testid=review-status]").strip() == "corrected"
    assert "wall writing, not fire" in pg.inner_text("[data-testid=history]")
    pg.goto(f"{server}/?period=1401")
    assert _n(pg.inner_text("[data-testid=cat-violence]")) == violence - 1
    assert _n(pg.inner_text("[data-testid=cat-propaganda]")) == propaganda + 1
    assert _n(pg.inner_text("[data-testid=review-corrected]")) == 1
    pg.goto(f"{server}/audit")
    row = pg.locator("[data-testid=audit] tbody tr >> nth=0")
    assert "ana" in row.inner_text() and "slogan" in row.inner_text()
    # and it can be undone
    row.locator("button[type=submit]").click()
    pg.wait_for_load_state()
    pg.goto(f"{server}/?period=1401")
    assert _n(pg.inner_text("[data-testid=cat-violence]")) == violence
    pg.goto(event_url)
    assert pg.inner_text("[data-testid=review-status]").strip() == "machine-coded"
    watch.clean()


def test_hostile_report_renders_as_text(server, page):
    pg, watch = page
    sign_in(pg, server, "ana")
    pg.goto(f"{server}/events?q=Supreme+Leader+in+Shiraz")
    pg.click("[data-testid=events] tbody tr >> nth=0 >> a")
    pg.wait_for_url(re.compile(r"/events/\d+$"))
    for el in pg.locator("details").all():
        el.locator("summary").click()
    assert "pwned" not in pg.title()
    body = pg.inner_text("body")
    assert "<script>document.title='pwned-script'</script>" in body
    assert "<img src=x onerror=" in body
    assert pg.locator("img").count() == 0
    assert pg.locator("a[href^='javascript:']").count() == 0
    watch.clean()


def test_viewer_is_refused_a_write(server, page):
    pg, watch = page
    sign_in(pg, server, "vic")
    pg.goto(f"{server}/events/1")
    assert pg.locator("form[action='/events/1/review']").count() == 0
    status = pg.evaluate(
        """async () => {
            const csrf = document.querySelector('meta[name="csrf-token"]').content;
            const r = await fetch('/api/events/1/review', {method: 'POST',
                headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf},
                body: JSON.stringify({action: 'confirm'})});
            return r.status;
        }"""
    )
    assert status == 403
    pg.goto(f"{server}/review")
    assert "viewer" in pg.inner_text("body")
    watch.errors = [e for e in watch.errors if "403" not in e]  # the refused request itself
    watch.clean()


def test_review_queue_confirms_in_place_and_persian_is_rtl(server, page):
    pg, watch = page
    sign_in(pg, server, "ana")
    pg.goto(f"{server}/review")
    first = pg.locator("[data-testid=queue] tbody tr >> nth=0")
    row_id = first.get_attribute("id")
    first.locator("button:has-text('Confirm')").click()
    pg.wait_for_selector(f"#{row_id} .pill.confirmed")  # swapped by htmx, no reload
    assert pg.url.endswith("/review")
    pg.click("header form[action='/lang'] button")
    pg.wait_for_selector("html[dir=rtl]")
    assert "صف بازبینی" in pg.inner_text("h1")
    pg.goto(f"{server}/?period=1401")
    assert re.search(r"[۰-۹]", pg.inner_text("[data-testid=total]"))
    watch.clean()
