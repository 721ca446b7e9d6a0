"""The JSON API: the CLI's shapes over HTTP, plus reviews. Documented at ``/docs`` (OpenAPI).

Reads need a signed-in session, an API token (``Authorization: Bearer …``, from
``eventledger users token NAME``) or a ``--public`` server; reviews need a coder's token or session.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from eventledger.report import exports
from eventledger.review import actions
from eventledger.review.queue import audit_log, history
from eventledger.store import queries
from eventledger.web import common, deps
from eventledger.web.common import checked_filter, filter_openapi, filter_params
from eventledger.web.deps import Viewer, check_csrf, member, reader, reading, reviewer, writing

router = APIRouter(prefix="/api", tags=["events"], route_class=deps.CheckedRoute)

Short = Annotated[str | None, deps.Clean, Field(default=None, max_length=200)]
Ids = Annotated[
    list[Annotated[int, Field(ge=1, le=actions.MAX_ID)]], Field(default_factory=list, max_length=1000)
]


class ReviewRequest(BaseModel):
    """One review of an event. ``correct`` takes any of category, subtype, place, date, quantity."""

    action: Literal["confirm", "reject", "correct", "merge", "split"]
    note: Annotated[str | None, deps.Clean, Field(default=None, max_length=2000)]
    category: Short
    subtype: Short
    place: Annotated[Short, Field(description="gazetteer id (gn:…, IR-23, cc:FR) or an unambiguous name")]
    date: Annotated[Short, Field(description="YYYY-MM-DD, Gregorian or Solar Hijri (years below 1700)")]
    quantity: Annotated[int | None, Field(default=None, ge=1, le=actions.MAX_QUANTITY)]
    events: Annotated[Ids, Field(description="merge: the events merged into this one")]
    mentions: Annotated[Ids, Field(description="split: the mentions moved to a new event")]


class ReviewResponse(BaseModel):
    audit_id: int
    action: str
    event_ids: list[int]
    event: dict[str, Any]


def _by(values: list[str]) -> list[str]:
    return [b.strip() for v in values for b in v.split(",") if b.strip()]


@router.get(
    "/tally",
    summary="Events counted in a period (the CLI's `tally --format json`)",
    openapi_extra=filter_openapi(with_period=False),
)
def api_tally(
    request: Request,
    viewer: Annotated[Viewer, Depends(reader)],
    period: Annotated[str, Query(description="1401, 1401-12, 2022, 2022-03 or 1401-11-01..1401-12-29")],
    by: Annotated[list[str], Query(description="breakdowns, repeated or comma-separated")] = [],  # noqa: B006
) -> dict[str, Any]:
    cb = common.codebook(request)
    with reading(request) as conn:
        flt = checked_filter(request, conn, filter_params(request))
        return queries.tally(conn, flt, _by(by), cb.category_ids(), list(cb.subtypes))


@router.get(
    "/events",
    summary="Events, one page at a time (each as a line of `events --format jsonl`)",
    openapi_extra=filter_openapi(),
)
def api_events(
    request: Request,
    viewer: Annotated[Viewer, Depends(reader)],
    page: deps.PageNo = 1,
    per_page: deps.PerPage = 50,
) -> dict[str, Any]:
    params = filter_params(request)
    with reading(request) as conn:
        flt = checked_filter(request, conn, params)
        cap = queries.SEARCH_COUNT_CAP
        counted = queries.count_events(conn, flt, cap=cap)
        rows = queries.list_events(conn, flt, limit=per_page, offset=(page - 1) * per_page)
    total = min(counted, cap)
    return {
        "events": rows,
        "total": total,
        # false: words matched more than ``total`` events (10,000), which were not all counted
        "total_exact": counted <= cap,
        "page": page,
        "per_page": per_page,
        "pages": max(1, math.ceil(total / per_page)),
        "filters": params,
    }


@router.get(
    "/export",
    summary="The events of a filter as a file: ACLED-style CSV, GeoJSON, Parquet, Excel, CSV or JSONL "
    "(`eventledger export`)",
    openapi_extra=filter_openapi(),
    response_class=StreamingResponse,
    responses={200: {"description": "the file, streamed, with a Content-Disposition file name"}},
)
def api_export(
    request: Request,
    viewer: Annotated[Viewer, Depends(reader)],
    fmt: Annotated[
        exports.FormatName,
        Query(
            alias="format", description="csv, jsonl, acled-csv, geojson, parquet or xlsx (README: Exports)"
        ),
    ] = "csv",
) -> StreamingResponse:
    params = filter_params(request)
    with reading(request) as conn:  # the filter is checked before the answer starts: a bad value is a 422
        flt = checked_filter(request, conn, params)
        meta = exports.export_meta(conn, flt, codebook=common.codebook(request))
    store = deps.store(request)

    def body() -> Iterator[bytes]:
        with store.connect() as conn:
            yield from exports.live_chunks(conn, fmt, flt, meta)

    name = exports.export_filename(fmt, flt)
    return StreamingResponse(
        body(),
        media_type=exports.FORMATS[fmt].media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/events/{event_id}", summary="One event with its reports, exact sentences and change history")
def api_event(
    request: Request, event_id: deps.EventId, viewer: Annotated[Viewer, Depends(reader)]
) -> dict[str, Any]:
    with reading(request) as conn:
        ev = queries.event_detail(conn, event_id)
        ev["history"] = history(conn, event_id)
    return ev


@router.post(
    "/events/{event_id}/review",
    summary="Confirm, reject, correct, merge or split an event (coders and admins)",
    responses={
        401: {"description": "no credentials"},
        403: {"description": "a viewer"},
        422: {"description": "a review that cannot apply"},
    },
)
def api_review(
    request: Request,
    event_id: deps.EventId,
    body: ReviewRequest,
    viewer: Annotated[Viewer, Depends(reviewer)],
) -> ReviewResponse:
    check_csrf(request, viewer, None)
    payload = body.model_dump(exclude_unset=True)
    with writing(request) as conn:
        result = actions.apply(
            conn, viewer.reviewer(), event_id, body.action, payload, codebook=common.codebook(request)
        )
        ev = queries.event_detail(conn, result.event_ids[-1] if body.action == "split" else event_id)
    ev.pop("mentions", None)
    return ReviewResponse(
        audit_id=result.audit_id, action=result.action, event_ids=list(result.event_ids), event=ev
    )


@router.get("/audit", summary="The audit log, newest first")
def api_audit(
    request: Request,
    viewer: Annotated[Viewer, Depends(member)],
    user: str | None = None,
    action: str | None = None,
    page: deps.PageNo = 1,
    per_page: deps.PerPage = 50,
) -> dict[str, Any]:
    with reading(request) as conn:
        total, entries = audit_log(
            conn, limit=per_page, offset=(page - 1) * per_page, user=user, action=action
        )
    return {"entries": entries, "total": total, "page": page, "per_page": per_page}


@router.post("/audit/{audit_id}/revert", summary="Undo one change (coders and admins)")
def api_revert(
    request: Request, audit_id: deps.AuditId, viewer: Annotated[Viewer, Depends(reviewer)]
) -> dict[str, Any]:
    check_csrf(request, viewer, None)
    with writing(request) as conn:
        result = actions.revert(conn, viewer.reviewer(), audit_id)
    return {"audit_id": result.audit_id, "action": result.action, "event_ids": list(result.event_ids)}
