"""Money in several currencies: a funder's currency, its envelopes' and commitments', and
the rate a commitment was converted with

Revision ID: 5e81d0a4c2f7
Revises: 93765a89d6b4
Create Date: 2026-12-01 13:40:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from fundflow.core.dbtypes import Money, ScaledDecimal

revision: str = "5e81d0a4c2f7"
down_revision: str | None = "93765a89d6b4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def currency(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.String(3), server_default="CHF", nullable=False)


def upgrade() -> None:
    # In place on SQLite too: these tables are referenced by others, which a rebuild
    # (batch mode) would break on a database with data.
    op.add_column("funder", currency("currency"))
    op.add_column("envelope", currency("currency"))
    op.add_column("commitment", currency("funder_currency"))
    op.add_column(
        "commitment", sa.Column("funder_amount", Money(), server_default="0", nullable=False)
    )
    op.add_column(
        "commitment", sa.Column("funder_disbursed", Money(), server_default="0", nullable=False)
    )
    op.add_column("commitment", sa.Column("rate_id", sa.Integer(), nullable=True))
    op.add_column("commitment", sa.Column("rate_valid_from", sa.Date(), nullable=True))
    op.add_column("commitment", sa.Column("rate_base", sa.String(3), nullable=True))
    op.add_column("commitment", sa.Column("rate_quote", sa.String(3), nullable=True))
    op.add_column("commitment", sa.Column("rate", ScaledDecimal(18, 8), nullable=True))
    op.add_column("commitment", sa.Column("rate_source", sa.String(200), nullable=True))
    op.add_column("commitment", sa.Column("converted_on", sa.Date(), nullable=True))
    op.add_column(
        "disbursement_share",
        sa.Column("funder_amount", Money(), server_default="0", nullable=False),
    )
    # Until now every amount was in the call's currency, the funders' too (CHF).
    op.execute("UPDATE commitment SET funder_amount = amount, funder_disbursed = disbursed")
    op.execute("UPDATE disbursement_share SET funder_amount = amount")


def downgrade() -> None:
    dropped = {
        "disbursement_share": ["funder_amount"],
        "commitment": [
            "converted_on",
            "rate_source",
            "rate",
            "rate_quote",
            "rate_base",
            "rate_valid_from",
            "rate_id",
            "funder_disbursed",
            "funder_amount",
            "funder_currency",
        ],
        "envelope": ["currency"],
        "funder": ["currency"],
    }
    for table, columns in dropped.items():
        for column in columns:
            if op.get_bind().dialect.name == "sqlite":
                op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
            else:
                op.drop_column(table, column)
