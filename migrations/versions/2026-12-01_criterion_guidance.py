"""what a score means, by level, for each criterion of a call

Revision ID: 3d8e1f6a2b94
Revises: 9c3e5a7b1d20
Create Date: 2026-12-01 02:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3d8e1f6a2b94"
down_revision: str | None = "9c3e5a7b1d20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # In place, SQLite included: rebuilding the table (batch mode) would drop a table that
    # review scores point to, which a database with data refuses. Criteria written before
    # have no anchors yet: an empty mapping, never null.
    op.add_column(
        "call_criterion",
        sa.Column("guidance", sa.JSON(), nullable=False, server_default=sa.text("'{}'")),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE call_criterion DROP COLUMN guidance")
    else:
        op.drop_column("call_criterion", "guidance")
