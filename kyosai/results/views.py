"""The upload page: validate a targets or results file, preview, then apply; and undo an import.

HQ staff import anything; branch staff only their own branch's rows; everyone else gets 404.
Undoing (`/imports/ID/revert/`, as `kyosai imports revert ID`): HQ admins and staff any import,
branch staff a targets or results import of their own branch's rows only
(Access.can_revert_import); everyone else gets 404.
"""

import io
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kyosai.accounts.access import Access, access_for
from kyosai.core.audit import record_event
from kyosai.core.files import size_text
from kyosai.core.models import AuditEntry
from kyosai.org.models import Branch
from kyosai.results import uploads
from kyosai.results.exports import write_csv, write_xlsx
from kyosai.results.models import ImportLog, Target, TargetKind
from kyosai.results.revert import RevertOutcome, RevertRefused, revert_import
from kyosai.results.selectors import may_revert_import, revertible_imports
from kyosai.results.services import DATASETS, ImportOutcome, import_file
from kyosai.results.signals import dashboards_stale

if TYPE_CHECKING:
    from django.contrib.auth.models import User

EXAMPLES = {
    "results": [["2024-11", "14", "140001", "general", "holdings", "1,234"],
                ["2024-11", "14", "", "general", "premiums", "12345678"],
                ["2024-11", "", "", "vehicle_damage", "attachment_rate", "58.95"]],
    "targets": [["2024", "official", "1", "", "14", "140001", "general", "holdings", "1,300"],
                ["2024", "own", "1", "", "14", "", "general", "new_contracts", "650"],
                ["2024", "official", "2", "2024-12", "14", "", "general", "new_contracts", "700"]],
}


def _importer(request: HttpRequest) -> tuple[Access, set[str] | None]:
    """Who may import (Access.can_import), and which branches' rows by code (None: every branch)."""
    access = access_for(request.user)
    if not access.can_import:
        raise Http404
    branch_ids = access.import_branch_ids()
    if branch_ids is None:
        return access, None
    codes = set(Branch.objects.filter(pk__in=branch_ids).values_list("code", flat=True))
    if not codes:
        raise Http404
    return access, codes


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    _, branches = _importer(request)
    context: dict[str, object] = {"datasets": DATASETS, "branches": branches}
    if request.method == "POST":
        dataset = request.POST.get("dataset", "")
        upload_file = request.FILES.get("file")
        if dataset not in DATASETS or upload_file is None:
            messages.error(request, "データの種類とファイルを指定してください。")
            return redirect("results:upload")
        limit = settings.KYOSAI_MAX_UPLOAD_BYTES
        if (upload_file.size or 0) > limit:
            messages.error(request, f"ファイルが大きすぎます（{size_text(limit)} まで）。")
            return redirect("results:upload")
        data = upload_file.read()
        outcome = import_file(dataset, upload_file.name or "", data, user=request.user, dry_run=True,
                              allowed_branches=branches, source=ImportLog.Source.WEB)
        if outcome.ok:
            token = uploads.save(data)  # also removes pending files older than a day
            request.session["pending_import"] = {"token": token, "dataset": dataset,
                                                 "name": upload_file.name,
                                                 "sha256": outcome.sha256}
        context.update(outcome=outcome, dataset=dataset, preview=True)
    context["logs"] = logs = _logs(request, branches)
    context["revertible"] = revertible_imports(logs, access=access_for(request.user))
    return render(request, "results/upload.html", context)


def _logs(request: HttpRequest, branches: set[str] | None) -> list[ImportLog]:
    logs = ImportLog.objects.select_related("user")
    if branches is not None:
        logs = logs.filter(user=cast("User", request.user))  # (the views are login_required)
    return list(logs[:20])


