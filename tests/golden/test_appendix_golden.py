"""Every derived cell and total row of the 資料編 tables, recomputed from the entered cells only.

The report's documented inconsistencies (RULES-appendix.md §11) are tested as such.
"""

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from kyosai.core.tabular import read_table
from kyosai.domain.appendix import Context, compute_table, spec_for
from kyosai.domain.appendix.rules import model_union_achievement_pct, tier_for
from kyosai.domain.files.appendix import compare_printed, parse_table, parse_value

pytestmark = pytest.mark.golden

#: The fiscal year of the report the golden tables come from.
REPORT_YEAR = 2024

KINDS = ["model_unions_tiers", "model_unions_detail", "meetings_stats", "new_hires",
         "small_lot_life", "spot_campaigns", "effective_month_results", "mycar_estimates",
         "no_coverage_campaign"]
#: The ratio bases are not printed; RULES §3 gives the only 全単組数 and a feasible pair for the others.
BASES = Context(bases={
    (2024, "all_unions"): 2548, (2023, "all_unions"): 2484,
    (2024, "all_officers"): 30269, (2023, "all_officers"): 31180,
    (2024, "all_members"): 668403, (2023, "all_members"): 678992,
})


def _entered_only(spec, rows):
    """Blank every derived cell and drop every derived row: the project must not need them."""
    derived = {column.name for column in spec.derived}
    return [{k: ("" if k in derived else v) for k, v in row.items()}
            for row in rows if not spec.is_derived_row(row)]


def _computed(appendix_dir: Path, kind: str):
    spec = spec_for(kind)
    # The golden files keep the report's year-named headers (coop_joined_2024): read as FY2024.
    header, rows = spec.current_names(*read_table(appendix_dir / f"{kind}.csv"), REPORT_YEAR)
    parsed = parse_table(spec, header, _entered_only(spec, rows))
    return spec, rows, compute_table(spec, parsed.records, BASES)


def _typed(spec, name, text):
    kind = spec.column(name).kind
    return parse_value("pct" if kind == "int" else kind, text)


@pytest.mark.parametrize("kind", KINDS)
def test_the_recomputed_table_has_the_reports_rows_in_the_reports_order(appendix_dir, kind):
    spec, printed, computed = _computed(appendix_dir, kind)
    assert [spec.key_of(row) for row in computed] == [spec.key_of(row) for row in printed]


@pytest.mark.parametrize("kind", KINDS)
def test_every_derived_cell_and_total_equals_the_report(appendix_dir, kind):
    spec, printed, computed = _computed(appendix_dir, kind)
    checked = 0
    for report_row, row in zip(printed, computed, strict=True):
        columns = spec.header if spec.is_derived_row(report_row) else [c.name for c in spec.derived]
        for name in columns:
            expected = _typed(spec, name, report_row[name])
            actual = row.get(name)
            if isinstance(expected, Decimal):
                assert actual is not None, (kind, report_row, name)
                assert Decimal(actual) == expected, (kind, spec.key_of(report_row), name)
            else:
                assert ("" if actual is None else str(actual)) == expected, (kind, name)
            checked += 1
    assert checked > 0


@pytest.mark.parametrize("kind", KINDS)
def test_the_csv_output_is_the_reports_table_cell_for_cell(appendix_dir, kind):
    from kyosai.domain.appendix import format_cell

    spec, printed, computed = _computed(appendix_dir, kind)
    ours = [[format_cell(row.get(name)) for name in spec.header] for row in computed]
    theirs = [[row[name] for name in spec.header] for row in printed]
    assert ours == theirs


@pytest.mark.parametrize("kind", KINDS)
def test_the_report_as_printed_raises_no_warning(appendix_dir, kind):
    spec = spec_for(kind)
    header, rows = read_table(appendix_dir / f"{kind}.csv")
    assert compare_printed(spec, parse_table(spec, header, rows, fiscal_year=REPORT_YEAR), BASES) == []


