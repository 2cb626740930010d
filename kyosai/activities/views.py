"""HQ views across branches and entry forms for a branch's own rows; access asked every time.

Forbidden is 404: a branch's staff never learn whether another branch's row exists.
"""

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from kyosai.accounts.access import Access, access_for
from kyosai.activities.forms import RegisterForm
from kyosai.activities.models import DEFAULT_FISCAL_YEAR
from kyosai.activities.registers import BINDINGS, Binding
from kyosai.activities.selectors import (
    DESIGNATION_HEADER,
    DESIGNATIONS,
    appendix_rows,
    designations,
    fiscal_years,
    list_kinds,
)
from kyosai.activities.services import save_record
from kyosai.core.audit import record_event
from kyosai.core.models import AuditEntry
from kyosai.core.tables import EXPORT_FORMATS, Cell, Column, Row, Table, export_response
from kyosai.domain.appendix import display_cell, format_cell
from kyosai.org.models import Branch

__all__ = ["designation_list", "index", "row_create", "row_edit", "table"]

YEAR = re.compile(r"[12][0-9]{3}", re.ASCII)


def _binding(kind: str) -> Binding:
    if kind not in BINDINGS:
        raise Http404
    return BINDINGS[kind]


def _access(request: HttpRequest) -> Access:
    access = access_for(request.user)
    if not access.is_authenticated:
        raise Http404
    return access


def _editable_branches(access: Access, binding: Binding) -> Any:
    return access.editable_register_branches(Branch.objects.all(), hq_only=binding.hq_only)


def _can_edit(access: Access, binding: Binding, branch_id: int | None) -> bool:
    return access.can_edit_register(branch_id, hq_only=binding.hq_only)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _access(request)
    return render(request, "activities/index.html", {"kinds": list_kinds()})


@login_required
@require_GET
def table(request: HttpRequest, kind: str) -> HttpResponse:
    access = _access(request)
    binding = _binding(kind)
    spec = binding.spec
    year = _year(request, kind, access)
    rows = appendix_rows(kind, year, access=access)
    pks = [row.get("_pk") for row in rows]
    objects = binding.model._default_manager.in_bulk([pk for pk in pks if pk])
    body = []
    for row in rows:
        obj = objects.get(row.get("_pk"))
        editable = obj is not None and _can_edit(access, binding, getattr(obj, "branch_id", None))
        body.append({"cells": [(display_cell(row.get(name), spec.column(name).kind),
                                spec.column(name).kind in ("int", "pct")) for name in spec.header],
                     "pk": row.get("_pk") if editable else None,
                     "is_total": row.get("_pk") is None})
    columns = [spec.column(name).heading(year) for name in spec.header]
    fmt = request.GET.get("export")
    if fmt:
        return _export(request, kind, spec.title, year, columns, [
            [(display_cell(row.get(name), spec.column(name).kind), row.get(name),
              spec.column(name).kind in ("int", "pct")) for name in spec.header]
            for row in rows])
    return render(request, "activities/table.html", {
        "kind": kind, "title": spec.title, "columns": columns, "rows": body, "year": year,
        "years": fiscal_years(kind, access=access),
        "can_create": _editable_branches(access, binding).exists() or (
            spec.branch_column is None and _can_edit(access, binding, None)),
    })


def _export(request: HttpRequest, kind: str, title: str, year: int | None, columns: list[str],
            rows: list[list[tuple[str, object, bool]]]) -> HttpResponse:
    """The rows the viewer sees (the page's own), as ?export=csv|xlsx; audited."""
    fmt = request.GET.get("export", "")
    if fmt not in EXPORT_FORMATS:
        raise BadRequest("export は csv か xlsx を指定してください。")
    numeric = [any(cells[i][2] for cells in rows) for i in range(len(columns))]
    table = Table(key=kind, title=title,
                  columns=[Column(label, numeric=n) for label, n in zip(columns, numeric,
                                                                        strict=True)],
                  rows=[Row([Cell(text, value if is_number and value is not None else None)
                             for text, value, is_number in cells]) for cells in rows],
                  filters=[("年度", str(year))] if year is not None else [])
    response = export_response(table, fmt, f"資料編_{kind}" + (f"_{year}" if year else ""),
                               request.user.get_username())
    record_event(AuditEntry.Action.EXPORT, user=request.user, object_type="activities.appendix",
                 object_id=kind, object_repr=f"資料編 {kind}",
                 detail={"page": request.path, "table": kind, "format": fmt,
                         "fiscal_year": year, "rows": len(rows)})
    return response


