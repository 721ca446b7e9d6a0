"""What the pages and the JSON API share: the template context, rendering, and the event filter's parameters."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from markupsafe import Markup
from sqlalchemy import Connection

from eventledger.admin import outlet_names
from eventledger.aggregate.periods import CALENDARS, parse_period
from eventledger.errors import ConfigError, EventLedgerError, NotFoundError
from eventledger.extract.codebook import Codebook
from eventledger.geocode.gazetteer import default_gazetteer
from eventledger.report.statement import actor_name as statement_actor_name
from eventledger.store import queries
from eventledger.store.validate import check_filter
from eventledger.web import i18n
from eventledger.web.deps import Viewer, identify

CODEBOOK_COOKIE = "eventledger_codebook"


def codebook(request: Request, *, strict: bool = True) -> Codebook:
    """The codebook whose events this request shows: ``?codebook=ID`` when given, else the one the
    user (or, signed out, this browser) chose last, else the app's default. An unknown ``?codebook=``
    is a :class:`ConfigError` (``strict``) or ignored (the frame of a page, an error page)."""
    books: dict[str, Codebook] = request.app.state.codebooks
    asked = request.query_params.get("codebook", "").strip()
    if asked in books:
        return books[asked]
    if asked and strict:
        raise ConfigError(f"unknown codebook {asked[:80]!r}: choose {', '.join(books)}")
    try:
        user = identify(request).user
    except EventLedgerError:  # bad credentials: answered elsewhere; an error page still needs a frame
        if strict:
            raise
        user = None
    chosen = user.codebook if user is not None else request.cookies.get(CODEBOOK_COOKIE)
    default: Codebook = request.app.state.codebook
    return books.get(chosen or "", default)


def base_context(request: Request, viewer: Any, lang: str) -> dict[str, Any]:
    """What every page's template can use."""
    cb = codebook(request, strict=False)

    def t(key: str, **kw: Any) -> str:
        return i18n.t(lang, key, **kw)

    def label(key: str) -> str:
        return str(cb.label(key, lang))

    def actor_name(actor_id: str | None) -> str:
        """An actor's name in the page's language, from the codebook (its id when the codebook lacks it)."""
        return statement_actor_name(actor_id, lang, cb) if actor_id else ""

    def code(prefix: str, value: str | None) -> str:
        """A coder's code (a drop reason, a flag) in words, when the catalog has them: ``flag_review``
        → "to review"; a code it lacks (``gate:0.42``, ``abroad_as_meeting``) is shown as it is."""
        if not value:
            return ""
        head, sep, rest = value.partition(":")
        key = f"{prefix}_{head}"
        text = i18n.catalog(lang).get(key)
        if text is None:
            return value
        return f"{text} {i18n.digits(rest, lang)}" if sep else text

    names: dict[str, dict[str, str]] | None = None

    def outlet_label(name: str | None) -> str:
        """An outlet's display name in the page's language (set on the outlets page), else its name."""
        nonlocal names
        if not name:
            return ""
        if names is None:
            with request.app.state.store.connect() as conn:
                names = outlet_names(conn)
        return names.get(name, {}).get(lang) or name

    return {
        "request": request,
        "viewer": viewer,
        "lang": lang,
        "dir": "rtl" if lang == "fa" else "ltr",
        "t": t,
        "label": label,
        "outlet_label": outlet_label,
        "actor_name": actor_name,
        "code": code,
        "num": lambda n: i18n.num(n, lang),
        "digits": lambda s: i18n.digits(s, lang),
        "day": lambda d: _bdi(i18n.day(d, lang)),
        "moment": lambda m: _bdi(i18n.moment(m, lang)),
        "area": lambda code: _bdi(area_name(code, lang)),
        "place_name": lambda place_id, name: _bdi(place_name(place_id, name, lang)),
        "public": request.app.state.public,
        "path": request.url.path,
        "codebook": cb,
        "codebooks": request.app.state.codebooks,
    }


