"""Forms of the report pages: a build request and an overview topic."""

from typing import Any

from django import forms

from kyosai.core.forms import limit_model_form
from kyosai.domain.periods import InvalidMonth, YearMonth
from kyosai.domain.reporting import HalfYear
from kyosai.reports.models import FORMATS, OverviewTopic

__all__ = ["BuildForm", "OverviewTopicForm"]

FORMAT_CHOICES = [("pdf", "PDF"), ("xlsx", "Excel"), ("html", "HTML")]


class BuildForm(forms.Form):
    period = forms.CharField(label="期", max_length=7, initial="2024H1",
                             help_text="例: 2024H1（2024年度上半期）")
    as_of = forms.CharField(label="実績の基準月", max_length=7, initial="2024-11",
                            help_text="YYYY-MM（掛金は1か月前の実績を使います）")
    formats = forms.MultipleChoiceField(label="形式", choices=FORMAT_CHOICES, initial=list(FORMATS),
                                        widget=forms.CheckboxSelectMultiple)

    def clean_period(self) -> HalfYear:
        try:
            return HalfYear.parse(self.cleaned_data["period"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_as_of(self) -> YearMonth:
        try:
            return YearMonth.parse(self.cleaned_data["as_of"])
        except InvalidMonth as exc:
            raise forms.ValidationError(str(exc)) from None


class OverviewTopicForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_model_form(self)

    class Meta:
        model = OverviewTopic
        fields = ["position", "heading", "body", "achievements", "challenges", "notes"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 10}),
            "achievements": forms.Textarea(attrs={"rows": 5}),
            "challenges": forms.Textarea(attrs={"rows": 5}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
