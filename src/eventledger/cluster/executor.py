"""The Dask side of :mod:`eventledger.cluster`: the coder as a worker plugin, batches as tasks."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, cast

from distributed import Client, LocalCluster, WorkerPlugin, get_worker

from eventledger.errors import EventLedgerError
from eventledger.extract.coder import RuleCoder
from eventledger.pipeline import CoderSetup, Pending, Processed

CONNECT_TIMEOUT_S = 10  # a scheduler that does not answer in this time is an error, not a hang
WORKERS_TIMEOUT_S = 60  # how long a run waits for a first worker to join the scheduler
MAX_AHEAD = (
    128  # batches in flight at most, whatever the size of the cluster (the calling process holds them)
)


class CoderPlugin(WorkerPlugin):
    """The run's coder on a Dask worker: shipped once per worker, built there when the worker takes it.

    One coder per worker thread (a coder counts what it drops while it codes a batch, so two threads
    must not share one); with ``--nthreads 1`` (the advice: coding holds the GIL) that is one per worker.
    """

    def __init__(self, setup: CoderSetup) -> None:
        self.coder_setup = setup
        self._local: threading.local | None = None  # on the worker (a thread's own coder)
        self._lock: threading.Lock | None = None

    def setup(self, worker: Any) -> None:
        """Build this worker's first coder now: a worker that would code differently (another
        version) fails the run at its start, and the first batch does not wait for the coder."""
        from eventledger.normalize.html import preload

        preload()
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
        self.client.register_plugin(CoderPlugin(setup), name=name)
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
