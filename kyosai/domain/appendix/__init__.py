"""資料編: the appendix registers' rules, tables and file reading (RULES-appendix.md)."""

from kyosai.domain.appendix.reading import (
    ParsedTable,
    compare_printed,
    parse_table,
)
from kyosai.domain.appendix.tables import (
    Context,
    TableSpec,
    compute_table,
    format_cell,
    spec_for,
)

__all__ = [
    "Context",
    "ParsedTable",
    "TableSpec",
    "compare_printed",
    "compute_table",
    "format_cell",
    "parse_table",
    "spec_for",
]
