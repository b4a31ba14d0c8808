"""The catalogues: every text shown to people, in French and in English.

The ``.po`` files under ``fundflow/locales/`` are kept in the repository and compiled in
memory when first needed, so no build step can leave them stale. Pages and the API's
explanations translate through them alike.
"""

import gettext
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).parents[1] / "locales"
LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"


@cache
def translations(language: str) -> gettext.GNUTranslations:
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


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


@dataclass(frozen=True)
class Reader:
    """The language a client asked for (None: English as written) and its catalogue."""

    language: str | None

    def __call__(self, text: str) -> str:
        return translations(self.language).gettext(text) if self.language else text


def translator(accept_language: str | None) -> Reader:
    """How the API words its messages for a client's ``Accept-Language``: in one of our
    languages when it asks for one, else in English as written."""
    return Reader(from_accept_language(accept_language))
