"""Two writers on one store, and runs whose process was killed."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select, update

from eventledger.cli import cli
from eventledger.outlets import Outlet
from eventledger.pipeline import Ingestor
from eventledger.sources.kinds import read_path
from eventledger.store import writer
from eventledger.store.db import Store
from eventledger.store.schema import documents, outlets, runs

SRC = str(Path(__file__).resolve().parents[2] / "src")


def reports(path: Path, tag: str, n: int, outlet_names: list[str]) -> Path:
    rows = [
        {
            "id": f"{tag}-{i}",
            "outlet": outlet_names[i % len(outlet_names)],
            "published": f"2023-02-{10 + i % 9:02d}T08:00:00+03:30",
            "lang": "en",
            "text": f"Workers of plant {tag}-{i} went on strike in Ahvaz on Friday.",
        }
        for i in range(n)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def count(store: Store, table) -> int:
    with store.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_an_outlet_registered_by_another_writer_during_a_run_is_taken_not_inserted_again(tmp_path):
    db = tmp_path / "x.db"
    first, second = Store.open(db), Store.open(db)
    with Ingestor(first).run("ingest", {}) as run:  # outlets are loaded when the run starts
        assert "New Outlet" not in run.stances
        Ingestor(second).ingest([reports(tmp_path / "b.jsonl", "b", 3, ["New Outlet"])])
        with second.begin() as conn:
            writer.upsert_outlets(conn, [Outlet("New Outlet", "actor", "sepideh-network")])
        run.add(read_path(reports(tmp_path / "a.jsonl", "a", 3, ["New Outlet", "Other Outlet"])))
    assert run.stances["New Outlet"].stance == "actor"  # read back from the store, not assumed
    with first.connect() as conn:
        assert conn.execute(select(runs.c.status)).scalars().all() == ["ok", "ok"]
        names = conn.execute(select(outlets.c.name, outlets.c.stance).order_by(outlets.c.name)).all()
    assert [tuple(r) for r in names] == [("New Outlet", "actor"), ("Other Outlet", "unknown")]
    assert count(first, documents) == 6
    first.close()
    second.close()


def test_outlets_inserted_twice_are_upserted_not_an_integrity_error(tmp_path):
    store = Store.open(tmp_path / "x.db")
    with store.begin() as conn:
        changed = writer.upsert_outlets(conn, [Outlet("A", "state"), Outlet("A", "independent")])
        writer.ensure_outlets(conn, ["A", "B"], {})
    with store.connect() as conn:
        rows = conn.execute(select(outlets.c.name, outlets.c.stance).order_by(outlets.c.name)).all()
    assert changed == 2 and [tuple(r) for r in rows] == [("A", "independent"), ("B", "unknown")]
    store.close()


def test_two_ingest_processes_on_one_sqlite_file_both_finish(tmp_path):
    db = tmp_path / "x.db"  # created and migrated by whichever process comes first
    names = [f"Outlet {k}" for k in range(25)]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "eventledger",
                "--db",
                str(db),
                "ingest",
                "-q",
                "--batch-size",
                "2",
                str(reports(tmp_path / f"{tag}.jsonl", tag, 60, names)),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={"PYTHONPATH": SRC, "PATH": ""},
        )
        for tag in ("a", "b")
    ]
    results = [p.communicate(timeout=600) for p in procs]
    for p, (_, err) in zip(procs, results, strict=True):
        assert p.returncode == 0 and "UNIQUE constraint" not in err, err
    store = Store.open(db)
    assert (count(store, documents), count(store, outlets)) == (120, 25)
    store.close()


# --- runs of killed processes ---------------------------------------------------------------------------
def start_run_in_child(db: Path, *, then: str) -> subprocess.Popen[str]:
    """A process that starts a run and then does ``then`` (exits without finishing it, or waits)."""
    code = textwrap.dedent(
        f"""
        import os, sys, time
        from eventledger.store import writer
        from eventledger.store.db import Store
        store = Store.open({str(db)!r})
        with store.begin() as conn:
            print(writer.start_run(conn, "ingest", {{}}, {{}}), flush=True)
        {then}
        """
    )
    return subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env={"PYTHONPATH": SRC, "PATH": ""}
    )


def statuses(db: Path) -> dict[int, str]:
    res = CliRunner().invoke(cli, ["--db", str(db), "runs", "--format", "json"])
    assert res.exit_code == 0, res.stderr
    return {r["id"]: r["status"] for r in json.loads(res.stdout)}


def test_a_killed_run_is_marked_interrupted_and_a_live_one_is_not(tmp_path):
    db = tmp_path / "x.db"
    Store.open(db).close()
    killed = start_run_in_child(db, then="os._exit(0)")  # like a kill -9: no finish_run
    killed_id = int(killed.stdout.readline())
    killed.wait(timeout=60)
    killed.stdout.close()
    alive = start_run_in_child(db, then="time.sleep(120)")
    alive_id = int(alive.stdout.readline())
    store = Store.open(db)
    with store.begin() as conn:  # a run of another machine cannot be checked from here
        other_id = writer.start_run(conn, "watch", {}, {})
        conn.execute(update(runs).where(runs.c.id == other_id).values(host="elsewhere", pid=killed.pid))
    try:
        assert statuses(db) == {killed_id: "interrupted", alive_id: "running", other_id: "running"}
        with store.connect() as conn:
            finished = conn.execute(select(runs.c.finished_at).where(runs.c.id == killed_id)).scalar_one()
        assert finished is not None
    finally:
        alive.kill()
        alive.wait(timeout=60)
        alive.stdout.close()
    with store.begin() as conn:  # starting a run settles the runs of processes that are gone
        new_id = writer.start_run(conn, "ingest", {}, {})
    assert statuses(db) == {
        killed_id: "interrupted",
        alive_id: "interrupted",
        other_id: "running",
        new_id: "running",
    }
    store.close()
