from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

from fundflow.core.money import Amount, Share


class Priced(BaseModel):
    amount: Amount
    share: Share | None = None


@pytest.mark.parametrize(
    ("given", "stored", "shown"),
    [
        ("12500", Decimal("12500.00"), "12500.00"),
        ("12500.5", Decimal("12500.50"), "12500.50"),
        (12500.25, Decimal("12500.25"), "12500.25"),
        (0.1, Decimal("0.10"), "0.10"),
        (7, Decimal("7.00"), "7.00"),
        ("0", Decimal("0.00"), "0.00"),
        (Decimal("40000.00"), Decimal("40000.00"), "40000.00"),  # a JSON number, read exactly
        ("1.50000", Decimal("1.50"), "1.50"),
    ],
)
def test_amounts_are_exact_in_and_out(given, stored, shown):
    priced = Priced(amount=given)
    assert priced.amount == stored and isinstance(priced.amount, Decimal)
    assert priced.model_dump(mode="json")["amount"] == shown


@pytest.mark.parametrize(
    "given",
    [
        "12.345",
        0.001,
        "-1",
        -5,
        "NaN",
        "nan",
        "Infinity",
        "-inf",
        "abc",
        "",
        True,
        "1e400",
        # Spellings the documented pattern (digits, a point) does not admit.
        " 40000.00 ",
        "-0.00",
        Decimal("-0.00"),
        "5_000",
        "\u0665\u0660\u0660\u0660",  # Arabic-Indic digits
        " 5 ",
        "1E+2",
        Decimal("1E-400"),  # what the exact JSON reader gives for 1e-400
        "1000000000000.00",
    ],
)
def test_bad_amounts_are_refused(given):
    with pytest.raises(ValidationError):
        Priced(amount=given)


@pytest.mark.parametrize("given", ["1.5", "-0.1", "0.12345", "NaN"])
def test_bad_shares_are_refused(given):
    with pytest.raises(ValidationError):
        Priced(amount="1", share=given)


def test_share_is_shown_with_four_places():
    assert Priced(amount="1", share="0.5").model_dump(mode="json")["share"] == "0.5000"
