"""The row loop's shortcut for a plain row (known cells, digits only) against its full checks:
boundaries of what takes the shortcut (kyosai.domain.files.results._parse)."""

from decimal import Decimal

import pytest

from kyosai.domain.cells import MAX_INTEGER_DIGITS
from kyosai.domain.files.results import parse_results, parse_targets
from kyosai.domain.importing import Reference
from kyosai.domain.measures import MEASURE_WORDS, MEASURES
from kyosai.domain.periods import YearMonth

HEADER = ["month", "branch", "union", "product", "measure", "value"]
NOV = YearMonth(2024, 11)


@pytest.fixture
def ref() -> Reference:
    words = {**{w: c for w, c in MEASURE_WORDS.items()}, **{c: c for c in MEASURES}}
    return Reference(
        branches={"14": "14", "13": "13"}, unions={"140001": "14"},
        products={"general": "general", "car": "car"},
        product_measures={"general": frozenset({"holdings", "premiums"}),
                          "car": frozenset({"holdings", "attachment_rate"})},
        measures=dict(MEASURES), measure_words=words, fiscal_years={2024: 6})


def test_the_longest_whole_number_is_read_and_one_digit_more_refused(ref):
    longest, longer = "9" * MAX_INTEGER_DIGITS, "9" * (MAX_INTEGER_DIGITS + 1)
    parsed = parse_results(HEADER, [(2, ["2024-11", "14", "", "general", "premiums", longest]),
                                    (3, ["2024-11", "13", "", "general", "premiums", longer])],
                           ref)
    assert [(p.line, p.column) for p in parsed.errors] == [(3, "value")]
    assert "大きすぎます" in parsed.errors[0].message


def test_digits_that_are_not_plain_ascii_take_the_full_checks(ref):
    parsed = parse_results(HEADER, [(2, ["2024-11", "14", "", "general", "premiums", "１２"]),
                                    (3, ["2024-11", "13", "", "general", "premiums", " 7 "]),
                                    (4, ["2024-11", "14", "", "general", "holdings", "7.0"])],
                           ref)
    assert parsed.ok, parsed.errors
    assert parsed.groups[NOV] == {("14", None, "general", "premiums"): 12,
                                  ("13", None, "general", "premiums"): 7,
                                  ("14", None, "general", "holdings"): 7}


def test_a_plain_national_row_is_a_rate_or_an_error(ref):
    parsed = parse_results(HEADER, [(2, ["2024-11", "", "", "car", "付帯率", "58"]),
                                    (3, ["2024-11", "", "", "car", "holdings", "58"])], ref)
    assert [(p.line, p.column) for p in parsed.errors] == [(3, "branch")]
    rate = parse_results(HEADER, [(2, ["2024-11", "", "", "car", "付帯率", "58"])], ref)
    value = rate.groups[NOV][(None, None, "car", "attachment_rate")]
    assert (type(value), value) == (Decimal, Decimal(58))


def test_a_plain_row_after_a_bad_row_with_the_same_cells_is_still_checked(ref):
    rows = [(2, ["2024-11", "99", "", "general", "premiums", "x"]),
            (3, ["2024-11", "99", "", "general", "premiums", "5"]),
            (4, ["2024-11", "14", "", "general", "premiums", "5"])]
    parsed = parse_results(HEADER, rows, ref)
    assert [(p.line, p.column) for p in parsed.errors] == [
        (2, "branch"), (2, "value"), (3, "branch")]


def test_a_file_without_a_union_column_reads_branch_rows(ref):
    header = ["month", "branch", "product", "measure", "value"]
    parsed = parse_results(header, [(2, ["2024-11", "14", "general", "premiums", "7"])], ref)
    assert parsed.groups == {NOV: {("14", None, "general", "premiums"): 7}}


def test_targets_without_revision_columns_read_blank_cells_as_the_first_revision(ref):
    header = ["fiscal_year", "kind", "branch", "product", "measure", "value"]
    parsed = parse_targets(header, [(2, ["2024", "", "14", "general", "premiums", "7"])], ref)
    assert parsed.groups == {(2024, "official", 1, YearMonth(2024, 6)):
                             {("14", None, "general", "premiums"): 7}}
