"""Entry forms: an activity (branch staff: own branch; union officers: their union's kinds) and
a support-ledger entry (HQ staff)."""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from kyosai.domain.activity_log import KINDS, UNION_LEVEL, support_amount
from kyosai.domain.problems import CellProblem
from kyosai.org.models import Branch, Union
from kyosai.workbench.models import ActivityEntry, SupportEntry

__all__ = ["ActivityForm", "SupportForm"]


def _model_choices(form: forms.BaseForm, name: str) -> "forms.ModelChoiceField[Any]":
    """A foreign key's form field (a ModelChoiceField, as ModelForm makes it)."""
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


class ActivityForm(forms.ModelForm[ActivityEntry]):
    """One activity; the branch choices, union choices and kinds are those the user may enter."""

    class Meta:
        model = ActivityEntry
        fields = ["branch", "date", "kind", "union", "participants", "organisers_pref",
                  "organisers_branch", "organisers_zenrosai", "note", "ref"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, branches: QuerySet[Branch], unions: QuerySet[Union],
                 union_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choices(self, "branch").queryset = branches
        _model_choices(self, "branch").empty_label = None
        _model_choices(self, "union").queryset = unions
        if union_only:
            cast(forms.ChoiceField, self.fields["kind"]).choices = [
                (k.code, k.label) for k in KINDS if k.union_level]
            self.fields["union"].required = True
            _model_choices(self, "union").empty_label = None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what ModelForm.clean returns
        kind, union, branch = data.get("kind"), data.get("union"), data.get("branch")
        if kind in UNION_LEVEL and union is None:
            self.add_error("union", "この活動は単組ごとの活動です: 単組を選んでください")
        elif kind and kind not in UNION_LEVEL and union is not None:
            self.add_error("union", "この活動は県支部の活動です: 単組は空欄にしてください")
        if union is not None and branch is not None and union.branch_id != branch.pk:
            self.add_error("union", "選んだ単組はこの県支部の単組ではありません")
        ref = data.get("ref")
        if ref and branch is not None and ActivityEntry.objects.filter(
                branch=branch, ref=ref).exclude(pk=self.instance.pk).exists():
            self.add_error("ref", "この整理番号はすでに使われています")
        return data


class SupportForm(forms.ModelForm[SupportEntry]):
    class Meta:
        model = SupportEntry
        fields = ["branch", "date", "kind", "work", "amount", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choices(self, "branch").queryset = Branch.objects.prefectural()
        _model_choices(self, "branch").empty_label = None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what ModelForm.clean returns
        kind, work, amount = data.get("kind"), data.get("work"), data.get("amount")
        if kind == "hq_work" and not work:
            self.add_error("work", "本部代行は代行の内容を選んでください")
        elif kind and kind != "hq_work" and work:
            self.add_error("work", "代行の内容は本部代行のときだけ選びます")
        if amount is not None and kind:
            problems: list[CellProblem] = []
            support_amount(str(amount), kind, None, problems)
            for problem in problems:
                self.add_error("amount", problem.message)
        return data


def unions_of(branches: QuerySet[Branch]) -> QuerySet[Union]:
    return Union.objects.filter(branch__in=branches, active=True).order_by("branch__display_order", "code")
