"""End to end in real headless Chromium (Debian's ``chromium`` driven by Playwright; .ci/run installs it).

A coder signs in, opens the dashboard, clicks a figure, lands on its events, corrects one, sees the
tally change and the audit entry; a hostile report renders as text; a viewer is refused a write.
Every request stays on 127.0.0.1 and the Content-Security-Policy reports no violation.
The layout tests open the main pages (``PAGES``) in English and Persian at 1280 and 390 px, save full-page
screenshots ($EVENTLEDGER_SCREENSHOTS, else the test's temporary folder) and check nothing spills sideways.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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
    pg.locator("[data-testid=review-form] textarea[name=note]").fill("wall writing, not fire")  # one note
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


def test_review_queue_by_keyboard_and_its_count_follows(server, page):
    """J moves down, C confirms the selected event in place, the count of waiting events follows, X
    rejects the next one; keys read by their place, so the same keys work in a Persian layout."""
    pg, watch = page
    sign_in(pg, server, "ana")
    pg.goto(f"{server}/review")
    count = int(pg.get_attribute("#queue-count", "data-count"))
    rows = pg.locator("[data-testid=queue] tbody tr")
    second = rows.nth(1).get_attribute("id")
    pg.keyboard.press("j")
    pg.keyboard.press("j")
    assert pg.get_attribute(f"#{second}", "aria-selected") == "true"
    pg.keyboard.press("c")
    pg.wait_for_selector(f"#{second} .pill.confirmed")
    pg.wait_for_function(f"document.querySelector('#queue-count').dataset.count == '{count - 1}'")
    third = rows.nth(2).get_attribute("id")
    assert pg.get_attribute(f"#{third}", "aria-selected") == "true"  # the next one waiting
    pg.keyboard.press("x")
    pg.wait_for_selector(f"#{third} .pill.rejected")
    pg.wait_for_function(f"document.querySelector('#queue-count').dataset.count == '{count - 2}'")
    pg.keyboard.press("Shift+Slash")
    pg.wait_for_url(re.compile(r"/help#review-keys$"))
    watch.clean()


def test_the_admin_adds_a_user_and_a_bad_entry_keeps_the_form(server, page):
    pg, watch = page
    sign_in(pg, server, "adm")
    pg.goto(f"{server}/admin/users")
    form = pg.locator("[data-testid=add-user]")
    form.locator("input[name=username]").fill("newcoder")
    form.locator("input[name=password]").fill("a-good-password-1")
    form.locator("select[name=role]").select_option("coder")
    form.locator("button[type=submit]").click()
    pg.wait_for_selector("[data-testid=done]")
    assert pg.locator("tr[data-user=newcoder]").count() == 1
    pg.goto(f"{server}/admin/sources")
    add = pg.locator("[data-testid=add-source]")
    add.locator("input[name=name]").fill("Bad interval")
    add.locator("input[name=url]").fill("https://feeds.example/rss")
    add.locator("select[name=kind]").select_option("rss")
    add.locator("input[name=interval]").fill("5s")
    add.locator("button[type=submit]").click()
    pg.wait_for_selector("[data-testid=error]")
    assert pg.input_value("[data-testid=add-source] input[name=name]") == "Bad interval"
    assert pg.input_value("[data-testid=add-source] input[name=url]") == "https://feeds.example/rss"
    watch.errors = [e for e in watch.errors if "400" not in e]  # the refused form itself
    watch.clean()


# --- layout: the main pages in both languages, wide and narrow ------------------------------------------------
@dataclass(frozen=True)
class Shown:
    """A page the layout test opens: its screenshot's name, its path, and who is signed in (None: nobody)."""

    name: str
    path: str
    user: str | None = "ana"


