"""What a form field may accept, read from the column it fills: one rule for every entry form.

`column_limits(Model, "name")` gives the form-field keywords that keep a value storable on every
database we run on: a CharField's max_length, an integer column's range (PostgreSQL's, which is
also what SQLite would be given), a DecimalField's digits. Text columns have no length in the
database; their forms stop at TEXT_MAX_LENGTH characters.
"""

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

__all__ = ["TEXT_MAX_LENGTH", "column_limits", "limit_model_form"]

#: A text field's form limit (a long 概況 body is ~3,000 characters).
TEXT_MAX_LENGTH = 10_000


def column_limits(model: type[models.Model], name: str) -> dict[str, Any]:
    """max_length / min_value and max_value / max_digits and decimal_places for `model.name`."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return {}
    if isinstance(field, models.CharField) and field.max_length:
        return {"max_length": field.max_length}
    if isinstance(field, models.TextField):
        return {"max_length": TEXT_MAX_LENGTH}
    if isinstance(field, models.IntegerField) and not isinstance(field, models.AutoField):
        low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
        return {"min_value": low, "max_value": high}
    if isinstance(field, models.DecimalField):
        return {"max_digits": field.max_digits, "decimal_places": field.decimal_places}
    return {}


def limit_model_form(form: Any) -> None:
    """Give a ModelForm's fields the limits of their columns (text fields: TEXT_MAX_LENGTH)."""
    model = form._meta.model
    for name, field in form.fields.items():
        limits = column_limits(model, name)
        if "max_length" in limits and hasattr(field, "max_length"):
            field.max_length = limits["max_length"]
            field.validators.append(MaxLengthValidator(limits["max_length"]))
            field.widget.attrs.setdefault("maxlength", str(limits["max_length"]))
