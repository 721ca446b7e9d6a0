"""The HTML pages: sign-in, dashboard, events, one event, review queue, audit log, archived copies."""

from __future__ import annotations

import asyncio
import datetime as dt
import math
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from pydantic import Field
from sqlalchemy import Connection, func, select
from starlette.concurrency import run_in_threadpool

from eventledger import accounts
from eventledger.aggregate.periods import Period, gregorian_year, jalali_year, parse_period, to_jalali
from eventledger.errors import (
    AuthError,
    ConfigError,
    EventLedgerError,
    FilterError,
    NotFoundError,
    ReviewError,
)
from eventledger.extract.codebook import DEFAULT_CODEBOOK
from eventledger.normalize.text import normalize_text
from eventledger.report import charts
from eventledger.review import actions
from eventledger.review.dropped import for_event as dropped_for_event
from eventledger.review.dropped import list_dropped
from eventledger.review.dropped import reasons as dropped_reasons
from eventledger.review.queue import audit_log, changed_fields, history, queue, waiting
from eventledger.sources.urls import safe_url
from eventledger.store import queries
from eventledger.store.queries import summary_counts
from eventledger.store.schema import documents, event_daily, events, outlets
from eventledger.web import common, i18n
from eventledger.web.common import FILTER_KEYS, area_name, checked_filter, filter_params, render
from eventledger.web.deps import (
    LANG_COOKIE,
    SESSION_COOKIE,
    AuditId,
    CheckedRoute,
    Clean,
    EventId,
    PageNo,
    PerPage,
    Viewer,
    check_csrf,
    identify,
    member,
    reader,
    reading,
    reviewer,
    writing,
)
from eventledger.web.guard import MAX_TARGET

router = APIRouter(include_in_schema=False, route_class=CheckedRoute)
Line = Annotated[str, Clean, Form(max_length=200)]  # a one-line form field
Target = Annotated[str, Clean, Form(max_length=3 * MAX_TARGET)]  # a page to go back to (an address)
PER_PAGE = 50


# --- helpers ---------------------------------------------------------------------------------------
def events_href(base: str = "/events", **params: Any) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return base + ("?" + urlencode(clean) if clean else "")


