"""Issue 11 item 12: every importer fed random and mutated files (hypothesis).

Each command — `kyosai import results|targets|appendix|plan|events` — either imports the file or
stops with exit 2 and messages naming the file (and the line where there is one); it never ends in
a traceback and never writes part of a file: the rows of every table are counted before and after
each refused import. Files are built from valid seeds and then broken: cells replaced by huge
numbers, formulas, long or odd text, duplicated keys and rows, other encodings, and bytes
overwritten, inserted, deleted or cut off. Example counts are bounded (MAX_EXAMPLES each) so the
suite stays fast.
"""

import copy
import csv
import io
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from kyosai.org.models import Branch, Union

pytestmark = pytest.mark.django_db

#: Bounded for the suite; KYOSAI_FUZZ_EXAMPLES=500 runs a deeper search locally.
MAX_EXAMPLES = int(os.getenv("KYOSAI_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
HUGE = ["9" * 15, "9" * 16, "1" * 26, "1e30", "-1e20", "1E-99999999", "0.001", "△" + "9" * 20,
        "1,000,000,000,000,000", "１２３", "NaN", "Infinity", "-0"]
ODD = ["", " ", "x" * 300, "合計", "総合計", "全国計", "未実施", "\x00", "'", '"', "\ufeff", "①"]


# ── the harness ──────────────────────────────────────────────────────────────


def table_counts() -> dict[str, int]:
    """Rows of every table of the database, as one import may change them."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for name in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(name)}")
            counts[name] = cursor.fetchone()[0]
    return counts


def run_import(command: str, path: Path, *args: str) -> str:
    """Run an import command: 'imported', or 'refused' (exit 2, messages, nothing written)."""
    out, err = io.StringIO(), io.StringIO()
    before = table_counts()
    refusal: CommandError | None = None
    try:
        call_command(command, *args, stdout=out, stderr=err, verbosity=0)
    except CommandError as exc:
        refusal = exc
    if refusal is not None:
        assert refusal.returncode == 2, f"exit {refusal.returncode}: {refusal}"
        assert table_counts() == before, "a refused file wrote rows"
        messages = [line for line in (str(refusal) + "\n" + err.getvalue()).splitlines()
                    if line.strip()]
        assert messages
        # every message names the file (the harness gives it a name no message has otherwise)
        assert any(path.name in line for line in messages), messages
        assert "Traceback" not in err.getvalue()
        _count("refused")
        return "refused"
    _count("imported")
    return "imported"


def _count(outcome: str) -> None:
    """Tally the outcome for --hypothesis-show-statistics (outside a property: nothing)."""
    if currently_in_test_context():
        event(outcome)


@st.composite
def byte_mutations(draw: Any, data: bytes) -> bytes:
    """`data` with up to three random edits: bytes overwritten, inserted or deleted, a line
    doubled or dropped, the end cut off."""
    for _ in range(draw(st.integers(0, 3))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["overwrite", "insert", "delete", "double", "drop", "cut"]))
        if kind == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=8))
            data = data[:at] + chunk + data[at + len(chunk):]
        elif kind == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 16)):]
        elif kind in ("double", "drop"):
            lines = data.split(b"\n")
            index = at % len(lines)
            lines[index:index + 1] = [lines[index]] * (2 if kind == "double" else 0)
            data = b"\n".join(lines)
        else:
            data = data[:at]
    return data


def cell_values(pool: list[str]) -> st.SearchStrategy[str]:
    """A cell: mostly a value the importer knows, else something hostile."""
    return st.one_of(
        st.sampled_from(pool), st.sampled_from(pool), st.sampled_from(FORMULAS),
        st.sampled_from(HUGE), st.sampled_from(ODD),
        st.integers(-(10 ** 30), 10 ** 30).map(str),
        st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str),
        st.text(max_size=12))


def csv_bytes(header: list[str], rows: list[list[str]], encoding: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


def xlsx_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in [header, *rows]:
        book.active.append([_xlsx_value(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return _frozen(buffer.getvalue())


def _frozen(raw: bytes) -> bytes:
    """The workbook with fixed times (openpyxl stamps now): the same draw, the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-01-01T00:00:00Z", data)
            archive.writestr(zipfile.ZipInfo(item.filename, (2024, 1, 1, 0, 0, 0)), data,
                             zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _xlsx_value(value: Any) -> Any:
    """Numbers as numbers where they are (huge ones too), text as text, control characters out."""
    if isinstance(value, str):
        try:
            number = int(value)
        except ValueError:
            return "".join(ch for ch in value if ch >= " " or ch in "\t\n") or None
        return number if abs(number) < 10 ** 300 else value
    return value


@st.composite
def table_file(draw: Any, header: list[str], pools: dict[str, list[str]],
               seed_rows: list[list[str]]) -> tuple[str, bytes]:
    """(suffix, bytes) of a CSV or xlsx table: seed rows and drawn rows, with a header that may
    lose, double or rename a column, cells replaced, rows doubled (duplicate keys), bytes broken."""
    columns = list(header)
    edit = draw(st.sampled_from(["keep", "keep", "drop", "double", "rename"]))
    if edit == "drop":
        columns.pop(draw(st.integers(0, len(columns) - 1)))
    elif edit == "double":
        columns.append(draw(st.sampled_from(columns)))
    elif edit == "rename":
        columns[draw(st.integers(0, len(columns) - 1))] = draw(st.sampled_from(ODD + FORMULAS))
    rows = [list(row) for row in draw(st.lists(st.sampled_from(seed_rows), max_size=4))]
    for _ in range(draw(st.integers(0, 4))):
        rows.append([draw(cell_values(pools.get(column, []) or ODD)) for column in header])
    for row in rows:
        for _ in range(draw(st.integers(0, 2))):
            row[draw(st.integers(0, len(row) - 1))] = draw(cell_values(ODD))
        if draw(st.integers(0, 9)) == 0:
            del row[draw(st.integers(0, len(row) - 1)):]  # a short row
    if rows and draw(st.booleans()):
        rows.append(list(rows[0]))  # the same key twice
    by_name = {name: i for i, name in enumerate(header)}
    body = [[row[by_name[c]] if c in by_name and by_name[c] < len(row) else "" for c in columns]
            for row in rows]
    if draw(st.integers(0, 3)) == 0:
        return ".xlsx", draw(st.one_of(st.just(xlsx_bytes(columns, body)),
                                       byte_mutations(xlsx_bytes(columns, body))))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp932", "utf-16"]))
    data = csv_bytes(columns, body, encoding)
    if draw(st.booleans()):
        data = draw(byte_mutations(data))
    return ".csv", data


def write(tmp_path: Path, suffix: str, data: bytes) -> Path:
    path = tmp_path / f"fuzzed-input{suffix}"
    path.write_bytes(data)
    return path


# ── the federation every example is checked against ────────────────────────────


@pytest.fixture
def federation(db):
    call_command("init", stdout=io.StringIO())
    tokyo = Branch.objects.get(code="14")
    Union.objects.create(code="140001", name="東京都職員労働組合", branch=tokyo)
    Union.objects.create(code="140002", name="八王子市職員労働組合", branch=tokyo)
    Union.objects.create(code="130001", name="埼玉県職員労働組合", branch=Branch.objects.get(code="13"))


# ── targets and results ─────────────────────────────────────────────────────


SCOPES = {
    "branch": ["14", "13", "東京", "1", "99", ""],
    "union": ["140001", "140002", "130001", "", "999999"],
    "product": ["general", "vehicle_damage", "nosuch", "総合（慶弔）共済", "マイカー共済"],
    "measure": ["holdings", "premiums", "new_contracts", "units", "attachment_rate", "付帯率", "x"],
    "value": ["1", "120", "1,234", "△3", "58.95", "0", "", "12.5"],
}
RESULTS = ["month", "branch", "union", "product", "measure", "value"]
RESULT_POOLS = {**SCOPES, "month": ["2024-11", "2024/06", "2024年12月", "2030-01", "2024-13", ""]}
RESULT_SEEDS = [["2024-11", "14", "140001", "general", "holdings", "120"],
                ["2024-11", "14", "", "general", "premiums", "1,234"],
                ["2024-10", "14", "140002", "general", "new_contracts", "5"],
                ["2024-11", "", "", "vehicle_damage", "attachment_rate", "58.95"]]
TARGETS = ["fiscal_year", "kind", "branch", "union", "product", "measure", "value"]
TARGET_POOLS = {**SCOPES, "fiscal_year": ["2024", "2023", "2099", "二〇二四", ""],
                "kind": ["official", "own", "機関目標", "自主目標", "", "other"]}
TARGET_SEEDS = [["2024", "official", "14", "140001", "general", "holdings", "1,300"],
                ["2024", "own", "14", "", "general", "new_contracts", "650"]]


@FUZZ
@given(file=table_file(RESULTS, RESULT_POOLS, RESULT_SEEDS), dry_run=st.booleans())
def test_results_import_or_refuse_with_located_messages(federation, tmp_path, file, dry_run):
    path = write(tmp_path, *file)
    before = table_counts()
    outcome = run_import("import_results", path, str(path), *(["--dry-run"] if dry_run else []))
    if dry_run:
        assert table_counts() == before
    assert outcome in ("imported", "refused")


@FUZZ
@given(file=table_file(TARGETS, TARGET_POOLS, TARGET_SEEDS))
def test_targets_import_or_refuse_with_located_messages(federation, tmp_path, file):
    path = write(tmp_path, *file)
    run_import("import_targets", path, str(path))


def test_the_harness_sees_a_refusal_and_an_import(federation, tmp_path):
    """The property's two outcomes happen: a seed imports, a 26-digit value is refused."""
    good = write(tmp_path, ".csv", csv_bytes(RESULTS, RESULT_SEEDS, "utf-8"))
    assert run_import("import_results", good, str(good)) == "imported"
    bad = write(tmp_path, ".csv", csv_bytes(RESULTS, [[*RESULT_SEEDS[0][:5], "1" * 26]], "utf-8"))
    assert run_import("import_results", bad, str(bad)) == "refused"


# ── the appendix tables ─────────────────────────────────────────────────────


BRANCHES = ["北海道", "青森", "岩手", "東京", "千葉", "山口", "香川", "どこか", ""]
APPENDIX = {
    "new_hires": (
        ["code", "branch", "effective_months", "coop_joined_2024", "coop_joined_2023",
         "life_joined_2024", "life_joined_2023", "rate_2024_pct", "rate_2023_pct"],
        [["01", "北海道", "1,7,8,10", "3316", "3327", "100", "88", "3.0", "2.6"],
         ["03", "青森", "10", "259", "241", "36", "28", "13.9", "11.6"]]),
    "model_unions_detail": (
        ["prefecture", "union", "target", "actual", "achievement_pct", "confirmed_month",
         "text_chars"],
        [["青森", "大間町職員労働組合", "10", "10", "100.0", "【1 月確認】", "122"],
         ["岩手", "岩手県職員労働組合", "35", "35", "100.0", "【10 月確認】", "198"]]),
    "spot_campaigns": (
        ["effective_month", "prefecture", "target_unions", "target_count", "new_contracts",
         "prev_target_unions", "prev_new_contracts", "change"],
        [["2024-06", "東京", "1 単組", "3", "146", "未実施", "125", "21"],
         ["2024-06", "山口", "18 単組", "50", "116", "全単組", "154", "-38"]]),
}


@st.composite
def appendix_file(draw: Any) -> tuple[str, str, bytes]:
    kind = draw(st.sampled_from(sorted(APPENDIX)))
    header, seeds = APPENDIX[kind]
    pools = {"branch": BRANCHES, "prefecture": BRANCHES,
             "union": ["大間町職員労働組合", *FORMULAS, "x" * 120], "code": ["01", "03", "99"],
             "effective_month": ["2024-06", "2024-13", "6月"]}
    suffix, data = draw(table_file(header, pools, seeds))
    return kind, suffix, data


@FUZZ
@given(file=appendix_file())
def test_appendix_tables_import_or_refuse_with_located_messages(federation, tmp_path, file):
    kind, suffix, data = file
    path = write(tmp_path, suffix, data)
    run_import("import_appendix", path, kind, str(path))


# ── YAML: plans and events ──────────────────────────────────────────────────


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


YAML_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-(10 ** 30), 10 ** 30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
    st.sampled_from([*FORMULAS, *HUGE, *ODD, "◎", "×", "2024H1", "2024H3", "2024-02-30",
                     "2024-06-17", "hq_committee", "x" * 3000]),
    st.lists(st.text(max_size=6), max_size=3),
    st.dictionaries(st.sampled_from(["number", "text", "date", "from", "to", "name"]),
                    st.text(max_size=6), max_size=2))


@st.composite
def yaml_document(draw: Any, seed: dict) -> bytes:
    """The seed document with values replaced, keys dropped and list entries doubled (duplicate
    numbers and keys), dumped as YAML; sometimes broken byte by byte or given a duplicate key."""
    document = copy.deepcopy(seed)
    for _ in range(draw(st.integers(0, 4))):
        paths = [path for path in _paths(document) if path]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        edit = draw(st.sampled_from(["replace", "replace", "drop", "double"]))
        if edit == "replace":
            parent[path[-1]] = draw(YAML_VALUES)
        elif edit == "drop":
            del parent[path[-1]]
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
    data = yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode("utf-8")
    mutation = draw(st.sampled_from(["none", "none", "bytes", "alias", "duplicate_key"]))
    if mutation == "bytes":
        data = draw(byte_mutations(data))
    elif mutation == "alias":
        data = b"x: &a [1, 2]\ny: [*a, *a]\n" + data
    elif mutation == "duplicate_key":
        first = data.split(b"\n", 1)[0]
        data = first + b"\n" + data
    return data


PLAN = {
    "fiscal_year": 2024, "period": "2024H1",
    "sections": [{"number": "Ⅳ", "title": "事業推進体制の強化・確立", "chapters": [
        {"number": 1, "title": "本部の取り組み", "policies": [{"number": 1, "text": "本部の方針", "items": [
            {"number": 1, "plan": "本部委員会を開催します。", "status": ["開催しました。【8 月確認】"],
             "rating": "◎", "next_actions": ["引き続き開催します。"]},
        ]}]},
        {"number": 2, "title": "県本部と県支部の共同推進", "policies": [{"number": 1, "text": "県の方針", "items": [
            {"number": 1, "plan": "県本部委員会を開催します。", "status": ["全県で開催しました。"],
             "rating": "○", "next_actions": ["定例的に開催します。"]},
            {"number": 2, "plan": "共済集会を開催します。", "status": [], "rating": "△",
             "next_actions": []},
        ]}]},
    ]}],
}


@FUZZ
@given(data=yaml_document(PLAN))
def test_plan_files_import_or_refuse_with_located_messages(federation, tmp_path, data):
    path = write(tmp_path, ".yaml", data)
    run_import("import_plan", path, str(path), "--no-branch-plans")


EVENTS = {
    "report_period": "2024H1", "source": "report-2024H1.txt",
    "events": [
        {"key": "fuzz-committee-01", "kind": "hq_committee", "title": "第10回本部共済推進委員会",
         "dates": ["2024-06-17"], "source_line": 5857,
         "agenda": ["議事要録", {"text": "キャンペーンについて", "items": ["応募結果", "寄付"]}]},
        {"key": "fuzz-rally", "kind": "hq_committee", "title": "全国共済集会",
         "dates": [{"from": "2024-08-23", "to": "2024-08-24"}],
         "venues": [{"name": "千葉", "attendance": 503}, {"name": "各県拠点", "attendance": 144}],
         "agenda": ["開会"]},
    ],
}


@FUZZ
@given(data=yaml_document(EVENTS))
def test_event_files_import_or_refuse_with_located_messages(federation, tmp_path, data):
    path = write(tmp_path, ".yaml", data)
    run_import("import_events", path, str(path))


def test_the_seed_documents_import(federation, tmp_path):
    """The seeds the fuzzers break are valid: the property is not vacuous."""
    for command, seed, extra in (("import_plan", PLAN, ["--no-branch-plans"]),
                                 ("import_events", EVENTS, [])):
        path = write(tmp_path, ".yaml", yaml.safe_dump(seed, allow_unicode=True).encode())
        assert run_import(command, path, str(path), *extra) == "imported", command
    for kind, (header, rows) in APPENDIX.items():
        path = write(tmp_path, ".csv", csv_bytes(header, rows, "utf-8"))
        assert run_import("import_appendix", path, kind, str(path)) == "imported", kind
