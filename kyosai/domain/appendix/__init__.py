"""資料編: the appendix registers' rules and tables (RULES-appendix.md).

Modules depend one way: `rules` (formulas) ← `spec` (what a table is, how a cell prints) ←
`tables` and `meetings` (the tables) ← `registry` (every table by kind). Reading a register's
file is `kyosai.domain.files.appendix`, which builds on `spec`.
"""

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
    "TableSpec",
    "YearLabels",
    "compute_table",
    "display_cell",
    "format_cell",
    "format_printed",
    "spec_for",
]
