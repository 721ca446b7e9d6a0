"""frozen dataset releases: the events, their sources and mentions, versions and checksums

``releases`` (one row a release) and ``release_chunks`` (the frozen events as gzipped JSON lines,
in id order). Both refuse UPDATE and DELETE (triggers on SQLite and PostgreSQL): a release never
changes after it is made.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 05:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("releases", "release_chunks")


def upgrade() -> None:
    op.create_table(
        "releases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=80), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("authors", sa.JSON(), nullable=False),
        sa.Column("period", sa.JSON(), nullable=True),
        sa.Column("codebook", sa.String(length=80), nullable=False),
        sa.Column("versions", sa.JSON(), nullable=False),
        sa.Column("n_events", sa.Integer(), nullable=False),
        sa.Column("n_mentions", sa.Integer(), nullable=False),
        sa.Column("checksum", sa.String(length=64), nullable=False),
    )
    op.create_table(
        "release_chunks",
        sa.Column("release_id", sa.Integer(), sa.ForeignKey("releases.id"), primary_key=True),
        sa.Column("seq", sa.Integer(), primary_key=True),
        sa.Column("first_id", sa.Integer(), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("n_events", sa.Integer(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
    )
    # a release row is written once: inserted with an empty checksum by the transaction that makes it,
    # completed once (checksum set) in the same transaction, then never updated or deleted
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION release_is_frozen() RETURNS trigger AS $$ BEGIN "
            "IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'releases' THEN "
            "IF OLD.checksum = '' THEN RETURN NEW; END IF; END IF; "
            "RAISE EXCEPTION 'a release never changes after it is made'; END; $$ LANGUAGE plpgsql"
        )
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION release_is_frozen()"
            )
    else:
        for table in TABLES:
            for verb in ("UPDATE", "DELETE"):
                when = " WHEN OLD.checksum != ''" if (table, verb) == ("releases", "UPDATE") else ""
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table}{when} "
                    "BEGIN SELECT RAISE(ABORT, 'a release never changes after it is made'); END"
                )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}")
        op.execute("DROP FUNCTION IF EXISTS release_is_frozen()")
    else:
        for table in TABLES:
            for verb in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
    op.drop_table("release_chunks")
    op.drop_table("releases")
