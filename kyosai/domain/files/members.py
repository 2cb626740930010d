"""Reading the union master, roster and contract files: header mapping and per-row checks. No ORM.

The service streams (line, cells) records through a `RowReader`; each row comes back as a tuple
of clean values or as located problems (CellProblem), in Japanese, naming line and column and
never the person's name. Checks needing the whole file or the database (the same key twice, a
contract for an unknown member) are the service's, set-based.
"""

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kyosai.domain.cells import MAX_COUNT, NotANumber, parse_integer
from kyosai.domain.codes import UNION_CODE_MAX, UNION_NAME_MAX, branch_code
from kyosai.domain.dates import InvalidDate, parse_date, parse_year_month_date
from kyosai.domain.members import Employment, Insured
from kyosai.domain.problems import CellProblem

__all__ = [
    "CONTRACT_COLUMNS",
    "MEMBER_COLUMNS",
    "MYCAR",
    "UNION_COLUMNS",
    "RowReader",
    "contract_row",
    "member_row",
    "parse_flag",
    "union_row",
]

#: identifier → accepted header labels; the first label is the identifier itself.
UNION_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "単組コード", "コード"),
    "name": ("name", "単組名", "名称"),
    "branch": ("branch", "県支部", "県支部コード", "支部"),
    "members": ("members", "組合員数"),
    "officers": ("officers", "役員数"),
    "active": ("active", "有効", "状態"),
}
UNION_REQUIRED = ("code", "name", "branch")
MEMBER_COLUMNS: dict[str, tuple[str, ...]] = {
    "union": ("union", "単組", "単組コード"),
    "member_no": ("member_no", "組合員番号", "番号"),
    "name": ("name", "氏名"),
    "kana": ("kana", "フリガナ", "氏名カナ", "カナ"),
    "birth_date": ("birth_date", "生年月日"),
    "gender": ("gender", "性別"),
    "hired_on": ("hired_on", "採用日", "採用年月日"),
    "joined_on": ("joined_on", "生協加入日", "加入日"),
    "employment": ("employment", "雇用区分", "任用区分"),
    "reemployment_ends_on": ("reemployment_ends_on", "再任用終了日", "任期満了日"),
    "officer": ("officer", "役員"),
    "left_on": ("left_on", "脱退日", "退職日"),
}
MEMBER_REQUIRED = ("union", "member_no", "name")
#: Columns whose values never appear in a message, a log or an audit entry.
PERSONAL_COLUMNS = frozenset({"name", "kana", "birth_date"})
CONTRACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "contract_no": ("contract_no", "契約番号", "証書番号"),
    "union": MEMBER_COLUMNS["union"],
    "member_no": MEMBER_COLUMNS["member_no"],
    "product": ("product", "制度", "共済制度", "制度コード"),
    "insured": ("insured", "被共済者", "続柄"),
    "started_on": ("started_on", "発効日", "契約日"),
    "ended_on": ("ended_on", "消滅日", "終了日"),
    "units": ("units", "口数"),
    "premium": ("premium", "月額掛金", "掛金"),
    "vehicle_registered": ("vehicle_registered", "初度登録年月"),
    "vehicle_inspected_on": ("vehicle_inspected_on", "前回車検日"),
}
CONTRACT_REQUIRED = ("contract_no", "union", "member_no", "product", "started_on")
#: The only product with vehicle fields.
MYCAR = "mycar"

_TRUE = {"1", "○", "〇", "◯", "true", "yes", "有効", "はい", "y"}
_FALSE = {"0", "", "×", "false", "no", "無効", "いいえ", "n", "-"}
_EMPLOYMENT = {
    **{e.value: e for e in Employment},
    "正規": Employment.REGULAR, "正職員": Employment.REGULAR,
    "再任用・再雇用": Employment.REEMPLOYED, "再任用": Employment.REEMPLOYED,
    "再雇用": Employment.REEMPLOYED, "会計年度任用": Employment.APPOINTEE,
    "会計年度任用職員": Employment.APPOINTEE, "その他": Employment.OTHER,
}
_INSURED = {**{i.value: i for i in Insured}, "本人": Insured.SELF, "配偶者": Insured.SPOUSE,
            "子": Insured.CHILD, "こども": Insured.CHILD}
_GENDER = {"男": "male", "男性": "male", "m": "male", "male": "male",
           "女": "female", "女性": "female", "f": "female", "female": "female", "": ""}


def _norm(text: str | None) -> str:
    if not text:
        return ""
    return text.strip() if text.isascii() else unicodedata.normalize("NFKC", text).strip()


def parse_flag(text: str | None) -> bool | None:
    """1/0, ○/×, blank = 0; None for anything else."""
    value = _norm(text).lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


Problems = list[tuple[str, str]]  # (column identifier, message)


