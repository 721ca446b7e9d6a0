"""The ingest pipeline: sources → normalize → code → resolve → store, in atomic batches.

Order of work for every batch of reports:

1. read records (bad ones become run errors naming file and line; reading goes on);
2. normalise them into documents and drop those already stored (outlet + external id, or
   content hash) — re-ingesting the same input adds nothing;
3. code each document into mentions (an exception in one document is that document's error);
4. in one transaction: store the documents and mentions, resolve mentions into events, refresh
   the events touched. A crash loses at most the batch in flight, never half of it.

Steps 2–3 are pure and may run elsewhere: in worker processes of this machine (``workers``) or on
the workers of a Dask cluster (:mod:`eventledger.cluster`), both behind :class:`Executor`; step 4
always runs in the calling process, in input order, so the result does not depend on where or by
how many workers the batches were coded.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import platform
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from eventledger.errors import ConfigError, EventLedgerError, InputError
from eventledger.extract.codebook import Codebook, load_codebook
from eventledger.extract.coder import CodingStats, Relevance, RuleCoder
from eventledger.version import __version__

if TYPE_CHECKING:
    from eventledger.extract.assist import AssistSpec, ModelAssist
from eventledger.geocode.gazetteer import Gazetteer, default_gazetteer
from eventledger.geocode.matcher import prepare as prepare_places
from eventledger.normalize.document import to_document
from eventledger.normalize.language import preload as preload_language_detector
from eventledger.outlets import Outlet
from eventledger.records import Document, Mention, RawReport, RecordError
from eventledger.sources.files import ReadOptions
from eventledger.sources.kinds import read_path
from eventledger.store import queries, writer
from eventledger.store.db import Store

BATCH_SIZE = 500
MAX_ERRORS_KEPT = 50


@dataclass
class IngestResult:
    run_id: int
    read: int = 0
    documents: int = 0
    duplicates: int = 0
    errors: int = 0
    mentions: int = 0
    new_events: int = 0
    merged_mentions: int = 0
    new_versions: int = 0  # changed reports stored as a new version of the same report
    removed_events: int = 0  # events no report names any more after a change
    languages: Counter[str] = field(default_factory=Counter)
    dropped: dict[str, int] = field(default_factory=dict)
    dropped_candidates: int = 0  # stored for reviewers (coders with ``code_with_dropped``)
    error_samples: list[RecordError] = field(default_factory=list)
    empty_inputs: list[str] = field(default_factory=list)  # files and folders that held no record
    dated_by_mtime: int = 0  # reports that gave no date: dated by their file's modification time
    dated_by_mtime_first: str | None = None
    seconds: float = 0.0

    def counts(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "documents": self.documents,
            "duplicates": self.duplicates,
            "errors": self.errors,
            "mentions": self.mentions,
            "new_events": self.new_events,
            "merged_mentions": self.merged_mentions,
            "new_versions": self.new_versions,
            "removed_events": self.removed_events,
            "languages": dict(self.languages),
            "dropped_triggers": dict(sorted(self.dropped.items())),
            "dropped_candidates": self.dropped_candidates,
            "seconds": round(self.seconds, 3),
        }


def make_assist(spec: AssistSpec | None, codebook: Codebook) -> ModelAssist | None:
    if spec is None:
        return None
    from eventledger.extract.assist import ModelAssist

    return ModelAssist(spec, set(codebook.subtypes), codebook)


NO_GATE = "off"


def make_relevance(gate: str | None, codebook: Codebook | None = None) -> Relevance | None:
    """The act-or-not gate of a run: the one ``codebook`` ships with when ``gate`` is None (its
    ``gate.model``, :mod:`eventledger.learn.gate`), none for ``"off"``, else the model in directory
    ``gate`` (a shipped-format gate, or a :mod:`eventledger.learn.relevance` model: the [ml] extra)."""
    if gate is None:
        if codebook is None or codebook.gate is None:
            return None
        from eventledger.learn.gate import shipped_gate

        return shipped_gate(codebook.gate)
    if gate == NO_GATE:
        return None
    from eventledger.learn.gate import is_gate_folder, load_gate

    if is_gate_folder(gate):
        return load_gate(gate)
    from eventledger.learn.relevance import load_relevance

    return load_relevance(gate)


def make_coder(
    codebook: Codebook,
    gazetteer: Gazetteer,
    stances: Mapping[str, Outlet],
    assist: AssistSpec | None = None,
    gate: str | None = None,
) -> RuleCoder:
    """The coder of a run: the codebook's rules, a model assisting them, a trained gate (the
    codebook's own unless ``gate`` names another or is ``"off"``)."""
    return RuleCoder(
        codebook,
        gazetteer,
        dict(stances),
        make_assist(assist, codebook),
        relevance=make_relevance(gate, codebook),
    )


