"""Writes to the appendix registers: imports and web entries, all audited, all or nothing."""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import DecimalField, IntegerField

from kyosai.accounts.access import SYSTEM
from kyosai.activities.registers import Binding, binding_for
from kyosai.activities.selectors import meeting_context
from kyosai.core.models import AuditEntry, record_change, snapshot_of
from kyosai.core.tabular import read_table
from kyosai.domain.cells import integer_digits
from kyosai.domain.files.appendix import compare_printed, parse_table
from kyosai.domain.problems import CellProblem, FileProblems
from kyosai.org.models import Branch, Union
from kyosai.results.models import ImportLog
from kyosai.results.snapshots import Scope, begin_import

__all__ = ["ImportResult", "appendix_scopes", "import_appendix", "import_appendix_file", "save_record", "union_named"]


@dataclass(slots=True)
class ImportResult:
    """What an import did: rows created, updated and unchanged, and the warnings."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unions_created: int = 0
    union_ids_created: list[int] = field(default_factory=list)
    log: ImportLog | None = None
    warnings: list[CellProblem] = field(default_factory=list)


def _resolve(binding: Binding, records: list[dict[str, Any]]) -> tuple[dict[str, Branch], list[CellProblem]]:
    spec = binding.spec
    if spec.branch_column is None:
        return {}, []
    branches = {branch.name: branch for branch in Branch.objects.all()}
    errors = []
    for record in records:
        name = record.get(spec.branch_column) or ""
        branch = branches.get(name)
        if branch is None:
            errors.append(CellProblem(record["_line"], spec.branch_column, f"県支部が見つかりません: {name!r}"))
        elif record.get("code") and record["code"] != branch.code:
            errors.append(CellProblem(record["_line"], "code",
                                f"{name} のコードは {branch.code} です（ファイルは {record['code']}）"))
    return branches, errors


def _unstorable(binding: Binding, records: list[dict[str, Any]]) -> list[CellProblem]:
    """Values the register's columns cannot hold: too many digits for a decimal column (its
    places are rounded, see _quantize_decimals), text longer than the column, or a union name
    longer than a union's. Numbers are already bounded by parse_decimal's one bound."""
    spec = binding.spec
    limits: dict[str, tuple[str, Any]] = {}
    for column in spec.inputs:
        name = binding.field_for(column.name)
        if name == "union":
            limits[column.name] = ("text", Union._meta.get_field("name").max_length)
        elif name is not None and name != "branch":
            field_ = binding.model._meta.get_field(name)
            if isinstance(field_, DecimalField):
                limits[column.name] = ("digits", field_.max_digits - field_.decimal_places)
            elif isinstance(field_, IntegerField):  # 32-bit on PostgreSQL
                limits[column.name] = ("range", connection.ops.integer_field_range(
                    field_.get_internal_type()))
            elif max_length := getattr(field_, "max_length", None):
                limits[column.name] = ("text", max_length)
    problems = []
    for record in records:
        for column_name, (kind, limit) in limits.items():
            value = record.get(column_name)
            if value is None or value == "":
                continue
            if kind == "text" and len(str(value)) > limit:
                problems.append(CellProblem(record["_line"], column_name,
                                            f"長すぎます（{limit} 文字まで。{len(str(value))} 文字）"))
            elif kind == "range" and not limit[0] <= value <= limit[1]:
                low, high = limit
                problems.append(CellProblem(record["_line"], column_name,
                                            f"数値は {low:,} から {high:,} までです: {value:,}"))
            elif kind == "digits" and integer_digits(value) > limit:
                problems.append(CellProblem(record["_line"], column_name,
                                            f"数値が大きすぎます（整数部は {limit} 桁まで）: {value}"))
    return problems


def union_named(branch: Branch, name: str) -> tuple[Union, bool]:
    """The union of that name under the branch, created (with a generated code) if missing."""
    existing = Union.objects.filter(branch=branch, name=name).first()
    if existing is not None:
        return existing, False
    number = Union.objects.filter(branch=branch).count() + 1
    while Union.objects.filter(code=f"{branch.code}-A{number:04d}").exists():
        number += 1
    return Union.objects.create(code=f"{branch.code}-A{number:04d}", name=name, branch=branch), True


def save_record(
    binding: Binding, record: dict[str, Any], *, branch: Branch | None, fiscal_year: int,
    user: Any = None, source: str = AuditEntry.Source.WEB, batch_id: str = "",
    result: ImportResult | None = None,
) -> Any:
    """Create or update the register row of one record (natural key), audited if it changed."""
    result = result if result is not None else ImportResult()
    resolved: dict[str, Any] = {"branch": branch}
    union_column = binding.spec.union_column
    if union_column and branch is not None and record.get(union_column):
        resolved["union"], created = union_named(branch, record[union_column])
        result.unions_created += created
        if created:
            result.union_ids_created.append(resolved["union"].pk)
    else:
        resolved["union"] = None
    lookup = binding.lookup_of(record, resolved)
    if binding.per_year:
        lookup["fiscal_year"] = fiscal_year
    values = {name: value for name, value in binding.values_of(record).items()
              if name not in lookup}
    if "position" in record:
        values["position"] = record["position"]
    _quantize_decimals(binding, values)
    obj = binding.model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = binding.model._default_manager.create(**lookup, **values)
        record_change(obj, action="create", before=None, user=user, source=source, batch_id=batch_id)
        result.created += 1
        return obj
    before = snapshot_of(obj)
    for name, value in values.items():
        setattr(obj, name, value)
    if snapshot_of(obj) == before:
        result.unchanged += 1
        return obj
    obj.save()
    record_change(obj, action="update", before=before, user=user, source=source, batch_id=batch_id)
    result.updated += 1
    return obj


def _quantize_decimals(binding: Binding, values: dict[str, Any]) -> None:
    """Decimals at the field's places, so that re-importing 6.0 into 6.00 is no change."""
    for name, value in values.items():
        field_ = binding.model._meta.get_field(name)
        if isinstance(field_, DecimalField) and value is not None:
            values[name] = Decimal(value).quantize(Decimal(1).scaleb(-field_.decimal_places))


