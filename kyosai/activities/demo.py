"""The demo federation's appendix: every register filled, deterministic.

The report's tables are the report's 資料編 tables transcribed verbatim into `data/` (the test suite's golden copies too); case reports
are transcribed from the report (資料編 Ⅰ．１). Three files are illustrative, not from the report:
`meeting_bases.csv` (the ratio bases the report does not print; RULES-appendix §3 gives feasible
values), `member_survey.csv` (per-branch figures adding up to the report's 37.1 %) and
`branch_staffing.csv` (staffing at the fiscal year's start, so that 支援県支部 can be shown).
"""

from pathlib import Path

from django.db import transaction

from kyosai.activities.services import import_appendix_file

__all__ = ["DEMO_KINDS", "load_demo"]

DATA = Path(__file__).parent / "data"
DEMO_FISCAL_YEAR = 2024
#: Import order: the bases before the meetings they divide.
DEMO_KINDS = (
    "branch_staffing", "meeting_bases", "meetings_stats", "model_unions_detail",
    "model_unions_tiers", "new_hires", "small_lot_life", "spot_campaigns",
    "effective_month_results", "mycar_estimates", "no_coverage_campaign", "member_survey",
    "case_reports",
)


@transaction.atomic
def load_demo() -> str:
    """Import every shipped appendix table (idempotent, each logged as a demo load); a one-line
    summary in Japanese."""
    created = updated = 0
    for kind in DEMO_KINDS:
        result = import_appendix_file(kind, DATA / f"{kind}.csv", fiscal_year=DEMO_FISCAL_YEAR,
                                      demo=True)
        created += result.created
        updated += result.updated
    return f"資料編 {len(DEMO_KINDS)} 表: 新規 {created} 行、更新 {updated} 行"
