"""/api/v1/: thin DRF views over the same selectors and services as the pages and commands.

Every view resolves `access_for(request.user)` (session or token) and refuses, with the same 404,
what the pages refuse. CSV (`?format=csv`) and imports are audited (source API).
"""

from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import BadRequest
from django.db.models import Model, QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kyosai.accounts.access import Access, access_for
from kyosai.api import serializers as s
from kyosai.api.errors import japanese_message
from kyosai.catalog.models import Product
from kyosai.core.audit import record_event
from kyosai.core.models import AuditEntry
from kyosai.domain.periods import HalfYear, InvalidMonth, YearMonth
from kyosai.org.models import Branch, Region, Union
from kyosai.plans.models import PlanItem
from kyosai.plans.selectors import visible_items
from kyosai.results import selectors as results
from kyosai.results.models import ImportLog
from kyosai.results.services import import_file
from kyosai.results.views import _importer
from kyosai.web.selectors import available_months


def _audit_export(request: Request, object_type: str, detail: dict[str, Any]) -> None:
    if request.accepted_renderer.format == "csv":
        record_event(AuditEntry.Action.EXPORT, user=request.user, object_type=object_type,
                     detail={**detail, "format": "csv", "via": "api"},
                     source=AuditEntry.Source.API)


# --- the scorecard ---------------------------------------------------------------------------

def scorecard_scope(access: Access, *, branch: str = "", region: str = "",
                    union: str = "") -> str:
    """The scope a user asks for, if they may see it (Http404 like the pages otherwise)."""
    given = [name for name, value in (("branch", branch), ("region", region), ("union", union))
             if value]
    if len(given) > 1:
        raise BadRequest("branch・region・union はどれか一つだけ指定してください。")
    if branch:
        found = Branch.objects.filter(code=branch).values_list("pk", flat=True).first()
        if found is None or not access.can_view_branch(found):
            raise Http404
        return f"branch:{branch}"
    if union:
        union_ids = Union.objects.filter(code=union).values_list("pk", "branch_id").first()
        if union_ids is None or not access.can_view_union(*union_ids):
            raise Http404
        return f"union:{union}"
    if not access.sees_aggregates:
        raise Http404
    if region:
        branch_ids = list(Branch.objects.filter(region__code=region).values_list("pk", flat=True))
        if not Region.objects.filter(code=region).exists() or not access.can_view_region(branch_ids):
            raise Http404
        return f"region:{region}"
    return "nation"


def parse_as_of(text: str, *, access: Access) -> YearMonth | None:
    """?as_of=YYYY-MM, default the latest month with results (None: no results at all)."""
    if text:
        try:
            return YearMonth.parse(text)
        except InvalidMonth:
            raise BadRequest("as_of は YYYY-MM 形式で指定してください。") from None
    months = available_months(access=access)
    return months[0] if months else None


def scorecard_rows(as_of: YearMonth, scope: str, by: str, *, access: Access) -> list[dict[str, Any]]:
    kind, _, code = scope.partition(":")
    try:
        rows = results.scorecard(as_of, by=by, branch=code if kind == "branch" else None,
                                 region=code if kind == "region" else None,
                                 union=code if kind == "union" else None, access=access)
    except results.UnknownScope:
        raise Http404 from None
    return [{
        "code": row.code, "label": row.label, "measure": row.measure,
        "measure_name": row.measure_name, "unit": row.unit, "as_of": str(row.as_of),
        "target": row.target, "actual": row.actual, "previous": row.previous,
        "change": row.change, "achievement_pct": row.achievement_pct, "yoy_pct": row.yoy_pct,
        "pace_pct": row.pace_pct, "mark": row.mark.value if row.mark else None,
    } for row in rows]