def _year(request: HttpRequest, kind: str, access: Access) -> int | None:
    """?year=2024 (four ASCII digits; anything else is a 400), else the register's latest year."""
    raw = request.GET.get("year", "")
    if raw:
        if not YEAR.fullmatch(raw):
            raise BadRequest("年度は4桁の数字（例: 2024）で指定してください。")
        return int(raw)
    years = fiscal_years(kind, access=access)
    return years[0] if years else DEFAULT_FISCAL_YEAR


def _record(binding: Binding, data: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    record = dict(base)
    for name, value in data.items():
        record[name] = value.name if isinstance(value, Branch) else value
    for column in binding.spec.inputs:
        if column.kind == "text" and record.get(column.name) is None:
            record[column.name] = ""
    return record


@login_required
@require_http_methods(["GET", "POST"])
def row_create(request: HttpRequest, kind: str) -> HttpResponse:
    access = _access(request)
    binding = _binding(kind)
    branches = _editable_branches(access, binding)
    if not branches.exists() and not (binding.spec.branch_column is None
                                      and _can_edit(access, binding, None)):
        raise Http404
    year = _year(request, kind, access) or DEFAULT_FISCAL_YEAR
    form = RegisterForm(request.POST or None, binding=binding, branches=branches, fiscal_year=year)
    if request.method == "POST" and form.is_valid():
        branch = form.cleaned_data.get(binding.spec.branch_column or "")
        record = _record(binding, form.cleaned_data, {})
        save_record(binding, record, branch=branch, fiscal_year=year, user=request.user,
                    source=AuditEntry.Source.WEB)
        return redirect("activities:table", kind=kind)
    return render(request, "activities/form.html", {"form": form, "title": binding.spec.title,
                                                    "kind": kind})


@login_required
@require_http_methods(["GET", "POST"])
def row_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    access = _access(request)
    binding = _binding(kind)
    obj = binding.model._default_manager.filter(pk=pk).first()
    if obj is None or not _can_edit(access, binding, getattr(obj, "branch_id", None)):
        raise Http404
    base = binding.record_of(obj)
    year = getattr(obj, "fiscal_year", None)
    form = RegisterForm(request.POST or None, binding=binding, editing=True, fiscal_year=year,
                        initial={k: v for k, v in base.items()})
    if request.method == "POST" and form.is_valid():
        record = _record(binding, form.cleaned_data, base)
        save_record(binding, record, branch=getattr(obj, "branch", None),
                    fiscal_year=year if year is not None else DEFAULT_FISCAL_YEAR,
                    user=request.user, source=AuditEntry.Source.WEB)
        return redirect("activities:table", kind=kind)
    key = " / ".join(str(base.get(name) or "") for name in binding.spec.key)
    return render(request, "activities/form.html", {"form": form, "title": binding.spec.title,
                                                    "kind": kind, "key": key})


@login_required
@require_GET
def designation_list(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    if not access.sees_aggregates:
        raise Http404
    rows = designations(access=access)
    if request.GET.get("export"):
        return _export(request, DESIGNATIONS, "支援県支部・団体生命共済重点県支部の指定", None,
                       list(DESIGNATION_HEADER),
                       [[(format_cell(row[name]), None, False) for name in DESIGNATION_HEADER]
                        for row in rows])
    return render(request, "activities/designations.html", {
        "rows": rows, "can_support": access.is_hq and access.can_write})
