"""The Dask side of :mod:`eventledger.cluster`: the coder as a worker plugin, batches as tasks."""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

from distributed import Client, LocalCluster, WorkerPlugin, get_worker

from eventledger.errors import ConfigError, EventLedgerError, InputError
from eventledger.extract.coder import RuleCoder
from eventledger.pipeline import CoderSetup, Pending, Processed

CONNECT_TIMEOUT_S = 10  # a scheduler that does not answer in this time is an error, not a hang
WORKERS_TIMEOUT_S = 60  # how long a run waits for a first worker to join the scheduler
MAX_AHEAD = (
    128  # batches in flight at most, whatever the size of the cluster (the calling process holds them)
)


MAX_SHIPPED_BYTES = 1 << 30  # a model or gate directory larger than this is not shipped to workers
# "model" / "gate" -> a directory's files (relative path -> bytes)
Shipped = Mapping[str, Mapping[str, bytes]]


def pack_directory(directory: str | Path) -> dict[str, bytes]:
    """A model or gate directory's files, read by the calling process to go to the workers with the
    coder (so that workers on other machines need no copy of it)."""
    d = Path(directory)
    if not d.is_dir():
        raise InputError(f"{d}: no such model directory")
    files: dict[str, bytes] = {}
    total = 0
    for path in sorted(d.rglob("*")):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            total += len(data)
            if total > MAX_SHIPPED_BYTES:
                raise ConfigError(
                    f"{d}: over {MAX_SHIPPED_BYTES >> 20} MiB, too large to ship to the workers"
                )
            files[path.relative_to(d).as_posix()] = data
    return files


def shipped_dirs(setup: CoderSetup) -> dict[str, dict[str, bytes]]:
    """The directories a run's coder reads (``--model``, ``--gate-model``), packed for the workers."""
    out = {}
    if setup.assist is not None:
        out["model"] = pack_directory(setup.assist.model_dir)
    if setup.gate is not None:
        out["gate"] = pack_directory(setup.gate)
    return out


def unpack_directories(setup: CoderSetup, shipped: Shipped, into: str | Path) -> CoderSetup:
    """Write shipped directories under ``into`` (a worker's own folder; one folder per content, so a
    run shipping the same model again reuses it) and point the setup at them."""
    for kind, files in shipped.items():
        digest = hashlib.sha256()
        for rel in sorted(files):
            digest.update(rel.encode() + b"\0" + hashlib.sha256(files[rel]).digest())
        target = Path(into) / "eventledger-models" / f"{kind}-{digest.hexdigest()[:16]}"
        for rel, data in files.items():
            path = target / rel
            if path.is_file() and path.stat().st_size == len(data):
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            part = path.with_name(path.name + ".part")
            part.write_bytes(data)
            part.replace(path)  # whole or absent: a worker killed mid-write leaves no half file
        if kind == "model" and setup.assist is not None:
            setup = replace(setup, assist=replace(setup.assist, model_dir=str(target)))
        elif kind == "gate":
            setup = replace(setup, gate=str(target))
    return setup


class CoderPlugin(WorkerPlugin):
    """The run's coder on a Dask worker: shipped once per worker, built there when the worker takes it.

    One coder per worker thread (a coder counts what it drops while it codes a batch, so two threads
    must not share one); with ``--nthreads 1`` (the advice: coding holds the GIL) that is one per worker.
    A ``--model`` / ``--gate-model`` directory travels with it and is written to the worker's own folder.
    """

    def __init__(self, setup: CoderSetup, shipped: Shipped | None = None) -> None:
        self.coder_setup = setup
        self.shipped = dict(shipped or {})
        self._local: threading.local | None = None  # on the worker (a thread's own coder)
        self._lock: threading.Lock | None = None

    def setup(self, worker: Any) -> None:
        """Build this worker's first coder now: a worker that would code differently (another
        version) fails the run at its start, and the first batch does not wait for the coder."""
        from eventledger.normalize.html import preload

        preload()
        if self.shipped:
            self.coder_setup = unpack_directories(self.coder_setup, self.shipped, worker.local_directory)
            self.shipped = {}  # written: the bytes need not stay in the worker's memory
        self._local, self._lock = threading.local(), threading.Lock()
        self._local.coder = self.coder_setup.build()

    def teardown(self, worker: Any) -> None:
        self._local = None

    def coder(self) -> RuleCoder:
        local, lock = self._local, self._lock
        if local is None or lock is None:
            raise EventLedgerError("the coder of this run is no longer on this worker")
        coder: RuleCoder | None = getattr(local, "coder", None)
        if coder is None:  # another thread of this worker
            with lock:
                coder = local.coder = self.coder_setup.build()
        return coder


