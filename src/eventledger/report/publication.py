"""The published report of a period, in English or Persian: one self-contained HTML file, or a PDF
rendered from that same HTML (WeasyPrint, the optional ``pdf`` extra).

What it holds: a title page with the contents; the statement (:func:`~eventledger.report.statement.
statement`); the headline figures; tables by category and subtype, by month (in the period's
calendar, the other calendar alongside), by province (ISO 3166-2 code and name in the report's
language), abroad by country, by claim status and by outlet; the month chart and the province map
(the dashboard's drawing: :mod:`eventledger.report.charts` and ``templates/_charts.html``); the
method (unit of count, codebook and its categories, coders and models, outlets and stances, what
"claimed / reported / corroborated" mean); an appendix of the events counted; and a
reproducibility box (the ``tally`` command, the dataset version and a checksum).

Every word comes from the gettext catalogs (:func:`~eventledger.report.messages.message`); Persian
is right to left, with Persian digits and Solar Hijri dates first. The Vazirmatn font the web app
ships is embedded as a ``data:`` URI, so the HTML needs no network and no installed font, and the
PDF renderer may fetch nothing but ``data:`` URIs.

The appendix lists at most ``appendix_limit`` events (by date, then id); beyond that it says how
many are left out and gives the ``events`` command that lists them all, so that a report of a
million events stays a report (and renders in bounded time and memory).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import importlib.util
import math
import os
import re
import shlex
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from sqlalchemy import Connection, func, select

from eventledger.aggregate.periods import (
    GREGORIAN_MONTHS_EN,
    GREGORIAN_MONTHS_FA,
    JALALI_MONTHS_EN,
    JALALI_MONTHS_FA,
    Period,
    from_jalali,
    jalali_month_length,
    month_label,
    to_jalali,
)
from eventledger.errors import ConfigError, NotFoundError
from eventledger.extract.codebook import DEFAULT_CODEBOOK, Codebook
from eventledger.geocode.gazetteer import Gazetteer, default_gazetteer
from eventledger.report import charts
from eventledger.report.messages import LANGS, message, number
from eventledger.report.statement import (
    actor_name,
    fa_number,
    jalali_date,
    period_phrase,
    reproduce_command,
    statement,
)
from eventledger.shipped import shipped_path
from eventledger.sources.urls import safe_url
from eventledger.store import queries
from eventledger.store.queries import FILTER_FIELDS, EventFilter
from eventledger.store.schema import events, mentions, outlets
from eventledger.store.validate import check_filter
from eventledger.version import __version__

FORMATS = ("pdf", "html")
PDF_EXTRA = "pdf"
# the appendix lists this many events at most (the rest: a note and the command that lists them)
DEFAULT_APPENDIX_LIMIT = 1000
URLS_PER_EVENT = 10  # an event's report addresses listed in the appendix, at most
# the tally behind every figure (and the command in the reproducibility box)
REPORT_BREAKDOWNS = ("subtype", "month", "province", "claim_status", "outlet")
_CHECKSUM_FIELDS = ("id", "category", "subtype", "date", "place_key", "claim_status", "review_status")


# --- what goes in ------------------------------------------------------------------------------------
def filter_values(flt: EventFilter) -> dict[str, str | None]:
    """The filter's values by field name (what the statement and the commands take)."""
    return {f.name: getattr(flt, f.name) for f in FILTER_FIELDS}


def _command(name: str, flt: EventFilter, *extra: str) -> str:
    p = flt.period
    assert p is not None
    parts = ["eventledger", name, "--period", p.label, "--calendar", p.calendar, *extra]
    if flt.codebook != DEFAULT_CODEBOOK:  # another codebook's events
        parts += ["--codebook", flt.codebook]
    for f in FILTER_FIELDS:
        value = getattr(flt, f.name)
        if value:
            parts += [f.option, str(value)]
    return " ".join(shlex.quote(x) for x in parts)


