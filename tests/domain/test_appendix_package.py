"""The appendix package: one-way imports, an eager registry, columns relative to the year."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import kyosai.domain.appendix as appendix
from kyosai.domain.appendix import SPECS, YearLabels, spec_for
from kyosai.domain.files.appendix import parse_table
from kyosai.domain.periods import FiscalCalendar, HalfYear, YearMonth
from kyosai.domain.problems import FileProblems

PACKAGE = Path(appendix.__file__).parent
KINDS = {"model_unions_tiers", "model_unions_detail", "meetings_stats", "new_hires",
         "small_lot_life", "spot_campaigns", "effective_month_results", "mycar_estimates",
         "no_coverage_campaign", "member_survey", "case_reports", "branch_staffing",
         "meeting_bases"}


def _imports(path: Path) -> set[str]:
    """The package's modules a module imports, at top level or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("kyosai.domain.appendix."):
                found.add(node.module.rsplit(".", 1)[1])
            elif node.module == "kyosai.domain.appendix":
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name.rsplit(".", 1)[1] for alias in node.names
                         if alias.name.startswith("kyosai.domain.appendix."))
    return found & {p.stem for p in PACKAGE.glob("*.py")}


def test_no_module_of_the_package_imports_one_that_imports_it_back():
    graph = {p.stem: _imports(p) for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    assert graph["tables"] == {"rules", "spec"}
    assert graph["meetings"] == {"rules", "spec"}

    def reaches(start: str, goal: str, seen: frozenset[str] = frozenset()) -> bool:
        return any(nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt}))
                   for nxt in graph.get(start, ()))

    assert [module for module in graph if reaches(module, module)] == []


def test_the_registry_is_complete_as_soon_as_it_is_imported():
    code = ("from kyosai.domain.appendix.registry import SPECS; "
            "print(','.join(sorted(SPECS)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert set(out.stdout.strip().split(",")) == KINDS
    assert set(SPECS) == KINDS
    with pytest.raises(TypeError):
        SPECS["sales"] = SPECS["new_hires"]  # type: ignore[index]  # read-only on purpose
    with pytest.raises(KeyError):
        spec_for("sales")


def test_no_column_is_named_after_a_year():
    for spec in SPECS.values():
        for column in spec.columns:
            assert not any(part.isdigit() and len(part) in (2, 4) for part in column.name.split("_")), (
                spec.kind, column.name)


@pytest.mark.parametrize(("year", "cur", "prev"), [(2024, "2024", "2023"), (2025, "2025", "2024"),
                                                   (2000, "2000", "1999")])
def test_headings_take_the_year_from_the_table(year, cur, prev):
    new_hires = spec_for("new_hires")
    assert new_hires.column("coop_joined_cur").heading(year) == f"生協加入数 {cur}"
    assert new_hires.column("rate_prev_pct").heading(year) == f"加入率 {prev}"
    mycar = spec_for("mycar_estimates")
    assert mycar.column("new_contracts_prev").heading(year) == f"{prev[2:]}年度 マイカー新契約"
    assert mycar.column("estimates_cur").heading(year) == f"{cur[2:]}年度 見積り数"
    assert new_hires.column("coop_joined_cur").heading(None) == "生協加入数 当年度"
    assert new_hires.column("branch").heading(year) == "名称"


@pytest.mark.parametrize(("period", "start", "as_of", "prior_end"), [
    (HalfYear(2024, 1), 6, YearMonth(2024, 11), YearMonth(2024, 5)),
    (HalfYear(2024, 2), 6, YearMonth(2025, 5), YearMonth(2024, 5)),
    (HalfYear(2025, 1), 4, YearMonth(2025, 9), YearMonth(2025, 3)),
    (HalfYear(2024, 2), 1, YearMonth(2024, 12), YearMonth(2023, 12)),  # December → January
])
def test_an_editions_months_come_from_its_calendar(period, start, as_of, prior_end):
    labels = YearLabels.of(period, FiscalCalendar(start))
    assert (labels.as_of, labels.prior_end) == (as_of, prior_end)
    assert labels.fill("{as_of}・{prior_end_month}月末") == (
        f"{as_of.year}年{as_of.month}月・{prior_end.month}月末")


NEW_HIRES_2024 = ("code,branch,effective_months,coop_joined_2024,coop_joined_2023,"
                  "life_joined_2024,life_joined_2023,rate_2024_pct,rate_2023_pct")


def _rows(header: str, *lines: str) -> tuple[list[str], list[dict[str, str]]]:
    names = header.split(",")
    return names, [dict(zip(names, line.split(","), strict=True)) for line in lines]


def test_a_file_with_year_named_columns_is_read_relative_to_its_fiscal_year():
    header, rows = _rows(NEW_HIRES_2024, "03,青森,10,259,241,36,28,13.9,11.6")
    record = parse_table(spec_for("new_hires"), header, rows, fiscal_year=2024).records[0]
    assert (record["coop_joined_cur"], record["coop_joined_prev"]) == (259, 241)
    assert (record["life_joined_cur"], record["life_joined_prev"]) == (36, 28)


def test_the_same_names_a_year_later_are_last_years_and_this_years():
    header, rows = _rows(NEW_HIRES_2024.replace("2024", "2025").replace("2023", "2024"),
                         "03,青森,10,300,259,40,36,,")
    record = parse_table(spec_for("new_hires"), header, rows, fiscal_year=2025).records[0]
    assert (record["coop_joined_cur"], record["coop_joined_prev"]) == (300, 259)


def test_a_file_of_another_year_is_missing_its_columns_named_as_the_file_names_them():
    header, rows = _rows(NEW_HIRES_2024, "03,青森,10,259,241,36,28,13.9,11.6")
    with pytest.raises(FileProblems) as raised:
        parse_table(spec_for("new_hires"), header, rows, fiscal_year=2026)
    assert [p.column for p in raised.value.errors] == [
        "coop_joined_cur", "coop_joined_prev", "life_joined_cur", "life_joined_prev"]
    assert "以前の列名 coop_joined_2026 でも読み込めます" in raised.value.errors[0].message


def test_a_bad_cell_of_an_old_file_is_named_by_the_files_column():
    header, rows = _rows(NEW_HIRES_2024, "03,青森,10,abc,241,36,28,,")
    with pytest.raises(FileProblems) as raised:
        parse_table(spec_for("new_hires"), header, rows, fiscal_year=2024)
    assert [(p.line, p.column) for p in raised.value.errors] == [(2, "coop_joined_2024")]


def test_mycar_month_named_columns_map_to_this_and_last_year():
    header, rows = _rows("branch,basic_members_2024_11,new_contracts_2024_05,estimates_05_end,"
                         "new_contracts_2024_11,estimates_11_end", "北海道,63132,521,1087,523,495")
    record = parse_table(spec_for("mycar_estimates"), header, rows, fiscal_year=2024).records[0]
    assert [record[name] for name in ("basic_members_cur", "new_contracts_prev", "estimates_prev",
                                      "new_contracts_cur", "estimates_cur")] == [
        63132, 521, 1087, 523, 495]


def test_todays_names_win_over_old_ones_and_need_no_year():
    header, rows = _rows("branch,effective_months,coop_joined_cur,coop_joined_prev,life_joined_cur,"
                         "life_joined_prev,coop_joined_2024", "青森,10,1,2,3,4,99")
    record = parse_table(spec_for("new_hires"), header, rows, fiscal_year=2024).records[0]
    assert record["coop_joined_cur"] == 1
    assert parse_table(spec_for("new_hires"), header, rows).records[0]["coop_joined_cur"] == 1
