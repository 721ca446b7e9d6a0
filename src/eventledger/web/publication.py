"""``GET /report``: the published report of a period (:mod:`eventledger.report.publication`) as a PDF
or one self-contained HTML file, for readers; the dashboard's "Download the report" links here."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from eventledger.errors import ConfigError
from eventledger.report import publication
from eventledger.report.messages import LANGS
from eventledger.web import common
from eventledger.web.common import checked_filter, filter_params
from eventledger.web.deps import CheckedRoute, Viewer, reader, reading

router = APIRouter(include_in_schema=False, route_class=CheckedRoute)

# the HTML report carries its style and font inline and loads nothing: opened from this site, it
# may use exactly that
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


@router.get("/report")
def report(
    request: Request,
    viewer: Annotated[Viewer, Depends(reader)],
    lang: Annotated[str | None, Query(max_length=2)] = None,
    format: Annotated[str, Query(max_length=4)] = "pdf",
) -> Response:
    """The report of ``period`` (and the event filter's other parameters) in ``lang`` (default: the
    reader's language) as ``format`` ``pdf`` or ``html``, as a download."""
    lang = checked_report_args(lang or viewer.lang, format)
    params = filter_params(request)
    if "period" not in params:
        raise ConfigError("a report needs a period (e.g. period=1401)")
    cb = common.codebook(request)
    with reading(request) as conn:
        flt = checked_filter(request, conn, params)
        body = publication.render(conn, flt, cb, lang, format)
    assert flt.period is not None
    return report_response(body, publication.default_filename(flt.period, lang, format), format, cache=False)


def checked_report_args(lang: str, format: str) -> str:
    """``lang`` once it and ``format`` are known (a :class:`ConfigError` otherwise)."""
    if lang not in LANGS:
        raise ConfigError(f"language {lang!r} is not one of {', '.join(LANGS)}")
    if format not in publication.FORMATS:
        raise ConfigError(f"format {format!r} is not one of {', '.join(publication.FORMATS)}")
    return lang


def report_response(body: bytes, filename: str, format: str, *, cache: bool) -> Response:
    """A report as a download; the HTML may load nothing but what it carries."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if not cache:
        headers["Cache-Control"] = "no-store"
    if format == "html":
        headers["Content-Security-Policy"] = REPORT_CSP
    return Response(body, media_type=publication.media_type(format), headers=headers)