def report_command(
    flt: EventFilter, lang: str, appendix_limit: int = DEFAULT_APPENDIX_LIMIT, release: str | None = None
) -> str:
    """The ``eventledger report`` command that makes this report again (as a PDF; ``--format html``
    gives the same document as one HTML file)."""
    limit = ("--appendix-limit", str(appendix_limit)) if appendix_limit != DEFAULT_APPENDIX_LIMIT else ()
    frozen = ("--release", release) if release else ()
    return _command("report", flt, "--lang", lang, *frozen, *limit)


def list_command(flt: EventFilter, release: str | None = None) -> str:
    """The command that lists every event of the report (the appendix's complement when it is cut)."""
    if release:
        return _command("export", flt, "--release", release, "--format", "csv", "--out", "-")
    return _command("events", flt, "--format", "csv")


def dataset_checksum(conn: Connection, flt: EventFilter) -> tuple[str, int]:
    """sha256 over the counted events' id, category, subtype, date, place, claim and review status
    (one tab-separated line each, in id order), and how many events it covers. Streamed."""
    h = hashlib.sha256()
    n = 0
    cols = [events.c[name] for name in _CHECKSUM_FIELDS]
    stmt = flt.apply(select(*cols)).order_by(events.c.id).execution_options(yield_per=20000)
    for row in conn.execute(stmt):
        h.update(("\t".join(_plain(v) for v in row) + "\n").encode("utf-8"))
        n += 1
    return h.hexdigest(), n


def _plain(v: Any) -> str:
    if isinstance(v, dt.date):
        return v.isoformat()
    return "" if v is None else str(v)


def live_version(now: dt.datetime) -> str:
    """The dataset version of a report made from the live store: ``live <UTC time>``."""
    return f"live {now.astimezone(dt.UTC):%Y-%m-%dT%H:%M:%SZ}"


# --- words and numbers ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Words:
    """Numbers, dates and names in the report's language."""

    lang: str
    codebook: Codebook
    gazetteer: Gazetteer
    calendar: str

    def t(self, key: str, **kw: Any) -> str:
        return message(self.lang, key, **kw)

    def num(self, n: int | float | None) -> str:
        return number(n, self.lang)

    def digits(self, s: str | int) -> str:
        return fa_number(str(s)) if self.lang == "fa" else str(s)

    def pct(self, n: int, total: int) -> str:
        if not total:
            return "—"
        s = f"{100 * n / total:.1f}"
        return fa_number(s.replace(".", "٫")) + "٪" if self.lang == "fa" else s + "%"

    def label(self, key: str) -> str:
        return str(self.codebook.label(key, self.lang))

    def month_label(self, key: str) -> str:
        return self.digits(month_label(key, self.calendar, self.lang))

    def short_month(self, key: str) -> str:
        name = month_label(key, self.calendar, self.lang).rsplit(" ", 1)[0]
        return name if self.lang == "fa" else name[:3]

    def day(self, d: dt.date, calendar: str, *, year: bool = True) -> str:
        """A day in one calendar: «۲۸ بهمن ۱۴۰۱», "17 Feb 2023"."""
        names: Sequence[str]
        if calendar == "jalali":
            y, m, dd = to_jalali(d)
            names = JALALI_MONTHS_FA if self.lang == "fa" else JALALI_MONTHS_EN
        else:
            y, m, dd = d.year, d.month, d.day
            names = GREGORIAN_MONTHS_FA if self.lang == "fa" else tuple(x[:3] for x in GREGORIAN_MONTHS_EN)
        return self.digits(f"{dd} {names[m - 1]}" + (f" {y}" if year else ""))

    def span(self, start: dt.date, end: dt.date, calendar: str) -> str:
        """Two days in one calendar, the year once when both share it."""
        same_year = (
            (to_jalali(start)[0] == to_jalali(end)[0]) if calendar == "jalali" else start.year == end.year
        )
        head = self.day(start, calendar, year=not same_year)
        joiner = " تا " if self.lang == "fa" else " – "
        return head + joiner + self.day(end, calendar)

    def both_days(self, d: dt.date) -> tuple[str, str]:
        """(first, second) dates: Solar Hijri first in Persian, Gregorian first in English."""
        if self.lang == "fa":
            return jalali_date(d, "fa"), self.day(d, "gregorian")
        return self.day(d, "gregorian"), jalali_date(d, "en")

    def province(self, iso: str) -> str:
        try:
            place = self.gazetteer.province(iso)
        except NotFoundError:
            return iso
        return str((place.name_fa or place.name) if self.lang == "fa" else place.name)

    def country(self, code: str) -> str:
        try:
            place = self.gazetteer.country(code)
        except NotFoundError:
            return code
        return str((place.name_fa or place.name) if self.lang == "fa" else place.name)

    def area(self, code: str) -> str:
        """A breakdown's area key in words: a province, a country, Iran with no province, no place."""
        if code == "unknown":
            return self.t("place_not_given")
        if code == "IR":
            return f"{self.country('IR')} ({self.t('province_unknown')})"
        return self.province(code) if "-" in code else self.country(code)

    def actor(self, actor_id: str) -> str:
        return actor_name(actor_id, self.lang, self.codebook)


