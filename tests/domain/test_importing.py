"""Reading result and target files (kyosai.domain.files.results; rules: kyosai.domain.importing)
without Django: every rule of issue 3."""

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyosai.domain.cells import MAX_INTEGER_DIGITS
from kyosai.domain.files.results import parse_results, parse_targets
from kyosai.domain.importing import (
    Reference,
    earlier_months,
    flow_warnings,
)
from kyosai.domain.measures import MEASURE_WORDS, MEASURES
from kyosai.domain.periods import YearMonth

HEADER = ["month", "branch", "union", "product", "measure", "value"]
NOV, OCT = YearMonth(2024, 11), YearMonth(2024, 10)


@pytest.fixture
def ref() -> Reference:
    words = {**{w: c for w, c in MEASURE_WORDS.items()}, **{c: c for c in MEASURES}}
    return Reference(
        branches={"14": "14", "東京": "14", "13": "13", "埼玉": "13"},
        unions={"140001": "14", "140002": "14", "130001": "13"},
        products={"general": "general", "総合共済": "general", "car": "car"},
        product_measures={"general": frozenset({"holdings", "units", "new_contracts", "premiums"}),
                          "car": frozenset({"holdings", "attachment_rate"})},
        measures=dict(MEASURES), measure_words=words, fiscal_years={2024: 6})


def records(*rows: str) -> list[tuple[int, list[str]]]:
    return [(line, row.split(",")) for line, row in enumerate(rows, start=2)]


def messages(problems) -> list[tuple[int | None, str | None, str]]:
    return [(p.line, p.column, p.message) for p in problems]


def test_it_groups_valid_rows_by_month_keyed_by_branch_union_product_and_measure(ref):
    parsed = parse_results(HEADER, records("2024-11,14,140001,general,holdings,120",
                                           "2024-10,14,,general,premiums,5"), ref)
    assert parsed.ok
    assert (parsed.rows_read, len(parsed)) == (2, 2)
    assert parsed.groups == {NOV: {("14", "140001", "general", "holdings"): 120},
                             OCT: {("14", None, "general", "premiums"): 5}}
    assert parsed.values[(NOV, "14", "140001", "general", "holdings")] == 120
    assert parsed.lines[(OCT, "14", None, "general", "premiums")] == 3


def test_it_reads_names_full_width_digits_and_spreadsheet_numbers(ref):
    rows = [(2, ["2024年11月", "東京", "１４０００１", "総合共済", "保有件数", "１２３"]),
            (3, ["2024/11", "14", "", "総合共済", "掛金", "1,234"]),
            (4, ["2024-11", "14", "", "general", "new_contracts", " 7 "]),
            (5, ["2024-11", "", "", "car", "付帯率", "58.92"])]
    parsed = parse_results(HEADER, rows, ref)
    assert parsed.ok, parsed.errors
    nov = parsed.groups[NOV]
    assert nov[("14", "140001", "general", "holdings")] == 123
    assert nov[("14", None, "general", "premiums")] == 1234
    assert nov[("14", None, "general", "new_contracts")] == 7
    assert nov[(None, None, "car", "attachment_rate")] == Decimal("58.92")


def test_a_union_without_a_branch_belongs_to_its_own_branch(ref):
    parsed = parse_results(HEADER, records("2024-11,,130001,general,holdings,1"), ref)
    assert list(parsed.groups[NOV]) == [("13", "130001", "general", "holdings")]