class ScorecardView(APIView):
    @extend_schema(
        summary="目標・実績・到達率・評価（kyosai scorecard --as-of と同じ行）",
        parameters=[
            OpenApiParameter("as_of", OpenApiTypes.STR, description="基準月 YYYY-MM（既定: 最新月）",
                             pattern=r"^\d{4}-\d{2}$"),
            OpenApiParameter("branch", OpenApiTypes.STR, description="県支部コード"),
            OpenApiParameter("region", OpenApiTypes.STR, description="地連コード"),
            OpenApiParameter("union", OpenApiTypes.STR, description="単組コード"),
            OpenApiParameter("by", OpenApiTypes.STR, enum=["group", "product"]),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"]),
        ],
        responses={200: s.ScorecardSerializer, 400: s.ErrorSerializer, 404: s.ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        access = access_for(request.user)
        params = request.query_params
        by = params.get("by") or "group"
        if by not in ("group", "product"):
            raise BadRequest("by は group か product を指定してください。")
        scope = scorecard_scope(access, branch=params.get("branch", ""),
                                region=params.get("region", ""), union=params.get("union", ""))
        as_of = parse_as_of(params.get("as_of", "").strip(), access=access)
        rows = scorecard_rows(as_of, scope, by, access=access) if as_of is not None else []
        _audit_export(request, "scorecard", {"scope": scope, "as_of": str(as_of), "by": by,
                                             "rows": len(rows)})
        if request.accepted_renderer.format == "csv":
            return Response(rows)
        return Response({"as_of": str(as_of) if as_of else "", "scope": scope, "by": by,
                         "results": rows})


# --- lists -----------------------------------------------------------------------------------

_M = TypeVar("_M", bound=Model)


class _AuditedList(generics.ListAPIView[_M]):
    object_type = ""

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        _audit_export(request, self.object_type, {"path": request.path})
        return response


class BranchList(_AuditedList[Branch]):
    """県支部（閲覧できる範囲のみ）"""

    serializer_class = s.BranchSerializer
    object_type = "org.branch"

    def get_queryset(self) -> QuerySet[Branch]:
        access = access_for(self.request.user)
        return access.restrict_branches(Branch.objects.select_related("region")).order_by(
            "display_order", "code")


class UnionList(_AuditedList[Union]):
    """単組（閲覧できる範囲のみ）"""

    serializer_class = s.UnionSerializer
    object_type = "org.union"

    def get_queryset(self) -> QuerySet[Union]:
        access = access_for(self.request.user)
        return access.restrict_unions(Union.objects.select_related("branch"),
                                      branch_field="branch").order_by("code")


class ProductList(_AuditedList[Product]):
    """共済制度"""

    serializer_class = s.ProductSerializer
    object_type = "catalog.product"

    def get_queryset(self) -> QuerySet[Product]:
        return Product.objects.select_related("group").order_by("display_order", "code")


class PlanItemList(_AuditedList[PlanItem]):
    """事業推進計画の実行計画（閲覧できる計画のみ; ?owner=hq|CODE で絞り込み）"""

    serializer_class = s.PlanItemSerializer
    object_type = "plans.planitem"

    @extend_schema(parameters=[
        OpenApiParameter("period", OpenApiTypes.STR, OpenApiParameter.PATH,
                         description="期間（例: 2024H1）"),
        OpenApiParameter("owner", OpenApiTypes.STR, description="hq または県支部コード"),
    ])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[PlanItem]:
        period = self.kwargs["period"]
        try:
            HalfYear.parse(period)
        except ValueError:
            raise Http404 from None
        items = visible_items(access=access_for(self.request.user)).filter(plan__period=period)
        owner = self.request.query_params.get("owner", "")
        if owner == "hq":
            items = items.filter(plan__owner__kind=Branch.Kind.HQ)
        elif owner:
            items = items.filter(plan__owner__code=owner)
        return items


class ImportLogList(_AuditedList[ImportLog]):
    """取込の記録（本部: すべて、県支部職員: 自分の取込）"""

    serializer_class = s.ImportLogSerializer
    object_type = "results.importlog"

    def get_queryset(self) -> QuerySet[ImportLog]:
        _, branches = _importer(self.request)
        logs = ImportLog.objects.order_by("-timestamp", "-pk")
        if branches is not None:
            # _importer let only signed-in importers through
            logs = logs.filter(user=cast(User, self.request.user))
        return logs


# --- imports ---------------------------------------------------------------------------------

def _problems(problems: list[Any]) -> list[dict[str, Any]]:
    return [{"line": p.line, "column": p.column, "message": p.message} for p in problems]


class ImportView(APIView):
    """Validate a file and, unless dry_run or any error, apply it (as `kyosai import`)."""

    parser_classes = [MultiPartParser, FormParser]
    dataset = ""

    @extend_schema(
        request={"multipart/form-data": s.ImportRequestSerializer},
        responses={200: s.ImportResultSerializer,
                   400: OpenApiResponse(s.IMPORT_REFUSAL, description=(
                       "ファイルに誤りがある（errors に行・列つきで示し、何も書き込まない）か、"
                       "リクエストが正しくない（detail に理由）。")),
                   404: OpenApiResponse(s.ErrorSerializer, description=(
                       "取込の権限がない（閲覧専用の役割・単組役員）。"))},
    )
    def post(self, request: Request) -> Response:
        _, branches = _importer(request)
        form = s.ImportRequestSerializer(data=request.data)
        if not form.is_valid():
            return self._refused([{"line": None, "column": field,
                                   "message": japanese_message(str(messages[0]))}
                                  for field, messages in form.errors.items()])
        upload = form.validated_data["file"]
        dry_run = form.validated_data["dry_run"]
        if upload.size > settings.KYOSAI_MAX_UPLOAD_BYTES:
            return self._refused([{"line": None, "column": "file",
                                   "message": "ファイルが大きすぎます。"}])
        name = upload.name or f"{self.dataset}.csv"
        outcome = import_file(self.dataset, name, upload.read(), user=request.user,
                              dry_run=dry_run, allowed_branches=branches,
                              source=ImportLog.Source.API)
        # As after a web upload, nothing is warmed here: each dashboard is served from its previous
        # computation, marked so, and recomputed once on its next view (kyosai.web.cache).
        record_event(AuditEntry.Action.IMPORT, user=request.user,
                     object_type=f"results.{self.dataset}",
                     object_id=str(outcome.log.pk) if outcome.log else "",
                     detail={"via": "api", "sha256": outcome.sha256, "dry_run": dry_run,
                             "applied": outcome.applied, "errors": len(outcome.errors),
                             "rows_total": outcome.rows_total},
                     source=AuditEntry.Source.API)
        body = {
            "dataset": self.dataset, "file_name": name, "sha256": outcome.sha256,
            "dry_run": dry_run, "applied": outcome.applied,
            "import_id": outcome.log.pk if outcome.log else None,
            "rows_total": outcome.rows_total, "rows_added": outcome.rows_added,
            "rows_replaced": outcome.rows_replaced,
            "warnings": _problems(outcome.warnings), "errors": _problems(outcome.errors),
        }
        return Response(body, status=status.HTTP_200_OK if outcome.ok
                        else status.HTTP_400_BAD_REQUEST)

    def _refused(self, errors: list[dict[str, Any]]) -> Response:
        """A request without a usable file: 400 in the same shape, nothing read or written."""
        return Response({"dataset": self.dataset, "file_name": "", "sha256": "", "dry_run": False,
                         "applied": False, "import_id": None, "rows_total": 0, "rows_added": 0,
                         "rows_replaced": 0, "warnings": [], "errors": errors},
                        status=status.HTTP_400_BAD_REQUEST)

    def get_renderers(self) -> list[Any]:
        from rest_framework.renderers import JSONRenderer

        return [JSONRenderer()]


class ResultsImport(ImportView):
    dataset = "results"


class TargetsImport(ImportView):
    dataset = "targets"
