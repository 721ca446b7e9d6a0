"""What the pages and the JSON API share: the template context, rendering, and the event filter's parameters."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from eventledger.aggregate.periods import parse_period
from eventledger.store import queries
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


FILTER_KEYS = (
    "period",
    "calendar",
    "category",
    "subtype",
    "province",
    "country",
    "outlet",
    "claim_status",
    "review_status",
    "q",
)


def filter_params(request: Request) -> dict[str, str]:
    q = request.query_params
    return {k: q[k].strip() for k in FILTER_KEYS if q.get(k, "").strip()}


def build_filter(params: dict[str, str]) -> queries.EventFilter:
    period = parse_period(params["period"], params.get("calendar")) if params.get("period") else None  # type: ignore[arg-type]
    return queries.EventFilter.from_values(period, params)