def versions(coder: RuleCoder, codebook: Codebook, gazetteer: Gazetteer) -> dict[str, str]:
    extra = {"model": coder.assist.version, "model_dir": coder.assist.spec.model_dir} if coder.assist else {}
    if coder.relevance is not None:
        extra["gate"] = coder.relevance.version
    return {
        **extra,
        "eventledger": __version__,
        "coder": coder.name,
        "codebook": codebook.ref,
        "codebook_digest": codebook.digest,
        "gazetteer": gazetteer.version,
        "python": platform.python_version(),
    }


def _batched(items: Iterable[RawReport | RecordError], n: int) -> Iterator[list[RawReport | RecordError]]:
    batch: list[RawReport | RecordError] = []
    for it in items:
        batch.append(it)
        if len(batch) >= n:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class Processed:
    """A batch after the CPU-bound stages: each record normalised and coded, or its error."""

    items: list[tuple[Document, list[Mention]] | RecordError]
    dropped: dict[str, int]
    # the candidates the coder dropped, by index in ``items`` (coders with ``code_with_dropped``)
    candidates: dict[int, list[Mention]] = field(default_factory=dict)


def _coding_failed(exc: Exception) -> str:
    """A record's coding error in words: ours as they are, anything else with its type."""
    if isinstance(exc, EventLedgerError):
        return str(exc)
    return f"coding failed: {type(exc).__name__}: {exc}"


def code_document(coder: RuleCoder, doc: Document) -> tuple[list[Mention], list[Mention]]:
    """A document's mentions and the candidates the coder dropped (none from a coder that cannot
    tell them: ``code_with_dropped`` is optional)."""
    with_dropped = getattr(coder, "code_with_dropped", None)
    if with_dropped is None:
        return coder.code(doc), []
    kept, dropped = with_dropped(doc)
    return list(kept), list(dropped)


def process_batch(batch: Sequence[RawReport | RecordError], coder: RuleCoder) -> Processed:
    """Normalise and code one batch (pure: no I/O), in this process or a worker."""
    coder.stats = CodingStats()
    out: list[tuple[Document, list[Mention]] | RecordError] = []
    candidates: dict[int, list[Mention]] = {}
    for item in batch:
        if isinstance(item, RecordError):
            out.append(item)
            continue
        try:
            doc = to_document(item)
            if isinstance(doc, RecordError):
                out.append(doc)
                continue
            kept, dropped = code_document(coder, doc)
            if dropped:
                candidates[len(out)] = dropped
            out.append((doc, kept))
        except Exception as exc:  # one document must never stop a run
            out.append(RecordError(item.origin, _coding_failed(exc), "coding"))
    return Processed(out, dict(coder.stats.dropped), candidates)


def code_stored(docs: Sequence[tuple[int, Document]], coder: RuleCoder) -> Processed:
    """Code stored documents again (``recode``; pure, in this process or a worker).

    Items are in the order of ``docs``; an error's origin names the document id.
    """
    coder.stats = CodingStats()
    out: list[tuple[Document, list[Mention]] | RecordError] = []
    candidates: dict[int, list[Mention]] = {}
    for doc_id, doc in docs:
        try:
            kept, dropped = code_document(coder, doc)
        except Exception as exc:  # one document must never stop a run
            out.append(RecordError(f"document {doc_id}", _coding_failed(exc), "coding"))
            continue
        if dropped:
            candidates[len(out)] = dropped
        out.append((doc, kept))
    return Processed(out, dict(coder.stats.dropped), candidates)


