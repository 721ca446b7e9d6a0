"""A real HTTP server on 127.0.0.1 serving the fixtures: feeds, articles, hostile responses."""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.store.conftest import pg_store  # noqa: F401 (a fresh PostgreSQL store: test_watchers.py)

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass
class Site:
    """Routes of the test server; tests may change ``pages`` while it runs."""

    base: str = ""
    pages: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # path → (body, content type)
    hits: list[str] = field(default_factory=list)
    bodies_sent: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path


def _load(site: Site) -> None:
    http = FIXTURES / "http"
    for name, ctype in (
        ("feed-en.xml", "application/rss+xml; charset=utf-8"),
        ("feed-fa.xml", "application/atom+xml; charset=utf-8"),
        ("malformed.xml", "application/rss+xml"),
        ("sitemap.xml", "application/xml"),
    ):
        site.pages[f"/{name}"] = (
            (http / name).read_bytes().replace(b"HOST", site.base.split("://")[1].encode()),
            ctype,
        )
    for name in ("en-1.html", "en-2.html", "fa-1.html"):
        site.pages[f"/articles/{name}"] = ((http / name).read_bytes(), "text/html; charset=utf-8")
    # legacy charset declared only inside the page
    site.pages["/articles/fa-1256.html"] = ((http / "fa-1256.html").read_bytes(), "text/html")
    site.pages["/robots.txt"] = (b"User-agent: *\nDisallow: /private/\n", "text/plain")
    site.pages["/private/secret.html"] = (b"<html><body><p>not for robots</p></body></html>", "text/html")
    tg = FIXTURES / "telegram"
    for name in ("tme_s_page1.html", "tme_s_page2.html"):
        if (tg / name).exists():
            site.pages[f"/tg/{name}"] = ((tg / name).read_bytes(), "text/html; charset=utf-8")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    site: Site

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)
            self.site.bodies_sent.append(self.path)

    def _special(self, route: str, path: str) -> bool:
        """Hostile and odd responses; True when one was sent."""
        redirects = {
            "/loop1": "/loop2",
            "/loop2": "/loop1",
            "/to-private": "http://169.254.169.254/latest/meta-data/",
        }
        if route in redirects:
            self._send(302, headers={"Location": redirects[route]})
        elif route == "/error500":
            self._send(500, b"server error", {"Content-Type": "text/plain"})
        elif route == "/slow":
            time.sleep(3)
            self._send(200, b"<rss></rss>", {"Content-Type": "application/rss+xml"})
        elif route == "/huge":
            self._send(200, b"<p>" + b"x" * (3 * 1024 * 1024) + b"</p>", {"Content-Type": "text/html"})
        elif route == "/gz-feed.xml":
            body, ctype = self.site.pages["/feed-en.xml"]
            self._send(200, gzip.compress(body), {"Content-Type": ctype, "Content-Encoding": "gzip"})
        elif route == "/tg/s/sepideh":
            body, ctype = self.site.pages[
                "/tg/tme_s_page2.html" if "before=" in path else "/tg/tme_s_page1.html"
            ]
            self._send(200, body, {"Content-Type": ctype})
        else:
            return False
        return True

    def do_GET(self) -> None:
        path = self.path
        self.site.hits.append(path)
        route = path.split("?", 1)[0]
        if self._special(route, path):
            return
        if route not in self.site.pages:
            return self._send(404, b"not found", {"Content-Type": "text/plain"})
        body, ctype = self.site.pages[route]
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            return self._send(304, headers={"ETag": etag})
        return self._send(
            200,
            body,
            {"Content-Type": ctype, "ETag": etag, "Last-Modified": "Sat, 18 Feb 2023 10:00:00 GMT"},
        )


def make_handler(site: Site) -> type[BaseHTTPRequestHandler]:
    return type("SiteHandler", (Handler,), {"site": site})


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(s))
    server.daemon_threads = True
    s.base = f"http://127.0.0.1:{server.server_address[1]}"
    _load(s)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield s
    server.shutdown()
    server.server_close()