def _meeting_rows(appendix_dir):
    with (appendix_dir / "meetings_stats.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(("subsection", "sub_measure"), [
    ("（１）県本部共済推進委員会", "県平均"),       # §11.1: 3.1 / 3.6 / △0.4
    ("（３）単組執行部学習会の実行状況", "全役員数比"),  # §11.2: 14.5 / 15.1 / △0.5P
    ("（４）職場組合員オルグの実行状況", "全組合員数比"),  # §11.3: 9.9 / 10.6 / △0.6P
    ("（５）個別保障相談の実行状況", "全組合員数比"),  # §11.4: 0.7 / 0.7 / 0.1P
])
def test_rounding_order_artefacts_are_reproduced_not_taken_as_printed_differences(
    appendix_dir, subsection, sub_measure
):
    """The change comes from the unrounded values, so it differs from the printed difference."""
    _spec, _, computed = _computed(appendix_dir, "meetings_stats")
    row = next(r for r in computed if r["subsection"] == subsection
               and r["sub_measure"] == sub_measure)
    report = next(r for r in _meeting_rows(appendix_dir) if r["subsection"] == subsection
                  and r["sub_measure"] == sub_measure)
    assert row["change"] == Decimal(report["change"])
    assert row["change"] != row["value_cur"] - row["value_prev"]


def test_the_2022_header_of_4_1_is_kept_as_printed(appendix_dir):
    """§11.5: most likely a typo for 2023 年度, but the report gives nothing that settles it."""
    _, _, computed = _computed(appendix_dir, "meetings_stats")
    labels = {r["prev_label"] for r in computed if r["subsection"] == "（１）単組共済担当者会議の開催状況"}
    assert labels == {"2022 年度"}


def test_the_last_effective_month_block_keeps_its_printed_month_and_says_why(appendix_dir):
    """§11.6: printed 2024 年 1 月発効 but compares 24年/25年, so it is most likely 2025-01."""
    _, _, computed = _computed(appendix_dir, "effective_month_results")
    last = [r for r in computed if r["effective_month"] == "2024-01"]
    assert last
    assert all(r["cur_year_label"] == "25年" for r in last)
    assert all("2025" in r["note"] for r in last)
    assert last[-1]["prefecture"] == "合計"


def _tiers_and_detail(appendix_dir):
    _, _, tiers = _computed(appendix_dir, "model_unions_tiers")
    _, _, detail = _computed(appendix_dir, "model_unions_detail")
    return {r["union"]: r for r in tiers}, {r["union"]: r for r in detail}


def test_the_tier_list_and_the_detail_disagree_on_eight_unions(appendix_dir):
    """§11.7–14: the tier list (2025-01) sits below the 'cumulative' detail on 8 unions."""
    tiers, detail = _tiers_and_detail(appendix_dir)
    both = sorted(set(tiers) & set(detail))
    disagree = [u for u in both if tiers[u]["achievement_pct"] != detail[u]["achievement_pct"]]
    assert len(both) == 15
    assert len(disagree) == 8
    assert all(tiers[u]["achievement_pct"] < detail[u]["achievement_pct"] for u in disagree)
    assert tier_for(detail["米子市職員労働組合"]["achievement_pct"]) != tiers["米子市職員労働組合"]["tier"]


def test_three_achieving_model_unions_of_the_detail_appear_in_no_tier(appendix_dir):
    """§11.15–17: 守山市・大田市・石井町 are at 100 % or more but listed in no tier."""
    tiers, detail = _tiers_and_detail(appendix_dir)
    missing = {u for u, r in detail.items() if u not in tiers and r["achievement_pct"] >= 100}
    assert missing == {"守山市職員労働組合連合会", "大田市職員連合労働組合", "石井町職員労働組合"}


def test_the_appendix_no_coverage_rate_differs_from_the_bodys_stale_forty_point_nine(appendix_dir):
    """§11.18: the body says 40.9％, the appendix's 合計 is 3764/7837 = 48.02%."""
    _, _, computed = _computed(appendix_dir, "no_coverage_campaign")
    total = computed[-1]
    assert (total["total"], total["estimate_target"]) == (3764, 7837)
    assert total["achievement_pct"] == Decimal("48.02") != Decimal("40.9")


def test_detail_achievement_is_half_up_where_truncation_would_differ(appendix_dir):
    _, _, detail = _computed(appendix_dir, "model_unions_detail")
    by_union = {r["union"]: r for r in detail}
    assert by_union["千葉市職員労働組合"]["achievement_pct"] == model_union_achievement_pct(47, 30)
    assert by_union["千葉市職員労働組合"]["achievement_pct"] == Decimal("156.7")
