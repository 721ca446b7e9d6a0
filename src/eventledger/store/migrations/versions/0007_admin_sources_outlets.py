"""sources added and paused from the web app, outlets' display names, audited admin changes

``sources.origin``: ``file`` (the sources file) or ``web`` (added by an admin; ``watch`` polls it
too), ``sources.paused`` (``watch`` skips it), and the settings a web source needs that a file
source keeps in the file (``stance``, ``actor``, ``max_pages``, ``max_items``, ``added_by``).
``outlets.name_en`` / ``outlets.name_fa``: the names readers see. ``audit.target``: what an admin
change touched (``user:NAME``, ``source:NAME``, ``outlet:NAME``); event changes leave it empty.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 04:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SOURCE_COLUMNS = ("origin", "paused", "stance", "actor", "max_pages", "max_items", "added_by")


def upgrade() -> None:  # plain ALTER TABLE ADD COLUMN: no table rebuild
    op.add_column("sources", sa.Column("origin", sa.String(length=8), nullable=False, server_default="file"))
    op.add_column("sources", sa.Column("paused", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("sources", sa.Column("stance", sa.String(length=16), nullable=True))
    op.add_column("sources", sa.Column("actor", sa.String(length=100), nullable=True))
    op.add_column("sources", sa.Column("max_pages", sa.Integer(), nullable=True))
    op.add_column("sources", sa.Column("max_items", sa.Integer(), nullable=True))
    op.add_column("sources", sa.Column("added_by", sa.String(length=80), nullable=True))
    op.add_column("outlets", sa.Column("name_en", sa.String(length=200), nullable=True))
    op.add_column("outlets", sa.Column("name_fa", sa.String(length=200), nullable=True))
    op.add_column("audit", sa.Column("target", sa.String(length=200), nullable=True))
    op.create_index("ix_audit_target", "audit", ["target"])


def downgrade() -> None:
    op.drop_index("ix_audit_target", table_name="audit")
    op.drop_column("audit", "target")
    op.drop_column("outlets", "name_fa")
    op.drop_column("outlets", "name_en")
    for col in reversed(SOURCE_COLUMNS):
        op.drop_column("sources", col)
