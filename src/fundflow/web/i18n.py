"""Languages of the pages: French first, English second.

The catalogues are the ``.po`` files under ``locales/`` (kept in the repository, compiled
in memory when first needed, so no build step can leave them stale). The language of a
page is the signed-in person's own, else the one chosen with the language switch (a
cookie), else the browser's (``Accept-Language``), else French. Amounts and dates are
written the Swiss way of that language.
"""

import gettext
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
LANGUAGE_COOKIE = "fundflow_lang"
# Each language as written in Switzerland (CHF, dates, thousands separators).
_REGIONAL = {"fr": "fr_CH", "en": "en_CH"}
# Dates and times are shown as people in Switzerland live them.
ZONE = ZoneInfo("Europe/Zurich")
# Each language's name in itself, for the switch.
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}


@cache
def translations(language: str) -> gettext.GNUTranslations:
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def locale_of(language: str) -> Locale:
    return Locale.parse(_REGIONAL[language])


def supported(language: str | None) -> str | None:
    """``language`` (``fr``, ``fr-CH``, ``EN``…) as one of ours, or None."""
    if not language:
        return None
    primary = language.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def from_accept_language(header: str | None) -> str | None:
    """The first of our languages in a browser's ``Accept-Language``, by its weights."""
    if not header:
        return None
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        language = supported(tag)
        if language is not None and weight > 0:
            weighted.append((-weight, position, language))
    return min(weighted)[2] if weighted else None


def choose_language(profile: str | None, cookie: str | None, accept_language: str | None) -> str:
    return (
        supported(profile)
        or supported(cookie)
        or from_accept_language(accept_language)
        or DEFAULT_LANGUAGE
    )


class Formats:
    """Money, numbers and dates written for one language."""

    def __init__(self, language: str) -> None:
        self.locale = locale_of(language)

    def money(self, amount: Decimal | None, currency: str = "CHF") -> str:
        if amount is None:
            return "—"
        return format_currency(amount, currency, locale=self.locale)

    def number(self, value: Decimal | int | float | None) -> str:
        return "—" if value is None else format_decimal(value, locale=self.locale)

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
