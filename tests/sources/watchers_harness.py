"""Several ``eventledger watch`` processes against one store and a real HTTP server on 127.0.0.1.

Shared by tests/sources/test_watchers.py and bench/bench_watchers.py. :class:`FeedSite` serves feeds
and their articles on several ports of 127.0.0.1 (each port is a host for the per-host limits, which
count ``host:port``) and logs every request with its port, path, start and end, so that what the
watchers did is measured where it happened: at the server. The feeds answer after ``feed_delay``
seconds, so that two polls of one source at once would show as two overlapping feed requests.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any, cast

CITIES = ["Arak", "Tabriz", "Shiraz", "Isfahan", "Mashhad"]
PUB_DATE = "Sat, 18 Feb 2023 09:15:00 +0330"


@dataclass(frozen=True)
class Hit:
    port: int
    path: str
    start: float  # time.time() when the request line was read
    end: float  # when the response was sent
    status: int


def article(f: int, i: int) -> bytes:
    """Reports of a few events, each told by many feeds (their mentions merge into one event)."""
    city = CITIES[(f + i) % len(CITIES)]
    act = (
        f"Workers of factory {f} protested in {city} over unpaid wages"
        if i % 2 == 0
        else f"Nurses at hospital {f} in {city} went on strike over unpaid wages"
    )
    return (
        f"<html><head><title>Report {f}-{i}</title></head><body><nav>Home | World</nav><article>"
        f"<h1>Report {f}-{i}</h1><p>{act}, report {f}-{i} said on Saturday.</p></article></body></html>"
    ).encode()


def feed(f: int, items: int, base: str) -> bytes:
    entries = "".join(
        f"<item><title>Report {f}-{i}</title><link>{base}/a/{f}/{i}.html</link><guid>f{f}-i{i}</guid>"
        f"<pubDate>{PUB_DATE}</pubDate><description>Summary {f}-{i}</description></item>"
        for i in range(items)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {f}</title>{entries}</channel></rss>'.encode()


@dataclass
class FeedSite:
    """``feeds`` feeds of ``items`` articles each, feed ``f`` and its articles on host ``f % hosts``."""

    feeds: int
    items: int
    hosts: int = 3
    feed_delay: float = 0.0
    hang: set[str] = field(default_factory=set)  # paths whose first request waits for ``release``
    hits: list[Hit] = field(default_factory=list)  # answered requests
    asked: list[tuple[int, str, float]] = field(default_factory=list)  # every request, as it arrives
    release: threading.Event = field(default_factory=threading.Event)
    ports: list[int] = field(default_factory=list)
    _servers: list[ThreadingHTTPServer] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _hung: set[str] = field(default_factory=set)

    def base(self, f: int) -> str:
        return f"http://127.0.0.1:{self.ports[f % self.hosts]}"

    def feed_url(self, f: int) -> str:
        return f"{self.base(f)}/f/{f}.xml"

    def articles(self) -> set[tuple[int, str]]:
        return {
            (self.ports[f % self.hosts], f"/a/{f}/{i}.html")
            for f in range(self.feeds)
            for i in range(self.items)
        }

    def sources_toml(self, path: Path, interval: str) -> Path:
        path.write_text(
            "".join(
                f'[[source]]\nname = "feed {f:04d}"\nkind = "rss"\nurl = "{self.feed_url(f)}"\n'
                f'outlet = "Outlet {f}"\nlang = "en"\ninterval = "{interval}"\n\n'
                for f in range(self.feeds)
            ),
            encoding="utf-8",
        )
        return path

    def _body(self, path: str, port: int) -> tuple[bytes, str] | None:
        parts = path.strip("/").split("/")
        try:
            if path == "/robots.txt":
                return b"User-agent: *\nAllow: /\n", "text/plain"
            if parts[0] == "f" and len(parts) == 2:
                f = int(parts[1].removesuffix(".xml"))
                return feed(f, self.items, f"http://127.0.0.1:{port}"), "application/rss+xml"
            if parts[0] == "a" and len(parts) == 3:
                return article(int(parts[1]), int(parts[2].removesuffix(".html"))), "text/html; charset=utf-8"
        except ValueError:
            return None
        return None

    def handle(self, req: BaseHTTPRequestHandler) -> None:
        start = time.time()
        port = int(cast(tuple[str, int], req.server.server_address)[1])
        path = req.path
        with self._lock:
            self.asked.append((port, path, start))
            hang = path in self.hang and path not in self._hung
            self._hung.add(path)
        if hang:
            self.release.wait(60)
        if path.startswith("/f/") and self.feed_delay:
            time.sleep(self.feed_delay)
        got = self._body(path, port)
        if got is None:
            status, body, headers = 404, b"not found", {"Content-Type": "text/plain"}
        else:
            body, ctype = got
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if req.headers.get("If-None-Match") == etag:
                status, body, headers = 304, b"", {"ETag": etag}
            else:
                status, headers = 200, {"ETag": etag, "Content-Type": ctype}
        try:
            req.send_response(status)
            for k, v in headers.items():
                req.send_header(k, v)
            req.send_header("Content-Length", str(len(body)))
            req.end_headers()
            req.wfile.write(body)
        except OSError:  # the watcher was killed while it waited
            pass
        with self._lock:
            self.hits.append(Hit(port, path, start, time.time(), status))

    def start(self) -> FeedSite:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                site.handle(self)

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 256  # three watchers' connections at once, none refused

        for _ in range(self.hosts):
            server = Server(("127.0.0.1", 0), Handler)
            self._servers.append(server)
            self.ports.append(server.server_address[1])
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.release.set()
        for server in self._servers:
            server.shutdown()
            server.server_close()

    def snapshot(self) -> list[Hit]:
        with self._lock:
            return list(self.hits)

    def was_asked(self, path: str) -> bool:
        with self._lock:
            return any(p == path for _, p, _ in self.asked)


# --- the watcher processes ------------------------------------------------------------------------------
def start_watcher(
    db: str,
    sources: Path,
    log: IO[Any],
    *,
    per_host_interval: float,
    lease: float,
    concurrency: int = 4,
    timeout: float = 20.0,
) -> subprocess.Popen[bytes]:
    """``eventledger watch`` in a process (and session) of its own, its output to ``log``."""
    env = {k: v for k, v in os.environ.items() if k != "EVENTLEDGER_DB"}
    args = [
        sys.executable, "-m", "eventledger", "--db", db, "watch", "--sources", str(sources),
        "--allow-private-networks", "127.0.0.1/32", "--per-host-interval", str(per_host_interval),
        "--retries", "0", "--lease", str(lease), "--concurrency", str(concurrency), "--timeout", str(timeout),
    ]  # fmt: skip
    return subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)


def stop_watchers(procs: Sequence[subprocess.Popen[bytes]], wait_s: float = 60.0) -> list[int | None]:
    """SIGTERM (as a service manager stops them), then wait; a watcher still running is killed."""
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    codes: list[int | None] = []
    deadline = time.monotonic() + wait_s
    for p in procs:
        try:
            codes.append(p.wait(max(0.1, deadline - time.monotonic())))
        except subprocess.TimeoutExpired:
            kill(p)
            codes.append(None)
    return codes


class Watchers:
    """Watcher processes of one store and sources file, their output in ``folder``; leaving the ``with``
    block stops those still running, and the site."""

    def __init__(self, site: FeedSite, db: str, sources: Path, folder: Path, **options: Any) -> None:
        self.site, self.db, self.sources, self.folder, self.options = site, db, sources, folder, options
        self.procs: list[subprocess.Popen[bytes]] = []
        self._logs: list[IO[bytes]] = []

    def start(self, n: int) -> list[subprocess.Popen[bytes]]:
        new = []
        for _ in range(n):
            log = open(self.folder / f"watcher-{len(self.procs)}.log", "wb")  # noqa: SIM115
            self._logs.append(log)
            new.append(start_watcher(self.db, self.sources, log, **self.options))
            self.procs.append(new[-1])
        return new

    def output(self) -> str:
        for log in self._logs:
            log.flush()
        return "\n".join(Path(log.name).read_text(errors="replace") for log in self._logs)

    def __enter__(self) -> Watchers:
        return self

    def __exit__(self, *exc: object) -> None:
        stop_watchers(self.procs, 5)
        for log in self._logs:
            log.close()
        self.site.stop()


def kill(p: subprocess.Popen[bytes]) -> None:
    """SIGKILL the watcher and its coding processes (a crash: nothing runs after it)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(p.pid, signal.SIGKILL)
    p.wait(30)


