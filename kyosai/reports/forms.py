"""Forms of the report pages: a build request and an overview topic."""

from typing import Any

from django import forms

from kyosai.core.forms import limit_model_form
from kyosai.domain.periods import InvalidMonth, YearMonth
from kyosai.domain.reporting import HalfYear
from kyosai.reports.models import FORMATS, OverviewTopic

__all__ = ["BuildForm", "EditionForm", "EditionMonthsForm", "NarrativeForm", "OverviewTopicForm"]

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


class OverviewTopicForm(forms.ModelForm[OverviewTopic]):
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


class EditionForm(forms.Form):
    """A new edition: its period and month; it starts from the previous edition's text."""

    period = forms.CharField(label="期", max_length=7, help_text="例: 2024H2")
    as_of = forms.CharField(label="基準月", max_length=7, help_text="YYYY-MM（Ⅱの実績の基準月）")

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


class NarrativeForm(forms.Form):
    text = forms.CharField(label="本文", required=False, widget=forms.Textarea(attrs={"rows": 12}),
                           help_text="段落は空行で区切ります。空にすると削除します。")


class EditionMonthsForm(forms.Form):
    """The edition's month for Ⅱ and, per product of Ⅲ, its own month (blank: the edition's)."""

    as_of = forms.CharField(label="基準月（Ⅱ）", max_length=7, help_text="YYYY-MM")

    def __init__(self, *args: object, products: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.products = products
        for code, label in products:
            self.fields[f"month_{code}"] = forms.CharField(
                label=label, max_length=7, required=False, help_text="空欄: 版の基準月")

    def clean_as_of(self) -> YearMonth:
        try:
            return YearMonth.parse(self.cleaned_data["as_of"])
        except InvalidMonth as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        months: dict[str, str] = {}
        for code, _ in self.products:
            text = (data.get(f"month_{code}") or "").strip()
            if not text:
                continue
            try:
                months[code] = str(YearMonth.parse(text))
            except InvalidMonth as exc:
                self.add_error(f"month_{code}", str(exc))
        data["product_months"] = months
        return data
