"""資料編: the appendix registers' rules, tables and file reading (RULES-appendix.md).

Modules depend one way: `rules` (formulas) ← `spec` (what a table is, how a cell prints) ←
`tables` and `meetings` (the tables) ← `registry` (every table by kind) and `reading` (files).
"""

from kyosai.domain.appendix.reading import (
    ParsedTable,
    compare_printed,
    parse_table,
)
from kyosai.domain.appendix.registry import SPECS, spec_for
from kyosai.domain.appendix.spec import (
    ColumnSpec,
    Context,
    TableSpec,
    YearLabels,
    compute_table,
    display_cell,
    format_cell,
    format_printed,
)

__all__ = [
    "SPECS",
    "ColumnSpec",
    "Context",
    "ParsedTable",
    "TableSpec",
    "YearLabels",
    "compare_printed",
    "compute_table",
    "display_cell",
    "format_cell",
    "format_printed",
    "parse_table",
    "spec_for",
]
