"""The report as a PDF: the print HTML laid out by WeasyPrint with the embedded IPAex Gothic."""

import logging
from pathlib import Path

from kyosai.domain.reporting import Report
from kyosai.reports.html import render_html

__all__ = ["write_pdf"]


def write_pdf(report: Report, path: Path) -> Path:
    """A4, page numbers, table of contents with page numbers, headers repeated on every page."""
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    html = render_html(report, for_print=True)
    HTML(string=html, base_url=str(path.parent)).write_pdf(path)
    return path
