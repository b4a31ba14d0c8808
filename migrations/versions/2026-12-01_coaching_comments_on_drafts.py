"""coaching comments on drafts

Revision ID: f4a8ab44f0e4
Revises: 3d8e1f6a2b94
Create Date: 2026-12-01 02:10:48.809295+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import fundflow.core.dbtypes

revision: str = "f4a8ab44f0e4"
down_revision: str | None = "3d8e1f6a2b94"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "proposal_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column(
            "section",
            sa.Enum(
                "general",
                "project",
                "partner",
                "budget",
                "financing",
                "logframe",
                "attachments",
                name="commentsection",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "visibility",
            sa.Enum(
                "association", "internal", name="commentvisibility", native_enum=False, length=40
            ),
            nullable=False,
        ),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", fundflow.core.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", fundflow.core.dbtypes.UTCDateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_proposal_comment_author_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["proposal_comment.id"],
            name=op.f("fk_proposal_comment_parent_id_proposal_comment"),
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
            name=op.f("fk_proposal_comment_proposal_id_proposal"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"],
            ["user_account.id"],
            name=op.f("fk_proposal_comment_resolved_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_comment")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("proposal_comment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposal_comment_proposal_id"), ["proposal_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_proposal_comment_visibility"), ["visibility"], unique=False
        )

    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "advice_requested_at",
                fundflow.core.dbtypes.UTCDateTime(timezone=True),
                nullable=True,
            )
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # In place: rebuilding the table (batch mode) would move the foreign key of
        # extends_project_id, which the similar-requests downgrade drops the same way.
        op.execute("ALTER TABLE proposal DROP COLUMN advice_requested_at")
    else:
        op.drop_column("proposal", "advice_requested_at")

    with op.batch_alter_table("proposal_comment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_comment_visibility"))
        batch_op.drop_index(batch_op.f("ix_proposal_comment_proposal_id"))

    op.drop_table("proposal_comment")
