"""the process of a run, so that a killed run can be told from a running one

``runs.host`` and ``runs.pid``: the machine and process that started the run.  A run still marked
``running`` whose process is gone (same host, no such pid) is marked ``interrupted`` when runs are
listed or a new run starts.

Revision ID: 0006
Revises: 0005
Create Date: 2027-01-12 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("runs", sa.Column("host", sa.String(length=255), nullable=True))  # plain ALTER TABLE
    op.add_column("runs", sa.Column("pid", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("runs", "pid")  # plain ALTER TABLE (SQLite >= 3.35), no table rebuild
    op.drop_column("runs", "host")