# --- the figures ---------------------------------------------------------------------------------------
def _month_span(key: str, calendar: str, period: Period) -> tuple[dt.date, dt.date]:
    y, m = (int(x) for x in key.split("-"))
    if calendar == "jalali":
        start, end = from_jalali(y, m, 1), from_jalali(y, m, jalali_month_length(y, m))
    else:
        start = dt.date(y, m, 1)
        end = (dt.date(y + (m == 12), m % 12 + 1, 1)) - dt.timedelta(days=1)
    return max(start, period.start), min(end, period.end)


def _months_by_category(
    conn: Connection, flt: EventFilter, categories: Sequence[str], by_month: Mapping[str, int]
) -> dict[str, dict[str, int]]:
    """{month: {category: n}}, from one month breakdown per category (the daily tables answer them)."""
    months: dict[str, dict[str, int]] = {m: {} for m in by_month}
    if flt.category:
        for m, n in by_month.items():
            if n:
                months[m][flt.category] = n
        return months
    for cat in categories:
        t = queries.tally(conn, replace(flt, category=cat), ["month"])
        for m, n in t["by_month"].items():
            if n:
                months.setdefault(m, {})[cat] = int(n)
    return months


def _codings(conn: Connection, flt: EventFilter) -> list[tuple[str, str, str | None, int]]:
    """(coder, codebook, model version, mentions) behind the counted events."""
    keys = [mentions.c.coder, mentions.c.codebook, mentions.c.model_version]
    stmt = flt.apply(
        select(*keys, func.count())
        .select_from(mentions.join(events, events.c.id == mentions.c.event_id))
        .where(mentions.c.review_status.not_in(("rejected", "superseded")))
        .group_by(*keys)
    )
    rows = [(str(c), str(b), m, int(n)) for c, b, m, n in conn.execute(stmt)]
    return sorted(rows, key=lambda r: (-r[3], r[0], r[1], r[2] or ""))


def _appendix(
    conn: Connection, flt: EventFilter, w: Words, limit: int, outlet_names: Callable[[str], str]
) -> list[dict[str, Any]]:
    """The first ``limit`` events by date, then id, as the appendix shows them."""
    if limit <= 0:
        return []
    rows = conn.execute(flt.apply(select(events)).order_by(events.c.date, events.c.id).limit(limit)).all()
    srcs = queries.sources_of(conn, [r.id for r in rows])
    out = []
    for r in rows:
        sources = srcs.get(r.id, [])
        names = list(dict.fromkeys(outlet_names(s["outlet"]) for s in sources if s["outlet"]))
        urls = list(dict.fromkeys(s["url"] for s in sources if s["url"]))
        first, second = w.both_days(r.date)
        out.append(
            {
                "id": w.digits(r.id),
                "raw_id": r.id,
                "date": first,
                "date_other": second,
                "precision": "" if r.date_precision == "day" else w.t(f"precision_{r.date_precision}"),
                "place": _place_text(r, w),
                "category": r.category,
                "subtype": w.label(r.subtype),
                "claim_status": r.claim_status,
                "outlets": names,
                "urls": [(u, safe_url(u)) for u in urls[:URLS_PER_EVENT]],
                "more_urls": max(0, len(urls) - URLS_PER_EVENT),
            }
        )
    return out


