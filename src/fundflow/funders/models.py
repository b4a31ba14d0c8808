from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from fundflow.core.dbtypes import (
    Money,
    Quantity,
    ScaledDecimal,
    created_at_field,
    enum_column,
    json_field,
)


class FunderLevel(StrEnum):
    FEDERAL = "federal"
    CANTONAL = "cantonal"
    COMMUNAL = "communal"
    PRIVATE = "private"
    INTERNATIONAL = "international"


class Funder(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    level: FunderLevel = Field(sa_column=enum_column(FunderLevel))
    # Whether the public register names the funder beside the projects it co-finances
    # (some communes give on condition of anonymity); its money counts in totals anyway.
    named_publicly: bool = Field(
        default=True, sa_column=sa.Column(sa.Boolean(), nullable=False, server_default=sa.true())
    )
    # The currency of the funder's envelopes and commitments (ISO 4217).
    currency: str = Field(
        default="CHF", sa_column=sa.Column(sa.String(3), nullable=False, server_default="CHF")
    )
    created_at: datetime = created_at_field()


class Envelope(SQLModel, table=True):
    """A funder's yearly budget for the federation, with the rules its money comes with."""

    __table_args__ = (
        sa.CheckConstraint("amount >= 0", name="amount_not_negative"),
        sa.CheckConstraint(
            "committed >= 0 AND committed <= amount", name="committed_within_amount"
        ),
        sa.CheckConstraint(
            "disbursed >= 0 AND disbursed <= committed", name="disbursed_within_committed"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    funder_id: int = Field(foreign_key="funder.id", index=True)
    year: int
    label: str | None = Field(default=None, max_length=200)
    call_id: int | None = Field(default=None, foreign_key="call.id", index=True)
    # The funder's currency: the amount, what is committed and disbursed are in it.
    currency: str = Field(
        default="CHF", sa_column=sa.Column(sa.String(3), nullable=False, server_default="CHF")
    )
    amount: Decimal = Field(sa_column=sa.Column(Money(), nullable=False))
    # Kept up to date by the co-financing services, so that the database itself refuses
    # an over-commitment (see the check constraints).
    committed: Decimal = Field(
        default=Decimal("0.00"), sa_column=sa.Column(Money(), nullable=False, server_default="0")
    )
    disbursed: Decimal = Field(
        default=Decimal("0.00"), sa_column=sa.Column(Money(), nullable=False, server_default="0")
    )
    eligible_countries: list[str] = json_field()
    eligible_call_kinds: list[str] = json_field()
    use_abroad_only: bool = False
    max_share_per_project: Decimal | None = Field(
        default=None, sa_column=sa.Column(Quantity(), nullable=True)
    )
    max_amount_per_project: Decimal | None = Field(
        default=None, sa_column=sa.Column(Money(), nullable=True)
    )
    version: int = 1
    created_at: datetime = created_at_field()


class ExchangeRate(SQLModel, table=True):
    """One unit of ``base`` is worth ``rate`` of ``quote``, from ``valid_from`` until the
    pair's next rate: entered by the secretariat or imported (for example the Swiss
    Federal Tax Administration's monthly averages)."""

    __tablename__ = "exchange_rate"
    __table_args__ = (
        sa.UniqueConstraint("base", "quote", "valid_from", name="one_rate_per_pair_and_day"),
        sa.CheckConstraint("rate > 0", name="rate_positive"),
        sa.CheckConstraint("base <> quote", name="two_currencies"),
    )

    id: int | None = Field(default=None, primary_key=True)
    valid_from: date
    base: str = Field(max_length=3)
    quote: str = Field(max_length=3)
    rate: Decimal = Field(sa_column=sa.Column(ScaledDecimal(18, 8), nullable=False))
    source: str = Field(max_length=200)
    created_at: datetime = created_at_field()