# --- where batches are coded -------------------------------------------------------------------------------
@dataclass(frozen=True)
class CoderSetup:
    """What a worker needs to build a run's coder, the same as the calling process's: shipped to each
    worker once (a worker process's initialiser, a Dask worker plugin), never with each batch."""

    codebook: Codebook
    stances: dict[str, Outlet]
    assist: AssistSpec | None = None
    gate: str | None = None  # a trained relevance model's directory
    gazetteer: Gazetteer | None = None  # None: the packaged one (the worker loads its own)
    gazetteer_version: str = ""  # what the coder must be built with
    version: str = __version__  # eventledger's, in the calling process

    @classmethod
    def of(cls, ingestor: Ingestor, stances: Mapping[str, Outlet]) -> CoderSetup:
        gaz = ingestor.gazetteer
        packaged = gaz is default_gazetteer() or gaz.version == default_gazetteer().version
        return cls(
            ingestor.codebook, dict(stances), ingestor.assist, ingestor.gate,
            None if packaged else gaz, gaz.version,
        )  # fmt: skip

    def build(self) -> RuleCoder:
        """The coder, in a worker; an error when this worker would code differently (another
        eventledger or gazetteer version than the calling process's)."""
        if self.version != __version__:
            raise ConfigError(
                f"this worker runs eventledger {__version__}, the calling process {self.version}: "
                "install the same version everywhere"
            )
        gaz = self.gazetteer or default_gazetteer()
        if self.gazetteer_version and gaz.version != self.gazetteer_version:
            raise ConfigError(
                f"this worker's gazetteer is {gaz.version}, the calling process's {self.gazetteer_version}"
            )
        return make_coder(self.codebook, gaz, self.stances, self.assist, self.gate)


class Pending(Protocol):
    """A batch handed to an executor, its result to come."""

    def result(self) -> Processed: ...


class Executor(Protocol):
    """Where a run codes its batches (:func:`process_batch`, :func:`code_stored`): worker processes of
    this machine (:class:`LocalProcesses`) or a cluster (``eventledger.cluster.DaskExecutor``).

    ``start`` readies the workers with the run's coder; ``ahead`` says how many batches may be in
    flight now (asked again as the run goes: a cluster may grow); ``submit`` hands over one batch
    (``fn(items, coder)`` runs on a worker); ``stop`` ends the run's use of the workers. The run takes
    the results in the order it submitted them."""

    def start(self, coder: RuleCoder, setup: CoderSetup) -> None: ...

    def ahead(self) -> int: ...

    def submit(self, fn: Callable[[Any, RuleCoder], Processed], items: Any) -> Pending: ...

    def stop(self) -> None: ...


_worker_coder: RuleCoder | None = None  # the coder of this worker process (LocalProcesses)


def prepare_coding(gazetteer: Gazetteer) -> None:
    """Build now what coding builds on first use (the place indexes, the language detector: seconds
    of work, done once per process): before worker processes fork, so that they share it, and before
    a watcher takes its first leases, so that a pass does not start late on the sources it holds."""
    prepare_places(gazetteer)
    preload_language_detector()


def _worker_init(setup: CoderSetup) -> None:
    global _worker_coder
    if _worker_coder is None:  # not inherited through fork
        _worker_coder = setup.build()


def _worker_call(fn: Callable[[Any, RuleCoder], Processed], items: Any) -> Processed:
    assert _worker_coder is not None
    return fn(items, _worker_coder)


@dataclass
class _PoolPending:
    got: Any  # multiprocessing's AsyncResult

    def result(self) -> Processed:
        return self.got.get()  # type: ignore[no-any-return]