def local_path(target: str | None, default: str = "/") -> str:
    """A redirect target on this site only (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def latest_day(conn: Connection, codebook: str = DEFAULT_CODEBOOK) -> dt.date:
    day = conn.execute(
        select(func.max(event_daily.c.day)).where(event_daily.c.codebook == codebook)
    ).scalar_one()
    return day or dt.datetime.now(dt.UTC).date()


# a year the dashboard opens on holds at least this share of the busiest year's events: a few stray
# events dated after the bulk (a late report, a plan) do not make an almost empty year the default
MIN_DEFAULT_YEAR_SHARE = 0.1


def default_period(conn: Connection, calendar: str, codebook: str = DEFAULT_CODEBOOK) -> Period:
    """The newest year (in ``calendar``) with data worth opening on: what the dashboard shows first."""
    month = event_daily.c.jalali_month if calendar == "jalali" else event_daily.c.greg_month
    per_year: dict[int, int] = {}
    stmt = select(month, func.sum(event_daily.c.n)).where(event_daily.c.codebook == codebook).group_by(month)
    for key, n in conn.execute(stmt).all():
        per_year[int(key[:4])] = per_year.get(int(key[:4]), 0) + int(n or 0)
    busiest = max(per_year.values(), default=0)
    years = [y for y, n in per_year.items() if n > 0 and n >= MIN_DEFAULT_YEAR_SHARE * busiest]
    if not years:
        day = latest_day(conn, codebook)
        return jalali_year(to_jalali(day)[0]) if calendar == "jalali" else gregorian_year(day.year)
    return jalali_year(max(years)) if calendar == "jalali" else gregorian_year(max(years))


def years_with_data(conn: Connection, calendar: str, codebook: str = DEFAULT_CODEBOOK) -> list[str]:
    days = select(func.min(event_daily.c.day), func.max(event_daily.c.day)).where(
        event_daily.c.codebook == codebook
    )
    lo, hi = conn.execute(days).one()
    if lo is None:
        return []
    if calendar == "jalali":
        return [str(y) for y in range(to_jalali(hi)[0], to_jalali(lo)[0] - 1, -1)]
    return [str(y) for y in range(hi.year, lo.year - 1, -1)]


def read_period(
    conn: Connection, period: str | None, calendar: str | None, codebook: str = DEFAULT_CODEBOOK
) -> Period:
    cal = calendar if calendar in ("jalali", "gregorian") else None
    if period:
        return parse_period(period, cal)
    return default_period(conn, cal or "jalali", codebook)


def paging(total: int, page: int, per_page: int) -> dict[str, int]:
    pages = max(1, math.ceil(total / per_page))
    return {"page": min(max(page, 1), pages), "pages": pages, "per_page": per_page, "total": total}


def one_page(
    fetch: Callable[[int], tuple[int, list[Any]]], page: int, per_page: int
) -> tuple[dict[str, int], list[Any]]:
    """``fetch(offset) -> (total, items)`` for ``page``; a page past the end shows the last one."""
    total, items = fetch((page - 1) * per_page)
    pg = paging(total, page, per_page)
    if pg["page"] != page:
        total, items = fetch((pg["page"] - 1) * per_page)
    return pg, items


# --- sign in / out, language -------------------------------------------------------------------------
@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    viewer = identify(request)
    if viewer.signed_in:
        return RedirectResponse(local_path(next), status_code=303)
    return render(
        request, viewer, "login.html", title=i18n.t(viewer.lang, "login"), next=local_path(next), failed=None
    )


def _sign_in(request: Request, username: str, password: str, client: str) -> tuple[str, AuthError | None]:
    """(session cookie, None) or ("", the failure); a failure is recorded (rate limit) before it is shown."""
    with writing(request) as conn:
        try:
            user = accounts.authenticate(conn, username, password, client)
            return accounts.open_session(conn, user)[0], None
        except AuthError as exc:
            return "", exc


def _login_delay(request: Request, username: str) -> float:
    with reading(request) as conn:
        return accounts.login_delay(conn, username)


@router.post("/login")
async def login(
    request: Request,
    username: Annotated[str, Clean, Form(max_length=accounts.MAX_NAME)],
    password: Annotated[str, Clean, Form(max_length=accounts.MAX_PASSWORD)],
    csrf_token: Line = "",
    next: Target = "/",
) -> Response:
    viewer = await run_in_threadpool(identify, request)
    check_csrf(request, viewer, csrf_token)
    client = request.client.host if request.client else "unknown"
    name = username.strip()
    delay = await run_in_threadpool(_login_delay, request, name)
    if delay:  # slowed, not refused: the wait holds no thread and no transaction
        await asyncio.sleep(delay)
    token, failure = await run_in_threadpool(_sign_in, request, name, password, client)
    if failure is not None:
        return render(
            request, viewer, "login.html", status=401, title=i18n.t(viewer.lang, "login"), next=local_path(next),
            failed=str(failure),
        )  # fmt: skip
    response = RedirectResponse(local_path(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=accounts.SESSION_DAYS * 86400,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout")
def logout(request: Request, csrf_token: Line = "") -> Response:
    viewer = identify(request)
    check_csrf(request, viewer, csrf_token)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        with writing(request) as conn:
            accounts.close_session(conn, cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/lang")
def set_language(
    request: Request,
    lang: Line,
    csrf_token: Line = "",
    next: Target = "/",
) -> Response:
    viewer = identify(request)
    check_csrf(request, viewer, csrf_token)
    if lang not in i18n.LANGS:
        raise ConfigError(f"unknown language {lang!r}")
    return _remember(request, viewer, local_path(next), LANG_COOKIE, lang, accounts.set_lang)


def _remember(
    request: Request,
    viewer: Viewer,
    target: str,
    cookie: str,
    value: str,
    save: Callable[[Any, int, str], None],
) -> Response:
    """A choice of the reader (language, codebook): kept for the signed-in user and in a cookie."""
    response = RedirectResponse(target, status_code=303)
    if viewer.user is not None:
        with writing(request) as conn:
            save(conn, viewer.user.id, value)
    response.set_cookie(cookie, value, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


@router.post("/codebook")
def set_codebook(
    request: Request,
    codebook: Line,
    csrf_token: Line = "",
    next: Target = "/",
) -> Response:
    """Show the events of another codebook (remembered for the user, or in this browser)."""
    viewer = identify(request)
    check_csrf(request, viewer, csrf_token)
    books = request.app.state.codebooks
    if codebook not in books:
        raise ConfigError(f"unknown codebook {codebook[:80]!r}: choose {', '.join(books)}")
    # the next page shows the chosen codebook: a ?codebook= of the page it came from is dropped
    target = local_path(next)
    path, _, query = target.partition("?")
    kept = [kv for kv in query.split("&") if kv and not kv.startswith("codebook=")]
    target = path + ("?" + "&".join(kept) if kept else "")
    return _remember(request, viewer, target, common.CODEBOOK_COOKIE, codebook, accounts.set_codebook)


# --- dashboard -----------------------------------------------------------------------------------------
@router.get("/")
def dashboard(
    request: Request,
    viewer: Annotated[Viewer, Depends(reader)],
    period: str | None = None,
    calendar: str = "jalali",
    category: str | None = None,
) -> Response:
    cb = common.codebook(request)
    with reading(request) as conn:
        p = read_period(conn, period, calendar, cb.id)
        if category:  # from a link, or typed: a misspelled one is an error page, not an empty dashboard
            category = checked_filter(request, conn, {"category": category}).category
        summary = summary_counts(conn, p, category=category or None, codebook=cb.id)
        years = years_with_data(conn, p.calendar, cb.id)
    cats = cb.category_ids()
    extra = [c for c in summary["by_category"] if c not in cats]
    order = [*cats, *extra]
    subtypes = [s for s in cb.subtypes if cb.category_of(s) == category] if category else list(cb.subtypes)
    subtypes += [s for s in summary["by_subtype"] if s not in subtypes]
    names = charts.province_names()
    in_iran = {k: v for k, v in summary["by_area"].items() if k in names}
    elsewhere = [(k, area_name(k, viewer.lang), v) for k, v in summary["by_area"].items() if k not in names]
    base = {"period": p.label, "calendar": p.calendar, "category": category or None,
            "codebook": request.query_params.get("codebook") or None}  # fmt: skip
    lang = viewer.lang
    return render(
        request,
        viewer,
        "dashboard.html",
        title=i18n.t(lang, "dashboard"),
        period=p,
        period_label=i18n.digits(p.label, lang),
        years=years,
        scope=category or "",
        summary=summary,
        categories=order,
        subtypes=subtypes,
        chart=charts.month_chart(summary["by_month_category"], order, rtl=lang == "fa"),
        pmap=charts.province_map(in_iran),
        elsewhere=elsewhere,
        province_names=names,
        claim_statuses=queries.CLAIM_STATUSES,
        month_label=lambda key: i18n.month(key, p.calendar, lang),
        short_month=lambda key: i18n.short_month(key, p.calendar, lang),
        href=lambda **kw: events_href(**{**base, **kw}),
        dash_href=lambda **kw: events_href("/", **{**base, **kw}),
        export_href=lambda fmt: events_href("/api/export", **base, format=fmt),
        month_period=lambda key: key,
    )


# --- events ----------------------------------------------------------------------------------------------
def _outlet_names(conn: Connection) -> list[str]:
    return list(conn.execute(select(outlets.c.name).order_by(outlets.c.name)).scalars())


@router.get("/events")
def events_page(
    request: Request,
    viewer: Annotated[Viewer, Depends(reader)],
    page: PageNo = 1,
    per_page: PerPage = PER_PAGE,
) -> Response:
    params = filter_params(request)
    error, status = None, 200
    with reading(request) as conn:
        outlet_names = _outlet_names(conn)
        try:
            flt = checked_filter(request, conn, params)
        except FilterError as exc:  # the form stays as typed, with the error above it
            error, status = str(exc), 400
        if error is None:
            # a common word: "more than 10,000" (its first pages are still its newest events)
            cap = queries.SEARCH_COUNT_CAP
            total = queries.count_events(conn, flt, cap=cap)
            pg = paging(min(total, cap), page, per_page) | {"more": int(total > cap)}
            rows = queries.list_events(conn, flt, limit=per_page, offset=(pg["page"] - 1) * per_page)
        else:
            pg, rows = paging(0, 1, per_page) | {"more": 0}, []
    return render(
        request,
        viewer,
        "events.html",
        status,
        error=error,
        title=i18n.t(viewer.lang, "events"),
        events=rows,
        params=params,
        paging=pg,
        outlets=outlet_names,
        province_names=charts.province_names(),
        claim_statuses=queries.CLAIM_STATUSES,
        review_statuses=queries.REVIEW_STATUSES,
        page_href=lambda n: events_href(
            **params, page=n, per_page=per_page if per_page != PER_PAGE else None
        ),
        api_href=events_href("/api/events", **params, page=pg["page"], per_page=per_page),
        export_href=lambda fmt: events_href("/api/export", **params, format=fmt),
    )


def _highlight(text: str, s: int, e: int, ts: int, te: int) -> dict[str, str]:
    """A report's text cut around one mention: before, sentence (split at the trigger), after."""
    s, e = max(0, min(s, len(text))), max(0, min(e, len(text)))
    ts, te = max(s, min(ts, e)), max(s, min(te, e))
    return {
        "before": text[:s],
        "lead": text[s:ts],
        "trigger": text[ts:te],
        "tail": text[te:e],
        "after": text[e:],
    }


