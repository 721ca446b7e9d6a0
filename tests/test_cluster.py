"""``ingest --cluster`` and ``recode --cluster`` (issue 13): coding on Dask workers gives what coding in
one process gives — the same events, ids, mentions and tallies — and the one-user path needs no Dask."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from eventledger.cli import cli
from eventledger.cluster import ClusterSpec, connect, parse_cluster
from eventledger.errors import ConfigError
from eventledger.pipeline import CoderSetup, Ingestor, Processed, process_batch
from eventledger.records import RawReport
from eventledger.store import queries
from eventledger.store.db import Store
from eventledger.store.schema import documents, events, mentions
from tests.conftest import ROOT, TEHRAN
from tests.test_recode import fire_is_vandalism, variant

distributed = pytest.importorskip("distributed")

SAMPLE = ROOT / "src" / "eventledger" / "data" / "sample" / "reports.jsonl"
BATCH = "60"  # several batches, so that both workers code some of them


def run(db: Path, *args: str) -> str:
    res = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.stdout


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample and 300 generated reports (bench/generate.py), in one JSONL file."""
    folder = tmp_path_factory.mktemp("corpus")
    generated = folder / "generated.jsonl"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "300", str(generated), "--seed", "13"],
        check=True,
    )
    path = folder / "reports.jsonl"
    path.write_text(
        SAMPLE.read_text(encoding="utf-8") + generated.read_text(encoding="utf-8"), encoding="utf-8"
    )
    return path


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A running scheduler with two worker processes, for ``--cluster ADDRESS``."""
    from eventledger.cluster.executor import local_cluster

    with local_cluster(2) as cluster:
        yield cluster.scheduler_address


def snapshot(db: Path) -> dict[str, Any]:
    """What a run leaves in the store: every column of events (with their ids), mentions and documents
    (but the time a document was stored), and the tallies."""
    store = Store.open(db)
    with store.connect() as conn:
        out: dict[str, Any] = {
            t.name: conn.execute(select(*[c for c in t.c if c.name != "ingested_at"]).order_by(t.c.id)).all()
            for t in (events, mentions, documents)
        }
        out["tally"] = queries.tally(
            conn, queries.EventFilter(), ["subtype", "province", "month", "claim_status"]
        )
    store.close()
    return out


def run_counts(db: Path) -> list[dict[str, Any]]:
    """Each run's counts, but for the time it took."""
    out = json.loads(run(db, "runs", "--format", "json"))
    return [{k: v for k, v in r["counts"].items() if k != "seconds"} for r in out]


def test_ingest_on_a_local_cluster_equals_one_process(corpus: Path, tmp_path: Path, scheduler: str):
    one, many = tmp_path / "one.db", tmp_path / "many.db"
    run(one, "ingest", str(corpus), "--batch-size", BATCH, "--workers", "1", "-q")
    run(many, "ingest", str(corpus), "--batch-size", BATCH, "--cluster", "local:2", "-q")
    a, b = snapshot(one), snapshot(many)
    assert len(a["events"]) > 300 and a["tally"]["total"] > 300
    assert a == b
    assert run_counts(one) == run_counts(many)
    # ingesting again adds nothing, on the cluster as in one process
    run(many, "ingest", str(corpus), "--batch-size", BATCH, "--cluster", scheduler, "-q")
    assert snapshot(many)["events"] == a["events"]


def test_ingest_and_recode_through_a_scheduler_address_equal_one_process(
    corpus: Path, tmp_path: Path, scheduler: str
):
    changed = variant(tmp_path, "b", fire_is_vandalism)
    one, many = tmp_path / "one.db", tmp_path / "many.db"
    run(one, "ingest", str(corpus), "--batch-size", BATCH, "--workers", "1", "-q")
    run(many, "ingest", str(corpus), "--batch-size", BATCH, "--cluster", scheduler, "-q")
    assert snapshot(one) == snapshot(many)
    run(one, "recode", "--codebook", str(changed), "--batch-size", BATCH, "-q")
    run(many, "recode", "--codebook", str(changed), "--batch-size", BATCH, "--cluster", scheduler, "-q")
    a, b = snapshot(one), snapshot(many)
    assert a == b
    assert run_counts(one) == run_counts(many)
    assert run_counts(one)[0]["events_removed"] > 0  # the re-code changed something
    # the run's coder is gone from the workers once the run ends
    with distributed.Client(scheduler) as client:
        plugins = client.run(lambda dask_worker: list(dask_worker.plugins))
    assert not [p for names in plugins.values() for p in names if p.startswith("eventledger-coder")]


def _coder_seen(items: Any, coder: Any) -> Any:
    return os.getpid(), id(coder)


