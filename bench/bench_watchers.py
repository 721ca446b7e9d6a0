"""Three watchers on one PostgreSQL store, 1,000 local feeds (issue 13, item 2).

    python bench/bench_watchers.py --db postgresql+psycopg://USER@HOST/DB     # 3 watchers × 1,000 feeds
    python bench/bench_watchers.py --db URL --feeds 100 --watchers 2         # smaller

The bench creates a database of its own next to the one named (``<name>_bench_watchers``, dropped and
made again: the one named is never written), serves ``--feeds`` RSS feeds of ``--items`` articles each
from this process on ``--hosts`` ports of 127.0.0.1 (each port a host for the per-host limits) and
starts ``--watchers`` ``eventledger watch`` processes on that store. The feeds are due again every
``--interval``; the bench waits until every article has been fetched and every feed polled at least
twice (the second time a conditional GET: 304), then stops the watchers (SIGTERM) and reports what
the server saw: articles fetched once, twice or never, feed requests that started while another
request for the same feed was being answered (two watchers polling one source at once), the most
requests one host got in any ten per-host intervals, how the sources and reports were shared among
the watchers, and the wall time. Writes bench/out/watchers.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from tests.sources.watchers_harness import (  # noqa: E402
    FeedSite,
    Watchers,
    article_fetches,
    concurrent_polls,
    feed_polls,
    host_rates,
    stop_watchers,
    wait_until,
)

from eventledger.store.db import Store  # noqa: E402
from eventledger.store.schema import documents, events, runs, sources  # noqa: E402


def bench_database(url: str) -> str:
    """A database of the bench's own on the server of ``url``, made afresh."""
    u = make_url(url)
    name = f"{u.database or 'eventledger'}_bench_watchers"
    admin = create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return u.set(database=name).render_as_string(hide_password=False)


def run(args: argparse.Namespace, url: str) -> dict[str, Any]:
    """Serve the feeds, run the watchers until every feed has been polled twice, measure."""
    site = FeedSite(args.feeds, args.items, hosts=args.hosts, feed_delay=args.feed_delay).start()
    work = Path(tempfile.mkdtemp(prefix="bench-watchers-"))
    cfg = site.sources_toml(work / "sources.toml", args.interval)
    options = {
        "per_host_interval": args.per_host_interval,
        "lease": args.lease,
        "concurrency": args.concurrency,
    }
    first_round: float | None = None
    with Watchers(site, url, cfg, work, timeout=60, **options) as watchers:
        started = time.time()
        watchers.start(args.watchers)

        def progress() -> bool:
            nonlocal first_round
            hits = site.snapshot()
            if first_round is None and len(article_fetches(hits)) == args.feeds * args.items:
                first_round = time.time() - started
                print(f"every article fetched after {first_round:.1f} s", flush=True)
            polls = feed_polls(hits)
            return first_round is not None and len(polls) == args.feeds and min(map(len, polls.values())) >= 2

        finished = wait_until(progress, args.max_seconds, every=1.0)
        wall = time.time() - started
        codes = stop_watchers(watchers.procs)
    hits = site.snapshot()
    fetched = article_fetches(hits)
    times = Counter(fetched.get(a, 0) for a in site.articles())
    rates = host_rates(hits, args.per_host_interval)
    store = Store.open(url)
    with store.connect() as conn:
        docs = conn.execute(select(documents.c.url, runs.c.pid).join(runs)).all()
        left = conn.execute(select(func.count()).where(sources.c.lease_owner.is_not(None))).scalar()
        n_events = conn.execute(select(func.count()).select_from(events)).scalar()
    store.close()
    return {
        "machine": f"{os.cpu_count()} cores, one PostgreSQL, server and watchers on this machine",
        "watchers": args.watchers,
        "feeds": args.feeds,
        "items_per_feed": args.items,
        "hosts": args.hosts,
        "per_host_interval_s": args.per_host_interval,
        "concurrency_per_watcher": args.concurrency,
        "finished": finished,
        "exit_codes": codes,
        "seconds_until_every_article_fetched": round(first_round, 1) if first_round else None,
        "seconds_until_every_feed_polled_twice": round(wall, 1),
        "requests": len(hits),
        "articles_fetched_once": times.get(1, 0),
        "articles_fetched_twice_or_more": sum(n for k, n in times.items() if k >= 2),
        "articles_never_fetched": times.get(0, 0),
        "reports_stored": len(docs),
        "reports_stored_twice": len(docs) - len({d.url for d in docs}),
        "events": n_events,
        "feed_polls": sum(map(len, feed_polls(hits).values())),
        "feed_polls_answered_304": sum(1 for h in hits if h.path.startswith("/f/") and h.status == 304),
        "concurrent_polls_of_one_source": concurrent_polls(hits),
        "reports_stored_per_watcher": sorted(Counter(d.pid for d in docs).values(), reverse=True),
        "leases_left_after_stop": left,
        "most_requests_to_one_host_in_10_intervals": max(r["most_in_10_intervals"] for r in rates.values()),
        "gaps_under_half_the_interval": sum(r["short_gaps"] for r in rates.values()),
        "smallest_gap_between_requests_to_one_host_s": round(min(r["min_gap_s"] for r in rates.values()), 4),
    }


def table(r: dict[str, Any]) -> str:
    return "\n".join(
        [
            "| watchers | feeds × articles | hosts | every article fetched | every feed polled twice "
            "| articles fetched once / twice+ / never | concurrent polls of one source "
            "| most requests per host in 10 intervals | reports stored per watcher |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
            f"| {r['watchers']} | {r['feeds']:,} × {r['items_per_feed']} | {r['hosts']} "
            f"| {r['seconds_until_every_article_fetched']} s | {r['seconds_until_every_feed_polled_twice']} s "
            f"| {r['articles_fetched_once']:,} / {r['articles_fetched_twice_or_more']} / "
            f"{r['articles_never_fetched']} | {r['concurrent_polls_of_one_source']} "
            f"| {r['most_requests_to_one_host_in_10_intervals']} "
            f"| {', '.join(f'{n:,}' for n in r['reports_stored_per_watcher'])} |",
        ]
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default=os.environ.get("EVENTLEDGER_TEST_PG_URL"), help="a PostgreSQL URL")
    ap.add_argument("--feeds", type=int, default=1000)
    ap.add_argument("--items", type=int, default=2)
    ap.add_argument("--hosts", type=int, default=10)
    ap.add_argument("--watchers", type=int, default=3)
    ap.add_argument("--per-host-interval", type=float, default=0.05)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--interval", default="60s", help="each feed's poll interval")
    ap.add_argument("--feed-delay", type=float, default=0.05, help="seconds a feed takes to answer")
    ap.add_argument("--lease", type=float, default=60.0)
    ap.add_argument("--max-seconds", type=float, default=480.0)
    args = ap.parse_args()
    if not args.db or not args.db.startswith("postgresql"):
        ap.error("give --db postgresql+psycopg://… (or set EVENTLEDGER_TEST_PG_URL)")
    url = bench_database(args.db)
    Store.open(url).close()  # migrated once, before the watchers start
    print(
        f"{args.watchers} watchers, {args.feeds:,} feeds × {args.items} articles on {args.hosts} hosts",
        flush=True,
    )
    result = run(args, url)
    OUT.mkdir(exist_ok=True)
    (OUT / "watchers.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    print("\n" + table(result))
    r = result
    once = r["articles_fetched_once"] == args.feeds * args.items
    return 0 if r["finished"] and once and r["concurrent_polls_of_one_source"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