@router.get("/events/{event_id}")
def event_page(
    request: Request,
    event_id: EventId,
    viewer: Annotated[Viewer, Depends(reader)],
    done: Annotated[int | None, Query(ge=1, le=actions.MAX_ID)] = None,
) -> Response:
    return _event_response(request, viewer, event_id, done=done)


def _event_response(
    request: Request,
    viewer: Viewer,
    event_id: int,
    *,
    done: int | None = None,
    status: int = 200,
    form: dict[str, Any] | None = None,
    error: str | None = None,
    warnings: list[str] | None = None,
) -> Response:
    """The event page; after a review that could not be made, with the error (or the merge's
    warnings) and the review box as it was typed."""
    with reading(request) as conn:
        ev = queries.event_detail(conn, event_id)
        doc_ids = sorted({m["document_id"] for m in ev["mentions"]})
        docs = {
            r.id: r
            for r in conn.execute(
                select(documents.c.id, documents.c.title, documents.c.text, documents.c.lang).where(
                    documents.c.id.in_(doc_ids)
                )
            )
        }
        stances = {r.name: r.stance for r in conn.execute(select(outlets.c.name, outlets.c.stance))}
        changes = history(conn, event_id)
        merged_into, review_flag = conn.execute(
            select(events.c.merged_into, events.c.review_flag).where(events.c.id == event_id)
        ).one()
        dropped = dropped_for_event(conn, event_id) if viewer.can_review else []
    for m in ev["mentions"]:
        d = docs[m["document_id"]]
        text = d.title if m["field"] == "title" else d.text
        m["parts"] = _highlight(text, *m["span"], *m["trigger_span"])
        m["doc_lang"] = d.lang
        m["link"] = safe_url(m["url"])
        m["stance"] = stances.get(m["outlet"], "unknown")
    for s in ev["sources"]:
        s["link"] = safe_url(s["url"])
    _with_parts(dropped)
    for c in changes:
        c["fields"] = changed_fields(c)
    return render(
        request,
        viewer,
        "event.html",
        status=status,
        title=f"{i18n.t(viewer.lang, 'event')} #{event_id}",
        ev=ev,
        changes=changes,
        merged_into=merged_into,
        review_flag=review_flag,
        dropped=dropped,
        done=done,
        province_names=charts.province_names(),
        form=form or {},
        review_error=error,
        merge_warnings=warnings or [],
    )