def area_name(code: str | None, lang: str) -> str:
    """The name readers see for an area code: a province (``IR-23``), a country (``FR``; ``IR``
    alone: Iran, province not known), or ``unknown`` (the text gave no place: never a default)."""
    if not code or code == "unknown":
        return i18n.t(lang, "place_not_given")
    gaz = default_gazetteer()
    try:
        place = gaz.province(code) if "-" in code else gaz.country(code)
    except NotFoundError:
        return code
    name = (place.name_fa or place.name) if lang == "fa" else place.name
    if code == "IR":
        return f"{name} ({i18n.t(lang, 'province_unknown')})"
    return name


def place_name(place_id: str | None, name: str | None, lang: str) -> str:
    """A place as readers see it: its Persian name from the gazetteer on a Persian page (the stored
    English name otherwise), or "place not given"."""
    if not name and not place_id:
        return i18n.t(lang, "place_not_given")
    if lang == "fa" and place_id and place_id != "unknown":
        place = default_gazetteer().by_id(place_id)
        if place is not None and place.name_fa:
            return place.name_fa
    return name or i18n.t(lang, "place_not_given")


def _bdi(text: str) -> Markup:
    """Text isolated from its neighbours' direction (a Persian date in an English line, a Latin
    name in a Persian one): ``<bdi>`` escapes nothing of the order around it."""
    return Markup("<bdi>{}</bdi>").format(text)


def render(request: Request, viewer: Viewer | None, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    lang = viewer.lang if viewer else "en"
    env: Environment = request.app.state.templates
    html = env.get_template(name).render(**base_context(request, viewer, lang), **ctx)
    return HTMLResponse(html, status_code=status)


# the query parameters of the event filter, for pages and the JSON API alike (FILTER_FIELDS)
# (and the codebook, when a link names it: the events it lists are that codebook's)
FILTER_KEYS: tuple[str, ...] = ("period", "calendar", *(f.param for f in queries.FILTER_FIELDS), "codebook")
MAX_FILTER_VALUE = 200


def filter_params(request: Request) -> dict[str, str]:
    """The filter's parameters of a request, stripped, empty ones left out."""
    q = request.query_params
    out = {k: q[k].strip() for k in FILTER_KEYS if q.get(k, "").strip()}
    if too_long := [k for k, v in out.items() if len(v) > MAX_FILTER_VALUE]:
        raise ConfigError(f"{too_long[0]}: at most {MAX_FILTER_VALUE} characters")
    return out


def filter_openapi(*, with_period: bool = True) -> dict[str, Any]:
    """The filter's query parameters described for the OpenAPI schema (``openapi_extra``) of an API
    route that reads them with :func:`filter_params`."""

    def param(name: str, description: str, choices: tuple[str, ...] | None = None) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string", "maxLength": MAX_FILTER_VALUE}
        if choices:
            schema["enum"] = list(choices)
        return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}

    params = [param(f.param, f.help, f.choices) for f in queries.FILTER_FIELDS]
    params.append(
        param(
            "codebook",
            "The events of this codebook (default: the one chosen in the app, else political-action).",
        )
    )
    calendar = param("calendar", "jalali or gregorian (default: by the year)", CALENDARS)
    if with_period:
        period = param("period", "1401, 1401-12, 2022, 2022-03 or 1401-11-01..1401-12-29")
        return {"parameters": [period, calendar, *params]}
    return {"parameters": [calendar, *params]}


def checked_filter(request: Request, conn: Connection, params: dict[str, str]) -> queries.EventFilter:
    """:func:`build_filter`, every value checked against the codebook, gazetteer and store
    (:class:`~eventledger.errors.FilterError` with the nearest valid values: never a silent zero)."""
    cb = codebook(request)  # the events of the codebook chosen
    return check_filter(conn, replace(build_filter(params), codebook=cb.id), cb, default_gazetteer())


def build_filter(params: dict[str, str]) -> queries.EventFilter:
    period = parse_period(params["period"], params.get("calendar")) if params.get("period") else None
    return queries.EventFilter.from_values(period, params)
