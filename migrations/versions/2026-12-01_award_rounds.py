"""Award rounds: a call's categories, nominations on proposals, a decision's citation

Revision ID: a7d3c5e1f9b2
Revises: 5e81d0a4c2f7
Create Date: 2026-12-01 16:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "a7d3c5e1f9b2"
down_revision: str | None = "5e81d0a4c2f7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOMINATION_COLUMNS = (
    sa.Column("category", sa.String(length=60), nullable=True),
    sa.Column("self_nomination", sa.Boolean(), nullable=True),
    sa.Column("nominee_name", sa.String(length=200), nullable=True),
    sa.Column("nominee_kind", sa.String(length=40), nullable=True),
    sa.Column("nominee_email", sa.String(length=254), nullable=True),
    sa.Column("nominee_response", sa.String(length=40), nullable=True),
    sa.Column("nominee_notified_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("nominee_responded_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("nominee_token_digest", sa.String(length=64), nullable=True),
)


def upgrade() -> None:
    # Columns added in place (no batch rebuild): other tables point to call and proposal.
    op.add_column("call", sa.Column("categories", sa.JSON(), server_default="[]", nullable=False))
    for column in NOMINATION_COLUMNS:
        op.add_column("proposal", column)
    op.create_index(
        "ix_proposal_nominee_token_digest", "proposal", ["nominee_token_digest"], unique=True
    )
    op.add_column(
        "decision", sa.Column("citation", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
    )


def downgrade() -> None:
    op.drop_index("ix_proposal_nominee_token_digest", table_name="proposal")
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, column in [
        ("decision", "citation"),
        *(("proposal", c.name) for c in reversed(NOMINATION_COLUMNS)),
        ("call", "categories"),
    ]:
        if sqlite:
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        else:
            op.drop_column(table, column)