def test_the_coder_goes_to_each_worker_once_not_with_each_batch(scheduler: str, tmp_path: Path):
    ingestor = Ingestor(Store.open(tmp_path / "x.db"))
    with connect(scheduler) as executor:
        setup = CoderSetup.of(ingestor, {})
        executor.start(ingestor_coder := setup.build(), setup)
        sent: list[tuple[Any, ...]] = []
        submit = executor.client.submit

        def spy(*args: Any, **kw: Any) -> Any:
            sent.append(args)
            return submit(*args, **kw)

        executor.client.submit = spy  # type: ignore[method-assign]
        seen = {executor.submit(_coder_seen, [i]).result() for i in range(12)}
        text = "Protesters set fire to a bank in Karaj on 2 May 2023."
        batch = [RawReport(text, "t:1", outlet="Wire", published=dt.datetime(2023, 5, 3, tzinfo=TEHRAN))]
        coded = executor.submit(process_batch, batch).result()
        executor.stop()
    pids = {pid for pid, _ in seen}
    assert len(pids) <= 2 and len(seen) == len(pids)  # one coder a worker, whatever the number of batches
    assert all(isinstance(a, str | list) or callable(a) for args in sent for a in args)  # no coder in a task
    assert isinstance(coded, Processed) and coded.items == process_batch(batch, ingestor_coder).items


def test_a_worker_of_another_version_refuses_to_code(scheduler: str, tmp_path: Path):
    ingestor = Ingestor(Store.open(tmp_path / "x.db"))
    setup = CoderSetup.of(ingestor, {})
    other = CoderSetup(setup.codebook, {}, version="0.0.1")
    with pytest.raises(ConfigError, match="eventledger"):
        other.build()
    with connect(scheduler) as executor, pytest.raises(ConfigError, match="same version"):
        executor.start(setup.build(), other)


def test_cluster_option_values_and_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    assert parse_cluster("local:3") == ClusterSpec(workers=3)
    assert parse_cluster("local") == ClusterSpec(workers=os.cpu_count() or 1)
    assert parse_cluster("tcp://10.0.0.5:8786") == ClusterSpec(address="tcp://10.0.0.5:8786")
    for bad in ("local:0", "local:x", "local:", " "):
        with pytest.raises(ConfigError):
            parse_cluster(bad)
    db = tmp_path / "x.db"
    res = CliRunner().invoke(
        cli, ["--db", str(db), "ingest", str(SAMPLE), "--cluster", "local:2", "--workers", "2"]
    )
    assert res.exit_code == 2 and "--cluster" in res.output
    res = CliRunner().invoke(cli, ["--db", str(db), "ingest", str(SAMPLE), "--cluster", "local:two"])
    assert res.exit_code == 2 and "local:N" in res.output
    monkeypatch.setattr("eventledger.cluster.dask_available", lambda: False)
    res = CliRunner().invoke(cli, ["--db", str(db), "recode", "--cluster", "local:2"])
    assert res.exit_code == 2 and "pip install 'eventledger[dask]'" in res.output


def test_the_one_user_path_imports_no_dask(tmp_path: Path):
    few = tmp_path / "few.jsonl"
    few.write_text(
        "".join(SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)[:30]), encoding="utf-8"
    )
    code = (
        "import sys\n"
        "from eventledger.cli import cli\n"
        f"args = ['--db', {str(tmp_path / 'x.db')!r}]\n"
        f"for cmd in (['ingest', {str(few)!r}, '-q', '--workers', '2', '--batch-size', '10'], ['recode', '-q']):\n"
        "    cli.main([*args, *cmd], standalone_mode=False)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def _tiny_gate(folder: Path) -> tuple[Path, str]:
    from eventledger.learn.relevance import train_relevance
    from tests.learn.test_relevance import tiny

    texts, labels, langs = tiny()
    model = train_relevance(texts, labels, langs, seed=3)
    return model.save(folder), model.version


def test_a_gate_model_travels_to_workers_that_lack_its_directory(tmp_path: Path):
    import shutil
    from types import SimpleNamespace

    from eventledger.cluster.executor import CoderPlugin, shipped_dirs
    from eventledger.extract.codebook import load_codebook

    gate, version = _tiny_gate(tmp_path / "gate")
    setup = CoderSetup(load_codebook(), {}, gate=str(gate))
    plugin = CoderPlugin(setup, shipped_dirs(setup))
    shutil.rmtree(gate)  # a worker on another machine: the calling process's folder is not there
    plugin.setup(SimpleNamespace(local_directory=str(tmp_path / "worker")))
    coder = plugin.coder()
    assert coder.relevance is not None and coder.relevance.version == version
    assert Path(plugin.coder_setup.gate or "").is_relative_to(tmp_path / "worker")


def test_ingest_with_a_gate_model_on_the_cluster_equals_one_process(
    corpus: Path, tmp_path: Path, scheduler: str
):
    gate, _ = _tiny_gate(tmp_path / "gate")
    one, many = tmp_path / "one.db", tmp_path / "many.db"
    run(one, "ingest", str(corpus), "--batch-size", BATCH, "--workers", "1", "--gate-model", str(gate), "-q")
    run(
        many,
        "ingest",
        str(corpus),
        "--batch-size",
        BATCH,
        "--cluster",
        scheduler,
        "--gate-model",
        str(gate),
        "-q",
    )
    a, b = snapshot(one), snapshot(many)
    assert a["mentions"] and a == b
