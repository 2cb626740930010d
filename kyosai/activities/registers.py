"""Which model holds which appendix table, and how a table row maps onto a model row."""

from dataclasses import dataclass
from typing import Any

from django.db import models

from kyosai.activities import models as registers
from kyosai.domain.appendix import TableSpec, spec_for
from kyosai.org.models import BranchStaffing

__all__ = ["BINDINGS", "Binding", "binding_for", "kinds"]


@dataclass(frozen=True, slots=True)
class Binding:
    """An appendix kind stored in a model; `per_year` models carry a fiscal_year."""

    kind: str
    model: type[models.Model]
    per_year: bool = True
    hq_only: bool = False

    @property
    def spec(self) -> TableSpec:
        return spec_for(self.kind)

    def field_for(self, column: str) -> str | None:
        """The model field holding a column (branch and union columns hold the foreign keys)."""
        spec = self.spec
        if column == spec.branch_column:
            return "branch"
        if column == spec.union_column:
            return "union"
        names = {field.name for field in self.model._meta.get_fields()}
        return column if column in names else None

    def values_of(self, record: dict[str, Any]) -> dict[str, Any]:
        """Model field values of the entered (non-key-object) columns of a record."""
        values = {}
        for column in self.spec.inputs:
            name = self.field_for(column.name)
            if name is None or name in ("branch", "union"):
                continue
            value = record.get(column.name)
            values[name] = "" if value is None and column.kind == "text" else value
        return values

    def lookup_of(self, record: dict[str, Any], resolved: dict[str, Any]) -> dict[str, Any]:
        """The natural key of a record as a model lookup."""
        lookup: dict[str, Any] = {}
        for column in self.spec.key:
            name = self.field_for(column)
            if name in ("branch", "union"):
                lookup[name] = resolved.get(name)
            elif name is not None:
                lookup[name] = record.get(column)
        return lookup

    def record_of(self, obj: Any) -> dict[str, Any]:
        """A model row as a table record (names for branch and union)."""
        record: dict[str, Any] = {}
        for column in self.spec.inputs:
            name = self.field_for(column.name)
            if name == "branch":
                record[column.name] = obj.branch.name
            elif name == "union":
                record[column.name] = obj.union.name if obj.union_id else ""
            elif name is not None:
                value = getattr(obj, name)
                record[column.name] = "" if value is None and column.kind == "text" else value
            else:
                record[column.name] = obj.branch.code if column.name == "code" else ""
        return record


BINDINGS: dict[str, Binding] = {binding.kind: binding for binding in (
    Binding("model_unions_tiers", registers.ModelUnionStanding),
    Binding("model_unions_detail", registers.ModelUnion),
    Binding("meetings_stats", registers.MeetingStat, hq_only=True),
    Binding("new_hires", registers.NewHireResult),
    Binding("small_lot_life", registers.SmallLotHolding),
    Binding("spot_campaigns", registers.SpotCampaign),
    Binding("effective_month_results", registers.EffectiveMonthResult),
    Binding("mycar_estimates", registers.MyCarEstimate),
    Binding("no_coverage_campaign", registers.NoCoverageCampaign),
    Binding("member_survey", registers.MemberSurvey),
    Binding("case_reports", registers.CaseReport),
    Binding("branch_staffing", BranchStaffing, hq_only=True),
    Binding("meeting_bases", registers.MeetingBase, per_year=False, hq_only=True),
)}


def binding_for(kind: str) -> Binding:
    """The register of a kind; KeyError for an unknown kind."""
    return BINDINGS[kind]


def kinds() -> list[str]:
    return list(BINDINGS)
