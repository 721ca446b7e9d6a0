"""The bundled sample corpus and the demo run built on it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from eventledger.errors import ConfigError
from eventledger.outlets import load_outlets
from eventledger.pipeline import Ingestor, IngestResult
from eventledger.shipped import shipped_path
from eventledger.sources.files import ReadOptions
from eventledger.store import writer
from eventledger.store.db import DEFAULT_DB, Store, database_url
from eventledger.store.schema import runs

DEMO_PERIOD = "1401"


def sample_dir() -> Path:
    return shipped_path("data", "sample")


def sample_reports() -> Path:
    return sample_dir() / "reports.jsonl"


def sample_outlets() -> Path:
    return sample_dir() / "outlets.yaml"


def _is_demo_database(path: Path) -> bool:
    store = Store.open(path)
    try:
        with store.connect() as conn:
            commands = set(conn.execute(select(runs.c.command)).scalars())
        return commands <= {"demo", "ingest"} and "demo" in commands
    finally:
        store.close()


def build_demo(db: str | Path = DEFAULT_DB, *, force: bool = False) -> tuple[Store, IngestResult]:
    """A fresh database at ``db`` from the sample corpus and its outlets file.

    An existing file is replaced only when it is an earlier demo database (or with ``force``),
    so that a real database given by mistake is never overwritten.
    """
    url = database_url(db)
    if not url.startswith("sqlite:///"):
        raise ConfigError("the demo builds a SQLite file; give --db a file path")
    path = Path(url.removeprefix("sqlite:///"))
    if path.exists():
        if not force and not _is_demo_database(path):
            raise ConfigError(
                f"{path} exists and is not a demo database; choose another --db or pass --force"
            )
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = Store.open(path)
    with store.begin() as conn:
        writer.upsert_outlets(conn, load_outlets(sample_outlets()))
        demo_run = writer.start_run(conn, "demo", {"corpus": "sample/reports.jsonl"}, {})
    result = Ingestor(store).ingest([sample_reports()], ReadOptions())
    with store.begin() as conn:
        writer.finish_run(conn, demo_run, {"ingest_run": result.run_id})
    return store, result
