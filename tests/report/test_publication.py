"""The published report: the demo's 1401 in English and Persian, as HTML and as PDF.

The PDF tests read the PDFs back with poppler's ``pdftotext`` and render a page with ``pdftoppm``
(Debian's poppler-utils, installed by .ci/run); they are skipped where WeasyPrint (the ``pdf``
extra) or poppler is missing.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from eventledger.aggregate.periods import parse_period
from eventledger.cli import cli
from eventledger.report import publication
from eventledger.report.messages import catalog
from eventledger.report.statement import fa_number
from eventledger.store import queries
from eventledger.store.db import Store
from eventledger.store.queries import EventFilter
from eventledger.store.schema import events

TEMPLATES = Path(publication.__file__).parent / "templates"
NOW = dt.datetime(2026, 12, 3, 8, 30, tzinfo=dt.UTC)

needs_pdf = pytest.mark.skipif(
    not publication.pdf_available(), reason="WeasyPrint (the pdf extra) is not installed"
)
needs_poppler = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdftotext", "pdftoppm", "pdffonts")),
    reason="poppler-utils (pdftotext, pdftoppm, pdffonts) is not installed",
)


@pytest.fixture(scope="module")
def store(demo_db: Path) -> Store:
    return Store.open(demo_db)


def _report(store: Store, codebook: Any, lang: str, **kw: Any) -> str:
    with store.connect() as conn:
        return publication.build_report(
            conn, EventFilter(period=parse_period("1401")), codebook, lang, now=NOW, **kw
        )


@pytest.fixture(scope="module")
def html(store: Store, codebook: Any) -> dict[str, str]:
    return {lang: _report(store, codebook, lang) for lang in ("en", "fa")}


@pytest.fixture(scope="module")
def tally(store: Store, codebook: Any) -> dict[str, Any]:
    with store.connect() as conn:
        return queries.tally(conn, EventFilter(period=parse_period("1401")), [], codebook.category_ids())


@pytest.fixture(scope="module")
def counted_ids(store: Store) -> list[int]:
    flt = EventFilter(period=parse_period("1401"))
    with store.connect() as conn:
        return list(conn.execute(flt.apply(select(events.c.id)).order_by(events.c.id)).scalars())


# --- the HTML ------------------------------------------------------------------------------------------
def test_the_html_is_one_self_contained_file(html, store, counted_ids):
    with store.connect() as conn:
        sources = queries.sources_of(conn, counted_ids)
    urls = {s["url"] for items in sources.values() for s in items if s["url"]}
    for lang, page in html.items():
        assert not re.search(r"<(?:script|link|img|iframe|object)\b", page), lang
        assert not re.search(r"\bsrc=", page), lang
        assert "@font-face" in page and "url('data:font/woff2;base64," in page
        found = set(re.findall(r"https?://[^\s\"'<>]+", page))
        assert found, "the events' source addresses are listed"
        assert found <= urls, (
            f"{lang}: addresses that are not the events' sources: {sorted(found - urls)[:3]}"
        )


def test_the_appendix_lists_every_event_counted_in_1401(html, counted_ids, tally):
    assert len(counted_ids) == tally["total"] == 184
    for lang, page in html.items():
        listed = [int(x) for x in re.findall(r'<tr data-event="(\d+)">', page)]
        assert sorted(listed) == counted_ids, lang
        assert len(listed) == len(set(listed))
    # ordered by date; the Persian appendix writes ids in Persian digits
    assert f'<td class="n">{fa_number(str(counted_ids[0]))}</td>' in html["fa"]


def test_the_appendix_is_bounded_with_the_command_that_lists_the_rest(store, codebook):
    page = _report(store, codebook, "en", appendix_limit=10)
    assert len(re.findall(r"<tr data-event=", page)) == 10
    assert "The first 10 of the 184 events are listed" in page
    assert "eventledger events --period 1401 --calendar jalali --format csv" in page


def test_figures_tables_and_both_calendars(html, tally):
    en, fa = html["en"], html["fa"]
    assert f'data-figure="total">{tally["total"]}<' in en
    assert f'data-figure="total">{fa_number(tally["total"])}<' in fa
    for cat, n in tally["by_category"].items():
        assert f'data-figure="{cat}">{n:,}<' in en
        assert f'data-figure="{cat}">{fa_number(n)}<' in fa
    assert '<html lang="fa" dir="rtl">' in fa and '<html lang="en" dir="ltr">' in en
    # months in the period's calendar with the other one alongside
    assert "Farvardin 1401" in en and "21 Mar – 20 Apr 2022" in en
    assert "فروردین ۱۴۰۱" in fa and "۲۱ مارس تا ۲۰ آوریل ۲۰۲۲" in fa
    # provinces by ISO code with their names in the report's language; abroad by country
    assert re.search(r'<span class="code">IR-23</span></td><td>Tehran</td>', en)
    assert re.search(r'<span class="code">IR-23</span></td><td>تهران</td>', fa)
    assert re.search(r'<span class="code">FR</span></td><td>فرانسه</td>', fa)
    # the method: codebook, coders, claim statuses; the reproducibility box
    assert "political-action@" in en and "rules/" in en
    assert catalog("en")["help_corroborated"] in en and catalog("fa")["help_corroborated"] in fa
    assert "eventledger tally --period 1401 --calendar jalali --by subtype" in en
    assert re.search(r"sha256:[0-9a-f]{64}", en)
    assert "live 2026-12-03T08:30:00Z" in en
    # the month chart and the province map, drawn with the dashboard's macros
    assert '<svg class="chart"' in en and '<svg class="map"' in en
    assert en.count('<g data-province="IR-') == 31


def test_persian_dates_put_the_solar_hijri_day_first(html):
    rows = re.findall(
        r'<tr data-event="\d+">\s*<td class="n">[^<]*</td>\s*<td><bdi>([^<]*)</bdi>', html["fa"]
    )
    assert rows and all(re.fullmatch(r"[۰-۹]{1,2} \S+ ۱۴۰[۰-۲]", d) for d in rows), rows[:3]
    rows_en = re.findall(
        r'<tr data-event="\d+">\s*<td class="n">[^<]*</td>\s*<td><bdi>([^<]*)</bdi>', html["en"]
    )
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} 202[23]", d) for d in rows_en), rows_en[:3]


def test_the_checksum_follows_the_counted_events(store):
    flt = EventFilter(period=parse_period("1401"))
    with store.connect() as conn:
        whole, n = publication.dataset_checksum(conn, flt)
        part, m = publication.dataset_checksum(conn, EventFilter(period=parse_period("1401-12")))
    assert n == 184 and 0 < m < n and whole != part and re.fullmatch(r"[0-9a-f]{64}", whole)
    assert publication.live_version(NOW) == "live 2026-12-03T08:30:00Z"


def test_a_release_name_goes_into_the_reproducibility_box(store, codebook):
    page = _report(store, codebook, "en", release="2026-q4", appendix_limit=0)
    assert "release 2026-q4" in page and "live 2026" not in page


def test_the_report_templates_write_no_word_outside_the_catalog():
    keys: set[str] = set()
    for p in sorted(TEMPLATES.glob("*.html")):
        text = re.sub(r"\{#.*?#\}", " ", p.read_text("utf-8"), flags=re.S)
        keys |= set(re.findall(r"\bt\('([a-z_]+)'[,)]", text))
        keys |= {
            f"{prefix}{s}" for prefix in re.findall(r"\bt\('([a-z_]+_)' ~", text) for s in _SUFFIXES[prefix]
        }
        s = re.sub(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}|<style>.*?</style>", " ", text, flags=re.S)
        words = re.findall(r"[A-Za-z][A-Za-z' ,.:;!?-]*", re.sub(r"<[^>]*>", " ", s))
        stripped = (w.strip(" .,:;·—-") for w in words)
        bad = [
            w for w in stripped if w not in ("eventledger", "sha") and not re.fullmatch(r"[A-Za-z]{0,2}", w)
        ]
        assert bad == [], f"{p.name}: English outside t('key'): {bad}"
    assert keys - set(catalog("en")) == set()
    # every key in Persian (tests/web/test_i18n.py checks the catalog has every Persian text)
    assert sorted(k for k in keys if catalog("fa")[k] == catalog("en")[k]) == []


# the values the templates add to a key prefix: t('help_' ~ s), t('stance_' ~ s), t('report_stance_' ~ s)
_STANCES = ("actor", "state", "independent", "unknown")
_SUFFIXES = {"help_": queries.CLAIM_STATUSES, "stance_": _STANCES, "report_stance_": _STANCES}


# --- the CLI ----------------------------------------------------------------------------------------------
def test_the_cli_writes_the_html_report_by_its_default_name(demo_db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(
        cli, ["--db", str(demo_db), "report", "--period", "1401", "--lang", "fa", "--format", "html"]
    )
    assert res.exit_code == 0, res.output
    out = tmp_path / "report-1401-fa.html"
    assert out.is_file() and not list(tmp_path.glob("*.part"))
    assert 'dir="rtl"' in out.read_text("utf-8")
    res = CliRunner().invoke(
        cli,
        ["--db", str(demo_db), "report", "--period", "1401", "--format", "html", "--category", "protest",
         "--appendix-limit", "3", "--out", str(tmp_path / "protest.html")],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    page = (tmp_path / "protest.html").read_text("utf-8")
    assert len(re.findall(r"<tr data-event=", page)) == 3 and "--category protest" in page


def test_the_cli_names_the_extra_when_weasyprint_is_missing(demo_db, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint → ImportError
    res = CliRunner().invoke(
        cli, ["--db", str(demo_db), "report", "--period", "1401", "--out", str(tmp_path / "r.pdf")]
    )
    assert res.exit_code == 2
    assert "pip install 'eventledger[pdf]'" in res.output
    assert not (tmp_path / "r.pdf").exists()


def test_a_misspelled_filter_is_an_error_not_an_empty_report(demo_db, tmp_path):
    res = CliRunner().invoke(
        cli, ["--db", str(demo_db), "report", "--period", "1401", "--format", "html", "--province", "Atlantis",
              "--out", str(tmp_path / "r.html")],
    )  # fmt: skip
    assert res.exit_code == 2 and "unknown province" in res.output


# --- the PDF ------------------------------------------------------------------------------------------------
_BIDI = dict.fromkeys(
    map(ord, "\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def _text(pdf: Path) -> str:
    """The PDF's text as poppler reads it, in NFKC with direction marks and joiners removed (pdftotext
    writes right-to-left runs between embedding marks, and drops the ZWNJ)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    return unicodedata.normalize("NFKC", out.stdout.decode("utf-8")).translate(_BIDI)


