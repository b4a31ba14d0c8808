"""Answering one resource as JSON or as a spreadsheet-friendly CSV."""

from enum import StrEnum
from typing import Annotated

from fastapi import Query
from fastapi.responses import Response


class ExportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


FormatQuery = Annotated[ExportFormat, Query(alias="format", description="json or csv")]


def csv_response(text: str, *, filename: str) -> Response:
    # A BOM lets spreadsheet programs recognise UTF-8 (accents in French titles).
    return Response(
        content="\ufeff" + text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
