"""The releases page: every frozen dataset release, its versions, checksum and citation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse, Response

from eventledger import releases
from eventledger.web import i18n
from eventledger.web.common import render
from eventledger.web.deps import CheckedRoute, Viewer, reader, reading

router = APIRouter(include_in_schema=False, route_class=CheckedRoute)


@router.get("/releases")
def releases_page(request: Request, viewer: Annotated[Viewer, Depends(reader)]) -> Response:
    with reading(request) as conn:
        items = list(reversed(releases.list_all(conn)))
    cites = {r.name: releases.citation(r) for r in items}
    return render(
        request, viewer, "releases.html", title=i18n.t(viewer.lang, "releases"), items=items, cites=cites
    )


@router.get("/releases/{name}/CITATION.cff")
def release_citation(name: str, request: Request, viewer: Annotated[Viewer, Depends(reader)]) -> Response:
    with reading(request) as conn:
        r = releases.get(conn, name[:80])
    return PlainTextResponse(
        releases.citation(r),
        media_type="application/x-yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="CITATION-{r.name}.cff"'},
    )
