"""Entry forms for a register's row, built from the table's entered columns."""

from typing import Any

from django import forms
from django.db import models

from kyosai.activities.registers import Binding
from kyosai.core.forms import TEXT_MAX_LENGTH, column_limits
from kyosai.org.models import Branch

__all__ = ["RegisterForm"]

_MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


def _field_for(kind: str, label: str, required: bool, name: str,
               model: type[models.Model]) -> forms.Field:
    limits = column_limits(model, name)
    if kind == "int":
        minimum = None if name.endswith("_prev_period") else 0
        low = limits.get("min_value")
        return forms.IntegerField(label=label, required=required,
                                  min_value=minimum if minimum is not None else low,
                                  max_value=limits.get("max_value"))
    if kind == "pct":
        return forms.DecimalField(label=label, required=required,
                                  max_digits=limits.get("max_digits", 9),
                                  decimal_places=limits.get("decimal_places", 2))
    if kind == "month":
        return forms.RegexField(regex=_MONTH, label=label, required=required, max_length=7,
                                error_messages={"invalid": "年月は YYYY-MM 形式で入力してください"})
    widget = forms.Textarea(attrs={"rows": 4}) if name in ("text", "reason", "note") else None
    return forms.CharField(label=label, required=required, widget=widget,
                           max_length=limits.get("max_length", TEXT_MAX_LENGTH))


class RegisterForm(forms.Form):
    """The entered columns of one row; the key columns are fixed when editing. Labels name the
    row's `fiscal_year` (生協加入数 2024)."""

    def __init__(self, *args: Any, binding: Binding, branches: Any = None, editing: bool = False,
                 fiscal_year: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.binding = binding
        spec = binding.spec
        for column in spec.inputs:
            if column.name == "code" or (editing and column.name in spec.key):
                continue
            label = column.heading(fiscal_year)
            if column.name == spec.branch_column:
                self.fields[column.name] = forms.ModelChoiceField(
                    queryset=branches if branches is not None else Branch.objects.none(),
                    label="県支部", empty_label=None)
            else:
                self.fields[column.name] = _field_for(column.kind, label, column.required,
                                                      column.name, binding.model)
