"""Fixtures of the report's tests: outputs built once from the golden figures, text helpers."""

import csv
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from kyosai.domain.evaluation import Rating
from kyosai.domain.measures import MEASURES
from kyosai.domain.periods import YearMonth
from kyosai.domain.plans import ChapterNode, ItemNode, PlanTree, PolicyNode, SectionNode, StatusNode
from kyosai.domain.reporting import CellKind, Column, HalfYear, ReportTable, TableRow
from kyosai.domain.rollup import ScorecardRow
from kyosai.reports.builder import build_report
from kyosai.reports.inputs import OverviewTopic
from kyosai.reports.services import write_formats
from kyosai.reports.tests.golden_sources import GoldenSources
from tests.conftest import golden_dir, report_section_1

if TYPE_CHECKING:
    from django.contrib.auth.models import User

__all__ = ["golden_dir", "report_section_1"]

REPO = Path(__file__).resolve().parents[3]
ARTIFACTS = REPO / "test-artifacts" / "reports"
AS_OF = YearMonth(2024, 11)
PERIOD = HalfYear(2024, 1)


def pdftotext(path: Path, *, first: int | None = None, last: int | None = None,
              layout: bool = False) -> str:
    argv = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        argv.append("-layout")
    if first is not None:
        argv += ["-f", str(first)]
    if last is not None:
        argv += ["-l", str(last)]
    return subprocess.run([*argv, str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


def squeeze(text: str) -> str:
    """Text without line breaks and spaces, to find sentences the layout wrapped."""
    return "".join(text.split())


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True)
    line = next(x for x in info.stdout.splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


@pytest.fixture(scope="session")
def poppler() -> None:
    if shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None:
        pytest.fail("poppler-utils (pdftotext, pdftoppm) が必要です")


def golden_rows(golden_dir: Path, name: str) -> list[dict[str, str]]:
    with (golden_dir / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def long_table() -> ReportTable:
    """120 rows, some of them three lines high: crosses pages, so headers must repeat."""
    rows = []
    for number in range(1, 121):
        text = f"行{number:03d}の説明" + (f"\n二行目{number:03d}\n三行目{number:03d}" if number % 7 == 0 else "")
        rows.append(TableRow((f"R{number:03d}", text, number * 1000 - 60_000,
                              Decimal(number) / 4, f"E{number:03d}")))
    return ReportTable(
        key="資料Ⅰ-9 長い表", title="９．長い表（改ページの確認）",
        columns=(Column("番号"), Column("説明", width=20), Column("件数", CellKind.NUMBER),
                 Column("率", CellKind.PCT, 2), Column("末尾")),
        rows=tuple(rows),
    )


def plan_tree() -> PlanTree:
    item = ItemNode(1, "本部共済推進委員会を定例的に開催します。",
                    (StatusNode("本部共済推進委員会を定例的に開催しました。", YearMonth(2024, 11)),),
                    Rating.DONE, ("引き続き定例的に開催します",))
    late = ItemNode(2, "組合員アンケートを実施します。", (StatusNode("回収率は37.1％にとどまりました。"),),
                    Rating.NOT_ENOUGH, ("働きかけを行います",))
    chapter = ChapterNode(1, "自治労本部と自治労共済推進本部の共同推進の取り組み", False, (
        PolicyNode(1, "本部共済推進委員会を基軸とする共済推進運動を展開します。", (item, late)),),
        code="Ⅳ-1")
    return PlanTree(HalfYear(2024, 1), (SectionNode("Ⅳ", "事業推進体制の強化・確立", (chapter,)),))


def branch_row(name: str, actual: int, previous: int, change: int,
               yoy_pct: Decimal) -> ScorecardRow:
    """A branch's 保有件数 as 「伸長した県支部」 prints it."""
    return ScorecardRow(label=name, code=name, spec=MEASURES["holdings"], measure_name="件数",
                        as_of=AS_OF, actual=actual, target=None, previous=previous,
                        change=change, achievement_pct=None, yoy_pct=yoy_pct,
                        pace_pct=Decimal("50.00"), mark=None)


def golden_sources(golden_dir: Path, **overrides: Any) -> GoldenSources:
    options: dict[str, Any] = {  # GoldenSources' keyword arguments
        "overview": [OverviewTopic(
            "事業目標達成への取り組み",
            ("自治労共済推進本部は、数値目標を事業目標として年度初に確認しています。",),
            ("一部事業目標の目標達成ペースでの推移",),
            ("全事業目標の目標達成", "前年度に達成した予定付加掛金の維持とさらなる拡大"),
        )],
        "branches": {"マイカー共済": [branch_row("福岡", 20_500, 19_800, 700, Decimal("103.53")),
                                     branch_row("静岡", 15_000, 14_600, 400, Decimal("102.73"))]},
        "plan": plan_tree(),
        "appendix": [long_table()],
    }
    options.update(overrides)
    return GoldenSources(golden_dir, **options)


@pytest.fixture(scope="session")
def golden_report(golden_dir):
    return build_report(AS_OF, PERIOD, golden_sources(golden_dir))


@pytest.fixture(scope="session")
def outputs(golden_report, tmp_path_factory, poppler) -> dict[str, Path]:
    """report.pdf, report.xlsx and report.html of the golden report; first pages as PNG."""
    out = tmp_path_factory.mktemp("report")
    written = write_formats(golden_report, out, ["pdf", "xlsx", "html"])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("golden-page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "6", str(written["pdf"]),
                    str(ARTIFACTS / "golden-page")], check=True)
    shutil.copy(written["pdf"], ARTIFACTS / "golden-report.pdf")
    return written


@pytest.fixture
def tokyo(db):
    from kyosai.org.models import Branch

    return Branch.objects.create(code="13", name="東京")


@pytest.fixture
def personas(db, tokyo) -> dict[str, "User"]:
    """One user per role, plus a logged-in user with no membership (force_login, no password)."""
    from django.contrib.auth import get_user_model

    from kyosai.accounts.models import Membership, Role
    from kyosai.org.models import Union

    union = Union.objects.create(code="13001", name="東京単組", branch=tokyo)

    def make(name, role, *, branch=None, union=None, superuser=False):
        user = get_user_model().objects.create_user(name, password=None, is_superuser=superuser)
        if role is not None:
            Membership.objects.create(user=user, role=role, branch=branch, union=union)
        return user

    return {
        "hq_admin": make("hq-admin", Role.HQ_ADMIN),
        "hq_staff": make("hq-staff", Role.HQ_STAFF),
        "hq_viewer": make("hq-viewer", Role.VIEWER),
        "branch_staff": make("tokyo-staff", Role.BRANCH_STAFF, branch=tokyo),
        "branch_viewer": make("tokyo-viewer", Role.VIEWER, branch=tokyo),
        "union_officer": make("union-officer", Role.UNION_OFFICER, branch=tokyo, union=union),
        "no_membership": make("stranger", None),
    }


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
