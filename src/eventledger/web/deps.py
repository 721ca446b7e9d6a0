"""Who is asking: session cookie, API token or anonymous reader; CSRF checks; database access;
the bounded parameter types every route takes (ids, pages, text)."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Path, Query, Request, Response
from fastapi.routing import APIRoute
from pydantic import AfterValidator
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool

from eventledger import accounts
from eventledger.accounts import User
from eventledger.errors import AuthError, CsrfError, NotSignedIn, PermissionDenied
from eventledger.review.actions import MAX_ID, Reviewer
from eventledger.store.db import Store
from eventledger.web.guard import text_problem
from eventledger.web.i18n import LANGS

SESSION_COOKIE = "eventledger_session"
CSRF_COOKIE = "eventledger_csrf"  # for forms shown before signing in (login, language)
LANG_COOKIE = "eventledger_lang"
CSRF_HEADER = "x-csrf-token"


@dataclass(frozen=True)
class Viewer:
    """The person (or program) behind a request."""

    user: User | None
    via: str  # "session" | "token" | "anonymous"
    csrf: str  # the token forms must send back
    lang: str

    @property
    def signed_in(self) -> bool:
        return self.user is not None

    @property
    def can_review(self) -> bool:
        return self.user is not None and self.user.can_review

    @property
    def is_admin(self) -> bool:
        return self.user is not None and self.user.is_admin

    def reviewer(self) -> Reviewer:
        if self.user is None:
            raise NotSignedIn("sign in to review events")
        return Reviewer(self.user.username, self.user.role, self.user.id)


def store(request: Request) -> Store:
    s: Store = request.app.state.store
    return s


@contextmanager
def reading(request: Request) -> Iterator[Connection]:
    with store(request).connect() as conn:
        yield conn


@contextmanager
def writing(request: Request) -> Iterator[Connection]:
    with store(request).begin() as conn:
        yield conn


def _bearer(request: Request) -> str | None:
    value = request.headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    if value:
        raise AuthError("the Authorization header must be 'Bearer <token>'")
    return None


def _lang(request: Request, user: User | None) -> str:
    if user is not None:
        return user.lang
    lang = request.cookies.get(LANG_COOKIE, "")
    return lang if lang in LANGS else "en"


def identify(request: Request) -> Viewer:
    """Resolve the request's credentials once (cached on the request)."""
    cached = getattr(request.state, "viewer", None)
    if isinstance(cached, Viewer):
        return cached
    token = _bearer(request)
    viewer: Viewer
    if token is not None:
        with reading(request) as conn:  # a deferred transaction: it writes only to note the token's use
            user = accounts.token_user(conn, token)
            conn.commit()
        viewer = Viewer(user, "token", "", user.lang)
    else:
        found = None
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            with reading(request) as conn:
                found = accounts.session_user(conn, cookie)
        if found is not None:
            viewer = Viewer(found[0], "session", found[1], found[0].lang)
        else:
            anon = request.cookies.get(CSRF_COOKIE) or ""
            if not anon:
                anon = secrets.token_urlsafe(24)
                request.state.new_csrf_cookie = anon
            viewer = Viewer(None, "anonymous", anon, _lang(request, None))
    request.state.viewer = viewer
    return viewer


def reader(request: Request) -> Viewer:
    """Anyone allowed to read: a signed-in user, a token, or anybody on a ``--public`` server."""
    v = identify(request)
    if v.user is None and not request.app.state.public:
        raise NotSignedIn("sign in to see this (the server is not public)")
    return v


def member(request: Request) -> Viewer:
    """A signed-in user or a token of any role (the audit log is not for anonymous readers)."""
    v = identify(request)
    if v.user is None:
        raise NotSignedIn("sign in (or send an API token) to read the audit log")
    return v


def reviewer(request: Request) -> Viewer:
    """A coder or an admin (who may change events)."""
    v = identify(request)
    if v.user is None:
        raise NotSignedIn("sign in as a coder to change events")
    if not v.user.can_review:
        raise PermissionDenied(
            f"user {v.user.username!r} is a {v.user.role}: changes need a coder or an admin"
        )
    return v


def admin(request: Request) -> Viewer:
    """An admin (who may change users, tokens, sources and outlets)."""
    v = identify(request)
    if v.user is None:
        raise NotSignedIn("sign in as an admin to change users, sources or outlets")
    if not v.user.is_admin:
        raise PermissionDenied(f"user {v.user.username!r} is a {v.user.role}: this change needs an admin")
    return v


def check_csrf(request: Request, viewer: Viewer, sent: str | None) -> None:
    """Cookie-authenticated writes must carry the token of the form (or the X-CSRF-Token header)."""
    if viewer.via == "token":
        return  # a bearer token is never sent by a browser on its own
    token = sent or request.headers.get(CSRF_HEADER) or ""
    if not viewer.csrf or not hmac.compare_digest(token.encode(), viewer.csrf.encode()):
        raise CsrfError("the form is out of date or was not sent by this site: reload the page and try again")


# --- access is checked before the body is read --------------------------------------------------
ACCESS_CHECKS: tuple[Callable[[Request], Viewer], ...] = (reader, member, reviewer, admin)


class CheckedRoute(APIRoute):
    """A route whose access check (``reader``, ``member`` or ``writer``) runs before FastAPI reads
    and parses the request body: an anonymous client's body is never parsed on a route it may not use."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        checks = [d.call for d in self.dependant.dependencies if d.call in ACCESS_CHECKS]
        if not checks:
            return handler

        async def checked(request: Request) -> Response:
            for check in checks:
                await run_in_threadpool(check, request)
            return await handler(request)

        return checked


# --- bounded parameters: out-of-range values are refused (422), never passed to the database -------------
MAX_PAGE = 100_000


def clean_text(value: str | None) -> str | None:
    """A form or JSON text without control characters or lone surrogates (which no database stores)."""
    if value is not None and (problem := text_problem(value)):
        raise ValueError(f"the text {problem}")
    return value


Clean = AfterValidator(clean_text)
EventId = Annotated[int, Path(ge=1, le=MAX_ID, description="an event id")]
AuditId = Annotated[int, Path(ge=1, le=MAX_ID, description="an audit entry id")]
PageNo = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"page number, 1..{MAX_PAGE}")]
PerPage = Annotated[int, Query(ge=1, le=500)]
