"""Answering one resource as JSON or as spreadsheet-friendly CSV or XLSX."""

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Query
from fastapi.responses import Response
from pydantic_core import to_json


class ExportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


class TableFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


FormatQuery = Annotated[ExportFormat, Query(alias="format", description="json or csv")]
TableFormatQuery = Annotated[TableFormat, Query(alias="format", description="json, csv or xlsx")]


def attachment(filename: str) -> dict[str, str]:
    """``Content-Disposition`` for a download of any name (RFC 6266): an ASCII fallback
    for old clients, and the exact name UTF-8 encoded (``تقرير.pdf``, ``報告.pdf``)."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\%;' else "_" for c in filename
    )
    exact = quote(filename, safe="")
    return {"Content-Disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{exact}"}


def raw_json_response(document: dict[str, Any]) -> Response:
    """Send data already shaped like the route's response model (see where it is used)."""
    return Response(content=to_json(document), media_type="application/json")


def rendered_response(document: bytes) -> Response:
    """A JSON document rendered before (``core.rendered``), as it was rendered."""
    return Response(content=document, media_type="application/json")


def rendered_page_response(documents: Sequence[bytes], next_cursor: str | None) -> Response:
    """A ``Page`` whose items are JSON documents rendered before (``core.rendered``),
    written as FastAPI would write the page itself."""
    body = b"".join(
        (b'{"items":[', b",".join(documents), b'],"next_cursor":', to_json(next_cursor), b"}")
    )
    return Response(content=body, media_type="application/json")


def csv_response(text: str, *, filename: str, bom: bool = True) -> Response:
    # A BOM lets spreadsheet programs recognise UTF-8 (accents in French titles).
    return Response(
        content=("\ufeff" if bom else "") + text,
        media_type="text/csv; charset=utf-8",
        headers=attachment(filename),
    )


XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return out.getvalue()


# A further sheet of a workbook: its title, header and rows.
Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]]]


def table_xlsx(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str,
    more_sheets: Sequence[Sheet] = (),
) -> bytes:
    """A sheet for spreadsheet users: bold header, frozen first row, numbers as numbers
    (amounts with two decimals), columns wide enough to read; and ``more_sheets`` alike."""
    from openpyxl import Workbook

    workbook = Workbook()
    _fill(workbook.active, title, header, rows)
    for more_title, more_header, more_rows in more_sheets:
        _fill(workbook.create_sheet(), more_title, more_header, more_rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill(sheet: Any, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.title = title[:31]
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(name) for name in header]
    for row in rows:
        sheet.append(list(row))
        for index, value in enumerate(row):
            widths[index] = max(widths[index], len(str(value)) if value is not None else 0)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, Decimal):
                cell.number_format = (
                    "#,##0.00" if cell.value.as_tuple().exponent == -2 else "0.0000"
                )
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"


def xlsx_response(content: bytes, *, filename: str) -> Response:
    return Response(
        content=content,
        media_type=XLSX_MEDIA_TYPE,
        headers=attachment(filename),
    )


def table_response(
    export: TableFormat,
    header: Sequence[str],
    rows: list[list[Any]],
    *,
    name: str,
    bom: bool,
    more_sheets: Sequence[Sheet] = (),
) -> Response:
    """The same table as CSV or as an XLSX sheet (JSON is answered by the route); the
    XLSX also holds ``more_sheets``, which a CSV file has no room for."""
    if export == TableFormat.CSV:
        return csv_response(table_csv(header, rows), filename=f"{name}.csv", bom=bom)
    workbook = table_xlsx(header, rows, title=name.title(), more_sheets=more_sheets)
    return xlsx_response(workbook, filename=f"{name}.xlsx")
