"""Forms of the plan pages: a status entry, a rating, the next actions, carry-over."""

from typing import Any

from django import forms

from kyosai.domain.evaluation import Rating
from kyosai.domain.periods import FiscalCalendar, InvalidMonth, YearMonth
from kyosai.domain.plans import confirmation_month, parse_rating, split_confirmation

__all__ = ["CarryOverForm", "NextActionsForm", "RatingForm", "StatusEntryForm"]


class StatusEntryForm(forms.Form):
    """実行状況: the text, and the month it was confirmed (YYYY-MM, or 【N月確認】 in the text)."""

    text = forms.CharField(label="実行状況", widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=4000)
    confirmed_month = forms.CharField(
        label="確認月", required=False, max_length=7,
        widget=forms.TextInput(attrs={"placeholder": "2024-11", "inputmode": "numeric"}),
        help_text="YYYY-MM（空欄で本文の【N月確認】または確認月なし）",
    )

    def __init__(self, *args: Any, fiscal_year: int, calendar: FiscalCalendar, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fiscal_year = fiscal_year
        self.calendar = calendar

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns
        text = data.get("text", "")
        try:
            stripped, month = split_confirmation(text)
        except ValueError as exc:
            self.add_error("text", str(exc))
            return data
        data["text"] = stripped
        typed = (data.get("confirmed_month") or "").strip()
        if typed:
            try:
                data["confirmed"] = YearMonth.parse(typed)
            except InvalidMonth as exc:
                self.add_error("confirmed_month", str(exc))
        elif month is not None:
            data["confirmed"] = confirmation_month(month, self.fiscal_year, self.calendar)
        else:
            data["confirmed"] = None
        if not stripped:
            self.add_error("text", "実行状況を入力してください。")
        return data


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label="評価", required=False,
        choices=[("", "未評価")] + [(r.value, f"{r.value} {r.label}") for r in Rating],
    )

    def clean_rating(self) -> Rating | None:
        return parse_rating(self.cleaned_data.get("rating"))


class NextActionsForm(forms.Form):
    text = forms.CharField(
        label="今後の取り組み（1行に1件）", required=False, max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_text(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["text"].splitlines() if line.strip()]


class CarryOverForm(forms.Form):
    include_done = forms.BooleanField(label="◎（完了）の実行計画も引き継ぐ", required=False,
                                      initial=True)
