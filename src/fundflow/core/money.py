"""Exact amounts and shares as they cross the API.

In: a JSON string or number. Out: a string with two decimal places (``"12500.00"``).
A string is plain ASCII digits with an optional decimal point (``"1250.50"``): no sign,
spaces, exponent, digit separators or other scripts' digits, so that what is stored is
exactly what the client meant. A JSON number is read exactly (see ``core.routing``). More
than two places, negative values (``-0.00`` too), NaN and infinity are refused.
"""

import re
from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from fundflow.core.dbtypes import CENT

MAX_AMOUNT = Decimal("999999999999.99")
ZERO = Decimal("0.00")


_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _to_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("an amount must be a decimal number")
    if isinstance(value, float):
        # A float from Python code (JSON numbers arrive as Decimal): its shortest repr.
        value = Decimal(repr(value))
    if isinstance(value, str):
        if not _PLAIN_NUMBER.fullmatch(value):
            raise ValueError('a number is written with digits and a point, such as "1250.50"')
        value = Decimal(value)
    if isinstance(value, int):
        value = Decimal(value)
    if not isinstance(value, Decimal):
        raise ValueError('a number is written with digits and a point, such as "1250.50"')
    if not value.is_finite():
        raise ValueError("an amount must be a finite number")
    return value


def parse_amount(value: Any) -> Decimal:
    number = _to_decimal(value)
    if number.is_signed():
        raise ValueError("an amount cannot be negative")
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ValueError("an amount has at most two decimal places")
    if number > MAX_AMOUNT:
        raise ValueError("an amount cannot exceed 999999999999.99")
    return number.quantize(CENT)


def parse_share(value: Any) -> Decimal:
    number = _to_decimal(value)
    if number.is_signed() or number > 1:
        raise ValueError('a share is a fraction between 0 and 1, such as "0.50"')
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        raise ValueError("a share has at most four decimal places")
    return number


MAX_RATE = Decimal("1000000000")


def parse_rate(value: Any) -> Decimal:
    """An exchange rate: positive, at most eight decimal places."""
    number = _to_decimal(value)
    if number <= 0:
        raise ValueError("a rate is a positive number")
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -8:
        raise ValueError("a rate has at most eight decimal places")
    if number >= MAX_RATE:
        raise ValueError("a rate must be below 1000000000")
    return number


def capped_total(items: Sequence[Any]) -> Sequence[Any]:
    """Lines whose amounts add up to more than an amount can hold are refused on input:
    their total is shown, and must be an amount too."""
    if sum((item.amount for item in items), ZERO) > MAX_AMOUNT:
        raise ValueError(f"the amounts add up to more than {MAX_AMOUNT}")
    return items


def converted_to_cents(value: Decimal) -> Decimal:
    """The one rounding of an amount converted into another currency: to the cent, half to
    even (a tie such as 10.125 goes to the even cent, 10.12), so that the roundings of many
    conversions do not all lean the same way, as ISO 80000 and the banks' practice have it.
    The rate itself is kept exactly as given (eight places)."""
    return value.quantize(CENT, rounding=ROUND_HALF_EVEN)


def format_amount(value: Decimal) -> str:
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):.2f}"


def format_share(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP)}"


def format_decimal(value: Decimal) -> str:
    return format(value.normalize(), "f")


_AMOUNT_SCHEMA = {
    "type": "string",
    "pattern": r"^[0-9]+(\.[0-9]{1,2})?$",
    "examples": ["12500.00"],
    "description": "Exact amount, at most two decimal places (a JSON number is accepted too).",
}

Amount = Annotated[
    Decimal,
    BeforeValidator(parse_amount),
    PlainSerializer(format_amount, return_type=str, when_used="json"),
    WithJsonSchema(_AMOUNT_SCHEMA),
]
# A sum of amounts (an envelope total, what passing proposals request): two places, and
# as large as the sum is; input is never read as a Total.
Total = Annotated[
    Decimal,
    PlainSerializer(format_amount, return_type=str, when_used="json"),
    WithJsonSchema({**_AMOUNT_SCHEMA, "description": "Exact sum of amounts."}),
]
Share = Annotated[
    Decimal,
    BeforeValidator(parse_share),
    PlainSerializer(format_share, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "examples": ["0.50"], "description": "Fraction 0..1."}),
]
# A fraction worked out from amounts (a share of a budget): four places, and above 1 when
# the part exceeds the whole, as a draft's request may exceed its budget for a while;
# input is never read as a Ratio.
Ratio = Annotated[
    Decimal,
    PlainSerializer(format_share, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "examples": ["0.50"],
            "description": "Fraction of the whole, four places (above 1 when the part exceeds it).",
        }
    ),
]
DecimalNumber = Annotated[
    Decimal,
    BeforeValidator(_to_decimal),
    PlainSerializer(format_decimal, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "examples": ["2.5"], "description": "Exact decimal."}),
]
# Scores and means: always shown with two decimals ("73.33", "70.00").
Score = Annotated[
    Decimal,
    BeforeValidator(_to_decimal),
    PlainSerializer(format_amount, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "examples": ["73.33"], "description": "Two decimals."}),
]


def split_to_cents(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``total`` in proportion to ``weights``, to the cent, summing exactly to it.

    Each part is rounded down to the cent; the cents left over go to the parts with the
    largest remainders (ties to the earlier part), so no cent is lost or invented.
    """
    weight_sum = sum(weights, Decimal(0))
    if weight_sum <= 0:
        raise ValueError("weights must add up to more than zero")
    cents = int((total * 100).to_integral_value())
    exact = [Decimal(cents) * weight / weight_sum for weight in weights]
    parts = [int(value) for value in exact]  # int() rounds towards zero: down for positives
    left = cents - sum(parts)
    by_remainder = sorted(range(len(parts)), key=lambda i: (-(exact[i] - parts[i]), i))
    for index in by_remainder[:left]:
        parts[index] += 1
    return [Decimal(part).scaleb(-2) for part in parts]
