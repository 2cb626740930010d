"""Fixtures of the report's own facts, shipped with the repository (see tests/fixtures/README.md).

The app test packages import these (`from tests.conftest import golden_dir`), so every test reads
the same copies: nothing outside the repository.
"""

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = FIXTURES / "golden"
REPORT = FIXTURES / "report"
#: The report's 2024H1 plan, shipped as the demo's package data (kyosai.plans.demo.PLAN_FILE).
SEED_PLAN = FIXTURES.parents[1] / "kyosai" / "plans" / "data" / "plan-2024H1.yaml"


@pytest.fixture(scope="session")
def golden_dir() -> Path:
    """The report's national and product tables (national_summary.csv, product_status.csv)."""
    return GOLDEN


@pytest.fixture(scope="session")
def appendix_dir() -> Path:
    """The report's 資料編 tables: the verbatim copies the demo ships as package data."""
    from kyosai.activities.demo import DATA

    return DATA


@pytest.fixture(scope="session")
def seed_plan_file() -> Path:
    """The report's 2024H1 PDCA plan (Ⅳ–Ⅵ) as YAML: the copy the demo ships."""
    return SEED_PLAN


@pytest.fixture(scope="session")
def report_section_1() -> list[str]:
    """Section Ⅰ of the report's text (lines 1–370 of report-2024H1.txt)."""
    return (REPORT / "section-1.txt").read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="session")
def report_appendix_events() -> str:
    """資料編 Ⅱ–Ⅳ of the report's text (its meetings and events, to the end of the report)."""
    return (REPORT / "appendix-2-4.txt").read_text(encoding="utf-8")