def _typed_correction(conn: Connection, event_id: int, form: dict[str, Any]) -> list[str]:
    """The fields of the correction box that differ from the event (a confirm would drop them)."""
    row = conn.execute(select(events.c.subtype, events.c.quantity).where(events.c.id == event_id)).first()
    if row is None:
        return []
    typed = [k for k in ("place", "date") if form.get(k, "").strip()]
    if form.get("subtype", "").strip() and form["subtype"].strip() != row.subtype:
        typed.append("subtype")
    quantity = normalize_text(form.get("quantity") or "").strip()  # Persian digits too
    if quantity and quantity != str(row.quantity if row.quantity is not None else ""):
        typed.append("quantity")
    return typed


def merge_warnings(conn: Connection, event_id: int, others: list[int], lang: str, codebook: Any) -> list[str]:
    """What makes a merge doubtful: the events are in different provinces or of different subtypes."""
    ids = [event_id, *others]
    rows = {
        r.id: r
        for r in conn.execute(
            select(events.c.id, events.c.subtype, events.c.admin1, events.c.country).where(
                events.c.id.in_(ids)
            )
        )
    }
    this = rows.get(event_id)
    if this is None:
        return []
    out = []
    for other in others:
        o = rows.get(other)
        if o is None:
            continue  # the merge itself says which id does not exist
        if o.subtype != this.subtype:
            out.append(
                i18n.t(lang, "merge_other_subtype", id=other, other=codebook.label(o.subtype, lang),
                       this=codebook.label(this.subtype, lang))
            )  # fmt: skip
        if (o.admin1 or o.country) != (this.admin1 or this.country):
            out.append(
                i18n.t(
                    lang,
                    "merge_other_place",
                    id=other,
                    other=area_name(o.admin1 or o.country or "unknown", lang),
                    this=area_name(this.admin1 or this.country or "unknown", lang),
                )
            )
    return out


