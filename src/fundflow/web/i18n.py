"""Languages of the pages: French first, English second.

The catalogues are ``fundflow.core.catalogues``'s. The language of a
page is the signed-in person's own, else the one chosen with the language switch (a
cookie), else the browser's (``Accept-Language``), else French. Amounts and dates are
written the Swiss way of that language.
"""

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal, format_percent, get_group_symbol

from fundflow.core.catalogues import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    from_accept_language,
    supported,
    translations,
)

__all__ = ["LANGUAGES", "Formats", "choose_language", "supported", "translations"]

LANGUAGE_COOKIE = "fundflow_lang"
# Each language as written in Switzerland (CHF, dates, thousands separators).
_REGIONAL = {"fr": "fr_CH", "en": "en_CH"}
# Dates and times are shown as people in Switzerland live them.
ZONE = ZoneInfo("Europe/Zurich")
# Each language's name in itself, for the switch.
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}


def locale_of(language: str) -> Locale:
    return Locale.parse(_REGIONAL[language])


def choose_language(profile: str | None, cookie: str | None, accept_language: str | None) -> str:
    return (
        supported(profile)
        or supported(cookie)
        or from_accept_language(accept_language)
        or DEFAULT_LANGUAGE
    )


_DIGITS = re.compile(r"\d+")


def _grouped(digits: str, symbol: str) -> str:
    head = len(digits) % 3 or 3
    return symbol.join([digits[:head], *(digits[i : i + 3] for i in range(head, len(digits), 3))])


class Formats:
    """Money, numbers and dates written for one language."""

    def __init__(self, language: str) -> None:
        self.locale = locale_of(language)
        self.group = get_group_symbol(self.locale)

    def _swiss_grouped(self, written: str) -> str:
        # Babel reads the text between two Swiss separators (') as a quoted literal and drops
        # both: 2'440'000 came out as 2440000. Its numbers are written ungrouped, then
        # grouped here (the first run of digits is the integer part).
        return _DIGITS.sub(lambda m: _grouped(m.group(), self.group), written, count=1)

    def money(self, amount: Decimal | None, currency: str = "CHF") -> str:
        if amount is None:
            return "—"
        return self._swiss_grouped(
            format_currency(amount, currency, locale=self.locale, group_separator=False)
        )

    def percent(self, share: Decimal | None) -> str:
        return "—" if share is None else format_percent(share, "#,##0.# %", locale=self.locale)

    def number(self, value: Decimal | int | float | None) -> str:
        if value is None:
            return "—"
        return self._swiss_grouped(format_decimal(value, locale=self.locale, group_separator=False))

    def rate(self, value: Decimal | None) -> str:
        """An exchange rate with all its places (up to eight), as entered."""
        if value is None:
            return "—"
        return format_decimal(value, format="0.########", locale=self.locale)

    def date(self, value: date | datetime | None, style: str = "long") -> str:
        if value is None:
            return "—"
        if isinstance(value, datetime):
            value = value.date()
        return format_date(value, format=style, locale=self.locale)

    def moment(self, value: datetime | None, style: str = "medium") -> str:
        if value is None:
            return "—"
        return format_datetime(value, format=style, tzinfo=ZONE, locale=self.locale)

    def time(self, value: datetime) -> str:
        return format_datetime(value, format="HH:mm", tzinfo=ZONE, locale=self.locale)
