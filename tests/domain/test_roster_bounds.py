"""A value in the union, roster or contract files fits its column, or is refused at its cell.

The fast path for plain digits once skipped every bound: a 26-digit 掛金 reached PostgreSQL's
integer column and failed the import with a database error instead of a located message.
"""

import pytest

from kyosai.domain.cells import MAX_COUNT
from kyosai.domain.codes import UNION_CODE_MAX, UNION_NAME_MAX
from kyosai.domain.files.members import (
    CONTRACT_COLUMNS,
    UNION_COLUMNS,
    RowReader,
    contract_row,
    union_row,
)

CONTRACT_HEADER = ["contract_no", "union", "member_no", "product", "insured", "started_on",
                   "units", "premium"]


def contract(units: str, premium: str):
    reader = RowReader.for_header(CONTRACT_HEADER, CONTRACT_COLUMNS, ())
    cells = ["C001", "140001", "1", "general", "self", "2015-06-01", units, premium]
    return contract_row(reader, cells, {"140001": 1}, {"general": "general"}.get)


def union(members: str, code: str = "140001", name: str = "職員労働組合"):
    header = ["code", "name", "branch", "members", "officers"]
    reader = RowReader.for_header(header, UNION_COLUMNS, ())
    return union_row(reader, [code, name, "14", members, "0"], {"14": "14"})


@pytest.mark.parametrize("text", [str(MAX_COUNT), "2,147,483,647", "０", "999999999"])
def test_the_largest_count_is_read(text):
    row, problems = contract(text, text)
    assert problems == []
    assert row is not None
    assert row[7] == row[8] == int(text.replace(",", "").replace("０", "0"))


@pytest.mark.parametrize("text", [str(MAX_COUNT + 1), "9" * 10, "9" * 15, "2,147,483,648"])
def test_one_more_is_refused_at_its_cell_in_japanese(text):
    row, problems = contract("1", text)
    assert row is None
    assert problems == [("premium", f"掛金が大きすぎます（2,147,483,647 まで）: {int(text.replace(',', '')):,}")]


def test_a_number_past_every_bound_is_refused_too():
    row, problems = contract("9" * 26, "1")
    assert row is None
    assert [ident for ident, _ in problems] == ["units"]
    assert "数値が大きすぎます" in problems[0][1]


def test_union_counts_are_bounded_the_same_way():
    assert union(str(MAX_COUNT))[1] == []
    row, problems = union(str(MAX_COUNT + 1))
    assert row is None
    assert problems == [("members", "組合員数が大きすぎます（2,147,483,647 まで）: 2,147,483,648")]


def test_a_union_code_and_name_fit_their_columns():
    assert union("1", code="1" * UNION_CODE_MAX, name="組" * UNION_NAME_MAX)[1] == []
    assert union("1", code="1" * (UNION_CODE_MAX + 1))[1] == [
        ("code", f"単組コードが長すぎます（{UNION_CODE_MAX}文字まで）")]
    assert union("1", name="組" * (UNION_NAME_MAX + 1))[1] == [
        ("name", f"単組名が長すぎます（{UNION_NAME_MAX}文字まで）")]
