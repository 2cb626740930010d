"""`?format=csv`: a list endpoint's rows as CSV (UTF-8 with BOM, so Excel reads it)."""

import csv
import io
from collections.abc import Mapping
from typing import Any

from rest_framework.renderers import BaseRenderer

__all__ = ["CSVRenderer"]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return str(value)
    return value


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
