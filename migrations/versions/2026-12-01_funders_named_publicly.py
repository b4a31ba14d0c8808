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
    with op.batch_alter_table("funder") as batch_op:
        batch_op.add_column(
            sa.Column("named_publicly", sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("funder") as batch_op:
        batch_op.drop_column("named_publicly")
