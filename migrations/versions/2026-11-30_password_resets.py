"""one-time links to choose a password

Revision ID: 9c3e5a7b1d20
Revises: 6b1f0c2d9e47
Create Date: 2026-11-30 23:35:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import fundflow.core.dbtypes

revision: str = "9c3e5a7b1d20"
down_revision: str | None = "6b1f0c2d9e47"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "password_reset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", fundflow.core.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", fundflow.core.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", fundflow.core.dbtypes.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_password_reset_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_reset")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("password_reset", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_password_reset_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_password_reset_token_hash"), ["token_hash"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("password_reset", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_password_reset_token_hash"))
        batch_op.drop_index(batch_op.f("ix_password_reset_user_id"))
    op.drop_table("password_reset")
