"""Brings the pages' catalogues up to date with the strings in the code and templates.

    python scripts/catalogues.py            # extract, then add new strings to fr and en

New strings arrive untranslated in French (the completeness test then fails until someone
writes the French) and as themselves in English, the language they are written in.
Translations already made are kept.
"""

import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "src" / "fundflow" / "locales"
TEMPLATE = ROOT / "build" / "messages.pot"


def extract(template: Path = TEMPLATE) -> Catalog:
    """The strings the pages' code and templates ask for, as extraction finds them."""
    template.parent.mkdir(exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "N_",
            "--no-location",
            "--sort-output",
            "--omit-header",
            "-o",
            str(template),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with template.open("rb") as pot:
        return read_po(pot)


def update(language: str, template: Catalog) -> None:
    path = LOCALES / language / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        with path.open("rb") as po:
            catalog = read_po(po, locale=language)
    else:
        catalog = Catalog(locale=language, project="fundflow")
    catalog.update(template, no_fuzzy_matching=True)
    for message in catalog:
        if message.id and not message.string and language == "en":
            message.string = message.id
    catalog.obsolete.clear()
    catalog.fuzzy = False
    with path.open("wb") as po:
        write_po(po, catalog, omit_header=False, no_location=True, sort_output=True, width=100)


def main() -> None:
    template = extract()
    for language in ("fr", "en"):
        update(language, template)


if __name__ == "__main__":
    main()
