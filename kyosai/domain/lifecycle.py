"""Member lifecycle rules (issue #15): the 64歳以上移行確認リスト, the 次回車検日 call list and the
new-hire campaign (組合と共済の同時加入, 5 月発効). Pure Python; active / in force / enrolled / age
are those of `kyosai.domain.members` and are not redefined here.

- transition reasons for the fiscal year [F, L]: `age64` (age on L ≥ 64), `reemployment_end`
  (F ≤ reemployment_ends_on ≤ L), `leaving` (F < left_on ≤ L), in that order;
- offer: the `after_retirement` master mapping applied to the products held, sorted, unique;
- next inspection month: vehicle_inspected_on's month + 24 when given, otherwise
  vehicle_registered + 36; while before the --from month, + 24;
- new hires of year Y: hired April 1 – December 31 of Y; coop joined / life contract started
  May 1 – December 31 of Y; rate = life ÷ coop × 100 half-up to 1 decimal.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import SupportsInt, cast

from kyosai.domain.members import age_on
from kyosai.domain.periods import YearMonth
from kyosai.domain.rounding import HALF_UP_1

__all__ = [
    "REASONS",
    "TRANSITION_AGE",
    "effective_months",
    "in_campaign",
    "in_cohort",
    "next_inspection",
    "offer",
    "reasons",
    "suggested_plan",
    "uptake_rate",
]

TRANSITION_AGE = 64
REASONS = ("age64", "reemployment_end", "leaving")
#: 車検: a new car's first inspection after 3 years, then every 2 years.
FIRST_INSPECTION_MONTHS = 36
INSPECTION_INTERVAL_MONTHS = 24


def reasons(birth_date: date | None, reemployment_ends_on: date | None, left_on: date | None,
            first_day: date, last_day: date) -> list[str]:
    """Why a member active on `first_day` belongs on the year's transition list (may be empty)."""
    found = []
    if birth_date is not None and age_on(birth_date, last_day) >= TRANSITION_AGE:
        found.append("age64")
    if reemployment_ends_on is not None and first_day <= reemployment_ends_on <= last_day:
        found.append("reemployment_end")
    if left_on is not None and first_day < left_on <= last_day:
        found.append("leaving")
    return found


def offer(products: Iterable[str], after_retirement: Mapping[str, str]) -> list[str]:
    """What to offer after retirement for the products held: the master mapping of each product
    that has one, sorted and unique."""
    return sorted({after_retirement[code] for code in products if code in after_retirement})


def next_inspection(registered: YearMonth, inspected_on: date | None,
                    from_month: YearMonth) -> YearMonth:
    """The first 車検 month at or after `from_month`."""
    if inspected_on is not None:
        due = YearMonth(inspected_on.year, inspected_on.month).shift(INSPECTION_INTERVAL_MONTHS)
    else:
        due = registered.shift(FIRST_INSPECTION_MONTHS)
    if due < from_month:
        gap = (from_month.year * 12 + from_month.month) - (due.year * 12 + due.month)
        steps = -(-gap // INSPECTION_INTERVAL_MONTHS)
        due = due.shift(steps * INSPECTION_INTERVAL_MONTHS)
    return due


def in_cohort(hired_on: date | None, year: int) -> bool:
    """新規採用者 of `year`: hired from April 1 to December 31."""
    return hired_on is not None and date(year, 4, 1) <= hired_on <= date(year, 12, 31)


def in_campaign(day: date | None, year: int) -> bool:
    """Joined (生協) or started (団生) within the campaign, May 1 to December 31 (5 月発効 on)."""
    return day is not None and date(year, 5, 1) <= day <= date(year, 12, 31)


def uptake_rate(life_joined: int, coop_joined: int) -> Decimal | None:
    """団生加入率 of the cohort: life ÷ coop × 100, half-up to 1 decimal; None when coop is 0."""
    if coop_joined <= 0:
        return None
    return HALF_UP_1.apply(Fraction(life_joined * 100, coop_joined))


def effective_months(started: Iterable[date]) -> list[int]:
    """The distinct months (1–12) of the contracts' 発効日, ascending."""
    return sorted({day.month for day in started})


def suggested_plan(bands: Iterable[Mapping[str, object]], age: int | None) -> str:
    """The guidance master data's plan for an age band (min_age ≤ age ≤ max_age, blank max =
    no upper bound); empty when no band fits or the age is unknown."""
    if age is None:
        return ""
    for band in bands:
        low, high = band.get("min_age"), band.get("max_age")
        # the bands' ages are whole numbers (master data), or text as typed
        if ((low is None or int(cast(SupportsInt | str, low)) <= age)
                and (high is None or age <= int(cast(SupportsInt | str, high)))):
            return str(band.get("plan") or "")
    return ""
