"""Polling sources: one pass over the sources that are due, or a loop that keeps watching.

For every source, in worker threads: fetch (conditional GET, robots.txt, per-host rate limits,
retries), parse, fetch the new articles; then, in the calling thread and in this order: store
the archived responses, code and store the reports (atomic batches), store the source's state
(validators, items seen, health). One failing source never stops the others.

Several watchers may share one store (PostgreSQL; on several machines): a pass of :func:`watch`
takes the due sources a few at a time, as its fetching threads free up, each under a lease that it
renews while it polls and releases with the source's state (:mod:`eventledger.sources.state`), so
that each due source is polled by exactly one watcher and a dead watcher's sources are taken over
once its lease has expired. Every request first takes its host's turn in the store, so that the
per-host interval holds across the watchers, and the watchers store their reports one transaction
at a time (an advisory lock), as SQLite's single writer does; they code them in parallel. On SQLite
the same code runs for one watcher.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Protocol
from urllib.parse import urlsplit

from sqlalchemy import Connection

from eventledger.errors import FetchError, StoreError
from eventledger.pipeline import Ingestor, IngestResult, prepare_coding
from eventledger.sources import state
from eventledger.sources.archive import Archive
from eventledger.sources.collect import Collected, Collector
from eventledger.sources.config import SourceSpec
from eventledger.sources.http import Fetcher, FetchPolicy, HostTurns
from eventledger.store import writer
from eventledger.store.db import Store

log = logging.getLogger(__name__)

MANY_SOURCES = 20


@dataclass
class PollResult:
    ingest: IngestResult
    sources: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # source name → its error (naming its URL)
    not_modified: int = 0  # sources that answered 304
    requests: int = 0
    bytes: int = 0
    http_not_modified: int = 0  # all 304 answers, feeds and articles
    archived: int = 0
    seconds: float = 0.0
    stand_ins: list[str] = field(default_factory=list)  # articles not fetched, their summary stored


def poll(
    ingestor: Ingestor,
    specs: Sequence[SourceSpec],
    policy: FetchPolicy | None = None,
    *,
    command: str = "watch",
    register: bool = True,
    progress: Callable[[Collected, PollResult], None] | None = None,
) -> PollResult:
    """Fetch, code and store every source of ``specs`` once (no leases: see :func:`watch`)."""
    if register:
        with ingestor.store.begin() as conn:
            state.register(conn, specs)
    params = {"sources": [s.name for s in specs]}
    return _pass(ingestor, _Listed(), list(specs), policy or FetchPolicy(), command, params, progress)


class _Sources(Protocol):
    """Where a pass gets its sources from, as its fetching threads free up; entered while it polls."""

    def take(self, n: int) -> list[SourceSpec]: ...

    def done(self, conn: Connection, name: str) -> None: ...

    def __enter__(self) -> Any: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


class _Listed:
    """The sources of :func:`poll`: all of them given at once, nothing taken later."""

    def take(self, n: int) -> list[SourceSpec]:
        return []

    def done(self, conn: Connection, name: str) -> None:
        pass

    def __enter__(self) -> _Listed:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        pass


class _Leased:
    """The due sources of a pass of :func:`watch`, each taken under a lease of watcher ``owner``.

    While entered, a thread renews the leases every third of ``lease_s``; :meth:`done` releases one
    (in the transaction that stores the source's state)."""

    def __init__(
        self, store: Store, specs: Sequence[SourceSpec], owner: str, lease_s: float, *, due_only: bool
    ) -> None:
        self.store = store
        self.owner = owner
        self.lease_s = lease_s
        self.due_only = due_only
        self._pending = {s.name: s for s in specs}  # not taken yet: free, or leased by another watcher
        self._held: set[str] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    def take(self, n: int) -> list[SourceSpec]:
        if n <= 0 or not self._pending:
            return []
        with self.store.begin(serial=False) as conn:
            taken, stale = state.take_leases(
                conn, list(self._pending.values()), self.owner, self.lease_s, n, due_only=self.due_only
            )
        with self._lock:
            for s in taken:
                del self._pending[s.name]
                self._held.add(s.name)
        for name in stale:  # another watcher polled it meanwhile
            del self._pending[name]
        return taken

    def done(self, conn: Connection, name: str) -> None:
        state.release_lease(conn, self.owner, [name])
        with self._lock:
            self._held.discard(name)

    def __enter__(self) -> _Leased:
        self._stop.clear()
        self._renewer = threading.Thread(target=self._renew, name="lease-renewal", daemon=True)
        self._renewer.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join()
            self._renewer = None

    def _renew(self) -> None:
        while not self._stop.wait(self.lease_s / 3):
            with self._lock:
                before = set(self._held)
            try:
                with self.store.begin(serial=False) as conn:
                    still = set(state.renew_leases(conn, self.owner, self.lease_s))
            except StoreError as exc:  # the next renewal may work; the lease lasts until then
                log.warning("watcher %s could not renew its leases: %s", self.owner, exc)
                continue
            with self._lock:
                lost = (before - still) & self._held
            if lost:  # this watcher stalled for longer than a lease: another one may poll them too
                log.warning("watcher %s lost the lease of %s", self.owner, ", ".join(sorted(lost)))


class _SharedTurns:
    """Per-host turns kept in a PostgreSQL store: the interval holds across the watchers."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __call__(self, host: str, interval: float) -> float:
        with self.store.begin(serial=False) as conn:
            return state.host_turn(conn, host, interval)


def _workers(n_sources: int) -> int:
    """Many sources: coding moves to worker processes, so that the fetching threads keep the GIL."""
    return min(os.cpu_count() or 1, 4) if n_sources >= MANY_SOURCES else 1


def _pass(
    ingestor: Ingestor,
    more: _Sources,
    first: list[SourceSpec],
    policy: FetchPolicy,
    command: str,
    params: dict[str, Any],
    progress: Callable[[Collected, PollResult], None] | None,
    n_listed: int | None = None,
) -> PollResult:
    """Poll ``first``, then what ``more`` gives as threads free up, ``policy.concurrency`` at a time."""
    store = ingestor.store
    started = time.perf_counter()
    with store.begin() as conn:
        robots = state.load_robots(conn)
    archive = Archive()
    turns: HostTurns | None = _SharedTurns(store) if store.dialect == "postgresql" else None
    with (
        ingestor.run(command, params, workers=_workers(n_listed or len(first))) as run,
        Fetcher(policy, archive, robots_known=robots, turns=turns) as fetcher,
        more,  # leases renewed from here on (a thread: started after the run's worker processes)
    ):
        result = PollResult(run.result)
        collector = Collector(fetcher)
        width = max(1, policy.concurrency)
        with ThreadPoolExecutor(max_workers=width, thread_name_prefix="fetch") as pool:
            futures: dict[Future[Collected], SourceSpec] = {}

            def submit(batch: list[SourceSpec]) -> None:
                if not batch:
                    return
                with store.begin() as conn:  # after the lease: what the last watcher stored
                    states = {s.name: state.load(conn, s) for s in batch}
                result.sources += len(batch)
                for s in batch:
                    futures[pool.submit(collector.collect, s, states[s.name])] = s

            submit(first)
            while futures:
                done, _ = wait(futures, return_when=FIRST_COMPLETED)
                for fut in done:
                    del futures[fut]
                    got = fut.result()
                    with store.begin() as conn:
                        result.archived += archive.flush(conn)  # the evidence first
                    run.add(got.items)
                    with store.begin() as conn:
                        state.save(conn, got)
                        more.done(conn, got.spec.name)
                    if got.error:
                        result.failed[got.spec.name] = _named(got)
                    if got.not_modified:
                        result.not_modified += 1
                    result.stand_ins.extend(got.stand_ins)
                    if progress:
                        progress(got, result)
                submit(more.take(width - len(futures)))
        with store.begin() as conn:
            result.archived += archive.flush(conn)
            state.save_robots(conn, fetcher.robots_seen)
        result.requests, result.bytes, result.http_not_modified = (
            fetcher.requests,
            fetcher.bytes,
            fetcher.not_modified,
        )
    result.seconds = time.perf_counter() - started
    return result


def one_off_spec(
    url: str, kind: str | None, fetcher: Fetcher, *, outlet: str | None = None, lang: str | None = None
) -> SourceSpec:
    """A source for ``eventledger ingest URL``: kind guessed from the response when not given."""
    if kind is None:
        try:
            kind = Collector(fetcher).guess_kind(url)
        except FetchError:
            kind = "html"  # the poll will report the error with the source
    if kind == "feed":
        kind = "rss"
    try:
        host = urlsplit(url).hostname or url
    except ValueError:  # "http://[127.0.0.1]/": the poll reports what is wrong with it
        host = url
    return SourceSpec(
        name=url, kind=kind, url=url, outlet=outlet or host.removeprefix("www."), lang=lang, max_items=1000
    )


def _named(got: Collected) -> str:
    """A failed source's error, naming its URL (the name of a one-off source is its URL)."""
    if got.spec.name == got.spec.url or got.spec.url in (got.error or ""):
        return got.error or ""
    return f"{got.spec.url}: {got.error}"


def watch(
    ingestor: Ingestor,
    specs: Sequence[SourceSpec],
    policy: FetchPolicy,
    *,
    once: bool = False,
    progress: Callable[[Collected, PollResult], None] | None = None,
    on_pass: Callable[[PollResult], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    max_passes: int | None = None,
    lease_s: float = state.DEFAULT_LEASE_S,
    owner: str | None = None,
    stop: threading.Event | None = None,
) -> list[PollResult]:
    """Poll the sources that are due, then wait for the next one to be due; stop after one pass with ``once``.

    ``specs`` are the sources file's; the sources an admin added in the web app join them, and the
    paused ones are skipped, as the store says at each pass (no restart needed).

    Other watchers may share the store: each source is polled by the watcher that takes its lease
    (``owner``: this watcher's id, made up when not given; ``lease_s``: how long a lease lasts without
    renewal, i.e. how soon a dead watcher's sources are taken over). With ``once``, every source not
    leased by another watcher is polled, due or not. A pass in which another watcher took every due
    source is no pass: nothing is returned for it.

    ``stop``, once set (by a signal handler, say), ends the watch at the next pass or at once while
    it waits: a stop request is not lost where the interrupt that came with it was swallowed (an
    exception raised in a weakref callback or a finaliser is only printed)."""
    owner = owner or state.watcher_id()
    store = ingestor.store
    results: list[PollResult] = []
    prepare_coding(ingestor.gazetteer)  # not between taking leases and polling their sources
    with store.begin() as conn:  # (outlets' stances may change the claim status of stored events)
        state.register(conn, specs)
    try:
        while True:
            with store.begin() as conn:
                current, _paused = state.with_web_sources(conn, specs)
                todo = current if once else state.due(conn, current)
            if todo:
                res = _leased_pass(
                    ingestor, todo, policy, owner, lease_s, due_only=not once, progress=progress
                )
                if res is not None:
                    results.append(res)
                    if on_pass:
                        on_pass(res)
            if once or (max_passes is not None and len(results) >= max_passes):
                return results
            if stop is None:
                sleep(_seconds_to_next(store, current, owner))
            elif stop.is_set() or stop.wait(_seconds_to_next(store, current, owner)):
                return results
    finally:  # stopped (or failed): what this watcher still holds is free at once, not after the lease
        with contextlib.suppress(StoreError), store.begin(serial=False) as conn:
            state.release_lease(conn, owner)


def _leased_pass(
    ingestor: Ingestor,
    todo: Sequence[SourceSpec],
    policy: FetchPolicy,
    owner: str,
    lease_s: float,
    *,
    due_only: bool,
    progress: Callable[[Collected, PollResult], None] | None,
) -> PollResult | None:
    """One pass over the sources of ``todo`` this watcher can take; None when it could take none.

    On PostgreSQL a few are taken at a time (as many as there are fetching threads, then one per
    source done), so that the watchers share the pass; on SQLite (one watcher) all at once."""
    leased = _Leased(ingestor.store, todo, owner, lease_s, due_only=due_only)
    shared = ingestor.store.dialect == "postgresql"
    first = leased.take(max(1, policy.concurrency) if shared else len(todo))
    if not first:
        return None
    params = {"sources": [s.name for s in todo], "watcher": owner}
    return _pass(ingestor, leased, first, policy, "watch", params, progress, n_listed=len(todo))


def _seconds_to_next(store: Store, specs: Sequence[SourceSpec], owner: str | None = None) -> float:
    now = writer.now()
    with store.begin() as conn:
        rows = {r.name: r for r in state.status(conn)}
    waits = []
    for s in specs:
        row = rows.get(s.name)
        at = state.next_check(s, row)
        if row is not None and row.lease_owner not in (None, owner) and row.lease_expires is not None:
            # another watcher is polling it: due again an interval from now, or its lease has expired
            at = min(row.lease_expires, now + dt.timedelta(seconds=s.interval_s))
        if at is None:
            return 1.0
        waits.append((at - now).total_seconds())
    return max(1.0, min(waits, default=60.0))