def _norm(s: str) -> str:
    return unicodedata.normalize("NFKC", s).translate(_BIDI)


@pytest.fixture(scope="module")
def pdfs(html, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf")
    out = {}
    for lang, page in html.items():
        out[lang] = folder / f"report-{lang}.pdf"
        out[lang].write_bytes(publication.to_pdf(page))
    return out


@needs_pdf
@needs_poppler
def test_the_english_pdf_holds_the_figures(pdfs, tally):
    text = _text(pdfs["en"])
    assert "Events report, 1401" in text
    assert f"{tally['total']}\nevents in 1401" in text or f"{tally['total']} events" in text
    for cat, n in tally["by_category"].items():
        assert re.search(rf"(?<![\d,]){n:,}(?![\d,])", text), cat
    assert "Appendix: the events counted" in text and "Reproducibility" in text


@needs_pdf
@needs_poppler
def test_the_persian_pdf_holds_shaped_persian_words_and_persian_digits(pdfs, tally):
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdfs["fa"]), "-"], capture_output=True).stdout
    text = _text(pdfs["fa"])
    for word in ("رویداد", "گزارش رویدادها", "به تفکیک استان", "اقدامات تبلیغاتی", "فروردین", "تهران"):
        assert _norm(word) in text, word
    assert fa_number(tally["total"]) in text
    for cat, n in tally["by_category"].items():
        assert re.search(rf"(?<![۰-۹٬]){fa_number(n)}(?![۰-۹٬])", text), cat
    assert not re.search(r"(?<![\w.:/-])184(?![\w.-])", text), "the total in Latin digits"
    # real text, shaped by the renderer: logical letters come back (never presentation forms, as a
    # text "pre-shaped" for a renderer that cannot join would give), nothing unmapped
    raw_text = raw.decode("utf-8")
    assert "\ufffd" not in raw_text and not re.search("[\ufb50-\ufdff\ufe70-\ufeff]", raw_text)
    # the font is the vendored Vazirmatn, embedded (subset)
    fonts = subprocess.run(["pdffonts", str(pdfs["fa"])], capture_output=True, text=True, check=True).stdout
    assert re.search(r"\+Vazirmatn\S*\s+CID TrueType\s+Identity-H\s+yes\s+yes", fonts), fonts


