"""`?format=csv`: a list endpoint's rows as CSV (UTF-8 with BOM, so Excel reads it).

Text cells go through `core.tabular.csv_cell`, like every other CSV writer: a union name or a
plan's text beginning with = + - @ tab or CR is written with a leading ' (never a live formula).
"""

import csv
import io
from collections.abc import Mapping
from typing import Any

from rest_framework.renderers import BaseRenderer

from kyosai.core.tabular import csv_cell

__all__ = ["CSVRenderer"]


def _cell(value: Any) -> str:
    if isinstance(value, (list, dict)):
        return csv_cell(str(value))
    return csv_cell(value)


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None,
               renderer_context: Mapping[str, Any] | None = None) -> bytes:
        if isinstance(data, dict) and "results" in data:
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:  # an error or a single object: one row
            rows = [data] if isinstance(data, dict) else []
        out = io.StringIO()
        if rows:
            header = list(rows[0].keys())
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(header)
            for row in rows:
                writer.writerow([_cell(row.get(column)) for column in header])
        return ("\ufeff" + out.getvalue()).encode("utf-8")
