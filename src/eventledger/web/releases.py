"""The releases page: every frozen dataset release, its versions, checksum and citation, and its
downloads: the exports and the report of the frozen events (the same bytes whenever made again)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import PlainTextResponse, Response, StreamingResponse

from eventledger import releases
from eventledger.aggregate.periods import parse_period
from eventledger.errors import ConfigError
from eventledger.report import exports, publication
from eventledger.store.queries import EventFilter
from eventledger.web import common, deps, i18n
from eventledger.web.common import render
from eventledger.web.deps import CheckedRoute, Viewer, reader, reading
from eventledger.web.publication import checked_report_args, report_response

router = APIRouter(include_in_schema=False, route_class=CheckedRoute)


@router.get("/releases")
def releases_page(request: Request, viewer: Annotated[Viewer, Depends(reader)]) -> Response:
    with reading(request) as conn:
        items = list(reversed(releases.list_all(conn)))
    cites = {r.name: releases.citation(r) for r in items}
    return render(
        request, viewer, "releases.html", title=i18n.t(viewer.lang, "releases"), items=items, cites=cites,
        formats=exports.FORMAT_NAMES, pdf=publication.pdf_available(),
    )  # fmt: skip


@router.get("/releases/{name}/CITATION.cff")
def release_citation(name: str, request: Request, viewer: Annotated[Viewer, Depends(reader)]) -> Response:
    with reading(request) as conn:
        r = releases.get(conn, name[:80])
    return PlainTextResponse(
        releases.citation(r),
        media_type="application/x-yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="CITATION-{r.name}.cff"'},
    )


@router.get("/releases/{name}/export")
def release_export(
    name: str,
    request: Request,
    viewer: Annotated[Viewer, Depends(reader)],
    format: Annotated[str, Query(max_length=12)] = "csv",
) -> Response:
    """Every frozen event of release ``name`` in ``format`` (one of the export formats), streamed."""
    if format not in exports.FORMATS:
        raise ConfigError(f"unknown export format {format!r}; choose from {', '.join(exports.FORMAT_NAMES)}")
    flt = EventFilter()
    with reading(request) as conn:
        r = releases.get(conn, name[:80])
        meta = exports.release_meta(r, flt)
    store = deps.store(request)

    def body() -> Iterator[bytes]:
        with store.connect() as conn:
            yield from exports.export_chunks(format, releases.filtered(conn, r, flt), meta)

    filename = (
        f"eventledger-{r.name}{'-acled' if format == 'acled-csv' else ''}.{exports.FORMATS[format].extension}"
    )
    return StreamingResponse(
        body(),
        media_type=exports.FORMATS[format].media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/releases/{name}/report")
def release_report(
    name: str,
    request: Request,
    viewer: Annotated[Viewer, Depends(reader)],
    lang: Annotated[str | None, Query(max_length=2)] = None,
    format: Annotated[str, Query(max_length=4)] = "pdf",
) -> Response:
    """The report of the period of release ``name``, from its frozen events."""
    lang = checked_report_args(lang or viewer.lang, format)
    with reading(request) as conn:
        r = releases.get(conn, name[:80])
        if not r.period:
            raise ConfigError(
                f"release {r.name!r} covers every date: its report needs a period (CLI: --period)"
            )
        p = parse_period(r.period["label"], r.period["calendar"])
        body = publication.render_release(
            conn, r.name, EventFilter(period=p), common.codebook(request), lang, format
        )
    # a release's report never changes: it may be cached
    return report_response(body, f"report-{r.name}-{lang}.{format}", format, cache=True)
