"""several codebooks in one store: each event belongs to one codebook, counted apart

``events.codebook``: the id (without version) of the codebook whose subtypes the event counts;
every stored event so far is ``political-action`` (the only codebook a store held). The daily count
tables get ``codebook`` as the first column of their key; they are derived data, so they are made
again and refilled from the events here. ``users.codebook``: the codebook a user last chose in the
web app (NULL: the app's default).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 08:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AREA = "coalesce(admin1, country, 'unknown')"


def _tables(with_codebook: bool) -> None:
    first = ["codebook"] if with_codebook else []

    def key() -> list[sa.Column[str]]:
        return [sa.Column("codebook", sa.String(length=80), nullable=False)] if with_codebook else []

    op.create_table(
        "event_daily",
        *key(),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("subtype", sa.String(length=40), nullable=False),
        sa.Column("claim_status", sa.String(length=16), nullable=False),
        sa.Column("review_status", sa.String(length=16), nullable=False),
        sa.Column("jalali_month", sa.String(length=7), nullable=False),
        sa.Column("greg_month", sa.String(length=7), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            *first, "day", "category", "subtype", "claim_status", "review_status", name=op.f("pk_event_daily")
        ),
    )
    op.create_table(
        "event_daily_outlet",
        *key(),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("outlet", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("review_status", sa.String(length=16), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            *first, "day", "outlet", "category", "review_status", name=op.f("pk_event_daily_outlet")
        ),
    )
    op.create_table(
        "event_daily_area",
        *key(),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("area", sa.String(length=8), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("review_status", sa.String(length=16), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            *first, "day", "area", "category", "review_status", name=op.f("pk_event_daily_area")
        ),
    )


def _fill(cb: str, cb_group: str) -> None:
    op.execute(
        f"INSERT INTO event_daily SELECT {cb}date, category, subtype, claim_status, review_status, "
        f"min(jalali_month), min(greg_month), count(*) FROM events "
        f"GROUP BY {cb_group}date, category, subtype, claim_status, review_status"
    )
    op.execute(
        f"INSERT INTO event_daily_area SELECT {cb}date, {AREA}, category, review_status, count(*) FROM events "
        f"GROUP BY {cb_group}date, {AREA}, category, review_status"
    )
    op.execute(
        f"INSERT INTO event_daily_outlet SELECT {cb.replace('codebook', 'e.codebook')}e.date, m.outlet, "
        f"e.category, e.review_status, count(DISTINCT e.id) FROM events e JOIN mentions m ON m.event_id = e.id "
        f"WHERE m.outlet IS NOT NULL "
        f"GROUP BY {cb_group.replace('codebook', 'e.codebook')}e.date, m.outlet, e.category, e.review_status"
    )


def _drop() -> None:
    for t in ("event_daily", "event_daily_outlet", "event_daily_area"):
        op.drop_table(t)


def upgrade() -> None:
    op.add_column(
        "events",
        sa.Column("codebook", sa.String(length=80), nullable=False, server_default="political-action"),
    )
    op.add_column("users", sa.Column("codebook", sa.String(length=80), nullable=True))
    _drop()
    _tables(with_codebook=True)
    _fill("codebook, ", "codebook, ")


def downgrade() -> None:
    _drop()
    _tables(with_codebook=False)
    _fill("", "")
    op.drop_column("events", "codebook")
    op.drop_column("users", "codebook")
