"""Funders named on the public register, or not (some give on condition of anonymity)

Revision ID: 42dfcb5224d4
Revises: f4a8ab44f0e4
Create Date: 2026-12-01 04:39:56.274814+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "42dfcb5224d4"
down_revision: str | None = "f4a8ab44f0e4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # In place on SQLite too: rebuilding the table (batch mode) would drop a table that
    # envelopes and commitments point to, which a database with data refuses.
    op.add_column(
        "funder",
        sa.Column("named_publicly", sa.Boolean(), server_default=sa.true(), nullable=False),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE funder DROP COLUMN named_publicly")
    else:
        op.drop_column("funder", "named_publicly")
