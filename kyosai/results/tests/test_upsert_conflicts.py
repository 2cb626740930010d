"""The bulk upsert's ON CONFLICT targets come from the models' partial unique constraints."""

import pytest
from django.db import models

from kyosai.org.models import Branch
from kyosai.results.models import MonthlyResult, Target
from kyosai.results.services import SCOPES, _conflicts

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [MonthlyResult, Target])
def test_each_kind_of_row_conflicts_on_its_own_constraint(model):
    conflicts = _conflicts(model)
    assert tuple(conflicts) == SCOPES
    constraints = {tuple(sorted(model._meta.get_field(f).column for f in c.fields))
                   for c in model._meta.constraints if isinstance(c, models.UniqueConstraint)}
    assert {tuple(sorted(c.columns)) for c in conflicts.values()} == constraints
    assert "union_id" in conflicts["union"].columns
    assert "branch_id" in conflicts["branch"].columns
    assert not {"union_id", "branch_id"} & set(conflicts["national"].columns)
    # the partial index's own condition: a union's row, a branch's own row, the national row
    assert conflicts["union"].condition == '"union_id" IS NOT NULL'
    assert conflicts["branch"].condition == '("branch_id" IS NOT NULL AND "union_id" IS NULL)'
    assert conflicts["national"].condition == '("branch_id" IS NULL AND "union_id" IS NULL)'


def test_a_model_without_the_three_constraints_is_refused():
    with pytest.raises(ValueError, match="Branch"):
        _conflicts(Branch)
