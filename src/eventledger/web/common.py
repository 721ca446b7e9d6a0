"""What the pages and the JSON API share: the template context, rendering, and the event filter's parameters."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from sqlalchemy import Connection

from eventledger.aggregate.periods import CALENDARS, parse_period
from eventledger.errors import ConfigError
from eventledger.geocode.gazetteer import default_gazetteer
from eventledger.store import queries
from eventledger.store.validate import check_filter
from eventledger.web import i18n
from eventledger.web.deps import Viewer


def base_context(request: Request, viewer: Any, lang: str) -> dict[str, Any]:
    """What every page's template can use."""
    cb = request.app.state.codebook

    def t(key: str, **kw: Any) -> str:
        return i18n.t(lang, key, **kw)

    def label(key: str) -> str:
        return str(cb.label(key, lang))

    return {
        "request": request,
        "viewer": viewer,
        "lang": lang,
        "dir": "rtl" if lang == "fa" else "ltr",
        "t": t,
        "label": label,
        "num": lambda n: i18n.num(n, lang),
        "digits": lambda s: i18n.digits(s, lang),
        "day": lambda d: i18n.day(d, lang),
        "moment": lambda m: i18n.moment(m, lang),
        "public": request.app.state.public,
        "path": request.url.path,
        "codebook": cb,
    }


def render(request: Request, viewer: Viewer | None, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    lang = viewer.lang if viewer else "en"
    env: Environment = request.app.state.templates
    html = env.get_template(name).render(**base_context(request, viewer, lang), **ctx)
    return HTMLResponse(html, status_code=status)


# the query parameters of the event filter, for pages and the JSON API alike (FILTER_FIELDS)
FILTER_KEYS: tuple[str, ...] = ("period", "calendar", *(f.param for f in queries.FILTER_FIELDS))
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
    calendar = param("calendar", "jalali or gregorian (default: by the year)", CALENDARS)
    if with_period:
        period = param("period", "1401, 1401-12, 2022, 2022-03 or 1401-11-01..1401-12-29")
        return {"parameters": [period, calendar, *params]}
    return {"parameters": [calendar, *params]}


def checked_filter(request: Request, conn: Connection, params: dict[str, str]) -> queries.EventFilter:
    """:func:`build_filter`, every value checked against the codebook, gazetteer and store
    (:class:`~eventledger.errors.FilterError` with the nearest valid values: never a silent zero)."""
    return check_filter(conn, build_filter(params), request.app.state.codebook, default_gazetteer())


def build_filter(params: dict[str, str]) -> queries.EventFilter:
    period = parse_period(params["period"], params.get("calendar")) if params.get("period") else None
    return queries.EventFilter.from_values(period, params)
