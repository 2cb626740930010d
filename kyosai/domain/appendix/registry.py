"""Every appendix table by its kind (the CSV's file stem), built once at import."""

from types import MappingProxyType

from kyosai.domain.appendix.meetings import MEETINGS_STATS
from kyosai.domain.appendix.spec import TableSpec
from kyosai.domain.appendix.tables import (
    BRANCH_STAFFING,
    CASE_REPORTS,
    EFFECTIVE_MONTH_RESULTS,
    MEETING_BASES,
    MEMBER_SURVEY,
    MODEL_UNIONS_DETAIL,
    MODEL_UNIONS_TIERS,
    MYCAR_ESTIMATES,
    NEW_HIRES,
    NO_COVERAGE_CAMPAIGN,
    SMALL_LOT_LIFE,
    SPOT_CAMPAIGNS,
)

__all__ = ["SPECS", "spec_for"]

#: kind → table, in the report's order (資料編 Ⅰ), then the registers it does not print.
SPECS: MappingProxyType[str, TableSpec] = MappingProxyType({spec.kind: spec for spec in (
    MODEL_UNIONS_TIERS, MODEL_UNIONS_DETAIL, MEETINGS_STATS, NEW_HIRES, SMALL_LOT_LIFE,
    SPOT_CAMPAIGNS, EFFECTIVE_MONTH_RESULTS, MYCAR_ESTIMATES, NO_COVERAGE_CAMPAIGN,
    MEMBER_SURVEY, CASE_REPORTS, BRANCH_STAFFING, MEETING_BASES,
)})


def spec_for(kind: str) -> TableSpec:
    """The table of a kind; KeyError for an unknown kind."""
    return SPECS[kind]
