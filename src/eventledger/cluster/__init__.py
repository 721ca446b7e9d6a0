"""Coding on a Dask cluster (the ``dask`` extra): ``ingest --cluster`` and ``recode --cluster``.

A cluster is one more :class:`~eventledger.pipeline.Executor`: the run reads its input (or the stored
reports) in the calling process, hands each batch of reports (``--batch-size``, hundreds at a time,
never one task per report) to a worker, takes the coded batches back in the order it handed them
over and writes them through the store in atomic batches, as without a cluster — so the events,
mentions, tallies and ids are the same whatever the number of workers.

The coder (codebook, gazetteer, model and gate settings, outlets' stances) goes to each worker once,
in a worker plugin registered for the run (workers that join later get it too; it is removed when
the run ends); a task carries only its batch and the plugin's name. A worker builds the coder from it
and refuses to code when its eventledger or gazetteer differs from the calling process's. A model
(``--model``) or gate (``--gate-model``) directory travels with the coder: the calling process reads
it, each worker writes it once into its own folder (workers on other machines need no copy).

Dask is imported only by :mod:`eventledger.cluster.executor`, and only when a cluster is asked for:
the single-user path needs none.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventledger.errors import ConfigError

if TYPE_CHECKING:
    from eventledger.cluster.executor import DaskExecutor

EXTRA = "dask"
LOCAL = "local"
MAX_LOCAL_WORKERS = 256


@dataclass(frozen=True)
class ClusterSpec:
    """What ``--cluster`` names: a scheduler's address, or a cluster of ``workers`` processes here."""

    address: str | None = None  # tcp://host:8786 (or host:8786)
    workers: int = 0  # with address None: a LocalCluster of this many worker processes

    def __str__(self) -> str:
        return self.address or f"{LOCAL}:{self.workers}"


def parse_cluster(value: str) -> ClusterSpec:
    """``local`` (one worker a core), ``local:N`` or a scheduler's address (``tcp://host:8786``)."""
    text = value.strip()
    if not text:
        raise ConfigError("--cluster: a scheduler's address (tcp://host:8786), 'local' or 'local:N'")
    name, sep, n = text.partition(":")
    if name.lower() != LOCAL:
        return ClusterSpec(address=text)
    if not sep:
        return ClusterSpec(workers=os.cpu_count() or 1)
    if not n.isdigit() or not 1 <= int(n) <= MAX_LOCAL_WORKERS:
        raise ConfigError(
            f"--cluster {value}: 'local:N' takes a number of workers from 1 to {MAX_LOCAL_WORKERS}"
        )
    return ClusterSpec(workers=int(n))


def dask_available() -> bool:
    """Whether Dask distributed (the ``dask`` extra) is installed (found, not imported)."""
    return importlib.util.find_spec("distributed") is not None


@contextmanager
def connect(value: str | ClusterSpec) -> Iterator[DaskExecutor]:
    """An executor on the cluster ``--cluster value`` names: a client of a running scheduler, or a
    ``LocalCluster`` of N worker processes on this machine (one thread each), closed at the end."""
    spec = value if isinstance(value, ClusterSpec) else parse_cluster(value)
    if not dask_available():
        raise ConfigError(f"--cluster needs Dask distributed: pip install 'eventledger[{EXTRA}]'")
    from eventledger.cluster.executor import open_client

    with open_client(spec.address, spec.workers) as executor:
        yield executor
