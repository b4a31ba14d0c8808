"""browser sessions: an opaque token's hash and the last time it was used

Revision ID: 6b1f0c2d9e47
Revises: 008aa8cf4c33
Create Date: 2026-11-30 22:25:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fundflow.core.dbtypes

revision: str = "6b1f0c2d9e47"
down_revision: str | None = "008aa8cf4c33"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("auth_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("token_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column(
                "last_seen_at", fundflow.core.dbtypes.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.create_index(batch_op.f("ix_auth_session_token_hash"), ["token_hash"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("auth_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auth_session_token_hash"))
        batch_op.drop_column("last_seen_at")
        batch_op.drop_column("token_hash")
