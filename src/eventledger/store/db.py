"""Opening the store: a SQLite file by default, any SQLAlchemy URL (PostgreSQL) otherwise.

The schema is brought to the newest Alembic revision when the store opens, inside one
transaction, so a database is never left half-migrated.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from eventledger.errors import StoreError
from eventledger.store.writer import refresh_redaction, stale_redaction

DEFAULT_DB = "eventledger.db"
ENV_DB = "EVENTLEDGER_DB"


def database_url(db: str | os.PathLike[str] | None) -> str:
    """A SQLAlchemy URL for ``--db``: a URL is kept, anything else is a SQLite file path."""
    value = str(db) if db is not None else os.environ.get(ENV_DB) or DEFAULT_DB
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # SQLAlchemy's documented recipe: let SQLAlchemy, not the driver, emit BEGIN (see _sqlite_begin)
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=30000")  # first: another process may hold the lock already
    _set_wal(cur)
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    # SQLite's default page cache is 2 MB: far too small for a store of millions of rows
    cur.execute("PRAGMA cache_size=-65536")  # 64 MiB per connection
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


def _set_wal(cur: Any, wait_s: float = 30.0) -> None:
    """WAL mode. Switching a fresh file to WAL needs its exclusive lock, and SQLite may answer
    "database is locked" at once, without its busy handler, while another process opens the same new
    file: retry for up to ``wait_s`` seconds (the mode, once set, stays with the file)."""
    deadline = time.monotonic() + wait_s
    delay = 0.01
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def _sqlite_begin(conn: Connection) -> None:
    # a write transaction takes SQLite's write lock at once, so ids it allocates stay its own
    immediate = conn.get_execution_options().get("immediate", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _alembic_config() -> Config:
    cfg = Config()
    location = resources.files("eventledger") / "store" / "migrations"
    cfg.set_main_option("script_location", str(location))
    return cfg


def head_revision() -> str:
    heads = ScriptDirectory.from_config(_alembic_config()).get_heads()
    return str(heads[0])


def shown_url(url: str) -> str:
    """A database URL as messages show it: never its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy can parse: show only its scheme
        return url.split(":", 1)[0] + "://…"


# the advisory lock of the writers of one PostgreSQL store ("eventldg")
WRITE_LOCK = 0x6576_656E_746C_6467


class Store:
    """A handle on one database: engine, migrations, transactions."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine

    @classmethod
    def open(cls, db: str | os.PathLike[str] | None = None, *, create: bool = True) -> Store:
        url = database_url(db)
        if url.startswith("sqlite:///"):
            path = Path(url.removeprefix("sqlite:///"))
            if not create and not path.exists():
                raise StoreError(
                    f"database not found: {path} (run 'eventledger ingest' or 'eventledger demo' first)"
                )
            if path.parent and not path.parent.exists():
                raise StoreError(f"cannot create database {path}: folder {path.parent} does not exist")
        try:
            engine = create_engine(url, future=True)
        except (SQLAlchemyError, ImportError) as exc:
            raise StoreError(f"cannot open database {shown_url(url)}: {exc}") from exc
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
        store = cls(url, engine)
        store.migrate()
        return store

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def migrate(self) -> None:
        """Upgrade the schema to the newest revision (a no-op when it is current)."""
        try:
            with self.engine.connect() as conn:  # a read first: a current store takes no write lock
                if conn.dialect.has_table(conn, "alembic_version") and self._current(conn):
                    return
            # under the write lock (SQLite: BEGIN IMMEDIATE), so that of two processes opening an
            # older database at once, one upgrades and the other then finds it current
            with self.engine.connect() as conn:
                conn = conn.execution_options(immediate=True)
                with conn.begin():
                    current = MigrationContext.configure(conn).get_current_revision()
                    if current != head_revision():
                        cfg = _alembic_config()
                        cfg.attributes["connection"] = conn
                        command.upgrade(cfg, "head")
                    if stale_redaction(conn):  # rows of an older store, or of older redaction rules
                        refresh_redaction(conn)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open or migrate database {shown_url(self.url)}: {exc}") from exc

    @staticmethod
    def _current(conn: Connection) -> bool:
        if MigrationContext.configure(conn).get_current_revision() != head_revision():
            return False
        return not stale_redaction(conn)

    @contextmanager
    def begin(self, *, serial: bool = True) -> Iterator[Connection]:
        """One write transaction: everything inside is written, or nothing.

        On SQLite it holds the write lock from the start (``BEGIN IMMEDIATE``), so that two
        writers never interleave and ids allocated inside it are not taken by another writer. On
        PostgreSQL it first takes the store's write lock (a transaction advisory lock, let go at
        commit or rollback, or when the process dies), so that two writers — watchers on several
        machines, an ``ingest`` beside them, a reviewer — never both make the event a report names:
        each sees what the one before wrote. ``serial=False`` is for bookkeeping that only takes row
        locks of its own (the watchers' leases and per-host turns) and must not wait for a batch.
        """
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(immediate=True)
                with conn.begin():
                    if serial and conn.dialect.name == "postgresql":
                        conn.execute(select(func.pg_advisory_xact_lock(WRITE_LOCK)))
                    yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"database error in {shown_url(self.url)}: {exc}") from exc

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"database error in {shown_url(self.url)}: {exc}") from exc

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