@needs_pdf
@needs_poppler
def test_a_page_renders_to_a_png_that_is_not_blank(pdfs, tmp_path):
    from PIL import Image, ImageStat

    for lang, pdf in pdfs.items():
        stem = tmp_path / lang
        subprocess.run(
            ["pdftoppm", "-r", "40", "-png", "-f", "3", "-l", "3", str(pdf), str(stem)], check=True
        )
        (png,) = tmp_path.glob(f"{lang}-*.png")
        with Image.open(png) as im:
            gray = im.convert("L")
            assert gray.size[0] > 200 and gray.size[1] > 300
            stat = ImageStat.Stat(gray)
            assert stat.stddev[0] > 20, f"{lang}: page 3 is nearly blank"
            colours = im.convert("RGB").getcolors(maxcolors=1 << 16) or []
            assert len(colours) > 50, "the chart's colours are drawn"


# --- a release's report ---------------------------------------------------------------------------------------
def rows(page: str) -> list[str]:
    """The ids of the appendix's events."""
    return re.findall(r'<tr data-event="(\d+)"', page)


def test_a_release_report_is_the_same_file_whenever_made_and_ignores_later_changes(demo_db, tmp_path):
    db = tmp_path / "r.db"
    shutil.copy(demo_db, db)

    def run(*args: str) -> str:
        res = CliRunner().invoke(cli, ["--db", str(db), *args])
        assert res.exit_code == 0, res.output
        return res.output

    run("release", "create", "r1401", "--period", "1401")
    fmts = ("html", "pdf") if publication.pdf_available() else ("html",)
    made: dict[str, list[bytes]] = {f: [] for f in fmts}
    for i in range(2):
        for fmt in fmts:
            out = tmp_path / f"r{i}.{fmt}"
            run(
                "report",
                "--period",
                "1401",
                "--release",
                "r1401",
                "--format",
                fmt,
                "--lang",
                "fa",
                "--out",
                str(out),
            )
            made[fmt].append(out.read_bytes())
    for fmt, (first, second) in made.items():
        assert first == second, f"the {fmt} of a release changed when made again"
    live = tmp_path / "live.html"
    run("report", "--period", "1401", "--format", "html", "--out", str(live))
    frozen = tmp_path / "frozen.html"
    run("report", "--period", "1401", "--release", "r1401", "--format", "html", "--out", str(frozen))
    page = frozen.read_text("utf-8")
    assert "--release r1401" in page and "release r1401" in page
    # the same events as the live store when the release was made: the same appendix rows
    assert rows(page) == rows(live.read_text("utf-8")) and rows(page)
    # a coder rejects an event afterwards: the live report loses it, the release's keeps it
    store = Store.open(db)
    with store.begin() as conn:
        gone = int(rows(page)[0])
        conn.execute(events.update().where(events.c.id == gone).values(review_status="rejected"))
    store.close()
    run("report", "--period", "1401", "--format", "html", "--out", str(live))
    run("report", "--period", "1401", "--release", "r1401", "--format", "html", "--out", str(frozen))
    assert str(gone) not in rows(live.read_text("utf-8")) and str(gone) in rows(frozen.read_text("utf-8"))
