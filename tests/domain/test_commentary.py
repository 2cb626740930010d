"""The report's sentences of Ⅱ.2, generated from the golden national table's figures."""

import csv
from decimal import Decimal

import pytest

from kyosai.domain.commentary import (
    MeasureFigures,
    measure_commentary,
    movers,
    movers_sentence,
    prior_year_sentence,
    product_sentence,
    total_sentence,
)
from kyosai.domain.evaluation import pace_pct
from kyosai.domain.measures import MEASURES, measure_for_word
from kyosai.domain.periods import FiscalCalendar, YearMonth


def _figures(row: dict[str, str]) -> MeasureFigures:
    measure = measure_for_word(row["metric"])
    as_of = YearMonth.parse(row["as_of_month"])
    return MeasureFigures(
        label=row["product_group"], measure=measure, actual=int(row["actual"]),
        change=int(row["change"]), achievement_pct=Decimal(row["achievement_pct"]),
        pace_pct=pace_pct(FiscalCalendar(6).pace(as_of)),
    )


@pytest.fixture(scope="module")
def national(golden_dir) -> dict[tuple[str, str], MeasureFigures]:
    with (golden_dir / "national_summary.csv").open(encoding="utf-8") as handle:
        return {(r["product_group"], r["metric"]): _figures(r) for r in csv.DictReader(handle)}


# The prose of Ⅱ.2 in the report's text (report-2024H1.txt) (the first sentence of (1) prints 前年度比,
# the issue and every other paragraph 前年同期比: we print 前年同期比 throughout).
REPORT_PROSE = {
    "掛金": "全種目合計で21,479,536千円、前年同期比△1,620,350千円です。目標到達率は37.94%であり、"
            "経過期間に応じた到達目安（41.67%）に未達です。",
    "付加": "全種目合計で5,135,260千円、前年同期比+1,039千円です。目標到達率は51.40%であり、経過"
            "期間に応じた到達目安（50.00%）を超え、順調に推移しています。",
    "件数": "保有件数は、全種目合計で2,474,833件、前年同期比△2,497件です。目標到達率は103.65%で"
            "あり、年度末目標に到達しています。",
    "口数": "保有口数は、全種目合計で277,981,943口、前年同期比△703,067口です。目標到達率は"
            "101.88%であり、年度末目標に到達しています。",
    "新契約": "全種目合計で66,158件、前年同期比+701件です。目標到達率は45.22%であり、経過期間に応"
              "じた到達目安（50.00%）に未達です。",
}


@pytest.mark.golden
@pytest.mark.parametrize("metric", list(REPORT_PROSE))
def test_it_writes_the_total_sentence_of_the_report(national, metric):
    assert total_sentence(national[("合計", metric)]) == REPORT_PROSE[metric]


@pytest.mark.golden
def test_it_writes_a_products_sentence_as_the_report_does(national):
    figures = national[("団体生命共済", "掛金")]
    assert product_sentence(figures) == "団体生命共済は、前年同期比△190,539千円（目標到達率39.55%）となっています。"
    mycar = national[("マイカー共済", "付加")]
    assert product_sentence(mycar) == "マイカー共済は、前年同期比+53,400千円（目標到達率53.04%）となっています。"


@pytest.mark.golden
def test_it_names_the_groups_that_rose_and_fell_most_in_units(national):
    groups = [national[(g, "口数")] for g in ("総合共済", "団体生命共済", "マイカー共済", "自賠責共済", "その他")]
    sentence = movers_sentence(groups, limit=2)
    assert sentence == (
        "保有口数が大きく増加した共済種目は、マイカー共済・前年同期比+2,128,339口です。"
        "大きく減少した共済種目は、団体生命共済・前年同期比△1,762,611口、その他・同△1,007,241口です。"
    )


@pytest.mark.golden
def test_it_reaches_the_prior_years_loading_exactly_at_the_pace(national):
    total = national[("合計", "付加")]
    sentence = prior_year_sentence(total.measure, total.actual, 10_269_401, Decimal("50.00"))
    assert sentence == (
        "なお、前年度の予定付加掛金実績（10,269,401千円）に対する到達率は、50.00%であり、"
        "経過期間に応じた到達目安（50.00%）に到達しています。"
    )


def test_it_says_a_stock_short_of_its_target_is_not_reached():
    figures = MeasureFigures("自賠責共済", MEASURES["holdings"], 23_854, -301, Decimal("93.09"))
    assert total_sentence(figures).endswith("目標到達率は93.09%であり、年度末目標に未達です。")


def test_it_prints_no_change_as_plus_minus_zero():
    figures = MeasureFigures("介護保障", MEASURES["new_contracts"], 0, 0, Decimal("0.00"),
                             Decimal("58.33"))
    assert "前年同期比±0件です。" in total_sentence(figures)


def test_it_says_no_target_is_set_when_there_is_none():
    figures = MeasureFigures("親子共済", MEASURES["holdings"], 22_460, -3_282, None)
    assert total_sentence(figures).endswith("目標は設定されていません。")


def test_it_lists_only_falling_products_with_the_measure_as_subject():
    rows = [MeasureFigures(name, MEASURES["holdings"], 100, delta, None)
            for name, delta in (("火災共済", -4_789), ("長期共済", -4_661), ("総合（慶弔）共済", -8_121))]
    assert movers_sentence(rows) == (
        "保有件数が大きく減少した共済種目は、総合（慶弔）共済・前年同期比△8,121件、"
        "火災共済・同△4,789件、長期共済・同△4,661件です。"
    )


def test_it_ignores_unchanged_products_when_naming_movers():
    rows = [MeasureFigures("A", MEASURES["holdings"], 1, 0, None),
            MeasureFigures("B", MEASURES["holdings"], 1, None, None)]
    assert movers(rows) == ([], [])
    assert movers_sentence(rows) == ""


@pytest.mark.golden
def test_it_numbers_the_total_before_the_movers(national):
    groups = [national[(g, "掛金")] for g in ("総合共済", "団体生命共済", "マイカー共済", "自賠責共済", "その他")]
    sentences = measure_commentary(national[("合計", "掛金")], groups)
    assert sentences[0] == REPORT_PROSE["掛金"]
    assert sentences[1].startswith("受入共済掛金が大きく増加した共済種目は、マイカー共済・前年同期比+315,739千円です。")
    assert "その他・前年同期比△1,733,912千円、団体生命共済・同△190,539千円" in sentences[1]