def _place_text(r: Any, w: Words) -> str:
    name = str((r.place_name_fa or r.place_name) if w.lang == "fa" else r.place_name or "")
    if r.place_precision == "province" and r.admin1:
        return w.province(r.admin1)
    if r.place_precision == "country" and r.country:
        return w.area("IR") if r.country == "IR" else w.country(r.country)
    if not name:
        return w.t("place_not_given")
    sep = "، " if w.lang == "fa" else ", "
    if r.admin1:
        return name + sep + w.province(r.admin1)
    if r.country and r.country != "IR":
        return name + sep + w.country(r.country)
    return name


def _places(by_area: Mapping[str, int], w: Words) -> dict[str, Any]:
    """The map, the 31 provinces (by count), Iran with no province, no place, and countries abroad."""
    provinces = w.gazetteer.provinces()
    rows: list[dict[str, Any]] = [
        {"code": pl.place_id, "name": w.province(pl.place_id), "n": int(by_area.get(pl.place_id, 0))}
        for pl in provinces
    ]
    rows.sort(key=lambda r: (-r["n"], r["code"]))
    iso = {pl.place_id for pl in provinces}
    abroad = [
        {"code": k, "name": w.country(k), "n": int(n)}
        for k, n in by_area.items()
        if k not in iso and k not in ("IR", "unknown")
    ]
    return {
        "pmap": charts.province_map({k: v for k, v in by_area.items() if k in iso}),
        "provinces": rows,
        "n_provinces": sum(1 for r in rows if r["n"]),
        "inside_unknown": int(by_area.get("IR", 0)),
        "unplaced": int(by_area.get("unknown", 0)),
        "abroad": abroad,
    }


def _outlet_namer(conn: Connection, lang: str) -> Callable[[str], str]:
    """An outlet's display name in ``lang`` (set on the admin's outlets page), else its name."""
    known = {
        r.name: (r.name_en, r.name_fa)
        for r in conn.execute(select(outlets.c.name, outlets.c.name_en, outlets.c.name_fa))
    }

    def name(outlet: str) -> str:
        en, fa = known.get(outlet, (None, None))
        return str((fa if lang == "fa" else en) or outlet)

    return name


