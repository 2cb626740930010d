"""Reads of the product catalogue's master data."""

from kyosai.catalog.models import FiscalYear
from kyosai.domain.periods import FiscalYears

__all__ = ["fiscal_years"]


def fiscal_years() -> FiscalYears:
    """Every registered fiscal year with its calendar: the one source of "which calendar"."""
    return FiscalYears({row.year: row.calendar for row in FiscalYear.objects.all()})
