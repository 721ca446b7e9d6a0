"""What every request must meet before a route sees it, and the one answer to errors nobody planned for.

* A request body over the limit is refused with 413 before anything parses it: at once when its
  ``Content-Length`` says so, else as soon as the streamed bytes pass the limit.
* The path and the query must be UTF-8 text without control characters (NUL included) and not too
  long (400, 414): such input never reaches a query, a template or the database driver.
* An exception that no route turned into an answer becomes a 500 whose body carries only an error
  id; the details (SQL, parameters, paths, the database URL, the traceback) go to the server's log
  under that id (see ``app.unexpected_error``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 1 << 20  # bytes of one request body (a review or a sign-in is a few hundred)
MAX_TARGET = 4096  # bytes of the path and query together, as sent (percent-encoded)
MAX_PARAMS = 64  # query parameters in one request
MAX_PARAM_CHARS = 1000  # characters of one query parameter's value
MAX_NAME_CHARS = 64  # characters of one query parameter's name

# C0 controls but tab, line feed and carriage return; DEL; C1 controls; UTF-16 surrogates (only a
# decoded JSON string can hold one: bytes that would encode one are not UTF-8)
_BAD_CHAR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

Render = Callable[[Request, int, str], Response]
Crash = Callable[[Request, Exception], Response]


def text_problem(value: str) -> str | None:
    """Why ``value`` is no acceptable text (a control character, a lone surrogate), else None."""
    m = _BAD_CHAR.search(value)
    if m is None:
        return None
    code = ord(m.group())
    kind = "a lone UTF-16 surrogate" if 0xD800 <= code <= 0xDFFF else "a control character"
    return f"contains {kind} (U+{code:04X})"


class RequestRefused(Exception):
    """A request that fails the checks above, with the status and message to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` once the streamed body passes the limit (FastAPI passes it on as is)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, body_message(limit))


def body_message(limit: int) -> str:
    return f"the request body is too large: at most {limit:,} bytes"


def _text(raw: bytes, what: str) -> str:
    try:
        value = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        raise RequestRefused(400, f"{what} is not UTF-8 text") from None
    problem = text_problem(value)
    if problem:
        raise RequestRefused(400, f"{what} {problem}")
    return value


def check_target(scope: Scope) -> None:
    """The path and query string of ``scope``; raises :class:`RequestRefused`."""
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
    query: bytes = scope.get("query_string", b"")
    if len(raw_path) + len(query) > MAX_TARGET:
        raise RequestRefused(414, f"the address is too long: at most {MAX_TARGET:,} bytes")
    _text(raw_path, "the path")
    pairs = [p for p in query.split(b"&") if p]
    if len(pairs) > MAX_PARAMS:
        raise RequestRefused(400, f"too many query parameters: at most {MAX_PARAMS}")
    for pair in pairs:
        raw_name, _, raw_value = pair.partition(b"=")
        name = _text(raw_name.replace(b"+", b" "), "a query parameter's name")
        if len(name) > MAX_NAME_CHARS:
            raise RequestRefused(
                400, f"a query parameter's name is too long: at most {MAX_NAME_CHARS} characters"
            )
        value = _text(raw_value.replace(b"+", b" "), f"query parameter {name!r}")
        if len(value) > MAX_PARAM_CHARS:
            raise RequestRefused(
                400, f"query parameter {name!r} is too long: at most {MAX_PARAM_CHARS:,} characters"
            )


def declared_length(scope: Scope) -> int | None:
    """The body's ``Content-Length`` (None when streamed); raises :class:`RequestRefused` when unreadable."""
    values = [v for k, v in scope.get("headers", ()) if k.lower() == b"content-length"]
    if not values:
        return None
    if len(set(values)) > 1 or not values[0].strip().isdigit():
        raise RequestRefused(400, "the Content-Length header is not one whole number")
    return int(values[0])


class Guard:
    """ASGI middleware: the checks of this module around the app.

    ``render(request, status, message)`` answers a refused request; ``crash(request, exc)``
    answers an exception that escaped every handler (it logs the details).
    """

    def __init__(self, app: ASGIApp, *, render: Render, crash: Crash, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.render = render
        self.crash = crash
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            check_target(scope)
            length = declared_length(scope)
            if length is not None and length > self.max_body:
                raise RequestRefused(413, body_message(self.max_body))
        except RequestRefused as refused:
            await self.render(Request(scope), refused.status, refused.message)(scope, receive, send)
            return

        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLarge(self.max_body)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except Exception as exc:
            if started:  # too late to answer: the server closes the connection and logs it
                raise
            request = Request(scope)
            if isinstance(exc, BodyTooLarge):
                response = self.render(request, 413, str(exc.detail))
            else:
                response = self.crash(request, exc)
            await response(scope, receive, send)
