"""Polling sources: one pass over the sources that are due, or a loop that keeps watching.

For every source, in worker threads: fetch (conditional GET, robots.txt, per-host rate limits,
retries), parse, fetch the new articles; then, in the calling thread and in this order: store
the archived responses, code and store the reports (atomic batches), store the source's state
(validators, items seen, health). One failing source never stops the others.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from eventledger.errors import FetchError
from eventledger.pipeline import Ingestor, IngestResult
from eventledger.sources import state
from eventledger.sources.archive import Archive
from eventledger.sources.collect import Collected, Collector
from eventledger.sources.config import SourceSpec
from eventledger.sources.http import Fetcher, FetchPolicy
from eventledger.store import writer

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
    """Fetch, code and store every source of ``specs`` once."""
    store = ingestor.store
    policy = policy or FetchPolicy()
    started = time.perf_counter()
    with store.begin() as conn:
        if register:
            state.register(conn, specs)
        states = {s.name: state.load(conn, s) for s in specs}
        robots = state.load_robots(conn)
    params = {"sources": [s.name for s in specs]}
    archive = Archive()
    # many sources: coding moves to worker processes, so that the fetching threads keep the GIL
    workers = min(os.cpu_count() or 1, 4) if len(specs) >= MANY_SOURCES else 1
    with (
        ingestor.run(command, params, workers=workers) as run,
        Fetcher(policy, archive, robots_known=robots) as fetcher,
    ):
        result = PollResult(run.result, sources=len(specs))
        collector = Collector(fetcher)
        with ThreadPoolExecutor(max_workers=max(1, policy.concurrency), thread_name_prefix="fetch") as pool:
            futures: dict[Future[Collected], SourceSpec] = {
                pool.submit(collector.collect, s, states[s.name]): s for s in specs
            }
            for fut in as_completed(futures):
                got = fut.result()
                with store.begin() as conn:
                    result.archived += archive.flush(conn)  # the evidence first
                run.add(got.items)
                with store.begin() as conn:
                    state.save(conn, got)
                if got.error:
                    result.failed[got.spec.name] = _named(got)
                if got.not_modified:
                    result.not_modified += 1
                result.stand_ins.extend(got.stand_ins)
                if progress:
                    progress(got, result)
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
) -> list[PollResult]:
    """Poll the sources that are due, then wait for the next one to be due; stop after one pass with ``once``.

    ``specs`` are the sources file's; the sources an admin added in the web app join them, and the
    paused ones are skipped, as the store says at each pass (no restart needed)."""
    results: list[PollResult] = []
    with ingestor.store.begin() as conn:
        state.register(conn, specs)
    while True:
        with ingestor.store.begin() as conn:
            current, _paused = state.with_web_sources(conn, specs)
            todo = current if once else state.due(conn, current)
        if todo:
            res = poll(ingestor, todo, policy, register=False, progress=progress)
            results.append(res)
            if on_pass:
                on_pass(res)
        if once or (max_passes is not None and len(results) >= max_passes):
            return results
        sleep(_seconds_to_next(ingestor, current))


def _seconds_to_next(ingestor: Ingestor, specs: Sequence[SourceSpec]) -> float:
    now = writer.now()
    with ingestor.store.begin() as conn:
        rows = {r.name: r for r in state.status(conn)}
    waits = []
    for s in specs:
        at = state.next_check(s, rows.get(s.name))
        if at is None:
            return 1.0
        waits.append((at - now).total_seconds())
    return max(1.0, min(waits, default=60.0))
