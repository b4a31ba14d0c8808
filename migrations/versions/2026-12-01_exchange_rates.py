"""Exchange rates: what one unit of a currency is worth in another, from a day on

Revision ID: 93765a89d6b4
Revises: 9c4e27d1b5a3
Create Date: 2026-12-01 13:34:31.489984+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import fundflow.core.dbtypes

revision: str = "93765a89d6b4"
down_revision: str | None = "9c4e27d1b5a3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exchange_rate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("base", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("quote", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column(
            "rate", fundflow.core.dbtypes.ScaledDecimal(precision=18, scale=8), nullable=False
        ),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("created_at", fundflow.core.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("base <> quote", name=op.f("ck_exchange_rate_two_currencies")),
        sa.CheckConstraint("rate > 0", name=op.f("ck_exchange_rate_rate_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_rate")),
        sa.UniqueConstraint("base", "quote", "valid_from", name="one_rate_per_pair_and_day"),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("exchange_rate")
