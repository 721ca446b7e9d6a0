"""several watchers on one store: a lease on each source being polled, per-host turns

``sources.lease_owner`` / ``lease_taken_at`` / ``lease_expires``: the watcher polling the source now
and until when its lease holds (renewed while it polls, cleared when it is done); a lease past its
expiry is a dead watcher's, and another watcher takes the source over. ``host_turns``: when the next
request to a host may start (seconds since the epoch, the database's clock), so that the per-host
interval holds across the watchers of one PostgreSQL store.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 09:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEASE_COLUMNS = ("lease_owner", "lease_taken_at", "lease_expires")


def upgrade() -> None:
    op.add_column("sources", sa.Column("lease_owner", sa.String(length=120), nullable=True))
    op.add_column("sources", sa.Column("lease_taken_at", sa.DateTime(), nullable=True))
    op.add_column("sources", sa.Column("lease_expires", sa.DateTime(), nullable=True))
    op.create_table(
        "host_turns",
        sa.Column("host", sa.Text(), nullable=False),
        sa.Column("next_request_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("host", name=op.f("pk_host_turns")),
    )


def downgrade() -> None:
    op.drop_table("host_turns")
    for col in reversed(LEASE_COLUMNS):
        op.drop_column("sources", col)
