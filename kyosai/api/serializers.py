"""What the API returns and accepts (the OpenAPI schema is generated from these)."""

from collections.abc import Mapping

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from kyosai.catalog.models import Product
from kyosai.org.models import Branch, Union
from kyosai.plans.models import PlanItem
from kyosai.results.models import ImportLog

# The plain serializers describe JSON objects (the schema, the upload form), never a model instance.
Payload = Mapping[str, object]


class ScorecardRowSerializer(serializers.Serializer[Payload]):
    code = serializers.CharField(help_text="制度グループ・制度のコード（合計は total）")
    # a declared field (SerializerMetaclass pops it from the class), not Field.label
    label = serializers.CharField(help_text="報告書の表記")  # type: ignore[assignment]
    measure = serializers.CharField(help_text="指標コード")
    measure_name = serializers.CharField()
    unit = serializers.CharField(help_text="単位（掛金・付加は千円）")
    as_of = serializers.CharField(help_text="数値の基準月 YYYY-MM（掛金は1か月前）")
    target = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True,
                                      coerce_to_string=False)
    actual = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True,
                                      coerce_to_string=False)
    previous = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True,
                                        coerce_to_string=False, help_text="前年同期")
    change = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True,
                                      coerce_to_string=False, help_text="前年同期との増減")
    achievement_pct = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True,
                                               coerce_to_string=False, help_text="到達率 %")
    yoy_pct = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True,
                                       coerce_to_string=False, help_text="前年同期比 %")
    pace_pct = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False,
                                        help_text="到達目安 %")
    mark = serializers.CharField(allow_null=True, help_text="評価 ○△×")


class ScorecardSerializer(serializers.Serializer[Payload]):
    as_of = serializers.CharField()
    scope = serializers.CharField(help_text="nation / region:CODE / branch:CODE / union:CODE")
    by = serializers.ChoiceField(choices=["group", "product"])
    results = ScorecardRowSerializer(many=True)


class BranchSerializer(serializers.ModelSerializer[Branch]):
    region = serializers.CharField(source="region.code", allow_null=True, default=None)

    class Meta:
        model = Branch
        fields = ["code", "name", "kind", "region"]


class UnionSerializer(serializers.ModelSerializer[Union]):
    branch = serializers.CharField(source="branch.code")

    class Meta:
        model = Union
        fields = ["code", "name", "branch", "active"]


class ProductSerializer(serializers.ModelSerializer[Product]):
    group = serializers.CharField(source="group.code", allow_null=True, default=None)
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, see above

    class Meta:
        model = Product
        fields = ["code", "name", "label", "group", "kind"]


class PlanItemSerializer(serializers.ModelSerializer[PlanItem]):
    owner = serializers.CharField(source="plan.owner.code")
    period = serializers.CharField(source="plan.period")

    class Meta:
        model = PlanItem
        fields = ["owner", "period", "code", "text", "rating"]


class ImportLogSerializer(serializers.ModelSerializer[ImportLog]):
    class Meta:
        model = ImportLog
        fields = ["id", "timestamp", "username", "source", "dataset", "file_name", "sha256",
                  "rows_total", "rows_added", "rows_replaced", "warnings"]


class ImportRequestSerializer(serializers.Serializer[Payload]):
    file = serializers.FileField(help_text="CSV（UTF-8 / BOM付き / CP932）または xlsx")
    dry_run = serializers.BooleanField(
        default=False, help_text="検証だけ行い、書き込まない",
        error_messages={"invalid": "true か false を指定してください。"})  # DRF's ja lacks it


class ProblemSerializer(serializers.Serializer[Payload]):
    line = serializers.IntegerField(allow_null=True, help_text="行（1 は見出し行）")
    column = serializers.CharField(allow_null=True, help_text="列名")
    message = serializers.CharField()


class ImportResultSerializer(serializers.Serializer[Payload]):
    dataset = serializers.CharField()
    file_name = serializers.CharField()
    sha256 = serializers.CharField()
    dry_run = serializers.BooleanField()
    applied = serializers.BooleanField()
    import_id = serializers.IntegerField(allow_null=True)
    rows_total = serializers.IntegerField()
    rows_added = serializers.IntegerField()
    rows_replaced = serializers.IntegerField()
    warnings = ProblemSerializer(many=True)
    # a declared field (popped by SerializerMetaclass), not Serializer.errors
    errors = ProblemSerializer(many=True)  # type: ignore[assignment]


class ErrorSerializer(serializers.Serializer[Payload]):
    """エラーの本文（401・403・404 など）。detail に理由を日本語で示す。"""

    detail = serializers.CharField(help_text="理由（日本語）")


#: An import's 400: the file's located errors, or (a NUL character, a broken multipart body) the
#: plain error every endpoint can give.
IMPORT_REFUSAL = PolymorphicProxySerializer(
    component_name="ImportRefusal", serializers=[ImportResultSerializer, ErrorSerializer],
    resource_type_field_name=None)