def test_it_reports_every_bad_cell_with_its_line_and_column_in_japanese(ref):
    parsed = parse_results(HEADER, records(
        "2024-11,99,,general,holdings,1",         # 2 unknown branch
        "2024-11,14,999999,general,holdings,1",   # 3 unknown union
        "2024-11,14,,nosuch,holdings,1",          # 4 unknown product
        "2024-11,14,,general,付帯率,1",            # 5 a measure the product lacks
        "2024-11,14,,general,holdings,abc",       # 6 not a number
        "2024-11,14,,general,units,1.5",          # 7 a fraction of a count
        "2024-11,14,,general,new_contracts,△3",   # 8 a negative count
        "2030-11,14,,general,holdings,1",         # 9 outside every fiscal year
        "2024-11,13,140001,general,holdings,1",   # 10 a union under the wrong branch
        "2024-13,14,,general,holdings,1",         # 11 not a month
        "2024-11,,,general,holdings,1",           # 12 a national row that is not a rate
        "2024-11,14,,general,premiums,1.5",       # 13 yen are whole
        "2024-11,14,,general,nosuch,1",           # 14 unknown measure
    ), ref)
    assert messages(parsed.errors) == [
        (2, "branch", "県支部が見つかりません: '99'"),
        (3, "union", "単組が見つかりません: '999999'"),
        (4, "product", "共済制度が見つかりません: 'nosuch'"),
        (5, "measure", "general には指標「付帯率」がありません"),
        (6, "value", "数値ではありません: 'abc'"),
        (7, "value", "口数は整数（口）で入力してください: '1.5'"),
        (8, "value", "新契約に負の値は入力できません: '△3'"),
        (9, "month", "2030-11 はどの事業年度にも含まれません"),
        (10, "union", "単組 140001 は県支部 14 の単組です（13 ではありません）"),
        (11, "month", "年月は YYYY-MM 形式で入力してください: '2024-13'"),
        (12, "branch", "県支部が空欄です（全国の行は付帯率などの率だけに使えます）"),
        (13, "value", "掛金は整数（円）で入力してください: '1.5'"),
        (14, "measure", "指標が見つかりません: 'nosuch'"),
    ]
    assert parsed.groups == {}


def test_a_row_with_several_bad_cells_reports_each_of_them(ref):
    parsed = parse_results(HEADER, records("2030-11,99,,nosuch,holdings,x"), ref)
    assert [(p.line, p.column) for p in parsed.errors] == [
        (2, "month"), (2, "branch"), (2, "product"), (2, "value")]


def test_the_same_bad_cell_on_many_rows_is_reported_on_each_row(ref):
    parsed = parse_results(HEADER, records(*["2024-11,99,,general,holdings,1"] * 3), ref)
    assert [p.line for p in parsed.errors] == [2, 3, 4]


def test_a_duplicate_key_names_the_first_line(ref):
    parsed = parse_results(HEADER, records("2024-11,14,140002,general,holdings,1",
                                           "2024-11,東京,140002,総合共済,件数,2"), ref)
    assert messages(parsed.errors) == [(3, None, "2行目と同じキーの行が重複しています")]


def test_a_blank_value_is_a_warning_and_the_row_is_skipped(ref):
    parsed = parse_results(HEADER, records("2024-11,14,140001,general,holdings,",
                                           "2024-11,14,140002,general,holdings,4"), ref)
    assert parsed.ok
    assert messages(parsed.warnings) == [(2, "value", "値が空欄のため、この行は取り込みません")]
    assert list(parsed.groups[NOV].values()) == [4]


def test_a_missing_column_is_reported_on_line_1_and_nothing_is_read(ref):
    parsed = parse_results(["month", "branch", "product", "measure"],
                           records("2024-11,14,general,holdings"), ref)
    assert messages(parsed.errors) == [(1, "value", "必須の列がありません（value / 実績 / 実績値 / 値）")]
    assert parsed.rows_read == 0


def test_japanese_headers_map_to_columns_and_name_them_in_messages(ref):
    header = ["年月", "県支部", "制度", "指標", "実績"]
    parsed = parse_results(header, records("2024-11,99,general,holdings,1"), ref)
    assert messages(parsed.errors) == [(2, "県支部", "県支部が見つかりません: '99'")]


def test_union_rows_that_do_not_add_up_to_their_branch_row_are_a_warning(ref):
    parsed = parse_results(HEADER, records("2024-11,14,,general,holdings,100",
                                           "2024-11,14,140001,general,holdings,60",
                                           "2024-11,14,,general,units,70",
                                           "2024-11,14,140001,general,units,30",
                                           "2024-11,14,140002,general,units,40"), ref)
    assert messages(parsed.warnings) == [
        (2, None, "県支部の行（100）と単組の合計（60）が一致しません")]