@router.post("/events/{event_id}/review")
def review_event(
    request: Request,
    event_id: EventId,
    viewer: Annotated[Viewer, Depends(reviewer)],
    action: Line,
    csrf_token: Line = "",
    note: Annotated[str, Clean, Form(max_length=2000)] = "",
    category: Line = "",
    subtype: Line = "",
    place: Line = "",
    date: Line = "",
    quantity: Annotated[str | None, Clean, Form(max_length=200)] = None,
    events: Annotated[str, Clean, Form(max_length=20_000)] = "",
    mentions: Annotated[
        list[Annotated[int, Field(ge=1, le=actions.MAX_ID)]] | None, Form(max_length=1000)
    ] = None,
    force: Line = "",
) -> Response:
    check_csrf(request, viewer, csrf_token)
    form: dict[str, Any] = {"note": note, "category": category, "subtype": subtype, "place": place}
    form |= {"date": date, "quantity": quantity or "", "events": events, "mentions": mentions or []}
    payload: dict[str, Any] = {"note": note.strip() or None}
    if action == "correct":
        for key, value in (("category", category), ("subtype", subtype), ("place", place), ("date", date)):
            if value.strip():
                payload[key] = value.strip()
        if quantity is not None:
            payload["quantity"] = quantity
    payload["events"] = events
    payload["mentions"] = mentions or []
    htmx = bool(request.headers.get("hx-request"))
    cb = common.codebook(request)
    try:
        with writing(request) as conn:
            if (
                action in ("confirm", "reject")
                and not htmx
                and (typed := _typed_correction(conn, event_id, form))
            ):
                raise ReviewError(i18n.t(viewer.lang, "typed_not_saved", fields=", ".join(typed)))
            if action == "merge" and not force:
                ids = [i for i in actions.ids_of(events) if i != event_id]
                if warn := merge_warnings(conn, event_id, ids, viewer.lang, cb):
                    return _event_response(request, viewer, event_id, status=409, form=form, warnings=warn)
            result = actions.apply(conn, viewer.reviewer(), event_id, action, payload, codebook=cb)
            still = _queue_count(request, conn) if htmx else None
    except EventLedgerError as exc:
        if htmx:
            raise
        status = exc.http_status if exc.http_status < 500 else 400
        return _event_response(request, viewer, event_id, status=status, form=form, error=str(exc))
    if htmx:
        return render(request, viewer, "_reviewed.html", result=result, event_id=event_id, waiting=still)
    target = result.event_ids[-1] if action == "split" else event_id
    return RedirectResponse(f"/events/{target}?done={result.audit_id}", status_code=303)