PAGES = [  # one line a page
    Shown("dashboard", "/?period=1401"),
    Shown("events", "/events?period=1401"),
    Shown("event", "/events/88"),  # three reports (English and Persian), long addresses
    Shown("review", "/review"),
    Shown("audit", "/audit"),
    Shown("dropped", "/dropped"),
    Shown("login", "/login", user=None),
    Shown("help", "/help", user=None),
    Shown("admin-sources", "/admin/sources", user="adm"),
    Shown("admin-outlets", "/admin/outlets", user="adm"),
    Shown("admin-users", "/admin/users", user="adm"),
]
LANGS = ("en", "fa")
VIEWPORTS = {1280: 900, 390: 844}  # width: height

# What spills sideways, each as {tag, cls, box, content, text}: (1) elements whose content is wider than their
# box and that neither scroll nor clip it (form controls scroll their own text); (2) the outermost elements
# that stick out of the window, outside any box that scrolls; (3) children of a card or table cell outside it
# (a scroll container may scroll, but must itself stay in its card). And the page's width against the window's.
OVERFLOW_JS = r"""() => {
    const offenders = [];
    const clips = (el) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
    const scrolled = (el) => {
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (clips(a)) return true;
        return false;
    };
    const text = (el) => (el.innerText || el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 60);
    const report = (el, box, content, why) => offenders.push({tag: el.tagName.toLowerCase(),
        cls: String(el.className.baseVal ?? el.className), box: Math.round(box), content: Math.round(content),
        text: why + text(el)});
    const all = [...document.body.querySelectorAll('*')].filter(el => !el.closest('svg') || el.tagName === 'svg');
    for (const el of all) {
        if (['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(el.tagName)) continue;
        if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 && !clips(el)) {
            report(el, el.clientWidth, el.scrollWidth, '');
        }
    }
    const out = (b) => b.width > 0 && (b.right > window.innerWidth + 1 || b.left < -1);
    for (const el of all) {
        const r = el.getBoundingClientRect();
        if (out(r) && !out(el.parentElement.getBoundingClientRect()) && !scrolled(el)) {
            report(el, window.innerWidth, r.width, 'sticks out of the window: ');
        }
    }
    for (const holder of document.querySelectorAll('.card, td, th')) {
        const box = holder.getBoundingClientRect();
        for (const el of holder.children) {
            const r = el.getBoundingClientRect();
            if (r.width && (r.left < box.left - 1 || r.right > box.right + 1)) {
                report(el, box.width, r.width, `spills out of its ${holder.tagName.toLowerCase()}: `);
            }
        }
    }
    return {page: document.documentElement.scrollWidth, viewport: window.innerWidth, offenders};
}"""

# Every status pill's height against its line height: a pill that wraps is two lines tall.
PILLS_JS = """() => [...document.querySelectorAll('.pill')].filter(p => p.offsetParent !== null).map(p => {
    const cs = getComputedStyle(p);
    return {text: p.textContent.trim(), height: p.getBoundingClientRect().height,
            line: parseFloat(cs.lineHeight) + parseFloat(cs.borderTopWidth) + parseFloat(cs.borderBottomWidth)};
})"""

# The map's numbers as drawn: the font size in user units times the viewBox's scale on the screen.
MAP_TEXT_JS = """() => [...document.querySelectorAll('svg.map text')].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
            left: r.left, right: r.right, top: r.top, bottom: r.bottom};
})"""


