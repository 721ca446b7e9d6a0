"""Many watchers on one store (issue 13, item 2): leases on sources, per-host turns, a dead watcher.

The process tests run ``eventledger watch`` processes against one PostgreSQL store
(EVENTLEDGER_TEST_PG_URL; .ci/run starts one) and a real HTTP server on several ports of 127.0.0.1,
and measure at the server: every article fetched exactly once, no feed polled by two watchers at once,
the per-host interval held across the watchers, a killed watcher's sources taken over after its lease.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, func, select, update

from eventledger.pipeline import Ingestor
from eventledger.records import RawReport
from eventledger.sources import state
from eventledger.sources.config import SourceSpec, load_sources
from eventledger.sources.http import FetchPolicy
from eventledger.store.db import Store
from eventledger.store.schema import documents, events, host_turns, mentions, runs, sources
from eventledger.watch import _seconds_to_next, poll
from tests.sources.watchers_harness import (
    FeedSite,
    Watchers,
    article_fetches,
    concurrent_polls,
    feed_polls,
    host_rates,
    kill,
    stop_watchers,
    wait_until,
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_store(request: pytest.FixtureRequest, tmp_path) -> Iterator[Store]:
    if request.param == "postgresql":
        yield request.getfixturevalue("pg_store")
        return
    store = Store.open(tmp_path / "w.db")
    yield store
    store.close()


def _specs(n: int, interval_s: int = 60) -> list[SourceSpec]:
    return [
        SourceSpec(
            name=f"s{i:03d}",
            kind="rss",
            url=f"http://127.0.0.1:9/{i}.xml",
            outlet=f"O{i}",
            interval_s=interval_s,
        )
        for i in range(n)
    ]


# --- leases, in one process ------------------------------------------------------------------------------
def test_a_leased_source_is_not_taken_again_until_released_or_expired(any_store):
    store, specs = any_store, _specs(3)
    with store.begin() as conn:
        state.register(conn, specs)
        taken, _ = state.take_leases(conn, specs, "A", 60, 2)
    assert [s.name for s in taken] == ["s000", "s001"]
    with store.begin() as conn:
        taken_b, stale = state.take_leases(conn, specs, "B", 60, 10)
    assert [s.name for s in taken_b] == ["s002"] and stale == []  # A's two are A's
    with store.begin() as conn:
        assert state.take_leases(conn, specs, "C", 60, 10) == ([], [])
        assert sorted(state.renew_leases(conn, "A", 60)) == ["s000", "s001"]
        # A polls s000 and releases it with its state: no longer due, so not taken again in this interval
        conn.execute(update(sources).where(sources.c.name == "s000").values(last_checked=state.db_now(conn)))
        state.release_lease(conn, "A", ["s000"])
        assert state.take_leases(conn, specs, "C", 60, 10) == ([], ["s000"])
        # ... but --once takes it, due or not
        assert [s.name for s in state.take_leases(conn, specs, "C", 60, 10, due_only=False)[0]] == ["s000"]
        # A's lease on s001 expires (A died): another watcher takes it over; A's renewal finds it gone
        past = state.db_now(conn) - dt.timedelta(seconds=1)
        conn.execute(update(sources).where(sources.c.name == "s001").values(lease_expires=past))
        assert [s.name for s in state.take_leases(conn, specs, "D", 60, 10)[0]] == ["s001"]
        assert state.renew_leases(conn, "A", 60) == []
        state.release_lease(conn, "D")
        owners = dict(conn.execute(select(sources.c.name, sources.c.lease_owner)).all())
    assert owners == {"s000": "C", "s001": None, "s002": "B"}


def test_paused_sources_are_never_taken(any_store):
    store, specs = any_store, _specs(2)
    with store.begin() as conn:
        state.register(conn, specs)
        conn.execute(update(sources).where(sources.c.name == "s000").values(paused=True))
        assert [s.name for s in state.take_leases(conn, specs, "A", 60, 10, due_only=False)[0]] == ["s001"]


def test_a_watcher_waits_an_interval_for_a_source_another_one_is_polling(any_store):
    """Not a second: the other watcher polls it now; at most until that lease expires (it died)."""
    store, specs = any_store, _specs(1, interval_s=600)
    with store.begin() as conn:
        state.register(conn, specs)
        state.take_leases(conn, specs, "other", 60, 1)
    assert 55 < _seconds_to_next(store, specs, "me") <= 61  # the lease expires first
    with store.begin() as conn:
        state.release_lease(conn, "other")
        state.take_leases(conn, specs, "other", 3600, 1)
    assert 595 < _seconds_to_next(store, specs, "me") <= 601  # due again an interval from now
    assert _seconds_to_next(store, specs, "other") == 1.0  # its own: never checked yet


@pytest.mark.postgres
def test_threads_taking_leases_at_once_each_take_different_sources(pg_store):
    """Eight takers on eight connections, five sources at a time: SKIP LOCKED hands each source to one."""
    specs = _specs(400)
    with pg_store.begin() as conn:
        state.register(conn, specs)
    got: dict[str, list[str]] = {}
    start = threading.Barrier(8)

    def taker(owner: str) -> None:
        mine: list[str] = []
        start.wait()
        while True:
            with pg_store.begin() as conn:
                taken, _ = state.take_leases(conn, specs, owner, 60, 5)
            if not taken:
                break
            mine.extend(s.name for s in taken)
        got[owner] = mine

    threads = [threading.Thread(target=taker, args=(f"w{i}",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    everything = [n for names in got.values() for n in names]
    assert sorted(everything) == [s.name for s in specs]  # each source once, none lost
    assert sum(1 for names in got.values() if names) >= 2  # and shared
    with pg_store.connect() as conn:
        owners = dict(conn.execute(select(sources.c.name, sources.c.lease_owner)).all())
    assert all(owners[n] == owner for owner, names in got.items() for n in names)


@pytest.mark.postgres
def test_host_turns_space_the_requests_of_all_takers(pg_store):
    """Twenty requests to one host from four threads (four watchers): slots one interval apart."""
    interval, slots, lock = 0.05, [], threading.Lock()
    turn = select(host_turns.c.next_request_at).where(host_turns.c.host == "127.0.0.1:8080")

    def requests() -> None:
        for _ in range(5):
            with pg_store.begin() as conn:
                wait = state.host_turn(conn, "127.0.0.1:8080", interval)
                slot = conn.execute(turn).scalar_one() - interval  # the row is ours until commit
            with lock:
                slots.append((slot, wait))

    threads = [threading.Thread(target=requests) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    slots.sort()
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(slots)]
    assert len(slots) == 20 and min(gaps) >= interval - 1e-6, gaps
    assert max(w for _, w in slots) > 10 * interval  # the later ones waited their turn
    with pg_store.begin() as conn:
        assert state.host_turn(conn, "other:80", interval) == 0.0  # another host waits for nothing


@pytest.mark.postgres
def test_watchers_store_their_reports_one_at_a_time(pg_store):
    """Four writers at once, every report about the same event: one event (without the write lock two
    PostgreSQL transactions that do not see each other's new event each make one: 2 to 4 events here)."""
    published = dt.datetime(2023, 2, 18, 6, tzinfo=dt.UTC)

    def watcher(k: int) -> None:
        with Ingestor(pg_store).run("watch", {}) as run:
            for b in range(5):
                reports = [
                    RawReport(
                        f"Workers of factory {k}{b}{j} protested in Arak over unpaid wages.",
                        "test",
                        external_id=f"{k}-{b}-{j}",
                        outlet=f"O{k}",
                        published=published,
                        lang="en",
                    )
                    for j in range(3)
                ]
                run.add(reports)

    threads = [threading.Thread(target=watcher, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with pg_store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(events)).scalar() == 1
        assert conn.execute(select(func.count()).select_from(mentions)).scalar() == 60


# --- watcher processes -----------------------------------------------------------------------------------
FEEDS, ITEMS, HOSTS = 36, 2, 3
INTERVAL = 0.2  # --per-host-interval
LEASE = 6.0


@pytest.mark.postgres
def test_three_watcher_processes_share_the_sources_polite_and_exactly_once(pg_store, tmp_path):
    site = FeedSite(FEEDS, ITEMS, hosts=HOSTS, feed_delay=0.15).start()
    cfg = site.sources_toml(tmp_path / "sources.toml", "4s")
    options = {"per_host_interval": INTERVAL, "lease": LEASE, "concurrency": 4}
    with Watchers(site, pg_store.url, cfg, tmp_path, **options) as watchers:
        procs = watchers.start(3)

        # every article fetched, then every feed polled again at least once (its interval is 4 s)
        def done() -> bool:
            hits = site.snapshot()
            polls = feed_polls(hits)
            return set(article_fetches(hits)) == site.articles() and all(
                len(polls.get((site.ports[f % HOSTS], f"/f/{f}.xml"), [])) >= 2 for f in range(FEEDS)
            )

        finished = wait_until(done, timeout=150)
        assert all(p.poll() is None for p in procs), "a watcher stopped"
        codes = stop_watchers(procs)
        out = watchers.output()
    assert finished, out[-3000:]
    assert codes == [0, 0, 0], out[-3000:]
    assert "Traceback" not in out
    hits = site.snapshot()

    # every item fetched exactly once, and no feed polled by two watchers at once
    fetched = article_fetches(hits)
    assert set(fetched) == site.articles() and set(fetched.values()) == {1}
    assert concurrent_polls(hits) == 0
    # a source is polled again only when its interval (4 s, kept to the second) has passed
    for polls in feed_polls(hits).values():
        assert all(b.start - a.start > 2.5 for a, b in itertools.pairwise(polls)), polls
    # the per-host interval holds across the three watchers: at most 10 requests in 10 intervals (+1 at the
    # window's edge, +1 for a request that started late); three watchers each keeping it alone: up to 30
    rates = host_rates(hits, INTERVAL)
    assert all(r["most_in_10_intervals"] <= 12 for r in rates.values()), rates
    # and hardly two requests closer than half an interval (one late under load, the next on time)
    assert all(r["short_gaps"] <= r["requests"] / 10 for r in rates.values()), rates

    with pg_store.connect() as conn:
        assert conn.execute(select(func.count()).where(sources.c.lease_owner.is_not(None))).scalar() == 0
        assert all(r.last_checked is not None for r in conn.execute(select(sources)))
        docs = conn.execute(select(documents.c.outlet, documents.c.url, runs.c.pid).join(runs)).all()
        pg_events = _events(conn)
    by_watcher = sorted(Counter(d.pid for d in docs).values())
    print(f"\nthree watchers: {len(hits)} requests, reports stored per watcher {by_watcher}, "
          f"feed polls {sum(len(p) for p in feed_polls(hits).values())}, per host {rates}")  # fmt: skip
    assert len(docs) == FEEDS * ITEMS == len({d.url for d in docs})
    assert len({d.pid for d in docs}) >= 2, "the watchers did not share the work"

    # the events are those one process makes of the same reports: the watchers wrote one at a time
    one_events = _events_of_one_process(tmp_path, cfg)
    assert [tuple(e) for e in pg_events] == [tuple(e) for e in one_events]
    assert len(one_events) < FEEDS * ITEMS  # many reports of each event: the merging was exercised


def _events(conn: Connection) -> list[tuple[Any, ...]]:
    """Each event's key and number of mentions, sorted."""
    q = (
        select(events.c.subtype, events.c.place_key, events.c.date, func.count(mentions.c.id))
        .join(mentions, mentions.c.event_id == events.c.id)
        .group_by(events.c.id)
    )
    return sorted(tuple(r) for r in conn.execute(q))


def _events_of_one_process(tmp_path: Path, cfg: Path) -> list[tuple[Any, ...]]:
    """The same feeds polled by one process into a SQLite store: the events it makes."""
    ref = Store.open(tmp_path / "one.db")
    served = FeedSite(FEEDS, ITEMS, hosts=HOSTS).start()
    try:
        specs = [replace(s, url=served.feed_url(int(s.name.split()[1]))) for s in load_sources(cfg)]
        poll(Ingestor(ref), specs, FetchPolicy(allow_private=True, per_host_interval=0, retries=0))
        with ref.connect() as conn:
            return _events(conn)
    finally:
        served.stop()
        ref.close()


@pytest.mark.postgres
def test_a_killed_watchers_source_is_taken_over_after_its_lease(pg_store, tmp_path):
    lease = 6.0
    site = FeedSite(4, 1, hosts=2, hang={"/f/0.xml"}).start()
    cfg = site.sources_toml(tmp_path / "sources.toml", "1h")
    with Watchers(site, pg_store.url, cfg, tmp_path, per_host_interval=0.05, lease=lease) as watchers:
        # the first watcher takes every source; the feed of "feed 0000" does not answer: it is killed there
        (first,) = watchers.start(1)
        assert wait_until(lambda: site.was_asked("/f/0.xml"), 60)

        def checked() -> int:  # the other three polled and stored (so that nothing is fetched twice)
            with pg_store.connect() as conn:
                return len(conn.execute(select(sources).where(sources.c.last_checked.is_not(None))).all())

        assert wait_until(lambda: checked() == 3, 60)
        with pg_store.connect() as conn:
            held = conn.execute(select(sources).where(sources.c.name == "feed 0000")).one()
        assert held.lease_owner is not None and held.last_checked is None
        kill(first)
        killed_at = time.time()
        others = watchers.start(2)
        site.release.set()  # (the request the dead watcher left waits no more)

        def owner() -> str | None:
            with pg_store.connect() as conn:
                return conn.execute(
                    select(sources.c.lease_owner).where(sources.c.name == "feed 0000")
                ).scalar()

        # the dead watcher's lease holds until it expires (renewed every lease/3: at least 2/3 of it)
        while time.time() < killed_at + lease * 2 / 3 - 0.3:
            assert owner() == held.lease_owner
            time.sleep(0.2)
        # then another watcher polls the source: its article fetched and stored, the lease released
        assert wait_until(lambda: "/a/0/0.html" in {p for _, p in article_fetches(site.snapshot())}, 30)
        assert wait_until(lambda: owner() is None, 30)
        codes = stop_watchers(others)
        out = watchers.output()
    assert codes == [0, 0], out[-3000:]
    hits = site.snapshot()
    retaken = sorted((h for h in hits if h.path == "/f/0.xml"), key=lambda h: h.start)[1]
    assert retaken.start >= killed_at + lease * 2 / 3 - 0.1, (retaken.start - killed_at, out[-3000:])
    assert set(article_fetches(hits).values()) == {1}, article_fetches(hits)
    with pg_store.connect() as conn:
        row = conn.execute(select(sources).where(sources.c.name == "feed 0000")).one()
        stored = conn.execute(select(func.count()).select_from(documents)).scalar()
        dead = conn.execute(select(runs.c.status).where(runs.c.pid == first.pid)).scalars().all()
    assert row.last_checked is not None and row.consecutive_failures == 0 and stored == 4
    assert dead == ["interrupted"]  # the dead watcher's run, marked by the next run on this machine
