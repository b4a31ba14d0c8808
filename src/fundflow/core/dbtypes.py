"""Column types and conventions shared by every table.

Importing this module sets the metadata naming convention, so it must be (and is, through
every ``models.py``) imported before the first table is declared.
"""

from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

CENT = Decimal("0.01")


class ScaledDecimal(sa.types.TypeDecorator[Decimal]):
    """An exact decimal with a fixed number of places.

    PostgreSQL stores ``NUMERIC(precision, scale)``. SQLite has no exact decimal type (its
    NUMERIC is a float), so there the value is stored as a scaled integer (cents for
    money): sums computed in SQL stay exact on both databases.
    """

    impl = sa.Numeric
    cache_ok = True

    def __init__(self, precision: int = 14, scale: int = 2) -> None:
        super().__init__(precision, scale)
        self.precision = precision
        self.scale = scale
        self.quantum = Decimal(1).scaleb(-scale)

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.BigInteger())
        return dialect.type_descriptor(sa.Numeric(self.precision, self.scale))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        number = Decimal(value).quantize(self.quantum)
        if dialect.name == "sqlite":
            return int(number.scaleb(self.scale))
        return number

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-self.scale).quantize(self.quantum)
        return value if isinstance(value, Decimal) else Decimal(value).quantize(self.quantum)

    def result_processor(self, dialect: Dialect, coltype: Any) -> Any:
        if dialect.name == "postgresql" and dialect.driver == "psycopg":
            # psycopg already returns NUMERIC(p, s) as a Decimal at its scale (sums and
            # extremes too): no per-value call, which keeps large aggregates cheap.
            return None
        return super().result_processor(dialect, coltype)


def Money() -> ScaledDecimal:  # noqa: N802 - reads as a column type
    return ScaledDecimal(14, 2)


def Quantity() -> ScaledDecimal:  # noqa: N802
    """Indicator values, scores, weights and shares: four exact decimal places."""
    return ScaledDecimal(18, 4)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timezone-aware timestamp, always UTC, even on SQLite which drops the offset."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def enum_column(enum: type[StrEnum], *, nullable: bool = False, **kwargs: Any) -> sa.Column[Any]:
    """Store an enum as its plain string value (never a native PostgreSQL enum)."""
    return sa.Column(
        sa.Enum(
            enum,
            native_enum=False,
            values_callable=lambda e: [m.value for m in e],
            length=40,
            validate_strings=True,
        ),
        nullable=nullable,
        **kwargs,
    )


def created_at_field() -> Any:
    return Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime(), nullable=False))


def timestamp_field(*, nullable: bool = True) -> Any:
    return Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=nullable))


def json_field(*, default_factory: Any = list, nullable: bool = False) -> Any:
    return Field(default_factory=default_factory, sa_column=sa.Column(sa.JSON(), nullable=nullable))