def _code_on_worker(fn: Callable[[Any, RuleCoder], Processed], items: Any, plugin: str) -> Processed:
    """A task: one batch coded with this worker's coder of the run."""
    coder_plugin = get_worker().plugins[plugin]
    assert isinstance(coder_plugin, CoderPlugin)
    return fn(items, coder_plugin.coder())


class _TaskPending:
    """A batch on the cluster; a failure of the cluster itself (a worker killed again and again, the
    scheduler gone) is an error of the run, said in words."""

    def __init__(self, future: Any, n: int) -> None:
        self.future, self.n = future, n

    def result(self) -> Processed:
        try:
            got = self.future.result()
        except EventLedgerError:
            raise
        except Exception as exc:  # the coding of a batch never raises: one document's error is its own
            raise EventLedgerError(
                f"batch {self.n} could not be coded on the cluster: {type(exc).__name__}: {exc}"
            ) from exc
        return cast(Processed, got)


class DaskExecutor:
    """Batches coded on the workers of a Dask cluster, through a connected ``distributed.Client``."""

    def __init__(self, client: Client, description: str = "a Dask cluster") -> None:
        self.client = client
        self.description = description
        self._plugin: str | None = None
        self._n = 0
        self._threads = 1  # the workers' threads, when last asked

    def workers(self) -> int:
        """Threads of the cluster's workers, all together (a worker of ``--nthreads 1``: one)."""
        return sum(self.client.nthreads().values())

    def start(self, coder: RuleCoder, setup: CoderSetup) -> None:
        """Ship the run's coder to every worker (the calling process's own ``coder`` stays here)."""
        if not self.client.nthreads():
            try:
                self.client.wait_for_workers(1, timeout=WORKERS_TIMEOUT_S)
            except TimeoutError as exc:
                raise EventLedgerError(
                    f"no Dask worker joined {self.description} in {WORKERS_TIMEOUT_S} s: "
                    "start some (dask worker ADDRESS --nthreads 1)"
                ) from exc
        name = f"eventledger-coder-{uuid.uuid4().hex[:12]}"
        self.client.register_plugin(CoderPlugin(setup, shipped_dirs(setup)), name=name)
        self._plugin, self._n = name, 0

    def ahead(self) -> int:
        """Each worker thread busy with one batch and the next one waiting (workers may join meanwhile)."""
        with suppress(Exception):  # the scheduler does not answer now: the batch's own result will say why
            self._threads = self.workers()
        return min(MAX_AHEAD, 2 * max(1, self._threads))

    def submit(self, fn: Callable[[Any, RuleCoder], Processed], items: Any) -> Pending:
        assert self._plugin is not None, "start the executor first"
        self._n += 1
        # an explicit key (Dask need not hash the reports) and priority (the earliest batch first)
        key = f"{self._plugin}-{self._n}"
        future = self.client.submit(_code_on_worker, fn, items, self._plugin, key=key, priority=-self._n)
        return _TaskPending(future, self._n)

    def stop(self) -> None:
        if self._plugin is None:
            return
        name, self._plugin = self._plugin, None
        with suppress(Exception):  # a worker or the scheduler gone: nothing left to remove there
            self.client.unregister_worker_plugin(name)


def local_cluster(workers: int) -> LocalCluster:
    """A cluster of ``workers`` processes on this machine, one thread each, without a dashboard.

    Its scheduler still answers health checks over HTTP: on a free port of 127.0.0.1 (not on 8787,
    Dask's default, which another cluster of this machine may hold)."""
    return LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    )  # fmt: skip


@contextmanager
def open_client(address: str | None, workers: int) -> Iterator[DaskExecutor]:
    """A client of the scheduler at ``address``, or of a new ``LocalCluster`` of ``workers`` processes
    (one thread each, no dashboard), closed at the end."""
    cluster: LocalCluster | None = None
    if address is None:
        cluster = local_cluster(workers)
        client = Client(cluster)
        description = f"a local cluster of {workers} workers"
    else:
        try:
            client = Client(address, timeout=CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError, ValueError) as exc:
            raise EventLedgerError(
                f"--cluster {address}: no Dask scheduler answers there ({type(exc).__name__}: {exc})"
            ) from exc
        description = f"the Dask scheduler at {address}"
    try:
        yield DaskExecutor(client, description)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
