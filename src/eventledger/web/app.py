"""The analyst's web app: ``create_app`` builds it over one store; ``eventledger serve`` runs it.

Server-rendered pages (Jinja2, autoescaped) with a little htmx, inline SVG charts and map, and a
JSON API described by OpenAPI. Every asset is served from the package: the app works offline.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.exceptions import HTTPException as StarletteHTTPException

from eventledger import __version__
from eventledger.errors import (
    AuthError,
    ConfigError,
    EventLedgerError,
    NotFoundError,
    PermissionDenied,
    ReviewError,
)
from eventledger.extract.codebook import DEFAULT_CODEBOOK, load_codebook
from eventledger.store.db import Store
from eventledger.web import i18n
from eventledger.web.deps import CSRF_COOKIE, NotSignedIn, identify

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI sets inline styles on its own elements; its page gets only that exception
CSP_DOCS = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


def _package_dir(sub: str) -> str:
    return str(resources.files("eventledger").joinpath("web", sub))


def make_templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(_package_dir("templates")),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["version"] = __version__
    return env


def create_app(
    db: str | os.PathLike[str] | None = None,
    *,
    store: Store | None = None,
    public: bool = False,
    codebook: str = DEFAULT_CODEBOOK,
) -> FastAPI:
    """The web app over ``store`` (or the database ``db``).

    ``public=True`` lets anybody read (a published dashboard); changes still need a coder.
    """
    from eventledger.web import api, pages

    app = FastAPI(
        title="eventledger",
        version=__version__,
        summary="Coded, sourced, de-duplicated events from media reports, every figure traceable.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.store = store or Store.open(db, create=False)
    app.state.public = public
    app.state.codebook = load_codebook(codebook)
    app.state.templates = make_templates()

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
            request.url.path.startswith(("/api/", "/login", "/events", "/review", "/audit"))
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
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def _status(exc: Exception) -> int:
    if isinstance(exc, PermissionDenied):
        return 403
    if isinstance(exc, AuthError):
        return 401
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, ReviewError):
        return 422
    if isinstance(exc, ConfigError):
        return 400
    return 500


def error_page(request: Request, status: int, message: str) -> Response:
    try:
        viewer = identify(request)
        lang = viewer.lang
    except EventLedgerError:
        viewer, lang = None, "en"
    env: Environment = request.app.state.templates
    html = env.get_template("error.html").render(
        **base_context(request, viewer, lang), status=status, message=message, title=i18n.t(lang, "error")
    )
    return HTMLResponse(html, status_code=status)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(EventLedgerError)
    async def on_error(request: Request, exc: EventLedgerError) -> Response:
        status = _status(exc)
        if _wants_json(request):
            headers = {"WWW-Authenticate": 'Bearer realm="eventledger"'} if status == 401 else None
            return JSONResponse({"error": str(exc), "status": status}, status_code=status, headers=headers)
        if isinstance(exc, NotSignedIn):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        return error_page(request, status, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request):
            return JSONResponse(
                {"error": str(exc.detail), "status": exc.status_code}, status_code=exc.status_code
            )
        return error_page(request, exc.status_code, str(exc.detail))


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