@transaction.atomic
def import_appendix(
    kind: str, header: list[str], rows: Sequence[Mapping[str, str]], *, fiscal_year: int,
    user: Any = None, source: str = AuditEntry.Source.CLI, progress: Any = None,
    file_name: str = "", data: bytes = b"", demo: bool = False,
) -> ImportResult:
    """Import a table as printed: store its entered cells, warn about stale derived ones.

    Raises FileProblems (nothing written) when any row is bad. The import is logged (ImportLog,
    dataset appendix, the file `data` kept by content) with the table's rows of the year as they
    were, so `kyosai imports revert ID` can undo it (kyosai.results.snapshots); `demo` logs a
    demo load, which keeps nothing and cannot be undone.
    """
    binding = binding_for(kind)
    parsed = parse_table(binding.spec, header, rows, fiscal_year=fiscal_year)
    branches, errors = _resolve(binding, parsed.records)
    errors += _unstorable(binding, parsed.records)
    if errors:
        raise FileProblems(parsed.located(errors))
    result = ImportResult(warnings=compare_printed(binding.spec, parsed, meeting_context(access=SYSTEM)))
    batch_id = uuid.uuid4().hex
    recorder = begin_import(ImportLog.Dataset.APPENDIX, file_name or f"{kind}.csv", data,
                            appendix_scopes(binding, fiscal_year), user=user, source=source,
                            demo=demo)
    for position, record in enumerate(parsed.records, start=1):
        if kind == "meetings_stats":
            record["position"] = position
        branch = branches.get(record.get(binding.spec.branch_column or "", ""))
        save_record(binding, record, branch=branch, fiscal_year=fiscal_year, user=user,
                    source=source, batch_id=batch_id, result=result)
        if progress is not None:
            progress.update(1)
    if binding.spec.union_column:
        recorder.add_rows(Union, result.union_ids_created)
    result.log = recorder.finish(rows_total=len(parsed.records), rows_added=result.created,
                                 rows_replaced=result.updated, warnings=len(result.warnings))
    return result


def appendix_scopes(binding: Binding, fiscal_year: int) -> list[Scope]:
    """What an import of a table may change: the unions it names and creates (none before), and
    the table's rows of the year (of every year for a table without years)."""
    rows = Scope(binding.model, {"fiscal_year": [fiscal_year]} if binding.per_year else {})
    return [Scope(Union, {"pk": []}), rows] if binding.spec.union_column else [rows]


def import_appendix_file(kind: str, path: Path, *, fiscal_year: int, **options: Any) -> ImportResult:
    """Read a CSV or xlsx file and import it (see import_appendix)."""
    data = path.read_bytes()
    header, rows = read_table(path, data)
    return import_appendix(kind, header, rows, fiscal_year=fiscal_year, file_name=path.name,
                           data=data, **options)