@pytest.fixture(scope="module")
def layout_server(web_template: dict[str, object], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server for the layout tests, which only read (and set the user's language); the audit log shows
    a correction with a long note."""
    import httpx

    from eventledger.web.app import create_app

    path = tmp_path_factory.mktemp("layout") / "web.db"
    shutil.copy(web_template["path"], path)  # type: ignore[arg-type]
    with serving(create_app(path)) as url:
        token = web_template["tokens"]["ana"]  # type: ignore[index]
        change = {"action": "correct", "quantity": 12, "place": "IR-23", "note": "نقل از دو منبع " * 12}
        r = httpx.post(
            f"{url}/api/events/88/review", json=change, headers={"Authorization": f"Bearer {token}"}
        )
        assert r.status_code == 200, r.text
        yield url


@pytest.fixture(scope="module")
def signed_in(browser: object, layout_server: str) -> Callable[[str | None], dict[str, object] | None]:
    """user → the cookies of a signed-in session (signed in once), for new browser contexts."""
    states: dict[str, dict[str, object]] = {}

    def state(user: str | None) -> dict[str, object] | None:
        if user is None:
            return None
        if user not in states:
            ctx = browser.new_context()  # type: ignore[attr-defined]
            sign_in(ctx.new_page(), layout_server, user)
            states[user] = ctx.storage_state()
            ctx.close()
        return states[user]

    return state


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go: $EVENTLEDGER_SCREENSHOTS, else the test's temporary folder."""
    folder = Path(os.environ.get("EVENTLEDGER_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def show(browser: object, base: str, state: dict[str, object] | None, shown: Shown, lang: str, width: int):
    """A new context at ``width`` showing ``shown`` in ``lang`` (switched with the header's button), every
    <details> open, fonts loaded; returns (context, page, Watch)."""
    ctx = browser.new_context(viewport={"width": width, "height": VIEWPORTS[width]}, storage_state=state)  # type: ignore[attr-defined]
    pg = ctx.new_page()
    watch = Watch(pg)
    response = pg.goto(base + shown.path)
    assert response is not None and response.ok, f"{shown.path}: {response and response.status}"
    if pg.get_attribute("html", "lang") != lang:
        pg.click("header form[action='/lang'] button")
        pg.wait_for_selector(f"html[lang={lang}]")
    pg.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    pg.evaluate("document.fonts.ready.then(() => true)")
    return ctx, pg, watch


@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("shown", PAGES, ids=lambda s: s.name)
def test_page_fits_its_width_in_both_languages(browser, layout_server, signed_in, shots, shown, lang, width):
    ctx, pg, watch = show(browser, layout_server, signed_in(shown.user), shown, lang, width)
    try:
        pg.screenshot(path=str(shots / f"{shown.name}-{lang}-{width}.png"), full_page=True)
        if lang == "fa":
            assert pg.get_attribute("html", "dir") == "rtl"
        found = pg.evaluate(OVERFLOW_JS)
        where = f"{shown.path} ({lang}, {width} px)"
        assert found["page"] <= found["viewport"] + 1, (
            f"{where} scrolls sideways: {found['page']} px wide; {found['offenders']}"
        )
        assert found["offenders"] == [], f"{where}: content wider than its box: {found['offenders']}"
        wrapped = [p for p in pg.evaluate(PILLS_JS) if p["height"] > p["line"] + 1]
        assert wrapped == [], f"{where}: status pills on more than one line: {wrapped}"
        watch.clean()
    finally:
        ctx.close()


@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("lang", LANGS)
def test_province_map_numbers_are_readable_and_apart(browser, layout_server, signed_in, lang, width):
    """At 1280 px the numbers on the map are drawn at 11 px or more (the map's 1000 units are scaled to
    its card); at either width no two of them overlap."""
    dashboard = next(s for s in PAGES if s.name == "dashboard")
    ctx, pg, watch = show(browser, layout_server, signed_in(dashboard.user), dashboard, lang, width)
    try:
        labels = pg.evaluate(MAP_TEXT_JS)
        assert len(labels) >= 5
        if width >= 1280:
            small = [(x["text"], round(x["px"], 1)) for x in labels if x["px"] < 11]
            assert small == [], f"map numbers under 11 px: {small}"
        overlapping = [
            (a["text"], b["text"])
            for i, a in enumerate(labels)
            for b in labels[i + 1 :]
            if a["left"] < b["right"]
            and b["left"] < a["right"]
            and a["top"] < b["bottom"]
            and b["top"] < a["bottom"]
        ]
        assert overlapping == [], f"map numbers drawn over each other: {overlapping}"
        watch.clean()
    finally:
        ctx.close()
