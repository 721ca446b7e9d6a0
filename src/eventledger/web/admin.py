"""The admin pages: sources, outlets, users and API tokens.

Every signed-in user sees them (coders and viewers read the sources' health, the outlets' stances
and who has which role); only an admin changes anything, each change audited
(:mod:`eventledger.admin`) and CSRF-checked like a review. A change that cannot be made shows the
page again with the error and what was typed (status 400/404/409/422), never a blank form.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Connection, func, select

from eventledger import accounts
from eventledger import admin as changes
from eventledger.errors import ConfigError, EventLedgerError, FetchError
from eventledger.outlets import STANCES
from eventledger.sources import state
from eventledger.sources.config import SourceSpec
from eventledger.sources.kinds import URL_KINDS
from eventledger.store.schema import event_daily_outlet, outlets
from eventledger.store.writer import now
from eventledger.web import common, i18n
from eventledger.web.common import render
from eventledger.web.deps import CheckedRoute, Clean, Viewer, check_csrf, member, reading, writing
from eventledger.web.deps import admin as admin_only

router = APIRouter(include_in_schema=False, route_class=CheckedRoute)
Line = Annotated[str, Clean, Form(max_length=200)]
Long = Annotated[str, Clean, Form(max_length=2000)]
Secret = Annotated[str, Form(max_length=accounts.MAX_PASSWORD)]
SECTIONS = ("sources", "outlets", "users")


@router.get("/admin")
def admin_home() -> Response:
    return RedirectResponse("/admin/sources", status_code=303)


# --- sources --------------------------------------------------------------------------------------------
def _sources_context(conn: Connection) -> dict[str, Any]:
    rows = state.status(conn)
    clock = now()
    items = []
    for r in rows:
        spec = SourceSpec(name=r.name, kind=r.kind, url=r.url, outlet=r.outlet, interval_s=r.interval_s)
        due = state.next_check(spec, r)
        backoff = r.consecutive_failures > 0 and due is not None
        items.append(
            {
                "row": r,
                "next_check": due,
                "overdue": due is not None and due <= clock,
                "backoff": backoff,
                "every": _duration(r.interval_s),
            }
        )
    return {"sources": items, "kinds": URL_KINDS, "stances": STANCES}


def _duration(seconds: int) -> str:
    for unit, n in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % n == 0:
            return f"{seconds // n}{unit}"
    return f"{seconds}s"


@router.get("/admin/sources")
def sources_page(request: Request, viewer: Annotated[Viewer, Depends(member)]) -> Response:
    return _page(request, viewer, "sources")


def _detect_kind(request: Request, url: str) -> str:
    """What the URL serves (a feed, a sitemap, a Telegram preview, a page), fetched once under the
    server's fetch policy (no private addresses unless allowed; robots.txt respected)."""
    from eventledger.sources.archive import Archive
    from eventledger.sources.collect import Collector
    from eventledger.sources.http import Fetcher

    if re.match(r"https?://(?:www\.)?t\.me/(?:s/)?[A-Za-z0-9_]{4,}/?$", url):
        return "telegram-web"
    try:
        with Fetcher(request.app.state.fetch_policy, Archive()) as fetcher:
            return Collector(fetcher).guess_kind(url)
    except FetchError as exc:
        raise FetchError(
            exc.url, f"{exc.reason}; choose the kind yourself to add it anyway", exc.status
        ) from exc


@router.post("/admin/sources")
def change_source(
    request: Request,
    viewer: Annotated[Viewer, Depends(admin_only)],
    action: Line,
    csrf_token: Line = "",
    name: Line = "",
    url: Long = "",
    kind: Line = "detect",
    outlet: Line = "",
    stance: Line = "",
    actor: Line = "",
    lang: Line = "",
    interval: Line = "",
) -> Response:
    check_csrf(request, viewer, csrf_token)
    form = {"name": name, "url": url, "kind": kind, "outlet": outlet, "stance": stance, "actor": actor}
    form |= {"lang": lang, "interval": interval, "action": action}
    try:
        if action == "add":
            if kind == "detect":
                kind = _detect_kind(request, url.strip())
            with writing(request) as conn:
                done = changes.add_source(
                    conn, viewer.reviewer(), name=name, url=url.strip(), kind=kind, outlet=outlet or None,
                    stance=stance or None, actor_id=actor or None, lang=lang or None, interval=interval or "1h",
                )  # fmt: skip
        elif action == "edit":
            with writing(request) as conn:
                done = changes.edit_source(
                    conn, viewer.reviewer(), name, interval=interval or None, url=url.strip() or None
                )
        elif action in ("pause", "resume"):
            with writing(request) as conn:
                done = changes.pause_source(conn, viewer.reviewer(), name, paused=action == "pause")
        else:
            raise ConfigError(f"unknown action {action!r}")
    except EventLedgerError as exc:
        return _page(request, viewer, "sources", error=exc, form=form)
    return _page(request, viewer, "sources", done=done)