def _outlets(
    conn: Connection, by_outlet: Mapping[str, int], name: Callable[[str], str]
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The outlets behind the counted events with their stance, and how many outlets of each stance."""
    stance_of = {str(o): str(s) for o, s in conn.execute(select(outlets.c.name, outlets.c.stance))}
    rows: list[dict[str, Any]] = []
    stances: dict[str, int] = {}
    for o, n in by_outlet.items():
        stance = stance_of.get(o) or "unknown"
        rows.append({"name": name(o), "stance": stance, "n": int(n)})
        stances[stance] = stances.get(stance, 0) + 1
    return rows, stances


def report_context(
    conn: Connection,
    flt: EventFilter,
    codebook: Codebook,
    lang: str = "en",
    *,
    appendix_limit: int = DEFAULT_APPENDIX_LIMIT,
    release: str | None = None,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """Everything the report's template shows, read from the store in a few queries."""
    if lang not in LANGS:
        raise ConfigError(f"language {lang!r} is not one of {', '.join(LANGS)}")
    if flt.period is None:
        raise ConfigError("a report needs a period (e.g. 1401)")
    gaz = default_gazetteer()
    flt = replace(check_filter(conn, flt, codebook, gaz), codebook=codebook.id)
    p = flt.period
    assert p is not None  # check_filter keeps the period
    now = now or dt.datetime.now(dt.UTC)
    w = Words(lang, codebook, gaz, p.calendar)
    cats = codebook.category_ids()
    t = queries.tally(conn, flt, REPORT_BREAKDOWNS, cats, list(codebook.subtypes))
    total = int(t["total"])
    order = [*cats, *(c for c in t["by_category"] if c not in cats)]
    shown_cats = [c for c in order if not flt.category or c == flt.category]

    # categories and their subtypes
    by_sub: dict[str, int] = t["by_subtype"]
    cat_rows = []
    for i, c in enumerate(order):
        if c not in shown_cats:
            continue
        subs = [s for s, st in codebook.subtypes.items() if st.category == c]
        cat_rows.append(
            {
                "id": c,
                "css": f"c{i % 8}",
                "n": int(t["by_category"].get(c, 0)),
                "subtypes": [(s, int(by_sub.get(s, 0))) for s in subs if not flt.subtype or s == flt.subtype],
            }
        )

    # months, with the other calendar alongside
    other = "gregorian" if p.calendar == "jalali" else "jalali"
    months_cat = _months_by_category(conn, flt, shown_cats, t["by_month"])
    month_rows = [
        {"key": m, "other": w.span(*_month_span(m, p.calendar, p), other), "cats": cs, "n": sum(cs.values())}
        for m, cs in months_cat.items()
    ]
    chart = charts.month_chart(months_cat, order, rtl=lang == "fa")
    step = max(1, math.ceil(len(chart.bars) / 24))  # a month name under every bar up to 24 bars
    # in the bars' order: a Persian page's row runs right to left, as its bars do
    axis = [w.short_month(b.month) if i % step == 0 else "" for i, b in enumerate(chart.bars)]

    places = _places(t["by_province"], w)
    outlet_name = _outlet_namer(conn, lang)
    outlet_rows, stances = _outlets(conn, t["by_outlet"], outlet_name)

    checksum, hashed = dataset_checksum(conn, flt)
    values = filter_values(flt)
    scope = []
    for f in FILTER_FIELDS:
        value = getattr(flt, f.name)
        if value:
            scope.append((w.t(f.param if f.param != "q" else "search"), _filter_value(f.name, str(value), w)))
    appendix = _appendix(conn, flt, w, appendix_limit, outlet_name)
    return {
        "lang": lang,
        "dir": "rtl" if lang == "fa" else "ltr",
        "w": w,
        "t": w.t,
        "num": w.num,
        "digits": w.digits,
        "pct": lambda n: w.pct(n, total),
        "label": w.label,
        "month_label": w.month_label,
        "short_month": w.short_month,
        "version": __version__,
        "period": p,
        "period_label": w.digits(p.label),
        "period_phrase": period_phrase(p, lang),
        "other_calendar": other,
        "codebook": codebook,
        "codebook_title": codebook.title.get(lang) or codebook.title.get("en") or codebook.id,
        "scope": scope,
        "made": w.both_days(now.astimezone(dt.UTC).date()),
        "made_time": w.digits(f"{now.astimezone(dt.UTC):%H:%M}"),
        "statement": statement(t, p, codebook, lang, values),
        "total": total,
        "tally": t,
        "categories": cat_rows,
        "months": month_rows,
        "chart": chart,
        "month_axis": axis,
        # the month names' row: under the bars, lifted into the chart's empty bottom band (a margin
        # in % is a share of the width, as the SVG's units are)
        "axis_pad": (100 * chart.left / chart.width, 100 * (chart.width - chart.right) / chart.width),
        "axis_lift": 100 * (chart.height - chart.base - 4) / chart.width,
        **places,
        "claims": [(s, int(t["by_claim_status"].get(s, 0))) for s in queries.CLAIM_STATUSES],
        "outlets": outlet_rows,
        "stances": stances,
        "codings": _codings(conn, flt),
        "appendix": appendix,
        "appendix_left_out": max(0, total - len(appendix)),
        "list_command": list_command(flt, release),
        "tally_command": reproduce_command(p, values, by=REPORT_BREAKDOWNS, codebook=codebook.id),
        "report_command": report_command(flt, lang, appendix_limit, release),
        "dataset_version": live_version(now) if release is None else release,
        "live_time": w.digits(f"{now.astimezone(dt.UTC):%Y-%m-%d %H:%M}"),
        "release": release,
        "checksum": checksum,
        "checksum_events": hashed,
        "checksum_fields": ", ".join(_CHECKSUM_FIELDS),
        "palette_css": Markup(_palette_css()),
        "chart_style": Markup(_svg_style("chart")),
        "map_style": Markup(_svg_style("map")),
        "font_face": Markup(font_face_css()),
    }


def _filter_value(name: str, value: str, w: Words) -> str:
    if name in ("category", "subtype"):
        return w.label(value)
    if name == "province":
        return w.t("province_unknown") if value == "none" else w.province(value)
    if name == "country":
        return w.country(value)
    if name in ("claim_status", "review_status"):
        return w.t(value)
    if name == "actor":
        return w.actor(value)
    return value


# --- the page -------------------------------------------------------------------------------------------------
@functools.cache
def font_face_css() -> str:
    """``@font-face`` for Vazirmatn (the web app's variable font, weights 100–900) as a data: URI."""
    data = shipped_path("web", "static", "vendor", "vazirmatn", "Vazirmatn-Variable.woff2").read_bytes()
    uri = "data:font/woff2;base64," + base64.b64encode(data).decode("ascii")
    return (
        "@font-face { font-family: 'Vazirmatn'; font-style: normal; font-weight: 100 900; "
        f"src: url('{uri}') format('woff2'); }}"
    )


def _palette_css() -> str:
    pal = charts.palette()
    swatches = " ".join(f".sw.{k} {{ background-color: {v}; }}" for k, v in pal.items())
    tiles = " ".join(f".tile.{k} {{ border-top-color: {v}; }}" for k, v in pal.items() if k.startswith("c"))
    return f"{swatches} {tiles}"


def _svg_style(kind: str) -> str:
    """The SVG's own style: colours written out (a PDF renderer applies neither the page's stylesheet
    nor ``var()`` inside an SVG). Selectors are scoped, since a browser applies them to the page."""
    pal = charts.palette()
    if kind == "chart":
        fills = " ".join(f".chart .{k} {{ fill: {v}; }}" for k, v in pal.items() if k.startswith("c"))
        return (
            f".chart .axis {{ stroke: #d9dde5; }} .chart text {{ font-family: Vazirmatn; font-size: 14px; "
            f"fill: #5b6475; }} {fills}"
        )
    fills = " ".join(f".map .{k} {{ fill: {v}; }}" for k, v in pal.items() if k.startswith("q"))
    return (
        ".map path { stroke: #fff; stroke-width: .8; } .map text { font-family: Vazirmatn; font-size: 21px; "
        f"font-weight: 600; fill: #1d2330; }} {fills}"
    )


@functools.cache
def _templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(shipped_path("report", "templates"))),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["safe_url"] = safe_url
    return env