def wait_until(check: Any, timeout: float, every: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return bool(check())


# --- what the server saw ----------------------------------------------------------------------------------
def article_fetches(hits: Sequence[Hit]) -> Counter[tuple[int, str]]:
    """Article bodies sent, by (port, path)."""
    return Counter((h.port, h.path) for h in hits if h.path.startswith("/a/") and h.status == 200)


def feed_polls(hits: Sequence[Hit]) -> dict[tuple[int, str], list[Hit]]:
    """Each feed's requests, in the order they started."""
    out: dict[tuple[int, str], list[Hit]] = defaultdict(list)
    for h in sorted(hits, key=lambda h: h.start):
        if h.path.startswith("/f/"):
            out[(h.port, h.path)].append(h)
    return out


def concurrent_polls(hits: Sequence[Hit]) -> int:
    """Feed requests that started while another request for the same feed was still being answered."""
    n = 0
    for polls in feed_polls(hits).values():
        busy_until = 0.0
        for h in polls:
            if h.start < busy_until:
                n += 1
            busy_until = max(busy_until, h.end)
    return n


def host_rates(hits: Sequence[Hit], interval: float) -> dict[int, dict[str, float]]:
    """Per host (port): requests, the smallest gap between two starts, the gaps shorter than half the
    interval (a request that started late, the next one on time: the machine is busy), and the most
    requests that started within any window of ``10 × interval`` (at most 10, and 11 at a window's
    edges, when the limit holds)."""
    out: dict[int, dict[str, float]] = {}
    for port in sorted({h.port for h in hits}):
        starts = sorted(h.start for h in hits if h.port == port)
        gaps = [b - a for a, b in itertools.pairwise(starts)]
        window, most, j = 10 * interval, 0, 0
        for i, t in enumerate(starts):
            while starts[j] < t - window:
                j += 1
            most = max(most, i - j + 1)
        out[port] = {
            "requests": len(starts),
            "min_gap_s": min(gaps, default=0.0),
            "short_gaps": sum(g < interval / 2 for g in gaps),
            "most_in_10_intervals": most,
        }
    return out
