"""Answering one resource as JSON or as a spreadsheet-friendly CSV."""

from enum import StrEnum
from typing import Annotated, Any

from fastapi import Query
from fastapi.responses import Response
from pydantic_core import to_json


class ExportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


FormatQuery = Annotated[ExportFormat, Query(alias="format", description="json or csv")]


def raw_json_response(document: dict[str, Any]) -> Response:
    """Send data already shaped like the route's response model (see where it is used)."""
    return Response(content=to_json(document), media_type="application/json")


def csv_response(text: str, *, filename: str) -> Response:
    # A BOM lets spreadsheet programs recognise UTF-8 (accents in French titles).
    return Response(
        content="\ufeff" + text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