def render_html(context: Mapping[str, Any]) -> str:
    return _templates().get_template("report.html").render(**context)


def build_report(
    conn: Connection,
    flt: EventFilter,
    codebook: Codebook,
    lang: str = "en",
    *,
    appendix_limit: int = DEFAULT_APPENDIX_LIMIT,
    release: str | None = None,
    now: dt.datetime | None = None,
) -> str:
    """The report of the events ``flt`` selects (its period is required) as one self-contained HTML
    page. ``release``: the dataset version to name (a frozen release); the live store's time otherwise."""
    ctx = report_context(conn, flt, codebook, lang, appendix_limit=appendix_limit, release=release, now=now)
    return render_html(ctx)


# --- PDF ------------------------------------------------------------------------------------------------
def pdf_available() -> bool:
    """Whether the PDF renderer (WeasyPrint, the ``pdf`` extra) is installed (found, not imported)."""
    return importlib.util.find_spec("weasyprint") is not None


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: installed, but its system libraries (Pango) are not
        raise ConfigError(
            f"PDF output needs WeasyPrint: pip install 'eventledger[{PDF_EXTRA}]' (or ask for the HTML format)"
            f" [{type(exc).__name__}: {exc}]"
        ) from exc
    return weasyprint


_EPOCH_LOCK = threading.Lock()