class LocalProcesses:
    """``workers`` coding processes of this machine (a multiprocessing pool)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: Any = None

    def start(self, coder: RuleCoder, setup: CoderSetup) -> None:
        """Start the processes (done when the run opens, before any thread of the caller starts:
        forking a process that runs threads can leave a lock held in the child)."""
        if self._pool is None:
            global _worker_coder
            from eventledger.normalize.html import preload

            preload()  # trafilatura imported (and patched) here, never inside a child
            method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
            if method == "fork":  # built once here and shared, not once in each worker
                prepare_coding(coder.gazetteer)
            _worker_coder = coder if method == "fork" else None
            self._pool = mp.get_context(method).Pool(self.workers, _worker_init, (setup,))

    def ahead(self) -> int:
        return self.workers * 2  # bounded look-ahead keeps memory flat

    def submit(self, fn: Callable[[Any, RuleCoder], Processed], items: Any) -> Pending:
        return _PoolPending(self._pool.apply_async(_worker_call, (fn, items)))

    def stop(self) -> None:
        global _worker_coder
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None
            _worker_coder = None


def coded_in_order(
    run: Run, batches: Iterable[list[tuple[int, Document]]]
) -> Iterator[tuple[list[tuple[int, Document]], Processed]]:
    """Stored documents coded again with the run's coder, batch by batch in order (by the run's
    executor when it has one, a few batches ahead)."""
    return run.in_order(code_stored, batches)


def auto_workers(inputs: Sequence[str | Path]) -> int:
    """Worker processes worth starting: one per core for inputs over 4 MB, else none."""
    size = 0
    for p in inputs:
        path = Path(p)
        size += (
            sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
            if path.is_dir()
            else path.stat().st_size
        )
    return min(os.cpu_count() or 1, 8) if size > 4 * 1024 * 1024 else 1


class Ingestor:
    """Ingests inputs into one store with one codebook and gazetteer."""

    def __init__(
        self,
        store: Store,
        codebook: Codebook | None = None,
        gazetteer: Gazetteer | None = None,
        *,
        batch_size: int = BATCH_SIZE,
        workers: int | None = 1,
        progress: Callable[[IngestResult], None] | None = None,
        assist: AssistSpec | None = None,
        gate: str | None = None,
        executor: Executor | None = None,
    ) -> None:
        self.assist = assist
        self.gate = gate  # a trained relevance model's directory
        self.store = store
        self.codebook = codebook or load_codebook()
        self.gazetteer = gazetteer or default_gazetteer()
        self.batch_size = batch_size
        self.workers = workers  # None: decide from the input size
        self.progress = progress
        # where batches are coded (a cluster, ``eventledger.cluster``); None: ``workers`` processes here
        self.executor = executor

    def ingest(
        self, inputs: Sequence[str | Path], read_opts: ReadOptions | None = None, *, kind: str | None = None
    ) -> IngestResult:
        """Ingest files and folders (JSONL, CSV/TSV, .txt/.md/.html, Telegram exports)."""
        read_opts = read_opts or ReadOptions()
        for p in inputs:
            if not Path(p).exists():
                raise InputError(f"{p}: no such file or folder")
        workers = self.workers if self.workers is not None else (1 if self.executor else auto_workers(inputs))
        params = {
            "inputs": [str(p) for p in inputs],
            "kind": kind,
            "outlet": read_opts.outlet,
            "lang": read_opts.lang,
        }
        with self.run("ingest", params, workers=workers) as run:
            for path in inputs:
                before = run.result.read
                run.add(read_path(path, read_opts, kind))
                if run.result.read == before:
                    run.result.empty_inputs.append(str(path))
        return run.result

    @contextmanager
    def run(self, command: str, params: Mapping[str, Any], *, workers: int = 1) -> Iterator[Run]:
        """One recorded run; items added to it are coded and written in batches.

        The run is recorded as ``ok`` when the block ends normally with no record rejected,
        ``partial`` when it ends normally but some records were rejected (they are the run's errors),
        ``failed`` when it does not end normally.
        """
        with self.store.begin() as conn:
            stances = queries.load_stances(conn)
        coder = make_coder(self.codebook, self.gazetteer, stances, self.assist, self.gate)
        with self.store.begin() as conn:
            run_id = writer.start_run(conn, command, params, versions(coder, self.codebook, self.gazetteer))
        run = Run(self, IngestResult(run_id), coder, stances, workers)
        status = "failed"
        try:
            run.start_workers()
            yield run
            status = "partial" if run.result.errors else "ok"
        finally:
            run.close()
            with self.store.begin() as conn:
                writer.finish_run(conn, run_id, run.result.counts(), status)


class Run:
    """Items added to a run are processed (by the ingestor's executor, or in ``workers`` processes of
    this machine when asked) and written in order."""

    def __init__(
        self,
        ingestor: Ingestor,
        result: IngestResult,
        coder: RuleCoder,
        stances: dict[str, Outlet],
        workers: int,
    ) -> None:
        self.ingestor = ingestor
        self.store = ingestor.store
        self.result = result
        self.coder = coder
        self.stances = stances
        self.workers = workers
        self._started = time.perf_counter()
        self.executor: Executor | None = ingestor.executor or (
            LocalProcesses(workers) if workers > 1 else None
        )
        self._executing = False  # the executor is started

    @property
    def run_id(self) -> int:
        return self.result.run_id

    def add(self, items: Iterable[RawReport | RecordError]) -> None:
        """Normalise, code and store ``items`` (atomic batches, in order)."""
        for processed in self._processed(_batched(self._noted(items), self.ingestor.batch_size)):
            self._write(processed, self.stances, self.result)
            self.result.seconds = time.perf_counter() - self._started
            if self.ingestor.progress:
                self.ingestor.progress(self.result)

    def _noted(self, items: Iterable[RawReport | RecordError]) -> Iterator[RawReport | RecordError]:
        """The items, noting the reports dated by their file's modification time (said in the summary)."""
        for item in items:
            if isinstance(item, RawReport) and item.dated_by_mtime:
                self.result.dated_by_mtime += 1
                if self.result.dated_by_mtime == 1:
                    self.result.dated_by_mtime_first = item.origin
            yield item

    def start_workers(self) -> None:
        """Ready the executor with the run's coder (done when the run opens, before any thread of the
        caller starts: forking a process that runs threads can leave a lock held in the child)."""
        if self.executor is not None and not self._executing:
            self.executor.start(self.coder, CoderSetup.of(self.ingestor, self.stances))
            self._executing = True

    def close(self) -> None:
        self.result.seconds = time.perf_counter() - self._started
        if self.executor is not None and self._executing:
            self._executing = False
            self.executor.stop()

    def in_order(
        self, fn: Callable[[Any, RuleCoder], Processed], batches: Iterable[Any]
    ) -> Iterator[tuple[Any, Processed]]:
        """``fn(batch, coder)`` of each batch, in order: here, or by the executor a few batches ahead
        while the caller writes one."""
        if self.executor is None:
            for batch in batches:
                yield batch, fn(batch, self.coder)
            return
        self.start_workers()
        pending: deque[tuple[Any, Pending]] = deque()
        for batch in batches:
            pending.append((batch, self.executor.submit(fn, batch)))
            if len(pending) > max(1, self.executor.ahead()):  # bounded look-ahead keeps memory flat
                b, got = pending.popleft()
                yield b, got.result()
        while pending:
            b, got = pending.popleft()
            yield b, got.result()

    def _processed(self, batches: Iterator[list[RawReport | RecordError]]) -> Iterator[Processed]:
        """Processed batches in input order."""
        for _, processed in self.in_order(process_batch, batches):
            yield processed

    def _error(self, result: IngestResult, errors: list[RecordError], err: RecordError) -> None:
        errors.append(err)
        result.errors += 1
        if len(result.error_samples) < MAX_ERRORS_KEPT:
            result.error_samples.append(err)

    def _write(self, processed: Processed, stances: dict[str, Outlet], result: IngestResult) -> None:
        """Store one processed batch in one transaction: documents, mentions, events, errors."""
        errors: list[RecordError] = []
        coded: list[tuple[Document, list[Mention]]] = []
        seen_hash: set[str] = set()
        seen_key: set[tuple[str, str]] = set()
        for k, n in processed.dropped.items():
            result.dropped[k] = result.dropped.get(k, 0) + n
        dropped_of: dict[int, list[Mention]] = {}  # id(document) → its dropped candidates
        for i, item in enumerate(processed.items):
            result.read += 1
            if isinstance(item, RecordError):
                self._error(result, errors, item)
                continue
            doc = item[0]
            if i in processed.candidates:
                dropped_of[id(doc)] = processed.candidates[i]
            key = (doc.outlet, doc.external_id) if doc.external_id else None
            if doc.content_hash in seen_hash or (key and key in seen_key):
                result.duplicates += 1
                continue
            seen_hash.add(doc.content_hash)
            if key:
                seen_key.add(key)
            coded.append(item)
        with self.store.begin() as conn:
            known = writer.classify_documents(conn, [d for d, _ in coded])
            result.duplicates += sum(k.status == "duplicate" for k in known)
            keep = [(c, k) for c, k in zip(coded, known, strict=True) if k.status != "duplicate"]
            coded = [c for c, _ in keep]
            changed = [k.previous_id for _, k in keep if k.status == "changed" and k.previous_id is not None]
            writer.ensure_outlets(conn, (d.outlet for d, _ in coded), stances)
            versions = [k.previous_version + 1 for _, k in keep]
            doc_ids = writer.insert_documents(
                conn, [d for d, _ in coded], [len(ms) for _, ms in coded], result.run_id, versions
            )
            pairs = [
                writer.Placed(doc_id, d.outlet, writer.utc_naive(d.published), m)
                for doc_id, (d, ms) in zip(doc_ids, coded, strict=True)
                for m in ms
            ]
            counts = writer.attach_mentions(conn, pairs, result.run_id, stances)
            result.dropped_candidates += writer.store_dropped(
                conn,
                [(doc_id, dropped_of.get(id(d), [])) for doc_id, (d, _) in zip(doc_ids, coded, strict=True)],
                result.run_id,
            )
            # a changed report is a new version of the same report: once the new version's mentions
            # have joined their events, the earlier version stops counting (events it alone named go)
            result.new_versions += len(changed)
            result.removed_events += writer.supersede(conn, changed, stances, result.run_id)
            writer.add_errors(conn, result.run_id, errors)
        result.documents += len(coded)
        result.languages.update(d.lang for d, _ in coded)
        result.mentions += len(pairs)
        result.new_events += counts.new_events
        result.merged_mentions += counts.merged_mentions
