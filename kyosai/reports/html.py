"""The report as one self-contained HTML document (inline CSS and SVG); the PDF prints the same."""

from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from kyosai.core.fonts import font_path
from kyosai.domain.reporting import (
    Chart,
    Heading,
    ItemLists,
    Missing,
    Paragraph,
    Report,
    ReportTable,
    display,
)
from kyosai.reports.charts import chart_svg

__all__ = ["render_html"]


@dataclass
class _TocEntry:
    anchor: str
    text: str
    level: int
    children: list["_TocEntry"] = field(default_factory=list)


def render_html(report: Report, *, for_print: bool = False) -> str:
    """The document; `for_print` embeds the font by file URL for WeasyPrint."""
    sections, toc = [], []
    for index, section in enumerate(report.sections, start=1):
        anchor = f"s{index}"
        entry = _TocEntry(anchor, section.heading, 1)
        toc.append(entry)
        blocks = []
        for number, block in enumerate(section.blocks, start=1):
            item = _block(block, f"{anchor}-{number}")
            if isinstance(block, Heading) and block.level == 2:
                entry.children.append(_TocEntry(item["anchor"], block.text, 2))
            blocks.append(item)
        sections.append({"anchor": anchor, "heading": section.heading, "blocks": blocks})
    return render_to_string("reports/report.html", {
        "report": report, "sections": sections, "toc": toc, "for_print": for_print,
        "font_url": font_path().as_uri() if for_print else "",
    })


def _block(block: Any, anchor: str) -> dict[str, Any]:
    if isinstance(block, Heading):
        return {"type": "heading", "text": block.text, "level": block.level, "anchor": anchor}
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "text": block.text, "style": block.style}
    if isinstance(block, ItemLists):
        return {"type": "lists", "lists": block}
    if isinstance(block, Chart):
        return {"type": "chart", "svg": mark_safe(chart_svg(block))}
    if isinstance(block, Missing):
        return {"type": "missing", "text": block.text}
    if isinstance(block, ReportTable):
        return {"type": "table", **_table(block)}
    raise TypeError(f"unknown block: {block!r}")


def _table(table: ReportTable) -> dict[str, Any]:
    classes = ["num" if c.kind.is_numeric else ("mark" if c.kind == "mark" else "text")
               for c in table.columns]
    groups: list[list[dict[str, Any]]] = []
    for row in table.rows:
        cells = [(display(value, column), css) for value, column, css
                 in zip(row.cells, table.columns_for(row), classes, strict=True)]
        if row.group_start or not groups:
            groups.append([])
        groups[-1].append({"cells": cells, "total": row.total})
    total_width = sum(c.width for c in table.columns) or 1
    widths = [f"{c.width * 100 / total_width:.2f}" for c in table.columns]
    return {"table": table, "widths": widths, "dense": len(table.columns) > 9, "headers": list(zip([c.label for c in table.columns], classes,
                                                strict=True)),
            "groups": groups, "grouped": any(r.group_start for r in table.rows),
            "header_rows": _header_rows(table, classes)}


def _header_rows(table: ReportTable, classes: list[str]) -> list[list[dict[str, Any]]]:
    """One header row, or two when columns are grouped (a lone column spans both rows)."""
    labels = [c.label for c in table.columns]
    if not table.header_groups:
        return [[{"label": label, "colspan": 1, "rowspan": 1} for label in labels]]
    top: list[dict[str, Any]] = []
    bottom: list[dict[str, Any]] = []
    index = 0
    for label, span in table.header_groups:
        if label:
            top.append({"label": label, "colspan": span, "rowspan": 1})
            bottom.extend({"label": sub, "colspan": 1, "rowspan": 1}
                          for sub in labels[index:index + span])
        else:
            top.extend({"label": sub, "colspan": 1, "rowspan": 2}
                       for sub in labels[index:index + span])
        index += span
    return [top, bottom]
