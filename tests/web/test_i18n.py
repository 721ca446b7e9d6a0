"""Every word of the interface in both languages: no English left on a Persian page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from eventledger.accounts import ROLES
from eventledger.admin import ADMIN_ACTIONS
from eventledger.outlets import STANCES
from eventledger.records import DatePrecision, PlacePrecision
from eventledger.web.admin import SECTIONS
from eventledger.web.i18n import MESSAGES
from tests.web.conftest import sign_in

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "eventledger" / "web" / "templates"


LOCALE = Path(__file__).resolve().parents[2] / "src" / "eventledger" / "data" / "locale"
WEB = TEMPLATES.parent
# words that stay as they are in every language (names of things, formats)
LITERAL_OK = {
    "English",  # a language named in itself, as «فارسی»
    "CITATION.cff",  # a file name
    "eventledger",
    "API",
    "JSON",
    "GeoNames",
    "CC BY",
    "OpenAPI",
    "UTC",
    "CSV",
    "run",
    "eventledger API",
    "cc:FR",
}  # place codes in a placeholder


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, abort_invalid=True)


def _used_keys() -> set[str]:
    """Every message key the templates and the web code ask for."""
    keys = {
        k for p in TEMPLATES.glob("*.html") for k in re.findall(r"\bt\('([a-z_]+)'[,)]", p.read_text("utf-8"))
    }
    for p in WEB.glob("*.py"):
        keys |= set(re.findall(r"\bt\((?:lang|viewer\.lang|v\.lang), \"([a-z_]+)\"", p.read_text("utf-8")))
    keys |= {f"precision_{v}" for v in (*get_args(DatePrecision), *get_args(PlacePrecision))}
    # keys the templates build from a value: t('stance_' ~ s), t('role_' ~ r), t('audit_' ~ action)
    keys |= (
        {f"stance_{s}" for s in STANCES}
        | {f"role_{r}" for r in ROLES}
        | {"origin_file", "origin_web", "field_title", "field_text"}
    )
    keys |= {"audit_" + a.replace("-", "_") for a in ADMIN_ACTIONS} | {f"admin_{s}" for s in SECTIONS}
    return keys


def test_every_message_key_of_the_templates_has_a_persian_text():
    keys = _used_keys()
    assert keys - set(MESSAGES["en"]) == set()
    missing = sorted(k for k in keys if not MESSAGES["fa"].get(k))
    assert missing == []


def test_the_persian_catalog_translates_every_message_of_the_template():
    template = {m.context: m for m in _read(LOCALE / "eventledger.pot") if m.id}
    persian = {m.context: m for m in _read(LOCALE / "fa" / "LC_MESSAGES" / "eventledger.po") if m.id}
    assert all(template), "every message has a key (msgctxt)"
    assert set(template) == set(persian), "pybabel update keeps the .po in step with the .pot"
    for key, m in persian.items():
        assert m.id == template[key].id, f"{key}: the English text differs from the template's"
        assert m.string and not m.fuzzy, f"{key}: no Persian text (or fuzzy)"
        assert set(re.findall(r"{\w+}", str(m.string))) == set(re.findall(r"{\w+}", str(m.id))), key
        if key == "language":
            continue  # the switch to the other language says its name: "English"
        # names of things stay as they are: «quoted» commands and fields, identifiers (article:published_time)
        assert not re.search(
            r"[A-Za-z]{4,}",
            re.sub(r"{\w+}|«[^»]*»|\S*[_:]\S*|OpenStreetMap|ODbL|JSON|ACLED|HTML", "", str(m.string)),
        ), f"{key}: Latin words left in the Persian text: {m.string!r}"


def test_no_template_writes_english_outside_the_catalog():
    found: dict[str, list[str]] = {}
    for p in sorted(TEMPLATES.glob("*.html")):
        s = re.sub(
            r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}|<script.*?</script>", " ", p.read_text("utf-8"), flags=re.S
        )
        attrs = re.findall(r'(?:title|placeholder|aria-label|alt)="([^"]*)"', s)
        text = re.sub(r"<[^>]*>", " ", s)
        words = [
            w.strip(" .,:;·—-")
            for w in re.findall(r"[A-Za-z][A-Za-z' ,.:;!?-]*", text + " " + " ".join(attrs))
        ]
        bad = [w for w in words if w and w not in LITERAL_OK and not re.fullmatch(r"[A-Za-z]{1,2}", w)]
        if bad:
            found[p.name] = bad
    assert found == {}, f"English written in a template instead of t('key'): {found}"


def test_the_persian_event_page_says_precisions_in_persian(client):
    sign_in(client, "vic")
    client.post("/lang", data={"lang": "fa", "csrf_token": sign_in(client, "vic")}, follow_redirects=False)
    html = client.get("/events/1", headers={"Cookie": "eventledger_lang=fa"}).text
    assert 'dir="rtl"' in html  # the Persian interface
    assert "(relative)" not in html and "(publication)" not in html and "(day)" not in html
    assert re.search(r"\((?:روز دقیق|روز نسبی|روز انتشار)", html)


def test_dates_and_places_are_isolated_and_persian_on_a_persian_page(client):
    sign_in(client, "adm")  # reads Persian
    html = client.get("/events/1").text
    date_cell = re.search(r'data-testid="event-date">(.*?)</td>', html, re.S).group(1)
    # the day, month and year in their order whatever surrounds them: «۱۸ فروردین ۱۴۰۱» in a <bdi>
    assert re.match(r"<bdi>[۰-۹]{1,2} \S+ [۰-۹]{4}</bdi>", date_cell), date_cell
    place_cell = re.search(r'data-testid="event-place">(.*?)</td>', html, re.S).group(1)
    assert place_cell.startswith("<bdi>") and not re.search(r"IR-\d\d", place_cell)
    rows = client.get("/events").text
    assert not re.search(
        r'<span class="muted small nowrap">IR-\d\d</span>', rows
    )  # province names, not codes


def test_an_english_page_isolates_the_solar_hijri_date(client):
    sign_in(client, "ana")
    html = client.get("/events/1").text
    date_cell = re.search(r'data-testid="event-date">(.*?)</td>', html, re.S).group(1)
    assert re.match(r"<bdi>\d{1,2} \w{3} \d{4} · \d{1,2} \w+ \d{4}</bdi>", date_cell), date_cell


def test_every_message_of_the_cli_has_a_persian_text():
    from eventledger.store.queries import BREAKDOWNS

    src = TEMPLATES.parents[1]
    keys: set[str] = set()
    for p in (src / "cli.py", *sorted((src / "report").glob("*.py"))):
        keys |= set(re.findall(r"\"(cli_[a-z_]+)\"", p.read_text("utf-8")))
    keys |= {f"cli_by_{b}" for b in BREAKDOWNS} | set(BREAKDOWNS) - {"claim_status"}
    assert keys - set(MESSAGES["en"]) == set()
    assert sorted(k for k in keys if MESSAGES["fa"][k] == MESSAGES["en"][k]) == []
