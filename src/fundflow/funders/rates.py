"""Exchange rates as data, and the one way an amount changes currency.

A rate says what one unit of ``base`` is worth in ``quote`` from ``valid_from`` on. A
conversion on a day takes the pair's latest rate dated on or before that day, either way
round (the inverse of EUR→CHF serves CHF→EUR), if it is at most
``exchange_rate_max_age_days`` old; otherwise it is refused with a 422 that says which
rate is missing, never guessed. The converted amount is rounded once, to the cent half to
even (``core.money.converted_to_cents``).
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlmodel import Session, col, select

from fundflow.core.actor import Actor
from fundflow.core.config import Settings, get_settings
from fundflow.core.errors import Conflict, RuleViolation, Violation, not_found
from fundflow.core.messages import N_, Message
from fundflow.core.money import converted_to_cents
from fundflow.core.pagination import PageParams, fetch_page
from fundflow.core.transitions import record_event
from fundflow.funders.models import ExchangeRate
from fundflow.funders.schemas import ExchangeRateCreate

# An import is one month's or one year's rates: more rows than this is not a rate file.
MAX_IMPORT_ROWS = 5000
IMPORT_COLUMNS = ("valid_from", "base", "quote", "rate", "source")


@dataclass(frozen=True)
class RateUsed:
    """A copy of the rate row a conversion used, as kept with what was converted: one
    ``base`` is worth ``rate`` ``quote`` (whichever way the conversion went)."""

    id: int
    valid_from: date
    base: str
    quote: str
    rate: Decimal
    source: str

    def exactly(self, amount: Decimal, currency: str) -> Decimal:
        """``amount`` of ``currency`` (one of the pair) in the other, unrounded; an
        inverse divides, so that nothing is lost to a rounded 1/rate."""
        return amount * self.rate if currency == self.base else amount / self.rate


@dataclass(frozen=True)
class Conversion:
    amount: Decimal
    currency: str
    converted: Decimal
    to_currency: str
    used: RateUsed | None  # None between one currency

    @property
    def rate(self) -> Decimal:
        """One unit of ``currency`` in ``to_currency``, as applied (8 places)."""
        if self.used is None:
            return Decimal(1)
        return self.used.exactly(Decimal(1), self.currency).quantize(Decimal("1E-8"))


def rate_between(
    session: Session,
    *,
    currency: str,
    to_currency: str,
    on: date,
    settings: Settings | None = None,
) -> RateUsed:
    """The rate that converts ``currency`` into ``to_currency`` on ``on``: the pair's
    latest, either way round, no older than the settings allow; 422 otherwise."""
    settings = settings or get_settings()
    found = _latest(session, currency, to_currency, on, settings)
    if found is None:
        raise RuleViolation.of(
            N_("No exchange rate to convert this amount."),
            [
                Violation(
                    "exchange_rate_missing",
                    Message(
                        N_(
                            "No rate %(base)s→%(quote)s (or the inverse) dated between "
                            "%(oldest)s and %(day)s: enter it, or import the month's rates."
                        ),
                        {
                            "base": currency,
                            "quote": to_currency,
                            "oldest": (
                                on - timedelta(days=settings.exchange_rate_max_age_days)
                            ).isoformat(),
                            "day": on.isoformat(),
                        },
                    ),
                )
            ],
        )
    assert found.id is not None
    return RateUsed(found.id, found.valid_from, found.base, found.quote, found.rate, found.source)


def convert(
    session: Session,
    *,
    amount: Decimal,
    currency: str,
    to_currency: str,
    on: date,
    settings: Settings | None = None,
) -> Conversion:
    """``amount`` in ``to_currency``, rounded once to the cent (half to even)."""
    if currency == to_currency:
        return Conversion(amount, currency, amount, to_currency, None)
    used = rate_between(
        session, currency=currency, to_currency=to_currency, on=on, settings=settings
    )
    converted = converted_to_cents(used.exactly(amount, currency))
    return Conversion(amount, currency, converted, to_currency, used)


class ToCurrency:
    """Amounts of any currency in ``currency`` at the rates of ``on``, each rate looked up
    once (a report, a plan or a budget converts many amounts of a few currencies)."""

    def __init__(self, session: Session, currency: str, on: date) -> None:
        self.session, self.currency, self.on = session, currency, on
        self._rates: dict[str, RateUsed] = {}

    def rate_from(self, currency: str) -> RateUsed | None:
        """The rate from ``currency``, None for this one; 422 when there is none."""
        if currency == self.currency:
            return None
        if currency not in self._rates:
            self._rates[currency] = rate_between(
                self.session, currency=currency, to_currency=self.currency, on=self.on
            )
        return self._rates[currency]

    def exactly(self, amount: Decimal, currency: str) -> Decimal:
        """``amount`` of ``currency`` in this one, unrounded."""
        used = self.rate_from(currency)
        return amount if used is None else used.exactly(amount, currency)

    @property
    def used(self) -> list[RateUsed]:
        """The rates used so far."""
        return list(self._rates.values())


def _latest(
    session: Session, currency: str, to_currency: str, on: date, settings: Settings
) -> ExchangeRate | None:
    oldest = on - timedelta(days=settings.exchange_rate_max_age_days)
    pair = sa.or_(
        sa.and_(col(ExchangeRate.base) == currency, col(ExchangeRate.quote) == to_currency),
        sa.and_(col(ExchangeRate.base) == to_currency, col(ExchangeRate.quote) == currency),
    )
    return session.exec(
        select(ExchangeRate)
        .where(pair, col(ExchangeRate.valid_from) <= on, col(ExchangeRate.valid_from) >= oldest)
        # The direct rate before its inverse on the same day.
        .order_by(col(ExchangeRate.valid_from).desc(), (col(ExchangeRate.base) == currency).desc())
        .limit(1)
    ).first()


def list_rates(
    session: Session,
    *,
    page: PageParams,
    base: str | None = None,
    quote: str | None = None,
) -> tuple[list[ExchangeRate], str | None]:
    """The rates entered, in the order they were entered."""
    statement = select(ExchangeRate)
    if base:
        statement = statement.where(col(ExchangeRate.base) == base)
    if quote:
        statement = statement.where(col(ExchangeRate.quote) == quote)
    rows, cursor = fetch_page(session, statement, col(ExchangeRate.id), page, whole_rows=True)
    return [row[0] for row in rows], cursor


def recent_rates(session: Session, *, limit: int = 200) -> list[ExchangeRate]:
    """The latest rates first (by the day they apply from), as a page lists them."""
    return list(
        session.exec(
            select(ExchangeRate)
            .order_by(
                col(ExchangeRate.valid_from).desc(),
                col(ExchangeRate.base),
                col(ExchangeRate.quote),
            )
            .limit(limit)
        ).all()
    )


def add_rate(session: Session, *, actor: Actor, data: ExchangeRateCreate) -> ExchangeRate:
    existing = _same_day(session, data)
    if existing is not None:
        raise Conflict(
            Message(
                N_(
                    "A rate %(base)s→%(quote)s from %(day)s exists already (%(rate)s): "
                    "delete it first to correct it."
                ),
                {
                    "base": data.base,
                    "quote": data.quote,
                    "day": data.valid_from.isoformat(),
                    "rate": str(existing.rate),
                },
            )
        )
    row = ExchangeRate(**data.model_dump())
    session.add(row)
    session.flush()
    assert row.id is not None
    record_event(
        session,
        entity_type="exchange_rate",
        entity_id=row.id,
        action="create",
        actor=actor,
        data={**data.model_dump(mode="json")},
    )
    return row


def _same_day(session: Session, data: ExchangeRateCreate) -> ExchangeRate | None:
    return session.exec(
        select(ExchangeRate).where(
            col(ExchangeRate.base) == data.base,
            col(ExchangeRate.quote) == data.quote,
            col(ExchangeRate.valid_from) == data.valid_from,
        )
    ).first()


def delete_rate(session: Session, *, actor: Actor, rate_id: int) -> None:
    """Remove a rate entered by mistake; what was converted with it keeps its snapshot."""
    row = session.get(ExchangeRate, rate_id)
    if row is None:
        raise not_found("Exchange rate", rate_id)
    record_event(
        session,
        entity_type="exchange_rate",
        entity_id=rate_id,
        action="delete",
        actor=actor,
        data={
            "valid_from": row.valid_from.isoformat(),
            "base": row.base,
            "quote": row.quote,
            "rate": str(row.rate),
        },
    )
    session.delete(row)


def import_rates(session: Session, *, actor: Actor, content: bytes) -> tuple[int, int]:
    """Rates from a CSV file with the columns ``valid_from,base,quote,rate,source`` (and
    ``units`` when a rate is given for 100 units, as some tables give the yen): all of the
    file or nothing. A rate already there and identical is left as it is (a file imported
    twice adds nothing); a different one is refused. Returns (added, unchanged)."""
    rows, violations = _read_rate_file(content)
    new: list[ExchangeRateCreate] = []
    unchanged = 0
    seen: set[tuple[str, str, date]] = set()
    for line, data in rows:
        key = (data.base, data.quote, data.valid_from)
        if key in seen:
            violations.append(_line_violation(line, N_("the same rate is given twice")))
            continue
        seen.add(key)
        existing = _same_day(session, data)
        if existing is None:
            new.append(data)
        elif existing.rate == data.rate:
            unchanged += 1
        else:
            violations.append(
                _line_violation(line, N_("another rate is recorded for this pair and day"))
            )
    if violations:
        by_line = sorted(violations, key=lambda v: int(v.rule.removeprefix("line ")))
        raise RuleViolation.of(N_("The file's rates were not imported."), by_line)
    session.add_all(ExchangeRate(**data.model_dump()) for data in new)
    session.flush()
    added = len(new)
    record_event(
        session,
        entity_type="exchange_rate",
        entity_id=0,
        action="import",
        actor=actor,
        data={"added": added, "unchanged": unchanged},
    )
    return added, unchanged


def _read_rate_file(content: bytes) -> tuple[list[tuple[int, ExchangeRateCreate]], list[Violation]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RuleViolation.of(
            N_("The file's rates were not imported."),
            [Violation("file", N_("The file is not UTF-8 text (CSV)."))],
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in IMPORT_COLUMNS if name not in header]
    if missing:
        raise RuleViolation.of(
            N_("The file's rates were not imported."),
            [
                Violation(
                    "columns",
                    Message(
                        N_(
                            "The first line must name the columns %(columns)s; "
                            "missing: %(missing)s."
                        ),
                        {"columns": ", ".join(IMPORT_COLUMNS), "missing": ", ".join(missing)},
                    ),
                )
            ],
        )
    rows: list[tuple[int, ExchangeRateCreate]] = []
    violations: list[Violation] = []
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_IMPORT_ROWS:
            violations.append(_line_violation(number, N_("too many lines (5000 at most)")))
            break
        record = {(key or "").strip().lower(): (value or "").strip() for key, value in raw.items()}
        if not any(record.values()):
            continue
        try:
            rows.append((number, _rate_of(record)))
        except (ValidationError, ValueError) as refused:
            violations.append(_line_violation(number, _first_error(refused)))
    return rows, violations


def _rate_of(record: dict[str, Any]) -> ExchangeRateCreate:
    data = ExchangeRateCreate.model_validate({name: record.get(name) for name in IMPORT_COLUMNS})
    units = record.get("units") or "1"
    if units != "1":
        if not units.isdigit() or int(units) == 0:
            raise ValueError("units must be a whole number such as 1 or 100")
        data = data.model_copy(update={"rate": data.rate / int(units)})
        if data.rate.normalize().as_tuple().exponent < -8:  # type: ignore[operator]
            raise ValueError("the rate per unit has more than eight decimal places")
    return data


def _first_error(refused: ValidationError | ValueError) -> str:
    if isinstance(refused, ValidationError):
        error = refused.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        return f"{where}: {error['msg']}" if where else str(error["msg"])
    return str(refused)


def _line_violation(line: int, problem: str) -> Violation:
    return Violation(
        f"line {line}",
        Message(N_("Line %(line)s: %(problem)s"), {"line": line, "problem": (problem,)}),
    )