@dataclass(slots=True)
class RowReader:
    """A file's header mapped to identifiers; `cell(cells, ident)` reads one cell ('' if absent)."""

    spec: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    at: dict[str, int] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)  # identifier → header as written
    errors: list[CellProblem] = field(default_factory=list)

    @classmethod
    def for_header(cls, header: list[str], spec: dict[str, tuple[str, ...]],
                   required: tuple[str, ...]) -> "RowReader":
        reader = cls(spec, required)
        cleaned = {_norm(h).lower(): i for i, h in enumerate(header)}
        for ident, labels in spec.items():
            found = next((cleaned[label.lower()] for label in labels
                          if label.lower() in cleaned), None)
            if found is not None:
                reader.at[ident] = found
                reader.columns[ident] = header[found]
            elif ident in required:
                reader.errors.append(CellProblem(
                    1, labels[0], f"必須の列がありません（{' / '.join(labels)}）"))
        return reader

    def label(self, ident: str) -> str:
        return self.columns.get(ident, ident)

    def cell(self, cells: list[str], ident: str) -> str:
        index = self.at.get(ident)
        return _norm(cells[index]) if index is not None else ""

    def text(self, cells: list[str], ident: str) -> str:
        """A name as written (only trimmed): full-width brackets stay as the report prints them."""
        index = self.at.get(ident)
        return cells[index].strip() if index is not None else ""

    def located(self, line: int, problems: Problems) -> list[CellProblem]:
        return [CellProblem(line, self.label(ident), message) for ident, message in problems]


def _date(reader: RowReader, cells: list[str], ident: str, problems: Problems, *,
          quote: bool = True) -> date | None:
    """A date cell; `quote=False` says what is wrong without repeating the cell (the roster's
    cells may hold a name, a kana or a birth date, even in another column of a broken row)."""
    try:
        return parse_date(reader.cell(cells, ident))
    except InvalidDate as exc:
        if ident in PERSONAL_COLUMNS:
            problems.append((ident, "生年月日が日付として読めないか、存在しない日付です"))
        else:
            problems.append((ident, str(exc) if quote else exc.reason))
        return None


def _count(reader: RowReader, cells: list[str], ident: str, problems: Problems,
           what: str) -> int | None:
    text = reader.cell(cells, ident)
    if text.isdigit() and text.isascii() and len(text) <= 9:  # the common case, without Decimal
        return int(text)
    try:
        value = parse_integer(text)
    except NotANumber as exc:
        problems.append((ident, str(exc)))
        return None
    if value is not None and value < 0:
        problems.append((ident, f"{what}に負の値は入力できません"))
        return None
    if value is not None and value > MAX_COUNT:
        problems.append((ident, f"{what}が大きすぎます（{MAX_COUNT:,} まで）: {value:,}"))
        return None
    return value


UnionRow = tuple[str, str, str, int | None, int | None, bool]


def union_row(reader: RowReader, cells: list[str],
              branches: Mapping[str, str]) -> tuple[UnionRow | None, Problems]:
    """(code, name, branch code, members, officers, active)."""
    problems: Problems = []
    code = reader.cell(cells, "code")
    name = reader.text(cells, "name")
    branch_text = reader.cell(cells, "branch")
    if not code:
        problems.append(("code", "単組コードが空欄です"))
    elif len(code) > UNION_CODE_MAX:
        problems.append(("code", f"単組コードが長すぎます（{UNION_CODE_MAX}文字まで）"))
    if not name:
        problems.append(("name", "単組名が空欄です"))
    elif len(name) > UNION_NAME_MAX:
        problems.append(("name", f"単組名が長すぎます（{UNION_NAME_MAX}文字まで）"))
    typed_code = branch_code(branch_text)
    branch = branches.get(branch_text) or (
        branches.get(typed_code) if typed_code is not None else None)
    if branch is None:
        problems.append(("branch", f"県支部が見つかりません: {branch_text!r}"))
    members = _count(reader, cells, "members", problems, "組合員数")
    officers = _count(reader, cells, "officers", problems, "役員数")
    active = parse_flag(reader.cell(cells, "active")) if "active" in reader.at and reader.cell(
        cells, "active") else True
    if active is None:
        problems.append(("active", "有効は 1（有効）か 0（無効）で入力してください"))
    if problems:
        return None, problems
    return (code, name, branch, members, officers, bool(active)), problems  # type: ignore[return-value]


MemberRow = tuple[str, str, str, str, date | None, str, date | None, date | None, str,
                  date | None, bool, date | None]