@login_required
@require_POST
def apply(request: HttpRequest) -> HttpResponse:
    _, branches = _importer(request)
    pending = request.session.pop("pending_import", None)
    if not pending or pending.get("token") != request.POST.get("token"):
        messages.error(request, "取り込むファイルが見つかりません。もう一度アップロードしてください。")
        return redirect("results:upload")
    data = uploads.read(pending["token"])
    if data is None:  # removed after a day, or already applied
        messages.error(request, "取り込むファイルの保存期限が過ぎています。もう一度アップロードしてください。")
        return redirect("results:upload")
    uploads.discard(pending["token"])
    outcome: ImportOutcome = import_file(pending["dataset"], pending["name"], data,
                                         user=request.user, allowed_branches=branches,
                                         source=ImportLog.Source.WEB)
    if outcome.ok:  # new data: the latest month's dashboards recomputed in the background
        transaction.on_commit(
            lambda: dashboards_stale.send(sender=ImportLog, background=True))
    if outcome.ok and outcome.sha256 == pending["sha256"]:
        messages.success(request, f"{pending['name']} を取り込みました（追加 {outcome.rows_added:,}、"
                                  f"置換 {outcome.rows_replaced:,}）。")
    else:
        messages.error(request, f"{pending['name']} は取り込めませんでした（{len(outcome.errors)} 件のエラー）。")
    return redirect("results:upload")


@login_required
@require_http_methods(["GET", "POST"])
def revert(request: HttpRequest, pk: int) -> HttpResponse:
    """取込の取消: GET checks as `kyosai imports revert ID --dry-run` does and shows what would
    happen or why it is refused; POST undoes it (audited, source web) and returns to /imports/."""
    access = access_for(request.user)
    if not (access.is_hq or access.can_import):
        raise Http404
    log = ImportLog.objects.select_related("user").filter(pk=pk).first()
    if log is None or not may_revert_import(log, access=access):
        raise Http404

    def authorize(locked: ImportLog) -> None:  # again under the imports' lock: nothing moved since
        if not may_revert_import(locked, access=access):
            raise Http404

    if request.method == "POST":
        try:
            outcome = revert_import(pk, user=request.user, source=AuditEntry.Source.WEB,
                                    authorize=authorize)
        except RevertRefused as exc:
            messages.error(request, f"取り消せませんでした: {exc}")
            return redirect("results:upload")
        transaction.on_commit(  # the dashboards recomputed in the background, as after an import
            lambda: dashboards_stale.send(sender=ImportLog, background=True))
        messages.success(request, f"取込番号 {log.pk}（{log.get_dataset_display()}・{log.file_name}）を"
                                  f"取り消しました（削除 {outcome.rows_deleted:,} 行、"
                                  f"復元 {outcome.rows_restored:,} 行）。")
        return redirect("results:upload")
    preview: RevertOutcome | None = None
    refusal = ""
    if log.reverted_at is None:
        try:
            preview = revert_import(pk, user=request.user, source=AuditEntry.Source.WEB,
                                    dry_run=True, authorize=authorize)
        except RevertRefused as exc:
            refusal = str(exc)
    return render(request, "results/revert.html",
                  {"log": log, "preview": preview, "refusal": refusal})


@login_required
@require_GET
def template(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    _importer(request)
    if dataset not in DATASETS or fmt not in ("csv", "xlsx"):
        raise Http404
    rows = iter(EXAMPLES[dataset])
    name = f"kyosai-{dataset}-template.{fmt}"
    if fmt == "xlsx":
        buffer = io.BytesIO()
        write_xlsx(buffer, dataset, rows)
        response = HttpResponse(buffer.getvalue(), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    else:
        text = io.StringIO()
        write_csv(text, dataset, rows)
        response = HttpResponse(("\ufeff" + text.getvalue()).encode("utf-8"),
                                content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    record_event(AuditEntry.Action.DOWNLOAD, user=request.user, object_type="results.template",
                 object_id=dataset, object_repr=name,
                 detail={"page": request.path, "dataset": dataset, "format": fmt,
                         "rows": len(EXAMPLES[dataset])})
    return response


@login_required
@require_GET
def target_history(request: HttpRequest) -> HttpResponse:
    """目標の改定履歴 (HQ): each revision of a year's targets, from when, and what it changed."""
    from kyosai.results.revisions import history

    access = access_for(request.user)
    if not access.is_hq:
        raise Http404
    years = sorted(Target.objects.values_list("fiscal_year__year", flat=True).distinct(),
                   reverse=True)
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 4 else (years[0] if years else None)
    kind = request.GET.get("kind", TargetKind.OFFICIAL)
    if kind not in TargetKind.values or (year is not None and year not in years):
        raise Http404
    return render(request, "results/target_history.html", {
        "years": years, "year": year, "kind": kind, "kinds": TargetKind.choices,
        "history": history(year, kind) if year is not None else []})


__all__ = ["apply", "revert", "target_history", "template", "upload"]
