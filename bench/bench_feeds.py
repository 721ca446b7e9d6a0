"""Polling throughput: 1,000 feeds × 20 items served on loopback, then a second, conditional pass.

    python bench/bench_feeds.py                     # 1,000 feeds × 20 items
    python bench/bench_feeds.py --feeds 100         # smaller

A separate process serves the feeds and their article pages from memory on 127.0.0.1 (with ETag
support); eventledger polls every feed once (fetching 21,000 URLs: feeds, articles, robots.txt),
codes and stores the reports, then polls again. The second pass must transfer no bodies: every
feed answers 304 and no article is fetched again. Per-host politeness is relaxed here (all
feeds share one host: interval 0, 16 requests at once) — on the web the defaults apply.
Prints wall time, requests/s and bodies transferred; writes bench/out/feeds.json.
"""

from __future__ import annotations

import argparse
import hashlib
import ipaddress
import json
import multiprocessing as mp
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
CITIES = [
    "Tehran",
    "Karaj",
    "Rasht",
    "Mashhad",
    "Isfahan",
    "Shiraz",
    "Tabriz",
    "Ahvaz",
    "Kermanshah",
    "Zahedan",
]


DAYS = ["Saturday", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
ACTS = ["wrote slogans on walls", "set fire to a billboard", "put up banners", "distributed leaflets"]


def article(f: int, i: int) -> bytes:
    # feeds report different acts, places and days, as real feeds do (one event, a few sources)
    city = CITIES[(f * 7 + i) % len(CITIES)]
    act = ACTS[(f + i) % len(ACTS)]
    day = DAYS[(f // 10 + i) % len(DAYS)]
    paras = "".join(
        f"<p>Paragraph {k} of a report from {city}: residents described the night in detail to reporters.</p>"
        for k in range(6)
    )
    return (
        f"<html><head><title>Report {f}-{i}</title></head><body><nav>Home | World | Subscribe</nav>"
        f"<article><h1>Report {f}-{i}</h1><p>Sepideh units {act} in {city} on {day} night.</p>{paras}"
        "</article><footer>footer</footer></body></html>"
    ).encode()


def _pub(f: int) -> str:
    import datetime as dt

    day = dt.datetime(2023, 2, 18, 9, 0, tzinfo=dt.UTC) - dt.timedelta(days=f % 300)
    return day.strftime("%a, %d %b %Y %H:%M:%S +0000")


def feed(f: int, items: int, host: str) -> bytes:
    entries = "".join(
        f"<item><title>Report {f}-{i}</title><link>http://{host}/a/{f}/{i}.html</link><guid>f{f}-i{i}</guid>"
        f"<pubDate>{_pub(f)}</pubDate><description>Summary {i}</description></item>"
        for i in range(items)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {f}</title>{entries}</channel></rss>'.encode()


def serve(port_q: mp.Queue, feeds: int, items: int) -> None:  # type: ignore[type-arg]
    cache: dict[str, tuple[bytes, str]] = {}

    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body in separate writes: no 40 ms delayed-ACK stalls

        def log_message(self, *a: object) -> None:
            pass

        def do_GET(self) -> None:
            host = self.headers.get("Host", "127.0.0.1")
            body = self._body(self.path, host)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            etag = cache.setdefault(self.path, (body, '"' + hashlib.sha1(body).hexdigest()[:16] + '"'))[1]
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", etag)
            self.send_header(
                "Content-Type", "application/rss+xml" if self.path.startswith("/feed/") else "text/html"
            )
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _body(self, path: str, host: str) -> bytes | None:
            parts = path.strip("/").split("/")
            if path == "/robots.txt":
                return b"User-agent: *\nAllow: /\n"
            if parts[0] == "feed" and len(parts) == 2:
                return feed(int(parts[1].removesuffix(".xml")), items, host)
            if parts[0] == "a" and len(parts) == 3:
                return article(int(parts[1]), int(parts[2].removesuffix(".html")))
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), H)
    server.daemon_threads = True
    port_q.put(server.server_address[1])
    server.serve_forever()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--feeds", type=int, default=1000)
    ap.add_argument("--items", type=int, default=20)
    ap.add_argument("--concurrency", type=int, default=16)
    args = ap.parse_args()

    from eventledger.pipeline import Ingestor
    from eventledger.sources.config import SourceSpec
    from eventledger.sources.http import FetchPolicy
    from eventledger.store.db import Store
    from eventledger.watch import poll

    q: mp.Queue = mp.get_context("spawn").Queue()  # type: ignore[type-arg]
    server = mp.get_context("spawn").Process(target=serve, args=(q, args.feeds, args.items), daemon=True)
    server.start()
    port = q.get(timeout=30)
    base = f"http://127.0.0.1:{port}"
    OUT.mkdir(exist_ok=True)
    db = OUT / "feeds.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    store = Store.open(db)
    policy = FetchPolicy(
        allow_private=(ipaddress.ip_network("127.0.0.1/32"),),
        per_host_interval=0.0,
        per_host_concurrency=args.concurrency,
        concurrency=args.concurrency,
        retries=1,
    )
    specs = [
        SourceSpec(name=f"feed-{f}", kind="rss", url=f"{base}/feed/{f}.xml", outlet=f"Outlet {f}", lang="en")
        for f in range(args.feeds)
    ]
    passes = []
    for label in ("first pass", "second pass (conditional)"):
        t = time.perf_counter()
        res = poll(Ingestor(store), specs, policy)
        wall = time.perf_counter() - t
        row = {
            "pass": label,
            "feeds": args.feeds,
            "items_per_feed": args.items,
            "seconds": round(wall, 1),
            "requests": res.requests,
            "requests_per_second": round(res.requests / wall),
            "bodies": res.requests - res.http_not_modified,
            "bytes": res.bytes,
            "not_modified": res.http_not_modified,
            "documents": res.ingest.documents,
            "new_events": res.ingest.new_events,
            "failed_sources": len(res.failed),
        }
        passes.append(row)
        print(json.dumps(row), flush=True)
    server.terminate()
    store.close()
    machine = f"{os.cpu_count()} cores"
    (OUT / "feeds.json").write_text(json.dumps({"machine": machine, "passes": passes}, indent=2))
    print("\n| pass | feeds × items | wall s | requests | requests/s | bodies transferred | reports stored |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in passes:
        print(
            f"| {r['pass']} | {r['feeds']:,} × {r['items_per_feed']} | {r['seconds']} | {r['requests']:,} | {r['requests_per_second']:,} "
            f"| {r['bodies']:,} | {r['documents']:,} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
