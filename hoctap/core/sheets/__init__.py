"""Excel import/template toolkit shared by every bulk import (households, citizens, clans, villages…).

Declare a SheetSpec of Columns once; ``write_template`` gives the downloadable template, ``read_sheet``
parses and validates an uploaded file, ``write_error_report`` and ``errors_to_json`` report its errors.
"""

from .cells import DATE_FORMAT_HINT, LEADING_ZERO_LOST
from .reader import (
    RowsValidator,
    RowValidator,
    SheetReadError,
    SheetStream,
    load_first_sheet,
    paused_gc,
    read_sheet,
)
from .spec import (
    CellError,
    Column,
    ColumnKind,
    ParsedRow,
    SheetResult,
    SheetSpec,
    column_letter,
)
from .writer import errors_to_json, write_error_report, write_table, write_template

__all__ = [
    "DATE_FORMAT_HINT",
    "LEADING_ZERO_LOST",
    "CellError",
    "Column",
    "ColumnKind",
    "ParsedRow",
    "RowValidator",
    "RowsValidator",
    "SheetReadError",
    "SheetResult",
    "SheetSpec",
    "SheetStream",
    "column_letter",
    "errors_to_json",
    "load_first_sheet",
    "paused_gc",
    "read_sheet",
    "write_error_report",
    "write_table",
    "write_template",
]
