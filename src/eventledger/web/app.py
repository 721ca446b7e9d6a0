"""The analyst's web app: ``create_app`` builds it over one store; ``eventledger serve`` runs it.

Server-rendered pages (Jinja2, autoescaped) with a little htmx, inline SVG charts and map, and a
JSON API described by OpenAPI. Every asset is served from the package: the app works offline.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.exceptions import HTTPException as StarletteHTTPException

from eventledger.errors import (
    EventLedgerError,
    NotSignedIn,
)
from eventledger.extract.codebook import DEFAULT_CODEBOOK, load_codebook
from eventledger.report.publication import pdf_available
from eventledger.shipped import shipped_names, shipped_path
from eventledger.sources.http import FetchPolicy
from eventledger.store.db import Store
from eventledger.version import __version__
from eventledger.web import i18n
from eventledger.web.common import base_context
from eventledger.web.deps import CSRF_COOKIE, identify
from eventledger.web.guard import MAX_BODY, Guard

log = logging.getLogger("eventledger.web")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI sets inline styles on its own elements; its page gets only that exception
CSP_DOCS = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


def _package_dir(sub: str) -> str:
    return str(shipped_path("web", sub))


def make_templates() -> Environment:
    env = Environment(
        # the report's templates too: the dashboard draws its charts with the report's macros
        loader=FileSystemLoader([_package_dir("templates"), str(shipped_path("report", "templates"))]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["version"] = __version__
    env.globals["pdf_reports"] = pdf_available  # the dashboard offers the report as a PDF when it can
    return env


def create_app(
    db: str | os.PathLike[str] | None = None,
    *,
    store: Store | None = None,
    public: bool = False,
    codebook: str = DEFAULT_CODEBOOK,
    max_body: int = MAX_BODY,
    fetch_policy: FetchPolicy | None = None,
) -> FastAPI:
    """The web app over ``store`` (or the database ``db``).

    ``public=True`` lets anybody read (a published dashboard, its API docs included); changes
    still need a coder. A request body over ``max_body`` bytes is refused (413) unread.
    ``fetch_policy``: how the admin's "add a source" fetches a URL to tell its kind (default: public
    addresses only, robots.txt respected).
    """
    from eventledger.web import admin, api, pages, publication, releases

    app = FastAPI(
        title="eventledger",
        version=__version__,
        summary="Coded, sourced, de-duplicated events from media reports, every figure traceable.",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # served by pages.openapi_spec, to readers only
    )
    app.state.store = store or Store.open(db, create=False)
    app.state.public = public
    app.state.fetch_policy = fetch_policy or FetchPolicy()
    app.state.codebook = load_codebook(codebook)
    # every shipped codebook can be chosen in the app (the one given first): a store may hold the
    # events of several
    app.state.codebooks = {app.state.codebook.id: app.state.codebook}
    for name in shipped_names("codebooks"):
        book = load_codebook(name)
        app.state.codebooks.setdefault(book.id, book)
    app.state.templates = make_templates()
    # innermost of the two: its answers (refusals, 500s) get the security headers too
    app.add_middleware(Guard, render=error_response, crash=unexpected_error, max_body=max_body)

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        h = response.headers
        if "content-security-policy" not in h:
            h["Content-Security-Policy"] = CSP_DOCS if request.url.path == "/docs" else CSP
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if (
            request.url.path.startswith(("/api/", "/login", "/events", "/review", "/audit", "/admin"))
            or request.url.path == "/"
        ):
            h.setdefault("Cache-Control", "no-store")
        new_csrf = getattr(request.state, "new_csrf_cookie", None)
        if new_csrf:
            response.set_cookie(
                CSRF_COOKIE, new_csrf, httponly=True, samesite="strict", secure=request.url.scheme == "https"
            )
        return response

    _install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=_package_dir("static")), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(admin.router)
    app.include_router(releases.router)
    app.include_router(publication.router)
    return app


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return (
        path.startswith("/api/")
        or path == "/openapi.json"
        or "application/json" in request.headers.get("accept", "")
    )


def error_page(request: Request, status: int, message: str, *, who: bool = True) -> Response:
    """The error as a page; ``who=False`` skips finding out who asks (no database access)."""
    viewer, lang = None, "en"
    if who:
        try:
            viewer = identify(request)
            lang = viewer.lang
        except EventLedgerError:
            pass
    env: Environment = request.app.state.templates
    html = env.get_template("error.html").render(
        **base_context(request, viewer, lang), status=status, message=message, title=i18n.t(lang, "error")
    )
    return HTMLResponse(html, status_code=status)


def error_response(
    request: Request,
    status: int,
    message: str,
    *,
    who: bool = False,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """``{"error", "status"}`` for the API (and clients asking for JSON), else an error page."""
    if _wants_json(request):
        body = {"error": message, "status": status, **(extra or {})}
        return JSONResponse(body, status_code=status, headers=headers)
    page = error_page(request, status, message, who=who)
    page.headers.update(headers or {})
    return page


def unexpected_error(request: Request, exc: Exception) -> Response:
    """The one answer to an error nobody planned for (every 500 goes through here).

    The body carries only an error id; the details (SQL, parameters, paths, the database URL,
    the traceback) go to the log under that id.
    """
    error_id = secrets.token_hex(6)
    log.error("error %s: %s %s failed", error_id, request.method, request.url.path, exc_info=exc)
    message = f"internal error {error_id}: the server could not answer; its log has the details under this id"
    return error_response(request, 500, message, extra={"error_id": error_id})


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(EventLedgerError)
    async def on_error(request: Request, exc: EventLedgerError) -> Response:
        status = exc.http_status
        if status == 500:  # a store or input failure: nothing the client can fix or should see
            return unexpected_error(request, exc)
        if isinstance(exc, NotSignedIn) and not _wants_json(request):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        bearer = status == 401 and _wants_json(request)
        headers = {"WWW-Authenticate": 'Bearer realm="eventledger"'} if bearer else None
        return error_response(request, status, str(exc), who=True, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code >= 500:
            return unexpected_error(request, exc)
        headers = getattr(exc, "headers", None)
        return error_response(request, exc.status_code, str(exc.detail), who=True, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> Response:
        """Which parameter is wrong and why; never the input itself (it may be huge or hostile)."""
        found = [
            {"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": e.get("type")}
            for e in exc.errors()
        ]
        message = "invalid request: " + "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in found[:5])
        return error_response(request, 422, message, who=True, extra={"detail": found})
