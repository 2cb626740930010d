"""The report's sentences of Ⅱ.2, generated from the golden national table's figures."""

import csv
from dataclasses import replace
from decimal import Decimal

import pytest

from kyosai.domain.achievement import achievement_pct
from kyosai.domain.commentary import (
    MeasureFigures,
    listing_sentence,
    measure_commentary,
    movers,
    movers_sentence,
    own_target_sentence,
    product_sentence,
    total_sentence,
)
from kyosai.domain.evaluation import pace_pct
from kyosai.domain.measures import MEASURES, measure_for_word
from kyosai.domain.periods import FiscalCalendar, YearMonth
from kyosai.domain.rollup import scorecard_row


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
        "大きく減少した共済種目は、団体生命共済・同△1,762,611口、その他・同△1,007,241口です。"
    )


@pytest.mark.golden
def test_it_reaches_the_prior_years_loading_exactly_at_the_pace(national):
    total = national[("合計", "付加")]
    # the report's own target: 前年度実績 10,269,401千円; 5,135,260 / 10,269,401 = 50.0059 %
    own = replace(total, target=10_269_401, achievement_pct=achievement_pct(total.actual, 10_269_401))
    assert own_target_sentence(own) == (
        "なお、前年度の予定付加掛金実績（10,269,401千円）に対する到達率は、50.00%であり、"
        "経過期間に応じた到達目安（50.00%）に到達しています。"
    )


def _own(actual_yen: int, own_target_yen: int | None, as_of: YearMonth) -> MeasureFigures:
    """The 付加 合計 against an own target, evaluated as the scorecard does (yen → 千円)."""
    row = scorecard_row(label="合計", code="total", measure=MEASURES["loading"], as_of=as_of,
                        calendar=FiscalCalendar(6), actual=actual_yen, target=own_target_yen,
                        previous=None, is_total=True)
    return MeasureFigures(row.label, row.spec, row.actual, row.change, row.achievement_pct,
                          row.pace_pct, row.target)


def test_the_own_target_sentence_is_printed_only_where_an_own_target_exists():
    assert own_target_sentence(None) == ""
    assert own_target_sentence(_own(3_000_000_000, None, YearMonth(2025, 2))) == ""


@pytest.mark.parametrize(("actual_yen", "printed", "verdict"), [
    (2_000_000_000, "50.00%", "に到達しています。"),      # exactly the pace (2024-11: 6/12)
    (1_999_999_999, "49.99%", "に未達です。"),            # one yen short of it
    (2_000_400_000, "50.01%", "を超えています。"),
])
def test_the_own_target_sentence_at_the_pace_boundary(actual_yen, printed, verdict):
    own = _own(actual_yen, 4_000_000_000, YearMonth(2024, 11))
    assert own_target_sentence(own) == (
        f"なお、前年度の予定付加掛金実績（4,000,000千円）に対する到達率は、{printed}であり、"
        f"経過期間に応じた到達目安（50.00%）{verdict}"
    )


def _composite(actual_yen: int, target_yen: int, previous_yen: int) -> MeasureFigures:
    """新団体年金共済's 掛金 row, evaluated as the scorecard evaluates a composite's summed yen."""
    row = scorecard_row(label="新団体年金共済（長期共済・税制適格年金・退職後共済年金本人等）",
                        code="new_group_pension", measure=MEASURES["premiums"],
                        as_of=YearMonth(2025, 2), calendar=FiscalCalendar(6), actual=actual_yen,
                        target=target_yen, previous=previous_yen)
    return MeasureFigures(row.label, row.spec, row.actual, row.change, row.achievement_pct,
                          row.pace_pct, row.target)


def test_a_composite_that_fell_is_named_with_its_change_and_achievement():
    # 1,234,567,890 − 1,500,000,000 = △265,432,110 円 → △265,432千円; 1,234,567,890 / 3,000,000,000
    figures = _composite(1_234_567_890, 3_000_000_000, 1_500_000_000)
    assert product_sentence(figures) == (
        "新団体年金共済（長期共済・税制適格年金・退職後共済年金本人等）は、前年同期比△265,432千円"
        "（目標到達率41.15%）となっています。")


def test_a_composite_that_rose_is_named_with_a_plus_sign():
    figures = replace(_composite(812_000_499, 900_000_000, 800_000_000), label="新団体年金共済")
    assert product_sentence(figures) == (
        "新団体年金共済は、前年同期比+12,000千円（目標到達率90.22%）となっています。")


def test_a_composite_with_a_zero_target_is_printed_without_an_achievement():
    figures = replace(_composite(5_000_000, 0, 7_000_000), label="新団体年金共済")
    assert figures.achievement_pct is None
    assert product_sentence(figures) == "新団体年金共済は、前年同期比△2,000千円となっています。"


def test_a_composite_in_a_listing_after_the_risers_is_given_the_same_lead():
    rows = [MeasureFigures(name, MEASURES["units"], 100, delta, None)
            for name, delta in (("マイカー共済", 51_000), ("団体生命共済", -7_000),
                                ("長期系共済", -2_500))]
    assert listing_sentence(rows) == (
        "保有口数が大きく増加した共済種目は、マイカー共済・前年同期比+51,000口です。"
        "大きく減少した共済種目は、団体生命共済・同△7,000口、長期系共済・同△2,500口です。")


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
    assert "その他・同△1,733,912千円、団体生命共済・同△190,539千円" in sentences[1]
