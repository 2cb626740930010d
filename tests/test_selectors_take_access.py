"""Every selector takes the viewer's Access as a required keyword (issue 11, item 1).

Inspects every public function of every `kyosai/*/selectors.py`: each must have a keyword-only
parameter `access` without a default, so that a caller cannot forget it and a missing access can
never mean "everything". The only functions allowed without one are listed below with the reason:
they read no rows of anyone (the fiscal calendar, parsing a filter, shaping rows the caller
already read) — or they are still to be converted (PENDING, to shrink to nothing).
"""

import importlib
import inspect
import pkgutil
from types import ModuleType

import kyosai

#: Functions of their arguments or of the organisation's calendar: no branch's, union's or
#: person's rows. "module.function": why.
PURE = {
    "core.selectors.audit_filter": "parses the filter's text; audit_entries reads (with access)",
    "core.selectors.entry_row": "shapes one AuditEntry the caller read with access",
    "events.selectors.group_by_section": "groups events the caller read with access",
    "members.selectors.active_on": "builds a Q condition, reads nothing",
    "members.selectors.branch_totals": "adds up PenetrationRows read with access",
    "activities.selectors.list_kinds": "the report's fixed list of appendix tables, no rows",
    "catalog.selectors.fiscal_years": "the registered fiscal calendar: master data every role shares",
    "plans.selectors.item_node": "shapes one PlanItem the caller read with access",
    "plans.selectors.item_state": "shapes an audit snapshot the caller read with access",
    "workbench.selectors.period_for": "the fiscal calendar: the organisation's rule, no rows",
    "workbench.selectors.support_text": "formats SupportLines the caller read",
}

#: Not converted yet (issue 11 item 1 continues): remove each line as its selector takes access.
PENDING: set[str] = set()


def _selector_modules() -> list[ModuleType]:
    modules = []
    for info in pkgutil.iter_modules(kyosai.__path__):
        if info.ispkg:
            try:
                modules.append(importlib.import_module(f"kyosai.{info.name}.selectors"))
            except ModuleNotFoundError as exc:
                if exc.name != f"kyosai.{info.name}.selectors":
                    raise
    return modules


def _public_functions() -> dict[str, object]:
    found = {}
    for module in _selector_modules():
        for name, obj in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(obj):
                continue
            if obj.__module__ != module.__name__:
                continue  # imported from elsewhere
            found[f"{module.__name__.removeprefix('kyosai.')}.{name}"] = obj
    return found


def _takes_required_access(function: object) -> bool:
    parameter = inspect.signature(function).parameters.get("access")  # type: ignore[arg-type]
    return (parameter is not None and parameter.kind is inspect.Parameter.KEYWORD_ONLY
            and parameter.default is inspect.Parameter.empty)


def test_the_modules_are_found():
    names = {module.__name__ for module in _selector_modules()}
    assert {"kyosai.results.selectors", "kyosai.web.selectors", "kyosai.events.selectors",
            "kyosai.plans.selectors"} <= names


def test_every_selector_takes_a_required_keyword_only_access():
    missing = sorted(name for name, function in _public_functions().items()
                     if not _takes_required_access(function)
                     and name not in PURE and name not in PENDING)
    assert missing == [], f"selectors without a required keyword-only access: {missing}"


def test_the_exemption_lists_name_only_existing_functions_that_need_them():
    functions = _public_functions()
    assert set(PURE) <= set(functions)
    assert set(functions) >= PENDING
    converted = sorted(name for name in PENDING | set(PURE) if _takes_required_access(functions[name]))
    assert converted == [], f"remove from the exemptions, they take access now: {converted}"


def test_named_selectors_take_access():
    functions = _public_functions()
    for name in ("results.selectors.scorecard", "results.selectors.branch_breakdown",
                 "results.selectors.region_breakdown", "results.selectors.union_breakdown",
                 "results.selectors.monthly_series", "results.selectors.product_scores",
                 "results.selectors.latest_month", "web.selectors.available_months",
                 "web.selectors.item_name", "web.selectors.item_measures",
                 "web.selectors.measure_names", "events.selectors.event_periods"):
        assert _takes_required_access(functions[name]), name
