"""`kyosai import unions FILE`: the union master (単組マスタ), upserted by code.

A union moved to another branch takes its results and targets with it (the rollups of both
branches are recomputed); a union is never deleted — one missing from the file stays as it is,
and `active` 0 marks a union that no longer exists. One transaction; nothing is written when
any row has an error or on a dry run; every applied import is logged and audited.
"""

import hashlib
from pathlib import Path
from typing import Any

from django.db import transaction

from kyosai.core.models import AuditEntry, record_change
from kyosai.core.tabular import TableReadError, iter_records
from kyosai.domain.files.members import (
    UNION_COLUMNS,
    UNION_REQUIRED,
    RowReader,
    UnionRow,
    union_row,
)
from kyosai.domain.problems import CellProblem
from kyosai.org.models import Branch, Union
from kyosai.results.models import ImportLog, MonthlyResult, Target
from kyosai.results.services import ImportOutcome, refresh_branch_rollups

__all__ = ["branch_words", "import_unions"]


def branch_words() -> dict[str, str]:
    """Branch code or name (as a cell is read) → code."""
    words: dict[str, str] = {}
    for code, name in Branch.objects.values_list("code", "name"):
        words[code] = words[name] = code
    return words


def import_unions(file_name: str, data: bytes, *, user: Any = None,
                  source: str = ImportLog.Source.CLI, dry_run: bool = False) -> ImportOutcome:
    outcome = ImportOutcome("unions", file_name, hashlib.sha256(data).hexdigest())
    try:
        header, records = iter_records(Path(file_name), data)
        reader = RowReader.for_header(header, UNION_COLUMNS, UNION_REQUIRED)
        if reader.errors:
            outcome.errors += reader.errors
            return outcome
        branches = branch_words()
        rows: dict[str, UnionRow] = {}
        first_line: dict[str, int] = {}
        for line, cells in records:
            outcome.rows_total += 1
            code = reader.cell(cells, "code")
            if code and code in first_line:
                outcome.errors.append(CellProblem(line, reader.label("code"),
                                                  f"{first_line[code]}行目と同じ単組コードです"))
                continue
            first_line.setdefault(code, line)
            row, problems = union_row(reader, cells, branches)
            if problems or row is None:  # (a row without problems is read)
                outcome.errors += reader.located(line, problems)
                continue
            rows[code] = row
    except TableReadError as exc:
        outcome.errors.append(CellProblem(None, None, str(exc)))
        return outcome
    if not outcome.ok:
        return outcome
    existing = {u.code: u for u in Union.objects.filter(code__in=rows)}
    outcome.rows_replaced = len(existing)
    outcome.rows_added = len(rows) - len(existing)
    if dry_run:
        return outcome
    branch_ids = dict(Branch.objects.values_list("code", "pk"))
    audit_source = AuditEntry.Source.CLI if source == ImportLog.Source.CLI else AuditEntry.Source.WEB
    with transaction.atomic():
        log = ImportLog.objects.create(
            user=user if getattr(user, "is_authenticated", False) else None,
            username=getattr(user, "username", "") or "", source=source, dataset="unions",
            file_name=file_name[:255], sha256=outcome.sha256, rows_total=outcome.rows_total,
            rows_added=outcome.rows_added, rows_replaced=outcome.rows_replaced)
        batch = f"import-{log.pk}"
        moved: set[int] = set()
        for code, (_, name, branch, members, officers, active) in rows.items():
            union = existing.get(code)
            values = {"name": name, "branch_id": branch_ids[branch], "members": members,
                      "officers": officers, "active": active}
            if union is None:
                union = Union.objects.create(code=code, **values)
                record_change(union, action="create", before=None, user=user,
                              source=audit_source, batch_id=batch)
                continue
            if all(getattr(union, field) == value for field, value in values.items()):
                continue
            before = union.snapshot()
            branch_id = branch_ids[branch]
            if union.branch_id != branch_id:
                moved |= {union.branch_id, branch_id}
                MonthlyResult.objects.filter(union=union).update(branch_id=branch_id)
                Target.objects.filter(union=union).update(branch_id=branch_id)
            for field, value in values.items():
                setattr(union, field, value)
            union.save()
            record_change(union, action="update", before=before, user=user,
                          source=audit_source, batch_id=batch)
        refresh_branch_rollups(moved)
        record_change(log, action=AuditEntry.Action.IMPORT, before=None, user=user, source=audit_source,
                      batch_id=batch)
    outcome.log = log
    outcome.applied = True
    return outcome