def member_row(reader: RowReader, cells: list[str],
               unions: Mapping[str, Any]) -> tuple[MemberRow | None, Problems]:
    """(union, member_no, name, kana, birth_date, gender, hired_on, joined_on, employment,
    reemployment_ends_on, officer, left_on). Messages never quote a cell: in a broken row the
    name, kana or birth date may stand in any column."""
    problems: Problems = []
    union = reader.cell(cells, "union")
    if union not in unions:
        problems.append(("union", "単組が見つかりません（単組コードを確認してください）"))
    member_no = reader.cell(cells, "member_no")
    if not member_no:
        problems.append(("member_no", "組合員番号が空欄です"))
    elif len(member_no) > 32:
        problems.append(("member_no", "組合員番号が長すぎます（32文字まで）"))
    name = reader.text(cells, "name")
    if not name:
        problems.append(("name", "氏名が空欄です"))
    elif len(name) > 100:
        problems.append(("name", "氏名が長すぎます（100文字まで）"))
    kana = reader.cell(cells, "kana")
    if len(kana) > 100:
        problems.append(("kana", "フリガナが長すぎます（100文字まで）"))
    birth = _date(reader, cells, "birth_date", problems, quote=False)
    gender = _GENDER.get(reader.cell(cells, "gender").lower())
    if gender is None:
        problems.append(("gender", "性別は 男・女 または空欄で入力してください"))
    hired = _date(reader, cells, "hired_on", problems, quote=False)
    joined = _date(reader, cells, "joined_on", problems, quote=False)
    employment_text = reader.cell(cells, "employment")
    employment = _EMPLOYMENT.get(employment_text.lower() if employment_text.isascii()
                                 else employment_text) if employment_text else Employment.REGULAR
    if employment is None:
        problems.append(("employment", "雇用区分は regular（正規）・reemployed（再任用・再雇用）・"
                                       "appointee（会計年度任用）・other のいずれかです"))
    reemployment_ends = _date(reader, cells, "reemployment_ends_on", problems, quote=False)
    officer = parse_flag(reader.cell(cells, "officer"))
    if officer is None:
        problems.append(("officer", "役員は 1（○）か 0（空欄）で入力してください"))
    left = _date(reader, cells, "left_on", problems, quote=False)
    if left is not None and hired is not None and left < hired:
        problems.append(("left_on", "脱退日が採用日より前です"))
    if birth is not None and hired is not None and hired < birth:
        problems.append(("hired_on", "採用日が生年月日より前です"))
    if problems:
        return None, problems
    return (union, member_no, name, kana, birth, gender, hired, joined,  # type: ignore[return-value]
            str(employment), reemployment_ends, bool(officer), left), problems


ContractRow = tuple[str, str, str, str, str, date, date | None, int, int, date | None,
                    date | None]


def contract_row(reader: RowReader, cells: list[str], unions: Mapping[str, Any],
                 product: Callable[[str], str | None]) -> tuple[ContractRow | None, Problems]:
    """(contract_no, union, member_no, product code, insured, started_on, ended_on, units,
    premium, vehicle_registered (first of month), vehicle_inspected_on)."""
    problems: Problems = []
    contract_no = reader.cell(cells, "contract_no")
    if not contract_no:
        problems.append(("contract_no", "契約番号が空欄です"))
    elif len(contract_no) > 32:
        problems.append(("contract_no", "契約番号が長すぎます（32文字まで）"))
    union = reader.cell(cells, "union")
    if union not in unions:
        problems.append(("union", f"単組が見つかりません: {union!r}"))
    member_no = reader.cell(cells, "member_no")
    if not member_no:
        problems.append(("member_no", "組合員番号が空欄です"))
    product_text = reader.cell(cells, "product")
    code = product(product_text)
    if code is None:
        problems.append(("product", f"共済制度が見つかりません: {product_text!r}"))
    insured_text = reader.cell(cells, "insured")
    insured = _INSURED.get(insured_text.lower() if insured_text.isascii() else insured_text
                           ) if insured_text else Insured.SELF
    if insured is None:
        problems.append(("insured", "被共済者は self（本人）・spouse（配偶者）・child（子）のいずれかです"))
    started = _date(reader, cells, "started_on", problems)
    if started is None and not any(ident == "started_on" for ident, _ in problems):
        problems.append(("started_on", "発効日が空欄です"))
    ended = _date(reader, cells, "ended_on", problems)
    if started is not None and ended is not None and ended < started:
        problems.append(("ended_on", "消滅日が発効日より前です"))
    units = _count(reader, cells, "units", problems, "口数")
    premium = _count(reader, cells, "premium", problems, "掛金")
    registered_text = reader.cell(cells, "vehicle_registered")
    inspected_text = reader.cell(cells, "vehicle_inspected_on")
    registered = inspected = None
    if (registered_text or inspected_text) and code is not None and code != MYCAR:
        ident = "vehicle_registered" if registered_text else "vehicle_inspected_on"
        problems.append((ident, "車両の項目はマイカー共済の契約にだけ入力できます"))
    else:
        try:
            registered = parse_year_month_date(registered_text)
        except InvalidDate as exc:
            problems.append(("vehicle_registered", str(exc)))
        inspected = _date(reader, cells, "vehicle_inspected_on", problems)
    if problems:
        return None, problems
    return (contract_no, union, member_no, code, str(insured), started, ended,  # type: ignore[return-value]
            units or 0, premium or 0, registered, inspected), problems