def test_a_flow_lower_than_the_month_before_in_the_file_is_a_warning(ref):
    parsed = parse_results(HEADER, records("2024-10,14,140001,general,new_contracts,10",
                                           "2024-11,14,140001,general,new_contracts,8",
                                           "2024-10,14,140001,general,holdings,10",
                                           "2024-11,14,140001,general,holdings,8"), ref)
    assert earlier_months(parsed, ref) == {OCT: YearMonth(2024, 9)}  # November's is in the file
    assert messages(flow_warnings(parsed, ref, {})) == [
        (3, None, "累計の実績が前月（2024-10: 10）より少なくなっています（8）")]


def test_a_flow_is_compared_with_the_stored_month_before_unless_the_file_has_it(ref):
    parsed = parse_results(HEADER, records("2024-11,14,140001,general,new_contracts,8",
                                           "2024-11,14,140002,general,new_contracts,8"), ref)
    assert earlier_months(parsed, ref) == {NOV: OCT}
    stored = {OCT: {("14", "140001", "general", "new_contracts"): 9,
                    ("14", "140002", "general", "new_contracts"): 7}}
    assert [p.line for p in flow_warnings(parsed, ref, stored)] == [2]


def test_a_new_fiscal_year_starts_its_flows_again(ref):
    ref = replace(ref, fiscal_years={2023: 6, 2024: 6}, _memo={})
    parsed = parse_results(HEADER, records("2024-06,14,140001,general,new_contracts,1"), ref)
    assert earlier_months(parsed, ref) == {}  # 2024-05 belongs to fiscal year 2023
    stored = {YearMonth(2024, 5): {("14", "140001", "general", "new_contracts"): 50}}
    assert flow_warnings(parsed, ref, stored) == []


def test_targets_group_by_year_and_kind_and_accept_national_rates(ref):
    header = ["年度", "目標種別", "県支部", "単組", "制度", "指標", "目標"]
    parsed = parse_targets(header, records("2024,機関目標,14,140001,general,holdings,100",
                                           "2024年度,自主目標,14,,general,holdings,130",
                                           "2024,,,,car,付帯率,58.92"), ref)
    assert parsed.ok, parsed.errors
    assert parsed.groups == {
        (2024, "official", 1, YearMonth(2024, 6)): {("14", "140001", "general", "holdings"): 100,
                             (None, None, "car", "attachment_rate"): Decimal("58.92")},
        (2024, "own", 1, YearMonth(2024, 6)): {("14", None, "general", "holdings"): 130}}
    assert (2024, "own", 1, YearMonth(2024, 6), "14", None, "general", "holdings") in parsed.values


def test_targets_reject_unknown_years_and_kinds(ref):
    header = ["fiscal_year", "kind", "branch", "union", "product", "measure", "value"]
    parsed = parse_targets(header, records("2030,official,14,,general,holdings,1",
                                           "24,official,14,,general,holdings,1",
                                           "2024,stretch,14,,general,holdings,1"), ref)
    assert messages(parsed.errors) == [
        (2, "fiscal_year", "2030年度は登録されていません"),
        (3, "fiscal_year", "年度は 2024 のように入力してください: '24'"),
        (4, "kind", "目標種別は official（機関目標）か own（自主目標）です: 'stretch'"),
    ]


@given(st.integers(min_value=0, max_value=10**MAX_INTEGER_DIGITS - 1))  # the one bound
def test_a_count_reads_the_same_plain_or_with_separators_or_full_width(value):
    ref = Reference(branches={"14": "14"}, unions={}, products={"general": "general"},
                    product_measures={"general": frozenset({"holdings"})},
                    measures=dict(MEASURES), measure_words={"holdings": "holdings"},
                    fiscal_years={2024: 6})
    spellings = [str(value), f"{value:,}", str(value).translate(
        str.maketrans("0123456789", "０１２３４５６７８９"))]
    for text in spellings:
        parsed = parse_results(HEADER, [(2, ["2024-11", "14", "", "general", "holdings", text])],
                               ref)
        assert parsed.groups[NOV][("14", None, "general", "holdings")] == value
        assert type(parsed.groups[NOV][("14", None, "general", "holdings")]) is int
