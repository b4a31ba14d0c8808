"""Validated codes: ISO 3166-1 countries, ISO 4217 currencies, Swiss cantons."""

from typing import Annotated, Any

import pycountry
from pydantic import BeforeValidator, WithJsonSchema

SWISS_CANTONS = frozenset(
    "AG AI AR BE BL BS FR GE GL GR JU LU NE NW OW SG SH SO SZ TG TI UR VD VS ZG ZH".split()
)


# Kosovo has no ISO 3166-1 code yet; XK is the user-assigned code the EU, the Swiss
# administration and IATI use, and Kosovar associations are many among our members.
EXTRA_COUNTRIES = {"XK": "Kosovo"}


def country_codes() -> list[str]:
    """Every code a country field takes."""
    return sorted([c.alpha_2 for c in pycountry.countries] + list(EXTRA_COUNTRIES))


def _country(value: Any) -> str:
    code = str(value).strip().upper()
    if code in EXTRA_COUNTRIES:
        return code
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"`{value}` is not an ISO 3166-1 alpha-2 country code (e.g. MA, SN, CH)")
    return code


def _currency(value: Any) -> str:
    code = str(value).strip().upper()
    if len(code) != 3 or pycountry.currencies.get(alpha_3=code) is None:
        raise ValueError(f"`{value}` is not an ISO 4217 currency code (e.g. CHF, EUR)")
    return code


def _canton(value: Any) -> str:
    code = str(value).strip().upper()
    if code not in SWISS_CANTONS:
        raise ValueError(f"`{value}` is not a Swiss canton code (e.g. VD, GE)")
    return code


CountryCode = Annotated[
    str,
    BeforeValidator(_country),
    WithJsonSchema({"type": "string", "pattern": "^[A-Z]{2}$", "examples": ["MA"]}),
]
CurrencyCode = Annotated[
    str,
    BeforeValidator(_currency),
    WithJsonSchema({"type": "string", "pattern": "^[A-Z]{3}$", "examples": ["CHF"]}),
]
CantonCode = Annotated[
    str,
    BeforeValidator(_canton),
    WithJsonSchema({"type": "string", "pattern": "^[A-Z]{2}$", "examples": ["VD"]}),
]