def to_pdf(html: str, *, fixed_time: dt.datetime | None = None) -> bytes:
    """The report's HTML as a PDF (A4), by WeasyPrint; nothing is fetched but ``data:`` URIs.

    ``fixed_time``: the time written into the embedded fonts (fontTools stamps each subset font
    with the time it was made, unless ``SOURCE_DATE_EPOCH`` says otherwise), so that the same HTML
    gives the same bytes (a release's report)."""
    if fixed_time is None:
        return _to_pdf(html)
    with _EPOCH_LOCK:
        before = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(int(fixed_time.timestamp()))
        try:
            return _to_pdf(html)
        finally:
            if before is None:
                del os.environ["SOURCE_DATE_EPOCH"]
            else:
                os.environ["SOURCE_DATE_EPOCH"] = before


def _to_pdf(html: str) -> bytes:
    weasyprint = _weasyprint()
    fetcher: Any
    if hasattr(weasyprint, "URLFetcher"):  # WeasyPrint >= 66
        fetcher = weasyprint.URLFetcher(allowed_protocols=("data",))
    else:

        def fetcher(url: str, *args: Any, **kw: Any) -> Any:
            if not url.startswith("data:"):
                raise ValueError(f"the report fetches nothing from {url!r}")
            return weasyprint.default_url_fetcher(url, *args, **kw)

    pdf = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf


def render(
    conn: Connection,
    flt: EventFilter,
    codebook: Codebook,
    lang: str = "en",
    fmt: str = "pdf",
    **kw: Any,
) -> bytes:
    """The report as the bytes of a file in ``fmt`` (``pdf`` or ``html``)."""
    if fmt not in FORMATS:
        raise ConfigError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    if fmt == "pdf":
        _weasyprint()  # the error that names the extra comes before any work
    html = build_report(conn, flt, codebook, lang, **kw)
    if fmt == "html":
        return html.encode("utf-8")
    return to_pdf(html, fixed_time=kw.get("now") if kw.get("release") else None)


def render_release(
    conn: Connection,
    name: str,
    flt: EventFilter,
    codebook: Codebook,
    lang: str = "en",
    fmt: str = "pdf",
    *,
    appendix_limit: int = DEFAULT_APPENDIX_LIMIT,
) -> bytes:
    """The report of release ``name``: its frozen events written into a scratch store that the
    report reads, dated by the release, so the same bytes come whenever it is made again."""
    from eventledger import releases
    from eventledger.store.db import Store

    r = releases.get(conn, name)
    with tempfile.TemporaryDirectory(prefix="eventledger-release-") as tmp:
        scratch = Store.open(Path(tmp) / "release.db")
        try:
            with scratch.begin() as into:
                releases.materialize(conn, r, flt, into)
            with scratch.connect() as frozen:
                return render(
                    frozen, flt, codebook, lang, fmt, appendix_limit=appendix_limit, release=r.name,
                    now=r.created_at.replace(tzinfo=dt.UTC),
                )  # fmt: skip
        finally:
            scratch.close()


def default_filename(period: Period, lang: str, fmt: str) -> str:
    """``report-1401-fa.pdf`` (a range's dots and slashes become ``_``)."""
    label = re.sub(r"[^0-9A-Za-z-]+", "_", period.label)
    return f"report-{label}-{lang}.{fmt}"


def media_type(fmt: str) -> str:
    return "application/pdf" if fmt == "pdf" else "text/html; charset=utf-8"