def _queue_count(request: Request, conn: Connection) -> int | None:
    """How many events still wait in the review queue the request came from (its filter read from
    htmx's HX-Current-URL), so that the count follows a review made in place."""
    current = request.headers.get("hx-current-url", "")
    try:
        parts = urlsplit(current)
    except ValueError:
        return None
    if parts.path != "/review":
        return None
    params = {k: v.strip() for k, v in parse_qsl(parts.query) if k in FILTER_KEYS and v.strip()}
    params.pop("review_status", None)
    try:
        flt = checked_filter(request, conn, params)
    except EventLedgerError:
        return None
    return waiting(conn, flt)


# --- review queue and audit log ---------------------------------------------------------------------------
@router.get("/review")
def review_page(
    request: Request,
    viewer: Annotated[Viewer, Depends(reviewer)],
    page: PageNo = 1,
) -> Response:
    params = filter_params(request)
    with reading(request) as conn:
        flt = checked_filter(request, conn, {k: v for k, v in params.items() if k != "review_status"})
        pg, items = one_page(lambda offset: queue(conn, flt, limit=PER_PAGE, offset=offset), page, PER_PAGE)
    for it in items:
        m = it["mention"]
        if m is not None:
            it["parts"] = _highlight(
                m.sentence, 0, len(m.sentence), m.trig_start - m.sent_start, m.trig_end - m.sent_start
            )
    return render(
        request,
        viewer,
        "review.html",
        title=i18n.t(viewer.lang, "review"),
        items=items,
        params=params,
        paging=pg,
        province_names=charts.province_names(),
        page_href=lambda n: events_href("/review", **params, page=n),
    )


def _with_parts(items: list[dict[str, Any]]) -> None:
    """Dropped candidates ready to show: the sentence split at the trigger, the report's link."""
    for d in items:
        s0 = d["span"][0]
        t0, t1 = d["trigger_span"]
        d["parts"] = _highlight(d["sentence"], 0, len(d["sentence"]), t0 - s0, t1 - s0)
        d["link"] = safe_url(d["url"])


