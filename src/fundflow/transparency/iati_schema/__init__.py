"""The IATI activity standard's XML Schema (2.03), kept with the exporter that follows it,
so that the service can check its own export (see 2.03/README.md and 2.03/LICENSE)."""

from functools import cache
from pathlib import Path

from lxml import etree

SCHEMA_PATH = Path(__file__).parent / "2.03" / "iati-activities-schema.xsd"


@cache
def activities_schema() -> etree.XMLSchema:
    # The schema imports xml.xsd beside it: parsed from its path, nothing is fetched.
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def schema_errors(document: bytes) -> list[str]:
    """What makes ``document`` invalid IATI 2.03 (empty when it is valid)."""
    schema = activities_schema()
    if schema.validate(etree.fromstring(document)):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
