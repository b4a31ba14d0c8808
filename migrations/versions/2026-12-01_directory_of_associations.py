"""The public directory of associations and initiatives (an entry per association that
opts in)

Revision ID: 53c11102075b
Revises: 42dfcb5224d4
Create Date: 2026-12-01 04:48:13.672619+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import fundflow.core.dbtypes

revision: str = "53c11102075b"
down_revision: str | None = "42dfcb5224d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "directory_entry",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("listed", sa.Boolean(), nullable=False),
        sa.Column("presentation", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("initiatives", sa.JSON(), nullable=False),
        sa.Column("show_city", sa.Boolean(), nullable=False),
        sa.Column("show_origins", sa.Boolean(), nullable=False),
        sa.Column("show_website", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", fundflow.core.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_directory_entry_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("organisation_id", name=op.f("pk_directory_entry")),
    )


def downgrade() -> None:
    op.drop_table("directory_entry")