@router.get("/dropped")
def dropped_page(
    request: Request,
    viewer: Annotated[Viewer, Depends(reviewer)],
    page: PageNo = 1,
    period: str | None = None,
    calendar: str | None = None,
    reason: str | None = None,
) -> Response:
    """What the coder found and dropped, with the reason (coders and admins, like the review queue)."""
    cal = calendar if calendar in ("jalali", "gregorian") else None
    p = parse_period(period.strip(), cal) if period and period.strip() else None
    why = (reason or "").strip() or None
    with reading(request) as conn:
        pg, items = one_page(
            lambda offset: list_dropped(conn, period=p, reason=why, limit=PER_PAGE, offset=offset),
            page,
            PER_PAGE,
        )
        counts = dropped_reasons(conn, p)
    _with_parts(items)
    params = {"period": period or "", "calendar": cal or "", "reason": why or ""}
    return render(
        request,
        viewer,
        "dropped.html",
        title=i18n.t(viewer.lang, "dropped"),
        items=items,
        reasons=counts,
        params=params,
        paging=pg,
        page_href=lambda n: events_href("/dropped", **params, page=n),
    )


@router.get("/audit")
def audit_page(
    request: Request,
    viewer: Annotated[Viewer, Depends(member)],
    page: PageNo = 1,
    user: Annotated[str | None, Query(max_length=200)] = None,
    action: Annotated[str | None, Query(max_length=40)] = None,
    target: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    with reading(request) as conn:
        pg, entries = one_page(
            lambda offset: audit_log(
                conn, limit=PER_PAGE, offset=offset, user=user, action=action, target=target
            ),
            page,
            PER_PAGE,
        )
    for e in entries:
        e["fields"] = changed_fields(e)
    return render(
        request,
        viewer,
        "audit.html",
        title=i18n.t(viewer.lang, "audit"),
        entries=entries,
        paging=pg,
        page_href=lambda n: events_href("/audit", user=user, action=action, target=target, page=n),
    )


@router.post("/audit/{audit_id}/revert")
def revert_change(
    request: Request,
    audit_id: AuditId,
    viewer: Annotated[Viewer, Depends(reviewer)],
    csrf_token: Line = "",
    next: Target = "/audit",
) -> Response:
    check_csrf(request, viewer, csrf_token)
    with writing(request) as conn:
        result = actions.revert(conn, viewer.reviewer(), audit_id)
    target = local_path(next, "/audit")
    sep = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{sep}done={result.audit_id}", status_code=303)


# --- help ------------------------------------------------------------------------------------------------
@router.get("/help")
def help_page(request: Request) -> Response:
    """How to read the figures: the unit of count, claim statuses, the codebook, the review keys.
    Open to anybody (the sign-in page links to it too)."""
    viewer = identify(request)
    return render(request, viewer, "help.html", title=i18n.t(viewer.lang, "help"))


# --- archived copies and API docs ---------------------------------------------------------------------------
@router.get("/archive/{record_id}")
def archived(request: Request, record_id: str, viewer: Annotated[Viewer, Depends(reader)]) -> Response:
    """The archived response as plain text: never rendered as a page (it is hostile HTML).

    Raw for coders and admins; redacted for viewers and anonymous readers (the archive policy)."""
    from eventledger.sources.archive import may_read_raw, read_record, readable_copy

    with reading(request) as conn:
        rec = read_record(conn, record_id)
    if rec is None:
        raise NotFoundError(f"no archived record {record_id}")
    copy = readable_copy(rec, raw=may_read_raw(viewer.user.role if viewer.user else None))
    head = f"archived {copy.record_id}\nURL: {copy.url}\nfetched: {copy.fetched_at}\nHTTP {copy.status}\n"
    head += f"{copy.note}\n\n"
    return PlainTextResponse(
        head + copy.text,
        headers={
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Content-Disposition": "inline",
            "Cache-Control": "private, no-store",  # a raw copy is for the coder who asked only
        },
    )


@router.get("/docs")
def api_docs(request: Request, viewer: Annotated[Viewer, Depends(reader)]) -> Response:
    """The interactive API docs: for readers only (anybody on a ``--public`` server)."""
    return render(request, viewer, "docs.html", title="API")


@router.get("/openapi.json")
def openapi_spec(request: Request, viewer: Annotated[Viewer, Depends(reader)]) -> Response:
    return JSONResponse(request.app.openapi())


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