# --- outlets --------------------------------------------------------------------------------------------
def _outlets_context(conn: Connection, codebook: Any) -> dict[str, Any]:
    counted = event_daily_outlet.c.review_status.not_in(("rejected", "merged"))
    per_outlet = select(event_daily_outlet.c.outlet, func.sum(event_daily_outlet.c.n)).where(
        counted,
        event_daily_outlet.c.codebook == codebook.id,  # the events of the codebook shown
    )
    n_events = {o: int(n or 0) for o, n in conn.execute(per_outlet.group_by(event_daily_outlet.c.outlet))}
    rows = conn.execute(select(outlets).order_by(outlets.c.name)).all()
    from_file = {r.outlet for r in state.status(conn) if r.origin == "file"}
    return {
        "outlets": [
            {"row": r, "events": n_events.get(r.name), "from_file": r.name in from_file} for r in rows
        ],
        "stances": STANCES,
        "actors": [a.id for a in codebook.actors],
    }


@router.get("/admin/outlets")
def outlets_page(request: Request, viewer: Annotated[Viewer, Depends(member)]) -> Response:
    return _page(request, viewer, "outlets")


@router.post("/admin/outlets")
def change_outlet(
    request: Request,
    viewer: Annotated[Viewer, Depends(admin_only)],
    name: Line,
    csrf_token: Line = "",
    stance: Line = "unknown",
    actor: Line = "",
    lang: Line = "",
    name_en: Line = "",
    name_fa: Line = "",
) -> Response:
    check_csrf(request, viewer, csrf_token)
    form = {
        "name": name,
        "stance": stance,
        "actor": actor,
        "lang": lang,
        "name_en": name_en,
        "name_fa": name_fa,
    }
    try:
        with writing(request) as conn:
            done, _ = changes.set_outlet(
                conn, viewer.reviewer(), name, stance=stance, actor_id=actor or None, lang=lang or None,
                name_en=name_en, name_fa=name_fa,
            )  # fmt: skip
    except EventLedgerError as exc:
        return _page(request, viewer, "outlets", error=exc, form=form)
    return _page(request, viewer, "outlets", done=done)


# --- users and tokens -----------------------------------------------------------------------------------
def _users_context(conn: Connection, viewer: Viewer) -> dict[str, Any]:
    return {
        "users": accounts.list_users(conn),
        "tokens": accounts.list_tokens(conn) if viewer.is_admin else [],
        "roles": accounts.ROLES,
        "langs": accounts.LANGS,
    }


@router.get("/admin/users")
def users_page(request: Request, viewer: Annotated[Viewer, Depends(member)]) -> Response:
    return _page(request, viewer, "users")


@router.post("/admin/users")
def change_user(
    request: Request,
    viewer: Annotated[Viewer, Depends(admin_only)],
    action: Line,
    csrf_token: Line = "",
    username: Line = "",
    role: Line = "viewer",
    lang: Line = "en",
    password: Secret = "",
    token_id: Annotated[int | None, Form(ge=1, le=2**62)] = None,
) -> Response:
    check_csrf(request, viewer, csrf_token)
    form = {"username": username, "role": role, "lang": lang, "action": action}  # never the password
    actor = viewer.reviewer()
    token: str | None = None
    steps: dict[str, Callable[[Connection], changes.Change]] = {
        "add": lambda c: changes.add_user(c, actor, username, password, role, lang),
        "role": lambda c: changes.set_role(c, actor, username, role),
        "disable": lambda c: changes.disable_user(c, actor, username),
        "enable": lambda c: changes.enable_user(c, actor, username),
        "password": lambda c: changes.reset_password(c, actor, username, password),
        "revoke": lambda c: changes.revoke_token(c, actor, token_id or 0),
    }
    try:
        with writing(request) as conn:
            if action == "token":
                token, done = changes.new_token(conn, actor, username)
            elif action in steps:
                done = steps[action](conn)
            else:
                raise ConfigError(f"unknown action {action!r}")
    except EventLedgerError as exc:
        return _page(request, viewer, "users", error=exc, form=form)
    return _page(request, viewer, "users", done=done, token=token)


# --- one page for the three -----------------------------------------------------------------------------
def _page(
    request: Request,
    viewer: Viewer,
    section: str,
    *,
    done: changes.Change | None = None,
    error: EventLedgerError | None = None,
    form: dict[str, str] | None = None,
    token: str | None = None,
) -> Response:
    with reading(request) as conn:
        if section == "sources":
            ctx = _sources_context(conn)
        elif section == "outlets":
            ctx = _outlets_context(conn, common.codebook(request))
        else:
            ctx = _users_context(conn, viewer)
    status = 200 if error is None else error.http_status if error.http_status < 500 else 400
    return render(
        request,
        viewer,
        f"admin_{section}.html",
        status=status,
        title=i18n.t(viewer.lang, f"admin_{section}"),
        section=section,
        sections=SECTIONS,
        done=done,
        error=str(error) if error else None,
        form=form or {},
        token=token,
        today=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        **ctx,
    )
